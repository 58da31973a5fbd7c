"""Training the model's parameters (m and u of every level, the prior) with Splink on DuckDB.

Splink compares the records with comparisons whose levels are those of ``compare.FIELDS``, in
the same order and decided the same way, written in DuckDB's SQL over columns normalised once
here by ``relais.linkage.normalize``: so a weight trained here is the weight of the level
``compare`` finds. The swap of given name and surname is decided as in ``compare.compare``
(the orientation whose two levels rank better, when it has no missing side).

The steps are Splink's usual ones:
- u by random sampling of pairs (almost all of them between different persons);
- m by expectation maximisation, on a few blocking rules, each field trained on rules that do
  not block on it (same birth date; same phonetic keys of both names);
- the prior (``probability_two_random_records_match``) from deterministic rules (same national
  number; same names and birth date) and the share of true matches they are assumed to find.

A level Splink could not estimate (its m or its u never seen, or below one in a million)
keeps the m and u of the base version, both (an m from one and a u from the other would make
a meaningless weight), and the note of the new version names it; so does the prior when the
deterministic rules found no pair.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from relais.linkage import compare
from relais.linkage.compare import CLOSE, FIELDS, STREET_CLOSE
from relais.linkage.model import ACTIVE, PARAMS_DIR, params
from relais.linkage.normalize import Name, PersonRecord

SMALLEST = 1e-6  # an m or u below this is an artefact of EM (a level it never saw), not data
NAME_MISSING = len(FIELDS["given_name"])  # the rank of "missing" in compare._rank

EM_RULES = (
    "l.birth_date = r.birth_date",
    "l.given_phonetic = r.given_phonetic AND l.surname_phonetic = r.surname_phonetic",
)
DETERMINISTIC_RULES = (
    "l.national_number = r.national_number",
    "l.given_joined = r.given_joined AND l.surname_joined = r.surname_joined"
    " AND l.birth_date = r.birth_date",
)


def _name_columns(prefix: str, value: Name) -> dict:
    if not value:
        return {f"{prefix}_{c}": None for c in ("joined", "core", "canonical", "phonetic",
                                                "parts")}
    return {f"{prefix}_joined": value.joined, f"{prefix}_core": value.core,
            f"{prefix}_canonical": value.canonical, f"{prefix}_phonetic": value.phonetic,
            f"{prefix}_parts": list(value.parts)}


def row(index: int, record: PersonRecord) -> dict:
    """The columns Splink's comparisons read, for one record (None where compare.py sees a
    missing value)."""
    day = record.birth_date
    return {
        "unique_id": index,
        **_name_columns("given", record.given),
        **_name_columns("surname", record.surname),
        "birth_date": f"{day.year:04d}{day.month:02d}{day.day:02d}" if day else None,
        "birth_year": day.year if day else None,
        "birth_month": day.month if day else None,
        "birth_day": day.day if day else None,
        "national_number": record.national_number or None,
        "sex": record.sex or None,
        "postcode": record.postcode or None,
        "street": record.street or None,
        "phones": list(record.phones) or None,
    }


def _typo_close(joined: tuple[str, str]) -> str:
    """compare.name_level's "close" at one keystroke apart in a name of TYPO_MIN_LENGTH or
    more."""
    shortest = compare.TYPO_MIN_LENGTH
    return (f" WHEN least(length({joined[0]}), length({joined[1]})) >= {shortest}"
            f" AND damerau_levenshtein({joined[0]}, {joined[1]}) = 1 THEN 2")


def _name_rank(a: str, b: str) -> str:
    """SQL for compare.name_level's rank of the left record's name ``a`` ("given" or
    "surname") against the right record's name ``b``."""
    def pair(column: str) -> tuple[str, str]:
        return f"{a}_{column}_l", f"{b}_{column}_r"

    joined, core, canonical, phonetic, parts = (
        pair(c) for c in ("joined", "core", "canonical", "phonetic", "parts"))
    return (
        f"(CASE WHEN {joined[0]} IS NULL OR {joined[1]} IS NULL THEN {NAME_MISSING}"
        f" WHEN {joined[0]} = {joined[1]} OR {canonical[0]} = {canonical[1]}"
        f" OR {core[0]} = {core[1]} THEN 0"
        f" WHEN {phonetic[0]} = {phonetic[1]} THEN 1"
        f" WHEN greatest(jaro_winkler_similarity({joined[0]}, {joined[1]}),"
        f" jaro_winkler_similarity({core[0]}, {core[1]})) >= {CLOSE} THEN 2"
        f"{_typo_close(joined)}"
        f" WHEN list_has_any({parts[0]}, {parts[1]}) THEN 3"
        f" ELSE 4 END)")


def _oriented_name_rank(field: str) -> str:
    """SQL for the rank of the given name or surname after compare.compare's choice of
    orientation (swapped when the swapped ranks add up lower and neither is missing)."""
    gs, sg = _name_rank("given", "surname"), _name_rank("surname", "given")
    gg, ss = _name_rank("given", "given"), _name_rank("surname", "surname")
    turned = (f"({gs} + {sg} < {gg} + {ss} AND {gs} < {NAME_MISSING}"
              f" AND {sg} < {NAME_MISSING})")
    straight, swapped = (gg, gs) if field == "given_name" else (ss, sg)
    return f"(CASE WHEN {turned} THEN {swapped} ELSE {straight} END)"


def _levels(field: str) -> list[dict]:
    """Splink's levels of one field: the null level ("missing"), then compare.FIELDS[field]
    in order, each with its SQL condition; the last one is the else level."""
    names = FIELDS[field]
    if field in {"given_name", "surname"}:
        rank = _oriented_name_rank(field)
        null = f"{rank} = {NAME_MISSING}"
        conditions = [f"{rank} = {i}" for i in range(len(names) - 1)]
    elif field == "birth_date":
        null = "birth_date_l IS NULL OR birth_date_r IS NULL"
        conditions = [
            "birth_date_l = birth_date_r",
            "birth_year_l = birth_year_r AND birth_day_l = birth_month_r"
            " AND birth_month_l = birth_day_r",
            "birth_month_l = birth_month_r AND birth_day_l = birth_day_r"
            " AND abs(birth_year_l - birth_year_r) = 1",
            "hamming(birth_date_l, birth_date_r) = 1",
        ]
    elif field == "national_number":
        null = "national_number_l IS NULL OR national_number_r IS NULL"
        conditions = [
            "national_number_l = national_number_r",
            "length(national_number_l) = length(national_number_r)"
            " AND damerau_levenshtein(national_number_l, national_number_r) = 1",
        ]
    elif field == "sex":
        null = "sex_l IS NULL OR sex_r IS NULL"
        conditions = ["sex_l = sex_r"]
    elif field == "address":
        null = "postcode_l IS NULL OR postcode_r IS NULL"
        conditions = [
            "postcode_l = postcode_r AND street_l IS NOT NULL AND street_r IS NOT NULL"
            f" AND jaro_winkler_similarity(street_l, street_r) >= {STREET_CLOSE}",
            "postcode_l = postcode_r",
            "street_l IS NOT NULL AND street_r IS NOT NULL"
            f" AND jaro_winkler_similarity(street_l, street_r) >= {STREET_CLOSE}",
        ]
    elif field == "phone":
        null = "phones_l IS NULL OR phones_r IS NULL"
        conditions = ["list_has_any(phones_l, phones_r)"]
    else:
        raise ValueError(f"no Splink comparison for the field {field}")
    assert len(conditions) == len(names) - 1, field
    return [
        {"sql_condition": null, "label_for_charts": "missing", "is_null_level": True},
        *({"sql_condition": sql, "label_for_charts": level}
          for sql, level in zip(conditions, names, strict=False)),
        {"sql_condition": "ELSE", "label_for_charts": names[-1]},
    ]


def comparisons() -> list:
    from splink import comparison_library as cl

    return [cl.CustomComparison(comparison_levels=_levels(field), output_column_name=field,
                                comparison_description=field)
            for field in FIELDS]


@dataclass(frozen=True)
class Training:
    """What a training produced: the parameters file's content, and Splink's linker (to
    inspect or score with)."""

    data: dict
    linker: object


def train(records: list[PersonRecord], *, version: str, seed: int = 1, across: bool = False,
          base: str = ACTIVE, recall: float = 0.8, max_pairs: float = 1e6,
          source: str = "", upper: float | None = None,
          lower: float | None = None) -> Training:
    """Train m, u and the prior on ``records`` with Splink. ``across``: the records are two
    or more sources (their ``agency``) linked with one another (Splink's link_only), not one
    set deduplicated. Thresholds are the ``base`` version's unless given."""
    import pyarrow
    import splink
    from splink import DuckDBAPI, Linker, SettingsCreator

    db_api = DuckDBAPI()
    rows = [row(i, record) for i, record in enumerate(records)]
    if across:
        agencies = sorted({record.agency for record in records})
        if len(agencies) < 2:
            raise ValueError("linking across sources needs records of two agencies or more")
        tables = [db_api.register(
            pyarrow.Table.from_pylist([r for r, record in zip(rows, records, strict=True)
                                       if record.agency == agency]),
            dataset_display_name=f"source_{n}") for n, agency in enumerate(agencies)]
    else:
        tables = db_api.register(pyarrow.Table.from_pylist(rows),
                                 dataset_display_name="records")
    deterministic = [rule for rule in DETERMINISTIC_RULES
                     if "national_number" not in rule
                     or any(record.national_number for record in records)]
    settings = SettingsCreator(
        link_type="link_only" if across else "dedupe_only",
        comparisons=comparisons(),
        blocking_rules_to_generate_predictions=list(EM_RULES),
        retain_intermediate_calculation_columns=False,
    )
    # Splink's warnings (a level not observed) are summed up in the note instead.
    linker = Linker(tables, settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(deterministic,
                                                                   recall=recall)
    linker.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=seed)
    for rule in EM_RULES:
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    model = linker.misc.save_model_to_json()

    previous = json.loads((PARAMS_DIR / f"{base}.json").read_text())
    fields: dict[str, dict[str, list[float]]] = {}
    kept: list[str] = []
    for comparison in model["comparisons"]:
        field = comparison["output_column_name"]
        fields[field] = {}
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            name = level["label_for_charts"]
            m, u = level.get("m_probability"), level.get("u_probability")
            if any(v is None or not math.isfinite(v) or v < SMALLEST for v in (m, u)):
                m, u = previous["fields"][field][name]
                kept.append(f"{field}.{name}")
            fields[field][name] = [float(f"{m:.6g}"), float(f"{u:.6g}")]
    prior = model["probability_two_random_records_match"]
    if not 0 < prior < 1:  # the deterministic rules found no pair
        prior = previous["prior"]
        kept.append("prior")
    today = datetime.now(UTC).date().isoformat()
    note = (
        f"Trained with Splink {splink.__version__} (DuckDB) on {today}"
        f" from {len(records)} records{f' ({source})' if source else ''},"
        f" {'linked across sources' if across else 'deduplicated'}:"
        f" u by random sampling ({max_pairs:.0g} pairs, seed {seed}),"
        f" m by EM on blocks [{'; '.join(EM_RULES)}],"
        f" prior from [{'; '.join(deterministic)}] at an assumed recall of {recall}."
        f" Thresholds from {base}."
        + (f" Not estimated, kept from {base}: {', '.join(kept)}." if kept else ""))
    data = {
        "version": version,
        "note": note,
        "prior": float(f"{prior:.6g}"),
        "thresholds": {"upper": previous["thresholds"]["upper"] if upper is None else upper,
                       "lower": previous["thresholds"]["lower"] if lower is None else lower},
        "fields": fields,
    }
    return Training(data=data, linker=linker)


def write(data: dict, *, directory: Path = PARAMS_DIR) -> Path:
    """Write a trained version to ``directory/<version>.json``, in the layout of v1.json (one
    line per field), and check that the model loads it."""
    fields = ",\n".join(f"    {json.dumps(field)}: {json.dumps(levels)}"
                        for field, levels in data["fields"].items())
    head = {key: data[key] for key in ("version", "note", "prior")}
    text = ("{\n" + "".join(f"  {json.dumps(k)}: {json.dumps(v)},\n" for k, v in head.items())
            + f'  "thresholds": {json.dumps(data["thresholds"])},\n'
            + '  "fields": {\n' + fields + "\n  }\n}\n")
    path = directory / f"{data['version']}.json"
    path.write_text(text)
    if directory == PARAMS_DIR:
        params.cache_clear()
        params(data["version"])
    return path


def splink_levels(training: Training, records: list[PersonRecord],
                  pairs: list[tuple[int, int]]) -> list[dict[str, str]]:
    """The level of each field that Splink's comparisons find for each index pair (i, j) of
    ``records`` (the records it was trained on): to check that they are compare.py's."""
    import pyarrow

    linker = training.linker
    db_api = linker._db_api
    across = linker._settings_obj._link_type != "dedupe_only"
    agencies = sorted({record.agency for record in records})

    def join_key(i: int) -> str:
        if not across:
            return str(i)
        return f"source_{agencies.index(records[i].agency)}-__-{i}"

    frame = pyarrow.Table.from_pylist([
        {"match_key": "0", "join_key_l": join_key(i), "join_key_r": join_key(j)}
        for i, j in pairs])
    linker.table_management.register_blocked_pairs_for_predict(db_api.register(frame))
    predicted = linker.inference.predict(warning_mode="never").as_record_list()
    names = {field: ("missing", *FIELDS[field]) for field in FIELDS}
    by_pair = {}
    for line in predicted:
        key = (int(line["unique_id_l"]), int(line["unique_id_r"]))
        # Splink numbers a comparison's levels from the last (0) up; the null level is -1.
        by_pair[key] = {field: names[field][0] if line[f"gamma_{field}"] == -1
                        else FIELDS[field][len(FIELDS[field]) - 1 - line[f"gamma_{field}"]]
                        for field in FIELDS}
    return [by_pair.get((i, j)) or by_pair[(j, i)] for i, j in pairs]
