"""REST API of referrals: each side's list, one referral with its steps, and the next step,
through the same selectors and services as the referral screens (relais/referrals/views.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from relais.core.actor import Actor
from relais.core.api import (
    FIELD_ERRORS,
    IDEMPOTENCY,
    NOT_FOUND,
    ListApi,
    api_actor,
    replay_status,
    run_idempotent,
)
from relais.referrals import selectors, services
from relais.referrals.models import Referral, ReferralStatus
from relais.referrals.selectors import ReferralRow, referral_row
from relais.referrals.serializers import (
    ReferralDetailOut,
    ReferralFilters,
    ReferralOut,
    StepIn,
)

STEP_EXAMPLES = [
    OpenApiExample("The shelter accepts", request_only=True, value={"status": "accepted"}),
    OpenApiExample("The shelter declines", request_only=True,
                   value={"status": "declined", "reason": "No place before Monday."}),
    OpenApiExample("Closed with an outcome", request_only=True,
                   value={"status": "closed", "outcome": "support_started", "note": ""}),
    OpenApiExample("Not possible now", response_only=True, status_codes=[400], value={
        "detail": ["This step is not possible now: the referral is closed."]}),
]


def referral_data(row: ReferralRow) -> dict[str, Any]:
    r = row.referral
    return {
        "id": r.pk, "side": row.side, "case_id": r.case_id, "person": row.person_label,
        "service": r.service.name, "from_agency": r.from_agency.name,
        "to_agency": r.to_agency.name if r.to_agency_id else None, "basis": r.basis,
        "scopes": list(r.scopes or []), "status": r.status,
        "status_label": r.get_status_display(), "status_at": r.status_at, "due_at": r.due_at,
        "overdue": row.overdue, "consent_withdrawn": row.consent_withdrawn,
        "decline_reason": r.decline_reason, "outcome": r.outcome,
        "outcome_note": r.outcome_note, "created_at": r.created_at,
    }


def detail_data(row: ReferralRow) -> dict[str, Any]:
    steps = [{"status": s.status, "status_label": s.get_status_display(), "at": s.at,
              "by": s.by.get_full_name() if s.by_id else None,
              "agency": s.agency.name if s.agency_id else None, "note": s.note}
             for s in selectors.referral_steps(row)]
    return ReferralDetailOut(referral_data(row) | {
        "steps": steps,
        "awaiting_approval": selectors.awaiting_approval(row) is not None}).data


class ReferralListApi(ListApi):
    """The referrals the caller's agency made (outgoing) or received (incoming)."""

    serializer_class = ReferralOut
    filters = ReferralFilters
    ordering_fields = ("status_at", "due_at", "created_at")
    ordering = ("-status_at", "pk")
    audit_basis = "referrals"

    def rows(self, *, actor: Actor, filters: dict[str, Any], **kwargs: Any
             ) -> QuerySet[Referral]:
        rows, self.side = selectors.referral_rows(
            actor=actor, direction=filters.get("direction", "outgoing"),
            open_only=filters.get("open", False))
        if "status" in filters:
            rows = rows.filter(status=filters["status"])
        return rows.select_related("service", "person", "from_agency", "to_agency", "share",
                                   "consent")

    def out(self, row: Referral) -> dict[str, Any]:
        return referral_data(referral_row(row, self.side))

    @extend_schema(summary="Referrals made or received by the caller's agency",
                   parameters=[ReferralFilters], responses={200: ReferralOut(many=True)})
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class ReferralDetailApi(APIView):
    @extend_schema(summary="A referral and its steps (each side sees its own)",
                   responses={200: ReferralDetailOut, 404: NOT_FOUND})
    def get(self, request: Request, referral_id: int) -> Response:
        row = selectors.referral_get(actor=api_actor(request), referral_id=referral_id)
        return Response(detail_data(row))


class ReferralStepsApi(APIView):
    @extend_schema(summary="Take the next step of a referral", request=StepIn,
                   parameters=[IDEMPOTENCY], examples=STEP_EXAMPLES,
                   responses={201: ReferralDetailOut, 200: ReferralDetailOut,
                              400: FIELD_ERRORS, 404: NOT_FOUND})
    def post(self, request: Request, referral_id: int) -> Response:
        actor = api_actor(request)
        selectors.referral_side(actor=actor, referral_id=referral_id)  # 404 first
        payload = StepIn(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data

        def do() -> str:
            if data["status"] == ReferralStatus.SENT:
                services.referral_send(actor=actor, referral_id=referral_id)
            else:
                services.referral_advance(actor=actor, referral_id=referral_id, **data)
            return reverse("api:referral_detail", args=[referral_id])

        url, first = run_idempotent(request, do)
        row = selectors.referral_get(actor=actor, referral_id=referral_id)
        return Response(detail_data(row), status=replay_status(first),
                        headers={"Location": url})
