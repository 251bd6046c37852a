"""A project group member follows the demo desk's progress in a real browser."""

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.browser.conftest import axe_violations, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_desk(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_the_project_group_sees_the_target_bar_and_the_figures(page, demo_desk):
    log_in(page, "projectgroep@korrewegwijk.example", settings.DEMO_PASSWORD)
    page.wait_for_url("**/")
    page.get_by_role("link", name="Voortgangsoverzicht").click()
    page.wait_for_url("**/voortgang/korrewegwijk/2009/")
    page.get_by_label("Peildatum").select_option("2009-03-31")  # month ends only
    page.get_by_role("button", name="Toon").click()
    page.wait_for_url("**as_of=2009-03-31**")
    assert page.get_by_role("heading", name="Voortgang van Ondernemerspunt Korrewegwijk in 2009")
    bar = page.get_by_role("progressbar")
    assert bar.is_visible()
    assert bar.get_attribute("max") == "50"
    assert page.get_by_text("7 van 50 deelnemers").is_visible()
    assert page.get_by_role("img", name="Trechter").is_visible()
    assert page.get_by_role("table", name="Trechter: de cijfers").is_visible()
    assert axe_violations(page) == []


def test_the_dashboard_fits_a_phone(phone_page, demo_desk):
    log_in(phone_page, "coordinator@korrewegwijk.example", settings.DEMO_PASSWORD)
    phone_page.wait_for_url("**/")
    phone_page.goto("/voortgang/korrewegwijk/2009/?as_of=2009-03-31")
    overflow = phone_page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
    assert overflow is False
    assert axe_violations(phone_page) == []
