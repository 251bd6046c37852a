"""Info evening registrations as part of a resident's data (issue 14): in her copy, erased with
her file, reduced when she withdraws consent; and the worker's daily erasure of those who never
became a resident, a set time after the evening."""

import datetime
import json

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from intake import erasure
from intake.data_copy import build_copy
from intake.evenings import erase_past_registrations, erased_after
from intake.models import InfoEvening, Registration
from ondernemerspunt import worker
from tests.factories import make_evening, make_registration

EMAIL = "rana@bezoeker.example"


def past_evening(desk, days_ago, **fields) -> InfoEvening:
    """An evening held ``days_ago`` days ago (by the local calendar), at 19:30."""
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(19, 30)))
    return make_evening(
        desk,
        status=InfoEvening.Status.HELD,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        registration_deadline=starts - datetime.timedelta(days=1),
        **fields,
    )


def her_registration(cast, **fields) -> Registration:
    evening = past_evening(cast.desk, 30, title="Zelf een bedrijf beginnen")
    values = {
        "name": "Rana Haddad",
        "email": EMAIL,
        "phone": "0612345678",
        "kind": Registration.Kind.INTERMEDIARY,
        "organisation": "Haddad Advies",
        "organisation_kind": Registration.OrganisationKind.CONSULTANT,
        "role": "adviseur",
        "heard_from": Registration.HeardFrom.FLYER,
        "may_contact": True,
        "attended": True,
        "resident": cast.resident,
        **fields,
    }
    return make_registration(evening, **values)


# --- The copy of her data (AVG art. 15) ------------------------------------------------------
def test_her_copy_lists_her_evening_registrations(cast, client_for):
    registration = her_registration(cast)
    make_registration(registration.evening, name="Iemand anders")  # not hers: not in it
    url = reverse("intake:data_copy_json", kwargs={"pk": cast.resident.pk})
    data = json.loads(client_for("coordinator").get(url).content)
    [listed] = data["evening_registrations"]
    assert listed["evening"] == "Zelf een bedrijf beginnen"
    assert listed["starts_at"].startswith(registration.evening.starts_at.date().isoformat())
    assert (listed["status"], listed["attended"], listed["walk_in"]) == ("registered", True, False)
    assert (listed["name"], listed["email"], listed["phone"]) == (
        "Rana Haddad",
        EMAIL,
        "0612345678",
    )
    assert (listed["organisation"], listed["role"]) == ("Haddad Advies", "adviseur")
    assert (listed["organisation_kind"], listed["heard_from"]) == ("consultant", "flyer")
    assert listed["may_contact"] is True and listed["erased_at"] is None


def test_a_copy_without_registrations_has_an_empty_list(cast):
    assert build_copy(cast.resident)["evening_registrations"] == []


def test_the_pdf_section_shows_the_registration_in_words(cast):
    her_registration(cast)
    data = build_copy(cast.resident)["evening_registrations"]
    with translation.override("en"):
        html = render_to_string("intake/data_copy/evening_registrations.html", {"data": data})
    assert "Zelf een bedrijf beginnen" in html
    assert "consultant or coach" in html  # the kind of organisation by its label
    assert "a flyer or poster" in html
    assert "You came." in html and "Haddad Advies" in html


# --- Erasure and withdrawal -------------------------------------------------------------------
def test_erasing_her_file_blanks_her_registration_and_keeps_the_row(cast):
    registration = her_registration(cast)
    other = make_registration(registration.evening, name="Blijft staan")

    erasure.erase_resident(resident=cast.resident, by=cast.coordinator)

    registration.refresh_from_db()
    assert registration.erased_at is not None
    assert registration.name == registration.email == registration.phone == ""
    assert registration.contact_key == registration.organisation == registration.role == ""
    assert not registration.may_contact
    # What the figures count stays.
    assert registration.attended and registration.kind == Registration.Kind.INTERMEDIARY
    assert registration.organisation_kind == Registration.OrganisationKind.CONSULTANT
    other.refresh_from_db()
    assert other.name == "Blijft staan" and other.erased_at is None
    copy = build_copy(cast.resident)["evening_registrations"]
    assert copy[0]["name"] == "" and copy[0]["erased_at"] is not None


def test_withdrawing_consent_keeps_name_and_contact_only(cast):
    registration = her_registration(cast)

    erasure.withdraw_consent(resident=cast.resident, by=cast.coach)

    registration.refresh_from_db()
    assert (registration.name, registration.email, registration.phone) == (
        "Rana Haddad",
        EMAIL,
        "0612345678",
    )
    assert registration.organisation == registration.role == ""
    assert not registration.may_contact
    assert registration.erased_at is None and registration.resident_id == cast.resident.pk


# --- The daily erasure, through the worker's daily hook --------------------------------------
def test_the_worker_runs_the_erasure_daily():
    assert erase_past_registrations in worker._DAILY


def test_the_daily_run_erases_from_the_keeping_periods_end_and_keeps_residents(cast):
    # The desk has no rule of its own: 90 days (DEFAULT_REGISTRATION_DAYS).
    due = past_evening(cast.desk, 90)
    assert erased_after(due) == timezone.localdate()
    gone = make_registration(due, name="Nooit bewoner geworden", attended=True)
    kept = make_registration(due, name="Wel bewoner", resident=cast.resident, attended=True)
    not_yet = make_registration(past_evening(cast.desk, 89), name="Nog binnen de termijn")

    worker.run_daily()

    gone.refresh_from_db()
    assert gone.erased_at is not None and gone.name == "" and gone.email == ""
    assert gone.attended  # the row stays for the figures
    kept.refresh_from_db()
    assert kept.erased_at is None and kept.name == "Wel bewoner"
    not_yet.refresh_from_db()
    assert not_yet.erased_at is None and not_yet.name == "Nog binnen de termijn"


def test_a_desk_with_a_longer_rule_keeps_them_longer(cast):
    cast.desk.retention_days = 365
    cast.desk.save()
    registration = make_registration(past_evening(cast.desk, 200), name="Nog bewaard")
    worker.run_daily()
    registration.refresh_from_db()
    assert registration.erased_at is None


def test_her_copy_says_nothing_about_coming_before_the_evening(cast):
    coming = make_evening(cast.desk, days_ahead=10, title="Nog te komen")
    make_registration(coming, name="Rana Haddad", resident=cast.resident)
    data = build_copy(cast.resident)["evening_registrations"]
    [listed] = data
    assert listed["took_place"] is False and listed["attended"] is None
    with translation.override("en"):
        html = render_to_string("intake/data_copy/evening_registrations.html", {"data": data})
    assert "Nog te komen" in html
    assert "You did not come." not in html and "You came." not in html


def test_her_copy_says_she_did_not_come_once_the_evening_took_place(cast):
    her_registration(cast, attended=False)
    data = build_copy(cast.resident)["evening_registrations"]
    assert data[0]["took_place"] is True and data[0]["attended"] is False
    with translation.override("en"):
        html = render_to_string("intake/data_copy/evening_registrations.html", {"data": data})
    assert "You did not come." in html


def test_her_copy_says_she_came_once_ticked_even_before_the_start(cast):
    """Ticked at the door on the evening's day, before the start: what is stored is said."""
    now = timezone.now()
    coming = make_evening(
        cast.desk,
        title="Vanavond",
        starts_at=now + datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(hours=3),
        registration_deadline=now - datetime.timedelta(hours=1),
    )
    make_registration(coming, name="Rana Haddad", resident=cast.resident, attended=True)
    data = build_copy(cast.resident)["evening_registrations"]
    [listed] = data
    assert listed["took_place"] is False and listed["attended"] is True
    with translation.override("en"):
        html = render_to_string("intake/data_copy/evening_registrations.html", {"data": data})
    assert "You came." in html
