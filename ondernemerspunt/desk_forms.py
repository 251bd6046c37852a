"""Forms of desk management (issue 12). They clean and convert; the rules (the last
coordinator, one target per year, unique names) are checked in ``desk_management.py``."""

from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.password_validation import get_default_password_validators
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import postcode as nl_postcode

from ondernemerspunt.desk_management import (
    NEIGHBOURHOOD_FIELDS,
    PARTNER_FIELDS,
    SETTINGS_FIELDS,
    fingerprint,
)
from ondernemerspunt.models import Desk, Neighbourhood, Partner, Role, YearTarget


class BasedOnMixin:
    """A hidden digest of the saved values the form was opened with (``fingerprint``): the
    save is refused when someone else changed them in the meantime."""

    based_on_fields: tuple = ()

    def add_based_on(self, instance):
        self.fields["based_on"] = forms.CharField(
            widget=forms.HiddenInput, required=False, max_length=64
        )
        if instance is not None and instance.pk:
            self.fields["based_on"].initial = fingerprint(instance, self.based_on_fields)

    def based_on(self) -> str:
        return self.cleaned_data.get("based_on") or ""


class DeskSettingsForm(BasedOnMixin, forms.ModelForm):
    based_on_fields = SETTINGS_FIELDS

    retention_days = forms.IntegerField(
        label=_("Keep files for (days)"),
        required=False,
        min_value=30,
        max_value=3650,
        help_text=_(
            "Empty: no retention rule. At least 30 days, at most 3650 (ten years). The "
            "coordinator confirms the list of files before anything is erased."
        ),
        error_messages={
            "min_value": _("Keep files for at least 30 days, or leave this empty."),
            "max_value": _("Keep files for at most 3650 days (ten years)."),
            "invalid": _("Write a whole number of days, such as 730."),
        },
    )

    class Meta:
        model = Desk
        fields = list(SETTINGS_FIELDS)
        widgets = {"retention_after": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_based_on(self.instance)
        # A bound set after the field is built needs its validator too (Django adds them only
        # while building): a loan limit of 0 or less would fail every plan.
        _at_least(self.fields["max_loan_amount"], 1)
        # A threshold of 1 hides no count at all from the project group.
        _at_least(self.fields["small_count_threshold"], 2)
        self.fields["retention_after"].help_text = _(
            "Files are proposed for erasure this many days after that moment."
        )

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in SETTINGS_FIELDS}


def _at_least(field, minimum) -> None:
    field.min_value = minimum
    field.validators.append(MinValueValidator(minimum))
    field.widget.attrs["min"] = minimum


class YearTargetForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    participants = forms.IntegerField(
        label=_("Participants"),
        min_value=1,
        max_value=100000,
        help_text=_("Residents who start their trajectory (in traject) in that year."),
    )


class YearTargetEditForm(BasedOnMixin, forms.Form):
    based_on_fields = ("participants",)

    participants = YearTargetForm.base_fields["participants"]

    def __init__(self, *args, target: YearTarget, **kwargs):
        kwargs.setdefault("initial", {"participants": target.participants})
        super().__init__(*args, **kwargs)
        self.add_based_on(target)


def clean_postcode(value: str) -> str:
    """'9713 ab', '9713AB' and '9713 AB' all become '9713AB' (as the ranges are stored)."""
    try:
        return nl_postcode.compact(nl_postcode.validate(value))
    except StdnumError:
        raise forms.ValidationError(
            _("This is not a Dutch postcode. Write four digits and two letters, like 9713AB."),
            code="postcode",
        ) from None


class NeighbourhoodForm(BasedOnMixin, forms.ModelForm):
    based_on_fields = NEIGHBOURHOOD_FIELDS

    postcode_from = forms.CharField(label=_("First postcode"), max_length=10)
    postcode_to = forms.CharField(label=_("Last postcode"), max_length=10)

    class Meta:
        model = Neighbourhood
        fields = list(NEIGHBOURHOOD_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_based_on(self.instance)
        self.fields["postcode_from"].help_text = _("For example 9713AA.")
        self.fields["postcode_to"].help_text = _("For example 9713ZZ.")

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean_postcode_from(self):
        return clean_postcode(self.cleaned_data["postcode_from"])

    def clean_postcode_to(self):
        return clean_postcode(self.cleaned_data["postcode_to"])

    def clean(self):
        data = super().clean()
        start, end = data.get("postcode_from"), data.get("postcode_to")
        if start and end and start > end:
            self.add_error(
                "postcode_to",
                _("The last postcode comes before the first one. Swap them, or correct one."),
            )
        return data

    def _post_clean(self):
        # The desk is set by the service; the model's own checks add nothing here.
        pass

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in NEIGHBOURHOOD_FIELDS}


class PartnerForm(BasedOnMixin, forms.ModelForm):
    based_on_fields = PARTNER_FIELDS

    answer_days = forms.IntegerField(
        label=Partner._meta.get_field("answer_days").verbose_name,
        required=False,
        min_value=1,
        max_value=60,
        help_text=_(
            "A referral without an answer after this many working days is flagged on the "
            "coach's home page. Empty: 10."
        ),
        error_messages={
            "min_value": _("Write a number of working days from 1 to 60."),
            "max_value": _("Write a number of working days from 1 to 60."),
            "invalid": _("Write a number of working days from 1 to 60."),
        },
    )

    class Meta:
        model = Partner
        fields = list(PARTNER_FIELDS)
        widgets = {
            "phone": forms.TextInput(attrs={"type": "tel"}),
            "offers": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_based_on(self.instance)

    def clean_offers(self):
        return self.cleaned_data["offers"].strip()

    def clean_answer_days(self):
        # Left empty: the usual ten working days.
        days = self.cleaned_data["answer_days"]
        return Partner._meta.get_field("answer_days").default if days is None else days

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def _post_clean(self):
        # The desk (and so the unique name per desk) is the service's to check.
        pass

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in PARTNER_FIELDS}


class RoleFieldsMixin:
    """Role, partner organisation (partner contacts) and organisation (project group)."""

    def add_role_fields(self, desk):
        self.fields["role"] = forms.ChoiceField(label=_("Role"), choices=Role.choices)
        self.fields["partner"] = forms.ModelChoiceField(
            label=_("Partner organisation"),
            queryset=Partner.objects.filter(desk=desk),
            required=False,
            help_text=_("Only for a partner contact: the organisation they work for."),
        )
        self.fields["organisation"] = forms.CharField(
            label=_("Organisation"),
            max_length=120,
            required=False,
            help_text=_("Only for a project group member: KvK, gemeente, Lefier, …"),
        )

    def clean(self):
        data = super().clean()
        partner_missing = data.get("role") == Role.PARTNER and not data.get("partner")
        if partner_missing and "partner" not in self.errors:
            self.add_error("partner", _("Choose the partner organisation this contact works for."))
        return data

    def role_values(self) -> dict:
        data = self.cleaned_data
        return {
            "role": data["role"],
            "partner": data["partner"] if data["role"] == Role.PARTNER else None,
            "organisation": data["organisation"] if data["role"] == Role.PROJECT_GROUP else "",
        }


class InviteForm(RoleFieldsMixin, forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("The invitation goes to this address; it is also how they log in."),
    )

    def __init__(self, *args, desk, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_role_fields(desk)
        self.fields["role"].initial = Role.COACH

    def clean_full_name(self):
        return self.cleaned_data["full_name"].strip()

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class MembershipForm(RoleFieldsMixin, forms.Form):
    def __init__(self, *args, membership, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "role": membership.role,
                "partner": membership.partner_id,
                "organisation": membership.organisation,
            },
        )
        super().__init__(*args, **kwargs)
        self.add_role_fields(membership.desk)


class ChoosePasswordForm(SetPasswordForm):
    """The first password, with the project's rules (``AUTH_PASSWORD_VALIDATORS``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lengths = [getattr(v, "min_length", 0) for v in get_default_password_validators()]
        self.fields["new_password1"].help_text = _(
            "At least %(min_length)d characters. Not only digits, and not your name or "
            "e-mail address."
        ) % {"min_length": max(lengths, default=0) or 8}
