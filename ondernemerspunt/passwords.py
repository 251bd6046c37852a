"""The password rules (``AUTH_PASSWORD_VALIDATORS``), with messages in plain words.

Django's own validators miss what residents actually choose: our user has ``full_name`` where
Django looks for ``first_name`` and ``last_name``, so "Nadia1985" passed; and its list of common
passwords is compared letter for letter, so "Wachtwoord1" and "welkom12345" passed.
"""

import gzip
import re
from difflib import SequenceMatcher
from functools import cached_property
from pathlib import Path

from django.contrib.auth import password_validation as django_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

DUTCH_PASSWORD_LIST = Path(__file__).resolve().parent / "common_passwords_nl.txt"
DJANGO_PASSWORD_LIST = Path(django_validation.__file__).resolve().parent / "common-passwords.txt.gz"

NOT_A_LETTER = re.compile(r"[\W\d_]+")
# Digits and signs at either end are what people add to satisfy a rule ("Welkom2024!").
ENDS = re.compile(r"^[\W\d_]+|[\W\d_]+$")
# Look-alike characters inside a word: "W@chtw00rd" is still "wachtwoord".
LOOK_ALIKES = str.maketrans({"@": "a", "4": "a", "3": "e", "1": "i", "!": "i", "0": "o", "$": "s"})


def letters(text: str) -> str:
    return NOT_A_LETTER.sub("", text.lower())


class MinimumLengthValidator(django_validation.MinimumLengthValidator):
    """Django's check with our own message: Django 6.1 changed the wording and its Dutch
    catalogue has no translation of the new one yet, so residents would read English."""

    def get_error_message(self):
        return ngettext(
            "This password is too short. Use at least %(min_length)d character.",
            "This password is too short. Use at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}


class UserAttributeSimilarityValidator(django_validation.UserAttributeSimilarityValidator):
    """Not the person's name or e-mail address, with or without digits around it.

    Django's comparison of the whole password runs first (on ``full_name`` and ``email``). It
    lets "Nadia12345" through for Nadia: the digits make it different enough. So the letters of
    the password are also compared with each part of the name and of the e-mail's local part.
    """

    def __init__(self, user_attributes=("full_name", "email"), max_similarity=0.7):
        super().__init__(user_attributes=user_attributes, max_similarity=max_similarity)

    def validate(self, password, user=None):
        if not user:
            return
        try:
            super().validate(password, user)
        except ValidationError:
            self._refuse()
        core = letters(password)
        if core and any(self._too_much_like(core, part) for part in self._parts_of(user)):
            self._refuse()

    def _parts_of(self, user) -> set[str]:
        full_name = getattr(user, "full_name", "") or ""
        local_part = (getattr(user, "email", "") or "").split("@")[0]
        words = [*re.split(r"[\W\d_]+", full_name), *re.split(r"[\W\d_]+", local_part)]
        parts = {letters(full_name), letters(local_part), *(letters(w) for w in words)}
        # Two letters ("de", "jo") say nothing about the person.
        return {part for part in parts if len(part) >= 3}

    def _too_much_like(self, core: str, part: str) -> bool:
        if SequenceMatcher(a=core, b=part).ratio() >= self.max_similarity:
            return True
        # The name inside a little more: "nadianieuw" for Nadia Nieuw.
        return part in core and 2 * len(part) >= len(core)

    def _refuse(self):
        raise ValidationError(self.get_error_message(), code="password_too_similar")

    def get_error_message(self):
        return _("This password looks too much like your name or e-mail address.")

    def get_help_text(self):
        return _("Your password can't look like your name or e-mail address.")


MIN_WORD = 4


class CommonPasswordValidator:
    """Not a password many people use: Django's list and a Dutch one, compared after taking off
    digits, signs and look-alike characters, so "Welkom12345" and "W@chtw00rd!" count too."""

    def __init__(self, password_list_paths=(DUTCH_PASSWORD_LIST, DJANGO_PASSWORD_LIST)):
        self.password_list_paths = [Path(path) for path in password_list_paths]

    @cached_property
    def passwords(self) -> frozenset[str]:
        words = set()
        for path in self.password_list_paths:
            opener = gzip.open if path.suffix == ".gz" else open
            with opener(path, "rt", encoding="utf-8") as lines:
                words.update(line.strip().lower() for line in lines if not line.startswith("#"))
        words.discard("")
        return frozenset(words)

    def validate(self, password, user=None):
        word = ENDS.sub("", password.lower().strip())
        # The letters left over only count when there are enough of them to be a word someone
        # chose: "x81!92@83#74" is not the common "x".
        stripped = {letters(word), letters(word.translate(LOOK_ALIKES))}
        forms = {password.lower().strip()} | {w for w in stripped if len(w) >= MIN_WORD}
        if forms & self.passwords:
            raise ValidationError(self.get_error_message(), code="password_too_common")

    def get_error_message(self):
        return _("Many people use this password, so it is easy to guess. Choose another one.")

    def get_help_text(self):
        return _("Your password can't be one that many people use.")
