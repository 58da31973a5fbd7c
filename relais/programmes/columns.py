"""The programme's lists, one set of columns per tab (in progress, waiting list, referrals
received, ended): the screen's table head and its export (relais.core.exports) read this one
definition, so both hold the same columns."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy

from relais.core.exports import Column
from relais.programmes.selectors import FileRow
from relais.referrals.models import Referral


def _participant(row: FileRow) -> str:
    file = row.file
    return f"{file.participant} ({file.case.reference})" if file.case else str(file.participant)


def _route(row: FileRow) -> str:
    file = row.file
    route = str(file.get_route_display())
    if file.judicial_measure:
        return f"{route}: {str(file.get_judicial_measure_display()).lower()}"
    return route


def _progress(row: FileRow) -> str:
    file = row.file
    status = str(file.get_status_display())
    if file.interruption_reason:
        return f"{status}: {str(file.get_interruption_reason_display()).lower()}"
    return status


FILE_HEAD: list[Column[FileRow]] = [
    Column("participant", gettext_lazy("Participant"), _participant),
    Column("route", gettext_lazy("Route"), _route),
    Column("requested", gettext_lazy("Requested"), lambda row: row.file.requested_on),
]
WAITING_COLUMNS: list[Column[FileRow]] = FILE_HEAD + [
    Column("waiting", gettext_lazy("Waiting"), lambda row: row.waiting_days),
]
FILE_COLUMNS: list[Column[FileRow]] = FILE_HEAD + [
    Column("progress", gettext_lazy("Progress"), _progress),
    Column("group", gettext_lazy("Group"),
           lambda row: row.file.group.name if row.file.group else ""),
    Column("interviews", gettext_lazy("Interviews"), lambda row: row.interviews),
    Column("hours", gettext_lazy("Hours attended"), lambda row: row.hours),
]
REFERRAL_COLUMNS: list[Column[Referral]] = [
    Column("received", gettext_lazy("Received"),
           lambda referral: timezone.localdate(referral.created_at)),
    Column("person", gettext_lazy("Person"), lambda referral: str(referral.person)),
    Column("from", gettext_lazy("From"), lambda referral: referral.from_agency.name),
    Column("basis", gettext_lazy("Basis"), lambda referral: str(referral.get_basis_display())),
    Column("case", gettext_lazy("Case"), lambda referral: referral.case.reference),
]


def tab_columns(tab: str) -> list[Column]:
    return {"waiting": WAITING_COLUMNS, "referrals": REFERRAL_COLUMNS}.get(tab, FILE_COLUMNS)
