"""The case timeline: kinds of entries (later apps register theirs with ``register_kind``) and
the one writer of an entry, ``timeline_add``. Imports only the models, so that the access
policy can write entries without importing the case services."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from relais.cases.models import Case, TimelineEntry
from relais.core.texts import Coded

KINDS: dict[str, Promise | str] = {
    "case_opened": _("Case opened"),
    "person_added": _("Person added"),
    "note_added": _("Note"),
    "share_granted": _("Shared with another agency"),
    "share_ended": _("Share ended"),
    "consent_withdrawn": _("Consent withdrawn"),
    "forwarded": _("Forwarded to the prosecutor's office"),
    "consultation_opened": _("Case consultation opened"),
    "break_glass": _("Break-glass access"),
    "case_closed": _("Case closed"),
}


def register_kind(code: str, label: Promise | str) -> None:
    """Declare a timeline entry kind (call from an app's ``AppConfig.ready``)."""
    KINDS.setdefault(code, label)


# Details an entry shows from its source, drawn at read time in the reader's language (e.g. the
# changes of an addendum, relais.amendments): kind -> (loader of source ids, template).
DETAILS: dict[str, tuple[Callable[[list[str]], dict[str, Any]], str]] = {}


def register_details(kind: str, load: Callable[[list[str]], dict[str, Any]], *,
                     template: str) -> None:
    """Show details under a kind's entries: ``load(source_ids)`` returns them by source id
    (one query for all), ``template`` renders one as ``details``."""
    DETAILS.setdefault(kind, (load, template))


def attach_details(entries: list[TimelineEntry]) -> None:
    """Set ``details`` and ``details_template`` on the entries of kinds that have details."""
    by_kind: dict[str, list[TimelineEntry]] = {}
    for entry in entries:
        if entry.kind in DETAILS and entry.source_id:
            by_kind.setdefault(entry.kind, []).append(entry)
    for kind, kind_entries in by_kind.items():
        load, template = DETAILS[kind]
        details = load([entry.source_id for entry in kind_entries])
        for entry in kind_entries:
            entry.details = details.get(entry.source_id)
            entry.details_template = template


def kind_label(code: str) -> str:
    return str(KINDS.get(code, code))


def timeline_add(
    *,
    case: Case,
    kind: str,
    agency_id: int,
    occurred_at: datetime | None = None,
    scope: str = "",
    summary: str = "",
    text: Coded | None = None,
    source: models.Model | None = None,
) -> TimelineEntry:
    """Add one entry to a case's timeline (callers audit their own write).

    ``text`` is what Relais says of it, codes with parameters (``relais.core.texts``) shown in
    the reader's language; ``summary`` words shown as they are (a name, a note a person wrote).
    """
    return TimelineEntry.objects.create(
        case=case,
        kind=kind,
        agency_id=agency_id,
        occurred_at=occurred_at or timezone.now(),
        scope=scope,
        summary=summary[:300],
        summary_codes=text or [],
        source_type=source._meta.label_lower if source is not None else "",
        source_id=str(source.pk) if source is not None else "",
    )
