"""Editing the file: the rules of registration hold, and two coaches cannot overwrite each
other silently."""

from django.urls import reverse

from intake.models import Resident
from intake.services import StaleEdit, update_resident
from ondernemerspunt.models import AuditEntry, Membership
from tests.factories import make_resident
from tests.intake.form_data import edit_data


def edit_url(resident):
    return reverse("intake:resident_edit", kwargs={"pk": resident.pk})


def test_a_coach_edits_the_file_and_the_version_goes_up(client_for, cast):
    resident = cast.resident
    data = edit_data(resident, postcode="9713ab", phone="0501234567", first_name="Ranaa")
    response = client_for("coach").post(edit_url(resident), data)
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.postcode == "9713 AB"
    assert resident.phone == "050 123 4567"
    assert resident.version == 2
    assert "ranaa" in resident.search_text
    entry = AuditEntry.objects.get(resident_id=resident.pk, action="changed")
    assert "voornaam" in entry.what


def test_the_second_of_two_concurrent_saves_is_refused_and_its_input_shown(client_for, cast):
    resident = cast.resident
    # Both coaches opened the form at version 1.
    first = edit_data(resident, business_idea="Een bakkerij")
    second = edit_data(resident, business_idea="Een fietsenmaker")
    assert client_for("coach").post(edit_url(resident), first).status_code == 302
    response = client_for("coordinator").post(edit_url(resident), second)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Iemand anders heeft dit dossier opgeslagen" in page
    assert 'value="Een fietsenmaker"' in page  # their input is still there
    assert "Een bakkerij" in page  # and what the other coach saved is shown beside it
    resident.refresh_from_db()
    assert resident.business_idea == "Een bakkerij"
    assert resident.version == 2
    # The form now carries the current version: saving again is a deliberate choice.
    assert response.context["form"]["version"].value() == 2


def test_the_service_refuses_a_stale_version(cast):
    resident = cast.resident
    Resident.objects.filter(pk=resident.pk).update(version=5)
    try:
        update_resident(resident=resident, version=4, fields={"sector": "Horeca"}, by=cast.coach)
    except StaleEdit as stale:
        assert stale.current.version == 5
    else:
        raise AssertionError("a stale version was saved")
    resident.refresh_from_db()
    assert resident.sector == ""


def test_bad_input_on_edit_keeps_what_was_typed(client_for, cast):
    data = edit_data(cast.resident, postcode="ABCD 12", languages="Nederlands, Arabisch")
    response = client_for("coach").post(edit_url(cast.resident), data)
    assert response.status_code == 200
    assert "postcode" in response.context["form"].errors
    assert 'value="Nederlands, Arabisch"' in response.content.decode()
    cast.resident.refresh_from_db()
    assert cast.resident.version == 1


def test_the_date_of_birth_is_checked_against_the_registration_day(client_for, cast):
    # cast.resident registered on 15-01-2009
    data = edit_data(cast.resident, date_of_birth="16-01-1991")
    response = client_for("coach").post(edit_url(cast.resident), data)
    assert "18 jaar en ouder" in response.context["form"].errors["date_of_birth"][0]


def test_without_consent_only_contact_details_can_be_edited(client_for, cast):
    resident = make_resident(cast.desk, date_of_birth=None)
    refused = client_for("coach").post(edit_url(resident), edit_data(resident, sector="Horeca"))
    assert "consent" in refused.context["form"].errors
    allowed = client_for("coach").post(edit_url(resident), edit_data(resident, city="Haren"))
    assert allowed.status_code == 302
    resident.refresh_from_db()
    assert (resident.city, resident.sector) == ("Haren", "")


def test_consent_can_be_given_while_editing(client_for, cast):
    resident = make_resident(cast.desk, date_of_birth=None)
    data = edit_data(resident, sector="Horeca", consent="on")
    assert client_for("coach").post(edit_url(resident), data).status_code == 302
    assert resident.has_consent()
    resident.refresh_from_db()
    assert resident.sector == "Horeca"  # what needs consent is saved with it


def test_another_desks_resident_cannot_be_edited(client_for, cast):
    data = edit_data(cast.other_resident, sector="Horeca")
    assert client_for("coach").post(edit_url(cast.other_resident), data).status_code == 404
    cast.other_resident.refresh_from_db()
    assert (cast.other_resident.sector, cast.other_resident.version) == ("", 1)


def test_opening_the_edit_form_is_in_the_audit_trail(client_for, cast):
    client_for("coordinator").get(edit_url(cast.resident))
    entry = AuditEntry.objects.get(resident_id=cast.resident.pk, action="viewed")
    assert entry.actor == cast.coordinator


def test_the_heading_keeps_the_saved_name_while_the_form_shows_the_input(client_for, cast):
    resident = cast.resident
    saved = resident.full_name
    data = edit_data(resident, last_name="Anders", postcode="ABCD 12")
    response = client_for("coach").post(edit_url(resident), data)
    assert response.status_code == 200
    assert response.context["resident"].full_name == saved
    page = response.content.decode()
    assert f"<h1>Dossier van {saved} wijzigen</h1>" in page
    assert 'value="Anders"' in page


def test_after_a_refused_save_the_heading_shows_the_file_as_it_is_now(client_for, cast):
    resident = cast.resident
    first = edit_data(resident, first_name="Eerste")
    second = edit_data(resident, first_name="Tweede")
    client_for("coach").post(edit_url(resident), first)
    response = client_for("coordinator").post(edit_url(resident), second)
    assert response.context["resident"].first_name == "Eerste"
    assert 'value="Tweede"' in response.content.decode()


def test_a_file_whose_coach_was_deactivated_still_saves(client_for, cast):
    """Desk management deactivated her coach; the file keeps him until someone chooses another,
    and a new phone number saves meanwhile."""
    Membership.objects.filter(user=cast.coach, desk=cast.desk).update(is_active=False)
    response = client_for("coordinator").post(
        reverse("intake:resident_edit", kwargs={"pk": cast.resident.pk}),
        edit_data(cast.resident, phone="0687654321"),
    )
    assert response.status_code == 302
    cast.resident.refresh_from_db()
    assert (cast.resident.coach, cast.resident.phone) == (cast.coach, "06 87654321")
