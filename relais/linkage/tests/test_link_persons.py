"""``manage.py link_persons``: a CSV of person records in, the predicted pairs out; a bad file
is reported by line and column, and nothing is written."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from relais.linkage import synthetic
from relais.linkage.csv_records import COLUMNS

SAMPLE = Path(__file__).resolve().parent / "data" / "persons.csv"
HEADER = ",".join(COLUMNS)
GOOD_LINE = "zA-1,zone-exemple,Hélène,Van den Voorbeeld,1984-03-07,84030701211,F,1080,,,,"


def run(source: Path, output: Path, *options: str) -> str:
    out = io.StringIO()
    call_command("link_persons", "--input", str(source), "--output", str(output),
                 "--language", "en", *options, stdout=out)
    return out.getvalue()


def pairs_in(output: Path) -> dict[frozenset[str], float]:
    with output.open(newline="", encoding="utf-8") as stream:
        rows = list(csv.reader(stream))
    assert rows[0] == ["record_id_l", "record_id_r", "score"]
    return {frozenset(row[:2]): float(row[2]) for row in rows[1:]}


def test_the_sample_file_gives_the_pairs_of_one_person(tmp_path: Path) -> None:
    output = tmp_path / "pairs.csv"
    message = run(SAMPLE, output)
    assert "11 records read, 5 pairs written" in message
    pairs = pairs_in(output)
    assert set(pairs) == {frozenset(p) for p in (
        ("zA-1", "pq-7"), ("zA-1", "caw-3"), ("pq-7", "caw-3"),  # swapped, spaced, no accents
        ("zA-2", "zB-9"),  # Mohamed / Muhammad, year off by one, phone written otherwise
        ("pq-8", "caw-4"),  # Łukasz / Lukasz, two digits of the national number swapped
    )}
    assert all(0.95 <= score <= 1 for score in pairs.values())
    assert all(len(row.split(",")[2].strip()) == 6
               for row in output.read_text().splitlines()[1:])  # 4 decimals


def test_a_lower_threshold_adds_the_review_band_and_across_keeps_other_agencies(
        tmp_path: Path) -> None:
    output = tmp_path / "pairs.csv"
    run(SAMPLE, output, "--threshold", "0.01")
    pairs = pairs_in(output)
    assert frozenset(("zA-3", "zA-4")) in pairs  # the twins, far below the review band
    run(SAMPLE, output, "--threshold", "0.01", "--across")
    assert frozenset(("zA-3", "zA-4")) not in pairs_in(output)  # one agency
    assert frozenset(("zA-1", "pq-7")) in pairs_in(output)


def test_the_synthetic_set_through_the_command(tmp_path: Path) -> None:
    rows, truth = synthetic.rows(persons=400, seed=7)
    source = tmp_path / "persons.csv"
    with source.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    output = tmp_path / "pairs.csv"
    run(source, output)
    predicted = set(pairs_in(output))
    true = len(predicted & truth)
    assert 2 * true / (len(predicted) + len(truth)) >= 0.95


def write(tmp_path: Path, text: str, name: str = "persons.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


BAD = {
    "bad_date": (f"{HEADER}\n{GOOD_LINE}\n"
                 "zA-2,zone-exemple,Inès,Du Modèle,2001-02-30,,F,,,,,\n",
                 ["line 3, column birth_date: not a date in the form YYYY-MM-DD"]),
    "date_in_another_form": (f"{HEADER}\nzA-2,zone-exemple,Inès,Du Modèle,04/05/2001,,F,,,,,\n",
                             ["line 2, column birth_date: not a date in the form YYYY-MM-DD"]),
    "future_birth_date": (f"{HEADER}\nzA-2,zone-exemple,Inès,Du Modèle,2999-01-01,,F,,,,,\n",
                          ["line 2, column birth_date: a birth date must lie between 1900 "
                           "and today"]),
    "duplicate_record_id": (f"{HEADER}\n{GOOD_LINE}\n{GOOD_LINE}\n",
                            ["line 3, column record_id: the same record_id as line 2"]),
    "missing_record_id": (f"{HEADER}\n,zone-exemple,Inès,Du Modèle,,,F,,,,,\n",
                          ["line 2, column record_id: a record_id is required"]),
    "bad_header": ("record_id,agency,given_name,surname,birth_date,national_number,sex,"
                   "postcode,municipality,street,house_number,phone\n" + GOOD_LINE + "\n",
                   ["line 1, column 2: not a known column name",
                    "line 1, column source_agency: missing column"]),
    "header_twice": (f"{HEADER},sex\n", ["line 1, column sex: column given twice"]),
    "no_header_line": (f"{GOOD_LINE}\n", ["line 1, column 1: not a known column name"]),
    "field_too_long": (f"{HEADER}\n{GOOD_LINE}\nzA-2,\"" + "x" * 200_000 + "\"\n",
                       ["line 3: not readable as CSV from here on"]),
    "no_header": ("", ["line 1: the header line is missing"]),
    "values_missing": (f"{HEADER}\nzA-1,zone-exemple,Hélène\n",
                       ["line 2: 3 values where the header has 12"]),
    "national_number": (f"{HEADER}\nzA-1,zone-exemple,Hélène,,,8403070121,F,,,,,\n",
                        ["line 2, column national_number: a national number has 11 digits"]),
    "sex": (f"{HEADER}\nzA-1,zone-exemple,Hélène,,,,female,,,,,\n",
            ["line 2, column sex: the sex is F, M, X or empty"]),
    "postcode": (f"{HEADER}\nzA-1,zone-exemple,Hélène,,,,F,B-1080,,,,\n",
                 ["line 2, column postcode: a Belgian postcode has 4 digits"]),
    "phone": (f"{HEADER}\nzA-1,zone-exemple,Hélène,,,,F,,,,,call her\n",
              ["line 2, column phone: not a phone number"]),
    "several_faults": (f"{HEADER}\n{GOOD_LINE}\n"
                       "zA-2,zone-exemple,Inès,,1-1-2001,,F,,,,,\n\n"
                       "zA-1,zone-exemple,Inès,,,,Q,,,,,\n",
                       ["line 3, column birth_date:", "line 5, column record_id: the same "
                        "record_id as line 2", "line 5, column sex:"]),
}


@pytest.mark.parametrize("kind", BAD)
def test_a_bad_file_is_reported_by_line_and_column_and_nothing_is_written(
        tmp_path: Path, kind: str) -> None:
    text, expected = BAD[kind]
    output = tmp_path / "pairs.csv"
    with pytest.raises(CommandError) as raised:
        run(write(tmp_path, text), output)
    report = str(raised.value)
    assert report.startswith("persons.csv is not loaded, nothing is written:")
    for line in expected:
        assert line in report
    assert not output.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["persons.csv"]  # no temporary file


def test_the_report_never_repeats_a_value(tmp_path: Path) -> None:
    text = f"{HEADER}\nzA-2,zone-exemple,Inès,Du Modèle,2001-02-30,1234,F,,,,,\n"
    with pytest.raises(CommandError) as raised:
        run(write(tmp_path, text), tmp_path / "pairs.csv")
    assert "2001-02-30" not in str(raised.value) and "1234" not in str(raised.value)
    assert "Inès" not in str(raised.value)
    with pytest.raises(CommandError) as raised:  # a file without its header line
        run(write(tmp_path, f"{GOOD_LINE}\n"), tmp_path / "pairs.csv")
    assert "Hélène" not in str(raised.value) and "Voorbeeld" not in str(raised.value)


def test_a_file_that_is_not_utf8_names_its_line(tmp_path: Path) -> None:
    source = tmp_path / "persons.csv"
    source.write_bytes(f"{HEADER}\n{GOOD_LINE}\n".encode()
                       + "zA-2,zone-exemple,Inès,,,,F,,,,,\n".encode("latin-1"))
    with pytest.raises(CommandError, match="line 3: not UTF-8 text"):
        run(source, tmp_path / "pairs.csv")
    assert not (tmp_path / "pairs.csv").exists()


def test_a_missing_input_or_output_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="cannot be read"):
        run(tmp_path / "absent.csv", tmp_path / "pairs.csv")
    with pytest.raises(CommandError, match="output folder does not exist"):
        run(SAMPLE, tmp_path / "absent" / "pairs.csv")


def test_a_semicolon_file_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    source = tmp_path / "persons.csv"
    source.write_bytes(b"\xef\xbb\xbf" + SAMPLE.read_text(encoding="utf-8")
                       .replace(",", ";").encode())
    output = tmp_path / "pairs.csv"
    assert "5 pairs written" in run(source, output)



@pytest.mark.parametrize("threshold", ["0", "1.5", "high"])
def test_a_threshold_is_a_probability(tmp_path: Path, threshold: str) -> None:
    with pytest.raises(CommandError, match="threshold"):
        run(SAMPLE, tmp_path / "pairs.csv", "--threshold", threshold)
    assert not (tmp_path / "pairs.csv").exists()
