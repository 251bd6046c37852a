"""Writes that belong to the desk itself."""

from ondernemerspunt.models import AuditEntry


def record_audit(*, by, resident, action: str, what: str) -> AuditEntry:
    """Append one line to the audit trail about ``resident`` (any object with ``pk`` and
    ``desk_id``: the foundation does not know the resident's model). Call it where personal data
    is viewed, changed or exported, in the view or service that does it, so that the trail reads
    like the code."""
    return AuditEntry.objects.create(
        actor=by,
        desk_id=resident.desk_id,
        resident_id=resident.pk,
        action=action,
        what=what[:200],
    )


def record_desk_audit(*, by, desk_id: int, action: str, what: str) -> AuditEntry:
    """Append one line about a desk's residents in general, not one file: a search of the
    resident list, for instance."""
    return AuditEntry.objects.create(actor=by, desk_id=desk_id, action=action, what=what[:200])
