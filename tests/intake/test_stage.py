"""The trajectory stage: an explicit action, with its full history (who, when, why)."""

import datetime

import pytest
from django.urls import reverse

from intake.models import Stage, StageChange
from intake.services import StageChangeRefused, change_stage
from ondernemerspunt.models import AuditEntry
from tests.factories import make_resident

D = datetime.date


def stage_url(resident):
    return reverse("intake:stage_change", kwargs={"pk": resident.pk})


def test_a_stage_change_records_who_when_and_moves_the_resident(cast):
    change = change_stage(
        resident=cast.resident, to_stage=Stage.INTAKE, on=D(2009, 2, 1), by=cast.coach
    )
    cast.resident.refresh_from_db()
    assert cast.resident.stage == "intake"
    assert (change.from_stage, change.to_stage) == ("registered", "intake")
    assert change.changed_by == cast.coach
    assert change.changed_on == D(2009, 2, 1)
    assert change.desk == cast.desk
    assert change.recorded_at is not None
    assert AuditEntry.objects.filter(resident_id=cast.resident.pk, action="changed").exists()


def test_dropping_out_asks_for_a_reason(cast):
    with pytest.raises(StageChangeRefused) as refused:
        change_stage(
            resident=cast.resident, to_stage=Stage.DROPPED_OUT, on=D(2009, 2, 1), by=cast.coach
        )
    assert refused.value.field == "reason"
    change = change_stage(
        resident=cast.resident,
        to_stage=Stage.DROPPED_OUT,
        on=D(2009, 2, 1),
        by=cast.coach,
        reason="found_job",
        note="Vaste baan als monteur.",
    )
    assert change.get_reason_display() == "werk gevonden"


def test_the_same_stage_again_gets_a_message(cast):
    with pytest.raises(StageChangeRefused, match="al in de fase"):
        change_stage(
            resident=cast.resident, to_stage=Stage.REGISTERED, on=D(2009, 2, 1), by=cast.coach
        )


def test_a_nonsense_move_is_refused_with_the_possible_stages(cast):
    with pytest.raises(StageChangeRefused, match="kan een bewoner niet naar") as refused:
        change_stage(
            resident=cast.resident, to_stage=Stage.FINANCED, on=D(2009, 2, 1), by=cast.coach
        )
    assert "intakegesprek gehouden" in refused.value.message
    assert StageChange.objects.count() == 0


def test_a_date_before_the_previous_change_or_in_the_future_is_refused(cast):
    change_stage(resident=cast.resident, to_stage=Stage.INTAKE, on=D(2009, 2, 1), by=cast.coach)
    with pytest.raises(StageChangeRefused, match="vorige faseovergang"):
        change_stage(
            resident=cast.resident,
            to_stage=Stage.IN_TRAJECTORY,
            on=D(2009, 1, 31),
            by=cast.coach,
        )
    with pytest.raises(StageChangeRefused, match="toekomst"):
        change_stage(
            resident=cast.resident,
            to_stage=Stage.IN_TRAJECTORY,
            on=datetime.date.today() + datetime.timedelta(days=1),
            by=cast.coach,
        )


def test_without_consent_a_resident_can_drop_out_but_not_move_on(cast):
    resident = make_resident(cast.desk)
    with pytest.raises(StageChangeRefused, match="toestemming"):
        change_stage(resident=resident, to_stage=Stage.INTAKE, on=D(2009, 2, 1), by=cast.coach)
    change_stage(
        resident=resident,
        to_stage=Stage.DROPPED_OUT,
        on=D(2009, 2, 1),
        by=cast.coach,
        reason="lost_contact",
    )
    resident.refresh_from_db()
    assert resident.stage == "dropped_out"
    assert list(resident.stage_changes.values_list("to_stage", flat=True)) == ["dropped_out"]


def test_someone_who_dropped_out_can_come_back(cast):
    for stage, reason in ((Stage.DROPPED_OUT, "personal"), (Stage.IN_TRAJECTORY, "")):
        change_stage(
            resident=cast.resident, to_stage=stage, on=D(2009, 2, 1), by=cast.coach, reason=reason
        )
    cast.resident.refresh_from_db()
    assert cast.resident.stage == "in_trajectory"
    history = cast.resident.stage_changes.order_by("id").values_list("from_stage", "to_stage")
    assert list(history) == [("registered", "dropped_out"), ("dropped_out", "in_trajectory")]


def test_the_stage_page_changes_the_stage_and_shows_the_history(client_for, cast):
    client = client_for("coach")
    response = client.post(
        stage_url(cast.resident), {"to_stage": "intake", "on": "2009-02-01", "note": "Gesprek"}
    )
    assert response.status_code == 302
    cast.resident.refresh_from_db()
    assert cast.resident.stage == "intake"
    page = client.get(stage_url(cast.resident)).content.decode()
    assert "01-02-2009" in page
    assert "Cees Coach" in page
    assert "Gesprek" in page


def test_dropping_out_without_a_reason_gets_a_message_next_to_the_reason(client_for, cast):
    response = client_for("coach").post(
        stage_url(cast.resident), {"to_stage": "dropped_out", "on": "2009-02-01"}
    )
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    cast.resident.refresh_from_db()
    assert cast.resident.stage == "registered"


def test_choosing_the_current_stage_on_the_page_gets_a_message(client_for, cast):
    response = client_for("coach").post(
        stage_url(cast.resident), {"to_stage": "registered", "on": "2009-02-01"}
    )
    assert "al in de fase" in response.context["form"].errors["to_stage"][0]


def test_another_desks_resident_answers_404(client_for, cast):
    response = client_for("coach").post(
        stage_url(cast.other_resident), {"to_stage": "intake", "on": "2009-02-01"}
    )
    assert response.status_code == 404
    assert StageChange.objects.count() == 0
