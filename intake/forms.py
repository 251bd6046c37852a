"""Forms for the coach screens. They clean and convert what was typed; the rules of the desk
(consent, stages, versions) are checked again in ``services.py``, where the writes happen."""

import datetime

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intake.models import (
    Conversation,
    DropOutReason,
    NextStep,
    Resident,
    Source,
    Stage,
    SupportNeed,
)
from intake.services import EDITABLE_FIELDS, beyond_contact
from intake.validators import (
    check_date_of_birth,
    normalise_phone,
    normalise_postcode,
    reject_bsn,
)
from ondernemerspunt.http import MAX_VERSION, bounded_version
from ondernemerspunt.models import STAFF_ROLES, Desk, Partner, User

NOTES_MAX_LENGTH = 5000
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d-%m-%y", "%d/%m/%y"]
INVALID_DATE = _("This is not an existing date. Write it like 31-03-2009.")


def date_field(label, *, required=True, initial=None, help_text=""):
    """A date picker where the browser has one; typed Dutch dates (31-03-2009) work as well."""
    return forms.DateField(
        label=label,
        required=required,
        initial=initial,
        help_text=help_text,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": INVALID_DATE},
    )


def not_in_future(day: datetime.date | None):
    if day and day > timezone.localdate():
        raise forms.ValidationError(_("This date lies in the future."), code="future")
    return day


def staff_of(desks):
    """The coaches and coordinators of these desks: who can coach a resident."""
    return (
        User.objects.filter(
            memberships__desk__in=desks,
            memberships__role__in=STAFF_ROLES,
            memberships__is_active=True,
        )
        .distinct()
        .order_by("full_name")
    )


class ResidentForm(forms.ModelForm):
    """The resident's file. No BSN field, ever."""

    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(
            attrs={"placeholder": _("dd-mm-yyyy"), "inputmode": "numeric", "autocomplete": "off"},
            format="%d-%m-%Y",
        ),
        help_text=_("For example 14-06-1979."),
        error_messages={"invalid": INVALID_DATE},
    )
    consent = forms.BooleanField(
        label=_(
            "The resident has read the consent text and agrees that the desk stores and uses "
            "their data"
        ),
        required=False,
    )

    # Longer than stored: what people type has spaces and dashes that cleaning removes.
    postcode = forms.CharField(label=_("Postcode"), required=False, max_length=12)
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )

    class Meta:
        model = Resident
        fields = list(EDITABLE_FIELDS)
        widgets = {
            "business_idea": forms.TextInput(),
            "situation": forms.Select(),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
        }
        help_texts = {
            "business_idea": _("In one sentence."),
            "languages": _("For example: Dutch, Turkish, English."),
        }

    def __init__(self, *args, desks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = staff_of(desks)
        self.fields["source_partner"].queryset = Partner.objects.filter(desk__in=desks)
        self.fields["postcode"].help_text = _("For example 9713 AB.")
        self.fields["phone"].help_text = _("For example 06 12345678.")
        if not self.needs_consent():
            del self.fields["consent"]

    def needs_consent(self) -> bool:
        return True

    def registration_day(self) -> datetime.date:
        return self.instance.registered_on

    def clean_first_name(self):
        return self.cleaned_data["first_name"].strip()

    def clean_last_name(self):
        return self.cleaned_data["last_name"].strip()

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        return normalise_phone(phone) if phone else ""

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_postcode(self):
        postcode = self.cleaned_data["postcode"].strip()
        return normalise_postcode(postcode) if postcode else ""

    def clean_business_idea(self):
        reject_bsn(self.cleaned_data["business_idea"])
        return self.cleaned_data["business_idea"]

    def clean(self):
        data = super().clean()
        if not (data.get("phone") or data.get("email")) and not (
            self.has_error("phone") or self.has_error("email")
        ):
            self.add_error(
                "phone",
                _("Fill in a phone number or an e-mail address, so that the desk can reach them."),
            )
        if data.get("source") == Source.PARTNER:
            if not data.get("source_partner") and not self.has_error("source_partner"):
                self.add_error("source_partner", _("Choose the partner that referred them."))
        else:
            data["source_partner"] = None
        day = self.registration_day()
        if data.get("date_of_birth") and day:
            try:
                check_date_of_birth(data["date_of_birth"], day)
            except forms.ValidationError as error:
                self.add_error("date_of_birth", error)
        if (
            "consent" in self.fields
            and not data.get("consent")
            and beyond_contact(self.what_needs_consent(data))
        ):
            self.add_error("consent", self.consent_message())
        return data

    def what_needs_consent(self, data: dict) -> dict:
        return data

    def consent_message(self):
        return _(
            "Without consent only name and contact details may be stored. Tick consent, or "
            "leave the other fields empty."
        )

    def file_fields(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in EDITABLE_FIELDS}


class NewResidentForm(ResidentForm):
    """The resident part of "new resident and intake conversation in one form"."""

    WITH_INTAKE = [
        ("now", _("Yes, record the intake conversation below")),
        ("later", _("No, only register name and contact details for now")),
    ]

    desk = forms.ModelChoiceField(label=_("Desk"), queryset=None, empty_label=None)
    registered_on = date_field(_("Registered on"), initial=timezone.localdate)
    with_intake = forms.ChoiceField(
        label=_("Intake conversation held now?"),
        choices=WITH_INTAKE,
        initial="now",
        widget=forms.RadioSelect,
    )
    register_anyway = forms.BooleanField(
        label=_("I have checked: this is someone else. Register anyway."), required=False
    )

    field_order = ["desk", "first_name", "last_name", "phone", "email", "street", "postcode"]

    def __init__(self, *args, desks, user, **kwargs):
        super().__init__(*args, desks=desks, **kwargs)
        self.fields["desk"].queryset = Desk.objects.filter(
            pk__in=[desk.pk for desk in desks]
        ).order_by("name")
        if len(desks) == 1:
            self.fields["desk"].initial = desks[0]
            self.fields["desk"].widget = forms.HiddenInput()
        self.fields["coach"].initial = user

    def clean_registered_on(self):
        return not_in_future(self.cleaned_data["registered_on"])

    def registration_day(self):
        return self.cleaned_data.get("registered_on")

    def clean(self):
        data = super().clean()
        if (
            not data.get("consent")
            and data.get("with_intake") == "now"
            and not self.has_error("consent")
        ):
            self.add_error(
                "consent",
                _(
                    "An intake conversation can only be recorded with consent. Tick consent, "
                    "or choose to register only name and contact details."
                ),
            )
        desk = data.get("desk")
        if desk is not None:
            if data.get("coach") and not staff_of([desk]).filter(pk=data["coach"].pk).exists():
                self.add_error("coach", _("This coach does not work at the chosen desk."))
            partner = data.get("source_partner")
            if partner and partner.desk_id != desk.pk:
                self.add_error("source_partner", _("This partner does not work with the desk."))
        return data


class EditResidentForm(ResidentForm):
    """The file after registration; carries the version it was read at."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=MAX_VERSION)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.version_refused = False
        if self.instance.coach_id:
            # A coach deactivated since (desk management) stays her coach until someone chooses
            # another: the file must still save.
            offered = self.fields["coach"].queryset.values("pk")
            self.fields["coach"].queryset = User.objects.filter(
                Q(pk__in=offered) | Q(pk=self.instance.coach_id)
            ).order_by("full_name")
        if not self.is_bound:
            self.initial["version"] = self.instance.version
        elif bounded_version(self.data.get("version")) is None:
            # A version the page cannot have sent: show the input again against the file as it
            # is now, so that saving once more is a deliberate choice (as after a conflict).
            self.data = self.data.copy()
            self.data["version"] = str(self.instance.version)
            self.version_refused = True

    def clean(self):
        data = super().clean()
        if self.version_refused:
            raise forms.ValidationError(
                _(
                    "This page was out of date, so nothing was saved. What you typed is still "
                    "below: check it and save again."
                ),
                code="version",
            )
        return data

    def needs_consent(self) -> bool:
        return not self.instance.has_consent()

    def what_needs_consent(self, data: dict) -> dict:
        """Only what changes: after a withdrawal the file keeps the facts the desk's counts are
        made of (situation, source), and a new phone number must still save."""
        return {name: data[name] for name in self.changed_data if name in data}


class ConversationForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=Conversation.Kind.choices, widget=forms.RadioSelect
    )
    held_on = date_field(_("Date of the conversation"), initial=timezone.localdate)
    coach = forms.ModelChoiceField(label=_("Coach"), queryset=None, empty_label=None)
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=Conversation.Channel.choices,
        initial=Conversation.Channel.DESK,
        widget=forms.RadioSelect,
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        initial=60,
        min_value=5,
        max_value=480,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("At most 5000 characters. Never write a BSN here."),
    )
    support_needs = forms.MultipleChoiceField(
        label=_("Support needs identified"),
        required=False,
        choices=SupportNeed.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, desks, user, resident=None, intake_only=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = staff_of(desks)
        self.fields["coach"].initial = user
        if intake_only:
            del self.fields["kind"]
        else:
            self.fields["kind"].initial = (
                Conversation.Kind.INTAKE
                if resident is not None and resident.stage == Stage.REGISTERED
                else Conversation.Kind.FOLLOW_UP
            )

    def clean_held_on(self):
        return not_in_future(self.cleaned_data["held_on"])

    def clean_notes(self):
        reject_bsn(self.cleaned_data["notes"])
        return self.cleaned_data["notes"]

    def conversation_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.setdefault("kind", Conversation.Kind.INTAKE)
        return data


class NextStepForm(forms.Form):
    """One row of next steps. A row left empty is skipped by the formset; a row that is used
    needs all three. The fields are not marked required, so the empty rows carry no stars."""

    description = forms.CharField(
        label=_("Next step"),
        required=False,
        max_length=NextStep._meta.get_field("description").max_length,
    )
    due_on = date_field(_("Due date"), required=False)
    owner = forms.ChoiceField(
        label=_("Who does it"),
        required=False,
        choices=NextStep.Owner.choices,
        initial=NextStep.Owner.RESIDENT,
    )

    def clean_description(self):
        reject_bsn(self.cleaned_data["description"])
        return self.cleaned_data["description"].strip()

    def clean(self):
        # Only reached for a row that was filled in (or a row the formset may not skip).
        data = super().clean()
        for name in ("description", "due_on", "owner"):
            if not data.get(name) and not self.has_error(name):
                self.add_error(name, self.fields[name].error_messages["required"])
        return data


class BaseNextStepFormSet(forms.BaseFormSet):
    def steps(self) -> list[dict]:
        return [form.cleaned_data for form in self.forms if form.cleaned_data]

    def check_after(self, day: datetime.date) -> bool:
        """Next steps are due on or after the conversation that agreed them."""
        ok = True
        for form in self.forms:
            due_on = form.cleaned_data.get("due_on") if form.is_valid() else None
            if due_on and due_on < day:
                form.add_error("due_on", _("The due date lies before the conversation."))
                ok = False
        return ok


NextStepFormSet = forms.formset_factory(
    NextStepForm, formset=BaseNextStepFormSet, extra=3, max_num=10, validate_max=True
)


class ConversationWithSteps:
    """A conversation form and its next steps, validated together."""

    def __init__(self, data=None, *, desks, user, resident=None, intake_only=False, **kwargs):
        self.conversation = ConversationForm(
            data,
            prefix="conversation",
            desks=desks,
            user=user,
            resident=resident,
            intake_only=intake_only,
            **kwargs,
        )
        self.steps = NextStepFormSet(data, prefix="steps")

    def is_valid(self) -> bool:
        valid = self.conversation.is_valid() & self.steps.is_valid()
        held_on = self.conversation.cleaned_data.get("held_on") if valid else None
        if held_on:
            valid = self.steps.check_after(held_on) and valid
        return valid

    def has_content(self) -> bool:
        """Something was written down: notes, support needs or a next step."""
        return bool(
            self.conversation["notes"].value()
            or self.conversation["support_needs"].value()
            or any(form["description"].value() for form in self.steps)
        )

    def service_kwargs(self) -> dict:
        return {**self.conversation.conversation_fields(), "next_steps": self.steps.steps()}


class RegistrationForms:
    """New resident and intake conversation in one form: the file, consent, the intake and its
    next steps. Nothing is stored unless all of it is valid."""

    def __init__(self, data=None, *, desks, user):
        self.resident = NewResidentForm(data, desks=desks, user=user)
        self.later = data is not None and data.get("with_intake") == "later"
        self.intake = self._intake(data, desks, user)
        self._fresh_intake = lambda: self._intake(None, desks, user)

    @staticmethod
    def _intake(data, desks, user):
        return ConversationWithSteps(
            data, desks=desks, user=user, intake_only=True, use_required_attribute=False
        )

    @property
    def conversation(self):
        return self.intake.conversation

    @property
    def steps(self):
        return self.intake.steps

    def is_valid(self) -> bool:
        if not self.resident.is_bound:
            return False
        if self.later:
            return self._valid_without_intake()
        valid = self.resident.is_valid() & self.intake.is_valid()
        registered_on = self.resident.cleaned_data.get("registered_on")
        held_on = self.conversation.cleaned_data.get("held_on")
        if valid and held_on < registered_on:
            self.conversation.add_error(
                "held_on", _("The intake conversation cannot be before the registration.")
            )
            valid = False
        # The intake form offers the coaches of all the user's desks; the one chosen must work
        # at the resident's desk (as the resident form checks for the resident's own coach).
        desk = self.resident.cleaned_data.get("desk")
        coach = self.conversation.cleaned_data.get("coach")
        if valid and not staff_of([desk]).filter(pk=coach.pk).exists():
            self.conversation.add_error("coach", _("This coach does not work at the chosen desk."))
            valid = False
        return valid

    def _valid_without_intake(self) -> bool:
        valid = self.resident.is_valid()
        if self.intake.has_content():
            # Typed but not to be recorded: say so rather than drop it silently.
            self.resident.add_error(
                "with_intake",
                _(
                    "You chose to register only, but wrote in the intake conversation. "
                    "Choose 'Yes' to record it, or empty those fields."
                ),
            )
            return False
        # Nothing of the intake is used: show that part fresh, without messages about it.
        self.intake = self._fresh_intake()
        return valid

    def has_errors(self) -> bool:
        return bool(
            self.resident.errors
            or self.conversation.errors
            or self.steps.non_form_errors()
            or any(form.errors for form in self.steps)
        )

    def add_error(self, error):
        form = self.conversation if error.field == "held_on" else self.resident
        field = error.field if error.field in form.fields else None
        form.add_error(field, error.message)

    def service_kwargs(self) -> dict:
        data = self.resident.cleaned_data
        kwargs = {
            "desk": data["desk"],
            "fields": self.resident.file_fields(),
            "consent": data["consent"],
            "registered_on": data["registered_on"],
            "intake": None,
            "next_steps": (),
        }
        if not self.later:
            intake = self.intake.service_kwargs()
            kwargs["next_steps"] = intake.pop("next_steps")
            intake.pop("kind")
            kwargs["intake"] = intake
        return kwargs


class StageChangeForm(forms.Form):
    to_stage = forms.ChoiceField(label=_("New stage"), choices=Stage.choices)
    on = date_field(_("Date of the change"), initial=timezone.localdate)
    reason = forms.ChoiceField(
        label=_("Reason for dropping out"),
        required=False,
        choices=[("", "—"), *DropOutReason.choices],
        help_text=_("Required when the resident drops out."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why, in a few words. At most 500 characters."),
    )

    def __init__(self, *args, resident, **kwargs):
        super().__init__(*args, **kwargs)
        # Every stage is accepted, so that choosing a stage that makes no sense gets a message
        # that says why; the list only offers the stages that do make sense.
        self.fields["to_stage"].widget.choices = [("", _("choose a stage"))] + [
            (stage, Stage(stage).label) for stage in resident.next_stages()
        ]

    def clean_on(self):
        return not_in_future(self.cleaned_data["on"])

    def clean_note(self):
        reject_bsn(self.cleaned_data["note"])
        return self.cleaned_data["note"].strip()

    def clean(self):
        data = super().clean()
        if data.get("to_stage") == Stage.DROPPED_OUT and not data.get("reason"):
            self.add_error("reason", _("Choose why the resident dropped out."))
        return data


class ConsentForm(forms.Form):
    agreed = forms.BooleanField(
        label=_(
            "The resident has read the consent text and agrees that the desk stores and uses "
            "their data"
        ),
        error_messages={"required": _("Tick the box when the resident has agreed.")},
    )


def conflict_rows(form: ResidentForm, current: Resident) -> list[tuple]:
    """The fields where what the coach typed differs from the file as someone else saved it:
    (label, in the file now, typed in the form)."""
    rows = []
    for name in EDITABLE_FIELDS:
        if name not in form.cleaned_data:
            continue
        mine, theirs = form.cleaned_data[name], getattr(current, name)
        if (mine or None) != (theirs or None):
            field = form.fields[name]
            rows.append((field.label, shown(field, theirs), shown(field, mine)))
    return rows


def shown(field, value) -> str:
    """A value as the coach would recognise it: choice labels, names, Dutch dates."""
    if value in (None, ""):
        return "–"
    if isinstance(value, datetime.date):
        return value.strftime("%d-%m-%Y")
    if isinstance(field, forms.TypedChoiceField | forms.ChoiceField) and not isinstance(
        field, forms.ModelChoiceField
    ):
        return str(dict(field.choices).get(value, value))
    return str(value)
