"""Later conversations on the resident's page, their next steps, and marking steps done."""

import datetime

from django.urls import reverse

from intake.models import Conversation, NextStep
from tests.factories import make_conversation, make_resident
from tests.intake.form_data import conversation_data, steps_data


def conversation_url(resident):
    return reverse("intake:conversation_new", kwargs={"pk": resident.pk})


def test_a_follow_up_conversation_is_saved_with_its_next_steps(client_for, cast):
    data = {
        "conversation-kind": "follow_up",
        **conversation_data(cast.coach, **{"conversation-channel": "phone"}),
        **steps_data([("Offerte opvragen", "2009-03-20", "coach")]),
    }
    response = client_for("coach").post(conversation_url(cast.resident), data)
    assert response.status_code == 302
    conversation = Conversation.objects.get(resident=cast.resident)
    assert conversation.kind == "follow_up"
    assert conversation.channel == "phone"
    step = NextStep.objects.get(conversation=conversation)
    assert (step.owner, step.due_on) == ("coach", datetime.date(2009, 3, 20))


def test_an_intake_with_a_registered_resident_moves_them_to_intake_held(client_for, cast):
    data = {"conversation-kind": "intake", **conversation_data(cast.coach), **steps_data()}
    client_for("coach").post(conversation_url(cast.resident), data)
    cast.resident.refresh_from_db()
    assert cast.resident.stage == "intake"
    assert cast.resident.stage_changes.get().changed_on == datetime.date(2009, 3, 2)


def test_a_conversation_needs_consent_first(client_for, cast):
    resident = make_resident(cast.desk)
    page = client_for("coach").get(conversation_url(resident)).content.decode()
    assert "Leg eerst de toestemming vast" in page
    data = {"conversation-kind": "follow_up", **conversation_data(cast.coach), **steps_data()}
    response = client_for("coach").post(conversation_url(resident), data)
    assert response.status_code == 200
    assert not Conversation.objects.filter(resident=resident).exists()


def test_recording_consent_opens_the_file(client_for, cast):
    resident = make_resident(cast.desk)
    url = reverse("intake:consent_record", kwargs={"pk": resident.pk})
    refused = client_for("coach").post(url, {}, follow=True)
    assert refused.redirect_chain == [(resident.get_absolute_url(), 302)]
    assert "Vink het vakje aan als de bewoner akkoord is." in refused.content.decode()
    assert not resident.has_consent()
    agreed = client_for("coach").post(url, {"agreed": "on"}, follow=True)
    assert "De toestemming is vastgelegd." in agreed.content.decode()
    consent = resident.consents.get()
    assert (consent.text_version, consent.recorded_by) == ("2009-01", cast.coach)


def test_a_conversation_in_the_future_is_refused(client_for, cast):
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    data = {
        "conversation-kind": "follow_up",
        **conversation_data(cast.coach, **{"conversation-held_on": tomorrow}),
        **steps_data(),
    }
    response = client_for("coach").post(conversation_url(cast.resident), data)
    assert "toekomst" in response.context["forms"].conversation.errors["held_on"][0]


def test_a_conversation_before_the_registration_is_refused(client_for, cast):
    data = {
        "conversation-kind": "follow_up",
        **conversation_data(cast.coach, **{"conversation-held_on": "2008-12-01"}),
        **steps_data(),
    }
    response = client_for("coach").post(conversation_url(cast.resident), data)
    assert "held_on" in response.context["forms"].conversation.errors


def test_a_coach_of_another_desk_cannot_be_named(client_for, cast):
    data = {
        "conversation-kind": "follow_up",
        **conversation_data(cast.other_coach),
        **steps_data(),
    }
    response = client_for("coach").post(conversation_url(cast.resident), data)
    assert "coach" in response.context["forms"].conversation.errors


def test_marking_a_next_step_done_returns_to_where_it_was_clicked(client_for, cast):
    conversation = make_conversation(
        cast.resident, coach=cast.coach, next_steps=[("Bellen", datetime.date(2009, 3, 1))]
    )
    step = conversation.next_steps.get()
    url = reverse("intake:next_step_done", kwargs={"pk": step.pk})
    response = client_for("coach").post(url, {"next": "/"})
    assert response.url == "/"
    step.refresh_from_db()
    assert step.done_on == datetime.date.today()


def test_marking_done_never_redirects_to_another_site(client_for, cast):
    conversation = make_conversation(
        cast.resident, coach=cast.coach, next_steps=[("Bellen", datetime.date(2009, 3, 1))]
    )
    url = reverse("intake:next_step_done", kwargs={"pk": conversation.next_steps.get().pk})
    response = client_for("coach").post(url, {"next": "https://evil.example/"})
    assert response.url == cast.resident.get_absolute_url()


def test_another_desks_next_step_answers_404(client_for, cast):
    conversation = make_conversation(
        cast.other_resident,
        coach=cast.other_coach,
        next_steps=[("Bellen", datetime.date(2009, 3, 1))],
    )
    url = reverse("intake:next_step_done", kwargs={"pk": conversation.next_steps.get().pk})
    assert client_for("coach").post(url).status_code == 404
    assert conversation.next_steps.get().done_on is None


def post_follow_up(client_for, cast, rows):
    data = {"conversation-kind": "follow_up", **conversation_data(cast.coach), **steps_data(rows)}
    return client_for("coach").post(conversation_url(cast.resident), data)


def test_the_empty_next_step_rows_are_not_marked_required(client_for, cast):
    page = client_for("coach").get(conversation_url(cast.resident)).content.decode()
    step_labels = page[page.index('name="steps-TOTAL_FORMS"') :]
    assert "asteriskField" not in step_labels


def test_a_next_step_row_that_is_used_needs_a_description_a_date_and_who(client_for, cast):
    response = post_follow_up(client_for, cast, [("Offerte opvragen", "", "coach")])
    errors = response.context["forms"].steps.forms[0].errors
    assert errors["due_on"] == ["Dit veld is verplicht."]
    assert not Conversation.objects.filter(resident=cast.resident).exists()


def test_a_next_step_row_with_only_another_owner_gets_messages_not_an_error(client_for, cast):
    response = post_follow_up(client_for, cast, [("", "", "partner")])
    assert response.status_code == 200
    errors = response.context["forms"].steps.forms[0].errors
    assert set(errors) == {"description", "due_on"}
    assert not Conversation.objects.filter(resident=cast.resident).exists()


def test_a_next_step_without_who_does_it_is_refused(client_for, cast):
    response = post_follow_up(client_for, cast, [("Bellen", "2009-03-20", "")])
    assert "owner" in response.context["forms"].steps.forms[0].errors
    assert not NextStep.objects.filter(resident=cast.resident).exists()
