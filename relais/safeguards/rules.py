"""The residence rules for migrant victims: a versioned data file, checked on load.

``data/residence_rules.json`` (``RELAIS_RESIDENCE_RULES`` overrides the path) holds, per
permit whose residence depends on the partner, how many days after the facts she should have
asked the Immigration Office to keep her right of residence, the legal basis, and the facts and
documents to show, each with its source, the source's date and whether Relais could verify it.
JSON is read with the YAML loader (a subset), so errors name the file and the line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from django.conf import settings

from relais.core.datafiles import DataFileError, Reader, load_yaml, translated

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "residence_rules.json"
PERMITS = ("card_a", "card_f", "pending")  # ResidencePermit's values (models import nothing)
TRANSLATED = ("fr", "nl", "en", "de")


@dataclass(frozen=True)
class Fact:
    code: str
    text: dict[str, str]
    source: str
    source_date: str
    verified: bool

    def label(self, language: str | None) -> str:
        return translated(self.text, language)


@dataclass(frozen=True)
class PermitRule:
    permit: str
    apply_within_days: int
    legal_basis: str
    facts: tuple[Fact, ...]


@dataclass(frozen=True)
class ResidenceRules:
    version: int
    checked_on: str
    permits: dict[str, PermitRule]
    documents: tuple[Fact, ...]

    def apply_by(self, *, permit: str, facts_on: date) -> date:
        """The date by which she should have asked the Immigration Office."""
        return facts_on + timedelta(days=self.permits[permit].apply_within_days)


def _fact(item: Reader) -> Fact:
    item.reject_unknown({"code", "verified", "source", "source_date", "text"})
    source = item.text("source")
    if not source.startswith("https://"):
        raise item.error("a source is an https:// address", "source")
    text = item.translations("text")
    if missing := [lang for lang in TRANSLATED if not text.get(lang)]:
        raise item.error(f"text is missing in {', '.join(missing)}", "text")
    if not item.has("verified"):
        raise item.error("say whether the fact was verified (verified: true or false)")
    return Fact(code=item.text("code"), text=text, source=source,
                source_date=str(item.data.get("source_date") or ""),
                verified=item.flag("verified"))


def load_rules(path: Path | str) -> ResidenceRules:
    root = Reader(path, load_yaml(path))
    root.reject_unknown({"version", "about", "checked_on", "permits", "facts", "documents"})
    version = int(root.number("version", integer=True, minimum=1))
    facts: dict[str, Fact] = {}
    for item in root.mappings("facts"):
        fact = _fact(item)
        if fact.code in facts:
            raise item.error(f"fact '{fact.code}' is defined twice", "code")
        facts[fact.code] = fact
    documents = tuple(_fact(item) for item in root.mappings("documents"))
    permits_reader = root.sub("permits")
    permits_reader.reject_unknown(set(PERMITS))
    permits: dict[str, PermitRule] = {}
    for permit in PERMITS:
        if not permits_reader.has(permit):
            raise permits_reader.error(f"the rule for '{permit}' is missing")
        rule = permits_reader.sub(permit)
        rule.reject_unknown({"apply_within_days", "legal_basis", "facts"})
        codes = rule.texts("facts")
        if unknown := [code for code in codes if code not in facts]:
            raise rule.error(f"unknown fact '{unknown[0]}'", "facts")
        permits[permit] = PermitRule(
            permit=permit,
            apply_within_days=int(rule.number("apply_within_days", integer=True, minimum=1)),
            legal_basis=rule.text("legal_basis", required=False),
            facts=tuple(facts[code] for code in codes))
    return ResidenceRules(version=version, checked_on=str(root.data.get("checked_on") or ""),
                          permits=permits, documents=documents)


@cache
def residence_rules() -> ResidenceRules:
    path = Path(getattr(settings, "RELAIS_RESIDENCE_RULES", "") or DEFAULT_PATH)
    if not path.exists():
        raise DataFileError(path, None, "the residence rules file is missing")
    return load_rules(path)
