"""The steps that may need a second person's approval, and what runs when one is approved.

The catalogue (``STEPS``: code -> label) is fixed here, so the rules file can be checked when
Relais starts. What a step does once approved belongs to the app that owns it: each registers a
handler in its ``AppConfig.ready`` with ``register_handler(code, fn)``, so approvals imports no
feature app (arrows point down). ``fn(*, actor, request)`` runs inside the approval's
transaction with the approver as ``actor`` and the ``ApprovalRequest`` (its ``payload`` holds
what the requester asked); it re-checks the approver's access like any service (404).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _

STEPS: dict[str, Any] = {
    "case_close_high_risk": _("Close a case at high or very high risk"),
    "case_merge": _("Merge two cases"),
    "family_file_continue": _("Continue a new case on the family's earlier file"),
    "risk_lower_level": _("Lower a risk level"),
    "consent_override": _("Go ahead without consent"),
    "record_delete": _("Delete a record"),
}

Handler = Callable[..., Any]
HANDLERS: dict[str, Handler] = {}


def register_handler(code: str, handler: Handler) -> None:
    """What runs when a request for ``code`` is approved (one handler per step)."""
    if code not in STEPS:
        raise KeyError(f"unknown approval step '{code}'")
    HANDLERS[code] = handler


def step_label(code: str) -> str:
    return str(STEPS.get(code, code))
