"""Showing a plan: amounts the Dutch way, and lookups the budget tables need."""

from decimal import Decimal

from django import template
from django.utils.dates import MONTHS_3

from coaching.amounts import AmountError, format_euro, format_number, format_rate, parse_amount
from coaching.budgets import yearly_depreciation
from coaching.fields import AmountField, RateField
from coaching.section_forms import LOAN_KIND_CHOICES, LOAN_LABELS

register = template.Library()


@register.filter
def euro(value):
    """``12500`` → ``€ 12.500,00`` (always Dutch, whatever the page language: it is money)."""
    if value in (None, ""):
        return ""
    return format_euro(Decimal(value))


@register.filter
def percent(value):
    """A computed share: ``Decimal("31.7")`` → ``31,7%`` (one decimal)."""
    if value is None:
        return ""
    return f"{format_number(value, places=1)}%"


@register.filter
def rate(value):
    """An interest rate as typed: ``Decimal("9.75")`` → ``9,75%``, ``Decimal("9.00")`` → ``9%``."""
    return format_rate(value)


@register.filter
def month_label(value):
    """A plan month's calendar month, ``sep 2027``, in the page's language (empty if unknown)."""
    if not value:
        return ""
    return f"{MONTHS_3[value.month]} {value.year}"


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
    try:
        amount = parse_amount(row_form["amount"].value())
        years = int(row_form["years"].value() or 0)
    except (AmountError, TypeError, ValueError):
        return ""
    if not amount or years <= 0:
        return ""
    return format_euro(yearly_depreciation(amount, years))


@register.simple_tag
def loan_label(key):
    return LOAN_LABELS.get(key, key)


@register.simple_tag
def loan_kind_label(kind):
    return dict(LOAN_KIND_CHOICES).get(kind, kind)


@register.simple_tag
def month_names() -> str:
    """The twelve short month names (``jan,feb,mrt,…``) for the schedules built in the browser."""
    return ",".join(str(MONTHS_3[month]) for month in range(1, 13))


@register.simple_tag
def amount_messages() -> dict:
    """What the plan's JavaScript says beside an amount or a rate it cannot read while the
    resident types: the same messages, in the same language, as the form gives on saving."""
    return {
        "amount": {"maximum": str(AmountField.maximum), "messages": AmountField.messages()},
        "rate": {"maximum": str(RateField.maximum), "messages": RateField.messages()},
    }
