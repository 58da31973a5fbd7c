"""Sections that later parts of Relais add to the case page (reports, risk, tasks...).

An app registers a panel in its ``AppConfig.ready``: a template and a function that builds the
template's context from the reader's ``CaseAccess`` (within the access policy; the case read
itself is audited by the case page).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from relais.access.cases import CaseAccess


@dataclass(frozen=True)
class Panel:
    order: int
    template: str
    context: Callable[[CaseAccess], dict[str, Any] | None]


PANELS: dict[str, Panel] = {}


def register_panel(name: str, *, order: int, template: str,
                   context: Callable[[CaseAccess], dict[str, Any] | None]) -> None:
    PANELS[name] = Panel(order=order, template=template, context=context)


def panels_for(access: CaseAccess) -> list[tuple[str, dict[str, Any]]]:
    """(template, context) of each panel the reader gets; a context of None hides the panel."""
    shown = []
    for panel in sorted(PANELS.values(), key=lambda p: p.order):
        context = panel.context(access)
        if context is not None:
            shown.append((panel.template, context))
    return shown
