"""Loans as the lender computes them (coaching/budgets.py): interest month by month on what is
still owed, annuity, linear or repaid at the end, months without repayment at the start, a
plan that starts in September. Every schedule is worked out by hand in the comments, or checked
against the annuity formula computed independently here."""

import datetime
from decimal import Decimal as D

import pytest
from django.urls import reverse

from coaching.budgets import LOANS, financing, loan, loan_schedule, plan_figures
from coaching.models import PlanSection
from coaching.section_forms import FinancingForm
from coaching.selectors import display_value
from tests.factories import make_plan


def annuity_year_interest(principal: float, rate: float, months: int, year: int) -> float:
    """The interest of plan year ``year`` of an annuity, from the closed formulas (no rounding):
    payment A = P r / (1 - (1 + r)^-n); owed after k months P (1 + r)^k - A ((1 + r)^k - 1) / r;
    a year's interest is its twelve payments minus what they repaid."""
    r = rate / 1200
    payment = principal * r / (1 - (1 + r) ** -months)

    def owed(k):
        return principal * (1 + r) ** k - payment * ((1 + r) ** k - 1) / r

    return 12 * payment - (owed(12 * (year - 1)) - owed(12 * year))


# --- Annuity ---------------------------------------------------------------------------------
def test_a_qredits_loan_of_17000_at_9_75_percent_over_60_months_is_an_annuity_of_359_11():
    result = loan("qredits", D("17000.00"), D("9.75"), 60)
    # r = 9,75 / 100 / 12 = 0,008125; 1,008125^60 = 1,625058; 1 - 1 / 1,625058 = 0,384638;
    # 17.000 x 0,008125 = 138,125; 138,125 / 0,384638 = 359,11
    assert result.regular_payment == D("359.11")
    first, second = result.schedule[:2]
    # month 1: interest 17.000 x 0,008125 = 138,125 -> 138,13; repays 359,11 - 138,13 = 220,98
    assert (first.payment, first.interest, first.repayment) == (
        D("359.11"),
        D("138.13"),
        D("220.98"),
    )
    assert first.balance == D("16779.02")
    # month 2: 16.779,02 x 0,008125 = 136,329.. -> 136,33; repays 222,78; owed 16.556,24
    assert (second.interest, second.repayment, second.balance) == (
        D("136.33"),
        D("222.78"),
        D("16556.24"),
    )
    # 59 payments of 359,11; the last one repays exactly what is left: the exact payment is
    # 359,1137, so each month leaves about 0,37 cent unpaid; 60 of them with interest ~ 0,21
    assert {m.payment for m in result.schedule[:-1]} == {D("359.11")}
    assert result.schedule[-1].payment == D("359.32")
    assert result.schedule[-1].balance == D("0.00")
    assert sum(m.repayment for m in result.schedule) == D("17000.00")


def test_the_yearly_interest_of_the_annuity_agrees_with_the_formula():
    result = loan("qredits", D("17000.00"), D("9.75"), 60)
    assert result.interest == (D("1535.73"), D("1252.88"), D("941.22"))
    for year in result.years:
        exact = annuity_year_interest(17000, 9.75, 60, year.year)
        # rounding each month to cents moves a year by a few cents at most
        assert abs(float(year.interest) - exact) < 0.05, year.year
    # Not the old rule: a full year's interest on what was owed at the start of each year
    # (17.000, 13.600 and 10.200 x 9,75%) and equal yearly parts.
    assert result.interest != (D("1657.50"), D("1326.00"), D("994.50"))
    # interest + repayment of a full year = twelve payments
    assert result.interest[0] + result.repayment[0] == 12 * D("359.11")


def test_a_loan_longer_than_three_years_keeps_its_whole_schedule():
    result = loan("qredits", D("17000.00"), D("9.75"), 60)
    assert [year.year for year in result.years] == [1, 2, 3, 4, 5]
    assert [len(year.months) for year in result.years] == [12] * 5
    assert [year.interest for year in result.years][3:] == [D("597.74"), D("219.24")]
    assert result.years[-1].balance == D("0.00")
    assert len(result.interest) == 3  # what the three-year operating budget takes


def test_a_loan_shorter_than_a_year_costs_only_its_months():
    result = loan("bank", D("6000.00"), D("6"), 6)
    # r = 0,005; payment 6.000 x 0,005 / (1 - 1,005^-6) = 30 / 0,029482 = 1.017,57
    #            interest                      repayment   owed
    # month 1    6.000,00 x 0,005 = 30,00        987,57   5.012,43
    # month 2    5.012,43 x 0,005 = 25,06        992,51   4.019,92
    # month 3    4.019,92 x 0,005 = 20,10        997,47   3.022,45
    # month 4    3.022,45 x 0,005 = 15,11      1.002,46   2.019,99
    # month 5    2.019,99 x 0,005 = 10,10      1.007,47   1.012,52
    # month 6    1.012,52 x 0,005 =  5,06      1.012,52       0,00   (payment 1.017,58)
    # interest 30 + 25,06 + 20,10 + 15,11 + 10,10 + 5,06 = 105,43, not 6% of 6.000 = 360
    assert [(m.interest, m.repayment, m.balance) for m in result.schedule] == [
        (D("30.00"), D("987.57"), D("5012.43")),
        (D("25.06"), D("992.51"), D("4019.92")),
        (D("20.10"), D("997.47"), D("3022.45")),
        (D("15.11"), D("1002.46"), D("2019.99")),
        (D("10.10"), D("1007.47"), D("1012.52")),
        (D("5.06"), D("1012.52"), D("0.00")),
    ]
    assert result.schedule[-1].payment == D("1017.58")
    assert result.interest == (D("105.43"), D("0.00"), D("0.00"))
    assert result.repayment == (D("6000.00"), D("0.00"), D("0.00"))
    assert len(result.years) == 1 and len(result.years[0].months) == 6


# --- Linear, bullet, no interest -------------------------------------------------------------
def test_a_linear_loan_repays_the_same_every_month_and_the_interest_falls():
    result = loan("bank", D("12000.00"), D("6"), 24, kind="linear")
    # 12.000 / 24 = 500 a month; interest 0,5% of what is owed: 60,00 in month 1, then 2,50
    # less every month (0,5% of 500): year 1 12 x 60 - 2,50 x (0+1+..+11) = 720 - 165 = 555;
    # year 2 12 x 60 - 2,50 x (12+..+23) = 720 - 525 = 195
    assert {m.repayment for m in result.schedule} == {D("500.00")}
    assert (result.schedule[0].payment, result.schedule[-1].payment) == (D("560.00"), D("502.50"))
    assert result.interest == (D("555.00"), D("195.00"), D("0.00"))
    assert result.repayment == (D("6000.00"), D("6000.00"), D("0.00"))


def test_a_linear_loan_repays_the_odd_cent_in_its_last_month():
    result = loan_schedule(D("1000.00"), D("0"), 3, kind="linear")
    # 1.000 / 3 = 333,33; the last month repays the rest: 1.000 - 2 x 333,33 = 333,34
    assert [m.repayment for m in result] == [D("333.33"), D("333.33"), D("333.34")]


def test_a_loan_repaid_at_the_end_costs_interest_every_month():
    result = loan("family", D("5000.00"), D("6"), 12, kind="bullet")
    # 0,5% of 5.000 = 25,00 a month; all of the 5.000 in month 12
    assert [m.payment for m in result.schedule[:11]] == [D("25.00")] * 11
    last = result.schedule[-1]
    assert (last.interest, last.repayment, last.payment) == (
        D("25.00"),
        D("5000.00"),
        D("5025.00"),
    )
    assert result.interest == (D("300.00"), D("0.00"), D("0.00"))


def test_a_loan_without_interest_is_repaid_in_equal_parts():
    result = loan("family", D("2500.00"), D("0"), 36)
    # 2.500 / 36 = 69,44; 35 x 69,44 = 2.430,40; the last month repays 69,60
    assert result.interest == (D("0.00"),) * 3
    assert result.regular_payment == D("69.44")
    assert result.schedule[-1].repayment == D("69.60")


# --- Months without repayment ----------------------------------------------------------------
def test_months_without_repayment_pay_only_interest_then_the_loan_is_repaid_linearly():
    result = loan("bank", D("12000.00"), D("6"), 18, free_months=6, kind="linear")
    # months 1-6: only interest, 0,5% of 12.000 = 60 each
    assert [(m.interest, m.repayment) for m in result.schedule[:6]] == [(D("60.00"), D("0.00"))] * 6
    # months 7-18: 12.000 / 12 = 1.000 a month; interest 60, 55, 50, ... 5
    assert [m.repayment for m in result.schedule[6:]] == [D("1000.00")] * 12
    assert [m.interest for m in result.schedule[6:9]] == [D("60.00"), D("55.00"), D("50.00")]
    # year 1: 6 x 60 + (60 + 55 + 50 + 45 + 40 + 35) = 360 + 285 = 645, repaid 6 x 1.000
    # year 2: 30 + 25 + 20 + 15 + 10 + 5 = 105, repaid the other 6.000
    assert result.interest == (D("645.00"), D("105.00"), D("0.00"))
    assert result.repayment == (D("6000.00"), D("6000.00"), D("0.00"))


def test_after_the_months_without_repayment_the_annuity_runs_over_the_months_left():
    result = loan("qredits", D("10000.00"), D("12"), 24, free_months=6)
    # months 1-6: 1% of 10.000 = 100 interest only; then an annuity over 24 - 6 = 18 months:
    # 10.000 x 0,01 / (1 - 1,01^-18) = 100 / 0,163983 = 609,82
    assert [m.payment for m in result.schedule[:6]] == [D("100.00")] * 6
    assert result.regular_payment == D("609.82")
    month_7 = result.schedule[6]
    assert (month_7.interest, month_7.repayment) == (D("100.00"), D("509.82"))
    assert result.schedule[-1].balance == D("0.00")
    # year 2 holds annuity months 7-18 of the 18: the formula for an 18-month annuity's months
    # 7-18 is its "year 1" shifted by 6; checked by adding the closed-form months directly
    r, payment = 0.01, 10000 * 0.01 / (1 - 1.01**-18)

    def owed(k):
        return 10000 * (1 + r) ** k - payment * ((1 + r) ** k - 1) / r

    year_2 = 12 * payment - (owed(6) - owed(18))
    assert abs(float(result.interest[1]) - year_2) < 0.05


def test_a_free_period_as_long_as_the_term_is_left_out():
    # The form refuses it; should such data come in anyway, it is not guessed at.
    assert loan_schedule(D("1200.00"), D("0"), 12, free_months=12) == loan_schedule(
        D("1200.00"), D("0"), 12
    )


# --- Old data, missing data ------------------------------------------------------------------
def test_stored_data_without_kind_or_free_months_is_an_annuity_without_free_months():
    old = financing({"qredits_amount": "17000.00", "qredits_rate": "9.75", "qredits_months": 60})
    new = financing(
        {
            "qredits_amount": "17000.00",
            "qredits_rate": "9.75",
            "qredits_months": 60,
            "qredits_kind": "annuity",
            "qredits_free_months": 0,
        }
    )
    assert old.loans[0].schedule == new.loans[0].schedule
    assert old.interest == new.interest == (D("1535.73"), D("1252.88"), D("941.22"))


@pytest.mark.parametrize("months", [0, None, 241])
def test_a_loan_without_a_usable_term_has_no_schedule(months):
    result = financing({"bank_amount": "5000.00", "bank_rate": "8", "bank_months": months})
    assert result.loans[1].schedule == ()
    assert result.interest == (D("0.00"),) * 3


# --- Where the loans go ----------------------------------------------------------------------
SEPTEMBER_PLAN = {
    "business": {"start_date": "2027-09-15"},
    "investment": {"cash": "2000.00"},
    "financing": {
        "qredits_amount": "17000.00",
        "qredits_rate": "9.75",
        "qredits_months": 60,
        "bank_amount": "6000.00",
        "bank_rate": "6.00",
        "bank_months": 6,
    },
    "cashflow": {"receipts_1": "3000.00", "payments_1": "1000.00"},
}


def test_a_plan_starting_in_september_labels_its_months_but_keeps_years_of_twelve_months():
    figures = plan_figures(SEPTEMBER_PLAN)
    assert figures.start == datetime.date(2027, 9, 1)
    qredits = figures.financing.loans[0]
    # month 1 is September 2027, month 4 December, month 5 January 2028, month 13 Sep 2028
    dates = [m.date for m in qredits.schedule]
    assert (dates[0], dates[3], dates[4], dates[12]) == (
        datetime.date(2027, 9, 1),
        datetime.date(2027, 12, 1),
        datetime.date(2028, 1, 1),
        datetime.date(2028, 9, 1),
    )
    # plan year 1 runs from September 2027 to August 2028, not to December 2027
    year_1 = qredits.years[0]
    assert (year_1.first.date, year_1.last.date) == (
        datetime.date(2027, 9, 1),
        datetime.date(2028, 8, 1),
    )
    assert year_1.interest == D("1535.73")  # the same twelve months as without a start date
    assert figures.cashflow.months[0].date == datetime.date(2027, 9, 1)


def test_the_operating_budget_gets_the_yearly_interest_and_the_cashflow_the_monthly_lines():
    figures = plan_figures(SEPTEMBER_PLAN)
    # interest year 1: Qredits 1.535,73 + bank 105,43 = 1.641,16
    assert figures.operating[0].interest == D("1641.16")
    assert figures.operating[1].interest == D("1252.88")
    month_1 = figures.cashflow.months[0]
    # interest 138,13 + 30,00; repayment 220,98 + 987,57
    assert (month_1.interest, month_1.repayment) == (D("168.13"), D("1208.55"))
    # closing = opening + receipts - payments - interest - repayment
    # 2.000 + 3.000 - 1.000 - 168,13 - 1.208,55 = 2.623,32
    assert month_1.closing == D("2623.32")
    # from month 7 on only the Qredits loan: 359,11 a month
    month_7 = figures.cashflow.months[6]
    assert month_7.interest + month_7.repayment == D("359.11")
    assert figures.cashflow.interest == sum(figures.financing.month_interest, D("0"))


# --- Through the browser's forms: bad input, the schedules on screen and on paper ------------
def url(slug="financiering"):
    return reverse("coaching:section_edit", kwargs={"section": slug})


def cell_of(page: str, name: str) -> str:
    """The table cell that holds the field ``name``: its message must be right there."""
    at = page.index(f'name="{name}"')
    return page[page.rindex("<td", 0, at) : page.index("</td>", at)]


GOOD_LOAN = {
    "version": "0",
    "own_funds": "5.000",
    "qredits_amount": "17.000",
    "qredits_rate": "9,75",
    "qredits_months": "60",
    "qredits_free_months": "",
    "qredits_kind": "annuity",
}


@pytest.mark.parametrize(
    ("typed", "field", "message"),
    [
        ({"qredits_months": ""}, "qredits_months", "Vul in in hoeveel maanden je deze lening"),
        ({"qredits_rate": ""}, "qredits_rate", "Is de lening zonder rente? Vul dan 0 in."),
        ({"qredits_months": "0"}, "qredits_months", "Vul een looptijd in van minstens 1 maand."),
        ({"qredits_months": "-5"}, "qredits_months", "Vul een looptijd in van minstens 1 maand."),
        ({"qredits_months": "300"}, "qredits_months", "hoogstens 240 maanden (20 jaar)"),
        ({"qredits_months": "vijf"}, "qredits_months", "als een heel aantal maanden"),
        ({"qredits_rate": "120"}, "qredits_rate", "Vul een rente in van hoogstens 25%."),
        (
            {"qredits_free_months": "60"},
            "qredits_free_months",
            "De maanden zonder aflossing moeten minder zijn dan de looptijd van 60 maanden.",
        ),
        ({"qredits_free_months": "-1"}, "qredits_free_months", "Vul 0 of meer maanden in."),
    ],
)
def test_a_bad_loan_gets_a_message_beside_the_field_and_nothing_typed_is_lost(
    client_for, cast, typed, field, message
):
    response = client_for("resident").post(url(), {**GOOD_LOAN, **typed})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nog niet opgeslagen" in page
    assert message in cell_of(page, field)
    # everything else is still there, as typed
    for name, value in {**GOOD_LOAN, **typed}.items():
        if value and name not in ("version", "qredits_kind"):
            assert f'value="{value}"' in cell_of(page, name), name
    section = PlanSection.objects.get(plan__resident=cast.resident, key="financing")
    assert (section.version, section.data) == (0, {})
    assert section.autosave["qredits_amount"] == "17.000"


def test_a_loan_with_free_months_and_a_kind_is_saved_and_shown_with_its_schedule(client_for, cast):
    client = client_for("resident")
    response = client.post(
        url(), {**GOOD_LOAN, "qredits_free_months": "6", "qredits_kind": "linear"}, follow=True
    )
    page = response.content.decode()
    assert "Opgeslagen." in page
    data = PlanSection.objects.get(plan__resident=cast.resident, key="financing").data
    assert (data["qredits_free_months"], data["qredits_kind"], data["qredits_rate"]) == (
        6,
        "linear",
        "9.75",
    )
    # the rate as typed, the chosen kind selected, the schedule folded away below the form
    assert 'value="9,75"' in page
    assert '<option value="linear" selected>' in page
    assert "Aflossingsschema: Lening van Qredits" in page
    assert "Lening van Qredits, jaar 5" in page
    assert "Totaal jaar 1" in page


def test_an_old_plan_without_kind_shows_annuity_and_saves_unchanged_figures(client_for, cast):
    make_plan(
        cast.resident,
        {"financing": {"qredits_amount": "17000.00", "qredits_rate": "9.75", "qredits_months": 60}},
    )
    page = client_for("resident").get(url()).content.decode()
    assert '<option value="annuity" selected>' in page
    # year 1 interest of the annuity, in the table of interest and repayment
    assert "€\u00a01.535,73" in page


def test_the_print_view_shows_every_schedule_unfolded_with_calendar_months(client_for, cast):
    make_plan(cast.resident, SEPTEMBER_PLAN)
    page = client_for("resident").get(reverse("coaching:own_plan_print")).content.decode()
    assert "9,75%" in page and "9,8%" not in page
    assert page.count('<details class="loan-schedule mb-2" data-loan-schedule=') == 2
    assert 'data-loan-schedule="qredits" open' in page
    # the captions name the plan year's calendar months; the first month is September 2027
    assert "Lening van Qredits, jaar 1 (sep 2027 – aug 2028)" in page
    assert "Lening van de bank, jaar 1 (sep 2027 – feb 2028)" in page
    assert "1 (sep 2027)" in page
    assert "Totaal jaar 5" in page
    # the cash-flow forecast has the loans' lines
    assert "Rente leningen" in page and "Aflossing leningen" in page


def test_the_coach_reads_the_schedule_folded_away(client_for, cast):
    plan = make_plan(cast.resident, SEPTEMBER_PLAN)
    page = client_for("coach").get(reverse("coaching:plan_detail", kwargs={"pk": plan.pk}))
    page = page.content.decode()
    assert 'data-loan-schedule="qredits">' in page  # no "open": the coach unfolds it
    assert "Lening van Qredits: </span>Rente" in page


def test_a_rate_shows_as_it_was_typed():
    field = FinancingForm.base_fields["qredits_rate"]
    assert display_value(field, "9.75") == "9,75%"
    assert display_value(field, "9.00") == "9%"
    assert display_value(field, "7.50") == "7,5%"
    # and in the box, once saved: 9,75 stays 9,75; 9 stays 9 (not 9,00)
    assert field.widget.format_value(D("9.75")) == "9,75"
    assert field.widget.format_value(D("9.00")) == "9"


def test_a_conflict_on_the_financing_part_shows_the_saved_loans_beside_the_typing(client_for, cast):
    make_plan(cast.resident, {"financing": SEPTEMBER_PLAN["financing"]}, version=1)
    response = client_for("resident").post(url(), GOOD_LOAN)  # typed on version 0
    page = response.content.decode()
    assert "ergens anders opgeslagen" in page
    # the saved schedules are shown read-only, apart from the live ones of the form
    assert page.count('id="schedules-heading"') == page.count('id="schedules-heading-live"') == 1
    assert 'value="17.000"' in page


def test_comparing_a_version_from_before_loan_kinds_shows_no_false_change():
    from coaching.selectors import compare_sections

    old = {"financing": {"qredits_amount": "10000.00", "qredits_rate": "9", "qredits_months": 60}}
    new = {"financing": {**old["financing"], **{f"{k}_kind": "annuity" for k in LOANS}}}
    assert compare_sections(old, new) == []
    linear = {"financing": {**new["financing"], "qredits_kind": "linear"}}
    (changes,) = compare_sections(old, linear)
    assert [change.new for change in changes.changes] == ["lineair"]
