import datetime

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from ondernemerspunt.audit import TRAIL_TIMEZONE, actors_of, residents_named
from ondernemerspunt.models import AuditEntry
from ondernemerspunt.progress.periods import (
    default_as_of,
    last_month_end,
    month_end,
    month_ends,
    period_of,
    periods_of,
    records_end,
    year_bounds,
)


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


# Typed Dutch dates (31-03-2009) as well as the browser's date picker (2009-03-31).
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d-%m-%y", "%d/%m/%y"]


class DatePickerInput(forms.DateInput):
    """The browser's date picker, which only shows a value written 2009-03-31: a date typed
    the Dutch way (31-03-2009) where there is no picker comes back in that form."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")

    def format_value(self, value):
        if isinstance(value, str):
            for input_format in DATE_INPUT_FORMATS:
                try:
                    return (
                        datetime.datetime.strptime(value.strip(), input_format).date().isoformat()
                    )
                except ValueError:
                    continue
        return super().format_value(value)


def _date_field(label):
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=DatePickerInput(),
        error_messages={"invalid": _("This is not an existing date. Write it like 31-03-2009.")},
    )


def start_of_day(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of ``day`` on the desk's clock."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=TRAIL_TIMEZONE)


# The trail's dates lie in these years; a far-off date is a typing error (and 31-12-9999 has no
# next day to count up to).
FIRST_TRAIL_YEAR, LAST_TRAIL_YEAR = 2000, 2100


class AuditFilterForm(forms.Form):
    """Filters the audit trail (bound to GET); ``filter_qs`` applies what was chosen.

    A value that cannot be used (a mistyped date, someone no longer on offer) gets a message
    next to its field and is left out; the other filters still apply.
    """

    name = forms.CharField(
        label=_("Resident's name"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    resident = forms.IntegerField(label=_("Resident number"), required=False, min_value=1)
    # Staff mostly, but a resident who downloads a copy of her data writes a line too.
    actor = forms.ChoiceField(label=_("Who"), required=False)
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[("", _("all actions")), *AuditEntry.Action.choices],
    )
    date_from = _date_field(_("From"))
    date_to = _date_field(_("Up to and including"))

    def __init__(self, *args, desk_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.desk_ids = desk_ids
        self.fields["actor"].choices = [("", _("everyone"))] + [
            (str(user.pk), str(user)) for user in actors_of(desk_ids)
        ]

    def clean(self):
        data = super().clean()
        for name in ("date_from", "date_to"):
            day = data.get(name)
            if day and not FIRST_TRAIL_YEAR <= day.year <= LAST_TRAIL_YEAR:
                self.add_error(
                    name,
                    _("Choose a day between %(first)s and %(last)s.")
                    % {"first": FIRST_TRAIL_YEAR, "last": LAST_TRAIL_YEAR},
                )
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("Choose a day on or after the first day."))
        return data

    def filter_qs(self, queryset):
        self.is_valid()
        data = getattr(self, "cleaned_data", {})  # an unbound form filters nothing
        if data.get("name"):
            queryset = queryset.filter(resident_id__in=residents_named(self.desk_ids, data["name"]))
        if data.get("resident"):
            queryset = queryset.filter(resident_id=data["resident"])
        if data.get("actor"):
            queryset = queryset.filter(actor_id=int(data["actor"]))
        if data.get("action"):
            queryset = queryset.filter(action=data["action"])
        if data.get("date_from"):
            queryset = queryset.filter(at__gte=start_of_day(data["date_from"]))
        if data.get("date_to"):
            next_day = data["date_to"] + datetime.timedelta(days=1)
            queryset = queryset.filter(at__lt=start_of_day(next_day))
        return queryset


class ProgressFilterForm(forms.Form):
    """The period and as-of date of the progress dashboard and its exports (bound to GET).

    Bad values get a message next to the field and the dashboard falls back to the defaults,
    so a mistyped address never ends in an error page.

    With ``month_ends_only`` (the project group) the as-of date is a choice of month ends up to
    the end of this month: two dates a day apart would show what changed that day, down to one
    resident (docs/progress.md, "Privacy").
    """

    period = forms.ChoiceField(label=_("Period"), required=False)
    as_of = forms.DateField(
        label=_("As of"),
        required=False,
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Count up to and including this day. Empty: today, or the end of the year."),
    )

    def __init__(self, *args, year, today, month_ends_only=False, last_recorded=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.year, self.today, self.month_ends_only = year, today, month_ends_only
        # The desk's last record (``figures.last_recorded_day``): a past year whose records
        # stop early counts to the end of that month by default.
        self.last_recorded = last_recorded
        self.records_end = records_end(year, today, last_recorded)
        self.fields["period"].choices = [(p.key, p.label) for p in periods_of(year)]
        if month_ends_only:
            field = self.fields["as_of"]
            field.widget = forms.Select(
                choices=[("", _("default: the last month end, or 31 December of a past year"))]
                + [(d.isoformat(), d.strftime("%d-%m-%Y")) for d in month_ends(year, today)]
            )
            field.help_text = _(
                "Count up to and including the end of the chosen month. Only month ends that "
                "have passed, so that no single day's changes show."
            )

    def clean_as_of(self):
        as_of = self.cleaned_data["as_of"]
        if as_of is None:
            return None
        first, _last = year_bounds(self.year)
        if as_of < first:
            raise forms.ValidationError(
                _("Choose a day in %(year)s or later: the year starts on 1 January."),
                params={"year": self.year},
            )
        if self.month_ends_only:
            return self._clean_month_end(as_of)
        if as_of > self.today:
            raise forms.ValidationError(_("Choose a day that is not in the future."))
        return as_of

    def _clean_month_end(self, as_of):
        if as_of > last_month_end(self.today):
            raise forms.ValidationError(_("Choose a day that is not in the future."))
        if as_of != month_end(as_of):
            raise forms.ValidationError(
                _(
                    "Choose the last day of a month, such as %(example)s: the project group "
                    "sees the figures per month end."
                ),
                params={"example": month_end(as_of).strftime("%d-%m-%Y")},
            )
        return as_of

    def _value(self, name):
        """The field's value when it is valid; None (the default) when empty or wrong."""
        if not self.is_bound:
            return None
        self.is_valid()  # fills cleaned_data with the valid fields only
        return self.cleaned_data.get(name)

    def as_of_date(self):
        """The chosen as-of date, or the default: today, or 31 December of a past year (or
        the end of the month its records stop in, see ``periods.records_end``)."""
        chosen = self._value("as_of")
        latest = default_as_of(self.year, self.today)
        if self.month_ends_only:
            # The project group counts up to the last month end reached, never up to today:
            # two days' views would show what changed in between.
            latest = min(latest, last_month_end(self.today))
        if chosen is None:
            return self.records_end if self.counts_to_records_end else latest
        return min(chosen, latest)

    @property
    def counts_to_records_end(self) -> bool:
        """True when no as-of date was chosen and the default stops where the records do."""
        latest = default_as_of(self.year, self.today)
        return (
            self.records_end is not None
            and self.records_end < latest
            and self._value("as_of") is None
        )

    def chosen_period(self):
        return period_of(self.year, self._value("period") or "year")


class ProgressReportForm(forms.Form):
    """Which quarter's progress report to prepare: only quarters that have begun."""

    quarter = forms.TypedChoiceField(label=_("Quarter"), coerce=int)
    # Only offered to coordinators and coaches. Off by default: the report is made for the
    # project group's meeting, and a coordinator preparing that meeting must get the version
    # the project group may see, not one with small counts.
    show_small_counts = forms.BooleanField(
        label=_("Show small counts (for internal use only, not for the project group)"),
        required=False,
    )

    def __init__(self, *args, year, today, may_show_small_counts=False, **kwargs):
        super().__init__(*args, **kwargs)
        begun = [q for q in range(1, 5) if (year, 3 * q - 2) <= (today.year, today.month)]
        self.fields["quarter"].choices = [(q, f"{_('quarter')} {q} {year}") for q in begun]
        if not may_show_small_counts:
            del self.fields["show_small_counts"]

    def suppressed(self) -> bool:
        return not self.cleaned_data.get("show_small_counts", False)
