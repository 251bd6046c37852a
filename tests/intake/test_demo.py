"""The demo desk as on 31-03-2009: 20 intakes since 1 January, 7 participants, two info
evenings held; and one evening still to come."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from intake.evenings import erase_past_registrations, is_open, places_left
from intake.models import Conversation, InfoEvening, Registration, Resident, Speaker, StageChange
from ondernemerspunt.progress.figures import desk_progress
from ondernemerspunt.progress.periods import period_of

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


def test_fatma_had_an_intake_entered_the_trajectory_and_submitted_her_plan(demo):
    fatma = demo.get(user__email="bewoner@korrewegwijk.example")
    # Coaching's demo sent her pack on 30-03-2009, which moved her on from the trajectory.
    assert list(fatma.stage_changes.values_list("to_stage", "changed_on").order_by("id")) == [
        ("registered", datetime.date(2009, 1, 12)),
        ("intake", datetime.date(2009, 1, 19)),
        ("in_trajectory", datetime.date(2009, 2, 2)),
        ("submitted", datetime.date(2009, 3, 30)),
    ]
    assert fatma.stage == "submitted"
    assert fatma.conversations.filter(kind="intake").exists()


def test_the_one_resident_submitted_to_qredits_is_fatma(demo):
    assert [r.first_name for r in demo.filter(stage="submitted")] == ["Fatma"]


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


# --- Info evenings (issue 14) -----------------------------------------------------------------
def demo_evenings():
    return InfoEvening.objects.filter(desk__slug="korrewegwijk")


def test_two_evenings_were_held_in_february_and_march_2009_with_attendance(demo):
    held = list(demo_evenings().filter(status="held").order_by("starts_at"))
    assert [(e.starts_at.year, e.starts_at.month) for e in held] == [(2009, 2), (2009, 3)]
    assert [e.audience for e in held] == ["entrepreneurs", "intermediaries"]
    for evening in held:
        registrations = evening.registrations.all()
        assert registrations.filter(attended=True).exists()
        assert registrations.filter(attended=False, walk_in=False).exists()  # some did not come
        assert registrations.filter(walk_in=True).count() == 1
        assert evening.speakers.count() == 3
    kinds = set(
        held[1].registrations.filter(attended=True).values_list("organisation_kind", flat=True)
    )
    assert kinds == {"bank", "accountant", "consultant"}


def test_the_demo_figures_count_the_evenings_and_an_intake_within_3_months(demo):
    progress = desk_progress(demo.first().desk, 2009, as_of=END, period=period_of(2009, "q1"))
    evenings = progress.evenings
    assert evenings.held == 2
    assert evenings.walk_ins == 2
    assert 0 < evenings.came_with_a_place < evenings.with_a_place
    # Kees and Nadia came in February and had their intake in March.
    assert evenings.intake_within == 2
    assert evenings.intermediaries_by_kind["bank"] == 2


def test_the_2009_registrations_are_past_keeping_so_the_daily_job_finds_nothing(demo):
    linked = Registration.objects.filter(resident__isnull=False, evening__starts_at__year=2009)
    assert set(linked.values_list("resident__email", flat=True)) == {
        "kees@korrewegwijk.example",
        "nadia@korrewegwijk.example",
    }
    assert not linked.filter(erased_at__isnull=False).exists()
    others = Registration.objects.filter(resident__isnull=True, evening__starts_at__year=2009)
    assert others.exists() and not others.filter(erased_at__isnull=True).exists()
    assert not others.exclude(name="").exists()
    assert erase_past_registrations() == 0


def test_one_coming_evening_is_open_for_registration(demo):
    coming = demo_evenings().filter(starts_at__gt=timezone.now())
    [evening] = coming
    assert evening.status == "published"
    assert is_open(evening)
    assert evening.starts_at - timezone.now() > datetime.timedelta(days=14)
    assert places_left(evening) > 0


def test_seeding_again_adds_no_evenings(demo):
    counts = (demo_evenings().count(), Registration.objects.count(), Speaker.objects.count())
    call_command("seed_demo", stdout=StringIO())
    after = (demo_evenings().count(), Registration.objects.count(), Speaker.objects.count())
    assert after == counts
