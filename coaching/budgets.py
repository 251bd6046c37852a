"""The five budgets of a business plan: pure arithmetic on ``Decimal``.

Each function takes the stored data of one section (a dict of strings such as ``"1250.50"``,
as ``PlanSection.data`` holds it) and returns frozen totals. Nothing here touches the database,
so the same numbers come out for a saved plan, a revision's snapshot and a test.
static/js/plan-budgets.js repeats these rules for the totals that update while a resident types;
the server's numbers are the ones that count.

Rounding: every amount that comes out of a division or a percentage is rounded to whole cents
(half up) per line, and totals add the rounded lines, as a resident doing it on paper would.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from coaching.amounts import to_decimal

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
YEARS = (1, 2, 3)
MONTHS = tuple(range(1, 13))

INVESTMENT_LINES = ("stock", "startup_costs", "vat", "contingency", "cash")
LOANS = ("qredits", "bank", "family", "other")
# Rows of the operating budget that the resident fills in; the others are computed.
OPERATING_INPUTS = (
    "turnover",
    "purchases",
    "rent",
    "car",
    "marketing",
    "insurance",
    "other_costs",
    "tax",
)
PRIVATE_COSTS = ("housing", "energy", "health_insurance", "living", "transport", "other_costs")
PRIVATE_INCOME = ("partner_income", "allowances", "other_income")


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def is_filled(data: Mapping) -> bool:
    """Whether a section holds any figure at all (an empty budget cannot be checked)."""
    for key, value in data.items():
        if key == "assets":
            if any(row.get("amount") not in (None, "") for row in value or []):
                return True
        elif key != "turnover_explanation" and value not in (None, "", []):
            return True
    return False


# --- a. Investment budget ------------------------------------------------------------------
@dataclass(frozen=True)
class Asset:
    description: str
    amount: Decimal
    years: int
    depreciation: Decimal  # per year, straight line, no residual value


@dataclass(frozen=True)
class Investment:
    assets: tuple[Asset, ...]
    fixed_assets: Decimal
    stock: Decimal
    startup_costs: Decimal
    vat: Decimal
    contingency: Decimal
    cash: Decimal
    total: Decimal
    depreciation: tuple[Decimal, Decimal, Decimal]  # years 1, 2, 3


def investment(data: Mapping) -> Investment:
    assets = []
    for row in data.get("assets") or []:
        amount = to_decimal(row.get("amount"))
        years = int(row.get("years") or 0)
        yearly = cents(amount / years) if years else ZERO
        assets.append(Asset(row.get("description", ""), amount, years, yearly))
    fixed = sum((a.amount for a in assets), ZERO)
    lines = {key: to_decimal(data.get(key)) for key in INVESTMENT_LINES}
    # An asset bought for 3 years is written off in years 1-3 and no longer after.
    depreciation = tuple(
        sum((a.depreciation for a in assets if a.years >= year), ZERO) for year in YEARS
    )
    return Investment(
        assets=tuple(assets),
        fixed_assets=fixed,
        total=fixed + sum(lines.values(), ZERO),
        depreciation=depreciation,
        **lines,
    )


# --- b. Financing budget -------------------------------------------------------------------
@dataclass(frozen=True)
class Loan:
    key: str
    amount: Decimal
    rate: Decimal  # percent per year
    months: int
    interest: tuple[Decimal, Decimal, Decimal]
    repayment: tuple[Decimal, Decimal, Decimal]


def loan(key: str, amount: Decimal, rate: Decimal, months: int) -> Loan:
    """A loan repaid in equal monthly parts over ``months`` (none given: not repaid yet).

    Interest for a year is the rate on what is still owed at the start of that year: a little
    more than the bank will charge, which is the prudent side for a plan.
    """
    per_year = cents(amount * 12 / months) if months else ZERO
    interest, repayment = [], []
    owed = amount
    for _year in YEARS:
        interest.append(cents(owed * rate / 100))
        paid = min(owed, per_year)
        repayment.append(paid)
        owed -= paid
    return Loan(key, amount, rate, months, tuple(interest), tuple(repayment))


@dataclass(frozen=True)
class Financing:
    own_funds: Decimal
    loans: tuple[Loan, ...]
    loans_total: Decimal
    supplier_credit: Decimal
    total: Decimal
    qredits: Decimal
    interest: tuple[Decimal, Decimal, Decimal]
    repayment: tuple[Decimal, Decimal, Decimal]


def financing(data: Mapping) -> Financing:
    loans = tuple(
        loan(
            key,
            to_decimal(data.get(f"{key}_amount")),
            to_decimal(data.get(f"{key}_rate")),
            int(data.get(f"{key}_months") or 0),
        )
        for key in LOANS
    )
    own_funds = to_decimal(data.get("own_funds"))
    supplier_credit = to_decimal(data.get("supplier_credit"))
    loans_total = sum((item.amount for item in loans), ZERO)
    return Financing(
        own_funds=own_funds,
        loans=loans,
        loans_total=loans_total,
        supplier_credit=supplier_credit,
        total=own_funds + loans_total + supplier_credit,
        qredits=loans[0].amount,
        interest=tuple(sum((item.interest[i] for item in loans), ZERO) for i in range(3)),
        repayment=tuple(sum((item.repayment[i] for item in loans), ZERO) for i in range(3)),
    )


# --- c. Operating budget (three years) -----------------------------------------------------
@dataclass(frozen=True)
class OperatingYear:
    year: int
    turnover: Decimal
    purchases: Decimal
    gross_margin: Decimal
    rent: Decimal
    car: Decimal
    marketing: Decimal
    insurance: Decimal
    depreciation: Decimal  # from the investment budget
    interest: Decimal  # from the financing budget
    other_costs: Decimal
    costs: Decimal
    result_before_tax: Decimal
    tax: Decimal
    net_profit: Decimal


def operating(
    data: Mapping, *, depreciation: tuple[Decimal, ...], interest: tuple[Decimal, ...]
) -> tuple[OperatingYear, ...]:
    years = []
    for year in YEARS:
        value = {key: to_decimal(data.get(f"{key}_{year}")) for key in OPERATING_INPUTS}
        gross_margin = value["turnover"] - value["purchases"]
        costs = (
            value["rent"]
            + value["car"]
            + value["marketing"]
            + value["insurance"]
            + depreciation[year - 1]
            + interest[year - 1]
            + value["other_costs"]
        )
        result = gross_margin - costs
        years.append(
            OperatingYear(
                year=year,
                gross_margin=gross_margin,
                depreciation=depreciation[year - 1],
                interest=interest[year - 1],
                costs=costs,
                result_before_tax=result,
                net_profit=result - value["tax"],
                **value,
            )
        )
    return tuple(years)


# --- d. Cash-flow forecast (twelve months) -------------------------------------------------
@dataclass(frozen=True)
class Month:
    number: int
    opening: Decimal
    receipts: Decimal
    payments: Decimal
    closing: Decimal


@dataclass(frozen=True)
class Cashflow:
    months: tuple[Month, ...]
    receipts: Decimal
    payments: Decimal
    lowest: Month  # the month with the lowest closing balance (the first, if several)
    first_negative: Month | None


def cashflow(data: Mapping, *, opening: Decimal) -> Cashflow:
    """Month 1 opens with the cash (liquide middelen) of the investment budget."""
    months = []
    balance = opening
    for number in MONTHS:
        receipts = to_decimal(data.get(f"receipts_{number}"))
        payments = to_decimal(data.get(f"payments_{number}"))
        closing = balance + receipts - payments
        months.append(Month(number, balance, receipts, payments, closing))
        balance = closing
    lowest = min(months, key=lambda month: (month.closing, month.number))
    return Cashflow(
        months=tuple(months),
        receipts=sum((m.receipts for m in months), ZERO),
        payments=sum((m.payments for m in months), ZERO),
        lowest=lowest,
        first_negative=next((m for m in months if m.closing < 0), None),
    )


# --- e. Private budget ---------------------------------------------------------------------
@dataclass(frozen=True)
class PrivateBudget:
    costs: Decimal  # per month
    income: Decimal  # other household income, per month
    withdrawals: Decimal  # what the business must earn for the household, per month
    withdrawals_per_year: Decimal


def private_budget(data: Mapping) -> PrivateBudget:
    costs = sum((to_decimal(data.get(key)) for key in PRIVATE_COSTS), ZERO)
    income = sum((to_decimal(data.get(key)) for key in PRIVATE_INCOME), ZERO)
    withdrawals = max(costs - income, ZERO)
    return PrivateBudget(costs, income, withdrawals, withdrawals * 12)


# --- All five together ---------------------------------------------------------------------
@dataclass(frozen=True)
class Figures:
    investment: Investment
    financing: Financing
    operating: tuple[OperatingYear, ...]
    cashflow: Cashflow
    private_budget: PrivateBudget
    filled: dict  # section key -> whether it holds any figure


BUDGET_KEYS = ("investment", "financing", "operating", "cashflow", "private_budget")


def plan_figures(sections: Mapping[str, Mapping]) -> Figures:
    """All five budgets from the sections' data (missing sections count as empty)."""
    data = {key: sections.get(key) or {} for key in BUDGET_KEYS}
    invest = investment(data["investment"])
    finance = financing(data["financing"])
    return Figures(
        investment=invest,
        financing=finance,
        operating=operating(
            data["operating"], depreciation=invest.depreciation, interest=finance.interest
        ),
        cashflow=cashflow(data["cashflow"], opening=invest.cash),
        private_budget=private_budget(data["private_budget"]),
        filled={key: is_filled(value) for key, value in data.items()},
    )
