"""Training the model with Splink: its comparisons find the levels compare.py finds, and the
trained version loads and weighs each field's agreement above its disagreement.

A few hundred made-up records: 150 persons, each seen twice (the second time with the errors
of the field: a typo, a transliteration, names swapped, day and month swapped, the year off by
one, one digit of the national number wrong, values missing), and 100 persons seen once.
Runs in about 10 s (Splink's DuckDB), skipped where splink is not installed.
"""

from __future__ import annotations

import csv
import io
import json
import random
from dataclasses import replace
from datetime import date, timedelta

import pytest
from django.core.management import CommandError, call_command

from relais.core.synthetic import fictitious_national_number
from relais.linkage import batch, model
from relais.linkage.compare import FIELDS, compare
from relais.linkage.normalize import PersonRecord

pytest.importorskip("splink")

from relais.linkage import training  # noqa: E402  (needs splink)

COLUMNS = ("record_id", "source_agency", "given_name", "surname", "birth_date",
           "national_number", "sex", "postcode", "municipality", "street", "house_number",
           "phone")

GIVEN = ["Mohamed", "Marie", "Jan", "Fatima", "Pieter", "Aïcha", "Lucas", "Emma", "Youssef",
         "Olga", "Sophie", "Thomas", "Nathalie", "Ahmed", "Els", "Kevin", "Lena", "Arthur"]
VARIANTS = {"Mohamed": "Muhammad", "Fatima": "Fatma", "Aïcha": "Aisha", "Youssef": "Yusuf",
            "Ahmed": "Ahmad"}
SURNAMES = ["Van den Broeck", "De Smet", "Dubois", "Peeters", "Janssens", "El Amrani",
            "Maes", "Lambert", "Benali", "Dupont", "Vermeulen", "Claes", "Kowalski",
            "Nowak", "Martin", "Willems", "Yilmaz", "Diallo", "Goossens", "Leclercq"]
STREETS = ["Rue Haute", "Kerkstraat", "Avenue Louise", "Chaussée de Wavre", "Stationsstraat"]


def typo(text: str, rnd: random.Random) -> str:
    i = rnd.randrange(1, len(text) - 1)
    return text[:i] + text[i + 1] + text[i] + text[i + 2:]


def person(n: int, rnd: random.Random) -> dict:
    born = date(1950, 1, 1) + timedelta(days=rnd.randrange(20000))
    return {
        "given_name": rnd.choice(GIVEN), "surname": rnd.choice(SURNAMES),
        "birth_date": born, "national_number_": fictitious_national_number(born, n),
        "sex": rnd.choice("FM"), "postcode": rnd.choice(["1000", "1050", "4000", "9000"]),
        "street_": f"{rnd.choice(STREETS)} {rnd.randrange(1, 120)}",
        "phones": (f"+3247{rnd.randrange(10**7):07d}",),
    }


def with_errors(fields: dict, rnd: random.Random) -> dict:
    fields = dict(fields)
    born: date = fields["birth_date"]
    for error in rnd.sample(range(9), 2):
        if error == 0:
            fields["surname"] = typo(fields["surname"], rnd)
        elif error == 1:
            fields["given_name"] = VARIANTS.get(fields["given_name"],
                                                typo(fields["given_name"], rnd))
        elif error == 2:
            fields["given_name"], fields["surname"] = fields["surname"], fields["given_name"]
        elif error == 3 and born.day <= 12:
            fields["birth_date"] = date(born.year, born.day, born.month)
        elif error == 4:
            fields["birth_date"] = born.replace(year=born.year + 1, day=min(born.day, 28))
        elif error == 5 and fields["national_number_"]:
            digits = fields["national_number_"]
            fields["national_number_"] = digits[:-1] + str((int(digits[-1]) + 1) % 10)
        elif error == 6:
            fields["national_number_"] = ""
        elif error == 7:
            fields["phones"] = ()
            fields["street_"] = ""
        elif error == 8:
            fields["postcode"] = rnd.choice(["1030", "2000"])
    return fields


def recorded() -> list[dict]:
    """The fields of every record: 250 persons, the first 150 recorded twice."""
    rnd = random.Random(15)
    out = []
    for n in range(250):
        fields = person(n, rnd)
        out.append({"key": f"p{n}a", "agency": "A", **fields})
        if n < 150:
            out.append({"key": f"p{n}b", "agency": "B", **with_errors(fields, rnd)})
    return out


@pytest.fixture(scope="module")
def records() -> list[PersonRecord]:
    out = [PersonRecord.build(**fields) for fields in recorded()]
    # Hard negatives: a twin (same birth date, surname, address; another given name).
    twin = replace(out[0], key="twin", given=PersonRecord.build(key="", given_name="Zoé").given,
                   national_number="", phones=())
    return [*out, twin]


@pytest.fixture(scope="module")
def trained(records):
    return training.train(records, version="test-trained", max_pairs=1e5, seed=3,
                          source="test records")


def test_splink_finds_the_levels_compare_finds(records, trained):
    rnd = random.Random(4)
    pairs = list(batch.candidate_pairs(records))
    pairs += [tuple(sorted(rnd.sample(range(len(records)), 2))) for _ in range(300)]

    found = training.splink_levels(trained, records, pairs)

    expected = [compare(records[i], records[j]).levels for i, j in pairs]
    assert found == expected
    seen = {(field, level) for levels in expected for field, level in levels.items()}
    assert {("given_name", "exact"), ("surname", "close"), ("birth_date", "year_off_by_one"),
            ("national_number", "one_digit"), ("address", "same_street")} <= seen


def test_the_trained_version_loads_and_weighs_agreement_above_disagreement(trained):
    try:
        path = training.write(trained.data)
        loaded = model.params("test-trained")
    finally:
        path.unlink()
        model.params.cache_clear()

    data = json.loads(json.dumps(trained.data))
    assert data["version"] == "test-trained"
    assert "Splink" in data["note"] and "test records" in data["note"]
    assert 0 < data["prior"] < 0.1
    assert data["thresholds"] == {"upper": model.params("v1").upper,
                                  "lower": model.params("v1").lower}
    assert set(loaded.weights) == set(FIELDS)
    for field, levels in FIELDS.items():
        weights = loaded.weights[field]
        assert weights[levels[0]] > 0 > weights[levels[-1]], field
    assert loaded.weights["birth_date"]["exact"] > loaded.weights["birth_date"]["one_digit"]


def test_the_command_trains_on_a_csv_and_writes_a_new_version(tmp_path):
    path = tmp_path / "persons.csv"
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for f in recorded():
            street, _, number = f["street_"].rpartition(" ")
            writer.writerow([f["key"], f["agency"], f["given_name"], f["surname"],
                             f["birth_date"].isoformat(), f["national_number_"], f["sex"],
                             f["postcode"], "", street, number, ";".join(f["phones"])])
    written = model.PARAMS_DIR / "test-command.json"
    try:
        call_command("train_linkage", "--input", str(path), "--version", "test-command",
                     "--max-pairs", "1e5", stdout=io.StringIO())
        loaded = model.params("test-command")
        note = json.loads(written.read_text())["note"]
        with pytest.raises(CommandError):
            call_command("train_linkage", "--input", str(path), "--version", "test-command")
    finally:
        written.unlink(missing_ok=True)
        model.params.cache_clear()

    assert loaded.version == "test-command"
    assert all(loaded.weights[f][levels[0]] > loaded.weights[f][levels[-1]]
               for f, levels in FIELDS.items())
    assert "persons.csv" in note
