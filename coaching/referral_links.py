"""The personal link in a partner's e-mail: it opens one referral, for a limited time, and is
used up by the answer. The token exists only in the e-mail; only its hash is stored."""

import datetime
import hashlib
import secrets

from django.utils import timezone

from coaching.models import Referral, ReferralLink

# How long the personal link in the partner's e-mail works.
LINK_DAYS = 14


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_link(referral: Referral, email: str) -> tuple[ReferralLink, str]:
    """A link for this one referral; the token exists only in the e-mail (the worker makes it
    while sending), only its hash is stored. A newer link replaces the older ones."""
    now = timezone.now()
    token = secrets.token_urlsafe(32)
    ReferralLink.objects.filter(referral=referral, used_at__isnull=True).update(expires_at=now)
    link = ReferralLink.objects.create(
        referral=referral,
        token_hash=hash_token(token),
        email=email,
        expires_at=now + datetime.timedelta(days=LINK_DAYS),
    )
    return link, token


def find_link(token: str) -> ReferralLink | None:
    """The link for this token, whatever its state (the page says expired or used)."""
    if not token or len(token) > 100:
        return None
    return (
        ReferralLink.objects.select_related(
            "referral__partner", "referral__resident", "referral__consent"
        )
        .filter(token_hash=hash_token(token))
        .first()
    )
