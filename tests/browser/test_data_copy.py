"""A copy of one's data in a real browser: the resident finds "Mijn gegevens" on her page,
downloads the JSON, asks for the PDF and sees it being made; no accessibility violations."""

import json

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, log_in, resident_with_login
from tests.factories import PASSWORD, make_conversation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_resident_downloads_her_data_from_her_page(phone_page, settings):
    # No worker runs beside the live server: the PDF stays "being made".
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    resident = resident_with_login("gegevens")
    make_conversation(resident, coach=resident.coach, notes="Naaiatelier in de wijk")
    page = phone_page
    log_in(page, "rana@example.test", PASSWORD)
    page.wait_for_url("**/")
    page.locator('#my-data a[href="/mijn-gegevens/"]').click()
    page.wait_for_url("**/mijn-gegevens/")
    assert axe_violations(page) == []
    with page.expect_download() as download_info:
        page.locator("#download-json").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".json")
    data = json.loads(download.path().read_text(encoding="utf-8"))
    assert data["resident"]["first_name"] == "Rana"
    assert data["conversations"][0]["notes"] == "Naaiatelier in de wijk"
    page.locator("#make-copy button").click()
    page.wait_for_url("**/mijn-gegevens/")
    expect(page.locator("[data-refresh]")).to_be_visible()
    assert axe_violations(page) == []
