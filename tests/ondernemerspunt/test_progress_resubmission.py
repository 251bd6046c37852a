"""The median "submitted to Qredits → financing granted" after a decline and a resubmission
(issue 11, review): it counts from the latest submission before the financing, not from the
first one, and the dashboard still reads a fixed number of queries."""

import datetime

import pytest

from intake.models import Stage
from intake.services import change_stage
from ondernemerspunt.progress.figures import desk_progress
from ondernemerspunt.progress.periods import period_of
from tests.factories import make_desk, make_member, make_resident

D = datetime.date


@pytest.fixture
def desk(db):
    return make_desk("herkansing")


def moved(desk, coach, *steps):
    resident = make_resident(desk, consent_by=coach, registered_on=D(2009, 1, 2))
    for stage, on in steps:
        change_stage(resident=resident, to_stage=stage, on=on, by=coach)
    return resident


def test_the_median_counts_from_the_latest_submission_before_the_financing(desk):
    coach = make_member(desk, "coach")
    moved(
        desk,
        coach,
        (Stage.INTAKE, D(2009, 1, 5)),
        (Stage.IN_TRAJECTORY, D(2009, 1, 20)),
        (Stage.SUBMITTED, D(2009, 2, 2)),  # the first submission
        (Stage.DECLINED, D(2009, 3, 2)),
        (Stage.IN_TRAJECTORY, D(2009, 3, 9)),
        (Stage.SUBMITTED, D(2009, 5, 1)),  # submitted again
        (Stage.FINANCED, D(2009, 5, 21)),
    )
    progress = desk_progress(desk, 2009, as_of=D(2009, 12, 31), period=period_of(2009, "year"))
    assert progress.medians[("submitted", "financed")] == (20, 1)
    # The step before it still counts from the first entry to the first submission.
    assert progress.medians[("in_trajectory", "submitted")] == (13, 1)
