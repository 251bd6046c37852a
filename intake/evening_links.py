"""The link in every mail about an info evening with which someone cancels: a signed token that
names only the registration's row, never stored, so that nobody can guess another's link."""

from django.core import signing

from intake.models import Registration

CANCEL_SALT = "intake.evenings.cancel"


def cancel_token(registration: Registration) -> str:
    """The token in the mail's cancel link. Signed, not stored; it names only the row."""
    return signing.dumps(registration.pk, salt=CANCEL_SALT)


def registration_for_token(token: str) -> Registration | None:
    try:
        pk = signing.loads(token, salt=CANCEL_SALT)
    except signing.BadSignature:
        return None
    return (
        Registration.objects.select_related("evening__desk")
        .filter(pk=pk, erased_at__isnull=True)
        .first()
    )
