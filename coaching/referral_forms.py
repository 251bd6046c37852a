"""The forms of referrals: a consent to share with a partner, a referral, taking one back, and
the filters of the desk's list. The rules are ``coaching.referrals``; a refusal it raises is
put next to its field (``add_refusal``)."""

import datetime

from django import forms
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coaching.models import Referral, SharedField
from coaching.referrals import MAX_CONSENT_DAYS, valid_consents
from intake.models import Situation, SupportNeed
from ondernemerspunt.models import Membership, Partner, Role, User

# A new consent runs half a year unless the coach chooses otherwise.
DEFAULT_CONSENT_DAYS = 182

# Which partner to suggest for a support need of a conversation, by the partner's kind, in
# order of preference.
SUGGESTED_KINDS = {
    SupportNeed.FROM_BENEFITS: (Partner.Kind.UWV, Partner.Kind.MUNICIPALITY),
    SupportNeed.MENTORING: (Partner.Kind.KVK,),
    SupportNeed.FINANCING: (Partner.Kind.QREDITS, Partner.Kind.BANK),
}


def suggested_partner(partners, need: str, situation: str = ""):
    """The first of ``partners`` whose kind suits the support need, or None. Starting from
    bijstand is the municipality's (Bbz), from WW the UWV's."""
    kinds = SUGGESTED_KINDS.get(need, ())
    if need == SupportNeed.FROM_BENEFITS and situation == Situation.BENEFITS_BIJSTAND:
        kinds = (Partner.Kind.MUNICIPALITY, Partner.Kind.UWV)
    for kind in kinds:
        for partner in partners:
            if partner.kind == kind:
                return partner
    return None


class PartnerConsentForm(forms.Form):
    partner = forms.ModelChoiceField(
        label=_("Partner organisation"), queryset=Partner.objects.none()
    )
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=200,
        help_text=_("What the partner may use it for, e.g. 'a mentor through the KvK'."),
    )
    fields = forms.MultipleChoiceField(
        label=_("What may be shared"),
        choices=SharedField.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("The name is always shared. Financial figures never are."),
    )
    valid_until = forms.DateField(
        label=_("Valid until"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("At most a year from today."),
    )

    def __init__(self, resident, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.filter(desk_id=resident.desk_id)
        today = timezone.localdate()
        self.fields["valid_until"].initial = today + datetime.timedelta(days=DEFAULT_CONSENT_DAYS)
        self.fields["valid_until"].widget.attrs["max"] = (
            today + datetime.timedelta(days=MAX_CONSENT_DAYS)
        ).isoformat()

    def clean_purpose(self):
        return self.cleaned_data["purpose"].strip()


class ContactChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return f"{user.full_name or user.email} ({user.partner_name})"


class ConsentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, consent):
        return _("%(partner)s: %(purpose)s (until %(until)s)") % {
            "partner": consent.partner.name,
            "purpose": consent.purpose,
            "until": consent.valid_until.strftime("%d-%m-%Y"),
        }


class ReferralForm(forms.Form):
    partner = forms.ModelChoiceField(
        label=_("Partner organisation"), queryset=Partner.objects.none()
    )
    contact = ContactChoiceField(
        label=_("Contact person"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Optional. Without one, the e-mail goes to the organisation's address."),
    )
    consent = ConsentChoiceField(
        label=_("Consent to share"),
        queryset=None,
        required=False,
        help_text=_(
            "Only the resident's valid consents. Left empty: the one consent for this partner."
        ),
    )
    question = forms.CharField(
        label=_("Question for the partner"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    # Where the referral came from (a conversation's support need): hidden, and anything
    # that is not one of this resident's conversations or a known need is simply dropped.
    gesprek = forms.CharField(widget=forms.HiddenInput, required=False)
    behoefte = forms.CharField(widget=forms.HiddenInput, required=False)

    # The partner chosen when the resident has no valid consent for it (the page links to
    # recording one).
    no_consent_for = None

    def __init__(self, resident, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.resident = resident
        partners = Partner.objects.filter(desk_id=resident.desk_id)
        self.fields["partner"].queryset = partners
        self.fields["contact"].queryset = _contacts_of_desk(resident.desk_id)
        self.fields["consent"].queryset = valid_consents(resident).select_related("partner")

    def clean_question(self):
        return self.cleaned_data["question"].strip()

    def clean_gesprek(self):
        pk = self.cleaned_data.get("gesprek") or ""
        if not pk.isdigit() or len(pk) > 10:
            return None
        return self.resident.conversations.filter(pk=int(pk)).first()

    def clean_behoefte(self):
        need = self.cleaned_data.get("behoefte") or ""
        return need if need in SupportNeed.values else ""

    def clean(self):
        cleaned = super().clean()
        partner, consent = cleaned.get("partner"), cleaned.get("consent")
        if partner is None:
            return cleaned
        if consent is None and "consent" not in self.errors:
            for_partner = list(valid_consents(self.resident, partner)[:2])
            if len(for_partner) == 1:
                cleaned["consent"] = for_partner[0]
            elif for_partner:
                self.add_error("consent", _("The resident gave more than one consent: choose one."))
            else:
                self.no_consent_for = partner
                self.add_error(
                    "consent",
                    _("There is no valid consent to share with %(partner)s yet.")
                    % {"partner": partner.name},
                )
        return cleaned


def _contacts_of_desk(desk_id):
    """The active contact people of the desk's partners, each labelled with the organisation."""
    name = Membership.objects.filter(
        user=OuterRef("pk"),
        role=Role.PARTNER,
        is_active=True,
        partner__desk_id=desk_id,
    ).values("partner__name")[:1]
    return (
        User.objects.filter(
            Q(
                memberships__role=Role.PARTNER,
                memberships__is_active=True,
                memberships__partner__desk_id=desk_id,
            ),
            is_active=True,
        )
        .annotate(partner_name=Subquery(name))
        .distinct()
        .order_by("full_name", "pk")
    )


class WithdrawReferralForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the referral taken back?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ReferralFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("all"))] + list(Referral.Status.choices), required=False
    )
    partner = forms.ModelChoiceField(
        label=_("Partner organisation"),
        queryset=Partner.objects.none(),
        required=False,
        empty_label=_("all"),
    )
    te_laat = forms.BooleanField(label=_("Only overdue answers"), required=False)

    def __init__(self, desk_ids, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.filter(desk_id__in=desk_ids)

    def filter_qs(self, queryset):
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["status"]:
            queryset = queryset.filter(status=data["status"])
        if data["partner"] is not None:
            queryset = queryset.filter(partner=data["partner"])
        if data["te_laat"]:
            queryset = queryset.filter(
                status=Referral.Status.SENT, answer_due_on__lt=timezone.localdate()
            )
        return queryset
