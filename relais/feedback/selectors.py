"""Reads of the feedback app: a zone's results for its own staff, and the public addresses.

Results are figures only, for the reader's own police zone, over the last 3, 6 or 12 months
(by the week the answers were given). Below five answers nothing is shown, neither for a
question nor for the whole period: "fewer than 5 answers" instead of numbers.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from django.http import Http404
from django.urls import reverse

from relais.access.feedback import may_read_results
from relais.accounts.models import Agency
from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.core.actor import Actor
from relais.core.links import public_url
from relais.feedback.models import FeedbackCode, FeedbackResponse
from relais.feedback.questions import Questionnaire, questionnaire
from relais.feedback.services import current_week, feedback_code_get_or_create, week_of

PERIODS = (3, 6, 12)  # months
DEFAULT_PERIOD = 6
THRESHOLD = 5  # fewer answers than this: no figures


def form_url(code: str) -> str:
    """The public address of a zone's form (what its QR code holds)."""
    return public_url(reverse("feedback:form", args=[code]))


def entry_url() -> str:
    """The public page where the code is typed."""
    return public_url(reverse("feedback:entry"))


def months_before(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


@dataclass(frozen=True)
class AnswerCount:
    label: str
    count: int
    share: int  # per cent of the question's answers, rounded


@dataclass(frozen=True)
class QuestionResult:
    text: str
    answered: int
    counts: tuple[AnswerCount, ...]  # empty when suppressed

    @property
    def suppressed(self) -> bool:
        return self.answered < THRESHOLD


@dataclass(frozen=True)
class Results:
    zone: Agency
    code: FeedbackCode
    months: int
    since: date  # the Monday of the first week counted
    total: int
    questions: tuple[QuestionResult, ...]

    @property
    def suppressed(self) -> bool:
        return self.total < THRESHOLD


def _tally(answer_sets: list[dict], questions: Questionnaire,
           language: str) -> tuple[QuestionResult, ...]:
    results = []
    for question in questions.questions:
        given = [answers.get(question.code) for answers in answer_sets]
        given = [a for a in given if a in question.answer_codes]
        answered = len(given)
        counts: tuple[AnswerCount, ...] = ()
        if answered >= THRESHOLD:
            counts = tuple(
                AnswerCount(answer.label(language), given.count(answer.code),
                            round(100 * given.count(answer.code) / answered))
                for answer in question.answers)
        results.append(QuestionResult(question.text(language), answered, counts))
    return tuple(results)


def feedback_results(*, actor: Actor, months: int, language: str,
                     today: date | None = None) -> Results:
    """The actor's own zone's results over the last ``months``; Http404 for anyone else.

    The figures name no one, but reading them is still recorded (basis "feedback results")."""
    if not may_read_results(actor) or months not in PERIODS:
        raise Http404
    zone = actor.agency
    questions = questionnaire()
    code = feedback_code_get_or_create(zone=zone)
    since = week_of(months_before(today or current_week(), months))
    answer_sets = list(FeedbackResponse.objects.filter(
        zone_id=zone.pk, week__gte=since, questions_version=questions.version,
    ).values_list("answers", flat=True))
    audit_record(actor=actor, action=Action.READ, target=code, basis="feedback results")
    # A question never has more answers than the period: below five in all, all are hidden.
    return Results(zone=zone, code=code, months=months, since=since, total=len(answer_sets),
                   questions=_tally(answer_sets, questions, language))
