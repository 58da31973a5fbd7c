"""The matcher on a synthetic Belgian population with known truth (issue 15, section 6), then
one small pair for each error of section 1 and each hard negative."""

from __future__ import annotations

from datetime import date

import pytest

from relais.core.synthetic import fictitious_national_number
from relais.linkage import batch, synthetic
from relais.linkage.csv_records import record_from_row
from relais.linkage.model import params, score
from relais.linkage.normalize import PersonRecord, name


def f1_of(predicted: set[frozenset[str]], truth: set[frozenset[str]]) -> tuple[float, ...]:
    true = len(predicted & truth)
    precision = true / len(predicted) if predicted else 0.0
    recall = true / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if true else 0.0
    return precision, recall, f1


def test_the_synthetic_set_is_linked_with_an_f1_of_at_least_095() -> None:
    records, truth = synthetic.generate()
    predicted = {frozenset((left, right)) for left, right, _ in batch.link(records)}
    precision, recall, f1 = f1_of(predicted, truth)
    wrong = {kind: len(pairs & predicted) for kind, pairs in synthetic.hard_negatives().items()}
    print(f"{len(records)} records, {len(truth)} true pairs, {len(predicted)} predicted: "
          f"precision {precision:.4f}, recall {recall:.4f}, F1 {f1:.4f}; hard negatives "
          f"predicted: {wrong}")
    assert f1 >= 0.95


def test_the_set_is_the_same_for_a_seed_and_holds_what_it_promises() -> None:
    records, truth = synthetic.generate(persons=300, seed=4)
    again, same_truth = synthetic.generate(persons=300, seed=4)
    assert records == again and truth == same_truth
    assert synthetic.generate(persons=300, seed=5)[0] != records

    keys = [r.key for r in records]
    assert len(keys) == len(set(keys))
    assert {key for pair in truth for key in pair} <= set(keys)
    assert {r.agency for r in records} == set(synthetic.AGENCIES)
    surnames = {r.surname.joined for r in records}
    for origin in synthetic.ORIGINS.values():
        forms = {name(form).joined for surname in origin.surnames
                 for form in (surname if isinstance(surname, tuple) else (surname,))}
        assert forms & surnames, origin
    rows, _ = synthetic.rows(persons=300, seed=4)
    assert any(r["national_number"] and not records[i].nn_valid for i, r in enumerate(rows))
    assert any(not r["national_number"] for r in rows)
    assert any(r["phone"].startswith("0") for r in rows)
    assert any(r["phone"].startswith("+32") for r in rows)


# -- One pair per error of section 1 --------------------------------------------------------

NN = fictitious_national_number(date(1984, 3, 7), 11)
BASE = {"record_id": "L", "source_agency": "zone-exemple", "given_name": "Hélène",
        "surname": "Van den Voorbeeld", "birth_date": "1984-03-07", "national_number": "",
        "sex": "F", "postcode": "1080", "municipality": "", "street": "Rue de l'Exemple",
        "house_number": "12", "phone": ""}


def pair(left: dict[str, str], right: dict[str, str]) -> list[PersonRecord]:
    return [record_from_row({**BASE, **left}),
            record_from_row({**BASE, "record_id": "R", "source_agency": "caw-proef", **right})]


def wrong_digit(number: str) -> str:
    return number[:4] + str((int(number[4]) + 1) % 10) + number[5:]


ERRORS = {
    "names_swapped": ({}, {"given_name": "Van den Voorbeeld", "surname": "Hélène"},
                      ("given_name", "exact")),
    "accents_dropped": ({}, {"given_name": "Helene"}, ("given_name", "exact")),
    "particle_spacing": ({}, {"surname": "Vandenvoorbeeld"}, ("surname", "exact")),
    "particle_spacing_de": ({"surname": "De Proef"}, {"surname": "Deproef"},
                            ("surname", "exact")),
    "particle_spacing_du": ({"surname": "Du Modèle"}, {"surname": "DUMODELE"},
                            ("surname", "exact")),
    "compound_part": ({"surname": "Ndakisa Mfano"}, {"surname": "Mfano"},
                         ("surname", "partial")),
    "transliteration": ({"given_name": "Mohamed", "surname": "El Mithali", "sex": "M"},
                        {"given_name": "Muhammad", "surname": "El-Mithali", "sex": "M"},
                        ("given_name", "exact")),
    "turkish_letters": ({"surname": "Sınavcı"}, {"surname": "SINAVCI"}, ("surname", "exact")),
    "typo_given_name": ({}, {"given_name": "Hélèbe"}, ("given_name", "close")),
    "typo_short_given_name": ({"given_name": "Koen", "sex": "M"},
                              {"given_name": "Korn", "sex": "M"}, ("given_name", "close")),
    "typo_surname": ({}, {"surname": "Van den Voorbeelf"}, ("surname", "close")),
    "day_month_swapped": ({}, {"birth_date": "1984-07-03"}, ("birth_date", "day_month_swapped")),
    "year_off_by_one": ({}, {"birth_date": "1985-03-07"}, ("birth_date", "year_off_by_one")),
    "birth_date_missing": ({}, {"birth_date": ""}, ("birth_date", "missing")),
    "birth_date_from_national_number": ({}, {"birth_date": "", "national_number": NN},
                                        ("birth_date", "exact")),
    "national_number_digit": ({"national_number": NN, "birth_date": ""},
                              {"national_number": wrong_digit(NN), "birth_date": ""},
                              ("national_number", "one_digit")),
    "national_number_missing": ({"national_number": NN}, {}, ("national_number", "missing")),
    "sex_missing": ({}, {"sex": ""}, ("sex", "missing")),
    "address_missing": ({}, {"postcode": "", "street": "", "house_number": ""},
                        ("address", "missing")),
    "moved": ({}, {"postcode": "9000", "street": "Voorbeeldkaai", "house_number": "3"},
                        ("address", "different")),
    "street_written_otherwise": ({}, {"street": "R. de l'exemple"}, ("address", "same_street")),
    "phone_formats": ({"phone": "+32470123456"}, {"phone": "0470/12.34.56"},
                      ("phone", "exact")),
    "new_phone": ({"phone": "+32470123456"}, {"phone": "+32468999888"}, ("phone", "different")),
}


@pytest.mark.parametrize("kind", ERRORS)
def test_each_error_of_section_1_is_recognised_and_the_pair_found(kind: str) -> None:
    left, right, (field, level) = ERRORS[kind]
    records = pair(left, right)
    assert {e.field: e.level for e in score(*records).evidence}[field] == level
    assert [(left_key, right_key) for left_key, right_key, _ in batch.link(records)] \
        == [("L", "R")]


def test_every_error_the_generator_makes_has_its_pair_here() -> None:
    assert set(synthetic.ERRORS) <= set(ERRORS)


def test_a_surname_typo_with_only_the_given_name_birth_date_and_sex() -> None:
    records = pair({"postcode": "", "street": "", "house_number": ""},
                   {"surname": "Van den Voorbeelf", "postcode": "", "street": "",
                    "house_number": ""})
    assert list(batch.link(records))


# -- Hard negatives: never proposed at the upper threshold ----------------------------------

def not_proposed(records: list[PersonRecord]) -> bool:
    match = score(*records)
    return match.probability < params().upper and not list(batch.link(records))


TWINS_BORN = date(2001, 5, 4)


def test_twins_with_their_national_numbers_are_not_matched() -> None:
    assert not_proposed(pair(
        {"given_name": "Inès", "birth_date": "2001-05-04",
         "national_number": fictitious_national_number(TWINS_BORN, 21)},
        {"given_name": "Chloé", "birth_date": "2001-05-04",
         "national_number": fictitious_national_number(TWINS_BORN, 23)}))


def test_twins_of_both_sexes_without_national_numbers_are_not_matched() -> None:
    assert not_proposed(pair({"given_name": "Inès", "birth_date": "2001-05-04"},
                             {"given_name": "Bram", "sex": "M", "birth_date": "2001-05-04"}))


def test_twins_of_one_sex_without_national_numbers_are_not_matched() -> None:
    assert not_proposed(pair({"given_name": "Inès", "birth_date": "2001-05-04"},
                             {"given_name": "Chloé", "birth_date": "2001-05-04"}))


def test_a_mother_and_her_daughter_of_the_same_name_at_one_address_are_not_matched() -> None:
    assert not_proposed(pair({"birth_date": "1968-11-02", "phone": "+32470111222"},
                             {"birth_date": "1994-06-15"}))
    assert not_proposed(pair(
        {"birth_date": "1968-11-02",
         "national_number": fictitious_national_number(date(1968, 11, 2), 40)},
        {"birth_date": "1994-06-15",
         "national_number": fictitious_national_number(date(1994, 6, 15), 40)}))


@pytest.mark.parametrize("other_birth_date", ["1985-03-13", "1985-03-29", "1985-04-02"])
def test_namesakes_born_days_apart_are_not_matched(other_birth_date: str) -> None:
    assert not_proposed(pair(
        {"given_name": "Mohamed", "surname": "El Mithali", "sex": "M",
         "birth_date": "1985-03-12"},
        {"given_name": "Mohammed", "surname": "El Mithali", "sex": "M",
         "birth_date": other_birth_date, "postcode": "2000", "street": "Proeflaan",
         "house_number": "8"}))
    assert not_proposed(pair(
        {"given_name": "Marie", "surname": "De Proef", "birth_date": "1985-03-12",
         "postcode": ""},
        {"given_name": "Marie", "surname": "De Proef", "birth_date": other_birth_date,
         "postcode": ""}))
