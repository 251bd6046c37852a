"""The resident lists' search, filters and sorting: a form bound to ``request.GET`` whose
``filter_qs`` applies what was chosen (STYLE #6)."""

from django import forms
from django.db.models import Case, Exists, F, OuterRef, Value, When
from django.utils.translation import gettext_lazy as _

from intake.forms import staff_of
from intake.models import Conversation, Situation, Stage, SupportNeed
from intake.selectors import matching

# The stages in the order of the trajectory, not in the alphabet of their codes.
STAGE_ORDER = Case(
    *[When(stage=stage, then=Value(index)) for index, stage in enumerate(Stage.values)],
    default=Value(len(Stage.values)),
)
SORTS = {
    "name": (_("name"), ["sort_name", "id"]),
    "-registered": (_("newest registration first"), ["-registered_on", "-id"]),
    "registered": (_("oldest registration first"), ["registered_on", "id"]),
    "stage": (_("stage"), [STAGE_ORDER, "sort_name", "id"]),
    "postcode": (_("postcode"), ["postcode", "sort_name", "id"]),
    "next_step": (
        _("first next step due"),
        [F("next_due_on").asc(nulls_last=True), "sort_name", "id"],
    ),
}
NO_COACH = "none"


class ResidentFilterForm(forms.Form):
    """Search, filters and sorting of the resident lists (``filter_qs`` applies them)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Name, postcode, phone number or e-mail address."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    stage = forms.ChoiceField(label=_("Stage"), required=False)
    situation = forms.ChoiceField(label=_("Situation"), required=False)
    coach = forms.ChoiceField(label=_("Coach"), required=False)
    support_need = forms.ChoiceField(label=_("Support need"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[(key, label) for key, (label, _order) in SORTS.items()],
    )

    def __init__(self, *args, desk_ids, show_coach=True, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("all"))]
        self.fields["stage"].choices = everything + list(Stage.choices)
        self.fields["situation"].choices = everything + list(Situation.choices)
        self.fields["support_need"].choices = everything + list(SupportNeed.choices)
        if show_coach:
            coaches = [(str(u.pk), u.full_name) for u in staff_of(list(desk_ids))]
            self.fields["coach"].choices = everything + [(NO_COACH, _("no coach yet"))] + coaches
        else:
            del self.fields["coach"]

    def filter_qs(self, queryset):
        # A value that is not on offer (an old link, a coach who left) is shown as an error and
        # left out; the other filters and the search still apply.
        self.is_valid()
        data = getattr(self, "cleaned_data", {})  # an unbound form filters nothing
        if data.get("q"):
            queryset = matching(queryset, data["q"])
        if data.get("stage"):
            queryset = queryset.filter(stage=data["stage"])
        if data.get("situation"):
            queryset = queryset.filter(situation=data["situation"])
        coach = data.get("coach")
        if coach == NO_COACH:
            queryset = queryset.filter(coach__isnull=True)
        elif coach:
            queryset = queryset.filter(coach_id=int(coach))
        if data.get("support_need"):
            queryset = queryset.filter(
                Exists(
                    Conversation.objects.filter(
                        resident=OuterRef("pk"), support_needs__contains=[data["support_need"]]
                    )
                )
            )
        return queryset.order_by(*SORTS[data.get("sort") or "name"][1])

    def is_filtered(self) -> bool:
        return self.is_bound and any(
            self.data.get(name) for name in ("q", "stage", "situation", "coach", "support_need")
        )
