"""The project group plays the attacker: every view it may ask for, subtracted pair by pair.

Issue 13, finding 1. A breakdown of participants (situation, source, neighbourhood) or of
drop-outs (reason) tells something about a person; a count from 1 to threshold-1 in such a
breakdown, worked out by subtracting one view from another or shown cells from a total, can
point at one resident. The attacker below fetches every as-of date the project group may
choose in 2009, every period, through JSON and CSV, and tries both subtractions.
"""

import calendar
import csv
import datetime
import io
import itertools

import pytest
from django.urls import reverse
from django.utils import translation

from intake.models import Conversation, DropOutReason, Situation, Source, Stage, StageChange
from ondernemerspunt.forms import ProgressFilterForm
from ondernemerspunt.models import Neighbourhood
from ondernemerspunt.progress.figures import desk_progress
from ondernemerspunt.progress.periods import month_ends, period_of, periods_of
from ondernemerspunt.progress.tables import Hidden, present
from tests.factories import make_member, make_resident
from tests.ondernemerspunt import progress_scenario

D = datetime.date
BREAKDOWNS = ("dropouts", "situation", "source", "neighbourhood")
MONTH_ENDS = [D(2009, m, calendar.monthrange(2009, m)[1]) for m in range(1, 13)]


@pytest.fixture
def desk(db):
    desk = progress_scenario.build()
    crowd(desk)
    return desk


def crowd(desk):
    """Enough residents that breakdown cells reach five and more, so that there is something
    to subtract; and "Zij", the one resident who enters the trajectory in August."""
    coach = make_member(desk, "coach")
    wijk = desk.neighbourhoods.get()
    oosterpark = Neighbourhood.objects.create(
        desk=desk, name="Oosterpark", postcode_from="9713AA", postcode_to="9713ZZ"
    )

    def resident(history, **fields):
        r = make_resident(desk, coach=coach, **fields)
        for stage, day, *reason in history:
            StageChange.objects.create(
                resident=r,
                desk=desk,
                to_stage=stage,
                changed_on=day,
                changed_by=coach,
                reason=reason[0] if reason else "",
            )

    reg, traject, stopped = Stage.REGISTERED, Stage.IN_TRAJECTORY, Stage.DROPPED_OUT
    bijstand = {"situation": Situation.BENEFITS_BIJSTAND, "source": Source.INFO_EVENING}
    for i in range(8):  # Q1; six of them stop in July and August, having found a job
        history = [(reg, D(2009, 1, 5)), (traject, D(2009, 1 + i % 2, 20))]
        if i < 6:
            history.append((stopped, D(2009, 7 if i < 5 else 8, 10), DropOutReason.FOUND_JOB))
        resident(history, neighbourhood=wijk, **bijstand)
    for i in range(6):  # Q2
        resident(
            [(reg, D(2009, 4, 1)), (traject, D(2009, 4 + i % 2, 15))],
            situation=Situation.EMPLOYED,
            source=Source.WORD_OF_MOUTH,
            neighbourhood=wijk,
        )
    # Zij: the only one to enter in August, on social assistance, from Oosterpark; she stops
    # in September for her health, the only one to stop for that reason.
    resident(
        [
            (reg, D(2009, 8, 1)),
            (traject, D(2009, 8, 12)),
            (stopped, D(2009, 9, 3), DropOutReason.HEALTH),
        ],
        neighbourhood=oosterpark,
        **bijstand,
    )
    for _i in range(6):  # Q4: a breakdown with nothing small in it, shown in full
        resident(
            [(reg, D(2009, 10, 1)), (traject, D(2009, 10, 20))],
            situation=Situation.STUDENT,
            source=Source.WEBSITE,
            neighbourhood=wijk,
        )


def parse_csv(content: bytes):
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    tables, withheld = {}, set()
    for section, label, header, value in rows[1:]:
        if section in BREAKDOWNS:
            if header:
                tables.setdefault(section, {})[label] = value
            else:
                withheld.add(section)
        elif section == "funnel":
            tables.setdefault("funnel", {})[label] = value
    return tables, withheld


def exact(value):
    return int(value) if isinstance(value, int) or str(value).isdigit() else None


def window(period, as_of):
    return period.start, min(period.end, as_of)


@pytest.fixture
def views(client, desk):
    """Every view the project group may ask for in 2009, as the attacker collects them."""
    client.force_login(
        make_member(desk, "project_group"), backend="django.contrib.auth.backends.ModelBackend"
    )
    key_figures, breakdowns = {}, []
    for as_of in MONTH_ENDS:
        query = f"?as_of={as_of.isoformat()}"
        response = client.get(reverse("progress_json", args=[desk.slug, 2009]) + query)
        assert response.status_code == 200, as_of
        key_figures[as_of] = response.json()
        for period in periods_of(2009):
            if period.start > as_of:
                continue
            url = reverse("progress_csv", args=[desk.slug, 2009])
            response = client.get(f"{url}{query}&period={period.key}")
            assert response.status_code == 200, (as_of, period.key)
            tables, withheld = parse_csv(response.content)
            breakdowns.append((window(period, as_of), tables, withheld))
    return key_figures, breakdowns


def totals(window_, tables, key_figures):
    """The totals the attacker knows for a breakdown over ``window_``: the funnel's count of
    the period, and the year-to-date key figures of two month ends subtracted."""
    with translation.override("nl"):
        entered = str(Stage.IN_TRAJECTORY.label)
    known = {key: [] for key in BREAKDOWNS}
    funnel = exact(tables.get("funnel", {}).get(entered))
    for key in ("situation", "source", "neighbourhood"):
        if funnel is not None:
            known[key].append(funnel)
    start, end = window_
    before = start - datetime.timedelta(days=1)
    if end in key_figures and (before in key_figures or start == D(2009, 1, 1)):
        for figure, keys in (("participants", BREAKDOWNS[1:]), ("dropped_out", BREAKDOWNS[:1])):
            later = exact(key_figures[end][figure])
            earlier = 0 if start == D(2009, 1, 1) else exact(key_figures[before][figure])
            if later is not None and earlier is not None:
                for key in keys:
                    known[key].append(later - earlier)
    return known


def test_no_view_minus_another_gives_away_a_small_breakdown_cell(views):
    key_figures, breakdowns = views
    threshold = 5
    leaks, pairs, shown_exactly, totals_tried = [], 0, 0, 0
    for (w1, t1, _h1), (w2, t2, _h2) in itertools.permutations(breakdowns, 2):
        # Only a window inside another counts the same residents and more: their difference
        # is the count of a real group (the residents of the days in w2 but not in w1).
        if not (w2[0] <= w1[0] and w1[1] <= w2[1]) or w1 == w2:
            continue
        pairs += 1
        for key in BREAKDOWNS:
            if key not in t1 or key not in t2:
                continue
            for label, value in t2[key].items():
                later, earlier = exact(value), exact(t1[key].get(label, 0))
                if later is None or earlier is None:
                    continue
                if 0 < later - earlier < threshold:
                    leaks.append((key, label, w1, w2, later - earlier))
    assert pairs > 1000, "the attacker found no views to subtract: the test proves nothing"
    assert leaks == []

    for window_, tables, _withheld in breakdowns:
        for key, candidates in totals(window_, tables, key_figures).items():
            if key not in tables:
                continue
            cells = [exact(v) for v in tables[key].values()]
            shown_exactly += sum(1 for c in cells if c is not None and c >= threshold)
            # A cell shown as "< 5" or "×" would bound the others: a breakdown is given whole.
            if any(c is None for c in cells):
                leaks.append((key, "a breakdown with hidden cells", window_, tables[key]))
            for total in candidates:
                totals_tried += 1
                rest = total - sum(c for c in cells if c is not None)
                if 0 < rest < threshold:
                    leaks.append((key, "total minus the shown cells", window_, rest))
    assert shown_exactly > 0, "every breakdown hidden: the test would pass for the wrong reason"
    assert totals_tried > 0, "no total beside a breakdown: that attack was not tried"
    assert leaks == []


@pytest.mark.parametrize("name", ["progress_json", "progress_csv"])
def test_the_project_group_cannot_ask_for_a_day_that_is_not_a_month_end(client, desk, name):
    client.force_login(
        make_member(desk, "project_group"), backend="django.contrib.auth.backends.ModelBackend"
    )
    url = reverse(name, args=[desk.slug, 2009])
    assert client.get(f"{url}?as_of=2009-08-11").status_code == 400
    assert client.get(f"{url}?as_of=2009-08-31").status_code == 200


# --- The rules the attack above runs into, one by one -------------------------------------------


def shown(desk, period, as_of=None, today=None):
    """As the project group sees 2009 (by default from 1 January 2010: every quarter over)."""
    as_of, today = as_of or D(2009, 12, 31), today or D(2010, 1, 1)
    progress = desk_progress(desk, 2009, as_of=as_of, period=period_of(2009, period))
    return present(progress, suppress=True, today=today)


def column(table):
    return {row.key: row.values[0] for row in table.rows}


def test_the_project_group_gets_breakdowns_by_person_only_for_a_quarter_that_has_ended(desk):
    for period in ("year", "m1", "m8"):
        for key in BREAKDOWNS:
            assert shown(desk, period).tables[key].withheld, (period, key)
    # The year so far has 26 participants and 9 drop-outs: not too few, but not a quarter.
    assert {shown(desk, "year").tables[key].withheld_reason for key in BREAKDOWNS} == {
        "quarters_only"
    }
    # The last day of the third quarter: it has not ended yet, so it could still change.
    running = shown(desk, "q3", as_of=D(2009, 9, 30), today=D(2009, 9, 30))
    assert running.tables["dropouts"].withheld_reason == "quarters_only"
    ended = shown(desk, "q3", as_of=D(2009, 9, 30), today=D(2009, 10, 1))
    assert ended.tables["dropouts"].withheld_reason == "small_group"  # past the quarter rule
    # Coordinators and coaches see every breakdown of every period.
    progress = desk_progress(desk, 2009, as_of=D(2009, 8, 31), period=period_of(2009, "m8"))
    assert column(present(progress, suppress=False).tables["situation"])["benefits_bijstand"] == 1


def test_a_breakdown_with_a_small_group_is_not_given_at_all(desk):
    """Q3: six stopped having found a job, one (Zij) for her health. Total 7 (the key figures
    at 30-06 and 30-09). Hiding "health" as "< 5" and "found a job" as "×" (at least 5, at most
    7 - 1) still left "health" between 1 and 2; with "× ≥ 5" and the total 7, exactly 1 when
    found-a-job was 6. So the whole breakdown is withheld."""
    table = shown(desk, "q3").tables["dropouts"]
    assert table.withheld
    assert table.withheld_reason == "small_group"
    assert table.rows == []


def test_a_breakdown_with_nothing_small_is_shown_in_full(desk):
    situations = column(shown(desk, "q4").tables["situation"])
    assert situations["student"] == 6
    assert situations["employed"] == 0


def test_the_conversations_total_does_not_give_a_hidden_part_away(desk):
    resident = desk.residents.first()
    for day in (3, 4, 5):
        Conversation.objects.create(
            resident=resident,
            desk=desk,
            kind="follow_up",
            held_on=D(2009, 2, day),
            coach=resident.coach,
        )
    table = column(shown(desk, "q1").tables["conversations"])
    assert table == {"intake": Hidden(), "follow_up": Hidden(), "total": 9}


def test_the_csv_says_a_breakdown_comes_per_quarter(client, desk):
    client.force_login(
        make_member(desk, "project_group"), backend="django.contrib.auth.backends.ModelBackend"
    )
    url = reverse("progress_csv", args=[desk.slug, 2009]) + "?as_of=2009-12-31&period=q3"
    tables, withheld = parse_csv(client.get(url).content)
    assert "dropouts" not in tables  # a group of one: not broken down
    assert "dropouts" in withheld
    url = reverse("progress_csv", args=[desk.slug, 2009]) + "?as_of=2009-12-31&period=m8"
    tables, withheld = parse_csv(client.get(url).content)
    assert "situation" not in tables
    assert withheld >= set(BREAKDOWNS)


def test_the_project_group_chooses_from_month_ends_and_coordinators_from_any_day(client, desk):
    client.force_login(
        make_member(desk, "project_group"), backend="django.contrib.auth.backends.ModelBackend"
    )
    url = reverse("progress_dashboard", args=[desk.slug, 2009])
    response = client.get(f"{url}?as_of=2009-08-11")
    assert response.status_code == 200
    assert "as_of" in response.context["form"].errors  # a message beside the field
    # The default: the end of the month the desk's records stop in (periods.records_end).
    assert response.context["figures"].progress.window.end == D(2009, 10, 31)
    page = response.content.decode()
    assert '<option value="2009-08-31">31-08-2009</option>' in page
    assert 'type="date"' not in page
    coordinator = make_member(desk, "coordinator")
    client.force_login(coordinator, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(f"{url}?as_of=2009-08-11")
    assert not response.context["form"].errors
    assert response.context["figures"].progress.window.end == D(2009, 8, 11)


def test_month_ends_stop_at_the_last_month_end_reached():
    assert month_ends(2026, D(2026, 2, 10))[-1] == D(2026, 1, 31)
    assert month_ends(2026, D(2026, 2, 28))[-1] == D(2026, 2, 28)
    assert len(month_ends(2025, D(2026, 2, 10))) == 12
    assert month_ends(2027, D(2026, 2, 10)) == []
    form = ProgressFilterForm(
        {"as_of": "2026-03-31"}, year=2026, today=D(2026, 2, 10), month_ends_only=True
    )
    assert "as_of" in form.errors
    form = ProgressFilterForm(
        {"as_of": "2026-02-28"}, year=2026, today=D(2026, 2, 10), month_ends_only=True
    )
    assert "as_of" in form.errors  # this month has not ended: it would count up to today
    assert form.as_of_date() == D(2026, 1, 31)


def test_the_project_group_sees_the_same_figures_on_two_days_in_a_row():
    """Counting up to today would show what changed from one day to the next (a review found
    it): the project group's default and its quarterly report stop at the last month end."""
    from ondernemerspunt.progress.reports import quarter_as_of

    for today in (D(2026, 2, 10), D(2026, 2, 11)):
        form = ProgressFilterForm({}, year=2026, today=today, month_ends_only=True)
        assert form.as_of_date() == D(2026, 1, 31)
        assert quarter_as_of(2026, 1, today, suppressed=True) == D(2026, 1, 31)
    coordinators = ProgressFilterForm({}, year=2026, today=D(2026, 2, 11))
    assert coordinators.as_of_date() == D(2026, 2, 11)
    assert quarter_as_of(2026, 1, D(2026, 2, 11)) == D(2026, 2, 11)
