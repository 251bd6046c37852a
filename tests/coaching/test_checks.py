"""Every check on the two worked examples (tests/coaching/examples.py), with its figures."""

import re
from decimal import Decimal as D

from django.template.loader import render_to_string
from django.utils import translation

from coaching.budgets import plan_figures
from coaching.checks import Limits, plan_checks
from tests.coaching.examples import BAKERY, SALON

LIMITS_2009 = Limits(min_own_funds_percent=30, max_loan_amount=D("35000"))


def checks(sections, limits=LIMITS_2009):
    return {check.key: check for check in plan_checks(plan_figures(sections), limits)}


def test_the_salon_passes_every_check_in_2009():
    result = checks(SALON)
    assert {key: check.status for key, check in result.items()} == dict.fromkeys(result, "ok")
    # investment 30.000 = financing 30.000
    assert result["balance"].figures["difference"] == D("0.00")
    # 9.500 / 30.000 = 31,666..% -> 31,7%
    assert result["own_funds"].figures["percent"] == D("31.7")
    # year 1: net profit 21.134,44 + depreciation 4.266,67 = 25.401,11 available; repayments
    # 3.818,19 + household 18.000 = 21.818,19 needed; 3.582,92 left over
    year_1 = result["withdrawals"].figures["years"][0]
    assert (year_1["available"], year_1["needed"]) == (D("25401.11"), D("21818.19"))
    assert (year_1["spare"], year_1["short"], year_1["enough"]) == (D("3582.92"), D("0.00"), True)
    assert result["withdrawals"].figures["short_years"] == []
    # lowest balance 763,82 in month 2
    assert result["liquidity"].figures["lowest"] == D("763.82")
    assert result["liquidity"].figures["lowest_month"] == 2
    assert result["liquidity"].figures["shortfall"] == D("0.00")
    assert result["loan"].figures["requested"] == D("18000.00")


def test_the_bakery_fails_on_profit_and_cash_but_not_on_the_rest():
    result = checks(BAKERY)
    assert result["balance"].status == "ok"
    # 3.702 x 100 = 370.200 = 30 x 12.340: exactly the minimum passes
    assert result["own_funds"].status == "ok"
    assert result["own_funds"].figures["percent"] == D("30.0")
    # year 1: net profit 12.250,58 + depreciation 1.800 = 14.050,58, but the repayments
    # 1.739,54 + the household 13.200 = 14.939,54: the profit is 888,96 short.
    # year 2: 15.513,80 + 1.800 = 17.313,80 against 1.902,76 + 13.200 = 15.102,76: enough
    withdrawals = result["withdrawals"]
    assert withdrawals.status == "attention"
    assert withdrawals.figures["short_years"] == [1]
    year_1, year_2, _year_3 = withdrawals.figures["years"]
    assert (year_1["available"], year_1["needed"]) == (D("14050.58"), D("14939.54"))
    assert (year_1["short"], year_1["enough"]) == (D("888.96"), False)
    assert (year_2["spare"], year_2["enough"]) == (D("2211.04"), True)
    assert (withdrawals.figures["worst_year"], withdrawals.figures["worst_short"]) == (
        1,
        D("888.96"),
    )
    # -298,16 in month 2
    assert result["liquidity"].status == "attention"
    assert result["liquidity"].figures["first_negative_month"] == 2
    assert result["liquidity"].figures["lowest"] == D("-298.16")
    assert result["liquidity"].figures["shortfall"] == D("298.16")
    assert result["loan"].status == "ok"


def test_financing_that_does_not_match_the_investment_gives_the_difference():
    bakery = {**BAKERY, "financing": {**BAKERY["financing"], "own_funds": "3000.00"}}
    result = checks(bakery)["balance"]
    # financing 3.000 + 8.000 + 638 = 11.638; 11.638 - 12.340 = -702: the financing is 702
    # lower than the investment
    assert result.status == "attention"
    assert result.figures["difference"] == D("-702.00")
    assert result.figures["gap"] == D("702.00")
    assert (result.figures["financing_lower"], result.figures["financing_higher"]) == (True, False)


def test_a_cent_less_than_the_minimum_own_funds_is_flagged():
    bakery = {
        **BAKERY,
        "financing": {**BAKERY["financing"], "own_funds": "3701.99", "family_amount": "638.01"},
    }
    result = checks(bakery)["own_funds"]
    # 3.701,99 / 12.340 = 29,9999..%: shows as 30,0% but is below the minimum; 30% of
    # 12.340 is 3.702, so the own funds are 0,01 short
    assert result.status == "attention"
    assert result.figures["percent"] == D("30.0")
    assert result.figures["short"] == D("0.01")


def test_a_desk_asking_more_own_funds_flags_the_salon():
    result = checks(SALON, Limits(min_own_funds_percent=35, max_loan_amount=D("35000")))
    assert result["own_funds"].status == "attention"
    assert result["own_funds"].figures["minimum"] == 35


def test_a_loan_above_the_desk_maximum_is_flagged_with_both_amounts():
    result = checks(SALON, Limits(min_own_funds_percent=30, max_loan_amount=D("15000")))["loan"]
    assert result.status == "attention"
    assert (result.figures["requested"], result.figures["maximum"]) == (
        D("18000.00"),
        D("15000"),
    )
    assert result.figures["over"] == D("3000.00")
    # today's maximum of 250.000 lets the bakery's 8.000 through
    assert checks(BAKERY, Limits(30, D("250000")))["loan"].status == "ok"


def test_an_empty_plan_has_nothing_to_check_yet():
    assert {check.status for check in checks({}).values()} == {"incomplete"}


def test_checks_wait_for_the_budgets_they_need():
    result = checks({"investment": BAKERY["investment"], "financing": BAKERY["financing"]})
    assert result["balance"].status == "ok"
    assert result["withdrawals"].status == "incomplete"
    assert result["liquidity"].status == "incomplete"


def test_repayments_can_make_a_profitable_year_fall_short():
    """Net profit + depreciation 14.050,58 covers the household's 13.200, but not with the
    repayments on top: without the Qredits loan's repayments year 1 would pass."""
    without_repayment = {
        **BAKERY,
        "financing": {**BAKERY["financing"], "qredits_rate": "0.00", "qredits_months": 240},
    }
    # 8.000 over 240 months at 0%: 33,33 a month, 399,96 a year; no interest, so the net
    # profit of year 1 rises by 649,42 to 12.900,00 and 12.900 + 1.800 = 14.700 >= 399,96 +
    # 13.200 = 13.599,96
    year_1 = checks(without_repayment)["withdrawals"].figures["years"][0]
    assert (year_1["available"], year_1["needed"]) == (D("14700.00"), D("13599.96"))
    assert year_1["enough"]
    assert checks(BAKERY)["withdrawals"].figures["years"][0]["enough"] is False


def test_a_financing_above_the_investment_is_said_to_be_higher():
    bakery = {**BAKERY, "financing": {**BAKERY["financing"], "own_funds": "4452.00"}}
    result = checks(bakery)["balance"]
    # 4.452 + 8.000 + 638 = 13.090: 750 more than the investment of 12.340
    assert result.figures["gap"] == D("750.00")
    assert (result.figures["financing_lower"], result.figures["financing_higher"]) == (False, True)


def words(sections, limits=LIMITS_2009, template="coaching/_checks.html"):
    """The checks as a resident reads them, in Dutch, without the markup."""
    results = plan_checks(plan_figures(sections), limits)
    with translation.override("nl"):
        if template == "coaching/_check_status.html":
            html = " | ".join(render_to_string(template, {"check": check}) for check in results)
        else:
            html = render_to_string(template, {"checks": results})
    # (hidden parts keep their text: ``shown`` says which of them the reader sees)
    text = re.sub(r"<[^>]+>", "", html)
    return re.sub(r"\s+", " ", text).strip(), html


def shown(html, when):
    """Whether the part marked data-check-when=``when`` is shown (not hidden)."""
    return re.search(rf'data-check-when="{re.escape(when)}"(?! hidden)', html) is not None


def test_differences_say_in_words_which_side_is_short():
    bakery = {**BAKERY, "financing": {**BAKERY["financing"], "own_funds": "3000.00"}}
    text, html = words(bakery)
    assert "De financiering is € 702,00 lager dan de investering." in text
    assert shown(html, "balance.financing_lower") and not shown(html, "balance.financing_higher")
    # own funds 3.000 of 11.638 financing; 30% of it is 3.491,40: 491,40 short
    assert "Je eigen inbreng is € 491,40 lager dan 30% van de financiering." in text
    higher = {**BAKERY, "financing": {**BAKERY["financing"], "own_funds": "4452.00"}}
    text, html = words(higher)
    assert "De financiering is € 750,00 hoger dan de investering." in text
    assert shown(html, "balance.financing_higher") and not shown(html, "balance.financing_lower")


def test_the_profit_check_says_per_year_which_side_falls_short_and_by_how_much():
    text, html = words(BAKERY)
    assert "Winst dekt de aflossing en de privéonttrekkingen" in text
    assert (
        "Jaar 1: nettowinst + afschrijving € 14.050,58; aflossing + privéonttrekkingen "
        "€ 14.939,54." in text
    )
    assert "De winst is € 888,96 te laag." in text
    assert shown(html, "withdrawals.years.0.short")
    assert not shown(html, "withdrawals.years.0.enough")
    # year 2 has room to spare
    assert "Er blijft € 2.211,04 over." in text
    assert shown(html, "withdrawals.years.1.enough")
    assert not shown(html, "withdrawals.years.1.short")
    # the cash: 298,16 short in month 2
    assert "In maand 2 kom je € 298,16 tekort." in text


def test_a_loan_above_the_maximum_says_by_how_much():
    text, _html = words(SALON, Limits(min_own_funds_percent=30, max_loan_amount=D("15000")))
    assert "De lening is € 3.000,00 hoger dan het maximum." in text


def test_the_short_status_line_says_which_side_is_short():
    bakery = {**BAKERY, "financing": {**BAKERY["financing"], "own_funds": "3000.00"}}
    text, _html = words(bakery, template="coaching/_check_status.html")
    assert "(financiering € 702,00 lager dan de investering)" in text
    assert "(winst € 888,96 te laag in jaar 1)" in text
    assert "(€ 298,16 tekort in maand 2)" in text
    text, _html = words(SALON, template="coaching/_check_status.html")
    assert "lager" not in text and "tekort" not in text
