"""A new resident and their intake conversation in one form, in one transaction."""

import datetime
import re

import pytest

from intake.models import Consent, Conversation, NextStep, Resident, StageChange
from ondernemerspunt.models import AuditEntry
from tests.intake.form_data import new_url, registration_data


def post(client_for, cast, role="coach", **overrides):
    return client_for(role).post(new_url(), registration_data(cast, **overrides))


def new_resident():
    return Resident.objects.get(last_name="Öztürk")


def test_it_registers_resident_consent_stages_intake_and_next_steps_at_once(client_for, cast):
    response = post(client_for, cast)
    resident = new_resident()
    assert response.status_code == 302
    assert response.url == resident.get_absolute_url()
    assert resident.desk == cast.desk
    assert resident.stage == "intake"
    consent = Consent.objects.get(resident=resident)
    assert consent.given_on == datetime.date(2009, 3, 2)
    assert consent.text_version == "2009-01"
    history = list(resident.stage_changes.order_by("changed_on", "id"))
    assert [(c.from_stage, c.to_stage) for c in history] == [
        ("", "registered"),
        ("registered", "intake"),
    ]
    assert all(c.changed_by == cast.coach for c in history)
    conversation = Conversation.objects.get(resident=resident)
    assert conversation.kind == "intake"
    assert conversation.support_needs == ["business_plan", "financing"]
    step = NextStep.objects.get(resident=resident)
    assert step.description == "Ondernemingsplan beginnen"
    assert step.due_on == datetime.date(2009, 3, 16)
    assert AuditEntry.objects.filter(resident_id=resident.pk, action="created").exists()


@pytest.mark.parametrize("typed", ["9713 ab", "9713AB", "9713 AB", " 9713ab "])
def test_postcode_is_stored_normalised_and_gives_the_neighbourhood(client_for, cast, typed):
    post(client_for, cast, postcode=typed)
    resident = new_resident()
    assert resident.postcode == "9713 AB"
    assert resident.neighbourhood.name == "Wijk noord"


def test_a_postcode_outside_the_desks_neighbourhoods_has_no_neighbourhood(client_for, cast):
    post(client_for, cast, postcode="1012 AB")
    assert new_resident().neighbourhood is None


def test_phone_and_email_are_normalised_and_searchable(client_for, cast):
    post(client_for, cast, phone="+31 6 1234 5678", email=" Ayse@Example.TEST ")
    resident = new_resident()
    assert resident.phone == "06 12345678"
    assert resident.email == "ayse@example.test"
    assert "ozturk" in resident.search_text
    assert "0612345678" in resident.search_text


def test_only_name_and_contact_may_be_registered_without_consent(client_for, cast):
    data = registration_data(cast, consent=None, with_intake="later", steps=())
    for name in ("date_of_birth", "situation", "business_idea", "sector", "source", "languages"):
        data[name] = ""
    for name in [k for k in data if k.startswith("conversation-")]:
        data.pop(name)
    data.update({"conversation-held_on": "", "conversation-channel": "desk"})
    data["conversation-duration_minutes"] = "60"
    data["conversation-coach"] = str(cast.coach.pk)
    response = client_for("coach").post(new_url(), data)
    assert response.status_code == 302, response.context["forms"].resident.errors
    resident = new_resident()
    assert resident.stage == "registered"
    assert not resident.consents.exists()
    assert resident.conversations.count() == 0
    assert list(resident.stage_changes.values_list("to_stage", flat=True)) == ["registered"]


def test_without_consent_the_rest_of_the_file_is_refused_next_to_the_consent_box(client_for, cast):
    response = post(client_for, cast, consent=None)
    assert response.status_code == 200
    errors = response.context["forms"].resident.errors
    assert "Zonder toestemming" in errors["consent"][0]
    assert not Resident.objects.filter(last_name="Öztürk").exists()
    # What was typed is still in the form.
    assert 'value="Een kapsalon"' in response.content.decode()


def test_without_consent_an_intake_is_refused(client_for, cast):
    data = registration_data(cast, consent=None)
    for name in ("date_of_birth", "situation", "business_idea", "sector", "source", "languages"):
        data[name] = ""
    response = client_for("coach").post(new_url(), data)
    assert "intakegesprek" in response.context["forms"].resident.errors["consent"][0]
    assert not Resident.objects.filter(last_name="Öztürk").exists()


def test_choosing_register_only_but_filling_in_the_intake_is_pointed_out(client_for, cast):
    response = post(client_for, cast, with_intake="later")
    assert "with_intake" in response.context["forms"].resident.errors
    assert not Resident.objects.filter(last_name="Öztürk").exists()


def test_the_registration_form_has_no_bsn_field(client_for, cast):
    page = client_for("coach").get(new_url()).content.decode().lower()
    assert not re.search(r'name="[^"]*(bsn|burgerservice)', page)
    assert not any("bsn" in f.name for f in Resident._meta.get_fields())


def test_the_consent_text_and_its_version_are_shown(client_for, cast):
    page = client_for("coach").get(new_url()).content.decode()
    assert "tekstversie 2009-01" in page


def test_a_source_partner_is_required_when_a_partner_referred(client_for, cast):
    response = post(client_for, cast, source="partner")
    assert "Kies de partner" in response.context["forms"].resident.errors["source_partner"][0]


def test_a_source_partner_is_dropped_when_no_partner_referred(client_for, cast):
    from tests.factories import make_partner

    partner = make_partner(cast.desk, name="UWV")
    post(client_for, cast, source="flyer", source_partner=str(partner.pk))
    assert new_resident().source_partner is None


def test_a_partner_of_another_desk_cannot_be_chosen(client_for, cast):
    from tests.factories import make_partner

    partner = make_partner(cast.other_desk, name="Elders")
    response = post(client_for, cast, source="partner", source_partner=str(partner.pk))
    assert "source_partner" in response.context["forms"].resident.errors


def test_a_coach_cannot_register_at_another_desk(client_for, cast):
    response = post(client_for, cast, role="other_coach")
    assert response.status_code == 200
    assert "desk" in response.context["forms"].resident.errors
    assert not Resident.objects.filter(last_name="Öztürk").exists()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("14-06-1995", "18 jaar en ouder"),  # 13 on the day of registration
        ("03-03-1991", "18 jaar en ouder"),  # turns 18 one day after registration
        ("31-02-1980", "bestaande datum"),
        ("14-06-2030", "na de dag van aanmelding"),
        ("01-01-1850", "te lang geleden"),
        ("gisteren", "bestaande datum"),
    ],
)
def test_a_date_of_birth_that_cannot_be_right_gets_a_dutch_message(
    client_for, cast, typed, message
):
    response = post(client_for, cast, date_of_birth=typed)
    errors = response.context["forms"].resident.errors
    assert message in errors["date_of_birth"][0]
    assert not Resident.objects.filter(last_name="Öztürk").exists()
    assert f'value="{typed}"' in response.content.decode()


def test_someone_who_turns_18_on_the_day_of_registration_may_register(client_for, cast):
    response = post(client_for, cast, date_of_birth="02-03-1991")
    assert response.status_code == 302
    resident = new_resident()
    assert response.url == resident.get_absolute_url()
    assert resident.date_of_birth == datetime.date(1991, 3, 2)


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("postcode", "97133 AB", "geen Nederlandse postcode"),
        ("postcode", "9713 SS", "geen Nederlandse postcode"),
        ("phone", "12345", "geen telefoonnummer"),
        ("phone", "06-123", "geen telefoonnummer"),
        ("email", "ayse@", "e-mailadres"),
        ("first_name", "A" * 81, "niet meer dan 80 tekens"),
    ],
)
def test_malformed_contact_details_get_a_dutch_message(client_for, cast, field, typed, message):
    response = post(client_for, cast, **{field: typed})
    errors = response.context["forms"].resident.errors
    assert message in errors[field][0]
    assert not Resident.objects.filter(last_name="Öztürk").exists()


def test_a_ten_thousand_character_note_is_refused_and_kept(client_for, cast):
    note = "x" * 10_000
    response = post(client_for, cast, **{"conversation-notes": note})
    errors = response.context["forms"].conversation.errors
    assert "niet meer dan 5000 tekens" in errors["notes"][0]
    assert note in response.content.decode()
    assert not Resident.objects.filter(last_name="Öztürk").exists()


def test_a_bsn_in_the_notes_is_refused(client_for, cast):
    response = post(client_for, cast, **{"conversation-notes": "BSN is 111222333"})
    assert "BSN" in response.context["forms"].conversation.errors["notes"][0]
    assert not Resident.objects.filter(last_name="Öztürk").exists()


def test_html_and_script_are_stored_as_text_and_escaped(client_for, cast):
    script = "<script>alert('x')</script>"
    post(client_for, cast, first_name=script, **{"conversation-notes": f"<b>{script}</b>"})
    resident = Resident.objects.get(last_name="Öztürk")
    assert resident.first_name == script
    page = client_for("coach").get(resident.get_absolute_url()).content.decode()
    assert script not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page


def test_an_empty_form_gets_messages_and_stores_nothing(client_for, cast):
    response = client_for("coach").post(new_url(), {})
    assert response.status_code == 200
    forms = response.context["forms"]
    assert "first_name" in forms.resident.errors
    assert "last_name" in forms.resident.errors
    assert "Dit veld is verplicht." in forms.resident.errors["first_name"]
    assert Resident.objects.count() == 2  # the cast's two


def test_a_phone_or_an_email_is_needed(client_for, cast):
    response = post(client_for, cast, phone="", email="")
    assert (
        "telefoonnummer of een e-mailadres" in response.context["forms"].resident.errors["phone"][0]
    )


def test_an_intake_before_the_registration_is_refused(client_for, cast):
    response = post(client_for, cast, **{"conversation-held_on": "2009-03-01"})
    assert "held_on" in response.context["forms"].conversation.errors


def test_a_next_step_due_before_the_conversation_is_refused(client_for, cast):
    response = post(client_for, cast, steps=(("Plan", "2009-02-01", "resident"),))
    step_errors = response.context["forms"].steps.forms[0].errors
    assert "voor het gesprek" in step_errors["due_on"][0]


def test_a_next_step_needs_a_description_and_due_date(client_for, cast):
    response = post(client_for, cast, steps=(("", "2009-04-01", "coach"),))
    assert "description" in response.context["forms"].steps.forms[0].errors


def test_nothing_is_half_saved_when_a_write_fails(client_for, cast, monkeypatch):
    from intake import services

    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(services.NextStep.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        post(client_for, cast)
    assert not Resident.objects.filter(last_name="Öztürk").exists()
    assert StageChange.objects.count() == 0


def test_the_intake_coach_must_work_at_the_chosen_desk(client_for, cast):
    # A coach of two desks is offered the coaches of both; the intake of a resident at one desk
    # must not name a coach who only works at the other (they could not even open the file).
    from ondernemerspunt.models import Membership, Role

    Membership.objects.create(user=cast.coach, desk=cast.other_desk, role=Role.COACH)
    response = post(client_for, cast, **{"conversation-coach": str(cast.other_coach.pk)})
    assert response.status_code == 200
    assert "coach" in response.context["forms"].conversation.errors
    assert not Resident.objects.filter(last_name="Öztürk").exists()
