"""The main menu: every entry is registered by the app it leads to (cases, follow-up, notices,
directory, referrals, prosecution, measures, alarms, programmes, reviews, API...).

An app registers an entry in its ``AppConfig.ready``: a label, the URL name, what marks it as
the current page (its URL namespace, or one URL name), who sees it (a predicate of
``relais.access``) and, optionally, a badge count (e.g. overdue items) and how loud the badge
is. The context processor evaluates them once per page for the signed-in actor, so ``core``
knows no feature app.
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
    current_url_name: str = ""  # marks the current page by URL name instead of namespace
    badge_critical: bool = True


ENTRIES: dict[str, NavEntry] = {}


def register_nav(name: str, *, order: int, label: Any, url_name: str, app_name: str,
                 visible: Callable[[Actor], bool],
                 badge: Callable[[Actor], int] | None = None, current_url_name: str = "",
                 badge_critical: bool = True) -> None:
    ENTRIES[name] = NavEntry(order=order, label=label, url_name=url_name, app_name=app_name,
                             visible=visible, badge=badge, current_url_name=current_url_name,
                             badge_critical=badge_critical)


def everyone(actor: Actor) -> bool:
    """Visible to every signed-in person."""
    return True


def nav_for(actor: Actor, *, app_name: str = "", url_name: str = "") -> list[dict[str, Any]]:
    """The entries this actor sees, in order, with their URL and badge; ``app_name`` and
    ``url_name`` are the current page's (to mark its entry)."""
    shown = []
    for entry in sorted(ENTRIES.values(), key=lambda e: e.order):
        if not entry.visible(actor):
            continue
        shown.append({"label": entry.label, "url": reverse(entry.url_name),
                      "current": entry.app_name == app_name and (
                          not entry.current_url_name or entry.current_url_name == url_name),
                      "badge": entry.badge(actor) if entry.badge else 0,
                      "badge_critical": entry.badge_critical})
    return shown
