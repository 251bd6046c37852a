"""Writes for residents: registering, editing the file, consent, conversations, next steps and
the trajectory stage. Each function is one transaction; a rule that is broken raises an
``IntakeError`` that the view shows next to the field it names.
"""

import datetime
from collections.abc import Callable

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from intake.models import (
    CONSENT_TEXT_VERSION,
    LEAVING_STAGES,
    Consent,
    Conversation,
    Correction,
    NextStep,
    Resident,
    Stage,
    StageChange,
)
from ondernemerspunt.models import AuditEntry
from ondernemerspunt.services import record_audit

# What may be stored without consent: how to reach someone. Everything else needs consent first.
CONTACT_FIELDS = ("first_name", "last_name", "phone", "email", "street", "postcode", "city")
FILE_FIELDS = (
    "date_of_birth",
    "situation",
    "business_idea",
    "sector",
    "source",
    "source_partner",
    "languages",
)
EDITABLE_FIELDS = (*CONTACT_FIELDS, *FILE_FIELDS, "coach")


class IntakeError(Exception):
    """A rule of the desk says no. ``field`` names the form field the message belongs to."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


class ConsentMissing(IntakeError):
    pass


class StageChangeRefused(IntakeError):
    pass


class StaleEdit(IntakeError):
    """Someone else saved the file after this form was opened; ``current`` is what they saved."""

    def __init__(self, current: Resident):
        super().__init__(
            _(
                "Someone else saved this file while you were editing it. Your changes have not "
                "been saved: they are still in the form below. Compare them with the file as it "
                "is now and save again."
            )
        )
        self.current = current


def beyond_contact(fields: dict) -> list[str]:
    """The names of the filled-in fields that need consent before they may be stored."""
    return [name for name in FILE_FIELDS if fields.get(name)]


def _require_consent(fields: dict) -> None:
    if beyond_contact(fields):
        raise ConsentMissing(
            _(
                "Without consent only name and contact details may be stored. Record consent "
                "first, or leave the other fields empty."
            ),
            field="consent",
        )


def _fill_derived(resident: Resident) -> None:
    resident.neighbourhood = (
        resident.desk.neighbourhood_for_postcode(resident.postcode) if resident.postcode else None
    )
    resident.search_text = resident.build_search_text()
    resident.sort_name = resident.build_sort_name()


@transaction.atomic
def register_resident(
    *,
    desk,
    by,
    fields: dict,
    consent: bool,
    registered_on: datetime.date,
    intake: dict | None = None,
    next_steps=(),
) -> Resident:
    """A new resident's file, consent, the first stage ('registered') and, when it was held,
    the intake conversation with its next steps — all or nothing."""
    if not consent:
        _require_consent(fields)
        if intake is not None:
            raise ConsentMissing(
                _(
                    "An intake conversation can only be recorded with consent. Record consent, "
                    "or choose to register only name and contact details."
                ),
                field="consent",
            )
    resident = Resident(desk=desk, registered_on=registered_on, stage=Stage.REGISTERED)
    for name, value in fields.items():
        setattr(resident, name, value)
    _fill_derived(resident)
    resident.save()
    if consent:
        Consent.objects.create(
            resident=resident,
            given_on=registered_on,
            text_version=CONSENT_TEXT_VERSION,
            recorded_by=by,
        )
    StageChange.objects.create(
        resident=resident,
        desk=desk,
        from_stage="",
        to_stage=Stage.REGISTERED,
        changed_on=registered_on,
        changed_by=by,
    )
    record_audit(
        by=by,
        action=AuditEntry.Action.CREATED,
        what=gettext_lazy("Resident's file created"),
        resident=resident,
    )
    if intake is not None:
        log_conversation(
            resident=resident,
            by=by,
            kind=Conversation.Kind.INTAKE,
            next_steps=next_steps,
            **intake,
        )
    return resident


@transaction.atomic
def update_resident(*, resident: Resident, version: int, fields: dict, by, consent=False):
    """Save the file only if nobody saved it since ``version`` was read: the UPDATE names the
    version, so of two coaches saving at once exactly one wins and the other is told."""
    # Compared with what is stored: the form has already put its values on ``resident``.
    stored = Resident.objects.select_related("coach").get(pk=resident.pk)
    changed = [name for name, value in fields.items() if getattr(stored, name) != value]
    if consent and not resident.has_consent():
        record_consent(resident=resident, by=by)
    elif not resident.has_consent():
        # Only what is changed needs consent: after a withdrawal the file keeps the facts the
        # desk's counts are made of (situation, source), and a new phone number must still save.
        _require_consent({name: fields[name] for name in changed})
    for name, value in fields.items():
        setattr(resident, name, value)
    _fill_derived(resident)
    if "postcode" not in changed:
        resident.neighbourhood = stored.neighbourhood  # its postcode may have been removed
    values = {name: getattr(resident, name) for name in EDITABLE_FIELDS if name in fields}
    updated = Resident.objects.filter(pk=resident.pk, version=version).update(
        **values,
        neighbourhood=resident.neighbourhood,
        search_text=resident.search_text,
        sort_name=resident.sort_name,
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    if not updated:
        raise StaleEdit(
            Resident.objects.select_related("coach", "source_partner").get(pk=resident.pk)
        )
    resident.version = version + 1
    if "coach" in changed:
        record_coach_change(resident=resident, old=stored.coach, new=resident.coach, by=by)
    labels = ", ".join(str(Resident._meta.get_field(name).verbose_name) for name in changed)
    record_audit(
        by=by,
        action=AuditEntry.Action.CHANGED,
        what=gettext_lazy("File changed: %(fields)s"),
        params={"fields": labels or "–"},
        resident=resident,
    )
    return resident


def record_coach_change(*, resident: Resident, old, new, by) -> Correction:
    """The resident moved from one coach to another: shown on her timeline as a correction,
    whether it happened through the file's form or the "other coach" page."""
    return Correction.objects.create(
        resident=resident,
        kind=Correction.Kind.COACH_CHANGED,
        before={"coach": old.pk if old else None, "coach_name": old.full_name if old else ""},
        after={"coach": new.pk if new else None, "coach_name": new.full_name if new else ""},
        by=by,
    )


@transaction.atomic
def record_consent(*, resident: Resident, by, on: datetime.date | None = None) -> Consent:
    # Lock the file first: of two clicks at once, the second waits and then sees the consent.
    Resident.objects.select_for_update().filter(pk=resident.pk).values_list("pk").get()
    if resident.has_consent():
        raise IntakeError(_("Consent has already been recorded for this resident."))
    consent = Consent.objects.create(
        resident=resident,
        given_on=on or timezone.localdate(),
        text_version=CONSENT_TEXT_VERSION,
        recorded_by=by,
    )
    record_audit(
        by=by,
        action=AuditEntry.Action.CHANGED,
        what=gettext_lazy("Consent recorded (text version %(version)s)"),
        params={"version": CONSENT_TEXT_VERSION},
        resident=resident,
    )
    return consent


@transaction.atomic
def log_conversation(
    *,
    resident: Resident,
    by,
    kind: str,
    held_on: datetime.date,
    channel: str,
    duration_minutes: int,
    notes: str = "",
    support_needs=(),
    coach=None,
    next_steps=(),
) -> Conversation:
    """A conversation and the next steps agreed in it. An intake with a resident who is only
    registered also moves them to the stage 'intake held'."""
    if not resident.has_consent():
        raise ConsentMissing(
            _("Record the resident's consent before you record a conversation."), field=None
        )
    if held_on < resident.registered_on:
        raise IntakeError(
            _("The conversation cannot be before the registration (%(day)s).")
            % {"day": resident.registered_on.strftime("%d-%m-%Y")},
            field="held_on",
        )
    conversation = Conversation.objects.create(
        resident=resident,
        desk=resident.desk,
        kind=kind,
        held_on=held_on,
        coach=coach or by,
        channel=channel,
        duration_minutes=duration_minutes,
        notes=notes,
        support_needs=list(support_needs),
    )
    NextStep.objects.bulk_create(
        NextStep(
            conversation=conversation,
            resident=resident,
            description=step["description"],
            due_on=step["due_on"],
            owner=step["owner"],
        )
        for step in next_steps
    )
    if kind == Conversation.Kind.INTAKE and resident.stage == Stage.REGISTERED:
        change_stage(resident=resident, to_stage=Stage.INTAKE, on=held_on, by=by, audit=False)
    record_audit(
        by=by,
        action=AuditEntry.Action.CHANGED,
        what=gettext_lazy("Conversation recorded (%(kind)s, %(day)s)"),
        params={
            "kind": Conversation.Kind(conversation.kind).label,
            "day": held_on.strftime("%d-%m-%Y"),
        },
        resident=resident,
    )
    return conversation


@transaction.atomic
def change_stage(
    *,
    resident: Resident,
    to_stage: str,
    on: datetime.date,
    by,
    reason: str = "",
    note: str = "",
    audit: bool = True,
) -> StageChange:
    """Move a resident to another stage of the trajectory and write down who, when and why."""
    # Lock the file: two coaches changing the stage at once must not both start from the same
    # stage and leave a history that skips one of them.
    locked = Resident.objects.select_for_update().get(pk=resident.pk)
    _check_stage_change(locked, to_stage, on, reason)
    change = StageChange.objects.create(
        resident=locked,
        desk_id=locked.desk_id,
        from_stage=locked.stage,
        to_stage=to_stage,
        changed_on=on,
        changed_by=by,
        reason=reason if to_stage == Stage.DROPPED_OUT else "",
        note=note,
    )
    Resident.objects.filter(pk=locked.pk).update(stage=to_stage, updated_at=timezone.now())
    resident.stage = to_stage
    if audit:
        record_audit(
            by=by,
            action=AuditEntry.Action.CHANGED,
            what=gettext_lazy("Stage changed: %(from)s → %(to)s"),
            params={"from": Stage(change.from_stage).label, "to": Stage(to_stage).label},
            resident=resident,
        )
    return change


def _check_stage_change(resident: Resident, to_stage: str, on: datetime.date, reason: str):
    current = Stage(resident.stage)
    if to_stage == current:
        raise StageChangeRefused(
            _("The resident is already in the stage '%(stage)s'.") % {"stage": current.label},
            field="to_stage",
        )
    if to_stage not in resident.next_stages():
        possible = ", ".join(str(Stage(s).label) for s in resident.next_stages())
        raise StageChangeRefused(
            _(
                "From '%(from)s' a resident cannot go to '%(to)s'. Possible next stages: "
                "%(possible)s."
            )
            % {"from": current.label, "to": Stage(to_stage).label, "possible": possible},
            field="to_stage",
        )
    if to_stage == Stage.DROPPED_OUT and not reason:
        raise StageChangeRefused(_("Choose why the resident dropped out."), field="reason")
    if to_stage not in LEAVING_STAGES and not resident.has_consent():
        raise StageChangeRefused(
            _("Record the resident's consent before they move on in the trajectory."),
            field="to_stage",
        )
    if on > timezone.localdate():
        raise StageChangeRefused(_("The date cannot be in the future."), field="on")
    last = resident.stage_changes.order_by("-changed_on", "-id").first()
    if last is not None and on < last.changed_on:
        raise StageChangeRefused(
            _("The date cannot be before the previous stage change (%(day)s).")
            % {"day": last.changed_on.strftime("%d-%m-%Y")},
            field="on",
        )


# What the apps above intake do when a next step is done (coaching: an aftercare contact moves
# her to *aftercare*). Registered from their AppConfig.ready(); intake never imports them.
_step_done_hooks: list[Callable[..., None]] = []


def register_step_done(hook: Callable[..., None]) -> None:
    """``hook(step=, by=, on=)`` runs in the transaction that marks the step done."""
    if hook not in _step_done_hooks:
        _step_done_hooks.append(hook)


@transaction.atomic
def complete_next_step(*, step: NextStep, by, on: datetime.date | None = None) -> NextStep:
    if step.done_on is None:
        step.done_on = on or timezone.localdate()
        step.save(update_fields=["done_on"])
        record_audit(
            by=by,
            action=AuditEntry.Action.CHANGED,
            what=gettext_lazy("Next step done"),
            resident=step.resident,
        )
        for hook in _step_done_hooks:
            hook(step=step, by=by, on=step.done_on)
    return step
