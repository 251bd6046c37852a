"""Forms of the lender's decision and the business start. They only read what was typed; the
rules (dates, amounts, stages, the KvK number) are in ``coaching.outcomes``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from coaching.fields import AmountField
from coaching.models import LoanApplication
from intake.models import Conversation

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
Status = LoanApplication.Status


def _date(label, help_text="", required=False):
    return forms.DateField(label=label, help_text=help_text, required=required, widget=DATE)


class DecisionForm(forms.Form):
    submitted_on = _date(
        _("Submitted to Qredits on"),
        _("Required when you record a decision: a decision means the application was submitted."),
    )
    decision = forms.ChoiceField(
        label=_("The lender's decision"),
        required=False,
        widget=forms.RadioSelect,
        choices=[
            ("", _("no decision yet (only submitted)")),
            (Status.APPROVED, _("approved")),
            (Status.DECLINED, _("declined")),
            (Status.WITHDRAWN, _("withdrawn")),
        ],
    )
    decided_on = _date(_("Decided on"))
    amount_granted = AmountField(
        label=_("Amount granted (€)"),
        help_text=_("Only when approved. Qredits may grant less than was asked."),
    )
    paid_out_on = _date(_("Paid out on"), _("Only when approved; you can add it later."))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, submitted=False, **kwargs):
        super().__init__(*args, **kwargs)
        if submitted:
            # The day stays once recorded: the stage history counts from it.
            field = self.fields["submitted_on"]
            field.disabled = True
            field.help_text = _("Recorded when the application was submitted; it stays.")
        else:
            self.fields["submitted_on"].help_text = _(
                "Required when you record a decision, except for an application withdrawn "
                "before it was submitted."
            )


class PayoutForm(forms.Form):
    paid_out_on = _date(_("Paid out on"), required=True)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


def _kvk_number():
    return forms.CharField(
        label=_("KvK number"),
        required=False,
        max_length=20,
        help_text=_("8 digits, if the business is registered with the KvK."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class BusinessStartForm(forms.Form):
    started_on = _date(_("The business started on"), required=True)
    kvk_number = _kvk_number()
    channel = forms.ChoiceField(
        label=_("How you heard of the start"),
        choices=Conversation.Channel.choices,
        initial=Conversation.Channel.PHONE,
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration of the contact (minutes)"), min_value=1, max_value=600, initial=15
    )


class AftercareContactForm(forms.Form):
    step = forms.IntegerField(widget=forms.HiddenInput)
    held_on = _date(_("Held on"), required=True)


class StillTradingForm(forms.Form):
    still_trading = forms.TypedChoiceField(
        label=_("Is the business still trading, 12 months after the start?"),
        choices=[("yes", _("yes, still trading")), ("no", _("no, it has stopped"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )


class KvkNumberForm(forms.Form):
    """The KvK number put right after the start was recorded (a typo, or registered later)."""

    kvk_number = _kvk_number()


class CorrectDecisionForm(forms.Form):
    """A decision recorded by mistake, put right; the note says what was wrong (it goes with
    the stage's correction)."""

    decision = forms.ChoiceField(
        label=_("The lender's decision"),
        widget=forms.RadioSelect,
        choices=[
            (Status.APPROVED, _("approved")),
            (Status.DECLINED, _("declined")),
            (Status.WITHDRAWN, _("withdrawn")),
        ],
    )
    decided_on = _date(_("Decided on"), required=True)
    amount_granted = AmountField(label=_("Amount granted (€)"), help_text=_("Only when approved."))
    paid_out_on = _date(_("Paid out on"), _("Only when approved; you can leave it empty."))
    note = forms.CharField(
        label=_("What was wrong"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: declined was clicked, Qredits approved it."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
