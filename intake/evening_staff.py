"""What the desk's staff do with an evening beyond planning it (``intake/evenings.py``): its
speakers, and what becomes of the people who came — an entrepreneur's resident file, an
intermediary's invitation as a contact person of one of the desk's partners.

Each function is one transaction and says no with an ``EveningError`` (message, field).
"""

import datetime
from typing import NamedTuple

from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from intake import services
from intake.evenings import EveningError
from intake.models import InfoEvening, Registration, Resident, Source, Speaker
from ondernemerspunt import desk_management
from ondernemerspunt.models import STAFF_ROLES, AuditEntry, Membership, Role
from ondernemerspunt.services import record_audit, record_desk_audit

FINISHED = (InfoEvening.Status.CANCELLED, InfoEvening.Status.HELD)
WITHOUT_CONSENT = gettext_lazy(
    "Without consent we keep only name and contact details; the link with the info evening stays."
)


# --- The list ---------------------------------------------------------------------------------
def is_coming(evening: InfoEvening, now) -> bool:
    """Still to come: planned or published, and not started. A held or cancelled evening, or
    one that has started, is one of the past ones."""
    return (
        evening.status in (InfoEvening.Status.PLANNED, InfoEvening.Status.PUBLISHED)
        and evening.starts_at > now
    )


# --- A conflict when saving -------------------------------------------------------------------
class ConflictRow(NamedTuple):
    """A field she changed, after someone else saved the evening meanwhile."""

    label: str
    saved: str  # as saved now
    mine: str  # her change
    kept: bool  # the form keeps her change: nobody else changed this field


def after_conflict(typed, saved: dict, loaded: dict | None) -> tuple[dict, list[ConflictRow]]:
    """Someone else saved the evening while she was changing it. ``typed`` is her (valid)
    form, ``saved`` the evening as saved now and ``loaded`` as she loaded it, both in the form's
    terms (``EveningForm.data_of``); ``loaded`` is None when the form did not say.

    Returns the form's new data and the fields she changed. The new data is the evening as
    saved now, with her change of each field that nobody else changed; where both changed a
    field, it holds the saved value and her change is listed beside it. A field she left
    alone is not listed: the saved value stands. Without ``loaded`` every field where she
    differs from what is saved is listed, and the form holds the saved value."""
    data, rows = dict(saved), []
    for name, field in typed.fields.items():
        if name in ("version", "loaded") or name not in typed.cleaned_data:
            continue
        mine, now = as_text(typed.cleaned_data[name]), as_text(saved.get(name, ""))
        before = None if loaded is None else as_text(loaded.get(name, ""))
        if mine in (now, before):
            continue  # nothing to choose, or she left it as she loaded it
        kept = before is not None and now == before
        if kept:
            data[name] = mine
        rows.append(ConflictRow(str(field.label), _shown(field, now), _shown(field, mine), kept))
    return data, rows


def as_text(value) -> str:
    """A value of the evening form as the form writes it in its inputs: to compare what was
    typed, loaded and saved, whatever the form made of it."""
    if value is None:
        return ""
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value.pk)
    return str(value).replace("\r\n", "\n")


def _shown(field, text: str) -> str:
    """A value of the form (as text, ``as_text``) as a person reads it."""
    if text == "":
        return "–"
    value = field.to_python(text)
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d-%m-%Y")
    choices = getattr(field, "choices", None)
    if choices is not None:
        return str(dict(choices).get(value, value))
    return str(value)


# --- Speakers ---------------------------------------------------------------------------------
@transaction.atomic
def add_speaker(
    *, evening: InfoEvening, by, kind: str, partner=None, coach=None, name="", topic=""
):
    """A speaker of the evening: a partner of the evening's desk, a coach of that desk, or an
    entrepreneur by name. What does not belong to the kind is not stored."""
    locked = InfoEvening.objects.select_for_update().get(pk=evening.pk)
    if locked.status == InfoEvening.Status.CANCELLED:
        raise EveningError(_("This evening was cancelled."))
    name = name.strip()
    if kind == Speaker.Kind.PARTNER:
        if partner is None or partner.desk_id != locked.desk_id:
            raise EveningError(_("Choose a partner organisation of this desk."), "partner")
        coach = None
    elif kind == Speaker.Kind.COACH:
        works_here = Membership.objects.filter(
            user=coach, desk_id=locked.desk_id, role__in=STAFF_ROLES, is_active=True
        ).exists()
        if coach is None or not works_here:
            raise EveningError(_("Choose a coach of this desk."), "coach")
        partner, name = None, ""
    elif kind == Speaker.Kind.ENTREPRENEUR:
        if not name:
            raise EveningError(_("Write the entrepreneur's name."), "name")
        partner = coach = None
    else:
        raise EveningError(_("Choose who speaks."), "kind")
    speaker = Speaker.objects.create(
        evening=locked, kind=kind, partner=partner, coach=coach, name=name, topic=topic.strip()
    )
    record_desk_audit(
        by=by,
        desk_id=locked.desk_id,
        action=AuditEntry.Action.CHANGED,
        what=gettext_lazy("Speaker added to the info evening: %(title)s"),
        params={"title": locked.title},
    )
    return speaker


@transaction.atomic
def remove_speaker(*, speaker: Speaker, by) -> None:
    evening = speaker.evening
    speaker.delete()
    record_desk_audit(
        by=by,
        desk_id=evening.desk_id,
        action=AuditEntry.Action.CHANGED,
        what=gettext_lazy("Speaker removed from the info evening: %(title)s"),
        params={"title": evening.title},
    )


# --- From attendee to resident ----------------------------------------------------------------
def why_not_resident(registration: Registration) -> str:
    """Why this registration cannot become a resident's file; empty when it can. Someone
    registered may (whether she came or not: a no-show may still want help); someone on the
    waiting list only when she was ticked present after all."""
    if registration.erased_at is not None:
        return _("The details of this registration have been erased.")
    if registration.resident_id is not None:
        return _("This registration is already linked to a resident's file.")
    if registration.status == Registration.Status.CANCELLED:
        return _("This registration was cancelled.")
    if registration.status == Registration.Status.WAITING and not registration.attended:
        return _("This person is on the waiting list and did not come.")
    if registration.kind != Registration.Kind.ENTREPRENEUR:
        return _("Only an entrepreneur's registration can become a resident's file.")
    return ""


def split_name(name: str) -> tuple[str, str]:
    """First and last name from one field: the first word, and the rest ('Fatima el
    Amrani' → 'Fatima', 'el Amrani'). A single word is taken as the first name."""
    words = name.split()
    if not words:
        return "", ""
    return words[0], " ".join(words[1:])


def resident_initial(registration: Registration) -> dict:
    """What the new file starts with: the details the person gave at the evening."""
    first_name, last_name = split_name(registration.name)
    return {
        "desk": registration.evening.desk,
        "first_name": first_name,
        "last_name": last_name,
        "email": registration.email,
        "phone": registration.phone,
        "source": Source.INFO_EVENING,
        "with_intake": "later",
    }


def what_needs_consent(data: dict) -> dict:
    """What of the new file needs consent, from the info evening: the source the page fills
    in does not, as it is left out without consent (``resident_from_registration``)."""
    if data.get("source") == Source.INFO_EVENING:
        return {**data, "source": ""}
    return data


def _lock_open(registration: Registration) -> Registration:
    locked = Registration.objects.select_for_update().get(pk=registration.pk)
    reason = why_not_resident(locked)
    if reason:
        raise EveningError(reason)
    return locked


@transaction.atomic
def resident_from_registration(*, registration: Registration, by, **register_kwargs) -> Resident:
    """A resident's file for someone who came (``services.register_resident``'s arguments), and
    the registration linked to it — both or neither. Without consent the file holds name and
    contact details only: the source "info evening" is left out, as the link says it."""
    locked = _lock_open(registration)
    if register_kwargs["desk"].pk != registration.evening.desk_id:
        raise EveningError(_("The file belongs at the desk of the evening."), "desk")
    if not register_kwargs["consent"]:
        # The source the page filled in is dropped quietly; anything else beyond name and
        # contact details is still refused by the consent rule.
        register_kwargs["fields"] = what_needs_consent(register_kwargs["fields"])
    resident = services.register_resident(by=by, **register_kwargs)
    locked.resident = resident
    locked.save(update_fields=["resident"])
    registration.resident = resident
    return resident


@transaction.atomic
def link_to_resident(*, registration: Registration, resident: Resident, by) -> Resident:
    """The person who came already has a file at the desk: link the registration to it."""
    locked = _lock_open(registration)
    if resident.desk_id != registration.evening.desk_id or resident.erased_at is not None:
        raise EveningError(_("Choose a resident of the desk of the evening."))
    locked.resident = resident
    locked.save(update_fields=["resident"])
    registration.resident = resident
    record_audit(
        by=by,
        action=AuditEntry.Action.CHANGED,
        what=gettext_lazy("Info evening registration linked to the file"),
        resident=resident,
    )
    return resident


# --- From intermediary to partner contact -----------------------------------------------------
def why_not_contact(registration: Registration) -> str:
    if registration.erased_at is not None:
        return _("The details of this registration have been erased.")
    if registration.kind != Registration.Kind.INTERMEDIARY:
        return _("Only an intermediary can become a partner's contact person.")
    if registration.contact_membership_id is not None:
        return _("This intermediary has already been invited as a contact person.")
    if not registration.email:
        return _("An invitation needs an e-mail address, and this registration has none.")
    return ""


@transaction.atomic
def invite_contact(
    *, registration: Registration, by, partner, full_name: str, email: str, site: str
) -> Membership:
    """Invite the intermediary as a contact person of ``partner`` (a partner of the evening's
    desk): a login and a mail to choose a password, as desk management invites anyone."""
    locked = Registration.objects.select_for_update().get(pk=registration.pk)
    reason = why_not_contact(locked)
    if reason:
        raise EveningError(reason)
    try:
        membership = desk_management.invite(
            desk=registration.evening.desk,
            by=by,
            full_name=full_name,
            email=email,
            role=Role.PARTNER,
            partner=partner,
            site=site,
        )
    except desk_management.DeskManagementError as error:
        raise EveningError(error.message, error.field) from None
    locked.contact_membership = membership
    locked.save(update_fields=["contact_membership"])
    registration.contact_membership = membership
    return membership
