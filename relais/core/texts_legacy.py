"""Texts written before codes: mapping them back to codes, for the data migrations
(``<app>/migrations/00xx_texts_as_codes.py``).

A row's text is matched against the templates of the codes that may have written it, in every
language Relais has spoken (French, Dutch, English, German), with the compiled catalogues: the
template's ``%(name)s`` parameters become groups, and a parameter that was a choice's label is
read back as the choice (in any language). What matches becomes codes and its text is emptied;
what does not stays as it is, shown as written (the ``fallback`` of ``render``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

from django.conf import settings
from django.utils import translation

from relais.core.texts import CATALOGUE, CHOICES, Coded, choice, render, text

LEGACY_LANGUAGES = ("fr", "nl", "en", "de")
Converter = Callable[[str, Any], "Coded | None"]  # (the text, the row) -> codes or None


def _languages() -> list[str]:
    return list(dict.fromkeys([*LEGACY_LANGUAGES, *(code for code, _ in settings.LANGUAGES)]))


@cache
def _pattern(template: str) -> re.Pattern[str] | None:
    parts = re.split(r"%\((\w+)\)[sd]", template)
    if "%" in "".join(parts[0::2]).replace("%%", ""):
        return None  # positional placeholders: not matched
    regex, seen = [], set()
    for index, part in enumerate(parts):
        if index % 2:
            regex.append(f"(?P={part})" if part in seen else f"(?P<{part}>.+?)")
            seen.add(part)
        else:
            regex.append(re.escape(part.replace("%%", "%")))
    return re.compile("".join(regex) + r"\Z", re.DOTALL)


def match_choice(written: str, *, name: str) -> Coded | None:
    """``choice(name, value)`` for the value whose label, in any language, is ``written``."""
    choices = CHOICES.get(name)
    written = written.strip()
    if choices is None or not written:
        return None
    for language in _languages():
        with translation.override(language):
            for value, label in choices.choices:
                if str(label) == written:
                    return choice(name, value)
    return None


def match_choices(written: str, *, name: str, separator: str = ", ") -> Coded | None:
    """``choice(name, [values])`` when ``written`` is labels of ``name`` joined with
    ``separator``, all in one language."""
    choices = CHOICES.get(name)
    parts = [part.strip() for part in written.split(separator)] if written.strip() else []
    if choices is None or not parts:
        return None
    for language in _languages():
        with translation.override(language):
            labels = {str(label): value for value, label in choices.choices}
            if all(part in labels for part in parts):
                return choice(name, [labels[part] for part in parts])
    return None


def match(written: str, *, codes: Iterable[str], choices: dict[str, str] | None = None,
          choice_lists: dict[str, str] | None = None) -> Coded | None:
    """The code, among ``codes``, whose template in any language gives ``written``, with its
    parameters read back from the text: as strings, or, for those named in ``choices`` /
    ``choice_lists`` (parameter -> registered choices), as the choice (or the list of choices)
    whose label it is; ``None`` when nothing matches entirely."""
    written = written.strip()
    if not written:
        return None
    for language in _languages():
        with translation.override(language):
            for code in codes:
                template = CATALOGUE.get(code)
                pattern = _pattern(str(template.text)) if template else None
                found = pattern.match(written) if pattern else None
                if not found:
                    continue
                params: dict[str, Any] = found.groupdict()
                for param, name in (choices or {}).items():
                    params[param] = match_choice(params.get(param, ""), name=name)
                for param, name in (choice_lists or {}).items():
                    params[param] = match_choices(params.get(param, ""), name=name)
                if all(value is not None for value in params.values()):
                    return text(code, **params)
    return None


def convert_rows(rows: Iterable[Any], *, text_field: str, codes_field: str,
                 convert: Converter) -> list[Any]:
    """The rows whose text ``convert`` maps to codes, changed (codes set, text emptied), for a
    ``bulk_update(rows, [text_field, codes_field])``; rows with codes already are left."""
    changed = []
    for row in rows:
        written = getattr(row, text_field)
        if getattr(row, codes_field) or not written:
            continue
        coded = convert(written, row)
        if coded:
            setattr(row, codes_field, coded)
            setattr(row, text_field, "")
            changed.append(row)
    return changed


def migrate_rows(model: Any, *, text_field: str, codes_field: str, convert: Converter,
                 batch: int = 500, **filters: Any) -> int:
    """Convert, in a data migration, the rows of (historical) ``model`` matching ``filters``."""
    changed = 0
    rows = model.objects.filter(**filters).exclude(**{text_field: ""}).order_by("pk")
    pending: list[Any] = []
    for row in rows.iterator(chunk_size=batch):
        pending += convert_rows([row], text_field=text_field, codes_field=codes_field,
                                convert=convert)
        if len(pending) >= batch:
            model.objects.bulk_update(pending, [text_field, codes_field])
            changed, pending = changed + len(pending), []
    if pending:
        model.objects.bulk_update(pending, [text_field, codes_field])
    return changed + len(pending)


def restore_rows(model: Any, *, text_field: str, codes_field: str, max_length: int | None = None,
                 **filters: Any) -> None:
    """Undoing a data migration: the codes written back as text, in the default language."""
    pending = []
    with translation.override(settings.LANGUAGE_CODE):
        for row in model.objects.filter(**filters).order_by("pk").iterator(chunk_size=500):
            coded = getattr(row, codes_field)
            if coded and not getattr(row, text_field):
                words = render(coded)
                setattr(row, text_field, words[:max_length] if max_length else words)
                setattr(row, codes_field, [])
                pending.append(row)
    model.objects.bulk_update(pending, [text_field, codes_field], batch_size=500)


def by_codes(*codes: str, **options: Any) -> Converter:
    """A converter trying the templates of ``codes`` (``match``'s options)."""
    return lambda written, row: match(written, codes=codes, **options)


def by_choice(name: str) -> Converter:
    """A converter for a text that is a label of the choices ``name``."""
    return lambda written, row: match_choice(written, name=name)


def by_kind(converters: dict[str, Converter]) -> Converter:
    """A converter for timeline entries, by their ``kind``."""
    def convert(written: str, row: Any) -> Coded | None:
        converter = converters.get(row.kind)
        return converter(written, row) if converter else None
    return convert
