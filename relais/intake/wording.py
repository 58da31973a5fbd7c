"""Correct wording: flag judgements and labels in a narrative and suggest factual wording.

The lexicons are data files (``relais/intake/lexicons/<language>.yaml``, one per language of
the narrative); every narrative is checked against all of them, since an officer may write in
a language other than the one of her screen. The check warns and never blocks saving.

A term matches whole words, ignoring case; ``*`` at the end of a word allows any ending
("hystéri*" matches "hystérique" and "hystériques"); spaces match any run of spaces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

from relais.core.datafiles import DataFileError, Reader, load_yaml, translated

KINDS = ("judgement", "label", "minimising", "blame")


@dataclass(frozen=True)
class Entry:
    language: str
    terms: tuple[str, ...]
    kind: str
    why: dict[str, str]
    suggest: str
    pattern: re.Pattern


@dataclass(frozen=True)
class Flag:
    """One passage of a narrative that should be reworded."""

    found: str
    start: int
    language: str
    kind: str
    why: str
    suggest: str


def _pattern(terms: tuple[str, ...]) -> re.Pattern:
    alternatives = []
    for term in terms:
        words = []
        for word in term.split():
            if word.endswith("*"):
                words.append(re.escape(word[:-1]) + r"\w*")
            else:
                words.append(re.escape(word))
        alternatives.append(r"\s+".join(words))
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


def load_lexicon(path: Path | str) -> list[Entry]:
    doc = Reader(path, load_yaml(path))
    doc.reject_unknown({"language", "version", "entries"})
    language = doc.text("language")
    doc.number("version", integer=True, minimum=1)
    entries = []
    for entry in doc.mappings("entries"):
        entry.reject_unknown({"terms", "kind", "why", "suggest"})
        terms = tuple(entry.texts("terms", required=True))
        if not terms:
            raise entry.error("'terms' must list at least one term", "terms")
        for term in terms:
            if any("*" in word[:-1] for word in term.split()):
                raise entry.error(f"term '{term}': '*' may only end a word", "terms")
        entries.append(Entry(
            language=language, terms=terms, kind=entry.text("kind", choices=KINDS),
            why=entry.translations("why"), suggest=entry.text("suggest"),
            pattern=_pattern(terms),
        ))
    return entries


@cache
def lexicons() -> tuple[Entry, ...]:
    """Every lexicon entry of every folder in RELAIS_LEXICON_DIRS; fails loudly on a bad file."""
    entries: list[Entry] = []
    for folder in settings.RELAIS_LEXICON_DIRS:
        paths = sorted(Path(folder).glob("*.yaml"))
        if not paths:
            raise DataFileError(folder, None, "no lexicon (*.yaml) in this folder")
        for path in paths:
            entries.extend(load_lexicon(path))
    return tuple(entries)


def wording_check(text: str, *, language: str | None = None) -> list[Flag]:
    """The passages of ``text`` to reword, in reading order; explanations in ``language``."""
    found = []
    for order, entry in enumerate(lexicons()):
        for match in entry.pattern.finditer(text or ""):
            found.append((match.start(), match.end(), order, entry, match.group(0)))
    # A word two lexicons share ("hysterisch" is Dutch and German) is flagged once: by the
    # lexicon of the reader's language if it is one of them, else by the first folder's.
    screen = (language or "")[:2]
    found.sort(key=lambda m: (m[0], m[3].language != screen, m[2]))
    flags: list[Flag] = []
    covered_to = -1
    for start, end, _order, entry, passage in found:
        if start < covered_to:
            continue
        covered_to = end
        flags.append(Flag(found=passage, start=start, language=entry.language, kind=entry.kind,
                          why=translated(entry.why, language), suggest=entry.suggest))
    return flags
