"""The business plan in a real browser, on a phone-sized window: save a part and find it back
after a reload, totals that follow the typing, nothing lost when the page is left, and no
accessibility violations on the plan pages."""

import re
import time

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import expect

from coaching.models import PlanSection
from tests.browser.conftest import axe_violations, log_in, resident_with_login
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def resident():
    return resident_with_login("browser")


def no_sideways_scrolling(page):
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_a_resident_on_a_phone_fills_in_a_part_reloads_and_finds_it_saved(phone_page, resident):
    log_in(phone_page, "rana@example.test", PASSWORD)
    phone_page.wait_for_url("**/")
    phone_page.get_by_role("link", name="Begin aan mijn plan").click()
    phone_page.get_by_role("link", name="De ondernemer").click()
    phone_page.get_by_label("Waarom wil je een eigen bedrijf beginnen?").fill(
        "Ik wil mijn eigen kapsalon in de Korrewegwijk."
    )
    phone_page.get_by_label("Eigen geld dat je in het bedrijf kunt stoppen (€)").fill("2.500")
    phone_page.get_by_role("button", name="Opslaan").click()
    expect(phone_page.get_by_text("Opgeslagen.")).to_be_visible()
    phone_page.reload()
    expect(phone_page.get_by_label("Waarom wil je een eigen bedrijf beginnen?")).to_have_value(
        "Ik wil mijn eigen kapsalon in de Korrewegwijk."
    )
    expect(
        phone_page.get_by_label("Eigen geld dat je in het bedrijf kunt stoppen (€)")
    ).to_have_value("2.500,00")
    assert no_sideways_scrolling(phone_page)
    assert axe_violations(phone_page) == []


def test_a_budget_total_updates_as_you_type(phone_page, resident):
    log_in(phone_page, "rana@example.test", PASSWORD)
    phone_page.wait_for_url("**/")
    phone_page.goto("/mijn-plan/deel/investeringen/")
    total = phone_page.locator('output[data-total="investment.total"]')
    expect(total).to_have_text("€\u00a00,00")
    phone_page.get_by_label("Voorraad").fill("1.250,50")
    phone_page.get_by_label("Liquide middelen (geld op de bank bij de start)").fill("€ 1000")
    expect(total).to_have_text("€\u00a02.250,50")
    # A row of fixed assets: its depreciation per year and the totals follow.
    phone_page.locator('input[name="assets-0-description"]').fill("Kappersstoel")
    phone_page.locator('input[name="assets-0-amount"]').fill("1.000")
    phone_page.locator('input[name="assets-0-years"]').fill("3")
    expect(phone_page.locator("[data-row-depreciation]").first).to_have_text("€\u00a0333,33")
    expect(total).to_have_text("€\u00a03.250,50")
    # The live check: nothing is financed yet, so the financing falls short by all of it.
    difference = phone_page.locator('[data-check-when="balance.financing_lower"]')
    expect(difference).to_have_text(
        re.compile(r"^\s*De financiering is €\u00a03\.250,50 lager dan de investering\.\s*$")
    )
    # Nonsense is marked at once; the server gives the message on saving.
    phone_page.get_by_label("Onvoorzien").fill("veel")
    expect(phone_page.get_by_label("Onvoorzien")).to_have_class(re.compile("is-invalid"))
    expect(total).to_have_text("€\u00a03.250,50")
    phone_page.get_by_role("button", name="Opslaan").click()
    expect(phone_page.get_by_text("Vul een bedrag in cijfers in")).to_be_visible()
    assert phone_page.get_by_label("Onvoorzien").input_value() == "veel"
    assert no_sideways_scrolling(phone_page)
    assert axe_violations(phone_page) == []


def test_rows_can_be_added_up_to_the_maximum(page, resident):
    log_in(page, "rana@example.test", PASSWORD)
    page.wait_for_url("**/")
    page.goto("/mijn-plan/deel/investeringen/")
    add = page.get_by_role("button", name="Regel toevoegen")
    for _ in range(30):
        add.click()
    assert page.locator("tbody[data-rows] tr[data-row]").count() == 25
    assert page.get_by_text("Je kunt maximaal 25 regels invullen").is_visible()


def draft_arrived(resident, text=None, seconds=5):
    """Wait for the draft that sendBeacon sent on leaving the page (it may come in late)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        draft = PlanSection.objects.get(plan__resident=resident, key="entrepreneur").autosave
        if draft and (text is None or draft.get("development_points") == text):
            return
        time.sleep(0.1)
    raise AssertionError("the draft never reached the server")


def test_typing_is_kept_when_the_page_is_left_without_saving(browser, live_server, resident):
    def open_part(context):
        page = context.new_page()
        page.set_default_timeout(10_000)
        log_in(page, "rana@example.test", PASSWORD)
        page.wait_for_url("**/")
        page.goto("/mijn-plan/deel/ondernemer/")
        return page

    first = browser.new_context(base_url=live_server.url)
    page = open_part(first)
    # The copy on this device puts the typing back even when the server never got it.
    page.get_by_label("Wat wil je nog leren?").fill("Boekhouden, nog niet opgeslagen")
    page.goto("/mijn-plan/")
    draft_arrived(resident)  # the draft sent on leaving; then forget it, as if it never came
    PlanSection.objects.filter(plan__resident=resident).update(autosave=None, autosaved_at=None)
    page.goto("/mijn-plan/deel/ondernemer/")
    expect(page.get_by_label("Wat wil je nog leren?")).to_have_value(
        "Boekhouden, nog niet opgeslagen"
    )
    expect(page.get_by_text("wat je op dit apparaat typte")).to_be_visible()
    # Leaving the page sends the typing to the server as a draft.
    page.get_by_label("Wat wil je nog leren?").fill("Boekhouden en belastingen")
    page.goto("/mijn-plan/")
    first.close()
    draft_arrived(resident, "Boekhouden en belastingen")
    stored = PlanSection.objects.get(plan__resident=resident, key="entrepreneur")
    assert stored.autosave["development_points"] == "Boekhouden en belastingen"
    assert stored.data == {}
    # Another browser, the first one closed: the draft is there, not yet saved.
    second = browser.new_context(base_url=live_server.url)
    page = open_part(second)
    expect(page.get_by_label("Wat wil je nog leren?")).to_have_value("Boekhouden en belastingen")
    expect(page.get_by_text("We hebben teruggezet wat je typte op")).to_be_visible()
    second.close()


@pytest.fixture
def demo_desk():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


BUDGET_PAGES = ["investeringen", "financiering", "exploitatie", "liquiditeit", "privebegroting"]


def test_the_browser_computes_the_same_figures_as_the_server(page, demo_desk):
    """plan-budgets.js repeats coaching/budgets.py: on Fatma's plan they must agree."""
    log_in(page, "bewoner@korrewegwijk.example", settings.DEMO_PASSWORD)
    page.wait_for_url("**/")
    for slug in BUDGET_PAGES:
        html = page.request.get(f"/mijn-plan/deel/{slug}/").text()
        server = re.findall(r'<output data-total="([^"]+)"[^>]*>([^<]*)</output>', html)
        page.goto(f"/mijn-plan/deel/{slug}/")
        page.locator("#plan-section input").first.dispatch_event("input")
        for name, value in server:
            assert page.locator(f'output[data-total="{name}"]').text_content() == value, name
        for check in ("balance", "own_funds", "withdrawals", "liquidity", "loan"):
            item = page.locator(f'[data-check="{check}"]')
            assert "check-ok" in item.get_attribute("class"), (slug, check)


@pytest.mark.parametrize(
    "path",
    [
        "/mijn-plan/",
        "/mijn-plan/deel/marketing/",
        "/mijn-plan/deel/exploitatie/",
        "/mijn-plan/deel/liquiditeit/",
        "/mijn-plan/afdrukken/",
    ],
)
def test_the_plan_pages_have_no_accessibility_violations(page, demo_desk, path):
    log_in(page, "bewoner@korrewegwijk.example", settings.DEMO_PASSWORD)
    page.wait_for_url("**/")
    page.goto(path)
    assert axe_violations(page) == []


def test_the_coach_pages_of_a_plan_have_no_accessibility_violations(page, demo_desk):
    log_in(page, "coach@korrewegwijk.example", settings.DEMO_PASSWORD)
    page.wait_for_url("**/")
    page.goto("/plannen/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Fatma Yıldız").click()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Versies vergelijken").click()
    expect(page.get_by_text("van versie 1 naar versie 2")).to_be_visible()
    assert axe_violations(page) == []


OUTSIDE_THE_SCREEN = """() => [...document.querySelectorAll(
    '#plan-section input:not([type=hidden]), #plan-section output, #plan-section button,'
    + ' #plan-section .invalid-feedback')]
  .filter((el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.right > document.documentElement.clientWidth;
  })
  .map((el) => el.name || el.dataset.total || el.textContent.trim())"""


@pytest.mark.parametrize("slug", ["investeringen", "financiering", "liquiditeit"])
def test_every_box_of_a_budget_table_is_in_view_on_a_phone(phone_page, demo_desk, slug):
    """Tables with boxes in several columns become one card per row on a phone: nothing to
    slide sideways for, no box or message hidden off the screen."""
    log_in(phone_page, "bewoner@korrewegwijk.example", settings.DEMO_PASSWORD)
    phone_page.wait_for_url("**/")
    phone_page.goto(f"/mijn-plan/deel/{slug}/")
    assert phone_page.evaluate(OUTSIDE_THE_SCREEN) == []
    assert no_sideways_scrolling(phone_page)
    assert axe_violations(phone_page) == []


def test_a_message_in_the_table_of_fixed_assets_is_in_view_on_a_phone(phone_page, resident):
    log_in(phone_page, "rana@example.test", PASSWORD)
    phone_page.wait_for_url("**/")
    phone_page.goto("/mijn-plan/deel/investeringen/")
    phone_page.get_by_label("Omschrijving").fill("Föhn")
    phone_page.get_by_label("Bedrag (€)").fill("80")
    phone_page.get_by_role("button", name="Opslaan").click()
    message = phone_page.get_by_text("Vul in na hoeveel jaar het versleten is")
    expect(message).to_be_visible()
    assert phone_page.evaluate(OUTSIDE_THE_SCREEN) == []


def test_an_interest_rate_with_a_percent_sign_counts_while_typing(phone_page, resident):
    log_in(phone_page, "rana@example.test", PASSWORD)
    phone_page.wait_for_url("**/")
    phone_page.goto("/mijn-plan/deel/financiering/")
    phone_page.get_by_label("Lening van Qredits", exact=True).fill("10.000")
    rate = phone_page.get_by_label("Lening van Qredits: rente (% per jaar)")
    rate.fill("9%")
    phone_page.get_by_label("Lening van Qredits: looptijd (maanden)").fill("12")
    phone_page.get_by_label("Lening van Qredits: hoe je aflost").select_option("bullet")
    # repaid at the end: 0,75% of 10.000 = 75 interest every month, 900 in the year
    expect(phone_page.locator('output[data-total="financing.interest.0"]')).to_have_text(
        "€\u00a0900,00"
    )
    expect(rate).not_to_have_class(re.compile("is-invalid"))
