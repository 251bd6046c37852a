"""Referrals as the partner gets them, made through the rules (coaching.referrals): a consent to
share, a referral, sent; and the personal link of its e-mail."""

import datetime

from django.utils import timezone

from coaching import referrals
from coaching.referral_links import new_link
from ondernemerspunt.models import Membership, Role

SITE = "http://testserver"


def partner_of(user):
    """The partner organisation of a partner contact (cast.partner's)."""
    return Membership.objects.get(user=user, role=Role.PARTNER).partner


def consent_for(resident, partner, *, by, fields=("contact",), days=90, purpose="Starterscoaching"):
    return referrals.record_partner_consent(
        resident=resident,
        partner=partner,
        purpose=purpose,
        fields=list(fields),
        valid_until=timezone.localdate() + datetime.timedelta(days=days),
        by=by,
    )


def sent_referral(
    resident, partner, *, by, fields=("contact",), question="Kan zij een mentor krijgen?", send=True
):
    """A referral of ``resident`` to ``partner`` under a fresh consent to share ``fields``,
    sent (unless ``send`` is off: a draft)."""
    consent = consent_for(resident, partner, by=by, fields=fields)
    referral = referrals.create_referral(
        resident=resident, partner=partner, consent=consent, question=question, by=by
    )
    if send:
        referral = referrals.send_referral(referral=referral, by=by, site=SITE)
    return referral


def cast_referral(cast, **kwargs):
    """A sent referral of the cast's resident to the cast's partner contact's organisation."""
    return sent_referral(cast.resident, partner_of(cast.partner), by=cast.coach, **kwargs)


def link_token(referral) -> str:
    """The token of a fresh personal link for ``referral`` (as the e-mail carries it)."""
    _link, token = new_link(referral, "kvk@example.test")
    return token
