"""A coach registers a resident with their intake conversation in a real browser, then finds
them again by typing the name without accents."""

import os

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COACH = "coach@korrewegwijk.example"
# Set INTAKE_SCREENSHOTS=/some/dir to look at the pages the test passes through.
SCREENSHOTS = os.environ.get("INTAKE_SCREENSHOTS")


def snap(page, name):
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=True)


@pytest.fixture
def demo_desk(db):
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


def fill_registration(page):
    page.get_by_label("Voornaam").fill("Ayşe")
    page.get_by_label("Achternaam").fill("Öztürk")
    page.get_by_label("Telefoon").fill("06-12345678")
    page.get_by_label("E-mailadres").fill("ayse@example.test")
    page.get_by_label("Postcode").fill("9713 ab")
    page.get_by_label("De bewoner heeft de tekst over toestemming gelezen").check()
    page.get_by_label("Geboortedatum").fill("14-06-1985")
    page.get_by_label("Huidige situatie").select_option("benefits_bijstand")
    page.get_by_label("Bedrijfsidee").fill("Een naaiatelier aan huis")
    # As on the demo desk's day, 31-03-2009 (date pickers take ISO dates).
    page.get_by_label("Aangemeld op").fill("2009-03-31")
    page.get_by_label("Datum van het gesprek").fill("2009-03-31")
    page.get_by_label("Aantekeningen").fill("Heeft al klanten in de buurt.")
    page.get_by_label("ondernemingsplan", exact=True).check()
    first_step = page.get_by_role("group", name="Vervolgafspraak 1")
    first_step.get_by_label("Vervolgafspraak").fill("Ondernemingsplan beginnen")
    first_step.get_by_label("Uiterste datum").fill("2009-04-15")


def test_a_coach_registers_a_resident_and_finds_them_without_accents(page, demo_desk):
    log_in(page, COACH, settings.DEMO_PASSWORD)
    page.wait_for_url("**/")
    page.get_by_role("link", name="Bewoners", exact=True).click()
    page.get_by_role("link", name="Nieuwe bewoner").click()
    expect(page.get_by_role("heading", name="Nieuwe bewoner en intakegesprek")).to_be_visible()
    assert axe_violations(page) == []

    # The partner field appears only when a partner referred the resident.
    partner = page.get_by_label("Doorverwijzende partner")
    expect(partner).to_be_hidden()
    page.get_by_label("Ondernemerspunt gevonden via").select_option("partner")
    expect(partner).to_be_visible()
    page.get_by_label("Ondernemerspunt gevonden via").select_option("flyer")

    fill_registration(page)
    snap(page, "intake-new-filled")
    page.get_by_role("button", name="Aanmelden").click()
    snap(page, "intake-after-submit")
    page.get_by_role("heading", name="Ayşe Öztürk").wait_for()
    expect(page.get_by_text("Ayşe Öztürk is aangemeld.")).to_be_visible()
    expect(page.get_by_text("Ondernemingsplan beginnen").first).to_be_visible()
    snap(page, "intake-resident")
    assert axe_violations(page) == []

    page.goto("/bewoners/")
    page.get_by_label("Zoeken").fill("ozturk")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_role("link", name="Öztürk, Ayşe")).to_be_visible()
    expect(page.get_by_role("link", name="Öztürk, Mehmet")).to_be_visible()  # from the demo desk
    expect(page.get_by_role("link", name="de Boer, Saskia")).not_to_be_visible()
    snap(page, "intake-list")
    assert axe_violations(page) == []


def test_bad_input_comes_back_with_dutch_messages_and_keeps_what_was_typed(page, demo_desk):
    log_in(page, COACH, settings.DEMO_PASSWORD)
    page.wait_for_url("**/")
    page.goto("/bewoners/nieuw/")
    fill_registration(page)
    page.get_by_label("Geboortedatum").fill("14-06-1995")
    page.get_by_label("Postcode").fill("97133 AB")
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_text("18 jaar en ouder")).to_be_visible()
    expect(page.get_by_text("geen Nederlandse postcode")).to_be_visible()
    expect(page.get_by_label("Aantekeningen")).to_have_value("Heeft al klanten in de buurt.")
    expect(page.locator("#form-problems")).to_be_focused()
    snap(page, "intake-new-errors")
    assert axe_violations(page) == []


def test_the_registration_form_fits_a_phone(phone_page, demo_desk):
    log_in(phone_page, COACH, settings.DEMO_PASSWORD)
    phone_page.wait_for_url("**/")
    for url in ("/bewoners/nieuw/", "/bewoners/"):
        phone_page.goto(url)
        overflow = phone_page.evaluate(
            "document.documentElement.scrollWidth > document.documentElement.clientWidth"
        )
        snap(phone_page, "phone-" + url.strip("/").replace("/", "-"))
        assert overflow is False, url
    snap(phone_page, "intake-list-phone")


def test_a_coach_records_that_a_resident_dropped_out(page, demo_desk):
    log_in(page, COACH, settings.DEMO_PASSWORD)
    page.wait_for_url("**/")
    snap(page, "home-coach")
    page.goto("/bewoners/?q=dijkstra")
    page.get_by_role("link", name="Dijkstra, Kees").click()
    page.get_by_role("link", name="Fase wijzigen").click()
    reason = page.get_by_label("Reden van stoppen")
    expect(reason).to_be_hidden()
    page.get_by_label("Nieuwe fase").select_option("dropped_out")
    expect(reason).to_be_visible()
    page.get_by_role("button", name="Fase wijzigen").click()
    expect(page.get_by_text("Kies waarom de bewoner is gestopt.").first).to_be_visible()
    page.get_by_label("Reden van stoppen").select_option("found_job")
    page.get_by_label("Toelichting").fill("Vaste baan bij de Gasunie.")
    snap(page, "stage-change")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Fase wijzigen").click()
    expect(page.get_by_text("Kees Dijkstra is nu in de fase 'gestopt'.")).to_be_visible()
    expect(page.get_by_text("reden: werk gevonden · Vaste baan bij de Gasunie.")).to_be_visible()


def test_the_lists_and_the_stage_history_work_on_a_phone(phone_page, demo_desk):
    log_in(phone_page, COACH, settings.DEMO_PASSWORD)
    phone_page.wait_for_url("**/")
    phone_page.goto("/bewoners/?q=dijkstra")
    assert axe_violations(phone_page) == []
    phone_page.get_by_role("link", name="Dijkstra, Kees").click()
    phone_page.get_by_role("link", name="Fase wijzigen").click()
    # The history table scrolls sideways on a phone; it can be reached with the keyboard.
    history = phone_page.get_by_role("region", name="Geschiedenis")
    expect(history).to_have_attribute("tabindex", "0")
    snap(phone_page, "stage-change-phone")
    assert axe_violations(phone_page) == []
