"""Two worked examples of a whole financial plan, with every figure computed by hand in
tests/coaching/test_budgets.py and test_checks.py.

BAKERY: small round numbers; own funds exactly at 30%, profit too low for the repayments and
the household in year 1, the cash dips below zero in month 2.
SALON: Fatma's hair salon from the demo (coaching/demo.py); every check passes in 2009.

Typed payments in the cash-flow forecasts leave out the loans: the forecast adds each month's
interest and repayment from the financing budget.
"""

from coaching.demo import SALON

BAKERY = {
    "investment": {
        "assets": [
            {"description": "Oven", "amount": "6000.00", "years": 5},
            {"description": "Toonbank", "amount": "2400.00", "years": 4},
        ],
        "stock": "800.00",
        "startup_costs": "500.00",
        "vat": "1140.00",
        "contingency": "500.00",
        "cash": "1000.00",
    },
    "financing": {
        "own_funds": "3702.00",
        "qredits_amount": "8000.00",
        "qredits_rate": "9.00",
        "qredits_months": 48,
        "family_amount": "638.00",
        "family_rate": "0.00",
        "family_months": None,
        "supplier_credit": "0.00",
    },
    "operating": {
        "turnover_1": "36000.00",
        "turnover_2": "40000.00",
        "turnover_3": "44000.00",
        "purchases_1": "10800.00",
        "purchases_2": "12000.00",
        "purchases_3": "13200.00",
        **{f"rent_{y}": "4800.00" for y in (1, 2, 3)},
        **{f"car_{y}": "600.00" for y in (1, 2, 3)},
        "marketing_1": "900.00",
        "marketing_2": "600.00",
        "marketing_3": "600.00",
        **{f"insurance_{y}": "700.00" for y in (1, 2, 3)},
        **{f"other_costs_{y}": "2000.00" for y in (1, 2, 3)},
        "tax_1": "1000.00",
        "tax_2": "1500.00",
        "tax_3": "2000.00",
    },
    "cashflow": {
        "receipts_1": "2500.00",
        "payments_1": "2800.00",
        "receipts_2": "2000.00",
        "payments_2": "2600.00",
        "receipts_3": "3000.00",
        "payments_3": "2300.00",
        **{f"receipts_{m}": "3000.00" for m in range(4, 13)},
        **{f"payments_{m}": "2600.00" for m in range(4, 13)},
    },
    "private_budget": {
        "housing": "450.00",
        "energy": "120.00",
        "health_insurance": "100.00",
        "living": "500.00",
        "transport": "50.00",
        "other_costs": "80.00",
        "allowances": "200.00",
    },
}

__all__ = ["BAKERY", "SALON"]
