"""The password rules where people choose a password themselves: the reset link (here) and
the invitation (tests/coaching/test_invitation_passwords.py). Not the person's own name or
e-mail address, not a password many Dutch people use, whatever digits are added."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from ondernemerspunt.passwords import CommonPasswordValidator, UserAttributeSimilarityValidator
from tests.factories import make_user

GOOD = "tulpen-op-de-markt-in-mei"


TOO_COMMON = CommonPasswordValidator
TOO_LIKE_ME = UserAttributeSimilarityValidator


def message(validator_class):
    """The refusal as a Dutch page shows it."""
    with translation.override("nl"):
        return str(validator_class().get_error_message())


def codes(password, user):
    try:
        validate_password(password, user)
    except ValidationError as error:
        return {e.code for e in error.error_list}
    return set()


@pytest.fixture
def fatima(db):
    return make_user(full_name="Fatima el Amrani", email="bloemenzaak.fatima@example.test")


def choose_through_reset_link(client, user, password):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    form_page = client.get(
        reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token}), follow=True
    )
    return client.post(
        form_page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}
    )


@pytest.mark.parametrize(
    "password, refusal",
    [
        ("Wachtwoord1", TOO_COMMON),
        ("welkom12345", TOO_COMMON),
        ("Fatima2009!", TOO_LIKE_ME),  # her first name and a year
        ("elAmrani1985", TOO_LIKE_ME),  # her surname
        ("bloemenzaak2009", TOO_LIKE_ME),  # the e-mail address before the @
    ],
)
def test_the_reset_link_refuses_an_easy_password_in_plain_words(client, fatima, password, refusal):
    response = choose_through_reset_link(client, fatima, password)
    assert response.status_code == 200
    assert message(refusal) in response.content.decode()
    fatima.refresh_from_db()
    assert not fatima.check_password(password)


def test_the_reset_link_accepts_a_good_passphrase(client, fatima):
    response = choose_through_reset_link(client, fatima, GOOD)
    assert response.status_code == 302
    fatima.refresh_from_db()
    assert fatima.check_password(GOOD)


@pytest.mark.parametrize(
    "password",
    ["Welkom2024!", "W@chtw00rd!!", "voetbal-2009", "GEHEIM123456", "ik hou van jou"],
)
def test_digits_signs_and_look_alikes_do_not_hide_a_common_password(fatima, password):
    assert "password_too_common" in codes(password, fatima)


@pytest.mark.parametrize("password", ["Fatima-1985", "FATIMA.EL.AMRANI", "amrani-fatima-1"])
def test_her_name_in_any_form_is_refused(fatima, password):
    assert "password_too_similar" in codes(password, fatima)


@pytest.mark.parametrize(
    "password",
    [
        GOOD,
        "een-goed-wachtwoord-2009",  # a common word inside a passphrase is fine
        "fatima-verkoopt-bloemen-op-zaterdag",  # so is her name inside a long one
        "correct-horse-battery-staple",
        "x81!92@83#74",  # random: the one letter left is no common word
        "7305!a#9910",
    ],
)
def test_passphrases_pass(fatima, password):
    assert codes(password, fatima) == set()
