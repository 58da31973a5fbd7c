"""A body's referral criteria, as versioned data, and which of them a case meets.

The rules of one version (``Criteria.rules``) are a small JSON object; ``DEFAULT_RULES`` is the
first version of every new body:

- ``criticality_levels``: the levels of the criticality grid (in the spirit of Evivico) that
  refer on their own (its top level, "critical");
- ``col15_critical_signal``: a critical signal ("bomb") on the COL 15/2020 police grid refers;
- ``professional_concern``: a written professional concern refers on its own;
- ``escalation``: so many incidents (reports, by date of the facts) in so many months;
- ``repeat_months``: a new incident within so many months of the case's last hearing makes the
  referral a repeat (MARAC practice);
- ``emergency_hours``: an imminent danger is heard within that delay;
- ``review_days``: the monitoring interval per level agreed at a meeting.

``criteria_met`` reads only the assessments the referring person may read herself: the form
never tells her a level her access hides.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from relais.access.cases import CaseAccess
from relais.access.risk import readable_scopes
from relais.followup.notes import Reason, reason, register_note
from relais.intake.models import Report
from relais.risk.headline import row_level
from relais.risk.instruments import instrument_get
from relais.risk.models import RiskAssessment

DEFAULT_RULES: dict[str, Any] = {
    "criticality_levels": ["critical"],
    "col15_critical_signal": True,
    "professional_concern": True,
    "escalation": {"incidents": 3, "months": 12},
    "repeat_months": 12,
    "emergency_hours": 48,
    "review_days": {"moderate": 56, "high": 28, "very_high": 14, "critical": 7},
}
CRITICALITY_GRID = "criticality_grid"
COL15_GRID = "police_grid"



def _level_words(params: dict[str, Any]) -> dict[str, Any]:
    """The grid's level code in the reader's language."""
    try:
        level = instrument_get(CRITICALITY_GRID).level(params.get("level", ""))
    except (KeyError, StopIteration, ValueError):
        return params
    return {**params, "level": level.label_in((get_language() or "en")[:2])}


register_note("criterion_criticality", _(
    "The criticality grid (in the spirit of Evivico) gives \"%(level)s\" (%(date)s)."),
    params=_level_words)
register_note("criterion_col15", _(
    "The COL 15/2020 police grid shows %(count)s critical signal(s) (%(date)s)."))
register_note("criterion_concern", _("Professional concern, in the referrer's words."))
register_note("criterion_escalation", _(
    "%(count)s incidents in the last %(months)s months (the body refers from %(threshold)s)."))
register_note("criterion_repeat", _(
    "A new incident on %(date)s, within %(months)s months of the last hearing (%(heard)s): "
    "a repeat referral."))


def rules_check(rules: Any) -> list[str]:
    """What is wrong with a set of rules (empty: they can be published)."""
    problems = []
    if not isinstance(rules, dict):
        return [str(_("The criteria must be a JSON object."))]
    escalation = rules.get("escalation", {})
    for key, value in (("escalation.incidents", escalation.get("incidents")),
                       ("escalation.months", escalation.get("months")),
                       ("repeat_months", rules.get("repeat_months")),
                       ("emergency_hours", rules.get("emergency_hours"))):
        if not isinstance(value, int) or not 1 <= value <= 240:
            problems.append(str(_("%(key)s must be a whole number from 1 to 240.")
                                % {"key": key}))
    days = rules.get("review_days", {})
    if not isinstance(days, dict) or not all(isinstance(v, int) and 1 <= v <= 365
                                             for v in days.values()):
        problems.append(str(_("review_days must give a number of days (1–365) per level.")))
    return problems


def _date(value: datetime) -> str:
    return value.strftime("%d/%m/%Y")


def criteria_met(*, access: CaseAccess, rules: dict[str, Any], concern: str, now: datetime,
                 last_heard_at: datetime | None) -> Reason:
    """The criteria the case meets, as reasons (codes with parameters), for the reader of
    ``access``."""
    met: Reason = []
    readable = readable_scopes(access)
    newest: dict[str, dict] = {}
    rows = (RiskAssessment.objects.filter(case=access.case,
                                          instrument_code__in=(CRITICALITY_GRID, COL15_GRID))
            .order_by("-assessed_at", "-id")
            .values("instrument_code", "person_id", "scope", "computed_level", "final_level",
                    "lowered", "confirmed_by_id", "critical_signals", "assessed_at"))
    for row in rows:
        if row["instrument_code"] not in newest and (
                not row["scope"] or row["scope"] in readable(row["person_id"])):
            newest[row["instrument_code"]] = row
    grid = newest.get(CRITICALITY_GRID)
    if grid and row_level(grid) in rules.get("criticality_levels", ()):
        met += reason("criterion_criticality", level=row_level(grid),
                      date=_date(grid["assessed_at"]))
    police = newest.get(COL15_GRID)
    if police and rules.get("col15_critical_signal") and police["critical_signals"]:
        met += reason("criterion_col15", count=str(len(police["critical_signals"])),
                      date=_date(police["assessed_at"]))
    if rules.get("professional_concern") and concern.strip():
        met += reason("criterion_concern")
    escalation = rules.get("escalation") or {}
    months = int(escalation.get("months", 12))
    threshold = int(escalation.get("incidents", 0))
    since = now - timedelta(days=round(30.44 * months))
    incidents = Report.objects.filter(case=access.case, offence_at__gte=since)
    count = incidents.count()
    if threshold and count >= threshold:
        met += reason("criterion_escalation", count=str(count), months=str(months),
                      threshold=str(threshold))
    if last_heard_at is not None:
        repeat_months = int(rules.get("repeat_months", 12))
        window_end = last_heard_at + timedelta(days=round(30.44 * repeat_months))
        newer = (Report.objects.filter(case=access.case, offence_at__gt=last_heard_at,
                                       offence_at__lte=min(window_end, now))
                 .order_by("offence_at").values_list("offence_at", flat=True).first())
        if newer is not None:
            met += reason("criterion_repeat", date=_date(newer), months=str(repeat_months),
                          heard=_date(last_heard_at))
    return met


def is_repeat(met: Reason) -> bool:
    return any(code == "criterion_repeat" for code, _params in met)


def review_days(rules: dict[str, Any], level: str) -> int:
    """The monitoring interval that follows the level agreed at a meeting."""
    return int((rules.get("review_days") or {}).get(level, 28))
