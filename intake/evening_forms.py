"""Forms for the staff pages of info evenings. They clean and convert what was typed (a date and
three times become the evening's moments); the rules themselves live in ``intake/evenings.py``
and ``intake/evening_staff.py``, which check them again where they write."""

import datetime

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intake.evening_staff import as_text
from intake.evenings import EVENING_FIELDS, MAX_DAYS_AHEAD
from intake.forms import staff_of
from intake.models import InfoEvening, Registration, Speaker
from intake.models.evenings import NAME_MAX
from intake.validators import normalise_phone, normalise_postcode
from ondernemerspunt.http import MAX_VERSION, bounded_version
from ondernemerspunt.models import Desk, Partner

MAX_CAPACITY = 500


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _time_input():
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _moment(day: datetime.date, time: datetime.time) -> datetime.datetime | None:
    """The date and time as a moment in the desk's time zone; None for a time the clock skips
    (the night summer time starts: 02:30 does not exist). A time that comes twice (the night
    it ends) is taken the first time."""
    zone = timezone.get_current_timezone()
    wall = datetime.datetime.combine(day, time)
    moment = timezone.make_aware(wall, zone)
    try:
        back = moment.astimezone(datetime.UTC).astimezone(zone)
    except OverflowError:  # the first hours of year 1: refused as past anyway
        return moment
    return moment if back.replace(tzinfo=None) == wall else None


DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]
TIME_FORMATS = ["%H:%M", "%H.%M", "%H:%M:%S"]
INVALID_DATE = _("This is not an existing date. Write it like 31-03-2009.")
INVALID_TIME = _("This is not a time. Write it like 19:30.")
NO_SUCH_TIME = _(
    "This time does not exist that night (the clock goes forward an hour). Choose another time."
)
# As the rule in ``intake/evenings.py`` (``check_times``), which says it in the same words.
TOO_FAR_AHEAD = _("An evening can be planned at most two years ahead. Check the year.")
# As the column (and the public form): a valid address can be longer than it holds.
EMAIL_MAX = 254


def _email_field(**kwargs):
    return forms.EmailField(
        label=_("E-mail address"),
        max_length=EMAIL_MAX,
        error_messages={"max_length": _("This e-mail address is too long.")},
        **kwargs,
    )


def _too_long(what):
    """A plain message for too long a text (Django's counts characters at the reader), and
    one for a character nobody types."""
    return {
        "max_length": what,
        "null_characters_not_allowed": _(
            "This contains a character that cannot be used. Type it again, please."
        ),
    }


def _date_field(label, **kwargs):
    return forms.DateField(
        label=label,
        input_formats=DATE_FORMATS,
        widget=_date_input(),
        error_messages={"invalid": INVALID_DATE},
        **kwargs,
    )


def _time_field(label, **kwargs):
    return forms.TimeField(
        label=label,
        input_formats=TIME_FORMATS,
        widget=_time_input(),
        error_messages={"invalid": INVALID_TIME},
        **kwargs,
    )


class EveningForm(forms.Form):
    """All of an evening. The date and times are separate inputs (a phone shows its own date and
    time pickers); ``values()`` joins them into the moments ``save_evening`` takes."""

    desk = forms.ModelChoiceField(label=_("Desk"), queryset=Desk.objects.none(), empty_label=None)
    title = forms.CharField(
        label=_("Title"),
        max_length=120,
        error_messages=_too_long(
            _("The title is too long: write at most %(limit_value)s characters.")
        ),
    )
    audience = forms.ChoiceField(
        label=_("For whom"),
        choices=InfoEvening._meta.get_field("audience").choices,
        widget=forms.RadioSelect,
    )
    day = _date_field(_("Date"))
    start_time = _time_field(_("Starts at"), initial=datetime.time(19, 30))
    end_time = _time_field(_("Ends at"), initial=datetime.time(21, 30))
    place_name = forms.CharField(
        label=_("Building"),
        max_length=120,
        help_text=_("For example: Buurthuis De Dissel."),
        error_messages=_too_long(
            _("The name of the building is too long: write at most %(limit_value)s characters.")
        ),
    )
    street = forms.CharField(
        label=_("Street and number"),
        max_length=120,
        error_messages=_too_long(
            _("The street and number are too long: write at most %(limit_value)s characters.")
        ),
    )
    # Longer than stored: what people type has spaces that cleaning removes.
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=12,
        help_text=_("For example 9713 AB."),
        error_messages=_too_long(
            _("This is not a Dutch postcode. Write four digits and two letters, like 9713 AB.")
        ),
    )
    city = forms.CharField(
        label=_("City"),
        max_length=80,
        error_messages=_too_long(
            _("The name of the city is too long: write at most %(limit_value)s characters.")
        ),
    )
    capacity = forms.IntegerField(
        label=_("Places"),
        min_value=1,
        max_value=MAX_CAPACITY,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("From 1 to 500. Walk-ins do not take a place."),
        error_messages={
            "min_value": _("An evening needs at least 1 place."),
            "max_value": _("At most 500 places."),
            "invalid": _("Write a whole number, like 30."),
        },
    )
    deadline_day = _date_field(
        _("Registration closes on"), help_text=_("For example the day before the evening.")
    )
    deadline_time = _time_field(_("At (time)"), initial=datetime.time(12, 0))
    description = forms.CharField(
        label=_("Short text"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Plain words: what people will hear, and what they can ask."),
        error_messages=_too_long(
            _("The text is too long: write at most %(limit_value)s characters.")
        ),
    )
    version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=0, max_value=MAX_VERSION
    )
    # The evening as she loaded it (signed): after a conflict, what she changed herself is
    # told apart from what someone else changed meanwhile (``evening_staff.after_conflict``).
    loaded = forms.CharField(widget=forms.HiddenInput, required=False, strip=False)

    def __init__(self, *args, desks, evening: InfoEvening | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.evening = evening
        if evening is not None:
            del self.fields["desk"]
            if not self.is_bound:
                self.initial.update(self._initial_of(evening))
                self.initial["loaded"] = self._signed(evening, self._text_of(evening))
            elif bounded_version(self.data.get("version")) is None:
                self.data = self.data.copy()
                self.data["version"] = str(evening.version)
        else:
            del self.fields["version"]
            del self.fields["loaded"]
            self.fields["desk"].queryset = Desk.objects.filter(
                pk__in=[desk.pk for desk in desks]
            ).order_by("name")
            if len(desks) == 1:
                self.fields["desk"].initial = desks[0]
                self.fields["desk"].widget = forms.HiddenInput()

    @staticmethod
    def _initial_of(evening) -> dict:
        starts = timezone.localtime(evening.starts_at)
        ends = timezone.localtime(evening.ends_at)
        deadline = timezone.localtime(evening.registration_deadline)
        initial = {name: getattr(evening, name) for name in EVENING_FIELDS}
        initial.update(
            day=starts.date(),
            start_time=starts.time(),
            end_time=ends.time(),
            deadline_day=deadline.date(),
            deadline_time=deadline.time(),
            version=evening.version,
        )
        return initial

    def clean_title(self):
        return self.cleaned_data["title"].strip()

    def clean_postcode(self):
        return normalise_postcode(self.cleaned_data["postcode"].strip())

    def clean(self):
        data = super().clean()
        day, start, end = data.get("day"), data.get("start_time"), data.get("end_time")
        if not (day and start):
            return data
        starts_at = self._at(day, start, "start_time")
        if starts_at is None:
            return data
        starts_at = self._as_saved("starts_at", starts_at)
        data["starts_at"] = starts_at
        if end and end <= start:
            self.add_error("end_time", _("The evening must end after it starts."))
        elif end and (ends_at := self._at(day, end, "end_time")) is not None:
            data["ends_at"] = self._as_saved("ends_at", ends_at)
        now = timezone.now()
        changed_start = self.evening is None or starts_at != self.evening.starts_at
        if changed_start and starts_at <= now:
            self.add_error("day", _("This moment has passed. Choose a date in the future."))
        elif starts_at > now + datetime.timedelta(days=MAX_DAYS_AHEAD):
            self.add_error("day", TOO_FAR_AHEAD)
        deadline_day, deadline_time = data.get("deadline_day"), data.get("deadline_time")
        if deadline_day and deadline_time:
            deadline = self._at(deadline_day, deadline_time, "deadline_time")
            if deadline is not None:
                deadline = self._as_saved("registration_deadline", deadline)
                if deadline > starts_at:
                    self.add_error(
                        "deadline_day", _("Registration must close before the evening starts.")
                    )
                else:
                    data["registration_deadline"] = deadline
        return data

    def _at(self, day, time, field: str) -> datetime.datetime | None:
        moment = _moment(day, time)
        if moment is None:
            self.add_error(field, NO_SUCH_TIME)
        return moment

    def _as_saved(self, name: str, moment: datetime.datetime) -> datetime.datetime:
        """The form holds minutes; an evening saved elsewhere may hold seconds. A moment left
        as it was keeps its saved value, so that the rules see it unchanged."""
        saved = getattr(self.evening, name, None) if self.evening is not None else None
        if saved is not None and moment == timezone.localtime(saved).replace(
            second=0, microsecond=0
        ):
            return saved
        return moment

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in EVENING_FIELDS}

    @classmethod
    def data_of(cls, evening: InfoEvening) -> dict:
        """The evening as it is saved, in the form's own terms, as if typed in: to fill the
        form again after a conflict (and what she loaded is then this)."""
        data = cls._text_of(evening)
        data["loaded"] = cls._signed(evening, data)
        return data

    @classmethod
    def _text_of(cls, evening: InfoEvening) -> dict:
        return {name: as_text(value) for name, value in cls._initial_of(evening).items()}

    @staticmethod
    def _signed(evening: InfoEvening, values: dict) -> str:
        return signing.dumps(values, salt=f"{LOADED_SALT}.{evening.pk}", compress=True)

    def as_loaded(self) -> dict | None:
        """The evening as it was when she loaded the form; None when the form did not say
        (or what it said was changed on the way)."""
        if self.evening is None or not self.data.get("loaded"):
            return None
        try:
            values = signing.loads(self.data["loaded"], salt=f"{LOADED_SALT}.{self.evening.pk}")
        except signing.BadSignature:
            return None
        return values if isinstance(values, dict) else None


LOADED_SALT = "intake.evening_form.loaded"


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("It goes into the e-mail to everyone registered. At most 300 characters."),
    )


class SpeakerForm(forms.Form):
    kind = forms.ChoiceField(label=_("Who"), choices=Speaker.Kind.choices, widget=forms.RadioSelect)
    partner = forms.ModelChoiceField(
        label=_("Partner organisation"), queryset=Partner.objects.none(), required=False
    )
    coach = forms.ModelChoiceField(label=_("Coach"), queryset=None, required=False)
    name = forms.CharField(
        label=_("Name"),
        max_length=NAME_MAX,
        required=False,
        help_text=_("For an entrepreneur: name and business. For a partner: who comes (optional)."),
    )
    topic = forms.CharField(label=_("Talks about"), max_length=200, required=False)

    def __init__(self, *args, desk, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = desk.partners.order_by("name")
        self.fields["coach"].queryset = staff_of([desk])

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        needed = {
            Speaker.Kind.PARTNER: ("partner", _("Choose the partner organisation.")),
            Speaker.Kind.COACH: ("coach", _("Choose the coach.")),
            Speaker.Kind.ENTREPRENEUR: ("name", _("Write the entrepreneur's name.")),
        }
        if kind in needed:
            field, message = needed[kind]
            value = data.get(field)
            missing = not (value.strip() if isinstance(value, str) else value)
            if missing and not self.has_error(field):
                self.add_error(field, message)
        return data


class WalkInForm(forms.Form):
    """Someone at the door who did not register: quick, only the name is needed."""

    name = forms.CharField(label=_("Name"), max_length=NAME_MAX)
    email = _email_field(required=False)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    kind = forms.ChoiceField(
        label=_("Comes as"),
        choices=Registration.Kind.choices,
        initial=Registration.Kind.ENTREPRENEUR,
        widget=forms.RadioSelect,
    )
    may_contact = forms.BooleanField(label=_("May be contacted about the desk"), required=False)

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if not phone:
            return ""
        phone = normalise_phone(phone)
        if len(phone) > Registration._meta.get_field("phone").max_length:
            raise ValidationError(_("This phone number is too long."), code="phone")
        return phone


class ContactForm(forms.Form):
    """An intermediary invited as a contact person of one of the desk's partners."""

    partner = forms.ModelChoiceField(
        label=_("Partner organisation"), queryset=Partner.objects.none()
    )
    full_name = forms.CharField(label=_("Name"), max_length=150)
    email = _email_field()

    def __init__(self, *args, desk, registration: Registration, **kwargs):
        super().__init__(*args, **kwargs)
        partners = desk.partners.order_by("name")
        self.fields["partner"].queryset = partners
        if not self.is_bound:
            self.initial.update(
                full_name=registration.name,
                email=registration.email,
                partner=matching_partner(partners, registration.organisation),
            )


def matching_partner(partners, organisation: str):
    """The partner whose name matches the organisation the intermediary wrote, if one does:
    'Rabobank' for 'Rabobank Groningen', and the other way round."""
    organisation = organisation.strip()
    if not organisation:
        return None
    exact = partners.filter(name__iexact=organisation).first()
    if exact is not None:
        return exact
    contains = partners.filter(name__icontains=organisation).first()
    if contains is not None:
        return contains
    lowered = organisation.lower()
    return next((p for p in partners if p.name.lower() in lowered), None)


class LinkResidentForm(forms.Form):
    """Link the registration to a file the desk already has (a duplicate shown on the page)."""

    resident = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_VERSION)
