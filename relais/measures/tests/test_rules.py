"""The residence-ban rules file: the shipped one loads, a broken one names file and line; the
durations; the measures in force that other parts of Relais read."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from relais.access.cases import case_access
from relais.access.services import referral_share_grant
from relais.cases.measures import measures_in_force
from relais.conftest import actor
from relais.followup.rules import at_local
from relais.measures.rules import DEFAULT_RULES, DataFileError, ban_rules, load_rules
from relais.measures.tests.factories import detain, forwarded, order_ban


def test_the_shipped_rules_load():
    rules = ban_rules()
    assert (rules.max_days, rules.default_days, rules.extension_max_total_days) == (10, 10, 90)
    assert {"adult", "same_residence", "serious_immediate_threat"} == rules.required_codes
    assert rules.law_in("nl").startswith("Wet van 15 mei 2012")
    assert all(c.label_in("de") for c in rules.conditions)


def broken(tmp_path: Path, old: str, new: str) -> Path:
    text = DEFAULT_RULES.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "ban.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def line_of(path: Path, fragment: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if fragment in line)


@pytest.mark.parametrize(("old", "new", "message", "at"), [
    ("max_days: 10", "max_days: -3", "'max_days' must be at least 1", "max_days: -3"),
    ("default_days: 10", "default_days: 12", "cannot be more than 'max_days'",
     "default_days: 12"),
    ("extension_max_total_days: 90", "extension_max_total_days: 5", "cannot be less",
     "extension_max_total_days: 5"),
    ("  - code: heard", "  - code: adult", "condition 'adult' is defined twice",
     "  - code: adult\n"),
    ("    required: true\n    label:\n      fr: La personne à éloigner",
     "    required: yes please\n    label:\n      fr: La personne à éloigner",
     "'required' must be true or false", "required: yes please"),
    ("durations:", "duration:", "unknown key 'duration'", "duration:"),
    ("supported_by: [police_grid]", "supported_by: [police_gird]",
     "unknown risk instrument 'police_gird'", "supported_by: [police_gird]"),
])
def test_a_broken_file_names_the_file_and_the_line(tmp_path, old, new, message, at):
    path = broken(tmp_path, old, new)
    with pytest.raises(DataFileError) as raised:
        load_rules(path)
    assert message in str(raised.value)
    assert str(path) in str(raised.value)
    if at.endswith("\n"):
        return  # duplicate codes: the line of the second entry
    assert raised.value.line == line_of(path, at.strip())


def test_a_label_without_german_is_refused(tmp_path):
    path = broken(tmp_path, "      de: Die zu verweisende Person ist volljährig.\n", "")
    with pytest.raises(DataFileError, match="'de' is missing"):
        load_rules(path)


def test_the_latest_end_is_on_the_brussels_calendar():
    rules = ban_rules()
    start = at_local(datetime(2026, 10, 20).date(), datetime.min.time().replace(hour=18))
    end = rules.latest_end(start)  # across the change to winter time on 25 October
    assert timezone.localtime(end).hour == 18
    assert end.timestamp() - start.timestamp() == timedelta(days=10, hours=1).total_seconds()
    assert rules.expiry_due(end, start) == rules.latest_end(start) - timedelta(days=2)


@pytest.mark.django_db
def test_the_measures_in_force_never_show_whereabouts(cast):
    forwarded(cast)
    order_ban(cast)
    detain(cast, expected_release_on=timezone.localdate() + timedelta(days=3))
    lines = measures_in_force(case_access(actor=actor(cast.officer_a), case_id=cast.case.pk))
    assert {line.kind for line in lines} == {"residence_ban", "detention"}
    for line in lines:
        assert "Rue du Test" not in f"{line.label} {line.detail}"
    # A service that sees her contact details on her consent, not the judicial part: nothing.
    referral_share_grant(actor=actor(cast.officer_a), case_id=cast.case.pk,
                         person_id=cast.victim_id, recipient_agency_id=cast.support.pk,
                         scopes=["contact"], method="oral_in_person")
    assert measures_in_force(case_access(actor=actor(cast.support_worker),
                                         case_id=cast.case.pk)) == []
