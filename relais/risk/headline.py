"""The headline risk level of a case: one rule, used by the case page, the follow-up's
priorities and the reassessment tick.

- The headline assessment is the newest full assessment; a screening (the counter checklist)
  only when the case has no full assessment, so a quick "no signal" at the desk never hides a
  high-risk grid.
- The level in force is the computed level while a lowered level waits for its second-person
  confirmation, the final level otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from relais.risk.instruments import instrument_get

T = TypeVar("T")
# The assessment fields the rule reads, for callers that read rows with ``values()``.
HEADLINE_FIELDS = ("case_id", "instrument_code", "computed_level", "final_level", "lowered",
                   "confirmed_by_id")


def level_in_force(*, computed_level: str, final_level: str, lowered: bool,
                   confirmed_by_id: int | None) -> str:
    awaiting = lowered and confirmed_by_id is None
    return computed_level if awaiting else final_level


def row_level(row: Mapping[str, Any]) -> str:
    """The level in force of an assessment row (``values()`` with ``HEADLINE_FIELDS``)."""
    return level_in_force(computed_level=row["computed_level"], final_level=row["final_level"],
                          lowered=row["lowered"], confirmed_by_id=row["confirmed_by_id"])


def headline_of(newest_first: Iterable[T], *, is_screening: Callable[[T], bool]) -> T | None:
    """The headline among one case's assessments, given newest first."""
    screening = None
    for item in newest_first:
        if not is_screening(item):
            return item
        if screening is None:
            screening = item
    return screening


def _screening(code: str) -> bool | None:
    try:
        return instrument_get(code).screening
    except KeyError:
        return None  # an instrument no longer shipped: not a headline


def headlines(rows: Iterable[Mapping[str, Any]]) -> dict[int, Mapping[str, Any]]:
    """The headline row of each case, from assessment rows newest first within each case."""
    best: dict[int, Mapping[str, Any]] = {}
    best_is_screening: dict[int, bool] = {}
    known: dict[str, bool | None] = {}
    for row in rows:
        code = row["instrument_code"]
        if code not in known:
            known[code] = _screening(code)
        screening = known[code]
        if screening is None:
            continue
        case_id = row["case_id"]
        if case_id in best and (not best_is_screening[case_id] or screening):
            continue  # a newer full assessment already holds, or this one is no better
        best[case_id] = row
        best_is_screening[case_id] = screening
    return best
