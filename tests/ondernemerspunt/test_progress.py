"""Every progress figure on the hand-counted desk of ``progress_scenario`` (see its docstring)."""

import csv
import datetime
import io
import json
from io import StringIO

import pytest
from django.core.management import call_command

from ondernemerspunt.progress.figures import desk_progress
from ondernemerspunt.progress.periods import period_of
from ondernemerspunt.progress.reports import figures_csv, figures_json
from ondernemerspunt.progress.tables import Small, present
from tests.ondernemerspunt import progress_scenario
from tests.ondernemerspunt.progress_scenario import AS_OF, EXPECTED

D = datetime.date


@pytest.fixture
def desk(db):
    return progress_scenario.build()


def figures(desk, as_of=AS_OF, period="year", suppress=False):
    progress = desk_progress(desk, 2009, as_of=as_of, period=period_of(2009, period))
    return present(progress, suppress=suppress)


def column(table, index=0):
    return {row.key: row.values[index] for row in table.rows}


def test_the_key_figures_are_the_hand_counted_ones(desk):
    assert figures(desk).key == EXPECTED


def test_the_command_gives_the_same_figures_unsuppressed(desk):
    out = StringIO()
    call_command(
        "progress",
        "--desk",
        "telling",
        "--year",
        "2009",
        "--as-of",
        "2009-06-30",
        "--json",
        stdout=out,
    )
    data = json.loads(out.getvalue())
    assert {key: data[key] for key in EXPECTED} == EXPECTED
    assert data["as_of"] == "2009-06-30"
    assert data["suppressed_below"] is None


def test_the_csv_writes_the_tables_in_the_dashboards_reading_order(desk):
    """Each table has its own function now; the order they are listed in is the CSV's order."""
    rows = list(csv.reader(io.StringIO(figures_csv(figures(desk))), delimiter=";"))
    sections = list(dict.fromkeys(row[0] for row in rows[1:] if row[0]))
    assert sections == [
        "key_figures",
        "funnel",
        "participants_by_month",
        "conversations_by_month",
        "conversations",
        "dropouts",
        "situation",
        "source",
        "neighbourhood",
        "referrals",
        "referral_answer_time",
        "medians",
        "benefits_consultations",
        "evenings",
        "evening_intermediaries",
    ]


def test_the_funnel_of_the_first_quarter(desk):
    funnel = column(figures(desk, period="q1").tables["funnel"])
    # Jan-Mar: registered B C D; intake B C D; trajectory A B C I; submitted A I.
    assert funnel == {
        "registered": 3,
        "intake": 3,
        "in_trajectory": 4,
        "submitted": 2,
        "financed": 0,
        "started": 0,
        "still_trading": 0,  # recorded since issue 11; nobody here started a business in 2008
    }


def test_drop_outs_by_reason_in_the_second_quarter(desk):
    reasons = column(figures(desk, period="q2").tables["dropouts"])
    assert reasons["found_job"] == 1  # C
    assert reasons["not_feasible"] == 1  # D
    assert sum(reasons.values()) == 2
    assert sum(column(figures(desk, period="q1").tables["dropouts"]).values()) == 0


def test_participants_per_month_against_the_pace(desk):
    table = figures(desk).tables["participants_by_month"]
    # Jan A, Feb B, Mar C and I, Jun F; July onwards lies after the as-of date.
    assert column(table, 0) == {
        "m1": 1, "m2": 1, "m3": 2, "m4": 0, "m5": 0, "m6": 1,
        "m7": "", "m8": "", "m9": "", "m10": "", "m11": "", "m12": "",
    }  # fmt: skip
    assert [column(table, 1)[f"m{m}"] for m in range(1, 7)] == [1, 2, 4, 4, 4, 5]
    assert column(table, 2)["m6"] == 25.0  # 50 / 12 * 6
    assert column(table, 2)["m12"] == 50.0


def test_pace_projection_and_what_is_still_needed(desk):
    shown = figures(desk)
    # 181 days from 1 Jan to 30 Jun: pace 50 * 181 / 365 = 24.8 -> 25; 5 * 365 / 181 = 10.08.
    assert shown.pace_to_date == 25
    assert shown.projection == 10
    assert shown.on_track is False
    assert shown.percent_of_target == 10
    assert shown.needed_per_month == 7.5  # (50 - 5) over the 6 months July-December


def test_conversations_per_month_and_in_the_period(desk):
    shown = figures(desk)
    by_month = {r.key: r.values for r in shown.tables["conversations_by_month"].rows}
    assert by_month["m1"] == [1, 1]  # intake B, follow-up A
    assert by_month["m2"] == [1, 1]  # intake C, follow-up A
    assert by_month["m3"] == [1, 1]  # intake D, follow-up B (the other desk's is not here)
    assert by_month["m4"] == [0, 0]
    assert by_month["m5"] == [1, 0]  # intake F
    assert by_month["m6"] == [0, 1]  # follow-up I on the as-of date itself
    # G and H talked after the as-of date; a month after it is not counted: "–", not a zero.
    assert by_month["m7"] == ["", ""]
    assert by_month["m12"] == ["", ""]
    q2 = column(figures(desk, period="q2").tables["conversations"])
    assert q2 == {"intake": 1, "follow_up": 1, "total": 2}


def test_participants_by_situation_source_and_neighbourhood(desk):
    tables = figures(desk).tables
    situation = {k: v for k, v in column(tables["situation"]).items() if v}
    assert situation == {
        "benefits_bijstand": 2,  # A F
        "employed": 1,  # B
        "benefits_ww": 1,  # C
        "self_employed": 1,  # I
    }
    source = {k: v for k, v in column(tables["source"]).items() if v}
    assert source == {
        "info_evening/": 2,  # A F
        "partner/UWV Noord": 1,  # B
        "word_of_mouth/": 1,  # C
        "unknown": 1,  # I has no source
    }
    assert column(tables["neighbourhood"]) == {"Wijk telling": 3, "unknown": 2}  # ABF; C I


def test_median_days_between_stages(desk):
    medians = {r.key: r.values for r in figures(desk).tables["medians"].rows}
    # registered -> intake: B 15, C 14, D 19, F 15 days -> 14 15 15 19 -> 15
    assert medians["registered/intake"] == [15, 4]
    # intake -> trajectory: A 40, B 21, C 14, F 17 (I first entered in 2008) -> 19
    assert medians["intake/in_trajectory"] == [19, 4]
    # trajectory -> submitted: A 51, I 245 (from its first entry on 2008-06-01) -> 148
    assert medians["in_trajectory/submitted"] == [148, 2]
    assert medians["submitted/financed"] == [30, 1]  # A
    assert medians["financed/started"] == [30, 1]  # A


def test_every_figure_is_recorded_now(desk):
    """Referrals are recorded since issue 10, still trading after 12 months since issue 11
    (tests/ondernemerspunt/test_progress_still_trading.py)."""
    shown = figures(desk)
    assert not shown.tables["referrals"].not_yet_recorded
    assert column(shown.tables["funnel"])["still_trading"] == 0
    assert figures_json(shown)["not_yet_recorded"] == []


def test_in_trajectory_now_follows_the_history_not_todays_stage(desk):
    # On 15-03-2009: B C (in since 01-03) I (back since 15-03) H; A submitted on 02-03.
    assert figures(desk, as_of=D(2009, 3, 15)).key["in_trajectory_now"] == 4
    # On 14-03-2009 I was still declined.
    assert figures(desk, as_of=D(2009, 3, 14)).key["in_trajectory_now"] == 3


def test_the_project_group_sees_counts_below_five_as_less_than_five(desk):
    shown = figures(desk, suppress=True)
    assert shown.key["residents_registered"] == 6
    assert shown.key["participants"] == 5  # five is not small
    assert shown.key["in_trajectory_now"] == Small(5)
    assert shown.key["dropped_out"] == Small(5)
    assert shown.key["target"] == 50
    assert str(Small(5)) == "< 5"
    data = figures_json(shown)
    assert data["submitted_to_qredits"] == "<5"
    assert data["conversations_held"] == 8
    assert data["suppressed_below"] == 5
    assert shown.key["financing_granted"] == Small(5)
    # A zero stays a zero: there is nobody to recognise.
    assert column(figures(desk, period="q1", suppress=True).tables["funnel"])["financed"] == 0


def test_medians_of_fewer_than_five_people_are_hidden_from_the_project_group(desk):
    shown = figures(desk, suppress=True)
    medians = {r.key: r.values for r in shown.tables["medians"].rows}
    # Not "< 5" in the column of days, where it would read as "under five days".
    assert medians["registered/intake"] == ["", Small(5)]
    assert "minder dan 5 bewoners staat er niet" in shown.tables["medians"].help
    assert "staat er niet" not in figures(desk).tables["medians"].help


def test_the_pace_column_says_it_is_a_running_total(desk):
    table = figures(desk, suppress=True).tables["participants_by_month"]
    assert table.headers == ["nieuwe deelnemers", "totaal nodig aan het eind van de maand"]


def test_a_breakdown_of_fewer_than_five_residents_is_withheld_from_the_project_group(desk):
    """Cell by cell, "found job: < 5" beside zeros would tell why the few who stopped did so."""
    q2 = figures(desk, period="q2", suppress=True).tables
    # Q2: C and D stopped (2), F entered the trajectory (1).
    for key in ("dropouts", "situation", "source", "neighbourhood"):
        assert q2[key].withheld, key
        assert q2[key].rows == [], key
    # The whole year: 2 drop-outs, too few to break down.
    year = figures(desk, suppress=True).tables
    assert year["dropouts"].withheld
    assert year["dropouts"].withheld_reason == "small"
    # Participants per month are withheld while the year has fewer than five (A B C I).
    march = figures(desk, as_of=D(2009, 3, 31), suppress=True).tables
    assert march["participants_by_month"].withheld
    assert not figures(desk, suppress=True).tables["participants_by_month"].withheld
    # Coordinators and coaches see every breakdown.
    unsuppressed = figures(desk, period="q2").tables
    assert not any(table.withheld for table in unsuppressed.values())
    assert column(unsuppressed["dropouts"])["found_job"] == 1


def test_no_breakdown_is_withheld_when_it_covers_nobody(desk):
    q1 = figures(desk, period="q1", suppress=True).tables
    assert not q1["dropouts"].withheld  # nobody stopped in Q1: zeros reveal nothing
    assert set(column(q1["dropouts"]).values()) == {0}


def test_derived_figures_are_hidden_when_the_participant_count_is(desk):
    desk.small_count_threshold = 10
    desk.save()
    shown = figures(desk, suppress=True)
    assert shown.key["participants"] == Small(10)
    assert shown.projection is None
    assert shown.percent_of_target is None
    assert shown.needed_per_month is None
    assert figures_json(shown)["participants"] == "<10"


def test_a_year_without_data_gives_zeros(desk):
    progress = desk_progress(desk, 2015, as_of=D(2015, 12, 31))
    shown = present(progress, suppress=True)
    assert shown.key["target"] is None
    counted = {k: v for k, v in shown.key.items() if k not in ("target", "in_trajectory_now")}
    assert set(counted.values()) == {0}
    # Nobody moved since 2009: B F G H I are still in the trajectory at the end of 2015.
    assert shown.key["in_trajectory_now"] == 5
    assert shown.projection == 0


def test_a_year_that_has_not_started_counts_nothing(desk):
    progress = desk_progress(desk, 2030, as_of=D(2029, 12, 31))
    assert progress.not_started
    assert progress.key["participants"] == 0
    assert present(progress, suppress=False).projection is None


def test_the_dashboard_reads_a_fixed_number_of_queries(desk, django_assert_num_queries):
    with django_assert_num_queries(13):  # 13 since issue 11: still trading after 12 months
        year = desk_progress(desk, 2009, as_of=AS_OF)
    with django_assert_num_queries(14):  # a period other than the year: one more count
        quarter = desk_progress(desk, 2009, as_of=AS_OF, period=period_of(2009, "q1"))
    assert year.participants >= quarter.participants > 0
