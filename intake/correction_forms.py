"""Forms for corrections: edit a conversation or a next step, another coach, correct the stage.
Each edit form carries the version marker of what it was opened on (a hidden field)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from intake.corrections import (
    CONVERSATION_FIELDS,
    NEXT_STEP_FIELDS,
    correctable,
    correction_targets,
    version_of,
)
from intake.forms import ConversationForm, NextStepForm, shown
from intake.models import Stage
from intake.validators import reject_bsn
from ondernemerspunt.models import STAFF_ROLES, User


class VersionedForm:
    """The hidden marker of the stored values the form was opened on."""

    def add_version(self, value):
        self.fields["version"] = forms.CharField(widget=forms.HiddenInput, required=False)
        if not self.is_bound:
            self.initial["version"] = value

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.edited_fields}

    def conflicts(self, current) -> list[tuple]:
        """(label, stored now, typed) where the input differs from what is stored now."""
        rows = []
        for name in self.edited_fields:
            field = self.fields[name]
            mine, theirs = self.cleaned_data.get(name), getattr(current, name)
            if isinstance(mine, list):
                mine, theirs = sorted(mine), sorted(theirs)
            if (mine or None) != (theirs or None):
                rows.append((field.label, _shown_list(field, theirs), _shown_list(field, mine)))
        return rows

    def show_current(self, current, message):
        """After a refused save: keep the input, base it on what is stored now, say why."""
        self.data = self.data.copy()
        self.data["version"] = version_of(current, self.edited_fields)
        self.add_error(None, message)


def _shown_list(field, value) -> str:
    if isinstance(value, list):
        return ", ".join(shown(field, v) for v in value) or "–"
    return shown(field, value)


class ConversationEditForm(VersionedForm, ConversationForm):
    edited_fields = CONVERSATION_FIELDS

    def __init__(self, data=None, *, conversation):
        initial = {name: getattr(conversation, name) for name in CONVERSATION_FIELDS}
        super().__init__(data, desks=[], user=None, initial=initial)
        # Who held it is not corrected here: the conversation stays the coach's.
        del self.fields["coach"]
        self.add_version(version_of(conversation, CONVERSATION_FIELDS))


class NextStepEditForm(VersionedForm, NextStepForm):
    edited_fields = NEXT_STEP_FIELDS

    def __init__(self, data=None, *, step):
        initial = {name: getattr(step, name) for name in NEXT_STEP_FIELDS}
        super().__init__(data, initial=initial)
        for name in NEXT_STEP_FIELDS:
            self.fields[name].required = True
        self.add_version(version_of(step, NEXT_STEP_FIELDS))


class CoachChangeForm(forms.Form):
    coach = forms.ModelChoiceField(label=_("New coach"), queryset=None)
    # Checked in the service (a wrong value counts as out of date), so never a hidden message.
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, data=None, *, resident):
        super().__init__(data, initial={"coach": resident.coach_id, "version": resident.version})
        # Anyone may be chosen, so that a coach of another desk gets a message that says why;
        # the list offers only the active coaches and coordinators of the resident's desk.
        self.fields["coach"].queryset = User.objects.all()
        self.fields["coach"].widget.choices = [("", "—")] + [
            (user.pk, user.full_name)
            for user in User.objects.filter(
                memberships__desk_id=resident.desk_id,
                memberships__role__in=STAFF_ROLES,
                memberships__is_active=True,
            )
            .distinct()
            .order_by("full_name")
        ]


class StageCorrectionForm(forms.Form):
    # Which change the page offered to correct: if another came since, the service says so.
    change = forms.CharField(widget=forms.HiddenInput, required=False)
    to_stage = forms.ChoiceField(label=_("Correct to"), choices=Stage.choices)
    note = forms.CharField(
        label=_("Why was the stage wrong?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required. At most 500 characters."),
        error_messages={"required": _("Say why the stage was wrong.")},
    )

    def __init__(self, data=None, *, mistake, **kwargs):
        initial = {"change": mistake.pk, "to_stage": mistake.from_stage} if mistake else {}
        super().__init__(data, initial=initial, prefix="correct", **kwargs)
        if mistake is not None:
            # Every stage is accepted, so that a stage that makes no sense gets a message that
            # says why; the list offers the ones that do.
            self.fields["to_stage"].widget.choices = [
                (stage, Stage(stage).label) for stage in correction_targets(mistake)
            ]

    def clean_note(self):
        reject_bsn(self.cleaned_data["note"])
        return self.cleaned_data["note"].strip()


def stage_correction_context(history, form=None) -> dict:
    """What the stage page needs for 'Correct the stage': the change it would correct (None
    when there is none) and its form."""
    mistake = correctable(history)
    return {
        "mistake": mistake,
        "correct_form": form or StageCorrectionForm(mistake=mistake),
    }
