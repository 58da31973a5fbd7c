"""Entries that later parts of Relais add to the main menu (prosecution, alarms, programmes...).

An app registers an entry in its ``AppConfig.ready``: a label, the URL name, the URL namespace
that marks it as the current page, who sees it and, optionally, a badge count (e.g. overdue
items). The context processor evaluates them once per page for the signed-in actor.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from relais.core.actor import Actor


@dataclass(frozen=True)
class NavEntry:
    order: int
    label: Any  # a lazy translation
    url_name: str
    app_name: str
    visible: Callable[[Actor], bool]
    badge: Callable[[Actor], int] | None = None


ENTRIES: dict[str, NavEntry] = {}


def register_nav(name: str, *, order: int, label: Any, url_name: str, app_name: str,
                 visible: Callable[[Actor], bool],
                 badge: Callable[[Actor], int] | None = None) -> None:
    ENTRIES[name] = NavEntry(order=order, label=label, url_name=url_name, app_name=app_name,
                             visible=visible, badge=badge)


def nav_for(actor: Actor) -> list[dict[str, Any]]:
    """The entries this actor sees, in order, with their URL and badge."""
    shown = []
    for entry in sorted(ENTRIES.values(), key=lambda e: e.order):
        if not entry.visible(actor):
            continue
        shown.append({"label": entry.label, "url": reverse(entry.url_name),
                      "app_name": entry.app_name,
                      "badge": entry.badge(actor) if entry.badge else 0})
    return shown
