"""The dashboard row "still trading after 12 months" (issue 11; ondernemerspunt/progress): the
businesses whose 12-month mark falls in the period and that were recorded as still trading, with
the project group's small-count suppression, in one query whatever the number of businesses."""

import datetime

import pytest
from django.utils import timezone

from coaching.models import BusinessStart
from ondernemerspunt.progress.figures import desk_progress
from ondernemerspunt.progress.periods import period_of
from ondernemerspunt.progress.reports import figures_csv
from ondernemerspunt.progress.tables import Small, present
from tests.factories import make_desk, make_member, make_resident

D = datetime.date


def started(desk, on, still_trading, **fields):
    resident = make_resident(desk, **fields)
    return BusinessStart.objects.create(
        resident=resident, started_on=on, still_trading_at_12_months=still_trading
    )


YEAR_END = D(2009, 12, 31)


def still_trading(desk, period="year", as_of=YEAR_END, suppress=False):
    progress = desk_progress(desk, 2009, as_of=as_of, period=period_of(2009, period))
    shown = present(progress, suppress=suppress, today=D(2010, 6, 1))
    [row] = [r for r in shown.tables["funnel"].rows if r.key == "still_trading"]
    return row.values[0]


@pytest.fixture
def desk(db):
    desk = make_desk("telling")
    make_member(desk, "coach")
    return desk


def test_counts_the_businesses_recorded_trading_at_their_12_month_mark_in_the_period(desk):
    started(desk, D(2008, 2, 10), True)  # mark 10-02-2009: Q1
    started(desk, D(2008, 3, 31), True)  # mark 31-03-2009: Q1, its last day
    started(desk, D(2008, 4, 1), True)  # mark 01-04-2009: Q2
    started(desk, D(2008, 5, 5), False)  # stopped: not counted
    started(desk, D(2008, 6, 6), None)  # not recorded yet: not counted
    started(desk, D(2009, 2, 1), True)  # mark in 2010
    started(desk, D(2007, 12, 31), True)  # mark 31-12-2008
    other = make_desk("elders")
    started(other, D(2008, 2, 10), True)  # another desk's
    assert still_trading(desk, "q1") == 2
    assert still_trading(desk, "q2") == 1
    assert still_trading(desk, "year") == 3


def test_a_start_on_29_february_reaches_12_months_on_28_february(desk):
    started(desk, D(2008, 2, 29), True)
    assert still_trading(desk, "m2") == 1
    assert still_trading(desk, "m3") == 0


def test_the_as_of_date_cuts_the_period_off(desk):
    started(desk, D(2008, 3, 20), True)  # mark 20-03-2009
    assert still_trading(desk, "q1", as_of=D(2009, 3, 19)) == 0
    assert still_trading(desk, "q1", as_of=D(2009, 3, 20)) == 1


def test_the_project_group_sees_a_small_count_as_less_than_the_threshold(desk):
    for day in (1, 2):
        started(desk, D(2008, 3, day), True)
    assert still_trading(desk, "q1", suppress=True) == Small(desk.small_count_threshold)
    assert still_trading(desk, "q1", suppress=False) == 2
    for day in range(3, 3 + desk.small_count_threshold):
        started(desk, D(2008, 3, day), True)
    assert still_trading(desk, "q1", suppress=True) == 2 + desk.small_count_threshold
    assert still_trading(desk, "q2", suppress=True) == 0  # a zero stays a zero


def test_the_csv_writes_the_count_and_the_suppressed_one(desk):
    started(desk, D(2008, 3, 1), True)
    progress = desk_progress(desk, 2009, as_of=D(2009, 12, 31), period=period_of(2009, "q1"))

    def row(suppress):
        rows = figures_csv(present(progress, suppress=suppress, today=D(2010, 6, 1)))
        return next(
            line for line in rows.splitlines() if line.startswith("funnel;") and "12" in line
        )

    assert row(suppress=True).endswith(";<5")
    assert row(suppress=False).endswith(";1")


def test_an_erased_file_still_counts(desk):
    start = started(desk, D(2008, 3, 1), True)
    start.resident.erased_at = timezone.now()
    start.resident.save(update_fields=["erased_at"])
    assert still_trading(desk, "q1") == 1


def test_one_query_whatever_the_number_of_businesses(desk, django_assert_num_queries):
    period = period_of(2009, "q1")
    started(desk, D(2008, 3, 1), True)
    with django_assert_num_queries(14):
        desk_progress(desk, 2009, as_of=D(2009, 12, 31), period=period)
    for day in range(2, 22):
        started(desk, D(2008, 3, day), day % 2 == 0)
    with django_assert_num_queries(14):
        progress = desk_progress(desk, 2009, as_of=D(2009, 12, 31), period=period)
    assert progress.still_trading == 11
