"""The residence rules file: every fact sourced, the deadline counted from the facts' date,
and a broken file named with its line."""

from __future__ import annotations

import json
from datetime import date

import pytest

from relais.core.datafiles import DataFileError
from relais.safeguards.models import ResidencePermit
from relais.safeguards.rules import DEFAULT_PATH, load_rules, residence_rules


def test_the_file_covers_every_permit_with_sourced_facts():
    rules = residence_rules()
    assert set(rules.permits) == set(ResidencePermit.values)
    assert rules.version >= 1
    for rule in rules.permits.values():
        for fact in (*rule.facts, *rules.documents):
            assert fact.source.startswith("https://")
            assert fact.source_date
            assert all(fact.text[lang] for lang in ("fr", "nl", "en", "de"))


def test_the_deadline_is_counted_from_the_facts_date_in_the_data_file():
    data = json.loads(DEFAULT_PATH.read_text())
    rules = residence_rules()
    for permit, rule in data["permits"].items():
        days = rule["apply_within_days"]
        assert rules.apply_by(permit=permit, facts_on=date(2026, 11, 20)) == \
            date.fromordinal(date(2026, 11, 20).toordinal() + days)


def test_a_changed_file_changes_the_deadline(tmp_path):
    data = json.loads(DEFAULT_PATH.read_text())
    data["version"] = 2
    data["permits"]["card_f"]["apply_within_days"] = 10
    path = tmp_path / "residence_rules.json"
    path.write_text(json.dumps(data, indent=1))
    rules = load_rules(path)
    assert rules.version == 2
    assert rules.apply_by(permit="card_f", facts_on=date(2026, 1, 30)) == date(2026, 2, 9)


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["facts"][0].pop("verified"), "verified"),
    (lambda d: d["facts"][0].update(source="http://example.invalid"), "https://"),
    (lambda d: d["permits"]["card_a"].update(facts=["nowhere"]), "unknown fact 'nowhere'"),
    (lambda d: d["permits"].pop("pending"), "'pending' is missing"),
    (lambda d: d["documents"][0]["text"].pop("de"), "missing in de"),
])
def test_a_broken_file_names_the_file_and_the_line(tmp_path, change, message):
    data = json.loads(DEFAULT_PATH.read_text())
    change(data)
    path = tmp_path / "residence_rules.json"
    path.write_text(json.dumps(data, indent=1))
    with pytest.raises(DataFileError) as error:
        load_rules(path)
    assert message in str(error.value)
    assert str(path) in str(error.value)
