"""Amounts as residents type them: Dutch notation in, ``Decimal`` out, and back for display.

``parse_amount`` is the one place that reads a typed amount; the form fields and the plan's
JavaScript (static/js/plan-budgets.js, ``parseAmount``) follow the same rules.
"""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

CENT = Decimal("0.01")
# Ten million: far above any plan a microloan desk sees; a typo like 12500000 is caught.
MAX_AMOUNT = Decimal("10000000")

_CURRENCY = re.compile(r"€|\beuros?\b|\beur\b", re.IGNORECASE)
# 1.250 or 1.250,50 or 1.250.000: dots group thousands, a comma starts the cents.
_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+(,\d{1,2})?$")
# 1250 or 1250,5 or 1250,50
_PLAIN = re.compile(r"^\d+(,\d{1,2})?$")
# 1250.50 as a calculator or an English spreadsheet writes it: one dot, one or two decimals.
_DECIMAL_POINT = re.compile(r"^\d+\.\d{1,2}$")
_ONLY_NUMBER_SIGNS = re.compile(r"^[\d.,]+$")


class AmountError(ValueError):
    """A typed amount that cannot be used; ``message`` says why in the user's language."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


def amount_messages(maximum: Decimal = MAX_AMOUNT) -> dict[str, str]:
    """What is wrong with an amount that cannot be used, by ``AmountError.code``.

    The one source of these messages: ``parse_amount`` raises them, and the section pages hand
    them to the plan's JavaScript, which shows them beside a field while the resident types.
    """
    return {
        "negative": _("Fill in an amount without a minus sign."),
        "format": _("We cannot read this amount. Use a comma for the cents, for example 1.250,50."),
        "invalid": _("Fill in an amount in figures, for example 1.250,50."),
        "too_large": _("This amount is too high. Fill in at most € %(maximum)s.")
        % {"maximum": format_number(maximum, places=0)},
    }


def _error(code: str, maximum: Decimal) -> AmountError:
    return AmountError(amount_messages(maximum)[code], code)


def parse_amount(text, *, maximum: Decimal = MAX_AMOUNT) -> Decimal | None:
    """Read an amount typed the Dutch way; ``None`` when nothing was typed.

    Accepted: ``1.250,50``, ``1250,50``, ``€ 1250``, ``1250``, ``1.250``, ``1250,-`` and
    ``1250.50`` (one dot followed by one or two digits is read as a decimal point). Refused with
    a message: text, a minus sign, more than two decimals, amounts above ``maximum``.
    """
    if text is None:
        return None
    if isinstance(text, Decimal | int):
        text = str(text)
    cleaned = _CURRENCY.sub("", str(text)).replace("\u00a0", "").replace(" ", "").strip()
    if cleaned.endswith(",--"):
        cleaned = cleaned[:-3]
    elif cleaned.endswith(",-"):
        cleaned = cleaned[:-2]
    if not cleaned:
        return None
    if cleaned[0] in "-−–":
        raise _error("negative", maximum)
    if cleaned[0] == "+":
        cleaned = cleaned[1:]
    if _GROUPED.match(cleaned) or _PLAIN.match(cleaned):
        number = cleaned.replace(".", "").replace(",", ".")
    elif _DECIMAL_POINT.match(cleaned):
        number = cleaned
    elif _ONLY_NUMBER_SIGNS.match(cleaned):
        raise _error("format", maximum)
    else:
        raise _error("invalid", maximum)
    try:
        value = Decimal(number).quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation as error:  # pragma: no cover - the patterns above rule this out
        raise _error("invalid", maximum) from error
    if value > maximum:
        raise _error("too_large", maximum)
    return value


def to_decimal(value) -> Decimal:
    """A stored amount (a string like ``"1250.50"``, or nothing) as a Decimal; nothing is 0."""
    if value in (None, ""):
        return Decimal("0.00")
    return Decimal(str(value))


def format_number(value, places: int = 2) -> str:
    """``Decimal("12500.5")`` → ``"12.500,50"``: dots between thousands, a comma for decimals."""
    if value is None:
        return ""
    quantum = Decimal(1).scaleb(-places)
    value = Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    whole, _dot, fraction = f"{abs(value):.{places}f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{sign}{grouped},{fraction}" if places else f"{sign}{grouped}"


# Between the sign and the amount a no-break space: a line never ends in a lone "€" (in a
# sentence on a phone, or in the pack).
NBSP = "\u00a0"


def format_euro(value) -> str:
    """``Decimal("12500")`` → ``"€ 12.500,00"``; a negative amount → ``"€ -1.250,00"`` (the
    space is a no-break space)."""
    if value is None:
        return ""
    return f"€{NBSP}{format_number(value)}"


def format_rate(value) -> str:
    """An interest rate as it was typed: ``Decimal("9.75")`` → ``"9,75%"``, ``"9.00"`` → ``"9%"``.

    Rates are stored with two decimals; rounding them to one (9,8%) would show a rate the
    lender never offered, so only the trailing zeros go.
    """
    if value in (None, ""):
        return ""
    text = format_number(value, places=2).rstrip("0").rstrip(",")
    return f"{text}%"
