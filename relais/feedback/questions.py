"""The questions of the anonymous feedback form: a versioned data file, checked on load.

The file (``data/questions.v1.yaml`` unless ``RELAIS_FEEDBACK_QUESTIONS`` names another one)
holds at most ten questions, each with its text in French, Dutch, English and German and a
scale of answers. See the file's header for the format; a broken file stops the start with an
error naming the file and the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

from relais.core.datafiles import DataFileError, Reader, load_yaml, translated
from relais.core.public import PUBLIC_LANGUAGES

DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "questions.v1.yaml"
MAX_QUESTIONS = 10
CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
VERSION_IN_NAME = re.compile(r"\.v(\d+)\.ya?ml$")


@dataclass(frozen=True)
class Answer:
    code: str
    labels: dict[str, str]

    def label(self, language: str | None) -> str:
        return translated(self.labels, language)


@dataclass(frozen=True)
class Question:
    code: str
    texts: dict[str, str]
    answers: tuple[Answer, ...]

    def text(self, language: str | None) -> str:
        return translated(self.texts, language)

    @property
    def answer_codes(self) -> tuple[str, ...]:
        return tuple(answer.code for answer in self.answers)


@dataclass(frozen=True)
class Questionnaire:
    version: int
    questions: tuple[Question, ...]

    def question(self, code: str) -> Question | None:
        return next((q for q in self.questions if q.code == code), None)


def _code(reader: Reader, what: str) -> str:
    code = reader.text("code")
    if not CODE.match(code):
        raise reader.error(f"{what} code '{code}' must be lower-case letters, digits and _",
                           "code")
    return code


def _scales(root: Reader) -> dict[str, tuple[Answer, ...]]:
    scales: dict[str, tuple[Answer, ...]] = {}
    for scale in root.mappings("scales"):
        scale.reject_unknown({"code", "answers"})
        code = _code(scale, "scale")
        if code in scales:
            raise scale.error(f"scale '{code}' is defined twice", "code")
        answers: list[Answer] = []
        for item in scale.mappings("answers"):
            item.reject_unknown({"code", "label"})
            answer = _code(item, "answer")
            if any(a.code == answer for a in answers):
                raise item.error(f"answer '{answer}' is given twice in scale '{code}'", "code")
            answers.append(Answer(answer, item.translations("label",
                                                            languages=PUBLIC_LANGUAGES)))
        if len(answers) < 2:
            raise scale.error(f"scale '{code}' needs at least two answers", "answers")
        scales[code] = tuple(answers)
    return scales


def load_questions(path: Path | str) -> Questionnaire:
    root = Reader(path, load_yaml(path))
    root.reject_unknown({"version", "scales", "questions"})
    version = int(root.number("version", integer=True, minimum=1))
    named = VERSION_IN_NAME.search(Path(path).name)
    if named and int(named.group(1)) != version:
        raise root.error(f"version {version} does not match the file name "
                         f"(v{named.group(1)})", "version")
    scales = _scales(root)
    questions: list[Question] = []
    for item in root.mappings("questions"):
        item.reject_unknown({"code", "scale", "text"})
        code = _code(item, "question")
        if any(q.code == code for q in questions):
            raise item.error(f"question '{code}' is defined twice", "code")
        scale = item.text("scale")
        if scale not in scales:
            raise item.error(f"unknown scale '{scale}'", "scale")
        questions.append(Question(code, item.translations("text", languages=PUBLIC_LANGUAGES),
                                  scales[scale]))
        if len(questions) > MAX_QUESTIONS:
            raise item.error(f"at most {MAX_QUESTIONS} questions: the form must stay short")
    return Questionnaire(version, tuple(questions))


def questions_file() -> Path:
    return Path(getattr(settings, "RELAIS_FEEDBACK_QUESTIONS", "") or DEFAULT_FILE)


@cache
def _load_cached(path: str) -> Questionnaire:
    if not Path(path).exists():
        raise DataFileError(path, None, "the feedback questions file is missing")
    return load_questions(path)


def questionnaire() -> Questionnaire:
    """The questions in use; a broken file stops the start (see FeedbackConfig.ready)."""
    return _load_cached(str(questions_file()))
