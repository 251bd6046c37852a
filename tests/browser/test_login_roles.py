"""Each demo role logs in through a real browser and lands on their own home page."""

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.browser.conftest import axe_violations, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOME_HEADINGS = {
    "coordinator@korrewegwijk.example": "Coördinator van Ondernemerspunt Korrewegwijk",
    "coach@korrewegwijk.example": "Coach bij Ondernemerspunt Korrewegwijk",
    "projectgroep@korrewegwijk.example": "Projectgroep van Ondernemerspunt Korrewegwijk",
    "kvk@korrewegwijk.example": "KvK Noord-Nederland bij Ondernemerspunt Korrewegwijk",
    "bewoner@korrewegwijk.example": "Hallo Fatma",
}


@pytest.fixture
def demo_desk(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.mark.parametrize("email", list(HOME_HEADINGS))
def test_demo_role_logs_in_and_lands_on_home(page, demo_desk, email):
    log_in(page, email, settings.DEMO_PASSWORD)
    page.wait_for_url("**/")
    assert page.get_by_role("heading", name=HOME_HEADINGS[email]).is_visible()
    assert page.locator("html").get_attribute("lang") == "nl"
    assert axe_violations(page) == []


def test_wrong_password_shows_a_dutch_message_and_keeps_the_address(page, demo_desk):
    log_in(page, "coach@korrewegwijk.example", "niet-het-wachtwoord")
    assert page.get_by_text("komen niet overeen met een actief account").is_visible()
    assert page.get_by_label("E-mailadres").input_value() == "coach@korrewegwijk.example"


def test_login_page_is_accessible_and_fits_a_phone(phone_page):
    phone_page.goto("/inloggen/")
    assert phone_page.get_by_role("heading", name="Inloggen").is_visible()
    overflow = phone_page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
    assert overflow is False
    assert axe_violations(phone_page) == []


def test_keyboard_user_reaches_the_skip_link_first(page):
    page.goto("/inloggen/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Naar de inhoud"
