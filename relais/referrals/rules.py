"""The referral engine: from what is known of a person to the help to suggest, with reasons.

The rules are a data file (``RELAIS_REFERRAL_RULES``, see its header for the format); this
module reads and checks it, and applies it to ``Facts``. The engine only suggests: the
professional chooses the service, with the person.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from relais.cases.models import ParticipantRole
from relais.core.datafiles import DataFileError, Reader, load_yaml, translated
from relais.directory.models import Accessibility
from relais.directory.needs import needs

# Facts the professional confirms on the "find help" screen (prefilled from the case).
FLAGS = {
    "imminent_danger": _("Imminent danger"),
    "high_risk": _("High or very high risk"),
    "sexual_violence": _("Sexual violence"),
    "children": _("Children are concerned"),
    "family_reunification": _("Residence permit through family reunification (card A or F)"),
    "undocumented": _("Undocumented (no residence permit)"),
    "disability": _("Disability: needs accessibility"),
    "refuses": _("She does not want to be referred now"),
}
# Facts that make every search urgent: services open around the clock first, then those open
# now, whatever the hour (see ``SearchQuery.urgent``).
URGENT_FLAGS = frozenset({"imminent_danger", "high_risk"})
REQUIREMENTS = ("accepts_undocumented", "accepts_men", "accepts_children", "accepts_pets",
                "no_income_required")


@dataclass(frozen=True)
class Facts:
    role: str = ParticipantRole.VICTIM
    languages: tuple[str, ...] = ()
    file_language: str = ""
    flags: frozenset[str] = frozenset()
    accessibility: tuple[str, ...] = ()

    @property
    def urgent(self) -> bool:
        return bool(URGENT_FLAGS & self.flags)

    def works_in(self, language: str) -> bool:
        if self.file_language:
            return self.file_language == language
        return language in self.languages


@dataclass(frozen=True)
class Rule:
    code: str
    line: int
    roles: tuple[str, ...]
    language: str
    speaks_none_of: tuple[str, ...]
    language_unknown: bool
    flags: tuple[str, ...]
    reason: dict[str, str]
    need: str = ""
    languages: tuple[str, ...] = ()
    require: tuple[str, ...] = ()
    call: tuple[str, ...] = ()
    constrain_require: tuple[str, ...] = ()
    constrain_accessibility: bool = False
    stop: bool = False

    def applies(self, facts: Facts) -> bool:
        if self.roles and facts.role not in self.roles:  # not access: her role in the case
            return False
        if self.language and not facts.works_in(self.language):
            return False
        if self.language_unknown and (facts.languages or facts.file_language):
            return False
        if self.speaks_none_of:
            spoken = set(facts.languages) | ({facts.file_language} - {""})
            if not spoken or spoken & set(self.speaks_none_of):
                return False
        return set(self.flags) <= facts.flags


@dataclass(frozen=True)
class Suggestion:
    """Help to look for (a need searched in the directory) or numbers to call."""

    rule: str
    reason: str
    need: str = ""
    need_label: str = ""
    languages: tuple[str, ...] = ()
    require: tuple[str, ...] = ()
    accessibility: tuple[str, ...] = ()
    call: tuple[str, ...] = ()


@dataclass(frozen=True)
class Advice:
    suggestions: tuple[Suggestion, ...]
    constraints: tuple[str, ...] = field(default=())  # reasons of the narrowing rules
    stopped: bool = False


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    deadlines: dict[str, int]


def _tuple(reader: Reader, key: str) -> tuple[str, ...]:
    value = reader.data.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(reader.texts(key))


def load_rules(path: Path | str) -> RuleSet:
    root = Reader(path, load_yaml(path))
    root.reject_unknown({"version", "rules", "deadlines"})
    root.number("version", integer=True, minimum=1)
    known_needs = needs()
    rules: list[Rule] = []
    seen: set[str] = set()
    for item in root.mappings("rules"):
        item.reject_unknown({"code", "when", "need", "languages", "require", "call",
                             "constrain", "stop", "reason"})
        code = item.text("code")
        if code in seen:
            raise item.error(f"rule '{code}' is defined twice", "code")
        seen.add(code)
        when = item.sub("when") if item.has("when") else Reader(path, {}, item.line)
        when.reject_unknown({"role", "language", "speaks_none_of", "language_unknown",
                             "flags"})
        roles = _tuple(when, "role")
        if bad := [r for r in roles if r not in ParticipantRole.values]:
            raise when.error(f"unknown role '{bad[0]}'", "role")
        flags = _tuple(when, "flags")
        if bad := [f for f in flags if f not in FLAGS]:
            raise when.error(f"unknown flag '{bad[0]}' (known: {', '.join(FLAGS)})", "flags")
        need = item.text("need", required=False)
        if need and need not in known_needs:
            raise item.error(f"unknown need '{need}' (see the directory's needs file)", "need")
        require = _tuple(item, "require")
        constrain_require: tuple[str, ...] = ()
        constrain_accessibility = False
        if item.has("constrain"):
            constrain = item.sub("constrain")
            constrain.reject_unknown({"require", "accessibility"})
            constrain_require = _tuple(constrain, "require")
            if constrain.has("accessibility"):
                constrain.text("accessibility", choices=("from_person",))
                constrain_accessibility = True
        for value in (*require, *constrain_require):
            if value not in REQUIREMENTS:
                raise item.error(f"unknown requirement '{value}'", "require")
        call = _tuple(item, "call")
        if not (need or call or item.has("constrain")):
            raise item.error("a rule needs 'need', 'call' or 'constrain'")
        rules.append(Rule(
            code=code, line=item.line, roles=roles, language=when.text("language",
                                                                       required=False),
            speaks_none_of=_tuple(when, "speaks_none_of"),
            language_unknown=when.flag("language_unknown"), flags=flags,
            reason=item.translations("reason"), need=need, languages=_tuple(item, "languages"),
            require=require, call=call, constrain_require=constrain_require,
            constrain_accessibility=constrain_accessibility, stop=item.flag("stop"),
        ))
    deadlines: dict[str, int] = {}
    if root.has("deadlines"):
        sub = root.sub("deadlines")
        sub.reject_unknown({"sent", "received", "accepted", "waiting_list"})
        for key in sub.data:
            deadlines[key] = int(sub.number(key, integer=True, minimum=1))
    return RuleSet(tuple(rules), deadlines)


@cache
def rule_set() -> RuleSet:
    path = Path(settings.RELAIS_REFERRAL_RULES)
    if not path.exists():
        raise DataFileError(path, None, "the referral rules file is missing")
    return load_rules(path)


def advise(facts: Facts, *, language: str | None, rules: RuleSet | None = None) -> Advice:
    """Apply the rules to ``facts``: suggestions in order, each with its reason."""
    rules = rules or rule_set()
    require: list[str] = []
    accessibility: tuple[str, ...] = ()
    constraints: list[str] = []
    pending: list[Rule] = []
    stopped = False
    for rule in rules.rules:
        if not rule.applies(facts):
            continue
        if rule.constrain_require or rule.constrain_accessibility:
            require.extend(rule.constrain_require)
            if rule.constrain_accessibility:
                accessibility = tuple(a for a in facts.accessibility
                                      if a in Accessibility.values)
            constraints.append(translated(rule.reason, language))
            continue
        pending.append(rule)
        if rule.stop:
            stopped = True
            pending = [rule]
            constraints = []
            break
    known = needs()
    suggestions = tuple(
        Suggestion(rule=rule.code, reason=translated(rule.reason, language), need=rule.need,
                   need_label=known[rule.need].label(language) if rule.need else "",
                   languages=rule.languages,
                   require=tuple(dict.fromkeys((*rule.require, *require))),
                   accessibility=accessibility, call=rule.call)
        for rule in pending)
    return Advice(suggestions=suggestions, constraints=tuple(constraints), stopped=stopped)
