"""The one number reader: exact or refused, the same at every entry point."""

from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from readiness.numbers import NumberRefused, number_parse, number_text


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("1,200", Decimal(1200)),
        ("12,345,678.25", Decimal("12345678.25")),
        ("1 200", Decimal(1200)),
        ("1\u00a0200", Decimal(1200)),
        ("໑໒໓", Decimal(123)),
        ("໒.໕", Decimal("2.5")),
        ("  42 ", Decimal(42)),
        ("-3.5", Decimal("-3.5")),
        ("\u22124", Decimal(-4)),
        (".5", Decimal("0.5")),
        ("2.50000", Decimal("2.5")),
        ("007", Decimal(7)),
        (0.1, Decimal("0.1")),
        (1200.0, Decimal(1200)),
    ],
)
def test_it_reads_each_spelling_as_the_number_meant(typed, meant):
    assert number_parse(typed) == meant


@pytest.mark.parametrize(
    "typed",
    ["2,5", "0,5", "1,2,3", "1,20", "0,500", "12,5000", "1e3", "1E-2", "1_000", "nan", "inf",
     "Infinity", "--1", "1.2.3", ",", ".", "", "1,200,00", "½", "12 5"],
)  # fmt: skip
def test_it_refuses_every_ambiguous_or_foreign_spelling_and_quotes_it(typed):
    with pytest.raises(NumberRefused) as refused:
        number_parse(typed)
    message = str(refused.value.args[0])
    assert f"“{typed.strip()}”" in message
    assert "1,200" in message and "2.5" in message  # the expected form is shown


def test_it_refuses_more_decimals_than_the_column_keeps_instead_of_rounding():
    with pytest.raises(NumberRefused, match="at most 4 digits"):
        number_parse("0.00001", places=4)
    with pytest.raises(NumberRefused):
        number_parse(1e-05, places=4)  # a spreadsheet's float is no way around it
    assert number_parse("0.0001", places=4) == Decimal("0.0001")


def test_a_whole_number_may_not_carry_a_fraction_but_may_end_in_point_zero():
    assert number_parse("12.0", whole=True) == 12
    with pytest.raises(NumberRefused, match="not a whole number"):
        number_parse("12.5", whole=True)


def test_the_range_is_part_of_the_rule():
    with pytest.raises(NumberRefused, match="between 0 and 10"):
        number_parse("11", low=Decimal(0), high=Decimal(10))


def test_a_spreadsheet_number_is_written_out_without_exponent():
    assert number_text(1e-05) == "0.00001"
    assert number_text(1200.0) == "1200"
    assert number_text(12345678901234.0) == "12345678901234"


# --- property: whatever the spelling, the stored number is the one meant, or nothing --------

amounts = st.decimals(
    min_value=Decimal("-999999999999"),
    max_value=Decimal("999999999999"),
    places=4,
    allow_nan=False,
    allow_infinity=False,
)
LAO = str.maketrans("0123456789", "໐໑໒໓໔໕໖໗໘໙")


def spellings(number: Decimal) -> list[str]:
    plain = format(number, "f")
    whole, _, fraction = plain.lstrip("-").partition(".")
    sign = "-" if number < 0 else ""
    grouped = f"{int(whole):,}" + (f".{fraction}" if fraction else "")
    return [plain, sign + grouped, (sign + grouped).translate(LAO), f" {plain} "]


@settings(max_examples=200, deadline=None)
@given(amounts)
def test_every_accepted_spelling_of_a_number_reads_back_as_that_number(number):
    for text in spellings(number):
        assert number_parse(text) == number, text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789,. -+e໑໕_", max_size=14))
def test_random_text_is_either_refused_or_read_exactly(text):
    try:
        number = number_parse(text)
    except NumberRefused:
        return
    # Accepted: the digits, once separators are gone, are exactly the number's.
    digits = text.translate(str.maketrans("໑໕", "15")).replace(",", "").replace(" ", "")
    assert Decimal(digits) == number
    assert "e" not in text and "_" not in text
