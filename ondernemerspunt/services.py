"""Writes that belong to the desk itself."""

from django.conf import settings
from django.utils import translation

from ondernemerspunt.models import AuditEntry


def audit_text(what, params: dict | None = None) -> str:
    """The trail's line in the desk's own language (Dutch), whoever caused it and whatever
    language their pages are in: a data-protection officer reads one language. ``what`` is a
    lazy translation (``gettext_lazy``) and ``params`` may hold lazy labels; both are only
    turned into text here."""
    with translation.override(settings.LANGUAGE_CODE):
        text = str(what)
        if params:
            text = text % {key: str(value) for key, value in params.items()}
    return text[:200]


def record_audit(*, by, resident, action: str, what, params: dict | None = None) -> AuditEntry:
    """Append one line to the audit trail about ``resident`` (any object with ``pk`` and
    ``desk_id``: the foundation does not know the resident's model). Call it where personal data
    is viewed, changed or exported, in the view or service that does it, so that the trail reads
    like the code. The line never names the resident: it points at her by number, so that
    erasing her file leaves nothing personal in the trail."""
    return AuditEntry.objects.create(
        actor=by,
        desk_id=resident.desk_id,
        resident_id=resident.pk,
        action=action,
        what=audit_text(what, params),
    )


def record_desk_audit(*, by, desk_id: int, action: str, what, params: dict | None = None):
    """Append one line about a desk's residents in general, not one file: a search of the
    resident list, for instance, or a change to the desk's settings."""
    return AuditEntry.objects.create(
        actor=by, desk_id=desk_id, action=action, what=audit_text(what, params)
    )
