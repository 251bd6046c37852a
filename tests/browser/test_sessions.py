"""Shared computers in a real browser (issue 13): logging out leaves no plan text in the browser;
shortly before an idle session ends the page warns and offers to stay logged in; when it ends,
the typing waits on this computer for the same resident to log in again."""

import re

import pytest
from playwright.sync_api import expect

from coaching.models import PlanSection
from tests.browser.conftest import log_in, resident_with_login
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PART = "/mijn-plan/deel/ondernemer/"
LEARN = "Wat wil je nog leren?"
DRAFTS = "Object.keys(localStorage).filter((key) => key.startsWith('ondernemerspunt'))"


@pytest.fixture
def resident():
    return resident_with_login("sessies")


def open_part(page):
    log_in(page, "rana@example.test", PASSWORD)
    page.wait_for_url("**/")
    page.goto(PART)


def test_logging_out_leaves_no_draft_in_the_browser(page, resident):
    open_part(page)
    page.get_by_label(LEARN).fill("Boekhouden; mijn privébudget is krap")
    assert page.evaluate(DRAFTS) != []  # kept on this device while typing
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url("**/inloggen/**")
    assert page.evaluate(DRAFTS) == []
    # Nothing typed is lost: the typing went to the server before the logout.
    draft = PlanSection.objects.get(plan__resident=resident, key="entrepreneur").autosave
    assert draft["development_points"] == "Boekhouden; mijn privébudget is krap"


def test_typing_the_server_never_got_stays_for_this_user_after_logging_out(page, resident):
    open_part(page)
    page.route("**/concept/", lambda route: route.abort())  # the autosave cannot get through
    page.get_by_label(LEARN).fill("Nog niet bewaard op de server")
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url("**/inloggen/**")
    # Not lost: kept on this device, under this user's prefix, until she logs in again.
    assert page.evaluate(DRAFTS) != []
    assert PlanSection.objects.get(plan__resident=resident, key="entrepreneur").autosave is None


def test_a_warning_comes_before_the_session_ends_and_the_typing_waits(page, resident, settings):
    # Seconds instead of minutes, so the test is quick.
    settings.SESSION_IDLE_SECONDS_RESIDENT = 8
    settings.SESSION_IDLE_WARNING_SECONDS = 5
    open_part(page)
    warning = page.locator("#session-warning")
    expect(warning).to_be_hidden()
    expect(warning).to_be_visible(timeout=6_000)
    expect(warning.locator("[data-session-end]")).to_have_text(re.compile(r"^\d\d:\d\d$"))
    # Staying logged in hides the warning and gives the full time again.
    warning.get_by_role("button").click()
    expect(warning).to_be_hidden()
    page.get_by_label(LEARN).fill("Nog niet naar de server gestuurd")
    expect(warning).to_be_visible(timeout=6_000)
    # Nobody answers: the page goes to the login page, and the plan is off the screen.
    page.wait_for_url("**/inloggen/**", timeout=10_000)
    assert page.evaluate(DRAFTS) != []
    # The same resident logs in again, is sent back to the part and finds the typing there.
    page.get_by_label("E-mailadres").fill("rana@example.test")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**" + PART)
    expect(page.get_by_label(LEARN)).to_have_value("Nog niet naar de server gestuurd")
