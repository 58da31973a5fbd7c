"""REST API of the perpetrator programme's files: the list and one file, through the same
selectors as the programme's screens (relais/programmes/views.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from relais.core.actor import Actor
from relais.core.api import NOT_FOUND, ListApi, api_actor
from relais.programmes import selectors
from relais.programmes.models import ProgrammeFile
from relais.programmes.selectors import FileRow
from relais.programmes.serializers import FileDetailOut, FileFilters, FileOut
from relais.programmes.services import settings_for


def file_data(row: FileRow) -> dict[str, Any]:
    f = row.file
    return {
        "id": f.pk, "participant": str(f.participant), "route": f.route,
        "judicial_measure": f.judicial_measure, "status": f.status,
        "status_label": f.get_status_display(), "status_at": f.status_at,
        "requested_on": f.requested_on, "started_on": f.started_on, "closed_on": f.closed_on,
        "waiting_days": row.waiting_days, "group": f.group.name if f.group_id else None,
        "hours": row.hours, "threshold": row.threshold, "interviews": row.interviews,
    }


class FileListApi(ListApi):
    """The programme's files (its counsellors only)."""

    serializer_class = FileOut
    filters = FileFilters
    ordering_fields = ("requested_on", "status_at", "started_on")
    ordering = ("requested_on", "pk")
    audit_basis = "programme files"

    def rows(self, *, actor: Actor, filters: dict[str, Any], **kwargs: Any
             ) -> QuerySet[ProgrammeFile]:
        rows = selectors.file_rows(actor=actor)  # 404 but for the programme's counsellors
        self.rules = settings_for(actor.agency)
        if "status" in filters:
            rows = rows.filter(status=filters["status"])
        return rows.select_related("participant", "group")

    def out(self, row: ProgrammeFile) -> dict[str, Any]:
        return file_data(selectors.file_row(row, self.rules))

    @extend_schema(summary="The programme's files", parameters=[FileFilters],
                   responses={200: FileOut(many=True), 404: NOT_FOUND})
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class FileDetailApi(APIView):
    @extend_schema(summary="A programme file: mandate, activities, hours, history",
                   responses={200: FileDetailOut, 404: NOT_FOUND})
    def get(self, request: Request, file_id: int) -> Response:
        view = selectors.file_get(actor=api_actor(request), file_id=file_id)
        f = view.file
        return Response(FileDetailOut(file_data(view.row) | {
            "mandate_reference": f.mandate_reference,
            "judicial_district": f.judicial_district,
            "interruption_reason": f.interruption_reason,
            "case_id": f.case_id if view.case_visible else None,
            "activities": [{"kind": a.kind, "occurred_on": a.occurred_on,
                            "attendance": a.attendance, "scheduled_hours": a.scheduled_hours,
                            "attended_hours": a.attended_hours} for a in view.activities],
            "changes": [{"from_status": c.from_status, "to_status": c.to_status, "at": c.at,
                         "reason": c.reason} for c in view.changes],
            "facts": [{"kind": fact.kind, "pv_number": fact.pv_number,
                       "offence_at": fact.offence_at, "forms": fact.forms}
                      for fact in view.facts],
            "next_statuses": list(view.next_statuses),
        }).data)
