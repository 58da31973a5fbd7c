"""Correct wording: judgements and labels in a narrative are flagged, facts are not.

The check warns an officer who writes "she was hysterical" or "a crime of passion" and
suggests factual wording; the explanation follows the language of her screen, whatever the
language of the narrative. A faulty lexicon file is refused with the file and the line.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from relais.core.datafiles import DataFileError
from relais.core.tests.datafile_helpers import line_of, replaced_once, write_data_file
from relais.core.tests.datafile_helpers import load_error as load_datafile_error
from relais.intake.wording import Entry, lexicons, load_lexicon, wording_check

SHIPPED_DIR = Path(__file__).resolve().parents[1] / "lexicons"
UI_LANGUAGES = ("fr", "nl", "en", "de")


@pytest.fixture
def fresh_lexicons(settings):
    """lexicons() is cached: start and end every test that changes its folders empty."""
    lexicons.cache_clear()
    try:
        yield settings
    finally:
        lexicons.cache_clear()


@pytest.fixture
def shipped_lexicons(fresh_lexicons):
    fresh_lexicons.RELAIS_LEXICON_DIRS = [SHIPPED_DIR]
    return lexicons()


def entry_with(term: str, language: str) -> Entry:
    """The shipped lexicon entry of ``language`` that lists ``term``."""
    found = [entry for entry in lexicons() if entry.language == language and term in entry.terms]
    assert len(found) == 1, f"'{term}' must be listed once in the {language} lexicon"
    return found[0]


# --- Judgements and labels are flagged --------------------------------------------------------

EXAMPLES = [
    # narrative, passage flagged, language of the lexicon, term of the entry
    ("Elle était hystérique", "hystérique", "fr", "hystéri*"),
    ("Il s'agit d'un crime passionnel.", "crime passionnel", "fr", "crime* passionnel*"),
    ("Intervention pour dispute conjugale au domicile.", "dispute conjugale", "fr",
     "dispute* conjugale*"),
    ("Ze was over haar toeren", "over haar toeren", "nl", "over haar toeren"),
    ("Melding van een echtelijke ruzie.", "echtelijke ruzie", "nl", "echtelijke ruzie*"),
    ("When we arrived she was hysterical", "hysterical", "en", "hysteric*"),
    ("Neighbours called it a crime of passion.", "crime of passion", "en", "crime* of passion"),
    ("A drunk woman opened the door.", "drunk woman", "en", "drunk woman"),
    ("She did not behave like a true victim.", "true victim", "en", "true victim*"),
    ("Einsatz wegen Ehestreit in der Wohnung.", "Ehestreit", "de", "ehestreit*"),
    ("Es war ein Familiendrama.", "Familiendrama", "de", "familiendrama*"),
    ("Es war nur eine Ohrfeige.", "nur eine Ohrfeige", "de", "nur eine ohrfeige"),
]


@pytest.mark.parametrize(("text", "found", "language", "term"), EXAMPLES)
def test_a_judgement_is_flagged_with_a_factual_suggestion(shipped_lexicons, text, found,
                                                          language, term):
    entry = entry_with(term, language)
    for ui_language in UI_LANGUAGES:
        flags = wording_check(text, language=ui_language)
        assert len(flags) == 1, flags
        flag = flags[0]
        assert flag.found == found
        assert text[flag.start:flag.start + len(found)] == found
        assert flag.language == language
        assert flag.kind == entry.kind
        assert flag.suggest == entry.suggest != ""
        assert flag.why == entry.why[ui_language]


def test_the_explanation_follows_the_screen_not_the_narrative(shipped_lexicons):
    entry = entry_with("hystéri*", "fr")
    [flag] = wording_check("Elle était hystérique", language="nl")
    assert flag.language == "fr"
    assert flag.why == entry.why["nl"]
    assert flag.why != entry.why["fr"]


def test_a_screen_language_without_an_explanation_falls_back_to_english(shipped_lexicons):
    entry = entry_with("hysterisch*", "nl")
    [italian] = wording_check("Ze was hysterisch", language="it")
    [belgian_dutch] = wording_check("Ze was hysterisch", language="nl-BE")
    assert italian.why == entry.why["en"]
    assert belgian_dutch.why == entry.why["nl"]


def test_a_word_two_lexicons_share_is_flagged_once_in_the_readers_language(shipped_lexicons):
    # "hysterisch" is Dutch and German: one flag, from the lexicon of the reader's language.
    [german] = wording_check("Sie war hysterisch", language="de")
    [dutch] = wording_check("Ze was hysterisch", language="nl")
    assert (german.language, german.why) == ("de", entry_with("hysterisch*", "de").why["de"])
    assert dutch.language == "nl"
    assert "Aussagen von Frauen" in german.why


# --- Facts are not flagged --------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "Il l'a saisie à la gorge et a dit : je vais te tuer.",
    "Hij greep haar bij de keel.",
    "He grabbed her by the throat and said: I will kill you.",
    "",
    "   \n",
])
def test_a_factual_account_is_not_flagged(shipped_lexicons, text):
    assert wording_check(text, language="fr") == []


# --- How terms match --------------------------------------------------------------------------


def test_flags_come_in_reading_order_across_lexicons(shipped_lexicons):
    text = ("Elle était hystérique. Hij sprak over een echtelijke ruzie. "
            "Then she claimed it was a crime of passion.")
    flags = wording_check(text, language="en")
    assert [(flag.found, flag.language) for flag in flags] == [
        ("hystérique", "fr"), ("echtelijke ruzie", "nl"), ("she claimed", "en"),
        ("crime of passion", "en"),
    ]
    starts = [flag.start for flag in flags]
    assert starts == sorted(starts)
    assert all(text[flag.start:].startswith(flag.found) for flag in flags)


def test_matching_ignores_case(shipped_lexicons):
    [shouted] = wording_check("ELLE ÉTAIT HYSTÉRIQUE", language="fr")
    [title] = wording_check("A Drunk Woman opened the door.", language="en")
    assert shouted.found == "HYSTÉRIQUE"
    assert title.found == "Drunk Woman"


def test_a_star_allows_any_ending_of_the_word(shipped_lexicons):
    flags = wording_check("Des scènes de ménage, deux femmes ivres.", language="fr")
    assert [flag.found for flag in flags] == ["scènes de ménage", "femmes ivres"]


def test_a_term_inside_a_longer_word_is_not_flagged(shipped_lexicons):
    # "psycho" (en) and "a tiff" (en) are whole terms without '*'
    assert wording_check("She was psycho.", language="en")[0].found == "psycho"
    assert wording_check("She was seen by a psychologist.", language="en") == []
    assert wording_check("He broke a Tiffany lamp.", language="en") == []


def test_a_space_in_a_term_matches_any_run_of_spaces(shipped_lexicons):
    [flag] = wording_check("She was a drunk\n   woman, he said.", language="en")
    assert flag.found == "drunk\n   woman"


# --- Lexicon files that must be refused, naming the file and the line -------------------------

VALID = """\
language: fr
version: 1
entries:
  - terms: ["crime* passionnel*", "drame* passionnel*"]
    kind: judgement
    why:
      fr: "Présente des violences comme un acte de passion."
      nl: "Stelt geweld voor als een daad van passie."
      en: "Presents violence as an act of passion."
    suggest: "Nommez les faits : « tentative de meurtre », « coups et blessures »."
"""


def write(folder: Path, text: str, name: str = "fr.yaml") -> Path:
    return write_data_file(folder, name, text)


def broken(old: str, new: str) -> str:
    """The valid lexicon with one passage changed."""
    return replaced_once(VALID, old, new)


def load_error(tmp_path: Path, text: str) -> tuple[Path, str]:
    path = write(tmp_path, text)
    return path, load_datafile_error(load_lexicon, path)


def test_the_valid_test_lexicon_loads(tmp_path):
    [entry] = load_lexicon(write(tmp_path, VALID))
    assert entry.language == "fr"
    assert entry.pattern.search("un drame passionnel")


def test_an_unknown_kind_names_its_line(tmp_path):
    text = broken("kind: judgement", "kind: opinion")
    path, error = load_error(tmp_path, text)
    assert error.startswith(f"{path}, line {line_of(text, 'kind: opinion')}: ")
    assert "'kind' must be one of judgement, label, minimising, blame" in error


def test_a_star_inside_a_word_names_the_line_of_the_terms(tmp_path):
    text = broken('"drame* passionnel*"', '"dra*me passionnel"')
    path, error = load_error(tmp_path, text)
    assert error == (f"{path}, line {line_of(text, 'terms:')}: "
                     "term 'dra*me passionnel': '*' may only end a word")


def test_an_explanation_missing_in_dutch_names_the_explanation(tmp_path):
    text = broken('      nl: "Stelt geweld voor als een daad van passie."\n', "")
    path, error = load_error(tmp_path, text)
    # the line where the explanations begin (their first language)
    assert error == f"{path}, line {line_of(text, 'fr: ')}: 'nl' is missing"


def test_an_empty_lexicon_folder_fails_loudly(fresh_lexicons, tmp_path):
    empty = tmp_path / "lexicons"
    empty.mkdir()
    fresh_lexicons.RELAIS_LEXICON_DIRS = [empty]
    with pytest.raises(DataFileError) as excinfo:
        lexicons()
    assert str(excinfo.value) == f"{empty}: no lexicon (*.yaml) in this folder"


def test_a_broken_lexicon_in_the_folder_fails_loudly(fresh_lexicons, tmp_path):
    path = write(tmp_path / "lexicons", broken("version: 1", "version: 0"))
    fresh_lexicons.RELAIS_LEXICON_DIRS = [path.parent]
    with pytest.raises(DataFileError) as excinfo:
        wording_check("un crime passionnel")
    assert str(excinfo.value).startswith(f"{path}, line 2: ")
