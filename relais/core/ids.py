"""Database ids read from an address, a query string, a form or a JSON body.

An id is a whole number from 1 to 2**63 - 1 (the largest a database key column holds). Anything
else is no id: in an address the pattern does not match (the usual 404); in a query string or a
form value it is ignored, or the form says the choice is not valid. Nothing bigger ever reaches
the database, which would otherwise fail with a server error (SQLite cannot bind it, PostgreSQL
refuses it).
"""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.core.exceptions import ValidationError

MAX_ID = 2**63 - 1


class IdConverter:
    """``<id:case_id>`` in a URL pattern: 1 to 19 digits that fit a database key."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 0 < number <= MAX_ID:
            raise ValueError("not a database id")  # the resolver reads this as "no match"
        return number

    def to_url(self, value: int | str) -> str:
        return str(value)


def parse_id(raw: object) -> int | None:
    """The id in ``raw`` (digits, possibly around spaces, or an int), else None."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        number = raw
    elif isinstance(raw, str):
        text = raw.strip()
        if not (text.isascii() and text.isdigit()) or len(text) > 19:
            return None
        number = int(text)
    else:
        return None
    return number if 0 < number <= MAX_ID else None


def parse_ids(raws: Iterable[object]) -> list[int]:
    """The ids among ``raws`` in their order, without repeats; the others are left out."""
    found: dict[int, None] = {}
    for raw in raws:
        number = parse_id(raw)
        if number is not None:
            found[number] = None
    return list(found)


class ModelMultipleIdChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField whose values are database ids: one that is no id (too big,
    negative, not a number) is an invalid choice, and never reaches the database (Django
    checks the ``pk__in`` list only against the database)."""

    def _check_values(self, value):
        for raw in value:
            if parse_id(raw) is None:
                raise ValidationError(self.error_messages["invalid_pk_value"],
                                      code="invalid_pk_value", params={"pk": raw})
        return super()._check_values(value)
