"""Setting up the second factor in a real browser: scan (here: read the key as text), confirm
with a code, keep the recovery codes, and log in with one later (issue 13)."""

import base64

import pytest
from django_otp.oath import totp

from tests.browser.conftest import axe_violations
from tests.factories import PASSWORD, make_desk, make_member, second_factor_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def password_only(page, email):
    page.goto("/inloggen/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Inloggen").click()


def code_for(secret_text: str) -> str:
    """What an authenticator app computes from the key the page shows."""
    key = base64.b32decode(secret_text.replace(" ", ""))
    return f"{totp(key):06d}"


def submit(page, form_id):
    with page.expect_navigation():
        page.locator(f"#{form_id} [type=submit]").click()


@pytest.fixture
def coach(db):
    return make_member(make_desk("noord"), "coach", email="coach@example.test")


def test_a_coach_sets_up_the_app_keeps_the_codes_and_logs_in_with_one(page, live_server, coach):
    password_only(page, coach.email)
    assert page.url.startswith(live_server.url + "/tweede-stap/instellen/")
    assert page.locator("#main-menu a.nav-link").count() == 0  # nothing else to go to yet
    assert page.locator("#second-factor-qr").evaluate("img => img.naturalWidth") > 0
    code_field = page.locator("#id_token")
    assert code_field.get_attribute("autocomplete") == "one-time-code"
    assert code_field.get_attribute("inputmode") == "numeric"
    assert axe_violations(page) == []

    right = code_for(page.locator("#second-factor-secret").inner_text())
    code_field.fill(f"{(int(right) + 1) % 1_000_000:06d}")
    submit(page, "second-factor-setup-form")
    assert page.locator("#id_token").get_attribute("aria-invalid") == "true"
    assert axe_violations(page) == []  # the message beside the field, too

    # A wrong code slows the next try by a second.
    page.wait_for_timeout(1100)
    page.locator("#id_token").fill(code_for(page.locator("#second-factor-secret").inner_text()))
    submit(page, "second-factor-setup-form")
    assert page.url.startswith(live_server.url + "/tweede-stap/herstelcodes/")
    codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    assert axe_violations(page) == []
    page.emulate_media(media="print")
    assert axe_violations(page) == []
    page.emulate_media(media="screen")
    with page.expect_download() as download:
        page.locator("a[download]").click()
    assert codes[0] in open(download.value.path()).read()  # noqa: SIM115
    submit(page, "recovery-codes-kept-form")
    assert page.url == live_server.url + "/"

    with page.expect_navigation():
        page.locator("form[data-logout] [type=submit]").click()
    password_only(page, coach.email)
    assert page.url.startswith(live_server.url + "/tweede-stap/?next=")
    assert axe_violations(page) == []
    page.locator("details summary").click()
    page.locator("#id_recovery_code").fill(codes[0])
    submit(page, "recovery-code-form")
    assert page.url == live_server.url + "/"


def test_the_code_page_fits_a_phone_and_passes_axe(phone_page, live_server, coach):
    second_factor_for(coach)
    password_only(phone_page, coach.email)
    assert phone_page.url.startswith(live_server.url + "/tweede-stap/")
    overflow = phone_page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
    assert overflow is False
    assert axe_violations(phone_page) == []
