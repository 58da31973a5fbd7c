"""Linking a set of person records with one another: the blocking keys of ``keys``, the model
of ``model``. The same code as the matcher in the request, over records held in memory; used
by ``manage.py link_persons``, the training and the benchmark."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from relais.linkage.keys import MIN_SHARED, is_strong, lookup_keys, stored_keys
from relais.linkage.model import ACTIVE, Match, params, score
from relais.linkage.normalize import PersonRecord

MAX_BLOCK = 2000  # a key shared by more records than this blocks nothing: skipped


def candidate_pairs(records: list[PersonRecord], *,
                    across: bool = False) -> Iterator[tuple[int, int]]:
    """Index pairs (i < j) that share two blocking keys, or one strong key (``keys``), as the
    matcher in the request asks. ``across``: only pairs from different ``agency`` values
    (linking two sources rather than deduplicating one)."""
    index: dict[str, list[int]] = defaultdict(list)
    for i, record in enumerate(records):
        for key in stored_keys(record):
            index[key].append(i)
    shared: dict[tuple[int, int], int] = defaultdict(int)  # (looking, filed): keys shared
    strong: set[tuple[int, int]] = set()
    for i, record in enumerate(records):
        for key in lookup_keys(record):
            block = index.get(key, ())
            if len(block) > MAX_BLOCK:
                continue
            for j in block:
                if j == i or (across and records[j].agency == record.agency):
                    continue
                shared[i, j] += 1
                if is_strong(key):
                    strong.add((min(i, j), max(i, j)))
    best: dict[tuple[int, int], int] = defaultdict(int)
    for (i, j), count in shared.items():
        pair = (min(i, j), max(i, j))
        best[pair] = max(best[pair], count)
    for pair in sorted(best):
        if best[pair] >= MIN_SHARED or pair in strong:
            yield pair


def link(records: list[PersonRecord], *, threshold: float | None = None,
         across: bool = False, version: str = ACTIVE) -> Iterable[tuple[str, str, Match]]:
    """The predicted same-person pairs (key_l, key_r, match) at or above ``threshold`` (the
    model's upper threshold by default)."""
    limit = params(version).upper if threshold is None else threshold
    for i, j in candidate_pairs(records, across=across):
        match = score(records[i], records[j], version=version)
        if match.probability >= limit:
            yield records[i].key, records[j].key, match
