"""Texts Relais writes itself, stored as codes with parameters and shown in the reader's
language (docs/architecture.md, "Texts Relais writes").

A text is stored as a list of ``[code, params]`` pairs (``Coded``), one sentence or phrase
each, in a ``JSONField``; it is turned into words only when read, with ``render`` in the active
language (the reader's). Each part of Relais declares the codes it writes in its
``AppConfig.ready`` (or at import of the module that writes them) with ``register_text``::

    register_text("ban_ordered", _("Residence ban from %(start)s until %(end)s"))
    entry_text = text("ban_ordered", start="01/03/2026 18:00", end="11/03/2026 18:00")

Parameters are JSON values:

- plain strings or numbers, shown as they are: a reference, an agency's name, words a person
  typed, a date already written ``dd/mm/yyyy hh:mm``;
- a nested ``Coded`` list, rendered in the reader's language too (``choice(...)`` gives one
  for a label of a registered ``TextChoices``, ``text(...)`` for another registered text);
- anything else a ``params`` function, given with the code, turns into words at display time.

Nothing here ever raises on stored data: an unknown code, a missing parameter or a malformed
row shows what can be shown (the legacy ``fallback`` text, "…" for a missing parameter), never a
server error. ``relais.core.texts_legacy`` maps a text written before codes back to its code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils import translation
from django.utils.functional import Promise

Coded = list[list[Any]]  # [[code, {param: value}], ...]

MISSING = "…"


@dataclass(frozen=True)
class Template:
    text: Promise | str
    params: Callable[[dict[str, Any]], dict[str, Any]] | None = None


CATALOGUE: dict[str, Template] = {}
CHOICES: dict[str, type[models.Choices]] = {}
DUPLICATES: list[str] = []  # codes declared twice with another template (a test keeps it empty)
CHOICE = "choice"  # a choice's label: params {"of": name, "value": value or [values]}
LISTING = "listing"  # items joined with ", ": params {"items": [str or Coded, ...]}


def register_text(code: str, text: Promise | str, *,
                  params: Callable[[dict[str, Any]], dict[str, Any]] | None = None) -> None:
    """Declare a code and its template (an English ``gettext_lazy`` string with named
    ``%(name)s`` parameters). The first declaration of a code wins."""
    if code in (CHOICE, LISTING) or (code in CATALOGUE and CATALOGUE[code].text is not text):
        DUPLICATES.append(code)
    CATALOGUE.setdefault(code, Template(text=text, params=params))


def register_choices(name: str, choices: type[models.Choices]) -> None:
    """Let ``choice(name, value)`` name a label of ``choices`` in a stored text. ``name`` is
    stored in the rows: never rename it."""
    CHOICES.setdefault(name, choices)


def text(code: str, **params: Any) -> Coded:
    """One stored text: ``[[code, params]]``. Texts add up: ``text(a) + text(b)``."""
    return [[code, params]]


def choice(name: str, value: Any) -> Coded:
    """The label of ``value`` in the registered choices ``name``, as a parameter or a text;
    ``value`` may be a list: the labels joined with ", "."""
    return text(CHOICE, of=name, value=value)


def listing(*items: str | Coded) -> Coded:
    """Items (plain strings or texts) joined with ", ", empty ones left out."""
    return text(LISTING, items=[item for item in items if item])


def is_coded(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(part, list | tuple) and len(part) == 2 and isinstance(part[0], str)
        for part in value)


class _Params(dict):
    def __missing__(self, key: str) -> str:
        return MISSING


def _value(value: Any, depth: int) -> Any:
    if isinstance(value, list) and value and is_coded(value):
        return _render(value, depth + 1)
    if isinstance(value, Promise):
        return str(value)
    return value


def _label(name: str, value: Any) -> str:
    choices = CHOICES.get(name)
    try:
        return str(choices(value).label) if choices is not None else str(value)
    except (ValueError, TypeError):
        return str(value)


def _render_one(code: str, params: Any, depth: int) -> str:
    params = params if isinstance(params, dict) else {}
    if code == CHOICE:
        value = params.get("value")
        values = value if isinstance(value, list) else [value]
        return ", ".join(_label(str(params.get("of")), item) for item in values
                         if item is not None)
    if code == LISTING:
        items = params.get("items")
        return ", ".join(str(words) for words in (_value(item, depth) for item in (
            items if isinstance(items, list) else [])) if words)
    template = CATALOGUE.get(code)
    if template is None:
        return ""
    values = params
    if template.params is not None:
        try:
            values = template.params(params)
        except Exception:  # noqa: BLE001 - a stored row never breaks a page
            values = params
    values = _Params({key: _value(value, depth) for key, value in values.items()})
    words = str(template.text)
    try:
        return words % values
    except (TypeError, ValueError):
        return words


def _render(coded: Any, depth: int) -> str:
    if depth > 4 or not is_coded(coded):
        return ""
    return " ".join(words for words in (_render_one(code, params, depth)
                                        for code, params in coded) if words)


def render(coded: Any, *, fallback: str = "") -> str:
    """The text in the active language; ``fallback`` (a text written before codes, or words a
    person typed) when there is nothing to render."""
    return _render(coded, 0) or fallback


def render_in(coded: Any, *, language: str, fallback: str = "") -> str:
    """The text in ``language`` (an e-mail, a document in the recipient's language)."""
    with translation.override(language):
        return render(coded, fallback=fallback)
