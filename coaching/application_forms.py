"""Forms of the Qredits application (issue 11): the request, a document for the checklist, a
document's status and a file. The rules are in ``coaching.applications``; these forms only read
what was typed."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from coaching.amounts import AmountError, format_number, parse_amount
from coaching.applications import APPLICATION_FIELDS
from coaching.models import Enclosure, LoanApplication
from coaching.models.applications import MAX_REPAYMENT_FREE_MONTHS, MAX_TERM_MONTHS

MIN_TERM_MONTHS = 6


class ApplicationForm(forms.Form):
    """What is asked of Qredits, and the coach's recommendation. ``maximum`` is the desk's
    highest loan; ``version`` (when editing) the version of the application the form shows."""

    amount = forms.CharField(
        label=_("Amount requested (€)"),
        max_length=30,
        help_text=_("For example 15.000 or 12.500,50."),
        error_messages={"required": _("Fill in the amount to request.")},
    )
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=300,
        help_text=_("What the loan pays for, in a few words: for example an oven and the shop."),
        error_messages={"required": _("Fill in what the loan is for.")},
    )
    term_months = forms.IntegerField(
        label=_("Term (months)"),
        min_value=MIN_TERM_MONTHS,
        max_value=MAX_TERM_MONTHS,
        help_text=_("From 6 to 120 months."),
        error_messages={"required": _("Fill in the term in months.")},
    )
    repayment_free_months = forms.IntegerField(
        label=_("Repayment-free months"),
        min_value=0,
        max_value=MAX_REPAYMENT_FREE_MONTHS,
        initial=0,
        help_text=_("From 0 to 12, fewer than the term."),
        error_messages={"required": _("Fill in the repayment-free months (0 for none).")},
    )
    recommendation = forms.CharField(
        label=_("Your recommendation"),
        max_length=LoanApplication._meta.get_field("recommendation").max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Why the desk supports this request. Qredits reads it in the pack."),
    )
    # Read with ondernemerspunt.http.bounded_version: a mangled one is an out-of-date page.
    version = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20)

    def __init__(self, *args, maximum: Decimal, **kwargs):
        super().__init__(*args, **kwargs)
        self.maximum = Decimal(maximum)
        self.fields["amount"].help_text = _(
            "For example 15.000 or 12.500,50. At most € %(maximum)s (the desk's highest loan)."
        ) % {"maximum": format_number(self.maximum, places=0)}

    def clean_amount(self):
        try:
            amount = parse_amount(self.cleaned_data["amount"], maximum=self.maximum)
        except AmountError as error:
            raise forms.ValidationError(error.message, code=error.code) from None
        if amount is None or amount <= 0:
            raise forms.ValidationError(_("Fill in the amount to request."), code="required")
        return amount

    def clean_purpose(self):
        return self.cleaned_data["purpose"].strip()

    def clean_recommendation(self):
        return self.cleaned_data["recommendation"].strip()

    def clean(self):
        data = super().clean()
        term, free = data.get("term_months"), data.get("repayment_free_months")
        if term is not None and free is not None and free >= term:
            self.add_error(
                "repayment_free_months",
                _("The repayment-free months must be fewer than the term."),
            )
        return data

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in APPLICATION_FIELDS}


def application_initial(application) -> dict:
    """The form's values for a stored application, amounts written the Dutch way."""
    return {
        "amount": format_number(application.amount, places=2),
        "purpose": application.purpose,
        "term_months": application.term_months,
        "repayment_free_months": application.repayment_free_months,
        "recommendation": application.recommendation,
        "version": application.version,
    }


class EnclosureAddForm(forms.Form):
    title = forms.CharField(
        label=_("Name of the document"),
        max_length=Enclosure._meta.get_field("title").max_length,
        help_text=_("For example: rental agreement of the shop."),
        error_messages={"required": _("Fill in the name of the document.")},
    )

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("Fill in the name of the document."), code="required")
        return title


class EnclosureForm(forms.Form):
    """A document's status and note, as one row of the checklist sends it."""

    status = forms.ChoiceField(
        label=_("Status"),
        choices=Enclosure.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose present, not needed or missing.")},
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=Enclosure._meta.get_field("note").max_length,
        required=False,
    )

    def clean_note(self):
        return self.cleaned_data["note"].strip()


class UploadForm(forms.Form):
    """One file. Its kind and size are checked by ``coaching.uploads``, by its content."""

    file = forms.FileField(
        label=_("File (PDF, JPEG or PNG, at most 10 MB)"),
        allow_empty_file=True,  # an empty file gets the service's message
        max_length=None,
        error_messages={
            "required": _("Choose a file first."),
            "invalid": _("No file was received. Choose the file again."),
            "missing": _("No file was received. Choose the file again."),
        },
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}
        ),
    )


class IdentitySeenForm(forms.Form):
    """The day the coach saw the passport or identity card (today unless she says otherwise)."""

    seen_on = forms.DateField(
        label=_("Seen on"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
