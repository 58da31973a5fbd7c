"""REST API of the intake: record a report on a case and read it, through the same services and
selectors as the intake screens (relais/intake/views.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import get_language
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from relais.access.cases import case_access, owner_case_access
from relais.access.intake import may_record
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
from relais.core.questions import pop_answers
from relais.intake import selectors, services
from relais.intake.models import Report
from relais.intake.serializers import ReportFilters, ReportIn, ReportOut, ReportSummaryOut

REPORT_EXAMPLE = OpenApiExample("An official report at the desk", request_only=True, value={
    "victim_id": 12, "perpetrator_id": 13, "kind": "official", "source": "walk_in",
    "offence_at": "2026-03-01T21:30:00+01:00", "recorded_on": "2026-03-02",
    "postcode": "1050", "municipality": "21009", "forms": ["physical", "psychological"],
    "visible_injuries": True, "facts_context": "Argument in the kitchen about money.",
    "facts_words": "He said: 'You will not leave this house.'",
    "facts_actions": "He pushed her against the wall.", "children_present": "yes",
    "perpetrator_left": "yes", "referred_sapv": True, "seen_alone": "yes",
    "spoke_freely": "yes", "day2_contact_agreed": True, "perpetrator_informed": "yes",
    "checklist": {"children": "yes", "weapons_threats_substances": "no", "escalation": "yes",
                  "isolation": "no", "stalking": "unknown"},
    "safe_contact": {"channel": "phone", "hours": "9-12", "can_speak_freely": "yes"},
    "residence_permit": "card_f"})
SUMMARY_EXAMPLE = OpenApiExample("A case's records", response_only=True, value={
    "next": None, "previous": None, "results": [{
        "id": 7, "case_id": 3, "kind": "official", "pv_number": "BR.12.L5.001234/2026",
        "source": "walk_in", "offence_at": "2026-03-01T21:30:00+01:00",
        "recorded_on": "2026-03-02", "postcode": "1050", "municipality": "21009",
        "forms": ["physical"], "forwarded_at": "2026-03-02T10:02:00+01:00"}]})


def report_data(report: Report) -> dict[str, Any]:
    return ReportOut(report).data


class CaseReportsApi(ListApi):
    """The records of a case (the judicial narrative scope, as on the case page)."""

    serializer_class = ReportSummaryOut
    filters = ReportFilters
    ordering_fields = ("offence_at", "recorded_on")
    ordering = ("-offence_at", "pk")
    audit_basis = "case reports"

    def rows(self, *, actor: Actor, filters: dict[str, Any], case_id: int = 0,
             **kwargs: Any) -> QuerySet[Report]:
        rows = selectors.case_report_rows(access=case_access(actor=actor, case_id=case_id))
        if rows is None:
            raise Http404
        if "kind" in filters:
            rows = rows.filter(kind=filters["kind"])
        return rows

    def out(self, row: Report) -> dict[str, Any]:
        return ReportSummaryOut(row).data

    @extend_schema(summary="A case's police records", parameters=[ReportFilters],
                   responses={200: ReportSummaryOut(many=True), 404: NOT_FOUND},
                   examples=[SUMMARY_EXAMPLE])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(summary="Record a report on a case (the intake)", request=ReportIn,
                   parameters=[IDEMPOTENCY], examples=[REPORT_EXAMPLE],
                   responses={201: ReportOut, 200: ReportOut, 400: FIELD_ERRORS,
                              404: NOT_FOUND})
    def post(self, request: Request, case_id: int) -> Response:
        actor = api_actor(request)
        if not may_record(owner_case_access(actor=actor, case_id=case_id)):
            raise Http404  # before reading the body, as the screen
        payload = ReportIn(data=request.data)
        payload.is_valid(raise_exception=True)
        arguments = dict(payload.validated_data)
        if arguments.get("safe_contact") is None:
            arguments.pop("safe_contact", None)
        arguments["answers"] = pop_answers(services.QUESTIONS, arguments)

        def do() -> str:
            report = services.report_record(actor=actor, case_id=case_id, **arguments)
            return reverse("api:report_detail", args=[report.pk])

        with errors_under("item_", "checklist"):
            url, first = run_idempotent(request, do)
        view = selectors.report_get(actor=actor, report_id=id_of(url),
                                    language=get_language() or "en")
        return Response(report_data(view.report), status=replay_status(first),
                        headers={"Location": url})


class ReportDetailApi(APIView):
    @extend_schema(summary="A police record (judicial narrative scope)",
                   responses={200: ReportOut, 404: NOT_FOUND})
    def get(self, request: Request, report_id: int) -> Response:
        view = selectors.report_get(actor=api_actor(request), report_id=report_id,
                                    language=get_language() or "en")
        return Response(report_data(view.report))
