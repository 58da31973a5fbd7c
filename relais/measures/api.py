"""REST API of the measures: residence bans and detentions, their lists and each one, through
the same selectors as the measures screens (relais/measures/views.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from relais.core.actor import Actor
from relais.core.api import NOT_FOUND, ListApi, api_actor
from relais.measures import selectors
from relais.measures.models import Detention, ResidenceBan
from relais.measures.selectors import ENDED_SHOWN_DAYS, RELEASED_SHOWN_DAYS
from relais.measures.serializers import (
    BanDetailOut,
    BanFilters,
    BanOut,
    DetentionDetailOut,
    DetentionFilters,
    DetentionOut,
)


def ban_data(ban: ResidenceBan) -> dict[str, Any]:
    return {
        "id": ban.pk, "case_id": ban.case_id, "case_reference": ban.case.reference,
        "perpetrator": str(ban.perpetrator), "status": ban.status,
        "status_label": ban.status_label, "ordered_by_agency": ban.ordered_by_agency.name,
        "ordered_at": ban.ordered_at, "starts_at": ban.starts_at, "ends_at": ban.ends_at,
        "served_at": ban.served_at, "lifted_at": ban.lifted_at,
        "monitor_agency": ban.monitor_agency.name if ban.monitor_agency_id else None,
    }


def detention_data(detention: Detention) -> dict[str, Any]:
    status = detention.status
    return {
        "id": detention.pk, "case_id": detention.case_id,
        "case_reference": detention.case.reference, "person": str(detention.person),
        "kind": detention.kind, "kind_label": detention.get_kind_display(), "status": status,
        "status_label": detention.status_label, "since": detention.since,
        "expected_release_on": detention.expected_release_on,
        "released_at": detention.released_at,
    }


class BanListApi(ListApi):
    """Residence bans on the cases the caller sees with the judicial scope."""

    serializer_class = BanOut
    filters = BanFilters
    ordering_fields = ("ends_at", "starts_at", "ordered_at")
    ordering = ("ends_at", "pk")
    audit_basis = "residence bans"

    def rows(self, *, actor: Actor, filters: dict[str, Any], **kwargs: Any
             ) -> QuerySet[ResidenceBan]:
        rows = selectors.ban_rows(actor=actor)
        if filters.get("current", True):
            rows = rows.filter(ends_at__gt=timezone.now() - timedelta(days=ENDED_SHOWN_DAYS))
        return rows.select_related("case", "perpetrator", "ordered_by_agency",
                                   "monitor_agency")

    def out(self, row: ResidenceBan) -> dict[str, Any]:
        return ban_data(row)

    @extend_schema(summary="Residence bans to watch", parameters=[BanFilters],
                   responses={200: BanOut(many=True), 404: NOT_FOUND})
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class BanDetailApi(APIView):
    @extend_schema(summary="A residence ban with its conditions, extensions and breaches",
                   responses={200: BanDetailOut, 404: NOT_FOUND})
    def get(self, request: Request, ban_id: int) -> Response:
        view = selectors.ban_get(actor=api_actor(request), ban_id=ban_id)
        ban = view.ban
        return Response(BanDetailOut(ban_data(ban) | {
            "status": view.status, "status_label": view.status_label, "grounds": ban.grounds,
            "protected_persons": [str(person) for person in view.protected],
            "conditions": [{"label": c.label, "checked": c.checked, "required": c.required}
                           for c in view.conditions],
            "extensions": [{"previous_ends_at": e.previous_ends_at,
                            "new_ends_at": e.new_ends_at, "decided_on": e.decided_on,
                            "court": e.court} for e in view.extensions],
            "breaches": [{"occurred_at": b.occurred_at, "recorded_by_agency":
                          b.recorded_by_agency.name if b.recorded_by_agency_id else None}
                         for b in view.breaches],
            "lift_reason": ban.lift_reason,
        }).data)


class DetentionListApi(ListApi):
    """Detentions on the cases the caller sees with the judicial scope."""

    serializer_class = DetentionOut
    filters = DetentionFilters
    ordering_fields = ("since", "released_at")
    ordering = ("-since", "pk")
    audit_basis = "detentions"

    def rows(self, *, actor: Actor, filters: dict[str, Any], **kwargs: Any
             ) -> QuerySet[Detention]:
        rows = selectors.detention_rows(actor=actor)
        if filters.get("current", True):
            since = timezone.now() - timedelta(days=RELEASED_SHOWN_DAYS)
            rows = rows.filter(Q(released_at__isnull=True) | Q(released_at__gte=since))
        return rows.select_related("case", "person")

    def out(self, row: Detention) -> dict[str, Any]:
        return detention_data(row)

    @extend_schema(summary="Detentions and recent releases", parameters=[DetentionFilters],
                   responses={200: DetentionOut(many=True), 404: NOT_FOUND})
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class DetentionDetailApi(APIView):
    @extend_schema(summary="A detention (police custody, arrest warrant) and its release",
                   responses={200: DetentionDetailOut, 404: NOT_FOUND})
    def get(self, request: Request, detention_id: int) -> Response:
        view = selectors.detention_get(actor=api_actor(request), detention_id=detention_id)
        d = view.detention
        zone = d.release_zone.name if d.release_zone_id and view.release_zone_shown else None
        return Response(DetentionDetailOut(detention_data(d) | {
            "status": view.status, "status_label": view.status_label, "place": d.place,
            "conditions_note": d.conditions_note, "release_zone": zone,
        }).data)
