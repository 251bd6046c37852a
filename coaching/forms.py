"""Forms around the business plan: comparing revisions, the plan list
filter, and the resident's first password. The plan's own parts are ``coaching.section_forms``.
"""

from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from coaching.reviews import waiting_revisions_of_plans


class CompareForm(forms.Form):
    """Which two revisions to compare (``?van=1&naar=2``)."""

    van = forms.TypedChoiceField(label=_("Compare version"), coerce=int)
    naar = forms.TypedChoiceField(label=_("with version"), coerce=int)

    def __init__(self, *args, numbers, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(n, n) for n in numbers]
        self.fields["van"].choices = choices
        self.fields["naar"].choices = choices


class PlanFilterForm(forms.Form):
    """Which plans the list shows. *Waiting for review* follows the review queue: a handed-in
    version stays waiting while the resident goes on writing, until a review of it concludes."""

    WAITING = "waiting"
    NOT_SUBMITTED = "not_submitted"

    status = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("", _("all plans")),
            (WAITING, _("waiting for review")),
            (NOT_SUBMITTED, _("never handed in")),
        ],
    )

    def filter_qs(self, queryset):
        if not self.is_valid():
            return queryset
        status = self.cleaned_data["status"]
        if status == self.WAITING:
            waiting = waiting_revisions_of_plans().filter(plan=OuterRef("pk"))
            queryset = queryset.filter(Exists(waiting))
        elif status == self.NOT_SUBMITTED:
            queryset = queryset.filter(revisions__isnull=True)
        return queryset


class ChoosePasswordForm(SetPasswordForm):
    """The resident chooses a password with the invitation link (Django's rules apply).

    Django's own list of rules addresses the reader formally ("Uw wachtwoord ...") in long
    sentences; this is often a resident's first page, so it says the same in plain words.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = _(
            "At least %(min_length)d characters. Not only digits, and not your name or "
            "e-mail address."
        ) % {"min_length": _minimum_password_length()}


def _minimum_password_length() -> int:
    from django.contrib.auth.password_validation import get_default_password_validators

    lengths = [getattr(v, "min_length", 0) for v in get_default_password_validators()]
    return max(lengths, default=0) or 8
