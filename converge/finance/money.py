"""Showing money: whole units with grouping in the active language ("1,234,500 SEK" in
English, "1 234 500 SEK" in Swedish), or with öre/cents where they matter. One place, so the
page, the PDF and the deck print the same figure the same way."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format

CENT = Decimal("0.01")


def cents(amount: Decimal | int) -> Decimal:
    """An amount to two decimals, rounded half up: how money leaves us as data (API, JSON), the
    same on every database (PostgreSQL keeps a numeric's scale, SQLite does not)."""
    return Decimal(amount).quantize(CENT, ROUND_HALF_UP)


def money(amount: Decimal | int | None, currency: str, *, cents: bool = False) -> str:
    if amount is None:
        return "—"
    # Django's number_format cuts digits off; round half up to the shown precision first.
    shown = Decimal(amount).quantize(Decimal("0.01") if cents else Decimal(1), ROUND_HALF_UP)
    text = number_format(shown, decimal_pos=2 if cents else 0, use_l10n=True, force_grouping=True)
    return f"{text} {currency}"


def percent(ratio: Decimal | None, places: int = 1) -> str:
    """A ratio (0.25) as a percentage in the active language ("25.0 %"), "—" for None."""
    if ratio is None:
        return "—"
    shown = (Decimal(ratio) * 100).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    return f"{number_format(shown, decimal_pos=places, use_l10n=True, force_grouping=True)} %"
