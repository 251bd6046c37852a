"""The progress figures of a desk for a year: what the dashboard, the exports and the report show.

Two steps, kept apart on purpose:

1. ``desk_progress(desk, year, as_of=…, period=…)`` reads the database (a fixed handful of
   aggregate queries over the desk's ``StageChange`` and ``Conversation`` rows inside a date
   window, all served by the ``(desk, to_stage, changed_on)`` and ``(desk, held_on)`` indexes)
   and returns plain numbers.
2. ``present(progress, suppress=…)`` turns those numbers into the tables every output uses —
   page, CSV, JSON, PDF — and is the one place where small counts become "< 5" for the project
   group. No output reads ``Progress`` directly, so none can forget the suppression.

Definitions (also in docs/performance.md and the dashboard's help text):

- the *year window* runs from 1 January up to the as-of date (default today, at most
  31 December); the *period* (whole year, a quarter or a month) is cut off at the as-of date too;
- a count "to stage X" is the number of residents with a ``StageChange`` to X in the window
  (a resident moved to X twice counts once);
- *participants* = residents who entered ``in_trajectory`` in the window (DESIGN.md);
- *in_trajectory_now* = residents whose latest stage change on or before the as-of date is to
  ``in_trajectory`` (the state on that date, from the history, not ``Resident.stage``);
- *intake_conversations* = conversations of kind intake held in the window (rows, not people).
"""

import calendar
import datetime
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Max, Q
from django.db.models.functions import ExtractMonth
from django.utils.dates import MONTHS_3
from django.utils.translation import gettext_lazy as _

from intake.models import Conversation, DropOutReason, Situation, Source, Stage, StageChange
from ondernemerspunt.models import Membership, Role, YearTarget

# Roles that may see a desk's progress; only coordinators and coaches see it unsuppressed.
PROGRESS_ROLES = (Role.COORDINATOR, Role.COACH, Role.PROJECT_GROUP)
UNSUPPRESSED_ROLES = (Role.COORDINATOR, Role.COACH)

# Years a dashboard can be asked for; anything else answers 404.
FIRST_YEAR, LAST_YEAR = 2000, 2100

FUNNEL_STAGES = [
    Stage.REGISTERED,
    Stage.INTAKE,
    Stage.IN_TRAJECTORY,
    Stage.SUBMITTED,
    Stage.FINANCED,
    Stage.STARTED,
]
# The steps whose median duration the dashboard shows, in trajectory order.
MEDIAN_STEPS = list(zip(FUNNEL_STAGES, FUNNEL_STAGES[1:], strict=False))

# The machine-readable figures (JSON, command, CSV) and the stage each one counts.
KEY_FIGURES = [
    "target",
    "residents_registered",
    "intake_conversations",
    "participants",
    "in_trajectory_now",
    "submitted_to_qredits",
    "financing_granted",
    "businesses_started",
    "dropped_out",
    "conversations_held",
]
STAGE_OF_FIGURE = {
    "residents_registered": Stage.REGISTERED,
    "participants": Stage.IN_TRAJECTORY,
    "submitted_to_qredits": Stage.SUBMITTED,
    "financing_granted": Stage.FINANCED,
    "businesses_started": Stage.STARTED,
    "dropped_out": Stage.DROPPED_OUT,
}
FIGURE_LABELS = {
    "target": _("Target (participants this year)"),
    "residents_registered": _("Residents registered"),
    "intake_conversations": _("Intake conversations held"),
    "participants": _("Participants (entered the trajectory)"),
    "in_trajectory_now": _("In the trajectory on the as-of date"),
    "submitted_to_qredits": _("Plans submitted to Qredits"),
    "financing_granted": _("Financing granted"),
    "businesses_started": _("Businesses started"),
    "dropped_out": _("Dropped out"),
    "conversations_held": _("Conversations held (intake and follow-up)"),
}
FIGURE_HELP = {
    "target": _("The number of participants the desk aims for in this year."),
    "residents_registered": _("Residents who registered with the desk in the year so far."),
    "intake_conversations": _("Intake conversations held in the year so far (conversations)."),
    "participants": _(
        "Residents who entered the trajectory in the year so far; this counts towards the target."
    ),
    "in_trajectory_now": _(
        "Residents whose stage on the as-of date was 'in the trajectory' (not yet submitted, "
        "stopped or referred)."
    ),
    "submitted_to_qredits": _("Residents whose plan went to Qredits in the year so far."),
    "financing_granted": _("Residents who were granted financing in the year so far."),
    "businesses_started": _("Residents who started their business in the year so far."),
    "dropped_out": _("Residents who stopped in the year so far, whatever their stage."),
    "conversations_held": _("All conversations held in the year so far, intake and follow-up."),
}
NOT_YET_RECORDED = _("not yet recorded")
WITHHELD = _(
    "Fewer than %(threshold)s residents: not broken down, so that nobody can be recognised "
    "by what the breakdown would show about them."
)


# --- Windows -----------------------------------------------------------------------------------


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


def default_as_of(year: int, today: datetime.date) -> datetime.date:
    """Today for the current year, 31 December for a past one, the day before 1 January for
    a year that has not started (which makes every window empty)."""
    first, last = year_bounds(year)
    if today < first:
        return first - datetime.timedelta(days=1)
    return min(today, last)


def current_years(desks, today: datetime.date) -> dict[int, int]:
    """Per desk the year its dashboard opens on: the latest year with a target that has begun
    (a desk still reporting on last year's target opens there), otherwise this year."""
    latest = dict(
        YearTarget.objects.filter(desk__in=desks, year__lte=today.year)
        .values("desk_id")
        .annotate(year=Max("year"))
        .values_list("desk_id", "year")
    )
    return {desk.pk: latest.get(desk.pk, today.year) for desk in desks}


# --- The figures -------------------------------------------------------------------------------


@dataclass
class Progress:
    """Plain numbers for one desk, year and period; see the module docstring for definitions."""

    desk: object
    year: int
    as_of: datetime.date
    window: Window
    period: Period
    period_window: Window
    target: int | None
    key: dict[str, int] = field(default_factory=dict)
    funnel: dict[str, int] = field(default_factory=dict)
    participants_by_month: list[int] = field(default_factory=list)
    conversations_by_month: list[tuple[int, int]] = field(default_factory=list)
    conversations_in_period: tuple[int, int] = (0, 0)
    dropouts_by_reason: dict[str, int] = field(default_factory=dict)
    by_situation: dict[str, int] = field(default_factory=dict)
    by_source: dict[tuple[str, str], int] = field(default_factory=dict)
    by_neighbourhood: dict[str, int] = field(default_factory=dict)
    medians: dict[tuple[str, str], tuple[float | None, int]] = field(default_factory=dict)
    neighbourhood_names: list[str] = field(default_factory=list)

    @property
    def not_started(self) -> bool:
        return self.window.is_empty

    @property
    def participants(self) -> int:
        return self.key["participants"]

    @property
    def pace_to_date(self) -> float | None:
        """Participants needed by the as-of date to be on track (the target spread evenly)."""
        if self.target is None:
            return None
        return self.target * self.window.days / year_days(self.year)

    @property
    def projection(self) -> int | None:
        """Participants at year end if the pace so far continues (a straight line)."""
        if self.window.days == 0:
            return None
        return round(self.participants * year_days(self.year) / self.window.days)

    @property
    def needed_per_month(self) -> float | None:
        """Participants needed in each month still to come (the current one included, unless
        the as-of date is its last day) to reach the target; None without a target or once the
        year is over."""
        if self.target is None or self.window.end == year_bounds(self.year)[1]:
            return None
        end = self.window.end
        if self.not_started:
            elapsed = 0
        elif end.day == calendar.monthrange(end.year, end.month)[1]:
            elapsed = end.month
        else:
            elapsed = end.month - 1
        return max(self.target - self.participants, 0) / (12 - elapsed)


def year_days(year: int) -> int:
    return 366 if calendar.isleap(year) else 365


def desk_progress(desk, year: int, *, as_of: datetime.date, period: Period | None = None):
    """All figures of ``desk`` in ``year`` up to ``as_of``; the breakdowns for ``period``.

    A fixed number of queries whatever the amount of data (10, or 9 when the period is the
    whole year); each reads only this desk's rows within the window, through an index.
    """
    first, last = year_bounds(year)
    window = Window(first, min(as_of, last))
    period = period or periods_of(year)[0]
    period_window = Window(period.start, min(period.end, window.end))

    target = (
        YearTarget.objects.filter(desk=desk, year=year).values_list("participants", flat=True)
    ).first()
    progress = Progress(
        desk=desk,
        year=year,
        as_of=as_of,
        window=window,
        period=period,
        period_window=period_window,
        target=target,
    )

    year_counts = _stage_counts(desk, window)
    progress.key = {figure: year_counts.get(stage, 0) for figure, stage in STAGE_OF_FIGURE.items()}
    progress.key["target"] = target
    progress.key["in_trajectory_now"] = _in_trajectory_on(desk, window)

    by_month = _conversations_by_month(desk, window)
    progress.conversations_by_month = [by_month.get(m, (0, 0)) for m in range(1, 13)]
    progress.key["intake_conversations"] = sum(i for i, _f in progress.conversations_by_month)
    progress.key["conversations_held"] = sum(i + f for i, f in progress.conversations_by_month)
    # Periods are whole months cut off at the as-of date, as the monthly counts are.
    months = range(period.start.month, period.end.month + 1)
    progress.conversations_in_period = (
        sum(progress.conversations_by_month[m - 1][0] for m in months),
        sum(progress.conversations_by_month[m - 1][1] for m in months),
    )

    progress.funnel = year_counts if period_window == window else _stage_counts(desk, period_window)
    per_month = _participants_by_month(desk, window)
    progress.participants_by_month = [per_month.get(m, 0) for m in range(1, 13)]
    progress.dropouts_by_reason = _dropouts_by_reason(desk, period_window)
    _participants_by_kind(desk, period_window, progress)
    progress.medians = _median_days(desk, period_window)
    progress.neighbourhood_names = list(desk.neighbourhoods.values_list("name", flat=True))
    return progress


def _in_window(window: Window) -> Q:
    return Q(changed_on__gte=window.start, changed_on__lte=window.end)


def _stage_counts(desk, window: Window) -> dict[str, int]:
    rows = (
        StageChange.objects.filter(_in_window(window), desk=desk)
        .values("to_stage")
        .annotate(n=Count("resident_id", distinct=True))
        .order_by()
    )
    return {row["to_stage"]: row["n"] for row in rows}


def _in_trajectory_on(desk, window: Window) -> int:
    """Residents whose latest stage change on or before the window's end is to in_trajectory.

    Only residents who ever entered the trajectory by then can be in it, so the DISTINCT ON
    runs over their changes only, not over every change of the desk.
    """
    entered = StageChange.objects.filter(
        desk=desk, to_stage=Stage.IN_TRAJECTORY, changed_on__lte=window.end
    ).values("resident_id")
    latest = (
        StageChange.objects.filter(desk=desk, changed_on__lte=window.end, resident_id__in=entered)
        .order_by("resident_id", "-changed_on", "-id")
        .distinct("resident_id")
        .values("id")
    )
    return StageChange.objects.filter(id__in=latest, to_stage=Stage.IN_TRAJECTORY).count()


def _conversations_by_month(desk, window: Window) -> dict[int, tuple[int, int]]:
    rows = (
        Conversation.objects.filter(desk=desk, held_on__gte=window.start, held_on__lte=window.end)
        .annotate(month=ExtractMonth("held_on"))
        .values("month")
        .annotate(
            intake=Count("id", filter=Q(kind=Conversation.Kind.INTAKE)),
            follow_up=Count("id", filter=~Q(kind=Conversation.Kind.INTAKE)),
        )
        .order_by()
    )
    return {row["month"]: (row["intake"], row["follow_up"]) for row in rows}


def _participants_by_month(desk, window: Window) -> dict[int, int]:
    rows = (
        StageChange.objects.filter(_in_window(window), desk=desk, to_stage=Stage.IN_TRAJECTORY)
        .annotate(month=ExtractMonth("changed_on"))
        .values("month")
        .annotate(n=Count("resident_id", distinct=True))
        .order_by()
    )
    return {row["month"]: row["n"] for row in rows}


def _dropouts_by_reason(desk, window: Window) -> dict[str, int]:
    rows = (
        StageChange.objects.filter(_in_window(window), desk=desk, to_stage=Stage.DROPPED_OUT)
        .values("reason")
        .annotate(n=Count("resident_id", distinct=True))
        .order_by()
    )
    return {row["reason"]: row["n"] for row in rows}


def _participants_by_kind(desk, window: Window, progress: Progress) -> None:
    """Participants of the period by situation, source and neighbourhood, in one query.

    Each resident has one situation, source and neighbourhood, so the per-combination counts
    add up to the per-dimension counts without counting anyone twice.
    """
    rows = (
        StageChange.objects.filter(_in_window(window), desk=desk, to_stage=Stage.IN_TRAJECTORY)
        .values(
            "resident__situation",
            "resident__source",
            "resident__source_partner__name",
            "resident__neighbourhood__name",
        )
        .annotate(n=Count("resident_id", distinct=True))
        .order_by()
    )
    for row in rows:
        n = row["n"]
        situation = row["resident__situation"] or ""
        progress.by_situation[situation] = progress.by_situation.get(situation, 0) + n
        source = (row["resident__source"] or "", row["resident__source_partner__name"] or "")
        progress.by_source[source] = progress.by_source.get(source, 0) + n
        place = row["resident__neighbourhood__name"] or ""
        progress.by_neighbourhood[place] = progress.by_neighbourhood.get(place, 0) + n


def _median_days(desk, window: Window) -> dict[tuple[str, str], tuple[float | None, int]]:
    """Median days from first reaching one stage to first reaching the next, for residents who
    reached the later stage in the window. One query over the desk's changes up to its end."""
    table = StageChange._meta.db_table
    pairs = ", ".join(["(%s, %s)"] * len(MEDIAN_STEPS))
    sql = f"""
        WITH firsts AS (
            SELECT resident_id, to_stage, MIN(changed_on) AS reached_on
            FROM {table}
            WHERE desk_id = %s AND changed_on <= %s AND to_stage = ANY(%s)
            GROUP BY resident_id, to_stage
        )
        SELECT steps.from_stage, steps.to_stage,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY b.reached_on - a.reached_on),
               COUNT(*)
        FROM (VALUES {pairs}) AS steps (from_stage, to_stage)
        JOIN firsts a ON a.to_stage = steps.from_stage
        JOIN firsts b ON b.resident_id = a.resident_id AND b.to_stage = steps.to_stage
        WHERE b.reached_on >= %s AND b.reached_on >= a.reached_on
        GROUP BY steps.from_stage, steps.to_stage
    """  # noqa: S608 - the table name comes from the model, every value is a parameter
    params = [desk.pk, window.end, [str(s) for s in FUNNEL_STAGES]]
    for from_stage, to_stage in MEDIAN_STEPS:
        params += [str(from_stage), str(to_stage)]
    params.append(window.start)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = {(a, b): (median, n) for a, b, median, n in cursor.fetchall()}
    return {(str(a), str(b)): found.get((str(a), str(b)), (None, 0)) for a, b in MEDIAN_STEPS}


# --- Who sees what ----------------------------------------------------------------------------


def must_suppress(user, desk, memberships: list[Membership]) -> bool:
    """Small counts are hidden unless the user coaches or coordinates at this desk."""
    return not any(m.desk_id == desk.pk and m.role in UNSUPPRESSED_ROLES for m in memberships)


@dataclass(frozen=True)
class Small:
    """A count from 1 up to the threshold minus one, as the project group sees it."""

    below: int

    def __str__(self):
        return f"< {self.below}"

    @property
    def machine(self) -> str:
        """How JSON and CSV write it: ``"<5"``."""
        return f"<{self.below}"


def machine_value(value):
    return value.machine if isinstance(value, Small) else value


# --- What every output shows --------------------------------------------------------------------


@dataclass
class TableRow:
    key: str
    label: str
    # int, Small, a float (pace), "" for nothing to show (a month still to come, no target),
    # or None for a figure that is not recorded yet.
    values: list


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[TableRow]
    help: str = ""
    not_yet_recorded: bool = False
    # For the project group: the breakdown covers fewer residents than the threshold, so its
    # rows are left out (see ``_withhold_small_breakdowns``).
    withheld: bool = False


@dataclass
class Figures:
    """Progress as shown to one viewer: small counts already replaced for the project group."""

    progress: Progress
    suppressed: bool
    threshold: int
    key: dict[str, object]
    tables: dict[str, Table]
    participants_value: object
    percent_of_target: int | None
    pace_to_date: int | None
    projection: int | None
    needed_per_month: float | None
    on_track: bool | None

    @property
    def desk(self):
        return self.progress.desk

    @property
    def year(self):
        return self.progress.year

    @property
    def largest_hidden(self) -> int:
        """The largest count shown as "< threshold" (4 for the default threshold of 5)."""
        return self.threshold - 1

    @property
    def withheld_message(self) -> str:
        return str(WITHHELD) % {"threshold": self.threshold}

    def machine_key_figures(self) -> dict[str, object]:
        return {name: machine_value(self.key[name]) for name in KEY_FIGURES}

    def key_rows(self):
        return [
            (name, FIGURE_LABELS[name], FIGURE_HELP[name], self.key[name]) for name in KEY_FIGURES
        ]


def present(progress: Progress, *, suppress: bool) -> Figures:
    """The figures as a viewer sees them; with ``suppress``, 1..threshold-1 become ``Small``."""
    threshold = progress.desk.small_count_threshold

    def show(n):
        if suppress and n is not None and 0 < n < threshold:
            return Small(threshold)
        return n

    key = {
        name: (value if name == "target" else show(value)) for name, value in progress.key.items()
    }
    participants = progress.participants
    hidden = isinstance(show(participants), Small)
    target = progress.target

    tables = {}
    tables["funnel"] = Table(
        "funnel",
        str(_("Funnel")),
        [str(_("residents"))],
        [TableRow(str(s), str(s.label), [show(progress.funnel.get(s, 0))]) for s in FUNNEL_STAGES]
        + [TableRow("still_trading", str(_("still trading after 12 months")), [None])],
        help=str(
            _(
                "Residents who reached each stage in the chosen period. Still trading after "
                "12 months is not recorded yet."
            )
        ),
    )
    pace = target / 12 if target is not None else None
    cumulative = 0
    month_rows = []
    for month, n in enumerate(progress.participants_by_month, start=1):
        cumulative += n
        future = _after_as_of(progress, month)
        values = ["" if future else show(n)]
        # The running total would give away each month's small count by subtraction, so the
        # project group sees the months and the year's total only.
        if not suppress:
            values.append("" if future else cumulative)
        values.append("" if pace is None else round(pace * month, 1))
        month_rows.append(TableRow(f"m{month}", str(MONTHS_3[month]), values))
    # The pace is a running total ("needed by the end of the month"), so that it compares with
    # the total so far; its label says so, as the project group sees it beside the months only.
    headers = [
        str(_("new participants")),
        str(_("total so far")),
        str(_("needed in total by the end of the month")),
    ]
    tables["participants_by_month"] = Table(
        "participants_by_month",
        str(_("New participants per month")),
        [headers[0], headers[2]] if suppress else headers,
        month_rows,
        help=str(
            _(
                "Residents who entered the trajectory each month, against the pace needed to "
                "reach the target (the target spread evenly over the year)."
            )
        ),
    )
    tables["conversations_by_month"] = Table(
        "conversations_by_month",
        str(_("Conversations held per month")),
        [str(_("intake")), str(_("follow-up"))],
        [
            # A month after the as-of date was not counted: "–", not a zero.
            TableRow(
                f"m{month}",
                str(MONTHS_3[month]),
                ["", ""] if _after_as_of(progress, month) else [show(i), show(f)],
            )
            for month, (i, f) in enumerate(progress.conversations_by_month, start=1)
        ],
    )
    intake, follow_up = progress.conversations_in_period
    tables["conversations"] = Table(
        "conversations",
        str(_("Conversations held in the period")),
        [str(_("conversations"))],
        [
            TableRow("intake", str(_("intake")), [show(intake)]),
            TableRow("follow_up", str(_("follow-up")), [show(follow_up)]),
            TableRow("total", str(_("total")), [show(intake + follow_up)]),
        ],
    )
    tables["dropouts"] = Table(
        "dropouts",
        str(_("Drop-outs by reason")),
        [str(_("residents"))],
        [
            TableRow(str(r), str(r.label), [show(progress.dropouts_by_reason.get(r, 0))])
            for r in DropOutReason
        ],
        help=str(_("Residents who stopped in the chosen period, by the reason recorded.")),
    )
    tables["situation"] = Table(
        "situation",
        str(_("Participants by situation")),
        [str(_("participants"))],
        _rows(progress.by_situation, [(str(s), str(s.label)) for s in Situation], show),
    )
    source_labels = dict(Source.choices)
    sources = [((str(s), ""), str(s.label)) for s in Source]
    for source, partner in sorted(k for k in progress.by_source if k[1]):
        sources.append(((source, partner), f"{source_labels.get(source, source)}: {partner}"))
    tables["source"] = Table(
        "source",
        str(_("Participants by source")),
        [str(_("participants"))],
        [TableRow("/".join(k), label, [show(progress.by_source.get(k, 0))]) for k, label in sources]
        + _unknown_row(progress.by_source.get(("", ""), 0), show),
        help=str(_("How participants found the desk; partners are named where recorded.")),
    )
    places = sorted(name for name in progress.by_neighbourhood if name)
    neighbourhoods = progress.neighbourhood_names
    tables["neighbourhood"] = Table(
        "neighbourhood",
        str(_("Participants by neighbourhood")),
        [str(_("participants"))],
        _rows(
            progress.by_neighbourhood,
            [(name, name) for name in sorted(set(neighbourhoods) | set(places))],
            show,
        ),
    )
    tables["referrals"] = Table(
        "referrals",
        str(_("Referrals by partner and their outcome")),
        [str(_("referrals"))],
        [],
        help=str(_("Referrals are not recorded yet; they appear here once they are.")),
        not_yet_recorded=True,
    )
    median_rows = []
    for (a, b), (median, n) in progress.medians.items():
        # Not "< 5" for a hidden median: in a column of days that reads as "under five days".
        # The residents' column beside it says "< 5", and the help text says why it is empty.
        left_out = median is None or (suppress and n < threshold)
        median = "" if left_out else round(median)
        median_rows.append(
            TableRow(f"{a}/{b}", f"{Stage(a).label} → {Stage(b).label}", [median, show(n)])
        )
    tables["medians"] = Table(
        "medians",
        str(_("Median time between stages")),
        [str(_("median (days)")), str(_("residents"))],
        median_rows,
        help=str(
            _(
                "For residents who reached the later stage in the chosen period: the middle "
                "value of the days between reaching one stage and the next."
            )
        )
        + (
            " "
            + str(_("A median over fewer than %(threshold)s residents is not shown."))
            % {"threshold": threshold}
            if suppress
            else ""
        ),
    )
    if suppress:
        _withhold_small_breakdowns(progress, tables, threshold)

    pace_to_date = progress.pace_to_date
    return Figures(
        progress=progress,
        suppressed=suppress,
        threshold=threshold,
        key=key,
        tables=tables,
        participants_value=key["participants"],
        percent_of_target=(
            None if target in (None, 0) or hidden else round(100 * participants / target)
        ),
        pace_to_date=None if pace_to_date is None else round(pace_to_date),
        # Derived from the participant count, so hidden when that count is.
        projection=None if hidden else progress.projection,
        needed_per_month=None if hidden else progress.needed_per_month,
        on_track=(
            None
            if pace_to_date is None or hidden or progress.not_started
            else participants >= round(pace_to_date)
        ),
    )


def _after_as_of(progress: Progress, month: int) -> bool:
    return progress.not_started or month > progress.window.end.month


def _withhold_small_breakdowns(progress: Progress, tables: dict[str, Table], threshold: int):
    """Leave out a breakdown that covers 1 to threshold-1 residents.

    Suppressing its cells one by one is not enough: when the one resident who stopped this
    quarter is the only one, "health: < 5" beside six zeros tells the project group why that
    person stopped. The count of residents it covers stays visible (as "< 5") elsewhere.
    """
    covered = {
        "participants_by_month": progress.participants,
        "dropouts": progress.funnel.get(Stage.DROPPED_OUT, 0),
        "situation": progress.funnel.get(Stage.IN_TRAJECTORY, 0),
        "source": progress.funnel.get(Stage.IN_TRAJECTORY, 0),
        "neighbourhood": progress.funnel.get(Stage.IN_TRAJECTORY, 0),
    }
    for key, n in covered.items():
        if 0 < n < threshold:
            tables[key].rows = []
            tables[key].withheld = True


def _rows(counts: dict[str, int], choices, show) -> list[TableRow]:
    rows = [TableRow(key, label, [show(counts.get(key, 0))]) for key, label in choices]
    return rows + _unknown_row(counts.get("", 0), show)


def _unknown_row(n: int, show) -> list[TableRow]:
    return [TableRow("unknown", str(_("not filled in")), [show(n)])] if n else []
