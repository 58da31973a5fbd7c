"""The eligibility criteria of the harassment alarm (COL 3/2023) and its rhythm, kept as a
versioned data file (relais/alarms/data/eligibility.yaml) and checked on load: a fault names
the file and the line.

An organisation points ``RELAIS_ALARM_RULES`` (a Django setting) at its own file of the same
shape; see docs/alarms.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

from relais.accounts.models import Role
from relais.core.datafiles import Reader, load_yaml, translated

DEFAULT_RULES = Path(__file__).resolve().parent / "data" / "eligibility.yaml"
YES, NO, UNKNOWN = "yes", "no", "unknown"
ANSWERS = (YES, NO, UNKNOWN)
TOP_KEYS = {"version", "review_every_months", "task_role", "return_within_days", "criteria"}


@dataclass(frozen=True)
class Criterion:
    code: str
    required: bool  # must be answered yes for the request to be sent
    question: dict[str, str]
    line: int

    def question_in(self, language: str | None) -> str:
        return translated(self.question, language)


@dataclass(frozen=True)
class AlarmRules:
    path: str
    version: int
    review_every_months: int
    task_role: str
    return_within_days: int
    criteria: tuple[Criterion, ...]

    def criterion(self, code: str) -> Criterion | None:
        return next((c for c in self.criteria if c.code == code), None)


def load_rules(path: Path | str) -> AlarmRules:
    """Read and check one rules file; any fault raises DataFileError with file and line."""
    doc = Reader(path, load_yaml(path))
    doc.reject_unknown(TOP_KEYS)
    version = int(doc.number("version", integer=True, minimum=1))
    months = int(doc.number("review_every_months", integer=True, minimum=1))
    if months > 12:
        raise doc.error("'review_every_months' must be at most 12", "review_every_months")
    task_role = doc.text("task_role", choices=tuple(Role.values))
    return_days = int(doc.number("return_within_days", integer=True, minimum=1))
    criteria: list[Criterion] = []
    for entry in doc.mappings("criteria"):
        entry.reject_unknown({"code", "required", "question"})
        code = entry.text("code")
        if not code.replace("_", "").isalnum() or code != code.lower():
            raise entry.error(f"'{code}' must be lower-case letters, digits and _", "code")
        if any(c.code == code for c in criteria):
            raise entry.error(f"criterion '{code}' is defined twice", "code")
        criteria.append(Criterion(code=code, required=entry.flag("required"),
                                  question=entry.translations("question"), line=entry.line))
    return AlarmRules(path=str(path), version=version, review_every_months=months,
                      task_role=task_role, return_within_days=return_days,
                      criteria=tuple(criteria))


def rules_path() -> Path:
    return Path(getattr(settings, "RELAIS_ALARM_RULES", "") or DEFAULT_RULES)


@cache
def alarm_rules() -> AlarmRules:
    """The rules in force (read once; a broken file stops the start, see apps.py)."""
    return load_rules(rules_path())
