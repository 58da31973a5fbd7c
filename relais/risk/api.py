"""REST API of risk assessments: a case's assessments, one assessment explained, and a new one,
through the same selectors and services as the risk screens (relais/risk/views.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import get_language
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from relais.access.cases import case_access
from relais.core.actor import Actor
from relais.core.api import (
    FIELD_ERRORS,
    IDEMPOTENCY,
    NOT_FOUND,
    ListApi,
    api_actor,
    errors_under,
    id_of,
    replay_status,
    run_idempotent,
)
from relais.risk import selectors, services
from relais.risk.instruments import instrument_get
from relais.risk.models import RiskAssessment
from relais.risk.selectors import AssessmentView, ItemLine
from relais.risk.serializers import (
    AssessmentFilters,
    AssessmentIn,
    AssessmentOut,
    AssessmentSummaryOut,
)

ASSESSMENT_EXAMPLE = OpenApiExample("The police grid (COL 15/2020)", request_only=True, value={
    "person_id": 12, "instrument_code": "police_grid",
    "answers": {"fear_for_life": "yes", "threats_to_kill": "yes", "isolation": "unknown"},
    "final_level": "", "justification": ""})
ERRORS_EXAMPLE = OpenApiExample("Questions not answered", response_only=True, status_codes=[400],
                                value={"answers": {"weapons": [
                                    "Answer yes, no or unknown: unknown is not no."]}})


def summary_data(assessment: RiskAssessment) -> dict[str, Any]:
    instrument = instrument_get(assessment.instrument_code, assessment.instrument_version)
    language = get_language() or "en"
    return {
        "id": assessment.pk, "case_id": assessment.case_id, "person_id": assessment.person_id,
        "instrument_code": assessment.instrument_code,
        "instrument_title": instrument.title_in(language), "scope": assessment.scope,
        "assessed_at": assessment.assessed_at, "agency": assessment.agency.name,
        "level_in_force": assessment.level_in_force,
        "level_label": instrument.level(assessment.level_in_force).label_in(language),
        "awaiting_confirmation": assessment.awaiting_confirmation,
        "next_reassessment": assessment.next_reassessment,
        "superseded": assessment.superseded,
    }


def _items(lines: list[ItemLine]) -> list[dict[str, str]]:
    return [{"code": line.item.code, "question": line.question, "answer": line.answer}
            for line in lines]


def assessment_data(view: AssessmentView) -> dict[str, Any]:
    a = view.assessment
    answers = [line for _category, lines in view.by_category for line in lines]
    return AssessmentOut(summary_data(a) | {
        "instrument_version": a.instrument_version, "score": a.score,
        "max_score": a.max_score, "computed_level": a.computed_level,
        "final_level": a.final_level, "justification": a.justification, "lowered": a.lowered,
        "critical_signals": _items(view.critical), "unknown_items": _items(view.unknown),
        "answers": _items(answers),
        "actions": [{"id": line.action.pk, "code": line.action.code, "label": line.label,
                     "reasons": line.reasons, "decision": line.action.decision}
                    for line in view.actions],
    }).data


class CaseAssessmentsApi(ListApi):
    """The assessments of a case the caller may see (scope by person, as on the case page)."""

    serializer_class = AssessmentSummaryOut
    filters = AssessmentFilters
    ordering_fields = ("assessed_at", "next_reassessment")
    ordering = ("-assessed_at", "pk")
    audit_basis = "case risk assessments"

    def rows(self, *, actor: Actor, filters: dict[str, Any], case_id: int = 0,
             **kwargs: Any) -> QuerySet[RiskAssessment]:
        rows = selectors.case_assessment_rows(access=case_access(actor=actor, case_id=case_id))
        if "instrument_code" in filters:
            rows = rows.filter(instrument_code=filters["instrument_code"])
        if filters.get("current"):
            rows = rows.filter(superseded=False)
        return rows.select_related("agency")

    def out(self, row: RiskAssessment) -> dict[str, Any]:
        return summary_data(row)

    @extend_schema(summary="A case's risk assessments", parameters=[AssessmentFilters],
                   responses={200: AssessmentSummaryOut(many=True), 404: NOT_FOUND})
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(summary="Record a risk assessment with an instrument offered to the agency",
                   request=AssessmentIn, parameters=[IDEMPOTENCY],
                   examples=[ASSESSMENT_EXAMPLE, ERRORS_EXAMPLE],
                   responses={201: AssessmentOut, 200: AssessmentOut, 400: FIELD_ERRORS,
                              404: NOT_FOUND})
    def post(self, request: Request, case_id: int) -> Response:
        actor = api_actor(request)
        case_access(actor=actor, case_id=case_id)  # 404 before reading the body
        payload = AssessmentIn(data=request.data)
        payload.is_valid(raise_exception=True)

        def do() -> str:
            assessment = services.assessment_record(actor=actor, case_id=case_id,
                                                    **payload.validated_data)
            return reverse("api:assessment_detail", args=[assessment.pk])

        with errors_under(services.item_field(""), "answers"):
            url, first = run_idempotent(request, do)
        view = selectors.assessment_get(actor=actor, assessment_id=id_of(url))
        return Response(assessment_data(view), status=replay_status(first),
                        headers={"Location": url})


class AssessmentDetailApi(APIView):
    @extend_schema(summary="A risk assessment, explained in the reader's language",
                   responses={200: AssessmentOut, 404: NOT_FOUND})
    def get(self, request: Request, assessment_id: int) -> Response:
        view = selectors.assessment_get(actor=api_actor(request), assessment_id=assessment_id)
        return Response(assessment_data(view))
