"""Risk instruments: the shipped grids, files that must fail loudly, and the level computed.

An instrument is an aid to professional judgement. An organisation may write its own, so a
faulty file must be refused at load with the file and the line to fix, and the computation
must never surprise the assessor: answering "yes" never lowers the level, and "unknown" is
reported, never counted as "no".
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from relais.core.datafiles import DataFileError
from relais.core.tests.datafile_helpers import line_of, replaced_once, write_data_file
from relais.core.tests.datafile_helpers import load_error as load_datafile_error
from relais.risk.instruments import (
    ANSWERS,
    NO,
    UNKNOWN,
    YES,
    Instrument,
    Reason,
    instrument_get,
    instruments,
    instruments_offered,
    load_instrument,
)

SHIPPED_DIR = Path(__file__).resolve().parents[1] / "instruments"
SHIPPED_KEYS = ("counter_checklist@1", "police_grid@1", "criticality_grid@1")
LANGUAGES = ("fr", "nl", "en", "de")


@cache
def shipped() -> dict[str, Instrument]:
    """The instruments in the folder Relais ships, read straight from the files."""
    loaded = (load_instrument(path) for path in sorted(SHIPPED_DIR.glob("*.yaml")))
    return {instrument.key: instrument for instrument in loaded}


def police_grid() -> Instrument:
    return shipped()["police_grid@1"]


def answers(instrument: Instrument, default: str = NO, **given: str) -> dict[str, str]:
    """Every item answered ``default``, except those given by name."""
    unknown_items = set(given) - {item.code for item in instrument.items}
    assert not unknown_items, f"not items of {instrument.key}: {unknown_items}"
    return {item.code: given.get(item.code, default) for item in instrument.items}


@pytest.fixture
def fresh_instruments(settings):
    """instruments() is cached: start and end every test that changes its folders empty."""
    instruments.cache_clear()
    try:
        yield settings
    finally:
        instruments.cache_clear()


@pytest.fixture
def shipped_instruments(fresh_instruments):
    fresh_instruments.RELAIS_INSTRUMENT_DIRS = [SHIPPED_DIR]
    return instruments()


# --- The shipped instruments ------------------------------------------------------------------


def test_the_three_shipped_instruments_load(shipped_instruments):
    assert set(shipped_instruments) == set(SHIPPED_KEYS)
    assert len(instrument_get("counter_checklist").items) == 5
    assert instrument_get("police_grid", 1).key == "police_grid@1"
    assert instrument_get("criticality_grid").scope == "health"


@pytest.mark.parametrize("key", SHIPPED_KEYS)
def test_every_question_is_asked_in_french_dutch_english_and_german(key):
    instrument = shipped()[key]
    for item in instrument.items:
        for language in LANGUAGES:
            assert item.question[language].strip(), f"{item.code} has no {language} question"


@pytest.mark.parametrize("key", SHIPPED_KEYS)
def test_each_instrument_says_it_is_an_aid_to_judgement(key):
    purpose = shipped()[key].purpose
    assert all(purpose[language].strip() for language in LANGUAGES)
    assert "Aide au jugement professionnel" in purpose["fr"]
    assert "Hulpmiddel bij het professionele oordeel" in purpose["nl"]
    assert "aid to professional judgement" in purpose["en"]


def test_a_police_zone_is_offered_the_counter_checklist_and_the_police_grid(
        shipped_instruments):
    offered = [instrument.code for instrument in instruments_offered("police_zone")]
    assert "counter_checklist" in offered
    assert "police_grid" in offered


def test_a_shelter_is_offered_the_criticality_grid_but_not_the_police_grid(
        shipped_instruments):
    offered = [instrument.code for instrument in instruments_offered("shelter")]
    assert "criticality_grid" in offered
    assert "police_grid" not in offered


def test_an_unknown_instrument_is_a_key_error(shipped_instruments):
    with pytest.raises(KeyError):
        instrument_get("crystal_ball")


# --- Files that must be refused, naming the file and the line ---------------------------------

VALID = """\
code: test_grid
version: 1
scope: judicial
offered_to: [police_zone]
title: {fr: "Grille de test", nl: "Testrooster", en: "Test grid"}
purpose: {fr: "Aide au jugement", nl: "Hulpmiddel bij het oordeel", en: "An aid to judgement"}
actions:
  - code: safety_plan
    label: {fr: "Plan de sécurité", nl: "Veiligheidsplan", en: "Safety plan"}
levels:
  - code: low
    label: {fr: "Risque faible", nl: "Laag risico", en: "Low risk"}
    from_score: 0
    reassess_days: 90
  - code: high
    label: {fr: "Risque élevé", nl: "Hoog risico", en: "High risk"}
    from_score: 3
    reassess_days: 7
    actions: [safety_plan]
critical_floors:
  - signals: 1
    level: high
items:
  - code: threats_to_kill
    category: perpetrator
    weight: 3
    critical: true
    question: {fr: "Menaces de mort ?", nl: "Doodsbedreigingen?", en: "Threats to kill?"}
    actions: [safety_plan]
  - code: isolation
    category: victim
    weight: 1
    question: {fr: "Isolée ?", nl: "Geïsoleerd?", en: "Isolated?"}
"""


def write(folder: Path, text: str, name: str = "test-grid.v1.yaml") -> Path:
    return write_data_file(folder, name, text)


def broken(old: str, new: str) -> str:
    """The valid instrument with one passage changed."""
    return replaced_once(VALID, old, new)


def load_error(tmp_path: Path, text: str) -> tuple[Path, str]:
    path = write(tmp_path, text)
    return path, load_datafile_error(load_instrument, path)


def test_the_valid_test_instrument_loads(tmp_path):
    instrument = load_instrument(write(tmp_path, VALID))
    assert instrument.key == "test_grid@1"
    assert [item.code for item in instrument.items] == ["threats_to_kill", "isolation"]


def test_a_yaml_syntax_error_names_the_line_of_the_problem(tmp_path):
    text = broken("    category: victim\n", "    category: victim: isolated\n")
    path, error = load_error(tmp_path, text)
    assert error.startswith(f"{path}, line {line_of(text, 'victim: isolated')}: ")
    assert "is not valid YAML" in error


def test_an_item_without_a_question_names_the_line_of_the_item(tmp_path):
    text = broken('    question: {fr: "Isolée ?", nl: "Geïsoleerd?", en: "Isolated?"}\n', "")
    path, error = load_error(tmp_path, text)
    assert error == f"{path}, line {line_of(text, '- code: isolation')}: 'question' is missing"


def test_a_negative_weight_names_the_line_of_the_weight(tmp_path):
    text = broken("    weight: 1\n", "    weight: -2\n")
    path, error = load_error(tmp_path, text)
    assert error == f"{path}, line {line_of(text, 'weight: -2')}: 'weight' must be at least 0"


def test_an_item_recommending_an_undefined_action_names_the_line(tmp_path):
    text = broken("    actions: [safety_plan]\n  - code: isolation",
                  "    actions: [safety_plan, consult_horoscope]\n  - code: isolation")
    path, error = load_error(tmp_path, text)
    assert error == (f"{path}, line {line_of(text, 'consult_horoscope')}: "
                     "unknown action 'consult_horoscope'")


def test_an_unknown_category_names_the_line_of_the_category(tmp_path):
    text = broken("    category: victim\n", "    category: neighbourhood\n")
    path, error = load_error(tmp_path, text)
    assert error.startswith(f"{path}, line {line_of(text, 'category: neighbourhood')}: ")
    assert "'category' must be one of victim, perpetrator, context" in error


def test_levels_out_of_order_name_the_line_of_the_lower_score(tmp_path):
    moderate = ("  - code: moderate\n"
                '    label: {fr: "Risque modéré", nl: "Matig risico", en: "Moderate risk"}\n'
                "    from_score: 5\n"
                "    reassess_days: 30\n")
    text = broken("  - code: high\n", moderate + "  - code: high\n")
    path, error = load_error(tmp_path, text)
    assert error == (f"{path}, line {line_of(text, 'from_score: 3')}: "
                     "levels must be listed from the lowest score up")


def test_a_key_given_twice_names_the_line_of_the_second(tmp_path):
    text = broken("    weight: 1\n", "    weight: 1\n    weight: 2\n")
    path, error = load_error(tmp_path, text)
    assert error == f"{path}, line {line_of(text, 'weight: 2')}: 'weight' is given twice"


def test_a_critical_floor_naming_an_unknown_level_names_its_line(tmp_path):
    text = broken("    level: high\n", "    level: extreme\n")
    path, error = load_error(tmp_path, text)
    assert error == f"{path}, line {line_of(text, 'level: extreme')}: unknown level 'extreme'"


def test_an_unknown_top_level_key_names_its_line(tmp_path):
    text = broken("scope: judicial\n", "scope: judicial\nvalidated_by: nobody\n")
    path, error = load_error(tmp_path, text)
    assert error == f"{path}, line {line_of(text, 'validated_by')}: unknown key 'validated_by'"


def test_a_broken_file_in_the_instrument_folder_fails_loudly(fresh_instruments, tmp_path):
    write(tmp_path, broken("    weight: 1\n", "    weight: -1\n"))
    fresh_instruments.RELAIS_INSTRUMENT_DIRS = [tmp_path]
    with pytest.raises(DataFileError, match="'weight' must be at least 0"):
        instruments()


def test_two_files_defining_the_same_version_are_refused(fresh_instruments, tmp_path):
    first = write(tmp_path, VALID, "a-test-grid.yaml")
    second = write(tmp_path, VALID, "b-test-grid-copy.yaml")
    fresh_instruments.RELAIS_INSTRUMENT_DIRS = [tmp_path]
    with pytest.raises(DataFileError) as excinfo:
        instruments()
    assert str(excinfo.value) == f"{second}: test_grid@1 is already defined in {first}"


def test_the_latest_version_is_offered_and_older_ones_stay_readable(fresh_instruments,
                                                                     tmp_path):
    write(tmp_path, VALID, "test-grid.v1.yaml")
    write(tmp_path, VALID.replace("version: 1", "version: 2"), "test-grid.v2.yaml")
    fresh_instruments.RELAIS_INSTRUMENT_DIRS = [tmp_path]
    assert instrument_get("test_grid").version == 2
    assert instrument_get("test_grid", 1).version == 1
    assert [i.key for i in instruments_offered("police_zone")] == ["test_grid@2"]


# --- The level computed by the police grid ----------------------------------------------------


def test_all_no_gives_the_lowest_level_and_no_signal():
    grid = police_grid()
    evaluation = grid.evaluate(answers(grid, NO))
    assert evaluation.score == 0
    assert evaluation.level == grid.levels[0].code == "low"
    assert evaluation.critical == ()
    assert evaluation.drivers == ()


def test_one_critical_signal_raises_the_level_to_at_least_high():
    grid = police_grid()
    evaluation = grid.evaluate(answers(grid, threats_to_kill=YES))
    assert evaluation.critical == ("threats_to_kill",)
    assert grid.rank(evaluation.level) >= grid.rank("high")
    assert grid.rank(evaluation.base_level) < grid.rank(evaluation.level)


def test_two_critical_signals_give_very_high():
    grid = police_grid()
    evaluation = grid.evaluate(answers(grid, threats_to_kill=YES, strangulation=YES))
    assert evaluation.critical == ("threats_to_kill", "strangulation")
    assert evaluation.level == "very_high"
    assert evaluation.base_level != "very_high"  # the floor, not the score, decided


def test_all_yes_gives_the_highest_level_and_the_full_score():
    grid = police_grid()
    evaluation = grid.evaluate(answers(grid, YES))
    assert evaluation.level == grid.levels[-1].code == "very_high"
    assert evaluation.score == evaluation.max_score
    assert evaluation.drivers[0] in {item.code for item in grid.items if item.critical}


def test_threats_to_kill_after_a_separation_call_for_same_day_protection():
    grid = police_grid()
    evaluation = grid.evaluate(answers(grid, threats_to_kill=YES, recent_separation=YES))
    pair = Reason(items=("threats_to_kill", "recent_separation"))
    for action in ("examine_residence_ban", "harassment_alarm_eligibility",
                   "high_risk_consultation", "prosecutor_same_day"):
        assert pair in evaluation.actions[action], action


def test_unknown_is_reported_and_adds_nothing_to_the_score():
    grid = police_grid()
    evaluation = grid.evaluate(answers(grid, threats_to_kill=UNKNOWN, isolation=UNKNOWN))
    assert evaluation.unknown == ("isolation", "threats_to_kill")
    assert evaluation.critical_unknown == ("threats_to_kill",)
    assert evaluation.score == 0
    assert evaluation.level == "low"
    assert evaluation.critical == ()


def test_an_unanswered_item_is_refused_by_name():
    grid = police_grid()
    incomplete = answers(grid)
    del incomplete["strangulation"]
    with pytest.raises(ValueError, match="unanswered items: strangulation"):
        grid.evaluate(incomplete)


def test_missing_lists_unanswered_items_and_answers_that_are_not_yes_no_or_unknown():
    grid = police_grid()
    incomplete = answers(grid, weapons="maybe")
    del incomplete["strangulation"]
    assert grid.missing(incomplete) == ["strangulation", "weapons"]
    assert grid.missing(answers(grid, UNKNOWN)) == []


# --- Properties that hold for every shipped instrument ----------------------------------------


@st.composite
def answers_with_one_item(draw, instrument: Instrument):
    """A full set of answers, and one item of the instrument to change."""
    given = draw(st.fixed_dictionaries(
        {item.code: st.sampled_from(ANSWERS) for item in instrument.items}))
    code = draw(st.sampled_from([item.code for item in instrument.items]))
    return given, code


@pytest.mark.parametrize("instead_of", [NO, UNKNOWN])
@pytest.mark.parametrize("key", SHIPPED_KEYS)
@hypothesis_settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_yes_instead_of_no_or_unknown_never_lowers_the_score_or_the_level(key, instead_of, data):
    instrument = shipped()[key]
    given, code = data.draw(answers_with_one_item(instrument))
    before = instrument.evaluate({**given, code: instead_of})
    after = instrument.evaluate({**given, code: YES})
    assert after.score >= before.score
    assert instrument.rank(after.level) >= instrument.rank(before.level)


@pytest.mark.parametrize("key", SHIPPED_KEYS)
@hypothesis_settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_the_unknowns_reported_are_exactly_the_items_answered_unknown(key, data):
    instrument = shipped()[key]
    given, _ = data.draw(answers_with_one_item(instrument))
    evaluation = instrument.evaluate(given)
    assert set(evaluation.unknown) == {code for code, answer in given.items()
                                       if answer == UNKNOWN}
    assert set(evaluation.critical_unknown) <= set(evaluation.unknown)


@pytest.mark.parametrize("key", SHIPPED_KEYS)
@hypothesis_settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_the_score_stays_between_zero_and_the_maximum(key, data):
    instrument = shipped()[key]
    given, _ = data.draw(answers_with_one_item(instrument))
    evaluation = instrument.evaluate(given)
    assert 0 <= evaluation.score <= evaluation.max_score
    assert instrument.rank(evaluation.level) >= instrument.rank(evaluation.base_level)
