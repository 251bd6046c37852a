"""The days progress is counted over: the year up to an as-of date, and the period shown.

- the *year window* runs from 1 January up to the as-of date (default today, at most
  31 December);
- the *period* (whole year, a quarter or a month) is cut off at the as-of date too.
"""

import calendar
import datetime
from dataclasses import dataclass

from django.db.models import Max
from django.utils.dates import MONTHS_3
from django.utils.translation import gettext_lazy as _

from ondernemerspunt.models import YearTarget

# Years a dashboard can be asked for; anything else answers 404.
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True)
class Window:
    """A closed range of days. ``start > end`` is an empty window (nothing happened yet)."""

    start: datetime.date
    end: datetime.date

    @property
    def is_empty(self) -> bool:
        return self.start > self.end

    @property
    def days(self) -> int:
        return max((self.end - self.start).days + 1, 0)


@dataclass(frozen=True)
class Period:
    key: str
    label: str
    start: datetime.date
    end: datetime.date


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def year_days(year: int) -> int:
    return 366 if calendar.isleap(year) else 365


def periods_of(year: int) -> list[Period]:
    """The periods a dashboard can zoom into: the whole year, its quarters, its months."""
    first, last = year_bounds(year)
    periods = [Period("year", str(_("whole year")), first, last)]
    for quarter in range(1, 5):
        start = datetime.date(year, 3 * quarter - 2, 1)
        end_month = 3 * quarter
        end = datetime.date(year, end_month, calendar.monthrange(year, end_month)[1])
        periods.append(Period(f"q{quarter}", f"{_('quarter')} {quarter}", start, end))
    for month in range(1, 13):
        start = datetime.date(year, month, 1)
        end = datetime.date(year, month, calendar.monthrange(year, month)[1])
        periods.append(Period(f"m{month}", f"{MONTHS_3[month]} {year}", start, end))
    return periods


def period_of(year: int, key: str) -> Period:
    return next((p for p in periods_of(year) if p.key == key), periods_of(year)[0])


def month_end(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def last_month_end(today: datetime.date) -> datetime.date:
    """The latest month end that has been reached: today on the last day of a month, else the
    last day of the month before."""
    return today if today == month_end(today) else today.replace(day=1) - datetime.timedelta(1)


def month_ends(year: int, today: datetime.date) -> list[datetime.date]:
    """The as-of dates the project group may choose: the month ends of ``year`` that have been
    reached. Only month ends, and never "up to today", so that two views never lie a day
    apart (docs/progress.md, "Privacy")."""
    return [
        end
        for end in (month_end(datetime.date(year, m, 1)) for m in range(1, 13))
        if end <= last_month_end(today)
    ]


def default_as_of(year: int, today: datetime.date) -> datetime.date:
    """Today for the current year, 31 December for a past one, the day before 1 January for
    a year that has not started (which makes every window empty)."""
    first, last = year_bounds(year)
    if today < first:
        return first - datetime.timedelta(days=1)
    return min(today, last)


def records_end(year: int, today: datetime.date, last_recorded: datetime.date | None):
    """Where a past year's dashboard counts to by default when the desk's records stop in it:
    the end of the month of the last thing recorded (which is a month end, so the project
    group may see it too). None when the year is not over, or the records go on past it, or
    there are none in it.

    A desk that recorded nothing after, say, 31 March (it stopped using the application; the
    demo desk, which shows 31-03-2009) is not "behind the pace" on 31 December: there is
    nothing to count after its last record. Any later day can still be chosen.
    """
    first, last = year_bounds(year)
    if last >= today or last_recorded is None or not first <= last_recorded < last:
        return None
    end = month_end(last_recorded)
    return end if end < last else None


def current_years(desks, today: datetime.date) -> dict[int, int]:
    """Per desk the year its dashboard opens on: this year once anything was recorded in it
    (without a target yet it says so, and the coordinator sets one in the desk's management);
    before that the latest year with a target that has begun (a desk still reporting on last
    year's target, or the demo desk of 2009, opens there); otherwise this year."""
    from intake.models import StageChange  # the progress package counts across apps

    latest = dict(
        YearTarget.objects.filter(desk__in=desks, year__lte=today.year)
        .values("desk_id")
        .annotate(year=Max("year"))
        .values_list("desk_id", "year")
    )
    recording = set(
        StageChange.objects.filter(
            desk__in=desks, changed_on__gte=datetime.date(today.year, 1, 1)
        ).values_list("desk_id", flat=True)
    )
    return {
        desk.pk: today.year if desk.pk in recording else latest.get(desk.pk, today.year)
        for desk in desks
    }
