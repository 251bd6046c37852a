"""Consents to share and referrals built in code, for the coach's side of referrals
(tests/coaching/test_referrals.py and the access rows)."""

import datetime

from django.utils import timezone

from coaching.models import PartnerConsent, Referral, SharedField
from coaching.referrals import create_referral
from ondernemerspunt.models import Membership


def cast_partner(cast):
    """The partner organisation cast.partner is a contact of (at cast.desk)."""
    return Membership.objects.get(user=cast.partner, role="partner").partner


def make_consent(resident, partner, *, by, fields=(SharedField.CONTACT,), days=180, **extra):
    today = timezone.localdate()
    return PartnerConsent.objects.create(
        resident=resident,
        partner=partner,
        purpose=extra.pop("purpose", "Een mentor via de KvK"),
        fields=list(fields),
        given_on=extra.pop("given_on", today),
        valid_until=extra.pop("valid_until", today + datetime.timedelta(days=days)),
        recorded_by=by,
        **extra,
    )


def make_draft(cast, *, question="Kan zij een mentor krijgen?", partner=None, **kwargs) -> Referral:
    partner = partner or cast_partner(cast)
    consent = kwargs.pop("consent", None) or make_consent(cast.resident, partner, by=cast.coach)
    return create_referral(
        resident=cast.resident,
        partner=partner,
        consent=consent,
        question=question,
        by=cast.coach,
        **kwargs,
    )
