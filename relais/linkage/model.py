"""The Fellegi-Sunter model: each field's level carries a weight, log2(m / u), where m is the
chance of that level between two records of the same person and u between two records of
different persons. A pair's match weight is the prior log-odds plus the weights of its fields;
its score is the matching probability that weight gives.

The parameters (m and u of every level, the prior, the two thresholds) are versioned data in
``relais/linkage/params/<version>.json``, trained with Splink (``manage.py train_linkage``).
``ACTIVE`` names the version in force; every proposed link stores the version it was scored
with, so a decision can always be explained with the weights that produced it.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from relais.linkage.compare import FIELDS, MISSING, compare
from relais.linkage.normalize import PersonRecord

PARAMS_DIR = Path(__file__).resolve().parent / "params"
ACTIVE = "v2"


@dataclass(frozen=True)
class Params:
    version: str
    prior: float
    upper: float
    lower: float
    weights: dict[str, dict[str, float]]  # field -> level -> log2(m / u)

    @property
    def prior_weight(self) -> float:
        return math.log2(self.prior / (1 - self.prior))


@cache
def params(version: str = ACTIVE) -> Params:
    data = json.loads((PARAMS_DIR / f"{version}.json").read_text())
    weights = {field: {level: math.log2(m / u) for level, (m, u) in levels.items()}
               for field, levels in data["fields"].items()}
    missing = {f"{f}.{lvl}" for f, lvls in FIELDS.items() for lvl in lvls
               if lvl not in weights.get(f, {})}
    if missing:
        raise ValueError(f"linkage parameters {version} lack the levels {sorted(missing)}")
    return Params(version=data["version"], prior=data["prior"],
                  upper=data["thresholds"]["upper"], lower=data["thresholds"]["lower"],
                  weights=weights)


@dataclass(frozen=True)
class Evidence:
    """One field's part in a score: its level and its weight (0 when missing)."""

    field: str
    level: str
    weight: float

    @property
    def field_label(self) -> str:
        from relais.linkage.labels import FIELD_LABELS

        return str(FIELD_LABELS[self.field])

    @property
    def level_label(self) -> str:
        from relais.linkage.labels import LEVEL_LABELS

        return str(LEVEL_LABELS[self.level])

    @property
    def agrees(self) -> bool | None:
        if self.level == MISSING:
            return None
        return self.weight > 0


@dataclass(frozen=True)
class Match:
    probability: float
    weight: float
    evidence: tuple[Evidence, ...]
    names_swapped: bool
    version: str

    @property
    def percent(self) -> str:
        """The probability as a percentage a reader can take in: "99.7 %"-like, never 100."""
        return f"{min(self.probability * 100, 99.9):.1f}"

    @property
    def band(self) -> str:
        """"propose" (above the upper threshold), "review" (between) or "none"."""
        p = params(self.version)
        if self.probability >= p.upper:
            return "propose"
        return "review" if self.probability >= p.lower else "none"

    def as_json(self) -> dict:
        return {"probability": round(self.probability, 6), "weight": round(self.weight, 3),
                "names_swapped": self.names_swapped, "version": self.version,
                "evidence": [[e.field, e.level, round(e.weight, 3)] for e in self.evidence]}


def probability_of(weight: float) -> float:
    if weight > 60:
        return 1.0
    return 1 / (1 + 2 ** -weight)


def score(a: PersonRecord, b: PersonRecord, *, version: str = ACTIVE) -> Match:
    p = params(version)
    comparison = compare(a, b)
    evidence = tuple(
        Evidence(field=field, level=level,
                 weight=0.0 if level == MISSING else p.weights[field][level])
        for field, level in comparison.levels.items())
    weight = p.prior_weight + sum(e.weight for e in evidence)
    return Match(probability=probability_of(weight), weight=weight, evidence=evidence,
                 names_swapped=comparison.names_swapped, version=p.version)
