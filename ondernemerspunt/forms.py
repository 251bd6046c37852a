from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from ondernemerspunt.models import AuditEntry


class LoginForm(AuthenticationForm):
    """Log in with the e-mail address. The error never says whether the account exists."""

    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": _(
            "This e-mail address and password do not match an active account. "
            "Check both and try again."
        ),
        "inactive": _(
            "This e-mail address and password do not match an active account. "
            "Check both and try again."
        ),
    }

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


class AuditFilterForm(forms.Form):
    """Filters the audit trail; ``filter_qs`` applies what was chosen."""

    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[("", _("all actions")), *AuditEntry.Action.choices],
    )
    resident = forms.IntegerField(label=_("Resident number"), required=False, min_value=1)

    def filter_qs(self, queryset):
        if not self.is_valid():
            return queryset
        if self.cleaned_data["action"]:
            queryset = queryset.filter(action=self.cleaned_data["action"])
        if self.cleaned_data["resident"]:
            queryset = queryset.filter(resident_id=self.cleaned_data["resident"])
        return queryset
