"""Form fields of the business plan: amounts and rates typed the Dutch way, text boxes.

Fields only clean and convert what was typed (``coaching.amounts`` reads the amounts).
"""

import datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from coaching.amounts import (
    MAX_AMOUNT,
    AmountError,
    amount_messages,
    format_number,
    format_rate,
    parse_amount,
)

TEXT_MAX = 4000
MAX_RATE = Decimal("25")


class AmountInput(forms.TextInput):
    """A text box for money: the phone shows its number keyboard, saved amounts show Dutch."""

    def __init__(self, attrs=None):
        defaults = {"inputmode": "decimal", "autocomplete": "off", "class": "form-control amount"}
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, Decimal):
            return format_number(value)
        return super().format_value(value)


class RateInput(AmountInput):
    """A text box for an interest rate: a saved rate shows as typed, 9,75 or 9 (not 9,00)."""

    def __init__(self, attrs=None):
        super().__init__({"class": "form-control amount rate", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, Decimal):
            return format_rate(value).removesuffix("%")
        return super().format_value(value)


class AmountField(forms.Field):
    """An amount in euros typed the Dutch way (see ``coaching.amounts.parse_amount``)."""

    widget = AmountInput
    maximum = MAX_AMOUNT

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        try:
            return parse_amount(value, maximum=self.maximum)
        except AmountError as error:
            raise ValidationError(self.messages()[error.code], code=error.code) from error

    @classmethod
    def messages(cls) -> dict[str, str]:
        """The message for each way a typed value can be unreadable (``AmountError.code``);
        the section pages give these to the JavaScript that marks a field while typing."""
        return amount_messages(cls.maximum)


class RateField(AmountField):
    """An interest rate in percent per year; ``9%`` is read as 9, the way most people write it."""

    widget = RateInput
    maximum = MAX_RATE

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().removesuffix("%")
        return super().to_python(value)

    @classmethod
    def messages(cls):
        # The amount messages speak of cents and euros, which is confusing for a percentage.
        number = _("Fill in the interest as a number, for example 7,5.")
        return {
            **amount_messages(cls.maximum),
            "negative": _("Fill in the interest without a minus sign."),
            "format": number,
            "invalid": number,
            "too_large": _("Fill in an interest rate of at most 25%."),
        }


def text_field(label, help_text="", rows=4, max_length=TEXT_MAX):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def line_field(label, help_text="", max_length=120):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=max_length,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


def year_label(year: int):
    return format_lazy(_("Year {year}"), year=year)


def to_json(value):
    """A cleaned value as ``PlanSection.data`` keeps it (JSON has no Decimal or date)."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def month_label(month: int):
    return format_lazy(_("Month {month}"), month=month)
