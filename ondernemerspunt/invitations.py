"""Invitations for the desk's people (issue 12): a link with which someone a coordinator
invited chooses their first password.

The link carries a token from ``InvitationTokenGenerator`` (Django's reset tokens with a salt of
their own, so a reset link is no invitation and the other way round). It stops working once a
password is set, because the hash covers the password, and after ``INVITATION_DAYS``. The token is
never stored: the background task that sends the mail makes it, and its arguments name only the
membership.
"""

import datetime

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes, force_str
from django.utils.http import base36_to_int, urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext_lazy

from ondernemerspunt.models import AuditEntry, Membership, User
from ondernemerspunt.services import record_desk_audit

INVITATION_DAYS = 7


def is_invited(user) -> bool:
    """Invited but not yet in: no password chosen and never logged in."""
    return not user.has_usable_password() and user.last_login is None


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """Django's reset token with a salt of its own (a reset link is no invitation and the
    other way round) and its own lifetime. It stops working once a password is set."""

    key_salt = "ondernemerspunt.invitations.InvitationTokenGenerator"

    def state(self, user, token: str) -> str:
        """ "valid", "expired" (a real link, too old) or "unknown" (wrong, or used)."""
        if not (user and token) or token.count("-") != 1:
            return "unknown"
        ts_b36 = token.split("-")[0]
        try:
            ts = base36_to_int(ts_b36)
        except ValueError:
            return "unknown"
        for secret in [self.secret, *self.secret_fallbacks]:
            if constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token):
                break
        else:
            return "unknown"
        if self._num_seconds(self._now()) - ts > INVITATION_DAYS * 24 * 60 * 60:
            return "expired"
        return "valid"

    def check_token(self, user, token):
        return self.state(user, token) == "valid"


invitation_tokens = InvitationTokenGenerator()


def invitation_link(user, site: str) -> str:
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = invitation_tokens.make_token(user)
    return site + reverse("invitation_accept_staff", kwargs={"uidb64": uidb64, "token": token})


def invited_user(uidb64: str):
    """The user a link names, or None."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
        return None
    if not 0 < pk < 2**63:
        return None
    return User.objects.filter(pk=pk).first()


def invitation_state(user, token: str) -> str:
    """ "valid", "expired" or "unknown" (a wrong link, a used one, or a person who no longer
    works at any desk). A used link is not told apart from a wrong one: a guessed link must
    not learn whether an account has a password."""
    if user is None or not user.is_active or not is_invited(user):
        return "unknown"
    if not Membership.objects.filter(user=user, is_active=True).exists():
        return "unknown"
    return invitation_tokens.state(user, token)


def accept_invitation(*, user, token: str, password: str):
    """Set the first password; the link stops working with it. None when the link no longer
    works (used a moment ago in another window)."""
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if invitation_state(locked, token) != "valid":
            return None
        locked.set_password(password)
        locked.save(update_fields=["password"])
        for desk_id in (
            Membership.objects.filter(user=locked, is_active=True)
            .values_list("desk_id", flat=True)
            .distinct()
        ):
            record_desk_audit(
                by=locked,
                desk_id=desk_id,
                action=AuditEntry.Action.CHANGED,
                what=gettext_lazy("%(name)s accepted the invitation and chose a password"),
                params={"name": locked.full_name},
            )
    return locked


@task()
def send_staff_invitation(*, membership_id: int, site: str, invited_by_id: int) -> None:
    """The invitation mail, in Dutch. Nothing when the person has chosen a password or was
    deactivated before the worker got to it."""
    membership = (
        Membership.objects.select_related("user", "desk", "partner")
        .filter(pk=membership_id)
        .first()
    )
    if membership is None or not membership.is_active or not is_invited(membership.user):
        return
    user = membership.user
    invited_by = User.objects.filter(pk=invited_by_id).first()
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "user": user,
            "membership": membership,
            "desk": membership.desk,
            "invited_by": invited_by,
            "link": invitation_link(user, site),
            "until": timezone.localtime() + datetime.timedelta(days=INVITATION_DAYS),
        }
        EmailMessage(
            subject=render_to_string(
                "ondernemerspunt/desk/email_invitation_subject.txt", context
            ).strip(),
            body=render_to_string("ondernemerspunt/desk/email_invitation.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[user.email],
            reply_to=[invited_by.email] if invited_by else None,
        ).send()
