"""The case timeline: kinds of entries (later apps register theirs with ``register_kind``) and
the one writer of an entry, ``timeline_add``. Imports only the models, so that the access
policy can write entries without importing the case services."""

from __future__ import annotations

from datetime import datetime

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
