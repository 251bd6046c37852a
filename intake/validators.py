"""Clean and check what coaches type: postcodes, phone numbers, dates of birth, free text.

Each function either returns the value in the one form we store, or raises a ValidationError
with a message that tells the coach what to type instead.
"""

import datetime
import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import bsn
from stdnum.nl import postcode as nl_postcode

MINIMUM_AGE = 18
# Nobody alive was born before this year; an older date is a typing error.
OLDEST_YEAR = 1900

_NINE_DIGITS = re.compile(r"(?<!\d)(\d[\s.]?){8}\d(?!\d)")


def normalise_postcode(value: str) -> str:
    """'9713 ab', '9713AB' and '9713 AB' all become '9713 AB'."""
    try:
        return nl_postcode.validate(value)
    except StdnumError:
        raise ValidationError(
            _("This is not a Dutch postcode. Write four digits and two letters, like 9713 AB."),
            code="postcode",
        ) from None


def normalise_phone(value: str) -> str:
    """A Dutch number in the national form ('06 12345678', '050 313 4567'); a foreign number in
    the international form ('+32 …')."""
    message = _(
        "This is not a phone number we can call. Write it like 06 12345678 or 050 313 4567; "
        "a foreign number starts with + and the country code."
    )
    try:
        number = phonenumbers.parse(value, "NL")
    except phonenumbers.NumberParseException:
        raise ValidationError(message, code="phone") from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(message, code="phone")
    form = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 31
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, form)


def phone_digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def age_on(date_of_birth: datetime.date, day: datetime.date) -> int:
    before_birthday = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - before_birthday


def check_date_of_birth(date_of_birth: datetime.date, registered_on: datetime.date) -> None:
    """18 or older on the day of registration; no dates in the future or centuries ago."""
    if date_of_birth > registered_on:
        raise ValidationError(
            _("This date of birth lies after the day of registration. Check the year."),
            code="future",
        )
    if date_of_birth.year < OLDEST_YEAR:
        raise ValidationError(
            _("This date of birth is too long ago. Check the year."), code="too_old"
        )
    age = age_on(date_of_birth, registered_on)
    if age < MINIMUM_AGE:
        raise ValidationError(
            _(
                "The desk helps residents of 18 and older. On the day of registration "
                "(%(day)s) this person is %(age)s."
            ),
            code="under_age",
            params={"day": registered_on.strftime("%d-%m-%Y"), "age": age},
        )


def reject_bsn(text: str) -> None:
    """The desk never stores a citizen service number (BSN), also not in a note."""
    for match in _NINE_DIGITS.finditer(text or ""):
        if bsn.is_valid(re.sub(r"\D", "", match.group())):
            raise ValidationError(
                _(
                    "This looks like a citizen service number (BSN). The desk never stores a "
                    "BSN: please leave it out."
                ),
                code="bsn",
            )
