"""Needs as the search forms name them, and the service types that answer each (a data file)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

from relais.core.datafiles import DataFileError, Reader, load_yaml, translated
from relais.directory.models import ServiceType


@dataclass(frozen=True)
class Need:
    code: str
    labels: dict[str, str]
    types: tuple[str, ...]

    def label(self, language: str | None) -> str:
        return translated(self.labels, language)


@dataclass(frozen=True)
class VictimSearch:
    """How a victim's search is ordered: ``first`` types before any other, ``on_request``
    types only when her need names them."""

    first: tuple[str, ...] = ()
    on_request: tuple[str, ...] = ()


def _types(reader: Reader, key: str) -> tuple[str, ...]:
    types = reader.texts(key)
    unknown = [t for t in types if t not in ServiceType.values]
    if unknown:
        raise reader.error(f"unknown service type '{unknown[0]}'", key)
    return tuple(types)


def load_victim_search(path: Path | str) -> VictimSearch:
    root = Reader(path, load_yaml(path))
    if not root.has("victim_search"):
        return VictimSearch()
    section = root.sub("victim_search")
    section.reject_unknown({"first", "on_request"})
    return VictimSearch(first=_types(section, "first"), on_request=_types(section, "on_request"))


def load_needs(path: Path | str) -> dict[str, Need]:
    root = Reader(path, load_yaml(path))
    root.reject_unknown({"version", "needs", "victim_search"})
    root.number("version", integer=True, minimum=1)
    out: dict[str, Need] = {}
    for item in root.mappings("needs"):
        item.reject_unknown({"code", "label", "types"})
        code = item.text("code")
        if code in out:
            raise item.error(f"need '{code}' is defined twice", "code")
        types = item.texts("types", required=True)
        unknown = [t for t in types if t not in ServiceType.values]
        if unknown:
            raise item.error(f"unknown service type '{unknown[0]}'", "types")
        out[code] = Need(code, item.translations("label"), tuple(types))
    return out


@cache
def needs() -> dict[str, Need]:
    """The needs file named by ``RELAIS_DIRECTORY_NEEDS``; a broken file stops the start."""
    path = Path(settings.RELAIS_DIRECTORY_NEEDS)
    if not path.exists():
        raise DataFileError(path, None, "the needs file is missing")
    return load_needs(path)


@cache
def victim_search() -> VictimSearch:
    """The ``victim_search`` section of the needs file."""
    return load_victim_search(Path(settings.RELAIS_DIRECTORY_NEEDS))


def need_choices(language: str | None) -> list[tuple[str, str]]:
    return [(need.code, need.label(language)) for need in needs().values()]
