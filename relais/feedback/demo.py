"""Fictitious feedback for a demo police zone: its code, and answers spread over past weeks so
that the results page shows figures (and one question stays below the threshold)."""

from __future__ import annotations

import random
from datetime import timedelta

from relais.accounts.models import Agency
from relais.feedback.models import FeedbackResponse
from relais.feedback.questions import questionnaire
from relais.feedback.services import current_week, feedback_code_get_or_create

DEMO_ANSWERS = 14
# Asked rarely in the demo, so that the page also shows a question below five answers.
RARE_QUESTION = "children_support"


def load_demo_feedback(zone: Agency) -> int:
    """Give ``zone`` its code and, when it has no answers yet, a set of fictitious ones in
    different weeks of the last five months. Returns how many answers were added."""
    feedback_code_get_or_create(zone=zone)
    if FeedbackResponse.objects.filter(zone=zone).exists():
        return 0
    questions = questionnaire()
    draw = random.Random(f"relais-demo-feedback-{zone.code}")  # noqa: S311 (demo data)
    this_week = current_week()
    rows = []
    for index in range(DEMO_ANSWERS):
        answers = {}
        for question in questions.questions:
            if question.code == RARE_QUESTION and index % 4:
                continue
            if draw.random() < 0.1:
                continue  # left blank
            # Mostly the first (best) answers: a zone doing fairly well.
            weights = [2 ** (len(question.answers) - i) for i in range(len(question.answers))]
            answers[question.code] = draw.choices(question.answer_codes, weights=weights)[0]
        week = this_week - timedelta(weeks=index + index // 2)  # a different week each
        rows.append(FeedbackResponse(zone=zone, week=week,
                                     questions_version=questions.version, answers=answers))
    FeedbackResponse.objects.bulk_create(rows)
    return len(rows)
