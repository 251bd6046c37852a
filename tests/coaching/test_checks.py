"""Every check on the two worked examples (tests/coaching/examples.py), with its figures."""

from decimal import Decimal as D

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
    # lowest net profit is year 1's 22.513,33; the household needs 18.000
    assert result["withdrawals"].figures["lowest_profit"] == D("22513.33")
    assert result["withdrawals"].figures["lowest_year"] == 1
    assert result["withdrawals"].figures["needed"] == D("18000.00")
    # lowest balance 750 in month 2
    assert result["liquidity"].figures["lowest"] == D("750.00")
    assert result["liquidity"].figures["lowest_month"] == 2
    assert result["loan"].figures["requested"] == D("18000.00")


def test_the_bakery_fails_on_profit_and_cash_but_not_on_the_rest():
    result = checks(BAKERY)
    assert result["balance"].status == "ok"
    # 3.702 x 100 = 370.200 = 30 x 12.340: exactly the minimum passes
    assert result["own_funds"].status == "ok"
    assert result["own_funds"].figures["percent"] == D("30.0")
    # net profit year 1 12.680 < 13.200 needed; years 2 and 3 are enough
    assert result["withdrawals"].status == "attention"
    assert result["withdrawals"].figures["short_years"] == [1]
    assert result["withdrawals"].figures["lowest_profit"] == D("12680.00")
    # -300 in month 2
    assert result["liquidity"].status == "attention"
    assert result["liquidity"].figures["first_negative_month"] == 2
    assert result["liquidity"].figures["lowest"] == D("-300.00")
    assert result["loan"].status == "ok"


def test_financing_that_does_not_match_the_investment_gives_the_difference():
    bakery = {**BAKERY, "financing": {**BAKERY["financing"], "own_funds": "3000.00"}}
    result = checks(bakery)["balance"]
    # financing 3.000 + 8.000 + 638 = 11.638; 11.638 - 12.340 = -702
    assert result.status == "attention"
    assert result.figures["difference"] == D("-702.00")


def test_a_cent_less_than_the_minimum_own_funds_is_flagged():
    bakery = {
        **BAKERY,
        "financing": {**BAKERY["financing"], "own_funds": "3701.99", "family_amount": "638.01"},
    }
    result = checks(bakery)["own_funds"]
    # 3.701,99 / 12.340 = 29,9999..%: shows as 30,0% but is below the minimum
    assert result.status == "attention"
    assert result.figures["percent"] == D("30.0")


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
    # today's maximum of 250.000 lets the bakery's 8.000 through
    assert checks(BAKERY, Limits(30, D("250000")))["loan"].status == "ok"


def test_an_empty_plan_has_nothing_to_check_yet():
    assert {check.status for check in checks({}).values()} == {"incomplete"}


def test_checks_wait_for_the_budgets_they_need():
    result = checks({"investment": BAKERY["investment"], "financing": BAKERY["financing"]})
    assert result["balance"].status == "ok"
    assert result["withdrawals"].status == "incomplete"
    assert result["liquidity"].status == "incomplete"
