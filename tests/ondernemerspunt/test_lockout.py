"""django-axes behind the reverse proxy: who gets locked out, and how a lockout ends.

Requests arrive as the documented deployment delivers them: from the proxy's address, with the
client's address appended to X-Forwarded-For by that proxy.
"""

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from ondernemerspunt.accounts import client_ip

PROXY = "10.0.0.2"
ATTACKER = "203.0.113.66"
VICTIM = "198.51.100.7"


@pytest.fixture(autouse=True)
def behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.AXES_FAILURE_LIMIT = 5


def log_in(client, email, password, *, forwarded_for, remote=PROXY):
    return client.post(
        reverse("login"),
        {"username": email, "password": password},
        REMOTE_ADDR=remote,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def fail_five_times(client, email, *, forwarded_for):
    for _attempt in range(5):
        log_in(client, email, "fout", forwarded_for=forwarded_for)


def test_an_attacker_cannot_lock_out_the_owner_from_elsewhere(client, cast, password):
    fail_five_times(client, cast.coach.email, forwarded_for=ATTACKER)
    assert log_in(client, cast.coach.email, password, forwarded_for=ATTACKER).status_code == 429
    response = log_in(client, cast.coach.email, password, forwarded_for=VICTIM)
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_a_forged_header_cannot_choose_the_address_that_gets_locked(client, cast, password):
    # The attacker writes the victim's address into X-Forwarded-For; the proxy appends the
    # address the request really came from.
    forged = f"{VICTIM}, {ATTACKER}"
    fail_five_times(client, cast.coach.email, forwarded_for=forged)
    assert log_in(client, cast.coach.email, password, forwarded_for=ATTACKER).status_code == 429
    assert log_in(client, cast.coach.email, password, forwarded_for=VICTIM).status_code == 302


def test_a_forged_header_cannot_escape_the_lockout(client, cast, password):
    for attempt in range(5):
        log_in(client, cast.coach.email, "fout", forwarded_for=f"192.0.2.{attempt}, {ATTACKER}")
    forged = f"192.0.2.99, {ATTACKER}"
    assert log_in(client, cast.coach.email, password, forwarded_for=forged).status_code == 429


def test_a_new_password_through_the_reset_link_lifts_the_lockout(client, cast):
    fail_five_times(client, cast.coach.email, forwarded_for=VICTIM)
    new = "een-heel-nieuw-wachtwoord"
    assert log_in(client, cast.coach.email, new, forwarded_for=VICTIM).status_code == 429
    uid = urlsafe_base64_encode(force_bytes(cast.coach.pk))
    token = default_token_generator.make_token(cast.coach)
    url = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    form_page = client.get(url, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert response.url == reverse("password_reset_complete")
    assert log_in(client, cast.coach.email, new, forwarded_for=VICTIM).status_code == 302


@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded", "expected"),
    [
        (0, "192.0.2.1", "203.0.113.5", "192.0.2.1"),  # no proxy: the header is the client's
        (1, PROXY, "203.0.113.5", "203.0.113.5"),
        (1, PROXY, "1.2.3.4, 203.0.113.5", "203.0.113.5"),
        (2, PROXY, "1.2.3.4, 203.0.113.5, 10.0.0.1", "203.0.113.5"),
        (2, PROXY, "203.0.113.5", PROXY),  # fewer entries than proxies: not through them all
        (1, PROXY, "", PROXY),
        (1, PROXY, "unknown", PROXY),  # axes could not store it
        (1, PROXY, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_address_is_the_one_our_outermost_proxy_saw(
    rf, settings, trusted, remote, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = trusted
    request = rf.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected
