"""The public registration form for an info evening (no login).

It cleans what a visitor typed; the rules (a place or the waiting list, one registration per
person, the deadline) are in ``intake/evenings.py``. Two fields are there for scripts, not
people: ``website`` is hidden from people (a person leaves it empty, a script that fills every
field does not) and ``stamp`` holds the signed moment the form was shown (the time check).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from intake.evenings import filled_in_by_a_person, form_stamp
from intake.models import Registration
from intake.models.evenings import NAME_MAX, Audience
from intake.validators import normalise_phone
from ondernemerspunt.apps import EMPTY_CHOICE_LABEL

# The columns' lengths (intake/models/evenings.py).
PHONE_MAX = Registration._meta.get_field("phone").max_length
ORGANISATION_MAX = Registration._meta.get_field("organisation").max_length
ROLE_MAX = Registration._meta.get_field("role").max_length

# Not form fields: the template writes them, and only the raw data is read (a field of their
# own would put their errors in the summary). The hidden field is hidden from people by
# evenings.css and from screen readers by the template (aria-hidden, no tab stop).
HONEYPOT = "website"
STAMP = "stamp"


def _too_long(what):
    """The field's own message for too long a text, and a plain one for a character nobody
    types (Django's says "null characters", which means nothing to a visitor)."""
    return {
        "max_length": what,
        "null_characters_not_allowed": _(
            "This contains a character that cannot be used. Type it again, please."
        ),
    }


class PublicRegistrationForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("I am coming as"),
        choices=[
            (Registration.Kind.ENTREPRENEUR, _("(future) entrepreneur")),
            (Registration.Kind.INTERMEDIARY, _("someone who helps entrepreneurs (intermediary)")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how you are coming."),
            "invalid_choice": _("Choose how you are coming."),
        },
    )
    name = forms.CharField(
        label=_("Your name"),
        max_length=NAME_MAX,
        error_messages={
            "required": _("Fill in your name."),
            **_too_long(_("Your name is too long: write at most %(limit_value)s characters.")),
        },
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        max_length=254,
        help_text=_(
            "Fill in your e-mail address or your phone number: one of the two is enough. "
            "With an e-mail address you get a confirmation."
        ),
        error_messages={
            "invalid": _("This is not an e-mail address. Write it like name@example.nl."),
            **_too_long(_("This e-mail address is too long.")),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone number"),
        required=False,
        max_length=30,
        error_messages=_too_long(_("This phone number is too long.")),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}),
    )
    organisation = forms.CharField(
        label=_("Organisation"),
        required=False,
        max_length=ORGANISATION_MAX,
        error_messages=_too_long(
            _("The name of the organisation is too long: write at most %(limit_value)s characters.")
        ),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    organisation_kind = forms.ChoiceField(
        label=_("Kind of organisation"),
        required=False,
        choices=[],
        error_messages={"invalid_choice": _("Choose a kind of organisation from the list.")},
    )
    role = forms.CharField(
        label=_("Your role"),
        required=False,
        max_length=ROLE_MAX,
        help_text=_("For example: account manager, bookkeeper, neighbourhood worker."),
        error_messages=_too_long(
            _("Your role is too long: write at most %(limit_value)s characters.")
        ),
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    heard_from = forms.ChoiceField(
        label=_("How did you hear about this evening?"),
        required=False,
        choices=[],
        error_messages={"invalid_choice": _("Choose an answer from the list, or leave it empty.")},
    )
    may_contact = forms.BooleanField(
        label=_("Yes, the desk may contact me later about what it can do for entrepreneurs."),
        help_text=_("You do not have to. You can say no again at any time."),
        required=False,
    )

    def __init__(self, *args, evening, **kwargs):
        super().__init__(*args, **kwargs)
        self.evening = evening
        self.fields["organisation_kind"].choices = [
            ("", EMPTY_CHOICE_LABEL),
            *Registration.OrganisationKind.choices,
        ]
        self.fields["heard_from"].choices = [
            ("", EMPTY_CHOICE_LABEL),
            *Registration.HeardFrom.choices,
        ]
        if evening.audience != Audience.BOTH:
            del self.fields["kind"]  # the audience says how they come
        if evening.audience == Audience.INTERMEDIARIES:
            for name in self.INTERMEDIARY_FIELDS:
                self.fields[name].required = True
        elif evening.audience == Audience.ENTREPRENEURS:
            for name in self.INTERMEDIARY_FIELDS:
                del self.fields[name]
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect | forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")

    INTERMEDIARY_FIELDS = ("organisation", "organisation_kind", "role")
    REQUIRED_FOR_INTERMEDIARIES = {
        "organisation": _("Fill in the organisation you work for."),
        "organisation_kind": _("Choose the kind of organisation."),
        "role": _("Fill in your role in the organisation."),
    }

    @property
    def asks_kind(self) -> bool:
        return "kind" in self.fields

    @property
    def asks_organisation(self) -> bool:
        return "organisation" in self.fields

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if not phone:
            return ""
        phone = normalise_phone(phone)
        if len(phone) > PHONE_MAX:
            raise ValidationError(_("This phone number is too long."), code="max_length")
        return phone

    def comes_as(self) -> str:
        """How this person comes: chosen on an evening for both, else the evening's audience."""
        if self.asks_kind:
            return self.cleaned_data.get("kind") or ""
        if self.evening.audience == Audience.INTERMEDIARIES:
            return Registration.Kind.INTERMEDIARY
        return Registration.Kind.ENTREPRENEUR

    def clean(self):
        cleaned = super().clean()
        reachable = cleaned.get("email") or cleaned.get("phone")
        if not reachable and not self.has_error("email") and not self.has_error("phone"):
            self.add_error(
                "email", _("Fill in your e-mail address or phone number, so that we can reach you.")
            )
        if self.comes_as() == Registration.Kind.INTERMEDIARY:
            for name, message in self.REQUIRED_FOR_INTERMEDIARIES.items():
                if name in self.fields and not cleaned.get(name) and not self.has_error(name):
                    self.add_error(name, message)
        return cleaned

    def registration_fields(self) -> dict:
        """What ``intake.evenings.register`` takes."""
        data = self.cleaned_data
        kind = self.comes_as()
        fields = {
            "kind": kind,
            "name": data["name"],
            "email": data.get("email", ""),
            "phone": data.get("phone", ""),
            "heard_from": data.get("heard_from", ""),
            "may_contact": data.get("may_contact", False),
        }
        if kind == Registration.Kind.INTERMEDIARY:
            for name in self.INTERMEDIARY_FIELDS:
                fields[name] = data.get(name, "")
        return fields

    def fields_with_errors(self):
        """The fields with a message, in the form's order: the summary at the top links them."""
        return [field for field in self if field.errors]

    def looks_automated(self) -> bool:
        """The hidden field was filled in, or the form came back too fast, too late or with a
        stamp we did not make. Read from the raw data: the caller does not say which."""
        return bool(self.data.get(HONEYPOT)) or not filled_in_by_a_person(
            self.data.get(STAMP) or ""
        )

    def fresh_stamp(self) -> str:
        """The stamp to send with the form shown again: the one it came with while that still
        passes (a person correcting a typo is not "too fast"), else a new one."""
        sent = (self.data.get(STAMP) or "") if self.is_bound else ""
        return sent if sent and filled_in_by_a_person(sent) else form_stamp()
