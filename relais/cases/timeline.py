"""Kinds of timeline entries. Later apps register theirs with ``register_kind``."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

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
