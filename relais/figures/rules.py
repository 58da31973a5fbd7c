"""The field's counting rules, as small pure functions with their tests
(relais/figures/tests/test_rules.py). docs/figures.md says why each exists.

- Rounding is half away from zero (2.25 → 2.3, −2.25 → −2.3), never Python's banker's rounding.
- A share is a count over its N (the units counted: incidents, files, zones), in %.
- A variation is the change from the previous period of the same area and category, in %; none
  when that period is missing or its count is 0.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def round_half_away(value: float | Decimal | None, decimals: int = 1) -> Decimal | None:
    """``value`` rounded half away from zero to ``decimals`` places (None stays None)."""
    if value is None:
        return None
    exponent = Decimal(1).scaleb(-decimals)
    # Decimal(str(...)) so that 2.675 is the 2.675 one typed, not 2.67499999...
    return Decimal(str(value)).quantize(exponent, rounding=ROUND_HALF_UP)


def share_pct(count: int, total: int | None, decimals: int = 1) -> Decimal | None:
    """``count`` as a % of its N; None when there is no N (or it is 0)."""
    if not total:
        return None
    return round_half_away(Decimal(count) * 100 / Decimal(total), decimals)


def variation_pct(current: int, previous: int | None, decimals: int = 1) -> Decimal | None:
    """The change from the previous period in %; None when it is missing or 0."""
    if not previous:
        return None
    return round_half_away((Decimal(current) - Decimal(previous)) * 100 / Decimal(previous),
                           decimals)
