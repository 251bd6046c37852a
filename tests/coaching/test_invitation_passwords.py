"""The password a resident chooses with the invitation link: not her own name or e-mail
address, not a password many Dutch people use (see also tests/ondernemerspunt/test_passwords.py).
"""

import pytest
from django.urls import reverse

from tests.coaching.test_invitation import choose_password, invite, link_in
from tests.factories import make_resident
from tests.ondernemerspunt.test_passwords import GOOD, TOO_COMMON, TOO_LIKE_ME, message


@pytest.fixture
def newcomer(cast):
    return make_resident(
        cast.desk,
        coach=cast.coach,
        consent_by=cast.coach,
        first_name="Nadia",
        last_name="Nieuw",
        email="kapsalon.krul@example.test",
    )


@pytest.fixture
def link(client, client_for, newcomer, mailoutbox):
    invite(client_for, newcomer)
    client.logout()
    return link_in(mailoutbox[0])


@pytest.mark.parametrize(
    "password, refusal",
    [
        ("Wachtwoord1", TOO_COMMON),
        ("welkom12345", TOO_COMMON),
        ("Nadia12345", TOO_LIKE_ME),  # her first name and digits
        ("NadiaNieuw85", TOO_LIKE_ME),  # her whole name
        ("kapsalon.krul", TOO_LIKE_ME),  # the e-mail address before the @
    ],
)
def test_an_easy_password_is_refused_in_plain_words(client, link, newcomer, password, refusal):
    page = choose_password(client, link, password).content.decode()
    assert message(refusal) in page
    newcomer.refresh_from_db()
    assert newcomer.user is None
    # The link still works for a better try.
    response = choose_password(client, link, GOOD)
    assert response.redirect_chain[-1][0] == reverse("coaching:plan_home")
    newcomer.refresh_from_db()
    assert newcomer.user.check_password(GOOD)
