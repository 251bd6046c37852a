"""Corrections: a conversation or next step edited, "done" undone, another coach, a stage set
by mistake put right — with the earlier values kept, and never a silent overwrite."""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from intake import corrections
from intake.corrections import CorrectionRefused, version_of
from intake.models import Correction, NextStep, Resident, Stage, StageChange
from intake.services import change_stage
from ondernemerspunt.models import AuditEntry, Membership
from ondernemerspunt.progress.figures import desk_progress
from ondernemerspunt.progress.periods import period_of
from tests.factories import make_conversation, make_member, make_resident
from tests.intake.form_data import edit_data

D = datetime.date


@pytest.fixture
def conversation(cast):
    return make_conversation(
        cast.resident,
        coach=cast.coach,
        held_on=D(2009, 2, 2),
        notes="Wil een kapsalon beginnen.",
        support_needs=["business_plan"],
        next_steps=[("Offerte opvragen", D(2009, 3, 1))],
    )


@pytest.fixture
def step(conversation):
    return conversation.next_steps.get()


def edit_url(conversation):
    return reverse("intake:conversation_edit", kwargs={"pk": conversation.pk})


def step_url(step):
    return reverse("intake:next_step_edit", kwargs={"pk": step.pk})


def detail_url(resident):
    return reverse("intake:resident_detail", kwargs={"pk": resident.pk})


def conversation_post(conversation, **overrides):
    """The edit form as the page sends it back: the stored values and their version."""
    data = {
        "version": version_of(conversation, corrections.CONVERSATION_FIELDS),
        "kind": conversation.kind,
        "held_on": conversation.held_on.isoformat(),
        "channel": conversation.channel,
        "duration_minutes": str(conversation.duration_minutes),
        "notes": conversation.notes,
        "support_needs": list(conversation.support_needs),
    }
    data.update(overrides)
    return data


def step_post(step, **overrides):
    data = {
        "version": version_of(step, corrections.NEXT_STEP_FIELDS),
        "description": step.description,
        "due_on": step.due_on.isoformat(),
        "owner": step.owner,
    }
    data.update(overrides)
    return data


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


# Editing a conversation


def test_editing_a_conversation_keeps_the_earlier_values(client_for, cast, conversation):
    response = client_for("coach").post(
        edit_url(conversation),
        conversation_post(
            conversation, notes="Wil een barbershop beginnen.", duration_minutes="45"
        ),
    )
    assert response.status_code == 302
    conversation.refresh_from_db()
    assert conversation.notes == "Wil een barbershop beginnen."
    assert conversation.duration_minutes == 45
    correction = Correction.objects.get()
    assert correction.kind == "conversation_edited"
    assert correction.conversation == conversation
    assert correction.by == cast.coach
    assert correction.before == {"notes": "Wil een kapsalon beginnen.", "duration_minutes": 60}
    assert correction.after == {"notes": "Wil een barbershop beginnen.", "duration_minutes": 45}


def test_a_save_without_changes_records_nothing(client_for, cast, conversation):
    response = client_for("coach").post(edit_url(conversation), conversation_post(conversation))
    assert response.status_code == 302
    assert not Correction.objects.exists()
    assert not AuditEntry.objects.filter(action="changed").exists()


def test_support_needs_in_another_order_are_no_change(cast, conversation):
    conversation.support_needs = ["financing", "business_plan"]
    conversation.save()
    result = corrections.edit_conversation(
        conversation=conversation,
        by=cast.coach,
        version="whatever",
        fields={"support_needs": ["business_plan", "financing"]},
    )
    assert result is None
    assert not Correction.objects.exists()


def test_a_stale_edit_is_refused_showing_what_is_stored_and_keeping_the_input(
    client_for, cast, conversation
):
    opened = conversation_post(conversation, notes="Mijn versie van het gesprek.")
    # Meanwhile the coordinator saves another version.
    corrections.edit_conversation(
        conversation=conversation,
        by=cast.coordinator,
        version=opened["version"],
        fields={"notes": "Versie van de coördinator."},
    )
    response = english(client_for("coach")).post(edit_url(conversation), opened)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else changed this" in page
    assert "Versie van de coördinator." in page  # what is stored now
    assert "Mijn versie van het gesprek." in page  # what was typed, still in the form
    conversation.refresh_from_db()
    assert conversation.notes == "Versie van de coördinator."
    assert Correction.objects.count() == 1
    # The form now carries the current version: saving again is a deliberate choice.
    again = response.context["form"].data
    assert again["version"] == version_of(conversation, corrections.CONVERSATION_FIELDS)
    assert client_for("coach").post(edit_url(conversation), again).status_code == 302
    conversation.refresh_from_db()
    assert conversation.notes == "Mijn versie van het gesprek."
    assert Correction.objects.count() == 2


def test_a_conversation_in_the_future_or_before_the_registration_is_refused(
    client_for, cast, conversation
):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    client = client_for("coach")
    response = client.post(
        edit_url(conversation), conversation_post(conversation, held_on=tomorrow)
    )
    assert "held_on" in response.context["form"].errors
    response = client.post(
        edit_url(conversation), conversation_post(conversation, held_on="2008-12-01")
    )
    assert "held_on" in response.context["form"].errors
    assert response.context["form"]["notes"].value() == "Wil een kapsalon beginnen."
    assert not Correction.objects.exists()


def test_another_desks_conversation_answers_404(client_for, cast):
    theirs = make_conversation(cast.other_resident, coach=cast.other_coach)
    response = client_for("coach").post(edit_url(theirs), conversation_post(theirs, notes="x"))
    assert response.status_code == 404
    assert not Correction.objects.exists()


def test_an_erased_file_cannot_be_corrected(client_for, cast, conversation):
    Resident.objects.filter(pk=cast.resident.pk).update(erased_at=timezone.now())
    client = client_for("coach")
    assert client.get(edit_url(conversation)).status_code == 404
    coach_url = reverse("intake:coach_change", kwargs={"pk": cast.resident.pk})
    assert client.get(coach_url).status_code == 404
    cast.resident.refresh_from_db()
    with pytest.raises(CorrectionRefused):
        corrections.edit_conversation(
            conversation=conversation, by=cast.coach, version="", fields={"notes": "x"}
        )


def test_without_consent_a_conversation_is_not_changed(cast, conversation):
    cast.resident.consents.update(withdrawn_at=timezone.now())
    with pytest.raises(CorrectionRefused):
        corrections.edit_conversation(
            conversation=conversation,
            by=cast.coach,
            version=version_of(conversation, corrections.CONVERSATION_FIELDS),
            fields={"notes": "Nieuw"},
        )
    conversation.refresh_from_db()
    assert conversation.notes == "Wil een kapsalon beginnen."


# Audit


def test_the_audit_line_names_the_fields_not_the_text_nor_the_resident(
    client_for, cast, conversation
):
    english(client_for("coach")).post(
        edit_url(conversation), conversation_post(conversation, notes="Geheime notitie.")
    )
    line = AuditEntry.objects.get(action="changed")
    assert line.resident_id == cast.resident.pk
    assert "02-02-2009" in line.what
    assert "Geheime" not in line.what
    assert "kapsalon" not in line.what
    assert "Rana" not in line.what and "Bewoner" not in line.what
    # In Dutch, whoever caused it (an English page here): the field's Dutch name.
    assert "aantekeningen" in line.what


# Next steps


def test_editing_a_next_step_keeps_the_earlier_values(client_for, cast, step):
    response = client_for("coordinator").post(
        step_url(step), step_post(step, description="Twee offertes opvragen", owner="coach")
    )
    assert response.status_code == 302
    step.refresh_from_db()
    assert (step.description, step.owner) == ("Twee offertes opvragen", "coach")
    correction = Correction.objects.get()
    assert correction.kind == "step_edited"
    assert correction.next_step == step
    assert correction.before == {"description": "Offerte opvragen", "owner": "resident"}
    assert AuditEntry.objects.filter(action="changed", resident_id=cast.resident.pk).exists()


def test_a_next_step_due_before_its_conversation_is_refused(client_for, cast, step):
    response = client_for("coach").post(step_url(step), step_post(step, due_on="2009-01-20"))
    assert response.status_code == 200
    assert "due_on" in response.context["form"].errors
    assert not Correction.objects.exists()


def test_a_stale_next_step_edit_is_refused(client_for, cast, step):
    opened = step_post(step, description="Mijn omschrijving")
    corrections.edit_next_step(
        step=step, by=cast.coordinator, version=opened["version"], fields={"owner": "partner"}
    )
    response = client_for("coach").post(step_url(step), opened)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert response.context["conflicts"]
    step.refresh_from_db()
    assert (step.description, step.owner) == ("Offerte opvragen", "partner")


def test_another_desks_next_step_answers_404(client_for, cast):
    theirs = make_conversation(
        cast.other_resident, coach=cast.other_coach, next_steps=[("Bellen", D(2009, 3, 1))]
    ).next_steps.get()
    assert client_for("coach").get(step_url(theirs)).status_code == 404


def test_done_can_be_undone(client_for, cast, step):
    NextStep.objects.filter(pk=step.pk).update(done_on=D(2009, 3, 2))
    url = reverse("intake:next_step_reopen", kwargs={"pk": step.pk})
    assert client_for("coach").get(url).status_code == 405
    response = client_for("coach").post(url)
    assert response.url == cast.resident.get_absolute_url()
    step.refresh_from_db()
    assert step.done_on is None
    correction = Correction.objects.get()
    assert correction.kind == "step_reopened"
    assert (correction.before, correction.after) == ({"done_on": "2009-03-02"}, {"done_on": None})
    # Once more: it is open already, so nothing is recorded.
    client_for("coach").post(url)
    assert Correction.objects.count() == 1


# Another coach


def coach_url(resident):
    return reverse("intake:coach_change", kwargs={"pk": resident.pk})


def test_moving_a_resident_to_another_coach_of_the_desk(client_for, cast):
    colleague = make_member(cast.desk, "coach", full_name="Kees Collega")
    response = client_for("coordinator").post(
        coach_url(cast.resident), {"coach": colleague.pk, "version": cast.resident.version}
    )
    assert response.status_code == 302
    cast.resident.refresh_from_db()
    assert cast.resident.coach == colleague
    assert cast.resident.version == 2  # an edit form opened before cannot put the old coach back
    correction = Correction.objects.get()
    assert correction.kind == "coach_changed"
    assert correction.before == {"coach": cast.coach.pk, "coach_name": "Cees Coach"}
    assert correction.after == {"coach": colleague.pk, "coach_name": "Kees Collega"}
    response = client_for("coach").get(detail_url(cast.resident))
    assert "intake/timeline/_coach_change.html" in [t.name for t in response.templates]
    assert "Cees Coach → Kees Collega" in response.content.decode()


def test_a_coach_of_another_desk_is_refused_with_a_message(client_for, cast):
    response = client_for("coordinator").post(
        coach_url(cast.resident), {"coach": cast.other_coach.pk, "version": 1}
    )
    assert response.status_code == 200
    assert "coach" in response.context["form"].errors
    cast.resident.refresh_from_db()
    assert cast.resident.coach == cast.coach
    assert not Correction.objects.exists()


def test_a_deactivated_coach_is_refused(cast):
    former = make_member(cast.desk, "coach", full_name="Vera Vertrokken")
    Membership.objects.filter(user=former).update(is_active=False)
    with pytest.raises(CorrectionRefused) as refused:
        corrections.change_coach(
            resident=cast.resident, by=cast.coordinator, coach=former, version=1
        )
    assert refused.value.field == "coach"


def test_the_same_coach_again_records_nothing(client_for, cast):
    client_for("coach").post(coach_url(cast.resident), {"coach": cast.coach.pk, "version": 1})
    assert not Correction.objects.exists()


def test_a_stale_coach_change_is_refused(cast):
    colleague = make_member(cast.desk, "coach")
    Resident.objects.filter(pk=cast.resident.pk).update(version=5)
    with pytest.raises(corrections.StaleCorrection):
        corrections.change_coach(
            resident=cast.resident, by=cast.coordinator, coach=colleague, version=4
        )


# The stage set by mistake


def stage_correct_url(resident):
    return reverse("intake:stage_correct", kwargs={"pk": resident.pk})


@pytest.fixture
def mistake(cast):
    change_stage(resident=cast.resident, to_stage=Stage.INTAKE, on=D(2009, 2, 1), by=cast.coach)
    return change_stage(
        resident=cast.resident, to_stage=Stage.IN_TRAJECTORY, on=D(2009, 2, 10), by=cast.coach
    )


def test_correcting_a_stage_adds_a_change_and_keeps_the_mistake(client_for, cast, mistake):
    response = client_for("coach").post(
        stage_correct_url(cast.resident),
        {"correct-change": mistake.pk, "correct-to_stage": "intake", "correct-note": "Verkeerd"},
    )
    assert response.status_code == 302
    cast.resident.refresh_from_db()
    assert cast.resident.stage == "intake"
    fix = StageChange.objects.get(corrects=mistake)
    assert (fix.from_stage, fix.to_stage, fix.note) == ("in_trajectory", "intake", "Verkeerd")
    assert StageChange.objects.filter(pk=mistake.pk).exists()  # history is not rewritten
    page = client_for("coach").get(reverse("intake:stage_change", kwargs={"pk": cast.resident.pk}))
    html = page.content.decode()
    assert "stage-corrected" in html
    assert "Verkeerd" in html
    assert page.context["mistake"] is None  # a correction is not corrected again from here
    timeline = client_for("coach").get(detail_url(cast.resident)).content.decode()
    assert "<del>" in timeline and "Verkeerd" in timeline


def test_a_change_can_be_corrected_once_only(cast, mistake):
    corrections.correct_stage(
        resident=cast.resident, by=cast.coach, change_id=mistake.pk, note="Verkeerd"
    )
    with translation.override("en"), pytest.raises(CorrectionRefused, match="already been"):
        corrections.correct_stage(
            resident=cast.resident, by=cast.coach, change_id=mistake.pk, note="Nog eens"
        )
    assert StageChange.objects.filter(corrects__isnull=False).count() == 1


def test_a_second_correction_of_one_change_is_caught(cast, mistake, monkeypatch):
    """Even past the checks (two at once), the one-to-one lets one correction in."""
    StageChange.objects.create(
        resident=cast.resident,
        desk=cast.desk,
        from_stage="in_trajectory",
        to_stage="intake",
        changed_on=D(2009, 2, 9),  # so that the mistake is still the latest
        changed_by=cast.coach,
        note="Eerste",
        corrects=mistake,
    )
    monkeypatch.setattr(corrections, "_is_corrected", lambda change: False)
    monkeypatch.setattr(corrections, "correctable", lambda history: mistake)
    cast.resident.refresh_from_db()
    with translation.override("en"), pytest.raises(CorrectionRefused, match="already been"):
        corrections.correct_stage(
            resident=cast.resident, by=cast.coach, change_id=mistake.pk, note="Tweede"
        )


def test_a_correction_needs_a_reason(client_for, cast, mistake):
    response = client_for("coach").post(
        stage_correct_url(cast.resident),
        {"correct-change": mistake.pk, "correct-to_stage": "intake", "correct-note": "  "},
    )
    assert response.status_code == 200
    assert "note" in response.context["correct_form"].errors
    assert not StageChange.objects.filter(corrects__isnull=False).exists()
    with pytest.raises(CorrectionRefused):
        corrections.correct_stage(
            resident=cast.resident, by=cast.coach, change_id=mistake.pk, note=""
        )


def test_without_a_change_to_correct_there_is_a_message(client_for, cast):
    response = english(client_for("coach")).post(
        stage_correct_url(cast.resident),
        {"correct-change": "1", "correct-to_stage": "registered", "correct-note": "Fout"},
    )
    assert response.status_code == 200
    assert "There is no stage change to correct." in response.content.decode()
    assert not StageChange.objects.exists()


def test_only_the_latest_change_is_corrected(cast, mistake):
    first = cast.resident.stage_changes.get(to_stage="intake")
    with pytest.raises(CorrectionRefused):
        corrections.correct_stage(
            resident=cast.resident, by=cast.coach, change_id=first.pk, note="Fout"
        )


def test_a_stage_that_makes_no_sense_is_refused(cast, mistake):
    with pytest.raises(CorrectionRefused) as refused:
        corrections.correct_stage(
            resident=cast.resident,
            by=cast.coach,
            change_id=mistake.pk,
            note="Fout",
            to_stage=Stage.FINANCED,
        )
    assert refused.value.field == "to_stage"


def test_a_mistaken_drop_out_without_consent_goes_back_to_registered(cast):
    resident = make_resident(cast.desk)
    wrong = change_stage(
        resident=resident,
        to_stage=Stage.DROPPED_OUT,
        on=D(2009, 2, 1),
        by=cast.coach,
        reason="lost_contact",
    )
    corrections.correct_stage(resident=resident, by=cast.coach, change_id=wrong.pk, note="Fout")
    resident.refresh_from_db()
    assert resident.stage == "registered"


def test_another_desks_resident_answers_404(client_for, cast):
    response = client_for("coach").post(
        stage_correct_url(cast.other_resident), {"correct-note": "Fout"}
    )
    assert response.status_code == 404


def participants(desk):
    progress = desk_progress(desk, 2009, as_of=D(2009, 12, 31), period=period_of(2009, "year"))
    return progress.key["participants"], progress.funnel.get("in_trajectory", 0)


def test_a_corrected_entry_into_the_trajectory_is_no_participant(cast, mistake):
    assert participants(cast.desk) == (1, 1)
    corrections.correct_stage(
        resident=cast.resident, by=cast.coach, change_id=mistake.pk, note="Verkeerd"
    )
    assert participants(cast.desk) == (0, 0)
    medians = desk_progress(
        cast.desk, 2009, as_of=D(2009, 12, 31), period=period_of(2009, "year")
    ).medians
    assert medians[("intake", "in_trajectory")] == (None, 0)


# The resident's page


def test_the_page_shows_who_changed_an_item_and_the_earlier_text(client_for, cast, conversation):
    client_for("coordinator").post(
        edit_url(conversation), conversation_post(conversation, notes="Nieuwe tekst.")
    )
    page = english(client_for("coach")).get(detail_url(cast.resident)).content.decode()
    today = timezone.localdate().strftime("%d-%m-%Y")
    assert f"changed by Carla Coördinator on {today}" in page
    assert "<details" in page
    assert "<del>" in page and "Wil een kapsalon beginnen." in page
    assert "Nieuwe tekst." in page
    assert reverse("intake:conversation_edit", kwargs={"pk": conversation.pk}) in page


def page_queries(client, resident):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(detail_url(resident))
    assert response.status_code == 200
    return len(queries)


def test_the_page_runs_a_fixed_number_of_queries_whatever_the_corrections(
    client_for, cast, conversation, step, django_assert_max_num_queries
):
    client = client_for("coach")
    colleague = make_member(cast.desk, "coach")

    def correct(n):
        conversation.refresh_from_db()
        step.refresh_from_db()
        corrections.edit_conversation(
            conversation=conversation,
            by=cast.coach,
            version=version_of(conversation, corrections.CONVERSATION_FIELDS),
            fields={"notes": f"Versie {n}"},
        )
        corrections.edit_next_step(
            step=step,
            by=cast.coordinator,
            version=version_of(step, corrections.NEXT_STEP_FIELDS),
            fields={"description": f"Stap {n}"},
        )
        cast.resident.refresh_from_db()
        corrections.change_coach(
            resident=cast.resident,
            by=cast.coordinator,
            coach=colleague if n % 2 else cast.coach,
            version=cast.resident.version,
        )

    correct(1)
    with_one = page_queries(client, cast.resident)
    for n in range(2, 21):
        correct(n)
    assert Correction.objects.count() == 60
    assert page_queries(client, cast.resident) == with_one
    with django_assert_max_num_queries(with_one):
        client.get(detail_url(cast.resident))


def test_residents_do_not_see_the_correction_screens(client_for, cast, conversation):
    client = client_for("resident")
    assert client.get(edit_url(conversation)).status_code == 404
    assert client.get(coach_url(cast.resident)).status_code == 404


def test_choosing_another_coach_in_the_file_form_is_on_the_timeline_too(client_for, cast):
    """The file's own form also has the coach field: a move made there is recorded as the same
    correction as one made on the "other coach" page."""
    colleague = make_member(cast.desk, "coach", full_name="Kees Collega")
    response = client_for("coordinator").post(
        reverse("intake:resident_edit", kwargs={"pk": cast.resident.pk}),
        edit_data(cast.resident, coach=str(colleague.pk)),
    )
    assert response.status_code == 302
    correction = Correction.objects.get(resident=cast.resident)
    assert correction.kind == Correction.Kind.COACH_CHANGED
    assert (correction.before["coach"], correction.after["coach"]) == (cast.coach.pk, colleague.pk)
