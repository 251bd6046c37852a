"""The figures the browser computes while a resident types (static/js/plan-budgets.js) are the
server's figures (coaching/budgets.py, coaching/checks.py): every total, each loan's interest
and repayment per year, its repayment schedule, the cash-flow lines and the checks, on three
plans, one of them failing checks. And an amount that cannot be read is marked at once."""

import re

import pytest
from playwright.sync_api import expect

from coaching.demo import SALON
from tests.browser.conftest import axe_violations, log_in, resident_with_login
from tests.coaching.examples import BAKERY
from tests.factories import (
    PASSWORD,
    make_plan,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BUDGET_PAGES = ["investeringen", "financiering", "exploitatie", "liquiditeit", "privebegroting"]

# Every loan kind, months without repayment, a loan shorter than a year, one longer than three
# years, a plan that starts in September; the financing is more than the investment and the
# own funds are too little.
LOANS_PLAN = {
    "business": {"start_date": "2027-09-15"},
    "investment": {
        "assets": [{"description": "Bakfiets", "amount": "4200.00", "years": 5}],
        "stock": "1500.00",
        "startup_costs": "900.00",
        "cash": "3000.00",
    },
    "financing": {
        "own_funds": "2000.00",
        "qredits_amount": "17000.00",
        "qredits_rate": "9.75",
        "qredits_months": 60,
        "qredits_kind": "annuity",
        "qredits_free_months": 0,
        "bank_amount": "6000.00",
        "bank_rate": "6.00",
        "bank_months": 6,
        "bank_kind": "linear",
        "family_amount": "2500.00",
        "family_rate": "0.00",
        "family_months": 24,
        "family_kind": "bullet",
        "other_amount": "4000.00",
        "other_rate": "4.50",
        "other_months": 30,
        "other_free_months": 6,
        "other_kind": "annuity",
    },
    "operating": {
        **{f"turnover_{y}": v for y, v in ((1, "52000.00"), (2, "58000.00"), (3, "61000.00"))},
        **{f"purchases_{y}": "15000.00" for y in (1, 2, 3)},
        **{f"rent_{y}": "6000.00" for y in (1, 2, 3)},
        "tax_1": "1500.00",
    },
    "cashflow": {
        **{f"receipts_{m}": "4300.00" for m in range(1, 13)},
        **{f"payments_{m}": "2650.00" for m in range(1, 13)},
    },
    "private_budget": {"housing": "600.00", "living": "700.00", "allowances": "100.00"},
}

PLANS = {"salon": SALON, "bakery": BAKERY, "loans": LOANS_PLAN}

# What a page shows, gathered from a document: the live page, or the server's HTML parsed
# without running its scripts.
COLLECT = """(doc) => {
  const text = (el) => el.textContent.replace(/\\s+/g, " ").trim();
  const form = doc.getElementById("plan-section");
  const all = (root, selector) => Array.from(root.querySelectorAll(selector));
  return {
    outputs: all(form, "output[data-total]").map((o) => [o.dataset.total, text(o)]),
    depreciation: all(form, "[data-row-depreciation]").map(text),
    loanRows: all(form, "[data-loan-row]").map((r) => [r.dataset.loanRow, r.hidden]),
    schedules: all(form, "[data-loan-schedule]").map((d) => [
      d.dataset.loanSchedule, d.hidden, all(d, "caption, th, td").map(text),
    ]),
    scheduleSection: all(form, "[data-loan-schedules]").map((s) => s.hidden),
    checks: all(doc, "[data-check]").map((li) => [
      li.dataset.check, li.className,
      text(li.querySelector("[data-check-status]")),
      li.querySelector("[data-check-needs]").hidden,
      li.querySelector("[data-check-figures]").hidden,
    ]),
    figures: all(doc, "[data-check-figure]").map((s) => [s.dataset.checkFigure, text(s)]),
    whens: all(doc, "[data-check-when]").map((s) => [s.dataset.checkWhen, s.hidden]),
  };
}"""

SERVER = "(html) => (" + COLLECT + ")(new DOMParser().parseFromString(html, 'text/html'))"
LIVE = "() => (" + COLLECT + ")(document)"


@pytest.fixture
def resident():
    return resident_with_login("figures", max_loan_amount=35000)


def server_and_live(page, slug):
    """What the server rendered, and what the page shows once its JavaScript recomputed it."""
    html = page.request.get(f"/mijn-plan/deel/{slug}/").text()
    server = page.evaluate(SERVER, html)
    page.goto(f"/mijn-plan/deel/{slug}/")
    page.locator("#plan-section input:not([type=hidden])").first.dispatch_event("input")
    page.wait_for_timeout(50)  # one animation frame: the render is batched
    return server, page.evaluate(LIVE)


@pytest.mark.parametrize("name", PLANS)
def test_the_browser_computes_the_same_figures_as_the_server(page, resident, name):
    make_plan(resident, PLANS[name])
    log_in(page, "rana@example.test", PASSWORD)
    page.wait_for_url("**/")
    statuses = {}
    for slug in BUDGET_PAGES:
        server, live = server_and_live(page, slug)
        assert server["outputs"], slug
        for part in server:
            assert live[part] == server[part], (name, slug, part)
        statuses = {check[0]: check[1] for check in server["checks"]}
        if slug == "financiering":
            shown = [s for s in server["schedules"] if not s[1]]
            assert shown, name  # every plan has a loan with a schedule to compare
    if name == "salon":
        assert set(statuses.values()) == {"plan-check check-ok"}
    if name == "bakery":
        assert statuses["withdrawals"] == statuses["liquidity"] == "plan-check check-attention"
    if name == "loans":
        assert statuses["balance"] == statuses["own_funds"] == "plan-check check-attention"


def test_the_loans_plan_shows_the_lenders_figures(page, resident):
    make_plan(resident, LOANS_PLAN)
    log_in(page, "rana@example.test", PASSWORD)
    page.wait_for_url("**/")
    page.goto("/mijn-plan/deel/financiering/")

    def shown(name):
        return page.locator(f'output[data-total="{name}"]').text_content()

    # 17.000 at 9,75% over 60 months: 359,11 a month, 1.535,73 interest in year 1
    assert shown("financing.loans.qredits.regular_payment") == "€\u00a0359,11"
    assert shown("financing.loans.qredits.interest.0") == "€\u00a01.535,73"
    # 6.000 over 6 months at 6%, linear: 1.000 a month; 30 + 25 + ... + 5 = 105 interest
    assert shown("financing.loans.bank.interest.0") == "€\u00a0105,00"
    assert shown("financing.loans.bank.interest.1") == "€\u00a00,00"
    # the Qredits schedule runs five years, labelled from September 2027
    page.get_by_text("Aflossingsschema: Lening van Qredits").click()
    qredits = page.locator('[data-loan-schedule="qredits"]')
    expect(qredits.get_by_text("Lening van Qredits, jaar 1 (sep 2027 – aug 2028)")).to_be_visible()
    expect(qredits.get_by_text("Lening van Qredits, jaar 5 (sep 2031 – aug 2032)")).to_be_visible()


def test_what_is_typed_live_is_what_the_server_computes_after_saving(page, resident):
    make_plan(resident, LOANS_PLAN)
    log_in(page, "rana@example.test", PASSWORD)
    page.wait_for_url("**/")
    page.goto("/mijn-plan/deel/financiering/")
    page.get_by_label("Lening van Qredits: looptijd (maanden)").fill("48")
    page.get_by_label("Lening van Qredits: hoe je aflost").select_option("linear")
    page.get_by_label("Lening van Qredits: maanden zonder aflossing aan het begin").fill("3")
    page.get_by_label("Lening van de bank", exact=True).fill("0")
    page.wait_for_timeout(50)
    typed = page.evaluate(LIVE)
    bank_rows = [hidden for key, hidden in typed["loanRows"] if key == "bank"]
    assert bank_rows == [True]  # no amount, no schedule: its rows are hidden
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Opgeslagen.")).to_be_visible()
    server = page.evaluate(SERVER, page.request.get("/mijn-plan/deel/financiering/").text())
    for part in ("outputs", "loanRows", "schedules", "checks", "figures", "whens"):
        assert typed[part] == server[part], part


def cell_of(page, name):
    return page.locator(f'td:has(input[name="{name}"])')


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1,250.00", "Dit bedrag kunnen we niet lezen. Gebruik een komma voor de centen"),
        ("-500", "Vul een bedrag in zonder minteken."),
        ("0,005", "Dit bedrag kunnen we niet lezen. Gebruik een komma voor de centen"),
        ("veel", "Vul een bedrag in cijfers in, bijvoorbeeld 1.250,50."),
    ],
)
def test_an_amount_that_cannot_be_read_is_marked_beside_the_field_at_once(
    phone_page, resident, typed, message
):
    log_in(phone_page, "rana@example.test", PASSWORD)
    phone_page.wait_for_url("**/")
    phone_page.goto("/mijn-plan/deel/investeringen/")
    field = phone_page.get_by_label("Voorraad")
    field.fill(typed)
    feedback = cell_of(phone_page, "stock").locator("[data-live-error]")
    expect(feedback).to_have_text(re.compile(re.escape(message)))
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_attribute("aria-describedby", re.compile("id_stock_live_error"))
    # Put right: the mark goes at once.
    field.fill("1.250,00")
    expect(feedback).to_have_count(0)
    expect(field).not_to_have_attribute("aria-invalid", "true")
    # Saved anyway: the server says the same, once, in the same place.
    field.fill(typed)
    phone_page.get_by_role("button", name="Opslaan").click()
    expect(phone_page.locator("#form-problems")).to_contain_text("Nog niet opgeslagen")
    expect(cell_of(phone_page, "stock").get_by_text(re.compile(re.escape(message)))).to_have_count(
        1
    )
    assert field.input_value() == typed


def test_a_rate_and_an_amount_in_a_text_part_are_marked_too(page, resident):
    log_in(page, "rana@example.test", PASSWORD)
    page.wait_for_url("**/")
    page.goto("/mijn-plan/deel/financiering/")
    rate = page.get_by_label("Lening van Qredits: rente (% per jaar)")
    rate.fill("30%")
    expect(cell_of(page, "qredits_rate").locator("[data-live-error]")).to_have_text(
        "Vul een rente in van hoogstens 25%."
    )
    rate.fill("9,75%")
    expect(cell_of(page, "qredits_rate").locator("[data-live-error]")).to_have_count(0)
    page.goto("/mijn-plan/deel/ondernemer/")
    own = page.get_by_label("Eigen geld dat je in het bedrijf kunt stoppen (€)")
    own.fill("-500")
    expect(page.get_by_text("Vul een bedrag in zonder minteken.")).to_be_visible()
    expect(own).to_have_attribute("aria-invalid", "true")


def test_the_schedules_are_accessible_on_a_phone_and_in_the_print_view(phone_page, resident):
    make_plan(resident, LOANS_PLAN)
    log_in(phone_page, "rana@example.test", PASSWORD)
    phone_page.wait_for_url("**/")
    phone_page.goto("/mijn-plan/deel/financiering/")
    for summary in phone_page.locator("[data-loan-schedule] summary").all():
        summary.click()
    expect(phone_page.locator("table.schedule-table").first).to_be_visible()
    assert phone_page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    assert axe_violations(phone_page) == []
    phone_page.goto("/mijn-plan/afdrukken/")
    expect(
        phone_page.get_by_text("Lening van Qredits, jaar 5 (sep 2031 – aug 2032)")
    ).to_be_visible()
    assert axe_violations(phone_page) == []
