"""The partner contact's forms: which referrals the inbox shows, and the answer to one.

The form cleans and converts; what a partner may answer is decided by
``coaching.referrals.answer_referral`` (its refusals come back to the fields named here).
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from coaching.models import Referral
from coaching.referrals import PARTNER_MOVES
from ondernemerspunt.http import MAX_VERSION

Status = Referral.Status

# The answer's labels on the partner's page: what the partner does, not the status's name.
ANSWER_LABELS = {
    Status.IN_PROGRESS: _("Taken up: we are working on it"),
    Status.DONE: _("Completed (describe the outcome)"),
    Status.DECLINED: _("Declined (give the reason)"),
}


class InboxFilterForm(forms.Form):
    OPEN = "open"
    ALL = "all"

    show = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[(OPEN, _("open referrals")), (ALL, _("all referrals"))],
    )

    def filter_qs(self, queryset):
        show = self.cleaned_data.get("show") if self.is_valid() else ""
        if show != self.ALL:
            queryset = queryset.filter(status__in=(Status.SENT, Status.IN_PROGRESS))
        return queryset


class AnswerForm(forms.Form):
    """Field names are stable (``status``, ``note``, ``version``): the rules' refusals name
    them, and the browser test fills them in."""

    status = forms.ChoiceField(
        label=_("Your answer"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose your answer.")},
    )
    note = forms.CharField(
        label=_("Note for the coach"),
        help_text=_(
            "Required for an outcome or a reason for declining. The coach reads it; the resident "
            "may ask to see it."
        ),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=MAX_VERSION)

    def __init__(self, referral: Referral, data=None):
        super().__init__(data, initial={"version": referral.version})
        self.fields["status"].choices = [
            (status, ANSWER_LABELS[status]) for status in PARTNER_MOVES.get(referral.status, ())
        ]
