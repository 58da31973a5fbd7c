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


def load_needs(path: Path | str) -> dict[str, Need]:
    root = Reader(path, load_yaml(path))
    root.reject_unknown({"version", "needs"})
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


def need_choices(language: str | None) -> list[tuple[str, str]]:
    return [(need.code, need.label(language)) for need in needs().values()]
