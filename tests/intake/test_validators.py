"""Cleaning what coaches type: postcodes, phone numbers, dates of birth, no BSN."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from intake.validators import (
    age_on,
    check_date_of_birth,
    normalise_phone,
    normalise_postcode,
    reject_bsn,
)


@pytest.mark.parametrize("typed", ["9713 ab", "9713AB", "9713 AB", "9713ab"])
def test_postcodes_are_written_one_way(typed):
    assert normalise_postcode(typed) == "9713 AB"


@pytest.mark.parametrize("typed", ["0713 AB", "9713", "9713 SA", "ABCD EF", "97131AB"])
def test_malformed_postcodes_are_refused(typed):
    with pytest.raises(ValidationError):
        normalise_postcode(typed)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0612345678", "06 12345678"),
        ("06-12345678", "06 12345678"),
        ("+31 6 12345678", "06 12345678"),
        ("0031612345678", "06 12345678"),
        ("050-3134567", "050 313 4567"),
        ("+32 470 12 34 56", "+32 470 12 34 56"),
    ],
)
def test_phone_numbers_are_written_one_way(typed, stored):
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize("typed", ["12345", "06-123", "bel me", "0612345678901"])
def test_malformed_phone_numbers_are_refused(typed):
    with pytest.raises(ValidationError):
        normalise_phone(typed)


def test_age_counts_the_birthday():
    born = datetime.date(1991, 3, 2)
    assert age_on(born, datetime.date(2009, 3, 1)) == 17
    assert age_on(born, datetime.date(2009, 3, 2)) == 18


def test_born_on_29_february_is_18_on_1_march():
    check_date_of_birth(datetime.date(1988, 2, 29), datetime.date(2006, 3, 1))
    with pytest.raises(ValidationError):
        check_date_of_birth(datetime.date(1988, 2, 29), datetime.date(2006, 2, 28))


def test_a_bsn_is_recognised_also_with_dots_or_spaces():
    for text in ("bsn 111222333", "BSN: 111.222.333", "nummer 1112 22 333"):
        with pytest.raises(ValidationError):
            reject_bsn(text)


def test_phone_numbers_and_amounts_are_no_bsn():
    reject_bsn("Bel 06 12345678 of 050 313 4567; lening van 123456789 euro? nee, 35000.")


def test_sort_keys_put_surname_prefixes_after_the_surname():
    from intake.models import sort_key_for_name

    assert sort_key_for_name("Saskia", "de Boer") == "boer de saskia"
    assert sort_key_for_name("Marloes", "van der Veen") == "veen van der marloes"
    assert sort_key_for_name("Mehmet", "Öztürk") == "ozturk mehmet"
    assert sort_key_for_name("Jan", "Van") == "van jan"
