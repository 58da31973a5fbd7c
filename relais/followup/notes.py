"""Why a task exists ("Why" on the task page), stored as codes with parameters and shown in
the reader's language.

A task's ``reason`` is a list of ``[code, params]`` pairs, one sentence each (a task another
report also calls for gains one). Each part of Relais registers the codes of the tasks it
makes in its ``AppConfig.ready`` with ``register_note``; parameters are plain strings (dates
already written ``dd/mm/yyyy hh:mm``), or codes that a ``params`` function turns into words in
the reader's language at display time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Reason = list[list[Any]]  # [[code, {param: value}], ...]


@dataclass(frozen=True)
class Note:
    text: Promise
    params: Callable[[dict[str, Any]], dict[str, Any]] | None = None


NOTES: dict[str, Note] = {}


def register_note(code: str, text: Promise, *,
                  params: Callable[[dict[str, Any]], dict[str, Any]] | None = None) -> None:
    """Declare a reason code (from an app's ``AppConfig.ready``)."""
    NOTES.setdefault(code, Note(text=text, params=params))


def reason(code: str, **params: Any) -> Reason:
    """One sentence of a task's reason."""
    return [[code, params]]


def render(task_reason: Reason, *, fallback: str = "") -> str:
    """The reason in the active language; ``fallback``: the text of a task made before codes."""
    parts = []
    for code, params in task_reason or ():
        note = NOTES.get(code)
        if note is None:
            parts.append(str(code))
            continue
        values = note.params(params) if note.params else params
        try:
            parts.append(str(note.text) % values if values else str(note.text))
        except (KeyError, TypeError, ValueError):
            parts.append(str(note.text))
    return " ".join(parts) or fallback


# The follow-up's own reasons.
register_note("joined_report", _("Also for the report of %(when)s."))
register_note("now_official", _("Now an official report: follow up without delay."))
register_note("all_fine_high_risk",
              _("\"Everything is fine\" on a high-risk case: it may be said under pressure."))
register_note("crisis_recontact", _("Crisis re-contact of every recent victim."))
register_note("transferred_from", _("Handed over with the case by %(agency)s."))
