"""The zone's results: its own staff only, figures only, nothing below five answers."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client

from relais.audit.models import Action, AuditEvent
from relais.conftest import make_user, verified_client
from relais.feedback.models import FeedbackResponse
from relais.feedback.selectors import months_before
from relais.feedback.services import current_week, feedback_code_get_or_create

pytestmark = pytest.mark.django_db


def answers(zone, n: int, *, weeks_ago: int = 0, **given: str) -> None:
    week = current_week() - timedelta(weeks=weeks_ago)
    FeedbackResponse.objects.bulk_create(
        FeedbackResponse(zone=zone, week=week, questions_version=1,
                         answers=given or {"overall_help": "very_good"}) for _ in range(n))


def test_results_require_sign_in():
    response = Client().get("/feedback/results/")
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


def test_only_the_zones_own_readers_see_its_results(cast):
    for user in (cast.analyst_a, cast.admin_a, cast.reference_a, cast.sapv_a):
        assert verified_client(user).get("/feedback/results/").status_code == 200, user
    # Another zone's analyst sees her own zone, never zone A.
    analyst_b = make_user("analyst_b", cast.zone_b, "analyst")
    answers(cast.zone_a, 6, overall_help="poor")
    page = verified_client(analyst_b).get("/feedback/results/")
    assert page.status_code == 200 and cast.zone_a.name.encode() not in page.content
    assert b"Fewer than 5 answers in this period" in page.content
    # Other roles of the zone, and every other kind of agency: 404, not 403.
    for user in (cast.officer_a, cast.neighbourhood_a, cast.legal_advisor, cast.shelter_worker,
                 cast.support_worker, cast.coordinator):
        assert verified_client(user).get("/feedback/results/").status_code == 404, user


def test_fewer_than_five_answers_show_no_figures(cast):
    answers(cast.zone_a, 4, overall_help="poor", flyer_reassuring="no")
    page = verified_client(cast.analyst_a).get("/feedback/results/").content.decode()
    assert "Fewer than 5 answers in this period: no figures." in page
    assert "Fairly poor" not in page and "<table" not in page


def test_five_answers_show_counts_and_shares_and_a_rare_question_stays_hidden(cast):
    answers(cast.zone_a, 3, overall_help="very_good", children_support="yes")
    answers(cast.zone_a, 2, weeks_ago=3, overall_help="poor")
    page = verified_client(cast.analyst_a).get("/feedback/results/").content.decode()
    assert "5 answers in this period." in page
    assert '<th scope="row">Very good</th><td>3</td><td>60 %</td>' in page
    assert '<th scope="row">Poor</th><td>2</td><td>40 %</td>' in page
    assert '<th scope="row">Fairly good</th><td>0</td><td>0 %</td>' in page
    # Three answers to the children question: hidden, as every unanswered question.
    assert page.count("Fewer than 5 answers to this question.") == 9


def test_the_period_counts_by_week_and_other_zones_never_count(cast):
    answers(cast.zone_a, 5, weeks_ago=20)  # about four and a half months ago
    answers(cast.zone_b, 9)
    client = verified_client(cast.analyst_a)
    assert "Fewer than 5 answers in this period" in client.get(
        "/feedback/results/?months=3").content.decode()
    assert "5 answers in this period." in client.get(
        "/feedback/results/?months=6").content.decode()
    assert client.get("/feedback/results/?months=junk").status_code == 200


def test_months_before_keeps_to_the_end_of_a_short_month():
    assert months_before(date(2026, 5, 31), 3) == date(2026, 2, 28)
    assert months_before(date(2026, 1, 15), 12) == date(2025, 1, 15)


def test_reading_results_is_recorded_without_personal_data(cast):
    code = feedback_code_get_or_create(zone=cast.zone_a)
    verified_client(cast.sapv_a).get("/feedback/results/")
    event = AuditEvent.objects.filter(basis="feedback results").get()
    assert event.action == Action.READ and event.user_id == cast.sapv_a.pk
    assert event.object_type == "feedback.feedbackcode" and event.object_id == str(code.pk)
    assert event.case_id is None


def test_the_page_shows_the_zones_code_its_address_and_qr(cast, settings):
    settings.RELAIS_PUBLIC_URL = "https://relais.example.be"
    page = verified_client(cast.admin_a).get("/feedback/results/").content.decode()
    code = feedback_code_get_or_create(zone=cast.zone_a).code
    assert f"<strong>{code}</strong>" in page
    assert f"https://relais.example.be/feedback/{code}/" in page
    assert 'src="data:image/svg+xml' in page


def test_the_results_page_runs_a_bounded_number_of_queries(cast, django_assert_max_num_queries):
    answers(cast.zone_a, 30, overall_help="fairly_good", flyer_reassuring="partly")
    client = verified_client(cast.analyst_a)
    client.get("/feedback/results/")  # the code exists from now on
    with django_assert_max_num_queries(15):
        assert client.get("/feedback/results/?months=12").status_code == 200
