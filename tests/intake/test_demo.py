"""The demo desk as on 31-03-2009: 20 intakes since 1 January, 7 participants."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from intake.models import Conversation, Resident, StageChange

START, END = datetime.date(2009, 1, 1), datetime.date(2009, 3, 31)


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=StringIO())
    return Resident.objects.filter(desk__slug="korrewegwijk")


def test_the_desk_held_20_intakes_since_1_january(demo):
    intakes = Conversation.objects.filter(
        desk__slug="korrewegwijk", kind="intake", held_on__range=(START, END)
    )
    assert intakes.count() == 20
    assert intakes.values("resident").distinct().count() == 20
    months = {c.held_on.month for c in intakes}
    assert months == {1, 2, 3}


def test_seven_participants_entered_the_trajectory_in_2009(demo):
    participants = (
        StageChange.objects.filter(
            desk__slug="korrewegwijk", to_stage="in_trajectory", changed_on__year=2009
        )
        .values("resident")
        .distinct()
    )
    assert participants.count() == 7
    assert demo.filter(stage="in_trajectory").count() == 6
    assert demo.filter(stage="submitted").count() == 1


def test_fatma_is_in_the_trajectory_and_had_an_intake(demo):
    fatma = demo.get(user__email="bewoner@korrewegwijk.example")
    assert fatma.stage == "in_trajectory"
    assert fatma.conversations.filter(kind="intake").exists()


def test_saskia_is_there_for_the_business_plan_demo(demo):
    saskia = demo.get(email="saskia@korrewegwijk.example")
    assert saskia.stage == "in_trajectory"
    assert saskia.user is None


def test_every_resident_has_consent_and_a_history_from_registered_to_their_stage(demo):
    for resident in demo:
        assert resident.has_consent(), resident
        history = list(resident.stage_changes.order_by("changed_on", "id"))
        assert history[0].from_stage == "" and history[0].to_stage == "registered", resident
        assert history[0].changed_on == resident.registered_on
        for before, after in zip(history, history[1:], strict=False):
            assert after.from_stage == before.to_stage, resident
            assert after.changed_on >= before.changed_on, resident
        assert history[-1].to_stage == resident.stage, resident
        assert resident.search_text == resident.build_search_text()
        assert START <= resident.registered_on <= END
        assert resident.neighbourhood is not None


def test_the_dropped_out_resident_has_a_reason(demo):
    dropped = demo.get(stage="dropped_out")
    assert dropped.stage_changes.get(to_stage="dropped_out").reason == "found_job"


def test_seeding_again_adds_nothing(demo):
    counts = (Resident.objects.count(), Conversation.objects.count(), StageChange.objects.count())
    call_command("seed_demo", stdout=StringIO())
    after = (Resident.objects.count(), Conversation.objects.count(), StageChange.objects.count())
    assert after == counts


def test_an_accented_name_is_found_without_accents(demo):
    assert demo.filter(search_text__contains="ozturk").exists()
    assert demo.filter(search_text__contains="lukasz").exists()
