"""Money is shown rounded (half up) to whole units or to the cent, grouped by language."""

from decimal import Decimal

from django.utils import translation

from converge.finance.money import money


def test_whole_units_are_rounded_half_up_not_cut() -> None:
    with translation.override("en"):
        assert money(Decimal("1234.50"), "SEK") == "1,235 SEK"
        assert money(Decimal("1234.49"), "SEK") == "1,234 SEK"


def test_cents_are_rounded_half_up_and_swedish_groups_with_a_space() -> None:
    with translation.override("sv"):
        assert money(Decimal("1234567.005"), "SEK", cents=True) == "1\xa0234\xa0567,01 SEK"


def test_no_amount_is_a_dash() -> None:
    assert money(None, "SEK") == "—"
