"""Writes that belong to the desk itself."""

from ondernemerspunt.models import AuditEntry


def record_audit(*, actor, desk, action: str, what: str, resident=None) -> AuditEntry:
    """Append one line to the audit trail. Call it where personal data is viewed, changed or
    exported, in the view or service that does it, so that the trail reads like the code."""
    return AuditEntry.objects.create(
        actor=actor, desk=desk, action=action, what=what[:200], resident=resident
    )
