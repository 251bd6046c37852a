"""What every output shows: the progress figures as tables, as one viewer may see them.

``present(progress, suppress=…)`` turns the plain numbers of ``figures.Progress`` into the
tables every output uses (page, CSV, JSON, PDF), one function per table (``TABLES``), and is the
one place where small counts become "< 5" for the project group: every count a table shows
passes through ``Show``. No output reads ``Progress`` directly, so none can forget the
suppression.

For the project group the breakdowns by person (situation, source, neighbourhood, drop-out
reason) must also survive subtraction: of one view from another (two as-of dates, two
periods) and of the shown cells from a total. ``_protect_breakdowns`` gives them only for a
quarter that has ended — one fixed window per quarter, so no two views of a breakdown overlap
without being equal — and hides cells so that the hidden ones together hold at least the
threshold (docs/progress.md, "Privacy").
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.translation import gettext_lazy as _

from coaching.models import BenefitsConsultation
from intake.models import DropOutReason, Registration, Situation, Source, Stage
from ondernemerspunt.models import Membership, Role
from ondernemerspunt.progress.figures import (
    FIGURE_HELP,
    FIGURE_LABELS,
    FUNNEL_STAGES,
    INTAKE_WITHIN_DAYS,
    KEY_FIGURES,
    Progress,
)

# Roles that may see a desk's progress; only coordinators and coaches see it unsuppressed.
PROGRESS_ROLES = (Role.COORDINATOR, Role.COACH, Role.PROJECT_GROUP)
UNSUPPRESSED_ROLES = (Role.COORDINATOR, Role.COACH)

NOT_YET_RECORDED = _("not yet recorded")
WITHHELD = _(
    "Fewer than %(threshold)s residents: not broken down, so that nobody can be recognised "
    "by what the breakdown would show about them."
)
SMALL_GROUP = _(
    "A group in this breakdown has fewer than %(threshold)s residents: it is not broken down, "
    "so that nobody can be recognised by what the breakdown would show about them."
)
QUARTERS_ONLY = _(
    "For the project group this breakdown is given per quarter, once the quarter has ended: "
    "choose a quarter that has ended as the period. Over a month or the year so far, two "
    "dates compared could show what one resident's situation is."
)
FEW_INTERMEDIARIES = _(
    "Fewer than %(threshold)s intermediaries: not broken down, so that nobody can be "
    "recognised by what the breakdown would show about them."
)
SMALL_KIND = _(
    "A kind of organisation in this breakdown has fewer than %(threshold)s intermediaries: it "
    "is not broken down, so that nobody can be recognised by what the breakdown would show "
    "about them."
)
QUARTERS_ONLY_INTERMEDIARIES = _(
    "For the project group this breakdown is given per quarter, once the quarter has ended: "
    "choose a quarter that has ended as the period. Over a month or the year so far, two "
    "dates compared could show where one intermediary works."
)
# The breakdowns by what a person is or did; the tables that must survive subtraction.
PERSON_BREAKDOWNS = (
    "dropouts",
    "situation",
    "source",
    "neighbourhood",
    "benefits_consultations",
    "evening_intermediaries",
)
# Why a breakdown is withheld, where it counts others than residents: (small group, per
# quarter only); the others say it with SMALL_GROUP and QUARTERS_ONLY.
BREAKDOWN_MESSAGES = {"evening_intermediaries": (SMALL_KIND, QUARTERS_ONLY_INTERMEDIARIES)}


# --- Who sees what ----------------------------------------------------------------------------


def must_suppress(user, desk, memberships: list[Membership]) -> bool:
    """Small counts are hidden unless the user coaches or coordinates at this desk."""
    return not any(m.desk_id == desk.pk and m.role in UNSUPPRESSED_ROLES for m in memberships)


@dataclass(frozen=True)
class Small:
    """A count from 1 up to the threshold minus one, as the project group sees it; in a
    breakdown by person that hides cells, a zero too (``_protect_breakdowns``)."""

    below: int

    def __str__(self):
        return f"< {self.below}"

    @property
    def machine(self) -> str:
        """How JSON and CSV write it: ``"<5"``."""
        return f"<{self.below}"


@dataclass(frozen=True)
class Hidden:
    """A count of any size hidden beside small ones, so that a shown total minus the shown
    cells does not give the small ones away (secondary suppression). Written "×" (as CBS
    writes a confidential figure), "x" in JSON and CSV."""

    def __str__(self):
        return "×"

    @property
    def machine(self) -> str:
        return "x"


def machine_value(value):
    return value.machine if isinstance(value, Small | Hidden) else value


@dataclass(frozen=True)
class Show:
    """How a count reaches one viewer: with ``suppress``, 1..threshold-1 become ``Small``.

    A zero stays a zero: there is nobody to recognise.
    """

    threshold: int
    suppress: bool

    def __call__(self, n):
        if self.suppress and n is not None and 0 < n < self.threshold:
            return Small(self.threshold)
        return n


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
    # For the project group: the breakdown covers fewer residents than the threshold, or its
    # period is not a quarter that has ended, so its rows are left out (see
    # ``_protect_breakdowns``); ``withheld_message`` says which.
    withheld: bool = False
    withheld_message: str = ""
    # "small" (fewer residents than the threshold) or "quarters_only".
    withheld_reason: str = ""


# --- One function per table, each ``(progress, show) -> Table`` -------------------------------


def funnel(progress: Progress, show: Show) -> Table:
    return Table(
        "funnel",
        str(_("Funnel")),
        [str(_("residents"))],
        [TableRow(str(s), str(s.label), [show(progress.funnel.get(s, 0))]) for s in FUNNEL_STAGES]
        + [
            TableRow(
                "still_trading",
                str(_("still trading after 12 months")),
                [show(progress.still_trading)],
            )
        ],
        help=str(
            _(
                "Residents who reached each stage in the chosen period. Still trading after "
                "12 months: businesses that reached 12 months after their start in the chosen "
                "period (so started a year before it) and that the coach recorded as still "
                "trading at the aftercare contact a year after the start; one not recorded "
                "yet is not counted."
            )
        ),
    )


def participants_by_month(progress: Progress, show: Show) -> Table:
    target = progress.target
    pace = target / 12 if target is not None else None
    cumulative = 0
    rows = []
    for month, n in enumerate(progress.participants_by_month, start=1):
        cumulative += n
        future = _after_as_of(progress, month)
        values = ["" if future else show(n)]
        # The running total would give away each month's small count by subtraction, so the
        # project group sees the months and the year's total only.
        if not show.suppress:
            values.append("" if future else cumulative)
        values.append("" if pace is None else round(pace * month, 1))
        rows.append(TableRow(f"m{month}", str(MONTHS_3[month]), values))
    # The pace is a running total ("needed by the end of the month"), so that it compares with
    # the total so far; its label says so, as the project group sees it beside the months only.
    headers = [
        str(_("new participants")),
        str(_("total so far")),
        str(_("needed in total by the end of the month")),
    ]
    return Table(
        "participants_by_month",
        str(_("New participants per month")),
        [headers[0], headers[2]] if show.suppress else headers,
        rows,
        help=str(
            _(
                "Residents who entered the trajectory each month, against the pace needed to "
                "reach the target (the target spread evenly over the year)."
            )
        ),
    )


def conversations_by_month(progress: Progress, show: Show) -> Table:
    return Table(
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


def conversations(progress: Progress, show: Show) -> Table:
    intake, follow_up = progress.conversations_in_period
    shown = [show(intake), show(follow_up)]
    # The total minus a part shown would give a small part away, and a part marked "× (not
    # small)" would still bound it: when either part is small, both are hidden ("×"). Not the
    # total instead: over the year it is a key figure anyway.
    if any(isinstance(v, Small) for v in shown):
        shown = [Hidden(), Hidden()]
    return Table(
        "conversations",
        str(_("Conversations held in the period")),
        [str(_("conversations"))],
        [
            TableRow("intake", str(_("intake")), [shown[0]]),
            TableRow("follow_up", str(_("follow-up")), [shown[1]]),
            TableRow("total", str(_("total")), [show(intake + follow_up)]),
        ],
    )


def dropouts(progress: Progress, show: Show) -> Table:
    return Table(
        "dropouts",
        str(_("Drop-outs by reason")),
        [str(_("residents"))],
        [
            TableRow(str(r), str(r.label), [show(progress.dropouts_by_reason.get(r, 0))])
            for r in DropOutReason
        ],
        help=str(_("Residents who stopped in the chosen period, by the reason recorded.")),
    )


def situation(progress: Progress, show: Show) -> Table:
    return Table(
        "situation",
        str(_("Participants by situation")),
        [str(_("participants"))],
        _rows(progress.by_situation, [(str(s), str(s.label)) for s in Situation], show),
    )


def source(progress: Progress, show: Show) -> Table:
    labels = dict(Source.choices)
    sources = [((str(s), ""), str(s.label)) for s in Source]
    for kind, partner in sorted(k for k in progress.by_source if k[1]):
        sources.append(((kind, partner), f"{labels.get(kind, kind)}: {partner}"))
    return Table(
        "source",
        str(_("Participants by source")),
        [str(_("participants"))],
        [TableRow("/".join(k), label, [show(progress.by_source.get(k, 0))]) for k, label in sources]
        + _unknown_row(progress.by_source.get(("", ""), 0), show),
        help=str(_("How participants found the desk; partners are named where recorded.")),
    )


def neighbourhood(progress: Progress, show: Show) -> Table:
    places = sorted(name for name in progress.by_neighbourhood if name)
    names = sorted(set(progress.neighbourhood_names) | set(places))
    return Table(
        "neighbourhood",
        str(_("Participants by neighbourhood")),
        [str(_("participants"))],
        _rows(progress.by_neighbourhood, [(name, name) for name in names], show),
    )


# The outcome columns of the referrals table: a referral's status now.
REFERRAL_OUTCOMES = (
    ("sent", _("sent, no answer yet")),
    ("in_progress", _("in progress")),
    ("done", _("completed")),
    ("declined", _("declined")),
)


def referrals(progress: Progress, show: Show) -> Table:
    """Referrals sent in the period, per partner by their status now (issue 10). For the
    project group every cell passes through ``show``, there is no total column (a row's total
    minus its shown cells would give a small one away), and a table over fewer referrals than
    the threshold is left out altogether."""
    counts = progress.referrals_by_partner
    partners = sorted({name for name, _status in counts})
    headers = [str(label) for _key, label in REFERRAL_OUTCOMES]
    rows = []
    for name in partners:
        values = [show(counts.get((name, key), 0)) for key, _label in REFERRAL_OUTCOMES]
        if not show.suppress:
            values.append(sum(n for (partner, _s), n in counts.items() if partner == name))
        rows.append(TableRow(name, name, values))
    if not rows:  # none sent: zeros, not an empty table (nobody to recognise in a zero)
        rows.append(
            TableRow("all", str(_("all partners")), [0] * (len(headers) + 1 - show.suppress))
        )
    table = Table(
        "referrals",
        str(_("Referrals by partner and their outcome")),
        headers if show.suppress else headers + [str(_("total"))],
        rows,
        help=str(
            _(
                "Referrals sent to partners in the chosen period, by partner and where they "
                "stand now. A referral the coach took back counts as declined."
            )
        ),
    )
    total = sum(counts.values())
    if show.suppress and 0 < total < show.threshold:
        _withhold(table, "small", str(WITHHELD) % {"threshold": show.threshold})
    return table


def referral_answer_time(progress: Progress, show: Show) -> Table:
    """The partner's answer time (issue 10): the median of the working days from sending a
    referral to the partner's first answer, per partner and for all, over the referrals sent in
    the period that were answered. Hidden over fewer than the threshold for the project group,
    like the medians between stages."""
    answered = progress.referral_answer_days
    names = sorted(name for name in answered if name)
    rows = []
    for name in [*names, ""]:
        median, n = answered.get(name, (None, 0))
        left_out = median is None or (show.suppress and n < show.threshold)
        label = name or str(_("all partners"))
        rows.append(TableRow(name or "all", label, ["" if left_out else round(median, 1), show(n)]))
    help_text = str(
        _(
            "For referrals sent in the chosen period and answered: the middle value of the "
            "working days (Monday to Friday) from sending to the partner's first answer."
        )
    )
    if show.suppress:
        hidden = _("A median over fewer than %(threshold)s referrals is not shown.")
        help_text += " " + str(hidden) % {"threshold": show.threshold}
    return Table(
        "referral_answer_time",
        str(_("Answer time of partners")),
        [str(_("median (working days)")), str(_("referrals answered"))],
        rows,
        help=help_text,
    )


def medians(progress: Progress, show: Show) -> Table:
    rows = []
    for (a, b), (median, n) in progress.medians.items():
        # Not "< 5" for a hidden median: in a column of days that reads as "under five days".
        # The residents' column beside it says "< 5", and the help text says why it is empty.
        left_out = median is None or (show.suppress and n < show.threshold)
        median = "" if left_out else round(median)
        rows.append(TableRow(f"{a}/{b}", f"{Stage(a).label} → {Stage(b).label}", [median, show(n)]))
    help_text = str(
        _(
            "For residents who reached the later stage in the chosen period: the middle "
            "value of the days between reaching one stage and the next."
        )
    )
    if show.suppress:
        hidden = _("A median over fewer than %(threshold)s residents is not shown.")
        help_text += " " + str(hidden) % {"threshold": show.threshold}
    return Table(
        "medians",
        str(_("Median time between stages")),
        [str(_("median (days)")), str(_("residents"))],
        rows,
        help=help_text,
    )


def benefits_consultations(progress: Progress, show: Show) -> Table:
    """Consultations with UWV or the municipality in the period, by outcome (issue 10). For the
    project group a breakdown by person: one outcome of one resident on benefits is hers."""
    counts = progress.benefits_by_outcome
    rows = [
        TableRow(str(outcome), str(outcome.label), [show(counts.get(outcome, 0))])
        for outcome in BenefitsConsultation.Outcome
    ]
    total = sum(counts.values())
    return Table(
        "benefits_consultations",
        str(_("Benefits consultations by outcome")),
        [str(_("consultations"))],
        rows + [TableRow("total", str(_("total")), [show(total)])],
        help=str(
            _(
                "Consultations with UWV (WW) or the municipality (bijstand) held in the chosen "
                "period, before starting a business, by their outcome."
            )
        ),
    )


def evenings(progress: Progress, show: Show) -> Table:
    """The info evenings held in the period (issue 14). For the project group every count of
    people passes through ``show``, and the attendance rate is left out when either count it is
    made of is small. The number of evenings is not: evenings are no people, and a published
    evening is on the desk's public page anyway."""
    e = progress.evenings
    with_a_place, came = show(e.with_a_place), show(e.came_with_a_place)
    rate = e.attendance_rate
    if rate is None or isinstance(with_a_place, Small) or isinstance(came, Small):
        rate = ""
    rows = [
        TableRow("held", str(_("evenings held")), [e.held]),
        TableRow("registrations", str(_("registrations")), [show(e.registrations)]),
        TableRow("with_a_place", str(_("registered with a place")), [with_a_place]),
        TableRow("came", str(_("of whom came")), [came]),
        TableRow("attendance_rate", str(_("attendance rate (%)")), [rate]),
        TableRow("walk_ins", str(_("walk-ins")), [show(e.walk_ins)]),
        TableRow(
            "intake_within",
            str(_("attendees with an intake within 3 months")),
            [show(e.intake_within)],
        ),
    ]
    return Table(
        "evenings",
        str(_("Info evenings")),
        [str(_("number"))],
        rows,
        help=str(
            _(
                "Info evenings held in the chosen period. Registrations leave out cancellations "
                "and walk-ins; the attendance rate is the share of those registered with a "
                "place who came. An intake within 3 months: an attendee who became a resident "
                "and had the intake conversation within %(days)s days after the evening."
            )
        )
        % {"days": INTAKE_WITHIN_DAYS},
    )


def evening_intermediaries(progress: Progress, show: Show) -> Table:
    """Intermediaries who came to an evening held in the period, by kind of organisation, and
    their total. For the project group it is protected as the other breakdowns by person
    (``PERSON_BREAKDOWNS``): left out over fewer intermediaries than the threshold, over any
    kind of 1..threshold-1 (hidden kinds beside zeros and the total would be narrowed down),
    and over another period than a quarter that has ended; otherwise given in full."""
    counts = progress.evenings.intermediaries_by_kind
    rows = [
        TableRow(str(kind), str(kind.label), [show(counts.get(kind, 0))])
        for kind in Registration.OrganisationKind
    ] + _unknown_row(counts.get("", 0), show)
    rows.append(TableRow("total", str(_("total")), [show(sum(counts.values()))]))
    return Table(
        "evening_intermediaries",
        str(_("Intermediaries reached by kind of organisation")),
        [str(_("attendees"))],
        rows,
        help=str(
            _(
                "Intermediaries (banks, accountants, consultants and others who send people "
                "to the desk) who came to an info evening held in the chosen period."
            )
        ),
    )


# In the order the CSV writes them.
TABLES = (
    funnel,
    participants_by_month,
    conversations_by_month,
    conversations,
    dropouts,
    situation,
    source,
    neighbourhood,
    referrals,
    referral_answer_time,
    medians,
    benefits_consultations,
    evenings,
    evening_intermediaries,
)


def _after_as_of(progress: Progress, month: int) -> bool:
    return progress.not_started or month > progress.window.end.month


def _rows(counts: dict[str, int], choices, show: Show) -> list[TableRow]:
    rows = [TableRow(key, label, [show(counts.get(key, 0))]) for key, label in choices]
    return rows + _unknown_row(counts.get("", 0), show)


def _unknown_row(n: int, show: Show) -> list[TableRow]:
    return [TableRow("unknown", str(_("not filled in")), [show(n)])] if n else []


# --- The figures as one viewer sees them --------------------------------------------------------


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


def present(progress: Progress, *, suppress: bool, today: datetime.date | None = None) -> Figures:
    """The figures as a viewer sees them; with ``suppress``, 1..threshold-1 become ``Small``
    and the breakdowns by person are protected against subtraction (``_protect_breakdowns``).
    """
    show = Show(progress.desk.small_count_threshold, suppress)
    key = {
        name: (value if name == "target" else show(value)) for name, value in progress.key.items()
    }
    # The breakdowns by person are built from the plain counts and suppressed as a whole
    # below: which cells to hide depends on all the cells of the table.
    raw = Show(show.threshold, False)
    tables = {
        table.key: table
        for table in (
            build(progress, raw if build.__name__ in PERSON_BREAKDOWNS else show)
            for build in TABLES
        )
    }
    if suppress:
        _withhold_small_breakdowns(progress, tables, show.threshold)
        _protect_breakdowns(progress, tables, show.threshold, today or timezone.localdate())

    participants, target = progress.participants, progress.target
    hidden = isinstance(show(participants), Small)
    pace_to_date = progress.pace_to_date
    return Figures(
        progress=progress,
        suppressed=suppress,
        threshold=show.threshold,
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
            if pace_to_date is None or hidden or progress.not_started or not progress.has_records
            else participants >= round(pace_to_date)
        ),
    )


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
        "benefits_consultations": sum(progress.benefits_by_outcome.values()),
        "evening_intermediaries": sum(progress.evenings.intermediaries_by_kind.values()),
    }
    few = {"evening_intermediaries": FEW_INTERMEDIARIES}
    for key, n in covered.items():
        if 0 < n < threshold:
            message = few.get(key, WITHHELD)
            _withhold(tables[key], "small", str(message) % {"threshold": threshold})


def _withhold(table: Table, reason: str, message: str):
    table.rows = []
    table.withheld = True
    table.withheld_reason = reason
    table.withheld_message = message


def quarter_has_ended(progress: Progress, today: datetime.date) -> bool:
    """The period is a quarter, wholly counted (the as-of date is on or after its end) and
    over (today is after it): its breakdowns no longer change from one day to the next."""
    period = progress.period
    return period.key.startswith("q") and period.end <= progress.window.end and period.end < today


def _protect_breakdowns(progress: Progress, tables: dict[str, Table], threshold: int, today):
    """Make the breakdowns by person hold up against subtraction, for the project group.

    Across views: only a quarter that has ended is broken down. Every view of a breakdown then
    covers one of four fixed, separate windows, so subtracting one view from another gives
    either nothing (the same quarter) or nothing meaningful (residents of another quarter).
    Over the year so far or a month, two month ends a month apart would give one month's
    breakdown by subtraction, down to the one resident who entered in it.

    Within a view: the total of a breakdown is known (the funnel, the key figures), and every
    cell shown bounds the others. Hiding only the small cells (even with a second cell hidden
    beside them) still lets a reader narrow a hidden cell down to 1, so a breakdown with any
    group of 1..threshold-1 is not given at all; one without is shown in full, zeros too.
    """
    ended = quarter_has_ended(progress, today)
    for key in PERSON_BREAKDOWNS:
        table = tables[key]
        if table.withheld:
            continue
        small_group, quarters_only = BREAKDOWN_MESSAGES.get(key, (SMALL_GROUP, QUARTERS_ONLY))
        if not ended:
            _withhold(table, "quarters_only", str(quarters_only))
            continue
        counts = [row.values[0] for row in table.rows]
        if any(0 < n < threshold for n in counts):
            _withhold(table, "small_group", str(small_group) % {"threshold": threshold})
