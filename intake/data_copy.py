"""A copy of everything stored about a resident (AVG art. 15 and 20).

The copy is built from the privacy registry (``intake.privacy``): every app registers an
exporter for what it holds about a resident, so that intake gathers the plan and the reviews
without importing coaching. It leaves the application in two forms:

- JSON, served at once (``build_copy``), for another service or the resident's own records;
- a PDF in the resident's language, rendered in the background (``render_data_copy``) because
  WeasyPrint takes seconds, and kept only ``KEPT_FOR``: a copy is handed over, not archived.

The JSON's structure is stable, and documented here::

    {"generated_at": "2009-05-04T10:15:00+02:00",
     "resident": {"id": 17, "first_name": "…", "last_name": "…", "desk": "…"},
     "<exporter name>": <what that exporter gives>, …}

with intake's sections ``file`` (the file's fields), ``consents``, ``conversations`` (each with
its ``next_steps``), ``stage_changes``, ``evening_registrations`` (her registrations for info
evenings: the evening, the status, whether she came, and what she filled in),
``corrections`` (``before``/``after`` as recorded) and ``audit_trail`` (``at``, ``who``,
``action``, ``what``: the trail's lines about her), then those of the apps above (coaching:
``business_plan``, ``plan_reviews``, ``plan_invitations``; see coaching/data_copy.py). A
section without rows is an empty list (``business_plan``: null). Dates are ISO strings
(``2009-03-31``; moments with their offset), choices by their code (``"in_trajectory"``),
people (staff) by their full name. Every exporter reads in a fixed
number of queries, however many rows the resident has.
"""

import datetime
import logging

from django.db import transaction
from django.db.models import Prefetch
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from intake.models import (
    Conversation,
    Correction,
    DataCopy,
    InfoEvening,
    NextStep,
    Registration,
    Resident,
)
from intake.privacy import Exporter, exporters, register_exporter
from ondernemerspunt.models import AuditEntry
from ondernemerspunt.pdf import render_pdf
from ondernemerspunt.services import record_audit
from ondernemerspunt.worker import on_given_up

logger = logging.getLogger(__name__)

# A copy is deleted this long after it was asked for: long enough to download it, short
# enough that the database does not become a second archive of everyone's file.
KEPT_FOR = datetime.timedelta(days=7)
# A copy takes seconds; one still pending after this long is stuck (no task worker running).
LATE_AFTER = datetime.timedelta(minutes=5)


# --- JSON-ready values ------------------------------------------------------------------------
def moment(value) -> str | None:
    """A date or a moment as ISO text; a moment in the desk's time zone, with its offset."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return value.isoformat()


def person(user) -> str | None:
    """A member of staff (or the resident herself) by name, as the pages show them."""
    if user is None:
        return None
    return user.full_name or user.email


# --- The copy ---------------------------------------------------------------------------------
def build_copy(resident: Resident) -> dict:
    """Everything the registered exporters hold about ``resident``, as JSON-ready data."""
    return {
        "generated_at": moment(timezone.now()),
        "resident": {
            "id": resident.pk,
            "first_name": resident.first_name,
            "last_name": resident.last_name,
            "desk": resident.desk.name,
        },
        **{exporter.name: exporter.export(resident) for exporter in exporters()},
    }


def delete_expired_copies() -> int:
    """Copies older than ``KEPT_FOR``, of every resident, are deleted."""
    deleted, _rows = DataCopy.objects.filter(requested_at__lt=timezone.now() - KEPT_FOR).delete()
    return deleted


def kept_copies():
    """The copies still within ``KEPT_FOR`` (an expired one not yet deleted counts as gone)."""
    return DataCopy.objects.filter(requested_at__gte=timezone.now() - KEPT_FOR)


def is_late(data_copy: DataCopy) -> bool:
    return (
        data_copy.status == DataCopy.Status.PENDING
        and timezone.now() - data_copy.requested_at > LATE_AFTER
    )


class CopyPending(Exception):
    """A PDF copy asked for by the same person is still being made: no second one."""


def record_copy_audit(*, by, resident: Resident, file_format: str) -> None:
    """The trail's line for a copy: who made it, of whose file, in which format; nothing of
    its content."""
    record_audit(
        by=by,
        resident=resident,
        action=AuditEntry.Action.EXPORTED,
        what=_("Copy of personal data made (%(format)s)"),
        params={"format": file_format},
    )


def request_copy(*, resident: Resident, by, language: str) -> DataCopy:
    """Record the request of a PDF copy and hand the rendering to the task worker.

    One copy per person at a time: while one is being made, asking again (a double click, an
    impatient reload) makes none. The task row is written in the same transaction as the copy,
    so the worker never sees a copy that was not committed.
    """
    delete_expired_copies()
    with transaction.atomic():
        # Lock the file's row: two requests at the same moment cannot both pass the check.
        Resident.objects.select_for_update().filter(pk=resident.pk).first()
        pending = kept_copies().filter(
            resident=resident, requested_by=by, status=DataCopy.Status.PENDING
        )
        if any(not is_late(data_copy) for data_copy in pending.defer("pdf")):
            raise CopyPending
        data_copy = DataCopy.objects.create(resident=resident, requested_by=by, language=language)
        record_copy_audit(by=by, resident=resident, file_format="PDF")
        render_data_copy.enqueue(data_copy.pk)
    return data_copy


@task()
def render_data_copy(copy_id: int) -> str:
    """Render one copy to PDF and store it; a failure is recorded on the copy.

    Safe to run twice (the worker runs a job again when its worker died halfway): a copy that
    is ready is left as it is. A copy deleted meanwhile (expired, or the file erased) is not
    made at all.
    """
    data_copy = (
        DataCopy.objects.select_related("resident__desk").defer("pdf").filter(pk=copy_id).first()
    )
    if data_copy is None:
        return "deleted"
    if data_copy.status == DataCopy.Status.READY:
        return data_copy.status
    not_ready = DataCopy.objects.filter(pk=copy_id).exclude(status=DataCopy.Status.READY)
    try:
        with translation.override(data_copy.language):
            pdf = render_copy_pdf(data_copy)
    except Exception:
        # The copy's number only: the log holds nothing personal.
        logger.exception("Copy of personal data %s could not be rendered", copy_id)
        not_ready.update(status=DataCopy.Status.FAILED)
        raise
    not_ready.update(pdf=pdf, status=DataCopy.Status.READY, rendered_at=timezone.now())
    delete_expired_copies()
    return DataCopy.Status.READY


@on_given_up(render_data_copy)
def copy_given_up(copy_id: int) -> None:
    """Its worker died on every attempt: the page says the copy failed."""
    DataCopy.objects.filter(pk=copy_id, status=DataCopy.Status.PENDING).update(
        status=DataCopy.Status.FAILED
    )


def render_copy_pdf(data_copy: DataCopy) -> bytes:
    """The PDF: a heading per exporter's section, in the order they registered."""
    resident = data_copy.resident
    sections = [
        {
            "name": exporter.name,
            "label": exporter.label,
            "template": exporter.template or "intake/data_copy_section.html",
            "data": exporter.export(resident),
        }
        for exporter in exporters()
    ]
    context = {
        "data_copy": data_copy,
        "resident": resident,
        "sections": sections,
        "generated_at": timezone.now(),
    }
    return render_pdf("intake/data_copy_pdf.html", context)


# --- What intake holds ------------------------------------------------------------------------
def export_file(resident: Resident) -> dict:
    """The file itself (one query). The search and sort keys are left out: they are the name,
    phone and postcode again, folded for searching."""
    r = Resident.objects.select_related(
        "desk", "neighbourhood", "source_partner", "coach", "user"
    ).get(pk=resident.pk)
    return {
        "desk": r.desk.name,
        "first_name": r.first_name,
        "last_name": r.last_name,
        "phone": r.phone,
        "email": r.email,
        "street": r.street,
        "postcode": r.postcode,
        "city": r.city,
        "neighbourhood": r.neighbourhood.name if r.neighbourhood else None,
        "date_of_birth": moment(r.date_of_birth),
        "situation": r.situation,
        "business_idea": r.business_idea,
        "sector": r.sector,
        "source": r.source,
        "source_partner": r.source_partner.name if r.source_partner else None,
        "languages": r.languages,
        "stage": r.stage,
        "registered_on": moment(r.registered_on),
        "coach": person(r.coach),
        "login": r.user.email if r.user else None,
        "created_at": moment(r.created_at),
        "updated_at": moment(r.updated_at),
    }


def export_consents(resident: Resident) -> list:
    return [
        {
            "given_on": moment(consent.given_on),
            "text_version": consent.text_version,
            "recorded_by": person(consent.recorded_by),
            "withdrawn_at": moment(consent.withdrawn_at),
        }
        for consent in resident.consents.select_related("recorded_by").order_by("given_on", "id")
    ]


def export_conversations(resident: Resident) -> list:
    """Conversations, oldest first, each with its next steps (two queries)."""
    conversations = (
        Conversation.objects.filter(resident=resident)
        .select_related("coach")
        .prefetch_related(
            Prefetch("next_steps", queryset=NextStep.objects.order_by("due_on", "id"))
        )
        .order_by("held_on", "id")
    )
    return [
        {
            "id": conversation.pk,
            "kind": conversation.kind,
            "held_on": moment(conversation.held_on),
            "coach": person(conversation.coach),
            "channel": conversation.channel,
            "duration_minutes": conversation.duration_minutes,
            "notes": conversation.notes,
            "support_needs": list(conversation.support_needs),
            "recorded_at": moment(conversation.created_at),
            "next_steps": [
                {
                    "id": step.pk,
                    "description": step.description,
                    "due_on": moment(step.due_on),
                    "owner": step.owner,
                    "done_on": moment(step.done_on),
                }
                for step in conversation.next_steps.all()
            ],
        }
        for conversation in conversations
    ]


def export_stage_changes(resident: Resident) -> list:
    changes = resident.stage_changes.select_related("changed_by").order_by(
        "changed_on", "recorded_at", "id"
    )
    return [
        {
            "id": change.pk,
            "changed_on": moment(change.changed_on),
            "from_stage": change.from_stage,
            "to_stage": change.to_stage,
            "reason": change.reason,
            "note": change.note,
            "corrects": change.corrects_id,
            "changed_by": person(change.changed_by),
            "recorded_at": moment(change.recorded_at),
        }
        for change in changes
    ]


def took_place(evening: InfoEvening, now) -> bool:
    """Whether the evening has taken place: held, or started (and not cancelled). Before it,
    her copy says that she came only once she is ticked present, never that she did not."""
    if evening.status == InfoEvening.Status.HELD:
        return True
    return evening.status != InfoEvening.Status.CANCELLED and evening.starts_at <= now


def _attended(registration, now) -> bool | None:
    if registration.attended:
        return True
    return False if took_place(registration.evening, now) else None


def export_evening_registrations(resident: Resident) -> list:
    """Her registrations for info evenings (issue 14) once linked to her file, oldest evening
    first (one query): the evening, where it stands, and what she filled in on the form or the
    coach at the door. An erased registration shows its blanks: nothing of it is kept."""
    registrations = (
        Registration.objects.filter(resident=resident)
        .select_related("evening__desk")
        .order_by("evening__starts_at", "created_at", "id")
    )
    now = timezone.now()
    return [
        {
            "id": registration.pk,
            "evening": registration.evening.title,
            "desk": registration.evening.desk.name,
            "starts_at": moment(registration.evening.starts_at),
            "place": registration.evening.place_name,
            "status": registration.status,
            "walk_in": registration.walk_in,
            "took_place": took_place(registration.evening, now),
            # What is stored once she is ticked present (from the evening's day on, perhaps
            # before the start); before the evening, not ticked, there is nothing to say yet.
            "attended": _attended(registration, now),
            "kind": registration.kind,
            "name": registration.name,
            "email": registration.email,
            "phone": registration.phone,
            "organisation": registration.organisation,
            "organisation_kind": registration.organisation_kind,
            "role": registration.role,
            "heard_from": registration.heard_from,
            "may_contact": registration.may_contact,
            "registered_at": moment(registration.created_at),
            "moved_up_at": moment(registration.moved_up_at),
            "cancelled_at": moment(registration.cancelled_at),
            "erased_at": moment(registration.erased_at),
        }
        for registration in registrations
    ]


def export_corrections(resident: Resident) -> list:
    corrections = Correction.objects.filter(resident=resident).select_related("by")
    return [
        {
            "at": moment(correction.at),
            "kind": correction.kind,
            "conversation": correction.conversation_id,
            "next_step": correction.next_step_id,
            "before": correction.before,
            "after": correction.after,
            "by": person(correction.by),
        }
        for correction in corrections.order_by("at", "id")
    ]


def export_audit_lines(resident: Resident) -> list:
    """Who viewed, changed or exported her data, and when (the audit trail's lines about her,
    which never hold personal text)."""
    entries = AuditEntry.objects.filter(resident_id=resident.pk).select_related("actor")
    return [
        {
            "at": moment(entry.at),
            "who": person(entry.actor),
            "action": entry.action,
            "what": entry.what,
        }
        for entry in entries.order_by("at", "id")
    ]


def register_intake_exporters() -> None:
    """Called from ``IntakeConfig.ready()``: intake's sections come first in every copy."""
    for name, label, export in (
        ("file", _("Your file"), export_file),
        ("consents", _("Consent"), export_consents),
        ("conversations", _("Conversations and next steps"), export_conversations),
        ("stage_changes", _("Stages of your trajectory"), export_stage_changes),
        ("evening_registrations", _("Info evenings"), export_evening_registrations),
        ("corrections", _("Corrections"), export_corrections),
        ("audit_trail", _("Who looked at or changed your data"), export_audit_lines),
    ):
        register_exporter(Exporter(name, label, export, template=f"intake/data_copy/{name}.html"))
