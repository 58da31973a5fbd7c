"""The headline risk level of a case: one rule, used by the case page, the follow-up's
priorities and the reassessment tick.

- The headline assessment is the newest full assessment; a screening (the counter checklist)
  only when the case has no full assessment, so a quick "no signal" at the desk never hides a
  high-risk grid.
- The level in force is the computed level while a lowered level waits for its second-person
  confirmation, the final level otherwise.
- An assessment that can never be the headline again is *superseded* (``superseded_ids``): a
  newer full assessment supersedes every older one, a newer screening the older screenings.
  Readers that want the headline may read only the current ones (the follow-up tick does).
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


def superseded_ids(rows: Iterable[Mapping[str, Any]]) -> list[int]:
    """The ids of the assessments that can never be the headline again, from rows (``pk``,
    ``case_id``, ``instrument_code``) newest first within each case; an instrument no longer
    shipped supersedes nothing and stays as it is."""
    out: list[int] = []
    known: dict[str, bool | None] = {}
    case_id, full_seen, screening_seen = None, False, False
    for row in rows:
        if row["case_id"] != case_id:
            case_id, full_seen, screening_seen = row["case_id"], False, False
        code = row["instrument_code"]
        if code not in known:
            known[code] = _screening(code)
        screening = known[code]
        if screening is None:
            continue
        if full_seen or (screening and screening_seen):
            out.append(row["pk"])
        elif screening:
            screening_seen = True
        else:
            full_seen = True
    return out
