"""REST API of the prosecution tracking: the office's table and one entry, through the same
selectors as the table's screens (relais/justice/views.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from relais.core.actor import Actor
from relais.core.api import NOT_FOUND, ListApi, api_actor
from relais.justice import selectors
from relais.justice.models import Entry
from relais.justice.selectors import overdue_days
from relais.justice.serializers import EntryDetailOut, EntryFilters, EntryOut

TABLE_EXAMPLE = OpenApiExample("Reports to decide", response_only=True, value={
    "next": "https://relais.example.be/api/prosecution/entries/?cursor=cD0yMDI2LTAz",
    "previous": None, "results": [{
        "id": 4, "report_id": 7, "case_id": 3, "case_reference": "ZA-2026-0003",
        "pv_number": "BR.12.L5.001234/2026", "offence_at": "2026-03-01T21:30:00+01:00",
        "from_agency": "Zone Bruxelles-Capitale/Ixelles", "received_at":
        "2026-03-02T10:02:00+01:00", "section": "Family", "reader": "Louise Lambert",
        "due_on": "2026-03-16", "overdue_days": 0, "decision": "", "decision_label": "",
        "measures": [], "decided_at": None}]})


def entry_data(entry: Entry) -> dict[str, Any]:
    report = entry.report
    return {
        "id": entry.pk, "report_id": entry.report_id, "case_id": report.case_id,
        "case_reference": report.case.reference, "pv_number": report.pv_number,
        "offence_at": report.offence_at, "from_agency": report.agency.name,
        "received_at": entry.received_at,
        "section": entry.section.name if entry.section_id else None,
        "reader": entry.reader.get_full_name() if entry.reader_id else None,
        "due_on": entry.due_on, "overdue_days": overdue_days(entry),
        "decision": entry.decision, "decision_label": entry.get_decision_display(),
        "measures": list(entry.measures or []), "decided_at": entry.decided_at,
    }


class EntryListApi(ListApi):
    """The prosecutor's office's tracking table (its legal advisors and magistrates)."""

    serializer_class = EntryOut
    filters = EntryFilters
    ordering_fields = ("due_on", "received_at", "decided_at")
    ordering = ("due_on", "pk")
    audit_basis = "prosecution table"

    def rows(self, *, actor: Actor, filters: dict[str, Any], **kwargs: Any) -> QuerySet[Entry]:
        return selectors.entry_rows(actor=actor, **filters).select_related(
            "report", "report__case", "report__agency", "section", "reader")

    def out(self, row: Entry) -> dict[str, Any]:
        return entry_data(row)

    @extend_schema(summary="The prosecution tracking table", parameters=[EntryFilters],
                   responses={200: EntryOut(many=True), 404: NOT_FOUND},
                   examples=[TABLE_EXAMPLE])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class EntryDetailApi(APIView):
    @extend_schema(summary="One entry of the prosecution table, with its history",
                   responses={200: EntryDetailOut, 404: NOT_FOUND})
    def get(self, request: Request, entry_id: int) -> Response:
        view = selectors.entry_get(actor=api_actor(request), entry_id=entry_id)
        entry = view.entry
        return Response(EntryDetailOut(entry_data(entry) | {
            "other_measure": entry.other_measure, "note": entry.note,
            "decided_by": entry.decided_by.get_full_name() if entry.decided_by_id else None,
            "events": [{"at": e.at, "by": e.by.get_full_name() if e.by_id else None,
                        "kind": e.kind, "detail": e.detail} for e in view.events],
        }).data)
