"""The five budgets' totals on two worked examples, every number computed by hand.

The loans' own schedules are worked out month by month in tests/coaching/test_loans.py; here
their yearly and monthly sums flow into the operating budget and the cash-flow forecast."""

from decimal import Decimal as D

from coaching.budgets import cashflow, financing, investment, loan, plan_figures, private_budget
from tests.coaching.examples import BAKERY, SALON


def test_bakery_investment_budget():
    result = investment(BAKERY["investment"])
    # fixed assets: oven 6.000 + counter 2.400 = 8.400
    assert result.fixed_assets == D("8400.00")
    # total: 8.400 + stock 800 + start-up 500 + VAT 1.140 + contingency 500 + cash 1.000
    assert result.total == D("12340.00")
    # depreciation: 6.000 / 5 = 1.200 and 2.400 / 4 = 600, both still running in year 3
    assert [a.depreciation for a in result.assets] == [D("1200.00"), D("600.00")]
    assert result.depreciation == (D("1800.00"), D("1800.00"), D("1800.00"))


def test_bakery_financing_budget():
    result = financing(BAKERY["financing"])
    # total: own 3.702 + Qredits 8.000 + family 638 + supplier credit 0 = 12.340
    assert result.total == D("12340.00")
    assert result.loans_total == D("8638.00")
    assert result.qredits == D("8000.00")
    # Qredits 8.000 at 9% over 48 months, an annuity: r = 0,0075 a month, payment
    # 8.000 x 0,0075 / (1 - 1,0075^-48) = 60 / 0,301386 = 199,08. Month 1: interest
    # 8.000 x 0,0075 = 60,00, repayment 139,08; month 2: 7.860,92 x 0,0075 = 58,96, repayment
    # 140,12. The years add up their months (interest 649,42 + repayment 1.739,54 =
    # 12 x 199,08 = 2.388,96). (The old rule, a full year's interest on the balance at the
    # start of each year and equal yearly parts, gave 720 / 540 / 360 and 2.000 a year.)
    # The family loan has no interest and no term: nothing paid yet.
    assert result.loans[0].regular_payment == D("199.08")
    assert result.month_interest[:2] == (D("60.00"), D("58.96"))
    assert result.month_repayment[:2] == (D("139.08"), D("140.12"))
    assert result.interest[0] + result.repayment[0] == 12 * D("199.08")
    assert result.interest == (D("649.42"), D("486.20"), D("307.72"))
    assert result.repayment == (D("1739.54"), D("1902.76"), D("2081.24"))
    assert result.loans[2].schedule == ()


def test_bakery_operating_budget():
    years = plan_figures(BAKERY).operating
    # Year 1: gross margin 36.000 - 10.800 = 25.200
    # costs 4.800 + 600 + 900 + 700 + start-up costs 500 (from the investment budget) +
    # depreciation 1.800 + interest 649,42 + 2.000 = 11.949,42
    # result 25.200 - 11.949,42 = 13.250,58; tax 1.000; net 12.250,58
    assert years[0].gross_margin == D("25200.00")
    assert years[0].startup_costs == D("500.00")
    assert years[0].costs == D("11949.42")
    assert years[0].result_before_tax == D("13250.58")
    assert years[0].net_profit == D("12250.58")
    # Year 2: 40.000 - 12.000 = 28.000; costs 4.800+600+600+700+1.800+486,20+2.000 =
    # 10.986,20 (no start-up costs after year 1); result 17.013,80; net - 1.500 = 15.513,80
    assert years[1].startup_costs == D("0.00")
    assert (years[1].gross_margin, years[1].costs) == (D("28000.00"), D("10986.20"))
    assert years[1].net_profit == D("15513.80")
    # Year 3: 44.000 - 13.200 = 30.800; costs 4.800+600+600+700+1.800+307,72+2.000 =
    # 10.807,72; result 19.992,28; net 19.992,28 - 2.000 = 17.992,28
    assert (years[2].gross_margin, years[2].costs) == (D("30800.00"), D("10807.72"))
    assert years[2].net_profit == D("17992.28")


def test_bakery_cashflow_forecast():
    result = plan_figures(BAKERY).cashflow
    closing = [month.closing for month in result.months]
    # The Qredits loan costs 199,08 every month (interest + repayment, see the financing test).
    # 1.000 + 2.500 - 2.800 - 199,08 = 500,92; 500,92 + 2.000 - 2.600 - 199,08 = -298,16;
    # -298,16 + 3.000 - 2.300 - 199,08 = 202,76; then +200,92 a month (3.000 - 2.600 - 199,08)
    # for months 4 to 12: 403,68, ..., 202,76 + 9 x 200,92 = 2.011,04
    assert closing[:3] == [D("500.92"), D("-298.16"), D("202.76")]
    assert closing[-1] == D("2011.04")
    assert [month.opening for month in result.months][1] == D("500.92")
    assert (result.months[0].interest, result.months[0].repayment) == (D("60.00"), D("139.08"))
    # receipts 2.500 + 2.000 + 3.000 (month 3) + 9 x 3.000 = 34.500
    assert result.receipts == D("34500.00")
    # payments 2.800 + 2.600 + 2.300 + 9 x 2.600 = 31.100; the loan 12 x 199,08 = 2.388,96
    # (and 1.000 + 34.500 - 31.100 - 2.388,96 = 2.011,04)
    assert result.payments == D("31100.00")
    assert (result.interest, result.repayment) == (D("649.42"), D("1739.54"))
    assert (result.lowest.number, result.lowest.closing) == (2, D("-298.16"))
    assert result.first_negative.number == 2


def test_without_loans_the_cashflow_is_only_what_was_typed():
    result = cashflow(BAKERY["cashflow"], opening=D("1000.00"))
    # 1.000 + 2.500 - 2.800 = 700; 700 + 2.000 - 2.600 = 100
    assert [m.closing for m in result.months][:2] == [D("700.00"), D("100.00")]
    assert (result.interest, result.repayment) == (D("0.00"), D("0.00"))


def test_bakery_private_budget():
    result = private_budget(BAKERY["private_budget"])
    # costs 450 + 120 + 100 + 500 + 50 + 80 = 1.300; income 200; the business must earn
    # 1.300 - 200 = 1.100 a month, 13.200 a year
    assert (result.costs, result.income) == (D("1300.00"), D("200.00"))
    assert result.withdrawals == D("1100.00")
    assert result.withdrawals_per_year == D("13200.00")


def test_salon_investment_budget():
    result = investment(SALON["investment"])
    # 9.500 + 6.000 + 2.000 + 1.500 = 19.000 fixed; + 2.500 + 1.500 + 3.600 + 1.000 + 2.400
    assert result.fixed_assets == D("19000.00")
    assert result.total == D("30000.00")
    # 9.500/5 = 1.900; 6.000/5 = 1.200; 2.000/3 = 666,666.. -> 666,67; 1.500/3 = 500
    assert [a.depreciation for a in result.assets] == [
        D("1900.00"),
        D("1200.00"),
        D("666.67"),
        D("500.00"),
    ]
    assert result.depreciation == (D("4266.67"),) * 3


def test_salon_financing_budget():
    result = financing(SALON["financing"])
    # 9.500 own + 18.000 Qredits + 2.500 family = 30.000
    assert result.total == D("30000.00")
    # Qredits 18.000 at 9% over 60 months: 18.000 x 0,0075 / (1 - 1,0075^-60) = 373,65 a
    # month; month 1: interest 135,00, repayment 238,65.
    # Family 2.500 at 0% over 36 months: 2.500 / 36 = 69,44 a month, no interest; year 1 and 2
    # repay 12 x 69,44 = 833,28, year 3 the rest: 2.500 - 2 x 833,28 = 833,44.
    # (The old rule charged 1.620 / 1.296 / 972 interest and repaid 4.433,33 every year.)
    qredits, family = result.loans[0], result.loans[2]
    assert qredits.regular_payment == D("373.65")
    assert (qredits.schedule[0].interest, qredits.schedule[0].repayment) == (
        D("135.00"),
        D("238.65"),
    )
    assert family.repayment == (D("833.28"), D("833.28"), D("833.44"))
    assert result.interest == (D("1498.89"), D("1218.86"), D("912.57"))
    assert result.repayment == (D("3818.19"), D("4098.22"), D("4404.67"))
    # each of the first twelve months: 373,65 + 69,44 = 443,09
    assert result.month_interest[0] + result.month_repayment[0] == D("443.09")


def test_salon_operating_budget():
    years = plan_figures(SALON).operating
    # Year 1: 58.000 - 7.000 = 51.000; costs 9.600 + 0 + 1.800 + 1.200 + start-up 1.500 +
    # 4.266,67 + interest 1.498,89 + 8.000 = 27.865,56; result 23.134,44; tax 2.000;
    # net 21.134,44
    assert years[0].costs == D("27865.56")
    assert years[0].net_profit == D("21134.44")
    # Year 2: 64.000 - 7.700 = 56.300; costs 9.800+0+1.200+1.200+4.266,67+1.218,86+8.500 =
    # 26.185,53; result 30.114,47; net 27.114,47
    assert years[1].result_before_tax == D("30114.47")
    assert years[1].net_profit == D("27114.47")
    # Year 3: 68.000 - 8.200 = 59.800; costs 10.000+0+1.200+1.200+4.266,67+912,57+9.000 =
    # 26.579,24; result 33.220,76; net 29.420,76
    assert years[2].gross_margin == D("59800.00")
    assert years[2].net_profit == D("29420.76")


def test_salon_cashflow_and_private_budget():
    figures = plan_figures(SALON)
    flow = figures.cashflow
    # opens with the 2.400 cash and pays 443,09 a month for the loans:
    # 2.400 + 3.000 - 3.850 - 443,09 = 1.106,91; 1.106,91 + 3.800 - 3.700 - 443,09 = 763,82
    assert [m.closing for m in flow.months][:2] == [D("1106.91"), D("763.82")]
    # receipts add up to 56.000, payments to 46.150, the loans 12 x 443,09 = 5.317,08:
    # 2.400 + 56.000 - 46.150 - 5.317,08 = 6.932,92
    assert (flow.receipts, flow.payments) == (D("56000.00"), D("46150.00"))
    assert flow.interest + flow.repayment == 12 * D("443.09")
    assert flow.months[-1].closing == D("6932.92")
    assert (flow.lowest.number, flow.lowest.closing, flow.first_negative) == (2, D("763.82"), None)
    # 520 + 150 + 110 + 600 + 40 + 230 = 1.650 costs, 150 allowances: 1.500 a month, 18.000
    assert figures.private_budget.withdrawals_per_year == D("18000.00")


def test_a_loan_paid_off_within_three_years_stops_costing_interest():
    # 1.200 over 12 months at 12%, linear: 100 a month, interest 1% of what is owed:
    # 12 + 11 + ... + 1 = 78 in year 1 (the old rule charged 10% of 1.200 = 120 for the
    # year); then nothing is owed
    result = loan("bank", D("1200.00"), D("12"), 12, kind="linear")
    assert result.interest == (D("78.00"), D("0.00"), D("0.00"))
    assert result.repayment == (D("1200.00"), D("0.00"), D("0.00"))


def test_start_up_costs_are_a_cost_of_year_one():
    plan = {"investment": {"startup_costs": "750.00"}, "operating": {"turnover_1": "1000.00"}}
    years = plan_figures(plan).operating
    assert [y.startup_costs for y in years] == [D("750.00"), D("0.00"), D("0.00")]
    # 1.000 turnover - 750 start-up costs = 250
    assert years[0].net_profit == D("250.00")
    assert years[1].net_profit == D("0.00")


def test_an_asset_written_off_in_two_years_costs_nothing_in_year_three():
    result = investment({"assets": [{"description": "Laptop", "amount": "1000", "years": 2}]})
    assert result.depreciation == (D("500.00"), D("500.00"), D("0.00"))


def test_an_empty_plan_adds_up_to_zero_and_is_not_filled():
    figures = plan_figures({})
    assert figures.investment.total == figures.financing.total == D("0.00")
    assert figures.operating[0].net_profit == D("0.00")
    assert not any(figures.filled.values())
