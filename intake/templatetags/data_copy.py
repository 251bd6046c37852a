"""Showing a copy of someone's data (``intake.data_copy``) in the PDF: the JSON-ready values
the exporters give, as a person reads them (dates Dutch, choices by their label)."""

import datetime

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext as _

from intake.models import (
    Conversation,
    Correction,
    DropOutReason,
    NextStep,
    Registration,
    Resident,
    Situation,
    Source,
    Stage,
    SupportNeed,
)
from ondernemerspunt.access import desk_ids_for
from ondernemerspunt.models import AuditEntry, Role

register = template.Library()

CHOICES = {
    "stage": Stage,
    "situation": Situation,
    "source": Source,
    "support_need": SupportNeed,
    "drop_out_reason": DropOutReason,
    "conversation_kind": Conversation.Kind,
    "channel": Conversation.Channel,
    "owner": NextStep.Owner,
    "correction": Correction.Kind,
    "action": AuditEntry.Action,
    "registration_kind": Registration.Kind,
    "registration_status": Registration.Status,
    "organisation_kind": Registration.OrganisationKind,
    "heard_from": Registration.HeardFrom,
}


def parse_moment(value):
    """ISO text as the exporters write it → a date or an aware datetime; None otherwise."""
    if not isinstance(value, str) or len(value) < 10 or value[4:5] != "-":
        return None
    try:
        if len(value) == 10:
            return datetime.date.fromisoformat(value)
        return datetime.datetime.fromisoformat(value)
    except ValueError:
        return None


@register.filter
def copy_day(value) -> str:
    """``2009-03-31`` (or a moment on that day) → ``31-03-2009``."""
    parsed = parse_moment(value)
    if parsed is None:
        return value or ""
    if isinstance(parsed, datetime.datetime):
        parsed = timezone.localtime(parsed) if timezone.is_aware(parsed) else parsed
    return parsed.strftime("%d-%m-%Y")


@register.filter
def copy_moment(value) -> str:
    """``2009-03-31T14:05:00+02:00`` → ``31-03-2009 14:05`` (the desk's time)."""
    parsed = parse_moment(value)
    if not isinstance(parsed, datetime.datetime):
        return copy_day(value)
    parsed = timezone.localtime(parsed) if timezone.is_aware(parsed) else parsed
    return parsed.strftime("%d-%m-%Y %H:%M")


@register.filter
def copy_label(value, kind: str) -> str:
    """A choice's code → its label (``in_trajectory`` → "in traject"); a list of codes too."""
    if isinstance(value, list):
        return ", ".join(copy_label(item, kind) for item in value)
    choices = CHOICES.get(kind)
    if not value:
        return ""
    if choices is not None and value in choices.values:
        return str(choices(value).label)
    return str(value)


@register.filter
def copy_value(value) -> str:
    """Any JSON-ready value in a line: dates Dutch, yes/no, lists joined, nothing as '–'."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return "; ".join(copy_value(item) for item in value) or "–"
    if isinstance(value, dict):
        return "; ".join(f"{key}: {copy_value(item)}" for key, item in value.items()) or "–"
    parsed = parse_moment(value)
    if isinstance(parsed, datetime.datetime):
        return copy_moment(value)
    if parsed is not None:
        return copy_day(value)
    return str(value)


@register.filter
def correction_rows(correction: dict) -> list[tuple[str, str, str]]:
    """(what, before, after) for each value a correction changed."""
    before, after = correction.get("before") or {}, correction.get("after") or {}
    rows = []
    for key in dict.fromkeys([*before, *after]):
        if key == "coach" and "coach_name" in before | after:
            continue  # the coach's number; the name follows
        rows.append((field_label(key), _shown(key, before.get(key)), _shown(key, after.get(key))))
    return rows


def field_label(key: str) -> str:
    if key == "coach_name":
        key = "coach"
    for model in (Conversation, NextStep, Resident):
        try:
            return str(model._meta.get_field(key).verbose_name)
        except FieldDoesNotExist:
            continue
    return key


def _shown(key, value) -> str:
    if key == "support_needs":
        return copy_label(value or [], "support_need") or "–"
    if key in ("kind", "channel", "owner") and value:
        kind = {"kind": "conversation_kind"}.get(key, key)
        return copy_label(value, kind)
    return copy_value(value)


@register.filter
def file_rows(file: dict) -> list[tuple[str, str]]:
    """The file's fields with the labels the coach's page uses."""
    choices = {"situation": "situation", "source": "source", "stage": "stage"}
    rows = []
    for key, value in file.items():
        if key == "login":
            label = _("login (e-mail address)")
        elif key in ("created_at", "updated_at"):
            label = _("file made") if key == "created_at" else _("file last changed")
        else:
            label = field_label(key)
        shown = copy_label(value, choices[key]) if key in choices else copy_value(value)
        rows.append((label, shown or "–"))
    return rows


@register.simple_tag(takes_context=True)
def may_make_data_copy(context, resident) -> bool:
    """Whether the user is a coordinator of the resident's desk (as in
    ``access.coordinated_resident_for``): the link to the copy's page is shown only to
    them. Memberships are cached on the user."""
    user = context["request"].user
    return resident.desk_id in desk_ids_for(user, roles=(Role.COORDINATOR,))
