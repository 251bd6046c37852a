"""Amounts typed the Dutch way: one function reads them all (coaching.amounts.parse_amount)."""

from decimal import Decimal as D

import pytest

from coaching.amounts import (
    AmountError,
    amount_messages,
    format_euro,
    format_number,
    format_rate,
    parse_amount,
)
from coaching.fields import RateField


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1.250,50", D("1250.50")),
        ("€\u00a01250", D("1250.00")),
        ("€1.250,50", D("1250.50")),
        ("1250", D("1250.00")),
        ("1250,5", D("1250.50")),
        ("1.250", D("1250.00")),
        ("1.250.000", D("1250000.00")),
        ("1250,-", D("1250.00")),
        ("  12 500  ", D("12500.00")),
        ("1250.50", D("1250.50")),  # pasted from a calculator
        ("EUR 80", D("80.00")),
        ("0", D("0.00")),
        ("0,99", D("0.99")),
        ("10.000.000", D("10000000.00")),
    ],
)
def test_dutch_notation_is_understood(typed, expected):
    assert parse_amount(typed) == expected


@pytest.mark.parametrize("typed", ["", "   ", None, "€", ",-"])
def test_nothing_typed_is_no_amount(typed):
    assert parse_amount(typed) is None


@pytest.mark.parametrize(
    ("typed", "code", "message"),
    [
        ("duizend", "invalid", "Vul een bedrag in cijfers in"),
        ("12a", "invalid", "Vul een bedrag in cijfers in"),
        ("1e5", "invalid", "Vul een bedrag in cijfers in"),
        ("NaN", "invalid", "Vul een bedrag in cijfers in"),
        ("<script>", "invalid", "Vul een bedrag in cijfers in"),
        ("-250", "negative", "zonder minteken"),
        ("− 250", "negative", "zonder minteken"),
        ("1,250", "format", "Gebruik een komma voor de centen"),
        ("1,250.50", "format", "Gebruik een komma voor de centen"),
        ("12,345", "format", "Gebruik een komma voor de centen"),
        ("1.2.3", "format", "Gebruik een komma voor de centen"),
        ("10.000.000,01", "too_large", "te hoog"),
        ("99999999999999999999", "too_large", "maximaal € 10.000.000"),
    ],
)
def test_nonsense_negative_and_absurd_amounts_are_refused_in_dutch(typed, code, message):
    with pytest.raises(AmountError) as caught:
        parse_amount(typed)
    assert caught.value.code == code
    assert message in caught.value.message


def test_a_lower_maximum_applies_to_interest_rates():
    assert parse_amount("8,5", maximum=D("25")) == D("8.50")
    with pytest.raises(AmountError):
        parse_amount("250", maximum=D("25"))


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (D("12500"), "€\u00a012.500,00"),
        (D("1250.5"), "€\u00a01.250,50"),
        (D("0"), "€\u00a00,00"),
        (D("-1250"), "€\u00a0-1.250,00"),
        (D("999.995"), "€\u00a01.000,00"),
        (D("1234567.89"), "€\u00a01.234.567,89"),
    ],
)
def test_amounts_are_shown_the_dutch_way(value, shown):
    assert format_euro(value) == shown


def test_a_shown_amount_reads_back_as_the_same_amount():
    for value in (D("0.01"), D("999.99"), D("1250.50"), D("35000.00"), D("9999999.99")):
        assert parse_amount(format_number(value)) == value


@pytest.mark.parametrize(
    ("typed", "code"), [("1,250.00", "format"), ("-500", "negative"), ("0,005", "format")]
)
def test_the_messages_the_page_hands_to_its_javascript_are_the_servers_own(typed, code):
    """The live marking while typing (static/js/plan-amounts.js) shows these very messages."""
    with pytest.raises(AmountError) as caught:
        parse_amount(typed)
    assert amount_messages()[code] == caught.value.message
    assert RateField.messages()["too_large"] == "Vul een rente in van hoogstens 25%."
    assert RateField.messages()["format"] == "Vul de rente in als getal, bijvoorbeeld 7,5."


@pytest.mark.parametrize(
    ("stored", "shown"),
    [("9.75", "9,75%"), ("9.00", "9%"), ("7.50", "7,5%"), ("0.00", "0%"), ("10.00", "10%")],
)
def test_a_rate_is_shown_as_it_was_typed(stored, shown):
    assert format_rate(D(stored)) == shown
