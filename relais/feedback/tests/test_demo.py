"""The demo zones get a code and answers in several weeks, so the results show figures."""

from __future__ import annotations

import pytest

from relais.feedback.demo import load_demo_feedback
from relais.feedback.models import FeedbackCode, FeedbackResponse

pytestmark = pytest.mark.django_db


def test_each_demo_zone_gets_a_code_and_answers_in_different_weeks(cast):
    added = load_demo_feedback(cast.zone_a)
    assert added >= 6
    weeks = set(FeedbackResponse.objects.filter(zone=cast.zone_a).values_list("week", flat=True))
    assert len(weeks) >= 6 and all(week.weekday() == 0 for week in weeks)
    assert FeedbackCode.objects.filter(agency=cast.zone_a).exists()
    assert load_demo_feedback(cast.zone_a) == 0  # a second run adds nothing
