"""Corrections of what is already recorded: a conversation or next step edited, "done" undone,
the resident moved to another coach, a stage set by mistake put right.

Nothing is overwritten without a trace: each change keeps the earlier values in a ``Correction``
row (the stage in a new ``StageChange`` that names the mistaken one), in the same transaction,
with an audit line that names no person and holds no notes. An edit is based on a version
marker that the form carries: a save based on values someone else has changed since is refused.
"""

import datetime
import hashlib
import json

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from intake.models import (
    LEAVING_STAGES,
    STAGE_MOVES,
    Conversation,
    Correction,
    DropOutReason,
    NextStep,
    Resident,
    Stage,
    StageChange,
    SupportNeed,
)
from intake.services import IntakeError, record_coach_change
from ondernemerspunt.models import STAFF_ROLES, AuditEntry, Membership
from ondernemerspunt.services import record_audit

CONVERSATION_FIELDS = ("held_on", "kind", "channel", "duration_minutes", "notes", "support_needs")
NEXT_STEP_FIELDS = ("description", "due_on", "owner")


class CorrectionRefused(IntakeError):
    pass


class StaleCorrection(IntakeError):
    """Someone else changed the item after this form was opened; ``current`` is what is stored
    now (the locked row)."""

    def __init__(self, current):
        super().__init__(
            _(
                "Someone else changed this while you were editing it. Your changes have not been "
                "saved: they are still in the form below. Compare them with what is stored now "
                "and save again."
            )
        )
        self.current = current


# Values as they are kept in ``Correction.before`` / ``after`` (JSON) and in version markers.


def stored_value(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return sorted(value)
    if isinstance(value, str):
        return value.strip()
    return value


def version_of(obj, names) -> str:
    """A marker of the stored values: it changes whenever any of them changes, whoever or
    whatever changed it, so it needs no column of its own."""
    data = json.dumps({name: stored_value(getattr(obj, name)) for name in names}, sort_keys=True)
    return hashlib.sha256(data.encode()).hexdigest()[:20]


def _changes(obj, fields: dict) -> tuple[dict, dict]:
    """(before, after) of the fields whose new value differs from the stored one."""
    before, after = {}, {}
    for name, value in fields.items():
        old, new = stored_value(getattr(obj, name)), stored_value(value)
        if old != new:
            before[name], after[name] = old, new
    return before, after


def _labels(model, names):
    """The fields' names for the audit line, translated only when the line is written."""
    labels = [model._meta.get_field(name).verbose_name for name in names]
    return format_lazy(", ".join(["{}"] * len(labels)), *labels)


def _refuse_erased(resident: Resident):
    if resident.erased_at is not None:
        raise CorrectionRefused(_("This file has been erased: nothing in it can be changed."))


def _require_consent(resident: Resident):
    # Consent withdrawn: only name and contact details may be stored, so nothing new is written.
    if not resident.has_consent():
        raise CorrectionRefused(
            _("Without the resident's consent this cannot be changed. Record consent first.")
        )


@transaction.atomic
def edit_conversation(*, conversation: Conversation, by, version: str, fields: dict):
    """Change a conversation; the earlier values go into a Correction. Returns None when
    nothing was changed (and then records nothing)."""
    locked = (
        Conversation.objects.select_for_update().select_related("resident").get(pk=conversation.pk)
    )
    resident = locked.resident
    _refuse_erased(resident)
    _require_consent(resident)
    held_on = fields.get("held_on")
    if held_on and held_on < resident.registered_on:
        raise CorrectionRefused(
            _("The conversation cannot be before the registration (%(day)s).")
            % {"day": resident.registered_on.strftime("%d-%m-%Y")},
            field="held_on",
        )
    if held_on and held_on > timezone.localdate():
        raise CorrectionRefused(_("This date lies in the future."), field="held_on")
    before, after = _changes(locked, fields)
    if not before:
        return None
    if version != version_of(locked, CONVERSATION_FIELDS):
        raise StaleCorrection(locked)
    day = locked.held_on
    for name in before:
        setattr(locked, name, fields[name])
    if "support_needs" in before:
        locked.support_needs = [n for n in SupportNeed.values if n in set(fields["support_needs"])]
    locked.save(update_fields=list(before))
    correction = Correction.objects.create(
        resident=resident,
        kind=Correction.Kind.CONVERSATION_EDITED,
        conversation=locked,
        before=before,
        after=after,
        by=by,
    )
    record_audit(
        by=by,
        resident=resident,
        action=AuditEntry.Action.CHANGED,
        what=gettext_lazy("Conversation of %(day)s changed: %(fields)s"),
        params={"day": day.strftime("%d-%m-%Y"), "fields": _labels(Conversation, before)},
    )
    return correction


@transaction.atomic
def edit_next_step(*, step: NextStep, by, version: str, fields: dict):
    """Change a next step's description, due date or who does it; None when nothing changed."""
    locked = (
        NextStep.objects.select_for_update()
        .select_related("resident", "conversation")
        .get(pk=step.pk)
    )
    _refuse_erased(locked.resident)
    _require_consent(locked.resident)
    before, after = _changes(locked, fields)
    if not before:
        return None
    if version != version_of(locked, NEXT_STEP_FIELDS):
        raise StaleCorrection(locked)
    if "due_on" in before and fields["due_on"] < locked.conversation.held_on:
        raise CorrectionRefused(_("The due date lies before the conversation."), field="due_on")
    for name in before:
        setattr(locked, name, fields[name])
    locked.save(update_fields=list(before))
    correction = Correction.objects.create(
        resident=locked.resident,
        kind=Correction.Kind.STEP_EDITED,
        conversation_id=locked.conversation_id,
        next_step=locked,
        before=before,
        after=after,
        by=by,
    )
    record_audit(
        by=by,
        resident=locked.resident,
        action=AuditEntry.Action.CHANGED,
        what=gettext_lazy("Next step changed: %(fields)s"),
        params={"fields": _labels(NextStep, before)},
    )
    return correction


@transaction.atomic
def reopen_next_step(*, step: NextStep, by) -> Correction:
    """'Done' was clicked by mistake: the step is open again."""
    locked = NextStep.objects.select_for_update().select_related("resident").get(pk=step.pk)
    _refuse_erased(locked.resident)
    if locked.done_on is None:
        raise CorrectionRefused(_("This next step is not marked as done."))
    correction = Correction.objects.create(
        resident=locked.resident,
        kind=Correction.Kind.STEP_REOPENED,
        conversation_id=locked.conversation_id,
        next_step=locked,
        before={"done_on": locked.done_on.isoformat()},
        after={"done_on": None},
        by=by,
    )
    locked.done_on = None
    locked.save(update_fields=["done_on"])
    record_audit(
        by=by,
        resident=locked.resident,
        action=AuditEntry.Action.CHANGED,
        what=gettext_lazy("Next step no longer done"),
    )
    return correction


def works_at(user, desk_id) -> bool:
    """Whether ``user`` is an active coach or coordinator of the desk."""
    return Membership.objects.filter(
        user=user, desk_id=desk_id, role__in=STAFF_ROLES, is_active=True
    ).exists()


@transaction.atomic
def change_coach(*, resident: Resident, by, coach, version: int):
    """Move the resident to another coach of the same desk; None when it is the same coach.
    The file's version goes up, so an edit form opened before does not put the old coach back."""
    locked = (
        Resident.objects.select_for_update(of=("self",)).select_related("coach").get(pk=resident.pk)
    )
    _refuse_erased(locked)
    if not works_at(coach, locked.desk_id):
        raise CorrectionRefused(
            _("This person is not a coach at the resident's desk."), field="coach"
        )
    if coach.pk == locked.coach_id:
        return None
    if version != locked.version:
        raise StaleCorrection(locked)
    old = locked.coach
    Resident.objects.filter(pk=locked.pk).update(
        coach=coach, version=F("version") + 1, updated_at=timezone.now()
    )
    resident.coach, resident.version = coach, locked.version + 1
    correction = record_coach_change(resident=locked, old=old, new=coach, by=by)
    record_audit(
        by=by,
        resident=locked,
        action=AuditEntry.Action.CHANGED,
        what=gettext_lazy("Other coach: %(before)s → %(after)s"),
        params={"before": old.full_name if old else "–", "after": coach.full_name},
    )
    return correction


# The stage set by mistake.


def correctable(history) -> StageChange | None:
    """The change that 'Correct the stage' would put right: the latest one, unless it is the
    first (there is no stage before it), is itself a correction, or was corrected already.
    ``history`` is the resident's stage changes, newest first (``selectors.stage_history``)."""
    if not history:
        return None
    latest = history[0]
    if not latest.from_stage or latest.corrects_id is not None or _is_corrected(latest):
        return None
    return latest


def _is_corrected(change: StageChange) -> bool:
    try:
        return change.corrected_by is not None
    except StageChange.DoesNotExist:
        return False


def correction_targets(mistake: StageChange) -> list[str]:
    """Where a correction can take the resident: back to the stage before the mistake (first),
    or on to a stage that could have followed it instead."""
    before = mistake.from_stage
    targets = [before] + [
        stage
        for stage in STAGE_MOVES.get(before, ())
        if stage not in LEAVING_STAGES and stage != mistake.to_stage
    ]
    return list(dict.fromkeys(targets))


@transaction.atomic
def correct_stage(
    *, resident: Resident, by, change_id: int, note: str, to_stage: str = ""
) -> StageChange:
    """Put right the latest stage change, set by mistake: a new change from the current stage
    to the one before the mistake (or ``to_stage``), that names the mistaken one and says why.
    The history is not rewritten."""
    locked = Resident.objects.select_for_update().get(pk=resident.pk)
    _refuse_erased(locked)
    history = list(
        locked.stage_changes.select_related("corrected_by").order_by("-changed_on", "-id")
    )
    mistake = next((change for change in history if change.pk == change_id), None)
    if mistake is not None and _is_corrected(mistake):
        raise CorrectionRefused(_("This stage change has already been corrected."))
    if correctable(history) is None or mistake is None:
        raise CorrectionRefused(_("There is no stage change to correct."))
    if mistake.pk != history[0].pk:
        raise CorrectionRefused(
            _(
                "The stage was changed again after you opened this page. Only the latest change "
                "can be corrected: look at the history below and try again."
            )
        )
    note = (note or "").strip()
    if not note:
        raise CorrectionRefused(_("Say why the stage was wrong."), field="note")
    to_stage = to_stage or mistake.from_stage
    if to_stage not in correction_targets(mistake) or to_stage == locked.stage:
        raise CorrectionRefused(
            _("A correction can go back to '%(stage)s' or to a stage that could follow it.")
            % {"stage": Stage(mistake.from_stage).label},
            field="to_stage",
        )
    # As for any move: without consent a resident can only be registered or leave.
    needs_consent = to_stage not in (*LEAVING_STAGES, Stage.REGISTERED)
    if needs_consent and not locked.has_consent():
        raise CorrectionRefused(
            _("Record the resident's consent before they move on in the trajectory."),
            field="to_stage",
        )
    try:
        with transaction.atomic():
            correction = StageChange.objects.create(
                resident=locked,
                desk_id=locked.desk_id,
                from_stage=locked.stage,
                to_stage=to_stage,
                changed_on=max(timezone.localdate(), mistake.changed_on),
                changed_by=by,
                reason=_reason_before(history, mistake) if to_stage == Stage.DROPPED_OUT else "",
                note=note,
                corrects=mistake,
            )
    except IntegrityError:
        # Two corrections of one change at once: the one-to-one lets only the first in.
        raise CorrectionRefused(_("This stage change has already been corrected.")) from None
    Resident.objects.filter(pk=locked.pk).update(stage=to_stage, updated_at=timezone.now())
    resident.stage = to_stage
    record_audit(
        by=by,
        resident=locked,
        action=AuditEntry.Action.CHANGED,
        what=gettext_lazy("Stage corrected: %(from)s → %(to)s (the change of %(day)s was wrong)"),
        params={
            "from": Stage(correction.from_stage).label,
            "to": Stage(to_stage).label,
            "day": mistake.changed_on.strftime("%d-%m-%Y"),
        },
    )
    return correction


def _reason_before(history, mistake) -> str:
    """Back to 'dropped out': the reason given when they dropped out before the mistake."""
    for change in history:
        if change.pk != mistake.pk and change.to_stage == Stage.DROPPED_OUT and change.reason:
            return change.reason
    return DropOutReason.OTHER


# Reading: the corrections shown beside the items on the resident's page.

FIELD_MODELS = {
    Correction.Kind.CONVERSATION_EDITED: Conversation,
    Correction.Kind.STEP_EDITED: NextStep,
    Correction.Kind.STEP_REOPENED: NextStep,
}


def attach_corrections(resident: Resident, conversations) -> list[Correction]:
    """Give every conversation and next step its corrections (``correction_list``, oldest
    first, each with ``rows`` to show), in one query; return the coach changes, which have a
    timeline entry of their own."""
    by_conversation, by_step, coach_changes = {}, {}, []
    for correction in resident.corrections.select_related("by").order_by("at", "id"):
        correction.rows = correction_rows(correction)
        if correction.kind == Correction.Kind.COACH_CHANGED:
            coach_changes.append(correction)
        elif correction.next_step_id:
            by_step.setdefault(correction.next_step_id, []).append(correction)
        elif correction.conversation_id:
            by_conversation.setdefault(correction.conversation_id, []).append(correction)
    for conversation in conversations:
        conversation.correction_list = by_conversation.get(conversation.pk, [])
        for step in conversation.next_steps.all():
            step.correction_list = by_step.get(step.pk, [])
    return coach_changes


def correction_rows(correction: Correction) -> list[tuple]:
    """(label, before, after) of each changed field, as a coach reads them."""
    if correction.kind == Correction.Kind.COACH_CHANGED:
        return [
            (
                Resident._meta.get_field("coach").verbose_name,
                correction.before.get("coach_name") or "–",
                correction.after.get("coach_name") or "–",
            )
        ]
    model = FIELD_MODELS[correction.kind]
    rows = []
    # In the order of the form, not of the JSON (the database sorts its keys).
    order = [*CONVERSATION_FIELDS, *NEXT_STEP_FIELDS, "done_on"]
    for name in sorted(correction.before, key=lambda n: order.index(n) if n in order else 99):
        field = model._meta.get_field(name)
        before, after = correction.before[name], correction.after.get(name)
        rows.append((field.verbose_name, _shown(field, before), _shown(field, after)))
    return rows


def _shown(field, value) -> str:
    if value in (None, "", []):
        return "–"
    if isinstance(value, list):
        return ", ".join(str(SupportNeed(v).label) if v in SupportNeed else v for v in value)
    if field.get_internal_type() == "DateField":
        return datetime.date.fromisoformat(value).strftime("%d-%m-%Y")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)
