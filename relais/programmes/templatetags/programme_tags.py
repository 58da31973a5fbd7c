"""Hours as practitioners write them: 44, 1.5 (in the reader's decimal notation)."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def hours(value: Decimal | None) -> str:
    if value is None:
        return "0"
    value = Decimal(value).quantize(Decimal("0.01"))
    places = 0 if value == value.to_integral() else (1 if value * 10 == (value * 10)
                                                     .to_integral() else 2)
    return number_format(value, decimal_pos=places)
