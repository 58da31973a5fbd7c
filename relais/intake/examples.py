"""A complete, fictitious intake: the arguments of ``report_record`` for tests, the benchmark
and the demo (one place, so the three stay in step with the record's rules)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from relais.intake.models import RecordKind
from relais.risk.instruments import instrument_get


def checklist_answers(answer: str = "no", **overrides: str) -> dict[str, str]:
    """Every counter-checklist question answered ``answer``, except the ``overrides``."""
    items = instrument_get("counter_checklist").items
    return {**{item.code: answer for item in items}, **overrides}


def grid_answers(code: str, answer: str = "no", **overrides: str) -> dict[str, str]:
    return {**{item.code: answer for item in instrument_get(code).items}, **overrides}


def report_arguments(*, victim_id: int, perpetrator_id: int | None = None,
                     official: bool = True, **overrides: Any) -> dict[str, Any]:
    """An intake at the desk in Ixelles (1050), the day after the facts."""
    data: dict[str, Any] = {
        "victim_id": victim_id,
        "perpetrator_id": perpetrator_id,
        "kind": RecordKind.OFFICIAL_REPORT if official else RecordKind.INFORMATION_REPORT,
        "source": "walk_in",
        "offence_at": timezone.now() - timedelta(days=1),
        "recorded_on": timezone.localdate(),
        "postcode": "1050",
        "municipality": "21009",
        "forms": ["physical", "psychological"] if official else ["verbal"],
        "visible_injuries": official,
        "signs_of_struggle": False,
        "facts_context": "Fictitious example. Argument in the kitchen about money.",
        "facts_words": "He said: 'You will not leave this house.'",
        "facts_actions": "He pushed her against the wall; redness on the left arm."
                         if official else "He shouted and slammed the door.",
        "no_children_concerned": False,
        "children_present": "yes",
        "children_impact": "The child (7) was in the next room and cried.",
        "risk_weapons": "None known.",
        "risk_threats": "",
        "risk_history": "Two earlier calls this year.",
        "perpetrator_left": "yes",
        "accommodation": "",
        "referred_sapv": True,
        "interpreter": "none",
        "seen_alone": "yes",
        "spoke_freely": "yes",
        "childcare": "not_needed",
        "day2_contact_agreed": True,
        "perpetrator_informed": "yes",
        "checklist": checklist_answers("no", children="yes"),
    }
    data.update(overrides)
    return data
