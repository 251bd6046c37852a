import re

import pytest
from django.urls import reverse

from ondernemerspunt.models import User

WRONG_LOGIN = "komen niet overeen met een actief account"


@pytest.fixture
def argon2(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]


def post_login(client, email, password):
    return client.post(reverse("login"), {"username": email, "password": password})


def test_passwords_are_hashed_with_argon2(cast, argon2):
    user = User.objects.create_user("nieuw@example.test", "een-lang-wachtwoord", full_name="Nieuw")
    assert user.password.startswith("argon2$")


def test_it_logs_in_with_the_email_address_in_any_case(client, cast, password):
    response = post_login(client, cast.coach.email.upper(), password)
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_a_wrong_password_gets_a_dutch_message_and_keeps_the_address(client, cast):
    response = post_login(client, cast.coach.email, "fout")
    assert response.status_code == 200
    assert WRONG_LOGIN in response.content.decode()
    assert f'value="{cast.coach.email}"' in response.content.decode()


def without_csrf_token(page):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def test_an_unknown_account_gets_the_same_page(client, cast):
    known = post_login(client, cast.coach.email, "fout").content.decode()
    unknown = post_login(client, "niemand@example.test", "fout").content.decode()
    assert WRONG_LOGIN in unknown
    assert without_csrf_token(known.replace(cast.coach.email, "X")) == without_csrf_token(
        unknown.replace("niemand@example.test", "X")
    )


def test_an_inactive_account_cannot_log_in(client, cast, password):
    cast.coach.is_active = False
    cast.coach.save()
    response = post_login(client, cast.coach.email, password)
    assert response.status_code == 200
    assert WRONG_LOGIN in response.content.decode()


@pytest.mark.parametrize("exists", [True, False])
def test_five_wrong_passwords_lock_out_without_revealing_the_account(
    client, cast, password, exists, settings
):
    settings.AXES_FAILURE_LIMIT = 5
    email = cast.coach.email if exists else "niemand@example.test"
    for _attempt in range(5):
        post_login(client, email, "fout")
    response = post_login(client, email, password)
    assert response.status_code == 429
    assert "Te veel pogingen" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_needs_a_post_and_ends_the_session(client, cast):
    client.force_login(cast.coach, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next=/"


def test_failed_and_locked_out_logins_log_no_email_address(client, cast, caplog):
    # DESIGN: no personal data in logs. django-axes writes a warning for every failed login and
    # every lockout; by default that line names the e-mail address that was typed.
    caplog.set_level("DEBUG")
    for _attempt in range(6):
        post_login(client, cast.coach.email, "fout")
    assert "AXES" in caplog.text  # the lines are still written, for the operator
    assert cast.coach.email not in caplog.text.lower()
