"""Named hooks: a later part of Relais asks to be told when an earlier part did something.

The earlier part calls ``run("case_closed", actor=..., case=...)`` inside its service's
transaction; a later app registers a function in its ``AppConfig.ready``. Explicit calls, not
signals: reading ``case_close`` shows that something else happens there, and where.

Hooks in use:
- ``case_closed(actor, case)``: the follow-up cancels the case's open tasks;
- ``risk_assessed(actor, assessment)``: the follow-up re-prioritises the case's open tasks;
- ``report_forwarded(actor, report)``: an official report reached a prosecutor's office (its
  tracking table enters it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

HOOKS: dict[str, list[Callable[..., Any]]] = {}


def register(name: str, function: Callable[..., Any]) -> None:
    functions = HOOKS.setdefault(name, [])
    if function not in functions:
        functions.append(function)


def run(name: str, **arguments: Any) -> None:
    for function in HOOKS.get(name, ()):
        function(**arguments)
