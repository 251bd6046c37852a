"""The frame in a real browser: what every form page shares."""

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_form_with_required_fields_explains_the_asterisk(page):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    log_in(page, "coach@korrewegwijk.example", settings.DEMO_PASSWORD)
    page.wait_for_url("**/")
    page.goto("/bewoners/nieuw/")
    notes = page.locator("form .required-note")
    assert notes.count() == 1
    assert notes.first.inner_text() == "Velden met * moet je invullen."


def test_a_form_without_required_fields_gets_no_note(page):
    page.goto("/inloggen/")
    assert page.locator("form.language-switch .required-note").count() == 0
    assert page.locator("main form .required-note").count() == 1
