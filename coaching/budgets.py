"""The five budgets of a business plan: pure arithmetic on ``Decimal``.

Each function takes the stored data of one section (a dict of strings such as ``"1250.50"``,
as ``PlanSection.data`` holds it) and returns frozen totals. Nothing here touches the database,
so the same numbers come out for a saved plan, a revision's snapshot and a test.
static/js/plan-budgets.js repeats these rules for the totals that update while a resident types
(in whole cents); the server's numbers are the ones that count.

Rounding: every amount that comes out of a division or a percentage is rounded to whole cents
(half up) per line, and totals add the rounded lines, as a resident doing it on paper would.

Loans, as a lender such as Qredits computes them
------------------------------------------------
Each loan (Qredits, bank, family, other) has an amount P, a yearly rate (%), a term in months
(1-240), a number of repayment-free months at the start (0 <= f < term) and a kind: annuity
(the default), linear, or repaid at the end ("bullet"). Stored data without a kind or free
months (plans and revisions from before these fields) means annuity and 0.

- The monthly rate is r = rate / 100 / 12. Each month's interest is the balance owed at the
  start of the month times r, rounded half up to cents. A 0% loan has no interest.
- In the repayment-free months only the interest is paid.
- Annuity: over the n = term - f repayment months the payment is P*r / (1 - (1+r)^-n)
  rounded to cents (P / n when r = 0); each month repays the payment minus that month's
  interest.
- Linear: each repayment month repays P / n rounded to cents; the interest comes on top.
- Bullet: interest every month, all of P in the last month.
- Whatever the kind, the last month repays exactly what is still owed, so its payment may
  differ from the others by a few cents. A repayment is never more than what is owed.
- Month 1 of every loan is month 1 of the plan: the first month of the cash-flow forecast.
  The plan starts in the month of the business part's start date; that date only labels the
  months ("sep 2027"): plan year k always holds plan months 12(k-1)+1 ... 12k. A loan shorter
  than a year costs only its months; a loan longer than three years still has its whole
  schedule, although the operating budget shows three years.
- A loan without an amount or a term (or with a term outside 1-240 months) has no schedule:
  it costs nothing here (the financing form refuses an amount without a term or a rate).

Where the loans go: each plan year's interest (the sum of its months) is a cost line of the
operating budget; the interest and the repayment of months 1-12 are two computed lines of the
cash-flow forecast (closing = opening + receipts - payments - interest - repayment); the
repayments per year are checked against the profit (``coaching.checks.withdrawals``).

Start-up costs entered in the investment budget are a cost of year 1 of the operating budget.
"""

import datetime
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
ANNUITY, LINEAR, BULLET = "annuity", "linear", "bullet"
LOAN_KINDS = (ANNUITY, LINEAR, BULLET)
MAX_TERM = 240  # months: twenty years
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


def whole_number(value) -> int:
    """A stored whole number (an int, a string, or nothing); anything unreadable is 0."""
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def is_filled(data: Mapping) -> bool:
    """Whether a section holds any figure at all (an empty budget cannot be checked)."""
    for key, value in data.items():
        if key == "assets":
            if any(row.get("amount") not in (None, "") for row in value or []):
                return True
        elif key.endswith("_kind"):
            continue  # a choice of loan kind is not a figure
        elif key != "turnover_explanation" and value not in (None, "", []):
            return True
    return False


# --- The plan's months ---------------------------------------------------------------------
def plan_start(business: Mapping) -> datetime.date | None:
    """The first day of the month the plan starts: the business part's start date, if any."""
    try:
        day = datetime.date.fromisoformat(str(business.get("start_date") or ""))
    except ValueError:
        return None
    return day.replace(day=1)


def month_date(start: datetime.date | None, number: int) -> datetime.date | None:
    """The first day of plan month ``number`` (1 is the start month), or None without a start."""
    if start is None:
        return None
    index = start.year * 12 + start.month - 1 + number - 1
    return datetime.date(index // 12, index % 12 + 1, 1)


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


def yearly_depreciation(amount: Decimal, years: int) -> Decimal:
    """Straight line, no residual value: the same part of the price every year."""
    return cents(amount / years) if years > 0 else ZERO


def investment(data: Mapping) -> Investment:
    assets = []
    for row in data.get("assets") or []:
        amount = to_decimal(row.get("amount"))
        years = whole_number(row.get("years"))
        yearly = yearly_depreciation(amount, years)
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


# --- b. Financing budget: loans and their schedules ----------------------------------------
@dataclass(frozen=True)
class LoanMonth:
    number: int  # month of the plan, which is also month of the loan (1 = the first)
    payment: Decimal  # interest + repayment
    interest: Decimal
    repayment: Decimal
    balance: Decimal  # still owed after this month
    date: datetime.date | None = None  # first day of the calendar month, if the start is known


@dataclass(frozen=True)
class LoanYear:
    year: int  # plan year: months 12(year-1)+1 ... 12*year
    months: tuple[LoanMonth, ...]
    payment: Decimal
    interest: Decimal
    repayment: Decimal
    balance: Decimal  # still owed at the end of the year

    @property
    def first(self) -> LoanMonth:
        return self.months[0]

    @property
    def last(self) -> LoanMonth:
        return self.months[-1]


def annuity_payment(amount: Decimal, rate: Decimal, months: int) -> Decimal:
    """The fixed monthly payment that repays ``amount`` with interest in ``months`` months."""
    if months <= 0:
        return ZERO
    if not rate:
        return cents(amount / months)
    r = rate / 1200
    return cents(amount * r / (1 - (1 + r) ** -months))


def loan_schedule(
    amount: Decimal,
    rate: Decimal,
    months: int,
    *,
    free_months: int = 0,
    kind: str = ANNUITY,
    start: datetime.date | None = None,
) -> tuple[LoanMonth, ...]:
    """Month by month: what is paid, how much of it is interest and repayment, what is owed.

    The rules are in this module's docstring. ``start`` (the first day of the plan's first
    month) only labels the months. No amount or no term: no schedule.
    """
    if amount <= 0 or not 1 <= months <= MAX_TERM:
        return ()
    # The form refuses a free period as long as the term; should one come in anyway, it is
    # left out rather than guessed at (the live view in the browser does the same).
    free = free_months if 0 <= free_months < months else 0
    kind = kind if kind in LOAN_KINDS else ANNUITY
    repaying = months - free
    annuity = annuity_payment(amount, rate, repaying)
    linear = cents(amount / repaying)
    balance = amount
    schedule = []
    for number in range(1, months + 1):
        interest = cents(balance * rate / 1200)
        if number == months:
            repayment = balance
        elif number <= free or kind == BULLET:
            repayment = ZERO
        elif kind == LINEAR:
            repayment = linear
        else:
            repayment = annuity - interest
        repayment = min(max(repayment, ZERO), balance)
        balance -= repayment
        schedule.append(
            LoanMonth(
                number=number,
                payment=interest + repayment,
                interest=interest,
                repayment=repayment,
                balance=balance,
                date=month_date(start, number),
            )
        )
    return tuple(schedule)


def schedule_years(schedule: tuple[LoanMonth, ...]) -> tuple[LoanYear, ...]:
    """The schedule cut into plan years of twelve months (the last year may be shorter)."""
    years = []
    for index in range(0, len(schedule), 12):
        months = schedule[index : index + 12]
        years.append(
            LoanYear(
                year=index // 12 + 1,
                months=months,
                payment=sum((m.payment for m in months), ZERO),
                interest=sum((m.interest for m in months), ZERO),
                repayment=sum((m.repayment for m in months), ZERO),
                balance=months[-1].balance,
            )
        )
    return tuple(years)


@dataclass(frozen=True)
class Loan:
    key: str
    amount: Decimal
    rate: Decimal  # percent per year
    months: int  # the term
    free_months: int
    kind: str
    schedule: tuple[LoanMonth, ...]
    years: tuple[LoanYear, ...]  # every year of the schedule, also after year 3
    interest: tuple[Decimal, Decimal, Decimal]  # plan years 1-3
    repayment: tuple[Decimal, Decimal, Decimal]

    @property
    def regular_payment(self) -> Decimal:
        """The payment of the first month after the repayment-free months: for an annuity, the
        fixed monthly payment a lender's offer names (the last month may differ by cents)."""
        if not self.schedule:
            return ZERO
        free = self.free_months if 0 <= self.free_months < self.months else 0
        return self.schedule[free].payment

    def in_month(self, number: int, name: str) -> Decimal:
        """``interest`` or ``repayment`` of plan month ``number`` (0 after the last month)."""
        if number > len(self.schedule):
            return ZERO
        return getattr(self.schedule[number - 1], name)


def loan(
    key: str,
    amount: Decimal,
    rate: Decimal,
    months: int,
    *,
    free_months: int = 0,
    kind: str = ANNUITY,
    start: datetime.date | None = None,
) -> Loan:
    kind = kind if kind in LOAN_KINDS else ANNUITY
    schedule = loan_schedule(amount, rate, months, free_months=free_months, kind=kind, start=start)
    years = schedule_years(schedule)

    def per_year(name):
        return tuple(
            getattr(years[year - 1], name) if year <= len(years) else ZERO for year in YEARS
        )

    return Loan(
        key=key,
        amount=amount,
        rate=rate,
        months=months,
        free_months=free_months,
        kind=kind,
        schedule=schedule,
        years=years,
        interest=per_year("interest"),
        repayment=per_year("repayment"),
    )


@dataclass(frozen=True)
class Financing:
    own_funds: Decimal
    loans: tuple[Loan, ...]
    loans_total: Decimal
    supplier_credit: Decimal
    total: Decimal
    qredits: Decimal
    interest: tuple[Decimal, Decimal, Decimal]  # all loans, plan years 1-3
    repayment: tuple[Decimal, Decimal, Decimal]
    month_interest: tuple[Decimal, ...]  # all loans, plan months 1-12 (the cash-flow lines)
    month_repayment: tuple[Decimal, ...]

    @property
    def scheduled_loans(self) -> tuple[Loan, ...]:
        return tuple(item for item in self.loans if item.schedule)


def financing(data: Mapping, *, start: datetime.date | None = None) -> Financing:
    loans = tuple(
        loan(
            key,
            to_decimal(data.get(f"{key}_amount")),
            to_decimal(data.get(f"{key}_rate")),
            whole_number(data.get(f"{key}_months")),
            free_months=whole_number(data.get(f"{key}_free_months")),
            kind=data.get(f"{key}_kind") or ANNUITY,
            start=start,
        )
        for key in LOANS
    )
    own_funds = to_decimal(data.get("own_funds"))
    supplier_credit = to_decimal(data.get("supplier_credit"))
    loans_total = sum((item.amount for item in loans), ZERO)

    def total(values):
        return sum(values, ZERO)

    return Financing(
        own_funds=own_funds,
        loans=loans,
        loans_total=loans_total,
        supplier_credit=supplier_credit,
        total=own_funds + loans_total + supplier_credit,
        qredits=loans[0].amount,
        interest=tuple(total(item.interest[i] for item in loans) for i in range(3)),
        repayment=tuple(total(item.repayment[i] for item in loans) for i in range(3)),
        month_interest=tuple(total(item.in_month(m, "interest") for item in loans) for m in MONTHS),
        month_repayment=tuple(
            total(item.in_month(m, "repayment") for item in loans) for m in MONTHS
        ),
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
    startup_costs: Decimal  # from the investment budget, year 1 only
    depreciation: Decimal  # from the investment budget
    interest: Decimal  # from the financing budget
    other_costs: Decimal
    costs: Decimal
    result_before_tax: Decimal
    tax: Decimal
    net_profit: Decimal


def operating(
    data: Mapping,
    *,
    depreciation: tuple[Decimal, ...],
    interest: tuple[Decimal, ...],
    startup_costs: Decimal = ZERO,
) -> tuple[OperatingYear, ...]:
    years = []
    for year in YEARS:
        value = {key: to_decimal(data.get(f"{key}_{year}")) for key in OPERATING_INPUTS}
        gross_margin = value["turnover"] - value["purchases"]
        startup = startup_costs if year == 1 else ZERO
        costs = (
            value["rent"]
            + value["car"]
            + value["marketing"]
            + value["insurance"]
            + startup
            + depreciation[year - 1]
            + interest[year - 1]
            + value["other_costs"]
        )
        result = gross_margin - costs
        years.append(
            OperatingYear(
                year=year,
                gross_margin=gross_margin,
                startup_costs=startup,
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
    payments: Decimal  # typed by the resident: everything except the loans
    interest: Decimal  # of all loans, from the financing budget
    repayment: Decimal
    closing: Decimal
    date: datetime.date | None = None


@dataclass(frozen=True)
class Cashflow:
    months: tuple[Month, ...]
    receipts: Decimal
    payments: Decimal
    interest: Decimal
    repayment: Decimal
    lowest: Month  # the month with the lowest closing balance (the first, if several)
    first_negative: Month | None


def cashflow(
    data: Mapping,
    *,
    opening: Decimal,
    interest: tuple[Decimal, ...] = (ZERO,) * 12,
    repayment: tuple[Decimal, ...] = (ZERO,) * 12,
    start: datetime.date | None = None,
) -> Cashflow:
    """Month 1 opens with the cash (liquide middelen) of the investment budget; the loans'
    interest and repayment of each month are paid on top of the typed payments."""
    months = []
    balance = opening
    for number in MONTHS:
        receipts = to_decimal(data.get(f"receipts_{number}"))
        payments = to_decimal(data.get(f"payments_{number}"))
        paid_interest, repaid = interest[number - 1], repayment[number - 1]
        closing = balance + receipts - payments - paid_interest - repaid
        months.append(
            Month(
                number=number,
                opening=balance,
                receipts=receipts,
                payments=payments,
                interest=paid_interest,
                repayment=repaid,
                closing=closing,
                date=month_date(start, number),
            )
        )
        balance = closing
    lowest = min(months, key=lambda month: (month.closing, month.number))
    return Cashflow(
        months=tuple(months),
        receipts=sum((m.receipts for m in months), ZERO),
        payments=sum((m.payments for m in months), ZERO),
        interest=sum((m.interest for m in months), ZERO),
        repayment=sum((m.repayment for m in months), ZERO),
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
    start: datetime.date | None = None  # first day of the plan's first month, if known


BUDGET_KEYS = ("investment", "financing", "operating", "cashflow", "private_budget")


def plan_figures(sections: Mapping[str, Mapping]) -> Figures:
    """All five budgets from the sections' data (missing sections count as empty).

    The business part, if given, supplies the start month that labels the months.
    """
    data = {key: sections.get(key) or {} for key in BUDGET_KEYS}
    start = plan_start(sections.get("business") or {})
    invest = investment(data["investment"])
    finance = financing(data["financing"], start=start)
    return Figures(
        investment=invest,
        financing=finance,
        operating=operating(
            data["operating"],
            depreciation=invest.depreciation,
            interest=finance.interest,
            startup_costs=invest.startup_costs,
        ),
        cashflow=cashflow(
            data["cashflow"],
            opening=invest.cash,
            interest=finance.month_interest,
            repayment=finance.month_repayment,
            start=start,
        ),
        private_budget=private_budget(data["private_budget"]),
        filled={key: is_filled(value) for key, value in data.items()},
        start=start,
    )
