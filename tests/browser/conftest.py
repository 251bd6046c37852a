"""Playwright driving a real Chromium: Debian's /usr/bin/chromium, or one Playwright installed.

On CI (CI=true) a missing browser fails the run; on a developer's machine without one the
browser tests are skipped with a message that says how to get one.
"""

import json
import os
import shutil
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM would refuse to run
# next to it. The test code itself is synchronous, so the guard does not apply here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()

# Flags that keep Chromium off the network (this machine has none) and work as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_executable() -> str | None:
    for candidate in (
        os.environ.get("CHROMIUM_PATH"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    return None  # let Playwright try the browser it installed itself


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import Error, sync_playwright

    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(
                executable_path=chromium_executable(), args=CHROMIUM_ARGS, headless=True
            )
        except Error as error:
            message = (
                f"No Chromium for the browser tests ({error.message.splitlines()[0]}). "
                "Install Debian's package: apt-get install chromium"
            )
            if os.environ.get("CI"):
                pytest.fail(message)
            pytest.skip(message)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    """A phone-sized window (360 px wide), as many residents use."""
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def axe_violations(page) -> list[dict]:
    """Run axe-core (WCAG 2.1 A and AA rules) on the page; return the violations found.

    Evaluated through the DevTools protocol, so the page's CSP (no inline script) stays on.
    Only the violations are listed node by node: listing every passing node too costs a third of
    the time, which adds up over the accessibility crawl.
    """
    page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        "async () => JSON.stringify(await axe.run(document, {runOnly: {type: 'tag', values:"
        " ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']}))"
    )
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in json.loads(result)["violations"]
    ]


def log_in(page, email, password):
    """Log in as a person does: the password, then (staff) the code their app shows now.

    Staff made by the tests get an app with the tests' secret, the demo staff have the demo
    secret that seed_demo gives them; the code is computed from it as the phone would.
    """
    device = _app_of(email)
    page.goto("/inloggen/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Inloggen").click()
    if device is not None and urlsplit(page.url).path == "/tweede-stap/":
        page.locator("#id_token").fill(_code_not_used_before(device))
        with page.expect_navigation():
            page.locator("#second-factor-form [type=submit]").click()


def _app_of(email):
    from ondernemerspunt.models import User
    from ondernemerspunt.second_factor import needs_second_factor
    from tests.factories import second_factor_for

    user = User.objects.filter(email=email).first()
    return second_factor_for(user) if user and needs_second_factor(user) else None


def _code_not_used_before(device) -> str:
    """The current code; if this app's current code was used already (two logins within one
    30-second step), the next one: a code works only once."""
    from django_otp.oath import TOTP

    from tests.factories import current_code

    device.refresh_from_db()
    while TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).t() <= (
        device.last_t
    ):
        time.sleep(0.5)
    return current_code(device)


def resident_with_login(slug: str, **desk_fields):
    """Rana, a resident with a login (rana@example.test), at a desk of her own with a coach."""
    from tests.factories import make_desk, make_member, make_resident, make_user

    desk = make_desk(slug, name=f"Ondernemerspunt {slug.title()}", **desk_fields)
    coach = make_member(desk, "coach", full_name="Cees Coach")
    user = make_user("Rana Bewoner", email="rana@example.test")
    return make_resident(
        desk, user=user, coach=coach, consent_by=coach, first_name="Rana", last_name="Bewoner"
    )
