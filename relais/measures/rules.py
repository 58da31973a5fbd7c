"""The rules of the residence ban (ITR / tijdelijk huisverbod) as versioned data, and the
date arithmetic of bans and releases. Pure functions, no database.

The legal conditions and the durations live in ``relais/measures/data/residence_ban.yaml``
(another file can be named with the setting ``RELAIS_RESIDENCE_BAN_RULES``). The file is
checked on load; an error names the file and the line (``DataFileError``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

from django.conf import settings

from relais.core.datafiles import DataFileError, Reader, load_yaml, translated
from relais.followup.rules import LAST_MINUTE, at_local, later_same_clock, local_day
from relais.risk.instruments import instrument_get

DEFAULT_RULES = Path(__file__).resolve().parent / "data" / "residence_ban.yaml"
ALL_LANGUAGES = ("fr", "nl", "en", "de")
TOP_KEYS = {"code", "version", "law", "durations", "conditions"}
DURATION_KEYS = {"max_days", "default_days", "extension_max_total_days", "monitor_after_days",
                 "expiry_notice_days"}


@dataclass(frozen=True)
class Condition:
    code: str
    required: bool
    label: dict[str, str]
    line: int
    # Risk instruments whose assessment in the file supports the condition (ticked by default).
    supported_by: tuple[str, ...] = ()

    def label_in(self, language: str | None) -> str:
        return translated(self.label, language)


@dataclass(frozen=True)
class BanRules:
    """The residence-ban rules in force (one version of the data file)."""

    version: int
    path: str
    law: dict[str, str]
    max_days: int  # RESIDENCE_BAN_MAX_DAYS: the prosecutor's order
    default_days: int
    extension_max_total_days: int  # EXTENSION_MAX_DAYS: the whole ban after extension(s)
    monitor_after_days: int
    expiry_notice_days: int
    conditions: tuple[Condition, ...]

    def law_in(self, language: str | None) -> str:
        return translated(self.law, language)

    @property
    def required_codes(self) -> frozenset[str]:
        return frozenset(c.code for c in self.conditions if c.required)

    def condition(self, code: str) -> Condition:
        return next(c for c in self.conditions if c.code == code)

    # --- Dates (Brussels wall clock, see relais.followup.rules) -------------------------------
    def latest_end(self, starts_at: datetime) -> datetime:
        """The latest end the prosecutor may order."""
        return later_same_clock(starts_at, days=self.max_days)

    def default_end(self, starts_at: datetime) -> datetime:
        return later_same_clock(starts_at, days=self.default_days)

    def latest_extended_end(self, starts_at: datetime) -> datetime:
        """The latest end the family court may extend to (counted from the start)."""
        return later_same_clock(starts_at, days=self.extension_max_total_days)

    def monitor_due(self, starts_at: datetime) -> datetime:
        return later_same_clock(starts_at, days=self.monitor_after_days)

    def expiry_due(self, ends_at: datetime, now: datetime) -> datetime:
        """When the office decides on extension: some days before the end, never in the past."""
        return max(later_same_clock(ends_at, days=-self.expiry_notice_days), now)


def load_rules(path: Path | str) -> BanRules:
    """Read and check a residence-ban rules file (errors name the file and the line)."""
    doc = Reader(path, load_yaml(path))
    doc.reject_unknown(TOP_KEYS)
    if doc.text("code") != "residence_ban":
        raise doc.error("'code' must be residence_ban", "code")
    version = int(doc.number("version", integer=True, minimum=1))
    law = doc.translations("law", languages=ALL_LANGUAGES)

    durations = doc.sub("durations")
    durations.reject_unknown(DURATION_KEYS)
    days = {key: int(durations.number(key, integer=True, minimum=1)) for key in
            sorted(DURATION_KEYS)}
    if days["default_days"] > days["max_days"]:
        raise durations.error("'default_days' cannot be more than 'max_days'", "default_days")
    if days["extension_max_total_days"] < days["max_days"]:
        raise durations.error("'extension_max_total_days' cannot be less than 'max_days'",
                              "extension_max_total_days")

    conditions: list[Condition] = []
    for entry in doc.mappings("conditions"):
        entry.reject_unknown({"code", "required", "label", "supported_by"})
        code = entry.text("code")
        if any(c.code == code for c in conditions):
            raise entry.error(f"condition '{code}' is defined twice", "code")
        for instrument in entry.texts("supported_by"):
            try:
                instrument_get(instrument)
            except KeyError:
                raise entry.error(f"unknown risk instrument '{instrument}'",
                                  "supported_by") from None
        conditions.append(Condition(code=code, required=entry.flag("required"),
                                    label=entry.translations("label", languages=ALL_LANGUAGES),
                                    line=entry.line,
                                    supported_by=tuple(entry.texts("supported_by"))))
    if not any(c.required for c in conditions):
        raise doc.error("at least one condition must be required", "conditions")
    return BanRules(version=version, path=str(path), law=law, conditions=tuple(conditions),
                    **days)


def rules_path() -> Path:
    return Path(getattr(settings, "RELAIS_RESIDENCE_BAN_RULES", "") or DEFAULT_RULES)


@cache
def _rules_at(path: str) -> BanRules:
    return load_rules(path)


def ban_rules() -> BanRules:
    """The rules in force (read once per process)."""
    return _rules_at(str(rules_path()))


def end_of_day(moment: datetime) -> datetime:
    """23:59 Brussels time on the day of ``moment``."""
    return at_local(local_day(moment), LAST_MINUTE)


__all__ = ["BanRules", "Condition", "DataFileError", "ban_rules", "end_of_day", "load_rules"]
