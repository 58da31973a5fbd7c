from decimal import Decimal

from relais.figures.rules import round_half_away, share_pct, variation_pct


def test_rounding_is_half_away_from_zero():
    assert round_half_away(2.25) == Decimal("2.3")
    assert round_half_away(-2.25) == Decimal("-2.3")
    assert round_half_away(2.675, 2) == Decimal("2.68")
    assert round_half_away(0.05, 1) == Decimal("0.1")
    assert round_half_away(None) is None


def test_share_and_variation():
    assert share_pct(1, 3) == Decimal("33.3")
    assert share_pct(2, 3) == Decimal("66.7")
    assert share_pct(5, 0) is None and share_pct(5, None) is None
    assert variation_pct(15, 10) == Decimal("50.0")
    assert variation_pct(9, 12, 2) == Decimal("-25.00")
    assert variation_pct(3, None) is None and variation_pct(3, 0) is None
