"""Forms of the mentor pool, the matches and the benefits consultation. The rules are in
``coaching.mentors``; these forms only read what was typed."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coaching.mentors import MENTOR_FIELDS, benefits_partners, consults_for
from coaching.models import BenefitsConsultation, Mentor
from ondernemerspunt.models import Desk, Partner

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class MentorFilterForm(forms.Form):
    """Search the pool by name or expertise, sector or language (``?q=&sector=&taal=``)."""

    q = forms.CharField(label=_("Name or expertise"), required=False, max_length=100)
    sector = forms.CharField(label=_("Sector"), required=False, max_length=80)
    taal = forms.CharField(label=_("Language"), required=False, max_length=80)
    actief = forms.BooleanField(label=_("Only mentors available for new matches"), required=False)

    def filter_qs(self, queryset):
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        q = data["q"].strip()
        if q:
            queryset = queryset.filter(name__icontains=q) | queryset.filter(expertise__icontains=q)
        if data["sector"].strip():
            queryset = queryset.filter(sector__icontains=data["sector"].strip())
        if data["taal"].strip():
            queryset = queryset.filter(languages__icontains=data["taal"].strip())
        if data["actief"]:
            queryset = queryset.filter(is_active=True)
        return queryset


class MentorForm(forms.ModelForm):
    """A mentor of the pool; ``desks`` (more than one) adds the choice of desk."""

    class Meta:
        model = Mentor
        fields = list(MENTOR_FIELDS)
        widgets = {
            "phone": forms.TextInput(attrs={"type": "tel"}),
            "expertise": forms.TextInput(),
        }
        help_texts = {
            "expertise": _("For example: retail, bookkeeping, marketing, catering."),
            "languages": _("For example: Dutch, Turkish, English."),
            "availability": _("For example: Tuesday evenings, two hours a month."),
        }

    def __init__(self, *args, desks, **kwargs):
        super().__init__(*args, **kwargs)
        desk_ids = [desk.pk for desk in desks]
        self.fields["partner"].queryset = Partner.objects.filter(desk_id__in=desk_ids).order_by(
            "name"
        )
        self.fields["partner"].required = False
        if self.instance.pk is None and len(desks) > 1:
            self.fields["desk"] = forms.ModelChoiceField(
                label=_("Desk"), queryset=Desk.objects.filter(pk__in=desk_ids)
            )
            self.order_fields(["desk"])
        self.default_desk = desks[0] if desks else None

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def _post_clean(self):
        # The desk and the partner's desk are the service's to check.
        pass

    def desk(self):
        if self.instance.pk is not None:
            return self.instance.desk
        return self.cleaned_data.get("desk") or self.default_desk

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in MENTOR_FIELDS}


class MentorChoiceField(forms.ModelChoiceField):
    """A mentor with what helps to choose: expertise, sector and languages."""

    def label_from_instance(self, mentor):
        details = " · ".join(v for v in (mentor.expertise, mentor.sector, mentor.languages) if v)
        return f"{mentor.name} – {details}" if details else mentor.name


class MatchForm(forms.Form):
    mentor = MentorChoiceField(
        label=_("Mentor"),
        queryset=Mentor.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Choose a mentor.")},
    )
    goal = forms.CharField(
        label=_("What the mentor helps with"),
        max_length=300,
        required=False,
        help_text=_("For example: finding the first customers, the bookkeeping."),
    )
    started_on = forms.DateField(label=_("Start date"), widget=DATE)

    def __init__(self, *args, mentors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = mentors
        self.fields["started_on"].initial = timezone.localdate()


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Date of the meeting"), widget=DATE)
    notes = forms.CharField(
        label=_("Notes"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = timezone.localdate()


RATINGS = [("", _("no rating"))] + [(str(n), str(n)) for n in range(1, 6)]


class EndMatchForm(forms.Form):
    ended_on = forms.DateField(label=_("End date"), widget=DATE)
    resident_evaluation = forms.CharField(
        label=_("What the resident says about the match"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write down what the resident said about the match.")},
    )
    mentor_evaluation = forms.CharField(
        label=_("What the mentor says about the match"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write down what the mentor said about the match.")},
    )
    rating = forms.TypedChoiceField(
        label=_("How useful was it (1 = not at all, 5 = very)?"),
        choices=RATINGS,
        coerce=int,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ended_on"].initial = timezone.localdate()


class BenefitsConsultationForm(forms.Form):
    held_on = forms.DateField(label=_("Date of the consultation"), widget=DATE)
    with_whom = forms.ChoiceField(
        label=_("With"), choices=BenefitsConsultation.With.choices, widget=forms.RadioSelect
    )
    partner = forms.ModelChoiceField(
        label=_("Partner organisation"),
        queryset=Partner.objects.none(),
        required=False,
        help_text=_("If the consultation was with one of the desk's partners."),
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=BenefitsConsultation.Outcome.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, resident, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = benefits_partners(resident)
        self.fields["with_whom"].initial = consults_for(resident) or None
        self.fields["held_on"].initial = timezone.localdate()

    def clean_held_on(self):
        day = self.cleaned_data["held_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("This date lies in the future."))
        return day
