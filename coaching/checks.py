"""The plan checks: does the financial plan hold together?

Each check gives its figures, not only a verdict, so that a resident sees how far off they are.
A difference is given as an amount and the side that is short ("the financing is € 750 lower
than the investment"), never only as a signed number. The wording lives in
templates/coaching/_checks.html; static/js/plan-budgets.js repeats these rules for the live
view.
"""

from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from coaching.budgets import CENT, ZERO, Figures


class Status:
    OK = "ok"
    ATTENTION = "attention"
    INCOMPLETE = "incomplete"


@dataclass(frozen=True)
class Limits:
    """The desk's limits a plan is checked against, frozen into every revision."""

    min_own_funds_percent: int
    max_loan_amount: Decimal

    @classmethod
    def of_desk(cls, desk) -> "Limits":
        return cls(desk.min_own_funds_percent, Decimal(desk.max_loan_amount))

    def as_json(self) -> dict:
        return {
            "min_own_funds_percent": self.min_own_funds_percent,
            "max_loan_amount": str(self.max_loan_amount),
        }

    @classmethod
    def from_json(cls, data: dict) -> "Limits":
        return cls(int(data["min_own_funds_percent"]), Decimal(data["max_loan_amount"]))


@dataclass(frozen=True)
class Check:
    key: str
    title: str
    status: str
    figures: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == Status.OK


TITLES = {
    "balance": _("Financing equals investment"),
    "own_funds": _("Own funds"),
    "withdrawals": _("Profit covers repayments and private withdrawals"),
    "liquidity": _("Cash never below zero"),
    "loan": _("Loan within the Qredits maximum"),
}


def _check(key, ok, figures, *, complete=True) -> Check:
    status = Status.INCOMPLETE if not complete else Status.OK if ok else Status.ATTENTION
    return Check(key, TITLES[key], status, figures)


def balance(figures: Figures) -> Check:
    """The financing must pay for exactly the investment: no gap, no money without a purpose."""
    invest, finance = figures.investment.total, figures.financing.total
    difference = finance - invest
    return _check(
        "balance",
        invest == finance,
        {
            "investment": invest,
            "financing": finance,
            "difference": difference,
            # Said in words: which side is short, and by how much.
            "gap": abs(difference),
            "financing_lower": difference < 0,
            "financing_higher": difference > 0,
        },
        complete=figures.filled["investment"] or figures.filled["financing"],
    )


def own_funds(figures: Figures, limits: Limits) -> Check:
    finance = figures.financing
    percent = (
        (finance.own_funds * 100 / finance.total).quantize(Decimal("0.1"), ROUND_HALF_UP)
        if finance.total
        else None
    )
    # Compared unrounded: 29.96% is below 30% even though it shows as 30.0%.
    ok = finance.own_funds * 100 >= limits.min_own_funds_percent * finance.total
    # How far below the minimum share, rounded up to the cent: a shortfall never shows as 0,00.
    needed = limits.min_own_funds_percent * finance.total / 100
    short = max(needed - finance.own_funds, ZERO).quantize(CENT, ROUND_CEILING)
    return _check(
        "own_funds",
        ok,
        {
            "own_funds": finance.own_funds,
            "percent": percent,
            "minimum": limits.min_own_funds_percent,
            "short": short,
        },
        complete=finance.total > 0,
    )


def withdrawals(figures: Figures) -> Check:
    """In each of the three years, net profit plus depreciation (money earned that was not
    paid out) must pay for the loans' repayments and what the household needs."""
    household = figures.private_budget.withdrawals_per_year
    years = []
    for year in figures.operating:
        available = year.net_profit + year.depreciation
        repayment = figures.financing.repayment[year.year - 1]
        needed = repayment + household
        years.append(
            {
                "year": year.year,
                "net_profit": year.net_profit,
                "depreciation": year.depreciation,
                "available": available,
                "repayment": repayment,
                "withdrawals": household,
                "needed": needed,
                "difference": available - needed,
                # Said in words: the profit falls short by ``short``, or ``spare`` is left.
                "short": max(needed - available, ZERO),
                "spare": max(available - needed, ZERO),
                "enough": available >= needed,
            }
        )
    short = [row["year"] for row in years if not row["enough"]]
    worst = max(years, key=lambda row: (row["short"], -row["year"]))
    return _check(
        "withdrawals",
        not short,
        {
            "years": years,
            "short_years": short,
            "worst_year": worst["year"] if short else None,
            "worst_short": worst["short"],
        },
        complete=figures.filled["operating"] and figures.filled["private_budget"],
    )


def liquidity(figures: Figures) -> Check:
    flow = figures.cashflow
    return _check(
        "liquidity",
        flow.first_negative is None,
        {
            "lowest": flow.lowest.closing,
            "lowest_month": flow.lowest.number,
            "first_negative_month": flow.first_negative.number if flow.first_negative else None,
            # Said in words: how much money is missing in the worst month.
            "shortfall": max(-flow.lowest.closing, ZERO),
        },
        complete=figures.filled["cashflow"],
    )


def loan(figures: Figures, limits: Limits) -> Check:
    requested = figures.financing.qredits
    return _check(
        "loan",
        requested <= limits.max_loan_amount,
        {
            "requested": requested,
            "maximum": limits.max_loan_amount,
            "over": max(requested - limits.max_loan_amount, ZERO),
        },
        complete=figures.filled["financing"],
    )


def plan_checks(figures: Figures, limits: Limits) -> list[Check]:
    return [
        balance(figures),
        own_funds(figures, limits),
        withdrawals(figures),
        liquidity(figures),
        loan(figures, limits),
    ]


def summary(checks: list[Check]) -> dict:
    """How many checks pass, need attention, or cannot be computed yet."""
    counts = {Status.OK: 0, Status.ATTENTION: 0, Status.INCOMPLETE: 0}
    for check in checks:
        counts[check.status] += 1
    return counts
