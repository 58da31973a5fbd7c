"""Closing a case (issue 20 §4): what is still open, and what a reason needs first.

The case file does not know follow-up, measures, alarms or the consultation; each tells it
through registries filled in its ``AppConfig.ready`` (arrows point down):

- ``register_open_items(name, provider)``: ``provider(access)`` returns the ``OpenItem`` the
  reader may see that are still open on the case (open follow-up tasks, an open consultation).
  Measures in force (residence ban, detention, decisions, harassment alarms) come from
  ``relais.cases.measures`` already.
- ``register_reason_check(reason, check)``: ``check(access)`` returns why this reason cannot be
  given yet (e.g. "no contact possible" needs the required contact attempts, counted by the
  follow-up), or ``""``.
- ``register_approval_step(fn)``: ``fn(access)`` names an approval step the closure needs
  (``case_close_high_risk`` when the risk in force is high or very high, from ``risk``), or
  ``""``; whether that step needs a second person in the agency is the approvals' rules file.

Decisions (docs/approvals-and-closure.md): open items are listed with their links and must be
acknowledged; an active harassment alarm blocks the closure (the device must be taken back
first); "no contact possible" is blocked until the required attempts are recorded; "moved" and
"continues in another case" need a note saying where (no address).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from relais.access.cases import CaseAccess
from relais.cases.measures import measures_in_force
from relais.cases.models import Case, CaseClosure, ClosureReason

# Unsuccessful contact attempts needed before "no contact possible" (checked by the follow-up).
REQUIRED_CONTACT_ATTEMPTS = 3
# Reasons whose note is required (where she moved, which case continues: never an address).
NOTE_REQUIRED = frozenset({ClosureReason.MOVED, ClosureReason.MERGED})
BLOCKING_MEASURES = frozenset({"alarm"})


@dataclass(frozen=True)
class OpenItem:
    kind: str  # a stable code: "task", "measure", "alarm", "consultation"
    label: str  # translated, no personal data
    url: str = ""
    blocking: bool = False  # the case cannot be closed while it is open


OpenItems = Callable[[CaseAccess], list[OpenItem]]
OPEN_ITEMS: dict[str, OpenItems] = {}
REASON_CHECKS: dict[str, list[Callable[[CaseAccess], str]]] = {}
APPROVAL_STEPS: list[Callable[[CaseAccess], str]] = []


def register_open_items(name: str, provider: OpenItems) -> None:
    OPEN_ITEMS[name] = provider


def register_reason_check(reason: str, check: Callable[[CaseAccess], str]) -> None:
    checks = REASON_CHECKS.setdefault(reason, [])
    if check not in checks:
        checks.append(check)


def register_approval_step(fn: Callable[[CaseAccess], str]) -> None:
    if fn not in APPROVAL_STEPS:
        APPROVAL_STEPS.append(fn)


def open_items(access: CaseAccess) -> list[OpenItem]:
    """What is still open on the case, as the reader may see it: measures in force first."""
    from django.urls import reverse

    case_url = reverse("cases:case_detail", args=[access.case.pk])
    items = [OpenItem(kind="alarm" if line.kind in BLOCKING_MEASURES else "measure",
                      label=str(line.label), url=case_url,
                      blocking=line.kind in BLOCKING_MEASURES)
             for line in measures_in_force(access)]
    for name in sorted(OPEN_ITEMS):
        items += OPEN_ITEMS[name](access)
    return items


def reason_problems(access: CaseAccess, reason: str) -> list[str]:
    """Why ``reason`` cannot be given now (empty: it can)."""
    if reason == ClosureReason.NO_CONTACT and not REASON_CHECKS.get(reason):
        return [_("No contact attempt can be counted here: choose another reason.")]
    return [problem for check in REASON_CHECKS.get(reason, ()) if (problem := check(access))]


def approval_steps(access: CaseAccess) -> list[str]:
    """The approval steps closing this case involves (before the rules file says which need a
    second person in the agency)."""
    return [step for fn in APPROVAL_STEPS if (step := fn(access))]


def closure_reopen(case: Case) -> None:
    """The case reopens (linkage's "continue on"...): its current closure stays as history."""
    CaseClosure.objects.filter(case=case, reopened_at__isnull=True).update(
        reopened_at=timezone.now())


def _register_texts() -> None:
    from django.utils.translation import gettext_lazy

    from relais.core.texts import register_choices, register_text

    register_choices("cases.closure_reason", ClosureReason)
    register_text("cases.closed", gettext_lazy("Reason: %(reason)s"))
    register_text("cases.close_asked", gettext_lazy("Close the case — reason: %(reason)s"))


_register_texts()
