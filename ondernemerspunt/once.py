"""A form is saved once: a one-time token, issued with the form, used by the first POST only.

The page carries the token in a hidden field (``FIELD``). The view saves inside ``once(...)``:
the token is recorded in ``FormSubmission`` in the same transaction as the save, so of two
POSTs with the same token (a double click, a resent form) exactly one saves; the other raises
``AlreadySaved`` with the address of what the first one made.
"""

import re
import secrets
from contextlib import contextmanager

from django.db import IntegrityError, transaction

from ondernemerspunt.models import FormSubmission

FIELD = "form_token"
_VALID = re.compile(r"[A-Za-z0-9_-]{20,64}")


class AlreadySaved(Exception):
    """This form was saved before; ``url`` shows what it made."""

    def __init__(self, url: str):
        super().__init__(url)
        self.url = url


def new_token() -> str:
    return secrets.token_urlsafe(24)


def token_of(request) -> str:
    """The token a POST carries; a fresh one for a page shown for the first time. A mangled
    value counts as none (such a form is saved without the check, as before tokens).

    Raises ``AlreadySaved`` when the POST's token was used already, before the form is even
    validated: a resent form goes straight to what the first one made."""
    if request.method != "POST":
        return new_token()
    token = request.POST.get(FIELD, "")
    if not _VALID.fullmatch(token):
        return ""
    used = FormSubmission.objects.filter(token=token).first()
    if used is not None:
        raise AlreadySaved(used.result_url)
    return token


class Submission:
    def __init__(self, row):
        self.row = row

    def saved(self, url: str) -> None:
        """Where what was saved can be seen (the second POST is sent there)."""
        if self.row is not None:
            self.row.result_url = url[:500]
            self.row.save(update_fields=["result_url"])


@contextmanager
def once(token: str):
    """Save inside this block: one transaction with the token's row. A second POST with the same
    token waits for the first to finish, then raises ``AlreadySaved``."""
    with transaction.atomic():
        row = None
        if token:
            try:
                with transaction.atomic():
                    row = FormSubmission.objects.create(token=token)
            except IntegrityError:
                raise AlreadySaved(FormSubmission.objects.get(token=token).result_url) from None
        yield Submission(row)


def already_saved(request, saved: AlreadySaved, fallback: str):
    """A second POST of a form that was saved (a double click, a resent page): show what the
    first one made instead of saving it twice."""
    from django.contrib import messages
    from django.shortcuts import redirect
    from django.utils.translation import gettext as _

    messages.info(request, _("This form was already sent and saved once. Here is the result."))
    return redirect(saved.url or fallback)
