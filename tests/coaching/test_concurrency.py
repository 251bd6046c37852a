"""Two requests at the very same moment, in two threads with their own database connections:
of two saves on one version exactly one wins (the other is told, nothing is lost), and two
submits make one revision."""

import pytest

from coaching.models import PlanRevision, PlanSection
from coaching.services import SectionConflict, save_section, submit_plan
from tests.coaching.examples import SALON
from tests.concurrency import at_once
from tests.factories import make_desk, make_member, make_plan, make_resident, make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def plan():
    desk = make_desk()
    coach = make_member(desk, "coach")
    resident = make_resident(desk, user=make_user(), coach=coach, consent_by=coach)
    return make_plan(resident, SALON)


def test_two_saves_of_one_part_at_the_same_moment_one_wins_one_is_told(plan):
    section = PlanSection.objects.get(plan=plan, key="entrepreneur")
    results = at_once(
        lambda: save_section(section=section, content={"motivation": "A"}, version=1, by=None),
        lambda: save_section(section=section, content={"motivation": "B"}, version=1, by=None),
    )
    conflicts = [r for r in results if isinstance(r, SectionConflict)]
    saved = [r for r in results if isinstance(r, PlanSection)]
    assert (len(saved), len(conflicts)) == (1, 1)
    section.refresh_from_db()
    assert section.version == 2
    assert section.data == saved[0].data  # the winner's text, and the loser was told
    assert conflicts[0].section.data == section.data


def test_two_submits_at_the_same_moment_make_one_revision(plan):
    user = plan.resident.user
    results = at_once(
        lambda: submit_plan(plan=plan, by=user, site="http://testserver"),
        lambda: submit_plan(plan=plan, by=user, site="http://testserver"),
    )
    assert sorted(created for _revision, created in results) == [False, True]
    assert PlanRevision.objects.filter(plan=plan).count() == 1
