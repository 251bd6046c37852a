"""Withdrawing consent, erasing a file (AVG art. 7(3) and 17) and the desk's retention period.

What stays, and why (the progress dashboard, ``ondernemerspunt/progress/figures.py``, counts
``StageChange`` rows by desk, stage, date and drop-out reason, ``Conversation`` rows by desk,
kind and date, and the resident's situation, source, referring partner and neighbourhood):

- **Withdrawn consent.** The file keeps first and last name, phone and e-mail, so that the desk
  can still reach the resident and knows not to ask again; the consent rows stay with their
  withdrawal date (the proof of what was agreed and when it ended). Everything else typed about
  her goes: address, postcode, date of birth, business idea, sector, languages, the notes and
  support needs of conversations, next steps, corrections (their before/after values), stage
  change notes, copies of her data, her login, the organisation and role she gave when she
  registered for an info evening, and whatever the apps above registered (coaching:
  the business plan with its versions and reviews, invitations). Her situation (work,
  benefits), how she found the desk and her neighbourhood go too: beside her name they are
  personal data, and the consent text promises that only name and contact stay. The desk's
  totals stay (the conversation rows with date, kind and coach; the stage changes with date,
  stage and drop-out reason; the file's stage and registration date); only the breakdowns of
  past participants by situation, source and neighbourhood count her as "unknown" from then on.
- **Erasure.** The file's texts as at withdrawal, and also the name and contact details (the
  name becomes "Gewiste bewoner"), the coach, every consent, and the ``erased_at`` mark is set.
  Situation, source and neighbourhood stay: without a name they are anonymous, and the desk's
  past figures do not change. Her registrations for info evenings are erased as the keeping
  period erases those of people who never became a resident (``intake.evenings.
  erase_registration``): the rows stay, with kind, attendance and kind of organisation, for the
  evening figures. The erased file is left
  out of lists and searches and its page says only that it was erased. The audit trail names
  the file by number only, as it always does.

A file is erased in one transaction: every registered eraser runs, or none does.

Retention: a desk may keep files for ``Desk.retention_days`` days after

- ``last_contact``: the latest of the registration date, the last conversation and the last
  stage change;
- ``aftercare_end``: the same date, but only for files whose trajectory has ended (stage
  aftercare, dropped out or referred elsewhere). The end of aftercare is not recorded as an
  event of its own: its last contact or stage change stands for it. Files still in the
  trajectory are never proposed under this rule.

The daily job (``list_retention_candidates``, run by the worker and by ``manage.py
list_retention``) proposes the files past the rule as ``PlannedErasure(reason=retention)``; the
coordinator confirms them, and the task ``erase_confirmed_task`` erases the confirmed ones, one
file per transaction, so that a run that stopped resumes with the files not yet done. A proposal
the coordinator keeps is deleted: if the file is still past the rule the next day, it is proposed
again (the honest answer: the rule still says so; recording a contact, or changing the rule,
ends it). A proposal whose file is no longer past the rule (a new contact, a changed rule) is
withdrawn by the daily job itself.
"""

import datetime
import logging

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import (
    DateField,
    Exists,
    F,
    Max,
    OuterRef,
    Subquery,
)
from django.db.models.deletion import ProtectedError, RestrictedError
from django.db.models.functions import Coalesce, Greatest
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from intake import privacy
from intake.evenings import erase_registration
from intake.models import (
    Consent,
    Conversation,
    Correction,
    DataCopy,
    NextStep,
    PlannedErasure,
    Registration,
    Resident,
    Stage,
    StageChange,
)
from ondernemerspunt.models import AuditEntry, Desk, User
from ondernemerspunt.services import record_audit, record_desk_audit

logger = logging.getLogger(__name__)

# What an erased file is called where a name is shown (stored, so that every page that prints
# ``Resident.full_name`` shows it without knowing about erasure).
ERASED_FIRST_NAME = "Gewiste"
ERASED_LAST_NAME = "bewoner"
# Under the rule "counted from the end of aftercare": the stages in which a trajectory has ended.
ENDED_STAGES = (Stage.AFTERCARE, Stage.DROPPED_OUT, Stage.REFERRED_OUT)


class ErasureError(Exception):
    """A privacy action that cannot be done (no consent to withdraw, erased already)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


# --- Traces outside the apps' own tables ---------------------------------------------------
def forget_admin_log(model, pks) -> None:
    """Delete the admin's history lines of these objects: they quote ``str(obj)``, which may
    be a name or a next step's text."""
    pks = [str(pk) for pk in pks]
    if pks:
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id__in=pks
        ).delete()


def _forget_addresses(addresses) -> None:
    """Failed logins (django-axes) and queued or finished password-reset mails carry the
    e-mail address that was typed; both are about this person once the file goes."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    for address in {a.strip().lower() for a in addresses if a and a.strip()}:
        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            model.objects.filter(username__iexact=address).delete()
        DBTaskResult.objects.filter(args_kwargs__kwargs__email__iexact=address).exclude(
            status=TaskResultStatus.RUNNING
        ).delete()


def _remove_login(user_id) -> None:
    """Delete the resident's login; when the audit trail (append-only) or a kept row points at
    it, keep the row without anything personal in it, unable to log in."""
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return
    address = user.email
    forget_admin_log(User, [user.pk])
    try:
        with transaction.atomic():
            user.delete()
    except (ProtectedError, RestrictedError):
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice

        user.email = f"gewist-{user.pk}@gewist.invalid"
        user.full_name = ""
        user.phone = ""
        user.is_active = False
        user.is_staff = False
        user.is_superuser = False
        user.set_unusable_password()
        user.save()
        user.memberships.all().delete()
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
    _forget_addresses([address])


# --- Intake's own eraser and withdrawer (registered in intake/apps.py) ----------------------
def _blank_the_history(resident: Resident) -> None:
    """What both withdrawal and erasure remove from the history: the texts, not the rows that
    are counted."""
    steps = list(NextStep.objects.filter(resident=resident).values_list("pk", flat=True))
    forget_admin_log(NextStep, steps)
    forget_admin_log(Resident, [resident.pk])
    Correction.objects.filter(resident=resident).delete()
    NextStep.objects.filter(resident=resident).delete()
    Conversation.objects.filter(resident=resident).update(notes="", support_needs=[])
    StageChange.objects.filter(resident=resident).update(note="")
    DataCopy.objects.filter(resident=resident).delete()


# What a withdrawal removes from the file itself: all but name, phone and e-mail (and the facts
# the counts are made of, see the module docstring).
WITHDRAWN = {
    "street": "",
    "postcode": "",
    "city": "",
    "date_of_birth": None,
    "business_idea": "",
    "sector": "",
    "languages": "",
}


# What only a withdrawal removes besides: beside a name these are personal, without one (an
# erased file) they are anonymous facts the past figures are made of.
BESIDE_A_NAME = {
    "situation": "",
    "source": "",
    "source_partner": None,
    "neighbourhood": None,
}


def _withdraw_registrations(resident: Resident) -> None:
    """Her info evening registrations after a withdrawal: what goes beyond name and contact
    goes, as in the file (the organisation and role she gave), and so does her yes to being
    contacted about the desk, which she has just taken back. Name, e-mail and phone stay, like
    the file's: a coming evening she registered for still knows who she is, can send her the
    reminder, and keeps her on the door list. Not erased outright: the link to her file stays,
    so the erasure of the file (or the retention rule) erases them with it later."""
    Registration.objects.filter(resident=resident, erased_at__isnull=True).update(
        organisation="", role="", may_contact=False
    )


def withdraw_intake_data(resident: Resident) -> None:
    """Withdrawn consent: only name, phone and e-mail stay in the file (module docstring)."""
    _blank_the_history(resident)
    _withdraw_registrations(resident)
    for name, value in (WITHDRAWN | BESIDE_A_NAME).items():
        setattr(resident, name, value)
    Resident.objects.filter(pk=resident.pk).update(
        **WITHDRAWN,
        **BESIDE_A_NAME,
        search_text=resident.build_search_text(),
        version=F("version") + 1,
        updated_at=timezone.now(),
    )


def erase_intake_data(resident: Resident) -> None:
    """Erasure: nothing personal stays; the counted rows stay anonymous (module docstring)."""
    _blank_the_history(resident)
    # Her info evening registrations: blanked, the rows kept for the figures (still linked to
    # the erased file, so "an intake within 3 months" still counts her, anonymously).
    registrations = list(Registration.objects.filter(resident=resident, erased_at__isnull=True))
    forget_admin_log(Registration, [r.pk for r in registrations])
    for registration in registrations:
        erase_registration(registration)
    forget_admin_log(Consent, resident.consents.values_list("pk", flat=True))
    resident.consents.all().delete()
    now = timezone.now()
    Resident.objects.filter(pk=resident.pk).update(
        **WITHDRAWN,
        first_name=ERASED_FIRST_NAME,
        last_name=ERASED_LAST_NAME,
        phone="",
        email="",
        coach=None,
        search_text="",
        sort_name="",
        erased_at=now,
        version=F("version") + 1,
        updated_at=now,
    )


# --- The services ---------------------------------------------------------------------------
def _locked(resident: Resident) -> Resident:
    # Of two clicks at once, the second waits and then finds the work done.
    return (
        Resident.objects.select_for_update(of=("self",)).select_related("desk").get(pk=resident.pk)
    )


@transaction.atomic
def withdraw_consent(*, resident: Resident, by) -> Resident:
    """The resident withdraws her consent: it ends now, and every app removes what it may no
    longer keep, in this one transaction."""
    locked = _locked(resident)
    if locked.erased_at is not None:
        raise ErasureError(_("This file has been erased."))
    now = timezone.now()
    if not Consent.objects.filter(resident=locked, withdrawn_at__isnull=True).update(
        withdrawn_at=now
    ):
        raise ErasureError(
            _("There is no consent to withdraw: the resident has not given it, or withdrew it.")
        )
    user_id = locked.user_id
    for withdrawer in privacy.withdrawers():
        withdrawer(locked)
    if user_id is not None:
        Resident.objects.filter(pk=locked.pk).update(user=None)
        _remove_login(user_id)
    record_audit(
        by=by,
        action=AuditEntry.Action.CHANGED,
        what=gettext_lazy("Consent withdrawn; the file was reduced to name and contact details"),
        resident=locked,
    )
    resident.refresh_from_db()
    return resident


@transaction.atomic
def erase_resident(
    *, resident: Resident, by, reason: str = PlannedErasure.Reason.REQUEST
) -> PlannedErasure:
    """Erase the file: every registered eraser runs in this one transaction, the login goes,
    and the erasure is recorded (as a done ``PlannedErasure`` and in the audit trail, by
    number). An open proposal for the file is closed by it."""
    locked = _locked(resident)
    if locked.erased_at is not None:
        raise ErasureError(_("This file has already been erased."))
    user_id, address = locked.user_id, locked.email
    for eraser in privacy.erasers():
        eraser(locked)
    if user_id is not None:
        Resident.objects.filter(pk=locked.pk).update(user=None)
        _remove_login(user_id)
    _forget_addresses([address])
    now = timezone.now()
    planned = (
        PlannedErasure.objects.select_for_update()
        .filter(resident=locked, done_at__isnull=True)
        .first()
    )
    if planned is None:
        planned = PlannedErasure(resident=locked, desk_id=locked.desk_id, reason=reason)
    else:
        planned.reason = reason
    if planned.confirmed_at is None:
        planned.confirmed_by, planned.confirmed_at = by, now
    planned.done_at = now
    planned.save()
    record_audit(
        by=by,
        action=AuditEntry.Action.ERASED,
        what=gettext_lazy("File erased (%(reason)s)"),
        params={"reason": PlannedErasure.Reason(planned.reason).label},
        resident=locked,
    )
    resident.refresh_from_db()
    return planned


# --- Retention ------------------------------------------------------------------------------
def last_contact(resident_ref: str = "pk"):
    """The date a file was last worked on: the latest of its registration, its last conversation
    and its last stage change. ``resident_ref`` names the resident's id in the outer query."""
    conversations = (
        Conversation.objects.filter(resident=OuterRef(resident_ref))
        .order_by()
        .values("resident")
        .annotate(day=Max("held_on"))
        .values("day")
    )
    changes = (
        StageChange.objects.filter(resident=OuterRef(resident_ref))
        .order_by()
        .values("resident")
        .annotate(day=Max("changed_on"))
        .values("day")
    )
    registered = "registered_on" if resident_ref == "pk" else "resident__registered_on"
    return Greatest(
        F(registered),
        Coalesce(Subquery(conversations, output_field=DateField()), F(registered)),
        Coalesce(Subquery(changes, output_field=DateField()), F(registered)),
        output_field=DateField(),
    )


def past_retention(desk: Desk, today: datetime.date):
    """The desk's files that are past its retention rule on ``today`` (none without a rule)."""
    if not desk.retention_days:
        return Resident.objects.none()
    cutoff = today - datetime.timedelta(days=desk.retention_days)
    residents = Resident.objects.filter(desk=desk, erased_at__isnull=True)
    if desk.retention_after == "aftercare_end":
        residents = residents.filter(stage__in=ENDED_STAGES)
    return residents.annotate(last_contact=last_contact()).filter(last_contact__lt=cutoff)


def list_retention_candidates(*, today: datetime.date | None = None) -> int:
    """Propose for erasure every file past its desk's rule that is not proposed or erased yet,
    and withdraw the unconfirmed proposals whose file is no longer past it. Safe to run twice
    (the database holds one open proposal per file). How many were proposed."""
    today = today or timezone.localdate()
    listed = 0
    for desk in Desk.objects.order_by("pk"):
        with transaction.atomic():
            due = past_retention(desk, today)
            PlannedErasure.objects.filter(
                desk=desk,
                reason=PlannedErasure.Reason.RETENTION,
                confirmed_at__isnull=True,
                done_at__isnull=True,
            ).exclude(resident__in=due.values("pk")).delete()
            open_plan = PlannedErasure.objects.filter(resident=OuterRef("pk"), done_at__isnull=True)
            new = list(due.exclude(Exists(open_plan)).values_list("pk", flat=True))
            made = PlannedErasure.objects.bulk_create(
                [
                    PlannedErasure(
                        resident_id=pk, desk=desk, reason=PlannedErasure.Reason.RETENTION
                    )
                    for pk in new
                ],
                ignore_conflicts=True,
            )
            listed += len(made)
    return listed


def proposals_for(desk_ids):
    """The open proposals of these desks with the file's last contact: those still to decide
    on first, the longest untouched first; then those confirmed and waiting for the worker."""
    return (
        PlannedErasure.objects.filter(desk_id__in=desk_ids, done_at__isnull=True)
        .select_related("resident", "desk", "confirmed_by")
        .annotate(last_contact=last_contact("resident_id"))
        .order_by(F("confirmed_at").asc(nulls_first=True), "last_contact", "desk__name", "id")
    )


@transaction.atomic
def confirm_erasures(*, proposals, by) -> int:
    """The coordinator confirms these proposals (of her desks); the worker erases them."""
    now = timezone.now()
    ids = [p.pk for p in proposals]
    rows = PlannedErasure.objects.filter(
        pk__in=ids, confirmed_at__isnull=True, done_at__isnull=True
    )
    per_desk = {}
    for desk_id in rows.values_list("desk_id", flat=True):
        per_desk[desk_id] = per_desk.get(desk_id, 0) + 1
    confirmed = rows.update(confirmed_by=by, confirmed_at=now)
    for desk_id, count in sorted(per_desk.items()):
        record_desk_audit(
            by=by,
            desk_id=desk_id,
            action=AuditEntry.Action.CHANGED,
            what=gettext_lazy("Erasure confirmed of files past the retention period: %(count)s"),
            params={"count": count},
        )
    if confirmed:
        transaction.on_commit(erase_confirmed_task.enqueue)
    return confirmed


@transaction.atomic
def keep_files(*, proposals, by) -> int:
    """The coordinator keeps these files for now: their proposals are deleted (proposed again
    by the daily job while the file is still past the rule)."""
    rows = PlannedErasure.objects.filter(
        pk__in=[p.pk for p in proposals], confirmed_at__isnull=True, done_at__isnull=True
    )
    per_desk = {}
    for desk_id in rows.values_list("desk_id", flat=True):
        per_desk[desk_id] = per_desk.get(desk_id, 0) + 1
    kept, _kinds = rows.delete()
    for desk_id, count in sorted(per_desk.items()):
        record_desk_audit(
            by=by,
            desk_id=desk_id,
            action=AuditEntry.Action.CHANGED,
            what=gettext_lazy("Files kept for now instead of erased: %(count)s"),
            params={"count": count},
        )
    return kept


def erase_confirmed() -> int:
    """Erase the confirmed files not yet erased, one file per transaction, each marked done as
    it is erased: a run that stops halfway (the worker killed, the database gone) leaves the rest
    for the next run. A file whose erasure fails is left for the next run too, after the others;
    the run then ends in ``ErasureIncomplete``, so that the job shows it failed. How many."""
    done, failed = 0, []
    while True:
        with transaction.atomic():
            planned = (
                PlannedErasure.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(confirmed_at__isnull=False, done_at__isnull=True)
                .exclude(pk__in=failed)
                .select_related("resident", "confirmed_by")
                .order_by("confirmed_at", "id")
                .first()
            )
            if planned is None:
                break
            if planned.resident.erased_at is not None:
                # Erased meanwhile by other means: nothing left to do but to say so.
                PlannedErasure.objects.filter(pk=planned.pk).update(done_at=timezone.now())
                done += 1
                continue
            try:
                with transaction.atomic():
                    erase_resident(
                        resident=planned.resident, by=planned.confirmed_by, reason=planned.reason
                    )
            except (OperationalError, InterfaceError):
                raise  # the database went away: the next run resumes here
            except Exception as error:
                # The class only: the message may quote personal data.
                logger.error(
                    "Erasure of planned erasure id=%s failed (%s)",
                    planned.pk,
                    type(error).__name__,
                )
                failed.append(planned.pk)
                continue
        done += 1
    if failed:
        raise ErasureIncomplete(f"{len(failed)} confirmed erasure(s) failed; tried again later")
    return done


class ErasureIncomplete(Exception):
    """Some confirmed files could not be erased in this run (logged by id)."""


@task()
def erase_confirmed_task() -> int:
    """The worker's run of ``erase_confirmed``; safe to run twice or side by side."""
    return erase_confirmed()


def daily_retention() -> None:
    """The worker's daily job: propose what is past the rule, and make sure confirmed
    erasures that a stopped run left behind are picked up again."""
    list_retention_candidates()
    if PlannedErasure.objects.filter(confirmed_at__isnull=False, done_at__isnull=True).exists():
        erase_confirmed_task.enqueue()


def retention_home_items(desk, user) -> dict:
    """For the coordinator's home page: how many files of her desk wait for her decision."""
    return {
        "erasures_proposed": PlannedErasure.objects.filter(
            desk=desk, done_at__isnull=True, confirmed_at__isnull=True
        ).count()
    }
