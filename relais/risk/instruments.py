"""Risk-assessment instruments: versioned YAML files, and the computation of a level.

An instrument is a structured aid to professional judgement, not a prediction. Relais ships
three, written from the risk factors of the domain brief (§5) and the 2025 roadmap; an
organisation replaces or adds its own by pointing ``RELAIS_INSTRUMENT_DIRS`` at a folder of
files of the same shape (see docs/risk-instruments.md).

Every item is answered yes, no or unknown; unknown is not no: it adds nothing to the score but
is reported, so that the assessor knows what to find out. Weights are never negative, so
answering yes instead of no never lowers the score, and the level only rises with the score
and with the number of critical signals ("bombs") hit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from relais.accounts.models import AgencyKind
from relais.core.datafiles import DataFileError, Reader, load_yaml, translated

YES, NO, UNKNOWN = "yes", "no", "unknown"
ANSWERS = (YES, NO, UNKNOWN)
CATEGORIES = ("victim", "perpetrator", "context")
SCOPES = ("judicial", "health")


def category_label(code: str) -> str:
    return {"victim": _("Victim"), "perpetrator": _("Alleged perpetrator"),
            "context": _("Context")}[code]


@dataclass(frozen=True)
class Item:
    code: str
    category: str
    weight: float
    critical: bool
    question: dict[str, str]
    help: dict[str, str]
    actions: tuple[str, ...]
    line: int

    def question_in(self, language: str | None) -> str:
        return translated(self.question, language)

    def help_in(self, language: str | None) -> str:
        return translated(self.help, language)


@dataclass(frozen=True)
class Level:
    code: str
    label: dict[str, str]
    from_score: float
    reassess_days: int
    actions: tuple[str, ...]

    def label_in(self, language: str | None) -> str:
        return translated(self.label, language)


@dataclass(frozen=True)
class Combination:
    all_of: tuple[str, ...]
    actions: tuple[str, ...]


@dataclass(frozen=True)
class Reason:
    """Why an action is recommended: the level, one answer, or answers together."""

    level: str = ""
    items: tuple[str, ...] = ()

    def as_data(self) -> dict:
        return {"level": self.level} if self.level else {"items": list(self.items)}


@dataclass(frozen=True)
class Evaluation:
    score: float
    max_score: float
    level: str
    base_level: str  # from the score alone, before critical signals
    critical: tuple[str, ...]
    unknown: tuple[str, ...]
    critical_unknown: tuple[str, ...]
    drivers: tuple[str, ...]  # items answered yes, critical first, then by weight
    actions: dict[str, tuple[Reason, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Instrument:
    code: str
    version: int
    path: str
    scope: str
    screening: bool  # a quick screening (the counter checklist), never the case's headline
    offered_to: tuple[str, ...]
    title: dict[str, str]
    purpose: dict[str, str]
    levels: tuple[Level, ...]
    critical_floors: tuple[tuple[int, str], ...]  # (signals hit, at least this level)
    items: tuple[Item, ...]
    action_labels: dict[str, dict[str, str]]
    combinations: tuple[Combination, ...]

    @property
    def key(self) -> str:
        return f"{self.code}@{self.version}"

    def title_in(self, language: str | None) -> str:
        return translated(self.title, language)

    def purpose_in(self, language: str | None) -> str:
        return translated(self.purpose, language)

    def item(self, code: str) -> Item:
        return next(item for item in self.items if item.code == code)

    def level(self, code: str) -> Level:
        return next(level for level in self.levels if level.code == code)

    def rank(self, level_code: str) -> int:
        return [level.code for level in self.levels].index(level_code)

    def action_label(self, code: str, language: str | None) -> str:
        return translated(self.action_labels.get(code, {}), language) or code

    def missing(self, answers: dict[str, str]) -> list[str]:
        """Items without a valid answer."""
        return [item.code for item in self.items if answers.get(item.code) not in ANSWERS]

    def evaluate(self, answers: dict[str, str]) -> Evaluation:
        """Score, level and recommended actions for a complete set of answers."""
        missing = self.missing(answers)
        if missing:
            raise ValueError(f"unanswered items: {', '.join(missing)}")
        yes = [item for item in self.items if answers[item.code] == YES]
        score = sum(item.weight for item in yes)
        base = [level for level in self.levels if level.from_score <= score][-1]
        critical = [item.code for item in yes if item.critical]
        rank = self.rank(base.code)
        for signals, level_code in self.critical_floors:
            if len(critical) >= signals:
                rank = max(rank, self.rank(level_code))
        level = self.levels[rank]
        drivers = sorted(yes, key=lambda item: (not item.critical, -item.weight))

        actions: dict[str, list[Reason]] = {}
        for code in level.actions:
            actions.setdefault(code, []).append(Reason(level=level.code))
        for item in yes:
            for code in item.actions:
                actions.setdefault(code, []).append(Reason(items=(item.code,)))
        answered_yes = {item.code for item in yes}
        for combination in self.combinations:
            if set(combination.all_of) <= answered_yes:
                for code in combination.actions:
                    actions.setdefault(code, []).append(Reason(items=combination.all_of))
        return Evaluation(
            score=score,
            max_score=sum(item.weight for item in self.items),
            level=level.code,
            base_level=base.code,
            critical=tuple(critical),
            unknown=tuple(item.code for item in self.items if answers[item.code] == UNKNOWN),
            critical_unknown=tuple(item.code for item in self.items
                                   if item.critical and answers[item.code] == UNKNOWN),
            drivers=tuple(item.code for item in drivers),
            actions={code: tuple(reasons) for code, reasons in actions.items()},
        )


TOP_KEYS = {"code", "version", "kind", "scope", "offered_to", "title", "purpose", "levels",
            "critical_floors", "actions", "items", "combinations"}


def _codes(reader: Reader, key: str, known: set[str], what: str) -> tuple[str, ...]:
    codes = reader.texts(key)
    for code in codes:
        if code not in known:
            raise reader.error(f"unknown {what} '{code}'", key)
    return tuple(codes)


def load_instrument(path: Path | str) -> Instrument:
    """Read and check one instrument file; any fault raises DataFileError with file and line."""
    doc = Reader(path, load_yaml(path))
    doc.reject_unknown(TOP_KEYS)
    code = doc.text("code")
    version = int(doc.number("version", integer=True, minimum=1))
    scope = doc.text("scope", choices=SCOPES)
    kind = doc.text("kind", required=False, choices=("screening", "assessment")) or "assessment"
    offered_to = _codes(doc, "offered_to", set(AgencyKind.values), "agency type")

    action_labels: dict[str, dict[str, str]] = {}
    for action in doc.mappings("actions"):
        action.reject_unknown({"code", "label"})
        action_code = action.text("code")
        if action_code in action_labels:
            raise action.error(f"action '{action_code}' is defined twice", "code")
        action_labels[action_code] = action.translations("label")
    known_actions = set(action_labels)

    levels: list[Level] = []
    for entry in doc.mappings("levels"):
        entry.reject_unknown({"code", "label", "from_score", "reassess_days", "actions"})
        from_score = entry.number("from_score", minimum=0)
        if not levels and from_score != 0:
            raise entry.error("the first level must start at score 0", "from_score")
        if levels and from_score <= levels[-1].from_score:
            raise entry.error("levels must be listed from the lowest score up", "from_score")
        level_code = entry.text("code")
        if any(level.code == level_code for level in levels):
            raise entry.error(f"level '{level_code}' is defined twice", "code")
        levels.append(Level(
            code=level_code, label=entry.translations("label"), from_score=from_score,
            reassess_days=int(entry.number("reassess_days", integer=True, minimum=1)),
            actions=_codes(entry, "actions", known_actions, "action"),
        ))
    level_codes = {level.code for level in levels}

    floors: list[tuple[int, str]] = []
    for entry in doc.mappings("critical_floors", required=False):
        entry.reject_unknown({"signals", "level"})
        level_code = entry.text("level")
        if level_code not in level_codes:
            raise entry.error(f"unknown level '{level_code}'", "level")
        floors.append((int(entry.number("signals", integer=True, minimum=1)), level_code))

    items: list[Item] = []
    for entry in doc.mappings("items"):
        entry.reject_unknown({"code", "category", "weight", "critical", "question", "help",
                              "actions"})
        item_code = entry.text("code")
        if any(item.code == item_code for item in items):
            raise entry.error(f"item '{item_code}' is defined twice", "code")
        items.append(Item(
            code=item_code, category=entry.text("category", choices=CATEGORIES),
            weight=entry.number("weight", minimum=0), critical=entry.flag("critical"),
            question=entry.translations("question"),
            help=entry.translations("help", required=False),
            actions=_codes(entry, "actions", known_actions, "action"),
            line=entry.line,
        ))
    item_codes = {item.code for item in items}

    combinations: list[Combination] = []
    for entry in doc.mappings("combinations", required=False):
        entry.reject_unknown({"all_of", "actions"})
        all_of = _codes(entry, "all_of", item_codes, "item")
        if len(all_of) < 2:
            raise entry.error("a combination needs at least two items", "all_of")
        combinations.append(Combination(
            all_of=all_of, actions=_codes(entry, "actions", known_actions, "action")))

    return Instrument(
        code=code, version=version, path=str(path), scope=scope, screening=kind == "screening",
        offered_to=offered_to,
        title=doc.translations("title"), purpose=doc.translations("purpose"),
        levels=tuple(levels), critical_floors=tuple(sorted(floors)), items=tuple(items),
        action_labels=action_labels, combinations=tuple(combinations),
    )


def instrument_dirs() -> list[Path]:
    return [Path(folder) for folder in settings.RELAIS_INSTRUMENT_DIRS]


@cache
def instruments() -> dict[str, Instrument]:
    """Every instrument version found, by key ``code@version``. Fails loudly on a bad file."""
    found: dict[str, Instrument] = {}
    for folder in instrument_dirs():
        for path in sorted(folder.glob("*.yaml")):
            instrument = load_instrument(path)
            if instrument.key in found:
                raise DataFileError(path, None, f"{instrument.key} is already defined in "
                                                f"{found[instrument.key].path}")
            found[instrument.key] = instrument
    return found


def instrument_get(code: str, version: int | None = None) -> Instrument:
    """One version of an instrument, the latest by default. KeyError if there is none."""
    if version is not None:
        return instruments()[f"{code}@{version}"]
    versions = [i for i in instruments().values() if i.code == code]
    if not versions:
        raise KeyError(code)
    return max(versions, key=lambda i: i.version)


def instruments_offered(agency_kind: str | None) -> list[Instrument]:
    """The latest version of each instrument offered to this type of agency."""
    latest: dict[str, Instrument] = {}
    for instrument in sorted(instruments().values(), key=lambda i: i.version):
        if agency_kind in instrument.offered_to:
            latest[instrument.code] = instrument
    return sorted(latest.values(), key=lambda i: i.code)
