"""The questions file: short, in four languages, and a broken file names its file and line."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.test import override_settings

from relais.core.datafiles import DataFileError
from relais.core.public import PUBLIC_LANGUAGES
from relais.core.tests.datafile_helpers import (
    line_of,
    load_error,
    replaced_once,
    write_data_file,
)
from relais.feedback.questions import DEFAULT_FILE, MAX_QUESTIONS, load_questions, questionnaire
from relais.intake import documents

VALID = DEFAULT_FILE.read_text(encoding="utf-8")


def test_the_form_has_at_most_ten_questions_each_in_four_languages():
    questions = load_questions(DEFAULT_FILE)
    assert 1 <= len(questions.questions) <= MAX_QUESTIONS == 10
    assert questions.version == 1
    for question in questions.questions:
        assert set(question.texts) == {"fr", "nl", "en", "de"}, question.code
        assert all(question.texts.values()), question.code
        assert len(question.answers) >= 2
        for answer in question.answers:
            assert set(answer.labels) == {"fr", "nl", "en", "de"}, answer.code


def test_the_public_languages_are_those_of_the_victims_documents():
    assert tuple(documents.LANGUAGE_CODES) == PUBLIC_LANGUAGES


@pytest.mark.parametrize(("old", "new", "fragment", "message"), [
    ('      de: "Wurde Ihnen erklärt, wie es danach weitergeht?"\n', "",
     'fr: "Vous a-t-on expliqué', "'de' is missing"),
    ("    scale: rating\n", "    scale: stars\n", "scale: stars", "unknown scale 'stars'"),
    ('      - code: not_sure\n', "      - code: Not sure\n", "code: Not sure",
     "must be lower-case"),
    ('      - code: "no"\n        label: {fr: "Non", nl: "Nee", en: "No", de: "Nein"}\n\n'
     "  - code: rating",
     '      - code: no  # unquoted: YAML reads false\n'
     '        label: {fr: "Non", nl: "Nee", en: "No", de: "Nein"}\n\n'
     "  - code: rating", "# unquoted", "'code' must be a non-empty text"),
    ("  - code: overall_help\n", "  - code: quick_appointment  # again\n",
     "quick_appointment  # again", "question 'quick_appointment' is defined twice"),
    ("version: 1\n", "version: 2\n", "version: 2", "does not match the file name"),
    ("    scale: rating\n", "    scale: rating\n    weight: 2\n", "weight: 2",
     "unknown key 'weight'"),
])
def test_a_broken_file_names_the_file_and_the_line(tmp_path, old, new, fragment, message):
    text = replaced_once(VALID, old, new)
    path = write_data_file(tmp_path, "questions.v1.yaml", text)
    error = load_error(load_questions, path)
    assert f"{path}, line {line_of(text, fragment)}:" in error
    assert message in error


def test_an_eleventh_question_is_refused_at_its_line(tmp_path):
    extra = ('  - code: one_too_many\n    scale: agree\n    text: {fr: "Q", nl: "Q", en: "Q", '
             'de: "Q"}\n')
    text = VALID + "\n" + extra
    path = write_data_file(tmp_path, "questions.v1.yaml", text)
    error = load_error(load_questions, path)
    assert f"line {line_of(text, 'code: one_too_many')}:" in error
    assert "at most 10 questions" in error


def test_invalid_yaml_names_its_line(tmp_path):
    text = VALID.replace("  - code: flyer_reassuring\n", "  - code: [flyer_reassuring\n")
    path = write_data_file(tmp_path, "questions.v1.yaml", text)
    assert f"{path}, line " in load_error(load_questions, path)


def test_a_broken_file_stops_the_start(tmp_path):
    path = write_data_file(tmp_path, "questions.v1.yaml",
                           replaced_once(VALID, "    scale: rating\n", "    scale: stars\n"))
    config = apps.get_app_config("feedback")
    broken = rf"{path}, line \d+: unknown scale 'stars'"
    with (override_settings(RELAIS_FEEDBACK_QUESTIONS=str(path)),
          pytest.raises(DataFileError, match=broken)):
        config.ready()
    with (override_settings(RELAIS_FEEDBACK_QUESTIONS=str(tmp_path / "missing.yaml")),
          pytest.raises(DataFileError, match="missing")):
        config.ready()
    config.ready()  # the real file, again
    assert questionnaire().version == 1
