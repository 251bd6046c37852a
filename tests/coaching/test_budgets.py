"""The five budgets' totals on two worked examples, every number computed by hand."""

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
    # Qredits 8.000 over 48 months: 8.000 x 12 / 48 = 2.000 a year. Interest 9% of what is
    # owed at the start of each year: 8.000 -> 720, 6.000 -> 540, 4.000 -> 360.
    # The family loan has no interest and no term: nothing paid yet.
    assert result.interest == (D("720.00"), D("540.00"), D("360.00"))
    assert result.repayment == (D("2000.00"), D("2000.00"), D("2000.00"))


def test_bakery_operating_budget():
    years = plan_figures(BAKERY).operating
    # Year 1: gross margin 36.000 - 10.800 = 25.200
    # costs 4.800 + 600 + 900 + 700 + depreciation 1.800 + interest 720 + 2.000 = 11.520
    # result 25.200 - 11.520 = 13.680; tax 1.000; net 12.680
    assert years[0].gross_margin == D("25200.00")
    assert years[0].costs == D("11520.00")
    assert years[0].result_before_tax == D("13680.00")
    assert years[0].net_profit == D("12680.00")
    # Year 2: 40.000 - 12.000 = 28.000; costs 4.800+600+600+700+1.800+540+2.000 = 11.040
    # result 16.960; net 16.960 - 1.500 = 15.460
    assert (years[1].gross_margin, years[1].costs) == (D("28000.00"), D("11040.00"))
    assert years[1].net_profit == D("15460.00")
    # Year 3: 44.000 - 13.200 = 30.800; costs 4.800+600+600+700+1.800+360+2.000 = 10.860
    # result 19.940; net 19.940 - 2.000 = 17.940
    assert (years[2].gross_margin, years[2].costs) == (D("30800.00"), D("10860.00"))
    assert years[2].net_profit == D("17940.00")


def test_bakery_cashflow_forecast():
    result = cashflow(BAKERY["cashflow"], opening=D("1000.00"))
    closing = [month.closing for month in result.months]
    # 1.000 + 2.500 - 3.000 = 500; 500 + 2.000 - 2.800 = -300; -300 + 3.000 - 2.500 = 200;
    # then +200 a month (3.000 - 2.800) for months 4 to 12: 400, 600, ..., 2.000
    assert closing[:3] == [D("500.00"), D("-300.00"), D("200.00")]
    assert closing[-1] == D("2000.00")
    assert [month.opening for month in result.months][1] == D("500.00")
    # receipts 2.500 + 2.000 + 3.000 (month 3) + 9 x 3.000 = 34.500
    assert result.receipts == D("34500.00")
    # payments 3.000 + 2.800 + 2.500 + 9 x 2.800 = 33.500 (and 1.000 + 34.500 - 33.500 = 2.000)
    assert result.payments == D("33500.00")
    assert (result.lowest.number, result.lowest.closing) == (2, D("-300.00"))
    assert result.first_negative.number == 2


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
    # Qredits 18.000 over 60 months: 3.600 a year; 9% of 18.000, 14.400, 10.800
    # Family 2.500 over 36 months: 2.500 x 12 / 36 = 833,333.. -> 833,33 a year, no interest
    assert result.interest == (D("1620.00"), D("1296.00"), D("972.00"))
    assert result.repayment == (D("4433.33"),) * 3


def test_salon_operating_budget():
    years = plan_figures(SALON).operating
    # Year 1: 58.000 - 7.000 = 51.000; costs 9.600 + 0 + 1.800 + 1.200 + 4.266,67 + 1.620 +
    # 8.000 = 26.486,67; result 24.513,33; tax 2.000; net 22.513,33
    assert years[0].costs == D("26486.67")
    assert years[0].net_profit == D("22513.33")
    # Year 2: 64.000 - 7.700 = 56.300; costs 9.800+0+1.200+1.200+4.266,67+1.296+8.500 =
    # 26.262,67; result 30.037,33; net 27.037,33
    assert years[1].result_before_tax == D("30037.33")
    assert years[1].net_profit == D("27037.33")
    # Year 3: 68.000 - 8.200 = 59.800; costs 10.000+0+1.200+1.200+4.266,67+972+9.000 =
    # 26.638,67; result 33.161,33; net 29.361,33
    assert years[2].gross_margin == D("59800.00")
    assert years[2].net_profit == D("29361.33")


def test_salon_cashflow_and_private_budget():
    figures = plan_figures(SALON)
    flow = figures.cashflow
    # opens with the 2.400 cash; 2.400 + 3.000 - 4.300 = 1.100; 1.100 + 3.800 - 4.150 = 750
    assert [m.closing for m in flow.months][:2] == [D("1100.00"), D("750.00")]
    # receipts add up to 56.000, payments to 51.550: 2.400 + 56.000 - 51.550 = 6.850
    assert (flow.receipts, flow.payments) == (D("56000.00"), D("51550.00"))
    assert flow.months[-1].closing == D("6850.00")
    assert (flow.lowest.number, flow.lowest.closing, flow.first_negative) == (2, D("750.00"), None)
    # 520 + 150 + 110 + 600 + 40 + 230 = 1.650 costs, 150 allowances: 1.500 a month, 18.000
    assert figures.private_budget.withdrawals_per_year == D("18000.00")


def test_a_loan_paid_off_within_three_years_stops_costing_interest():
    # 1.200 over 12 months at 10%: year 1 interest 120, repaid 1.200; then nothing is owed
    result = loan("bank", D("1200.00"), D("10"), 12)
    assert result.interest == (D("120.00"), D("0.00"), D("0.00"))
    assert result.repayment == (D("1200.00"), D("0.00"), D("0.00"))


def test_an_asset_written_off_in_two_years_costs_nothing_in_year_three():
    result = investment({"assets": [{"description": "Laptop", "amount": "1000", "years": 2}]})
    assert result.depreciation == (D("500.00"), D("500.00"), D("0.00"))


def test_an_empty_plan_adds_up_to_zero_and_is_not_filled():
    figures = plan_figures({})
    assert figures.investment.total == figures.financing.total == D("0.00")
    assert figures.operating[0].net_profit == D("0.00")
    assert not any(figures.filled.values())
