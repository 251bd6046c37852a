"""Writes of the business plan: starting it, saving a part, autosave, handing it in, and the
invitation links that let a resident in. Reviews are ``coaching.reviews``.

Services take keyword-only arguments and raise the domain errors below, which views turn into
a message.
"""

import datetime
import hashlib
import secrets
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coaching.checks import Limits
from coaching.models import (
    INVITATION_DAYS,
    BusinessPlan,
    PlanInvitation,
    PlanRevision,
    PlanSection,
)
from coaching.notifications import notify_plan_submitted
from coaching.sections import SectionKey
from ondernemerspunt.http import bounded_version
from ondernemerspunt.models import AuditEntry, User
from ondernemerspunt.services import record_audit

# Someone who keeps asking for new links gets no more than this many a day.
SELF_REQUESTED_LINKS_PER_DAY = 3
AUTOSAVE_MAX_VALUE = 5000
AUTOSAVE_MAX_KEYS = 1000


class PlanError(Exception):
    """Something the user should be told about in a message; ``message`` is translated."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class SectionConflict(PlanError):
    """The part was saved elsewhere (another tab or device) after this typing began."""

    def __init__(self, section: PlanSection):
        super().__init__(
            _(
                "This part was saved somewhere else in the meantime (in another window or on "
                "another device). Nothing is lost: what you typed is still below. Compare it "
                "with what is saved now, then save again."
            )
        )
        self.section = section


# --- The plan and its parts -----------------------------------------------------------------
def start_plan(*, resident) -> BusinessPlan:
    """The resident's plan with all its parts, created the first time (safe to call again)."""
    plan = BusinessPlan.objects.filter(resident=resident).first()
    if plan is None:
        try:
            with transaction.atomic():
                plan = BusinessPlan.objects.create(resident=resident)
                PlanSection.objects.bulk_create(
                    PlanSection(plan=plan, key=key) for key in SectionKey.values
                )
        except IntegrityError:
            # Two first visits at once: the other request made it.
            plan = BusinessPlan.objects.get(resident=resident)
    plan.resident = resident
    return plan


def save_section(*, section: PlanSection, content: dict, version: int, by) -> PlanSection:
    """Save one part if nobody saved it since ``version``; otherwise raise ``SectionConflict``.

    The version check and the write are one UPDATE, so two saves at the same moment cannot
    both win.
    """
    now = timezone.now()
    with transaction.atomic():
        updated = PlanSection.objects.filter(pk=section.pk, version=version).update(
            data=content,
            version=F("version") + 1,
            saved_at=now,
            saved_by=by,
            autosave=None,
            autosave_version=None,
            autosaved_at=None,
        )
        if not updated:
            raise SectionConflict(PlanSection.objects.get(pk=section.pk))
        # What is there now differs from the handed-in revision: the plan is a draft again.
        BusinessPlan.objects.filter(pk=section.plan_id).update(
            status=BusinessPlan.Status.DRAFT, changed_at=now
        )
    section.refresh_from_db()
    return section


def autosave_values(post, allowed_names: set[str], rows_prefix: str = "") -> dict:
    """What the resident typed, as typed, limited to this part's own fields and sizes.

    The database refuses a NUL byte in text, so it is dropped here (Save reports it beside the
    field); a version that cannot be one is left out, as if the page had sent none."""
    values = {}
    for name in list(post.keys())[:AUTOSAVE_MAX_KEYS]:
        if name in allowed_names or (rows_prefix and name.startswith(f"{rows_prefix}-")):
            if "\x00" in name:
                continue
            values[name] = str(post.get(name, "")).replace("\x00", "")[:AUTOSAVE_MAX_VALUE]
    if "version" in values and bounded_version(values["version"]) is None:
        del values["version"]
    return values


def autosave_section(*, section: PlanSection, values: dict, version: int | None) -> PlanSection:
    """Keep what was typed but not saved. It never touches the saved content or its version."""
    now = timezone.now()
    PlanSection.objects.filter(pk=section.pk).update(
        autosave=values, autosave_version=version, autosaved_at=now
    )
    section.autosave, section.autosave_version, section.autosaved_at = values, version, now
    return section


def has_pending_autosave(section: PlanSection) -> bool:
    return bool(section.autosave) and (
        section.saved_at is None or section.autosaved_at > section.saved_at
    )


# --- Handing in -----------------------------------------------------------------------------
def submit_plan(*, plan: BusinessPlan, by, site: str) -> tuple[PlanRevision, bool]:
    """Freeze the plan as a new revision and tell the coach; ``(revision, created)``.

    Handing in twice without a change in between (a double click, two tabs) gives back the
    revision that is already there: the plan row is locked, so the second request waits and
    then sees ``submitted``.
    """
    with transaction.atomic():
        locked = BusinessPlan.objects.select_for_update().get(pk=plan.pk)
        latest = locked.revisions.order_by("-number").first()
        if locked.status == BusinessPlan.Status.SUBMITTED and latest is not None:
            return latest, False
        sections = {s.key: s.data for s in PlanSection.objects.filter(plan=locked)}
        if not any(sections.values()):
            raise PlanError(_("Your plan is still empty. Fill in a part first."))
        number = (locked.revisions.aggregate(Max("number"))["number__max"] or 0) + 1
        revision = PlanRevision.objects.create(
            plan=locked,
            number=number,
            submitted_by=by,
            snapshot={
                "sections": sections,
                "limits": Limits.of_desk(plan.resident.desk).as_json(),
            },
        )
        locked.status = BusinessPlan.Status.SUBMITTED
        locked.save(update_fields=["status"])
        notify_plan_submitted(revision, site=site)
    plan.status = locked.status
    return revision, True


# --- Invitations ----------------------------------------------------------------------------
def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def find_invitation(token: str) -> PlanInvitation | None:
    if not token or len(token) > 100:
        return None
    return (
        PlanInvitation.objects.select_related("resident", "resident__coach", "resident__user")
        .filter(token_hash=hash_token(token))
        .first()
    )


@dataclass
class SentInvitation:
    invitation: PlanInvitation
    token: str  # only ever in memory and in the e-mail, never stored


def _create_invitation(*, resident, by) -> SentInvitation:
    now = timezone.now()
    token = secrets.token_urlsafe(32)
    # A newer link replaces the older ones: only the latest works.
    PlanInvitation.objects.filter(
        resident=resident, used_at__isnull=True, replaced_at__isnull=True
    ).update(replaced_at=now)
    invitation = PlanInvitation.objects.create(
        resident=resident,
        email=resident.email.lower(),
        token_hash=hash_token(token),
        created_at=now,
        expires_at=now + datetime.timedelta(days=INVITATION_DAYS),
        created_by=by,
    )
    return SentInvitation(invitation, token)


def _send_invitation_mail(sent: SentInvitation, link: str) -> None:
    # Sent in the request, not as a background task: a queued task would store the token in
    # the task table, and only a hash of it may ever be stored.
    resident = sent.invitation.resident
    context = {"resident": resident, "link": link, "invitation": sent.invitation}
    message = EmailMessage(
        subject=render_to_string("coaching/email/invitation_subject.txt", context).strip(),
        body=render_to_string("coaching/email/invitation.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[sent.invitation.email],
        reply_to=[resident.coach.email] if resident.coach else None,
    )
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        # The caller's transaction rolls back: no link is stored that nobody received.
        raise PlanError(
            _("The e-mail could not be sent just now. Nothing was changed; please try again later.")
        ) from error


def invite_resident(*, resident, by, link_for) -> PlanInvitation:
    """Send the resident a personal link to choose a password and write their plan.

    ``link_for(token)`` builds the absolute link. Raises ``PlanError`` when the resident has no
    e-mail address, no consent, already a password, or the address belongs to someone else's
    account.
    """
    if not resident.email:
        raise PlanError(_("This resident has no e-mail address. Add one to the file first."))
    if not resident.has_consent():
        raise PlanError(_("Record the resident's consent first."))
    if _has_password(resident.user):
        # The link would only say "you already have an account": a forgotten password is
        # what the reset link on the login page is for.
        raise PlanError(
            _(
                "The resident already logs in with a password. Forgot it? She chooses a new one "
                "with 'Forgot your password?' on the login page."
            )
        )
    taken = User.objects.filter(email__iexact=resident.email).exclude(pk=resident.user_id)
    if taken.exists():
        raise PlanError(
            _(
                "There is already an account with this e-mail address that is not this "
                "resident's. Ask the coordinator."
            )
        )
    with transaction.atomic():
        sent = _create_invitation(resident=resident, by=by)
        start_plan(resident=resident)
        record_audit(
            by=by,
            action=AuditEntry.Action.CREATED,
            what=gettext_lazy("Invitation to write the business plan sent"),
            resident=resident,
        )
        _send_invitation_mail(sent, link_for(sent.token))
    return sent.invitation


def renew_invitation(*, invitation: PlanInvitation, link_for) -> PlanInvitation:
    """The resident asks for a new link from an expired or replaced one."""
    resident = invitation.resident
    if not resident.email:
        raise PlanError(_("We cannot send a new link. Please contact your coach."))
    since = timezone.now() - datetime.timedelta(days=1)
    recent = PlanInvitation.objects.filter(
        resident=resident, created_by__isnull=True, created_at__gte=since
    ).count()
    if recent >= SELF_REQUESTED_LINKS_PER_DAY:
        raise PlanError(_("You have asked for several new links today. Please contact your coach."))
    with transaction.atomic():
        sent = _create_invitation(resident=resident, by=None)
        _send_invitation_mail(sent, link_for(sent.token))
    return sent.invitation


# States of a link beside the model's own (valid, used, expired, replaced).
ADDRESS_CHANGED = "address_changed"  # the file's e-mail address is no longer the one it went to
HAS_LOGIN = "has_login"  # the resident already logs in with a password


def _sent_to_current_address(invitation: PlanInvitation, resident) -> bool:
    return invitation.email.strip().lower() == (resident.email or "").strip().lower()


def _has_password(user) -> bool:
    return user is not None and user.has_usable_password()


def invitation_state(invitation: PlanInvitation | None) -> str:
    """What the link may still do, for the page that opens it.

    A link belongs to the address it was sent to: once the file's address changes, it stops
    and is marked replaced (intake may not call up into coaching, so the check is made here,
    whenever the link is opened). It never sets the password of a login that already has one.
    """
    if invitation is None:
        return "unknown"
    state = invitation.state()
    if state == PlanInvitation.State.USED:
        return state
    if not _sent_to_current_address(invitation, invitation.resident):
        if state == PlanInvitation.State.VALID:
            invitation.replaced_at = timezone.now()
            PlanInvitation.objects.filter(pk=invitation.pk, replaced_at__isnull=True).update(
                replaced_at=invitation.replaced_at
            )
        return ADDRESS_CHANGED
    if _has_password(invitation.resident.user):
        return HAS_LOGIN
    return state


def accept_invitation(*, invitation: PlanInvitation, password: str):
    """Use the link once: create the resident's login with this password (or give a login
    without one its first password).

    The invitation row is locked, so a link used in two windows at once works only once. The
    file is locked too, and read again: its address or login may have changed since the page
    with the form was opened.
    """
    from intake.models import Resident

    with transaction.atomic():
        locked = PlanInvitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.state() != PlanInvitation.State.VALID:
            raise PlanError(_("This link no longer works."))
        resident = Resident.objects.select_for_update().get(pk=locked.resident_id)
        if not _sent_to_current_address(locked, resident):
            # Not marked replaced here: raising rolls this transaction back; the problem page
            # asks ``invitation_state``, which marks it.
            raise PlanError(_("This link no longer works."))
        user = resident.user
        if _has_password(user):
            raise PlanError(_("You already have an account. Log in."))
        if user is None:
            if User.objects.filter(email__iexact=locked.email).exists():
                raise PlanError(
                    _("There is already an account with this e-mail address. Ask your coach.")
                )
            user = User.objects.create_user(locked.email, password, full_name=resident.full_name)
            # Only the login link changes; the file's own version stays as it is.
            Resident.objects.filter(pk=resident.pk).update(user=user)
        else:
            user.set_password(password)
            user.is_active = True
            user.save(update_fields=["password", "is_active"])
        now = timezone.now()
        locked.used_at = now
        locked.save(update_fields=["used_at"])
        PlanInvitation.objects.filter(
            resident=resident, used_at__isnull=True, replaced_at__isnull=True
        ).update(replaced_at=now)
        start_plan(resident=resident)
    return user


def new_resident_user_for_validation(invitation: PlanInvitation):
    """An unsaved user for the password rules (not too like the name or e-mail address)."""
    resident = invitation.resident
    return resident.user or User(email=invitation.email, full_name=resident.full_name)
