"""The coordinator's checklist editor: one form per point (a formset that removes and orders
without JavaScript) and the desk's settings that come with it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from coaching.models import ChecklistItem, PlanCheck, Topic
from coaching.reviews import ItemDraft
from ondernemerspunt.apps import EMPTY_CHOICE_LABEL
from ondernemerspunt.http import MAX_VERSION

KEY_LENGTH = ChecklistItem._meta.get_field("key").max_length


class ChecklistItemForm(forms.Form):
    """One point of the checklist; ``key`` (hidden) ties it to the same point in the version
    it was edited from, and is empty for a new point."""

    key = forms.CharField(required=False, max_length=KEY_LENGTH, widget=forms.HiddenInput)
    topic = forms.ChoiceField(label=_("Topic"), choices=[("", EMPTY_CHOICE_LABEL), *Topic.choices])
    text = forms.CharField(
        label=_("Point to check"), max_length=ChecklistItem._meta.get_field("text").max_length
    )
    check_key = forms.ChoiceField(
        label=_("Decided by the check"),
        required=False,
        choices=[("", _("no check: the coach decides")), *PlanCheck.choices],
    )

    def clean_text(self):
        return self.cleaned_data["text"].strip()


ORDER, DELETE = forms.formsets.ORDERING_FIELD_NAME, forms.formsets.DELETION_FIELD_NAME

INCOMPLETE = _(
    "The form arrived incomplete (perhaps the page had not fully loaded), so nothing was "
    "saved. The checklist has been loaded again: please make your changes once more."
)


class BaseChecklistFormSet(forms.BaseFormSet):
    default_error_messages = {"missing_management_form": INCOMPLETE}

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields[ORDER].label = _("Position")
        form.fields[ORDER].widget.attrs["min"] = 1
        form.fields[DELETE].label = _("Remove this point")

    @property
    def incomplete(self) -> bool:
        """Whether the counts that say how many rows were sent are missing or tampered with:
        then the rows cannot be read, and the page has to be loaded again."""
        return self.is_bound and not self.management_form.is_valid()

    def clean(self):
        if any(self.errors) or self.incomplete:
            return
        if not self.kept_forms():
            raise forms.ValidationError(_("A checklist needs at least one point."))

    def kept_forms(self) -> list[forms.Form]:
        """The points in their new order, removed ones and rows left empty left out.

        The position typed is the place the point goes to: moved up to 3, it comes before the
        point that was 3; moved down to 5, after the point that was 5. (Django's own
        ``ordered_forms`` keeps the old order between equal numbers, so a point given the
        number of the one above it would not move.) Without a number it goes to the end.
        """
        ranked = []
        for index, form in enumerate(self.forms):
            data = form.cleaned_data  # empty for a row left empty
            if not data or data.get(DELETE):
                continue
            new = data.get(ORDER)
            old = index + 1 if index < self.initial_form_count() else None
            if new is None:
                rank = (1, 0, 0, index)
            else:
                # -1 comes before an unmoved point of the same number, +1 after it.
                moved = -1 if old is None or new < old else (1 if new > old else 0)
                rank = (0, new, moved, index)
            ranked.append((rank, form))
        return [form for _rank, form in sorted(ranked, key=lambda pair: pair[0])]

    def drafts(self) -> list[ItemDraft]:
        """The points as ``save_checklist`` takes them. A key sent twice (a page edited by
        hand) belongs to the first point only; the second becomes a new point."""
        seen, drafts = set(), []
        for form in self.kept_forms():
            data = form.cleaned_data
            key = data["key"] if data["key"] not in seen else ""
            seen.add(key)
            drafts.append(
                ItemDraft(
                    topic=data["topic"], text=data["text"], check_key=data["check_key"], key=key
                )
            )
        return drafts


ChecklistFormSet = forms.formset_factory(
    ChecklistItemForm,
    formset=BaseChecklistFormSet,
    extra=3,
    can_delete=True,
    can_order=True,
    max_num=100,
    validate_max=True,
)


class ChecklistSettingsForm(forms.Form):
    """What the editor sends besides the points: the version it shows, and four eyes, with the
    four-eyes setting the page was built with (only a change made on the page is saved, so an
    older page does not switch back what someone else changed since)."""

    based_on = forms.IntegerField(min_value=0, max_value=MAX_VERSION, widget=forms.HiddenInput)
    review_cosign_shown = forms.NullBooleanField(widget=forms.HiddenInput)
    review_cosign = forms.BooleanField(
        label=_("Four eyes: a second coach co-signs 'ready for Qredits'"),
        required=False,
        help_text=_(
            "A review that concludes 'ready for Qredits' counts only once a second coach has "
            "co-signed it."
        ),
    )

    def clean_review_cosign_shown(self):
        if self.cleaned_data["review_cosign_shown"] is None:
            raise forms.ValidationError(INCOMPLETE, code="incomplete")
        return self.cleaned_data["review_cosign_shown"]

    @property
    def incomplete(self) -> bool:
        """Whether a hidden field the page always sends is missing or tampered with."""
        return bool(self.errors.keys() & {"based_on", "review_cosign_shown"})

    def cosign_changed(self) -> bool:
        """Whether four eyes was switched on or off on the page (not just shown as it was)."""
        data = self.cleaned_data
        return data["review_cosign"] != data["review_cosign_shown"]


def items_initial(checklist) -> list[dict]:
    return [
        {"key": item.key, "topic": item.topic, "text": item.text, "check_key": item.check_key}
        for item in checklist.items.all()
    ]


def same_points(drafts: list[ItemDraft], checklist) -> bool:
    """Whether the edit leaves the points as they are (then no new version is needed)."""
    return [(d.key, d.topic, d.text, d.check_key) for d in drafts] == [
        (i.key, i.topic, i.text, i.check_key) for i in checklist.items.all()
    ]
