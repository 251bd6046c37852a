"""The copy of her data (PDF): the codes of referrals, consents and consultations as words."""

from django import template

from coaching.models import BenefitsConsultation, Referral, SharedField

register = template.Library()

CHOICES = {
    "referral_status": Referral.Status,
    "shared_field": SharedField,
    "consultation_with": BenefitsConsultation.With,
    "consultation_outcome": BenefitsConsultation.Outcome,
}


@register.filter
def referral_label(value, kind: str) -> str:
    """A choice's code → its label (``sent`` → "sent")."""
    choices = CHOICES.get(kind)
    if not value:
        return ""
    if choices is not None and value in choices.values:
        return str(choices(value).label)
    return str(value)
