"""What is counted: the progress figures of a desk for a year, as plain numbers.

``desk_progress(desk, year, as_of=…, period=…)`` reads the database (a fixed handful of
aggregate queries over the desk's ``StageChange`` and ``Conversation`` rows inside a date
window, all served by the ``(desk, to_stage, changed_on)`` and ``(desk, held_on)`` indexes)
and returns a ``Progress`` of plain numbers. No output reads it directly:
``tables.present(progress, suppress=…)`` turns it into the tables every output uses (page,
CSV, JSON, PDF) and is the one place where small counts become "< 5" for the project group.

Definitions (also in docs/progress.md and the dashboard's help text); windows and periods are
defined in ``periods``:

- a count "to stage X" is the number of residents with a ``StageChange`` to X in the window
  (a resident moved to X twice counts once);
- *participants* = residents who entered ``in_trajectory`` in the window (DESIGN.md);
- *in_trajectory_now* = residents whose latest stage change on or before the as-of date is to
  ``in_trajectory`` (the state on that date, from the history, not ``Resident.stage``);
- *intake_conversations* = conversations of kind intake held in the window (rows, not people);
- a stage change corrected as a mistake, and the change correcting it, are counted nowhere
  (except in *in_trajectory_now*, which reads the stage a resident actually had);
- *benefits consultations* = consultations with UWV or the municipality held in the period,
  by outcome (rows, not people);
- *referrals* = referrals sent in the period (a draft never sent is none), by partner and by
  their status now; the *answer time* is the median of the working days from sending to the
  partner's first answer, over those answered;
- *info evenings* (issue 14), over the evenings held (status held) whose date lies in the
  period: *registrations* are those not cancelled, walk-ins left out (the waiting list
  counts: they asked to come); the *attendance rate* is the share of those with a place
  (registered, not walk-ins) who came; *walk-ins* came without registering; *intermediaries
  reached* are attendees who came as intermediary, by kind of organisation; *intake within
  3 months* counts attendees linked to a resident whose intake conversation was held on the
  evening's day or up to ``INTAKE_WITHIN_DAYS`` days after it. A registration erased after the
  keeping period still counts: its row keeps kind, attendance and kind of organisation.
- *still trading after 12 months* (issue 11) = businesses of the desk's residents whose
  12-month mark (the day 12 months after ``BusinessStart.started_on``; 29 February: 28 February)
  falls in the period, and that the coach recorded as still trading at the aftercare contact a
  year after the start. So it counts the businesses started in the period shifted a year back
  (for Q2 2009: started from 1 April 2008 up to 30 June 2008). One not recorded yet is not
  counted, and neither is one recorded as stopped. An erased file still counts: its business
  start keeps the date and the answer, not the KvK number.
"""

import calendar
import datetime
import statistics
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import (
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    Max,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import ExtractMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coaching.models import BenefitsConsultation, BusinessStart, Referral
from intake.models import Conversation, InfoEvening, Registration, Stage, StageChange
from ondernemerspunt.models import Desk, YearTarget
from ondernemerspunt.progress.periods import Period, Window, periods_of, year_bounds, year_days

# The stages the funnel shows, in trajectory order.
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

# "Within 3 months" of an info evening: an intake on the evening's day up to this many days
# after it still counts (three months of at most 31 days, and one of 30).
INTAKE_WITHIN_DAYS = 92

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


@dataclass
class Evenings:
    """The info evenings held in the period (issue 14), as plain counts of registrations."""

    held: int = 0
    # Not cancelled, not walk-ins (the waiting list included).
    registrations: int = 0
    # With a place (status registered, not walk-ins): the attendance rate's base, and of them
    # those who came.
    with_a_place: int = 0
    came_with_a_place: int = 0
    walk_ins: int = 0
    # Attendees who came as intermediary, by kind of organisation ("" not filled in).
    intermediaries_by_kind: dict[str, int] = field(default_factory=dict)
    # Attendees linked to a resident whose intake came within ``INTAKE_WITHIN_DAYS``.
    intake_within: int = 0

    @property
    def attendance_rate(self) -> int | None:
        """Whole percent of those with a place who came; None without any."""
        if not self.with_a_place:
            return None
        return round(100 * self.came_with_a_place / self.with_a_place)


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
    # Benefits consultations (issue 10) held in the period, by outcome.
    benefits_by_outcome: dict[str, int] = field(default_factory=dict)
    # Referrals sent in the period (issue 10): (partner, status now) -> referrals, and per
    # partner ("" for all) the median working days from sent to the first answer and how many
    # were answered.
    referrals_by_partner: dict[tuple[str, str], int] = field(default_factory=dict)
    referral_answer_days: dict[str, tuple[float | None, int]] = field(default_factory=dict)
    # Info evenings held in the period (issue 14).
    evenings: Evenings = field(default_factory=Evenings)
    # Businesses whose 12-month mark is in the period, recorded still trading (issue 11).
    still_trading: int = 0

    @property
    def not_started(self) -> bool:
        return self.window.is_empty

    @property
    def participants(self) -> int:
        return self.key["participants"]

    @property
    def has_records(self) -> bool:
        """Whether anything was recorded in the year so far: a registration, a conversation or
        a move through the trajectory. A year without is no data yet, not a year behind."""
        counted = (name for name in KEY_FIGURES if name not in ("target", "in_trajectory_now"))
        return any(self.key.get(name) for name in counted)

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


def last_recorded_day(desk) -> datetime.date | None:
    """The last day on which anything the figures count happened at the desk (a stage change,
    a registration among them, or a conversation), in one query; None for a desk without
    records."""

    def latest(model, field):
        return Subquery(
            model.objects.filter(desk=OuterRef("pk"))
            .order_by()
            .values("desk")
            .annotate(day=Max(field))
            .values("day")[:1]
        )

    days = (
        Desk.objects.filter(pk=desk.pk)
        .annotate(changed=latest(StageChange, "changed_on"), held=latest(Conversation, "held_on"))
        .values_list("changed", "held")
        .first()
    ) or ()
    days = [day for day in days if day is not None]
    return max(days) if days else None


def desk_progress(desk, year: int, *, as_of: datetime.date, period: Period | None = None):
    """All figures of ``desk`` in ``year`` up to ``as_of``; the breakdowns for ``period``.

    A fixed number of queries whatever the amount of data (14, or 13 when the period is the
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
    progress.benefits_by_outcome = _benefits_by_outcome(desk, period_window)
    _referrals(desk, period_window, progress)
    progress.evenings = _evenings(desk, period_window)
    progress.still_trading = _still_trading(desk, period_window)
    return progress


def _in_window(window: Window) -> Q:
    return Q(changed_on__gte=window.start, changed_on__lte=window.end) & _not_corrected()


def _not_corrected() -> Q:
    """A stage set by mistake and put right (intake/corrections.py) did not happen: neither the
    mistaken change nor the one correcting it is counted."""
    return Q(corrects__isnull=True, corrected_by__isnull=True)


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
    """Median days to first reaching the next stage, from the latest reaching of the stage
    before it on or before that day, for residents who reached the later stage in the window:
    after a decline and a resubmission, *submitted → financed* counts from the submission that
    was financed, not from the first one. One query over the desk's changes up to its end."""
    table = StageChange._meta.db_table
    pairs = ", ".join(["(%s, %s)"] * len(MEDIAN_STEPS))
    sql = f"""
        WITH changes AS (
            SELECT resident_id, to_stage, changed_on
            FROM {table} sc
            WHERE desk_id = %s AND changed_on <= %s AND to_stage = ANY(%s)
              AND corrects_id IS NULL
              AND NOT EXISTS (SELECT 1 FROM {table} fix WHERE fix.corrects_id = sc.id)
        ),
        firsts AS (
            SELECT resident_id, to_stage, MIN(changed_on) AS reached_on
            FROM changes
            GROUP BY resident_id, to_stage
        ),
        spans AS (
            SELECT steps.from_stage, steps.to_stage, b.reached_on - MAX(a.changed_on) AS days
            FROM (VALUES {pairs}) AS steps (from_stage, to_stage)
            JOIN firsts b ON b.to_stage = steps.to_stage
            JOIN changes a ON a.resident_id = b.resident_id AND a.to_stage = steps.from_stage
                AND a.changed_on <= b.reached_on
            WHERE b.reached_on >= %s
            GROUP BY steps.from_stage, steps.to_stage, b.resident_id, b.reached_on
        )
        SELECT from_stage, to_stage, percentile_cont(0.5) WITHIN GROUP (ORDER BY days), COUNT(*)
        FROM spans
        GROUP BY from_stage, to_stage
    """  # noqa: S608 - the table name comes from the model, every value is a parameter
    params = [desk.pk, window.end, [str(s) for s in FUNNEL_STAGES]]
    for from_stage, to_stage in MEDIAN_STEPS:
        params += [str(from_stage), str(to_stage)]
    params.append(window.start)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = {(a, b): (median, n) for a, b, median, n in cursor.fetchall()}
    return {(str(a), str(b)): found.get((str(a), str(b)), (None, 0)) for a, b in MEDIAN_STEPS}


def _benefits_by_outcome(desk, window: Window) -> dict[str, int]:
    """Benefits consultations with UWV or the municipality held in the window, by outcome
    (rows, not people), through the ``(desk, held_on)`` index. An erased file's consultations
    stay counted: their rows keep the outcome and the date."""
    rows = (
        BenefitsConsultation.objects.filter(
            desk=desk, held_on__gte=window.start, held_on__lte=window.end
        )
        .values("outcome")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["outcome"]: row["n"] for row in rows}


def _moments(window: Window) -> tuple[datetime.datetime, datetime.datetime]:
    """The window as moments in the desk's time zone: from its first day's start up to (not
    including) the start of the day after its last."""
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(window.start, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(
        window.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
    )
    return start, end


def working_days_between(first: datetime.date, last: datetime.date) -> int:
    """Working days (Monday to Friday) after ``first`` up to and including ``last``: a
    referral sent on Friday and answered on Monday took one working day."""
    if last <= first:
        return 0
    weeks, rest = divmod((last - first).days, 7)
    days = weeks * 5
    for n in range(1, rest + 1):
        if (first + datetime.timedelta(days=n)).weekday() < 5:
            days += 1
    return days


def _referrals(desk, window: Window, progress: Progress) -> None:
    """Referrals sent in the window (issue 10), by partner and their status now, and the time
    to the partner's first answer in working days; one query through the ``(desk, sent_at)``
    index (a desk sends tens of referrals a quarter, not thousands). A draft never sent is
    not a referral to count."""
    if window.is_empty:
        return
    start, end = _moments(window)
    sent = Referral.objects.filter(desk=desk, sent_at__gte=start, sent_at__lt=end)
    days_by_partner: dict[str, list[int]] = {}
    for name, status, sent_at, answered_at in sent.values_list(
        "partner__name", "status", "sent_at", "answered_at"
    ):
        key = (name, status)
        progress.referrals_by_partner[key] = progress.referrals_by_partner.get(key, 0) + 1
        if answered_at is not None:
            days = working_days_between(
                timezone.localdate(sent_at), timezone.localdate(answered_at)
            )
            days_by_partner.setdefault(name, []).append(days)
            days_by_partner.setdefault("", []).append(days)
    progress.referral_answer_days = {
        name: (statistics.median(days), len(days)) for name, days in days_by_partner.items()
    }


def _evenings(desk, window: Window) -> Evenings:
    """The info evenings held in the window, in one aggregate query through the
    ``(desk, starts_at)`` index, however many evenings and registrations there are."""
    if window.is_empty:
        return Evenings()
    start, end = _moments(window)
    not_cancelled = ~Q(registrations__status=Registration.Status.CANCELLED)
    not_walk_in = Q(registrations__walk_in=False)
    with_a_place = not_walk_in & Q(registrations__status=Registration.Status.REGISTERED)
    came = Q(registrations__attended=True) & not_cancelled
    intermediary = came & Q(registrations__kind=Registration.Kind.INTERMEDIARY)
    # The evening's day in the desk's time zone; the registration's resident, from the outer
    # query's join (``registrations``), so that the subquery runs per registration.
    evening_day = OuterRef("starts_at__date")
    intake_soon = Exists(
        Conversation.objects.filter(
            resident_id=OuterRef("registrations__resident_id"),
            kind=Conversation.Kind.INTAKE,
            held_on__gte=evening_day,
            held_on__lte=ExpressionWrapper(
                evening_day + datetime.timedelta(days=INTAKE_WITHIN_DAYS),
                output_field=DateField(),
            ),
        )
    )
    kinds = [*Registration.OrganisationKind.values, ""]
    counts = InfoEvening.objects.filter(
        desk=desk, status=InfoEvening.Status.HELD, starts_at__gte=start, starts_at__lt=end
    ).aggregate(
        n_held=Count("id", distinct=True),
        n_registrations=Count("registrations", filter=not_walk_in & not_cancelled),
        n_with_a_place=Count("registrations", filter=with_a_place),
        n_came_with_a_place=Count(
            "registrations", filter=with_a_place & Q(registrations__attended=True)
        ),
        n_walk_ins=Count("registrations", filter=Q(registrations__walk_in=True) & not_cancelled),
        n_intake_within=Count(
            "registrations",
            filter=came & Q(registrations__resident__isnull=False) & Q(intake_soon),
        ),
        **{
            f"n_kind_{kind}": Count(
                "registrations", filter=intermediary & Q(registrations__organisation_kind=kind)
            )
            for kind in kinds
        },
    )
    return Evenings(
        held=counts["n_held"],
        registrations=counts["n_registrations"],
        with_a_place=counts["n_with_a_place"],
        came_with_a_place=counts["n_came_with_a_place"],
        walk_ins=counts["n_walk_ins"],
        intermediaries_by_kind={kind: counts[f"n_kind_{kind}"] for kind in kinds},
        intake_within=counts["n_intake_within"],
    )


def _first_start(mark: datetime.date) -> datetime.date:
    """The first start date whose 12-month mark is on or after ``mark``."""
    if mark.month == 2 and mark.day == 29:
        return datetime.date(mark.year - 1, 3, 1)  # 28 February of the year before marks 28 Feb
    return mark.replace(year=mark.year - 1)


def _last_start(mark: datetime.date) -> datetime.date:
    """The last start date whose 12-month mark is on or before ``mark``: for 28 February 2009
    that is 29 February 2008, which reaches 12 months on 28 February 2009."""
    if mark.month == 2 and mark.day == 29:
        return datetime.date(mark.year - 1, 2, 28)
    if mark.month == 2 and mark.day == 28 and calendar.isleap(mark.year - 1):
        return datetime.date(mark.year - 1, 2, 29)
    return mark.replace(year=mark.year - 1)


def _still_trading(desk, window: Window) -> int:
    """Businesses whose 12-month mark lies in the window and that were recorded as still
    trading then (one query, over the business starts of the desk's residents)."""
    if window.is_empty:
        return 0
    return BusinessStart.objects.filter(
        resident__desk=desk,
        started_on__gte=_first_start(window.start),
        started_on__lte=_last_start(window.end),
        still_trading_at_12_months=True,
    ).count()
