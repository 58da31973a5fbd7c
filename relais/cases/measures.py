"""Measures in force on a case, gathered from the parts of Relais that order them.

The prosecution tracking table (measures ordered with a decision), the residence ban, detention
and the harassment alarm each register a provider in their ``AppConfig.ready``. The dispatcher's
alarm summary and the case page list what is in force without knowing where it is kept.

A provider takes the reader's ``CaseAccess`` and returns ``MeasureLine`` items; it reads only
what that access allows (and is called by a selector that audits the read).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from relais.access.cases import CaseAccess


@dataclass(frozen=True)
class MeasureLine:
    kind: str  # a stable code, e.g. "residence_ban", "detention", "no_contact", "alarm"
    label: str  # translated, e.g. "Residence ban (ITR) until 28 Nov 2026"
    since: datetime | None = None
    until: datetime | None = None
    detail: str = ""  # translated; never the victim's whereabouts


PROVIDERS: dict[str, Callable[[CaseAccess], list[MeasureLine]]] = {}


def register_measures(name: str, provider: Callable[[CaseAccess], list[MeasureLine]]) -> None:
    PROVIDERS[name] = provider


def measures_in_force(access: CaseAccess) -> list[MeasureLine]:
    """Every measure in force on the case, as the reader may see it, oldest first."""
    lines: list[MeasureLine] = []
    for name in sorted(PROVIDERS):
        lines.extend(PROVIDERS[name](access))
    return sorted(lines, key=lambda line: (line.since is None,
                                           line.since.timestamp() if line.since else 0.0))
