"""Showing a plan: amounts the Dutch way, and lookups the budget tables need."""

from decimal import Decimal

from django import template

from coaching.amounts import format_euro, format_number

register = template.Library()


@register.filter
def euro(value):
    """``12500`` → ``€ 12.500,00`` (always Dutch, whatever the page language: it is money)."""
    if value in (None, ""):
        return ""
    return format_euro(Decimal(value))


@register.filter
def percent(value):
    """``Decimal("31.7")`` → ``31,7%``."""
    if value is None:
        return ""
    return f"{format_number(value, places=1)}%"


@register.filter
def cents(value) -> str:
    """An amount as whole cents, for the data-* attributes the plan's JavaScript reads."""
    if value in (None, ""):
        return ""
    return str(int(Decimal(value) * 100))


@register.simple_tag
def plan_field(form, *parts):
    """The bound field ``form["turnover_1"]`` from ``plan_field form "turnover" 1``."""
    return form["_".join(str(part) for part in parts)]


@register.simple_tag
def attr_list(items, name):
    """``[item.name for item in items]``: one row of a table of years or months."""
    return [getattr(item, name) for item in items]


@register.simple_tag
def row_depreciation(row_form):
    """The yearly depreciation of one typed row of fixed assets, or nothing if not yet known."""
    from coaching.amounts import AmountError, parse_amount
    from coaching.budgets import cents as round_cents

    try:
        amount = parse_amount(row_form["amount"].value())
        years = int(row_form["years"].value() or 0)
    except (AmountError, TypeError, ValueError):
        return ""
    if not amount or years <= 0:
        return ""
    return format_euro(round_cents(amount / years))


@register.simple_tag
def loan_label(key):
    from coaching.forms import LOAN_LABELS

    return LOAN_LABELS.get(key, key)
