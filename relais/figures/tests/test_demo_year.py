"""The demo's year of figures (relais.figures.demo_year, loaded by seed_demo): each network's
zone has a year of reports of both kinds in its own municipalities, its office the entries of
the official reports, its programme files with their progress; the records read in order."""

from __future__ import annotations

import io
from datetime import timedelta

from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from relais.accounts.models import Agency, JurisdictionMunicipality
from relais.audit.models import AuditEvent
from relais.cases.models import Case
from relais.figures import indicators
from relais.figures.demo_year import seed_year_of_figures, year_window
from relais.figures.rules import ProsecutionEntry, count_prosecution_cases, first_entries
from relais.intake.models import RecordKind, Report
from relais.justice.models import Entry
from relais.programmes.models import FileStatus, ProgrammeFile
from relais.transfers.models import CaseTransfer

KEYS = ("bxl", "lg", "gt")


def _months(start, end):
    months, month = [], start
    while month <= end:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def check_each_zone_has_twelve_months_of_reports_of_both_kinds() -> None:
    today = timezone.localdate()
    start, end = year_window(today)
    whole_months = _months(start, end)[:12]
    for key in KEYS:
        zone = Agency.objects.get(code=f"demo-{key}-police-zone")
        rows = indicators.dispute_share(zone_ids=[zone.pk], start=start,
                                        end=today + timedelta(days=1))
        by_month = {row.month: row for row in rows}
        for month in whole_months:
            row = by_month[month]
            assert row.information >= 1 and row.official >= 1, (key, month)
            assert 25 <= row.total <= 60, (key, month, row.total)


def check_reports_are_within_the_year_and_the_zones_jurisdiction() -> None:
    start, _end = year_window(timezone.localdate())
    now = timezone.now()
    for key in KEYS:
        zone = Agency.objects.get(code=f"demo-{key}-police-zone")
        jurisdiction = set(JurisdictionMunicipality.objects.filter(agency=zone)
                           .values_list("refnis", flat=True))
        reports = Report.objects.filter(agency=zone)
        assert reports.count() > 300
        for offence_at, municipality, forms in reports.values_list("offence_at", "municipality",
                                                                   "forms"):
            assert start <= timezone.localdate(offence_at) and offence_at < now
            assert municipality in jurisdiction
            assert forms
        # Several forms on some reports; intimate partners and other relatives both.
        assert reports.filter(is_intimate_partner=True).exists()
        assert reports.filter(is_intimate_partner=False).exists()
        assert any(len(forms) > 1 for forms in reports.values_list("forms", flat=True))


def check_official_reports_enter_their_networks_office_days_after_the_facts() -> None:
    for key in KEYS:
        office = Agency.objects.get(code=f"demo-{key}-prosecutor")
        entries = Entry.objects.filter(agency=office).select_related("report")
        assert entries.count() > 200
        late = 0
        for entry in entries:
            report = entry.report
            assert report.kind == RecordKind.OFFICIAL_REPORT
            assert report.offence_at < entry.received_at
            assert entry.received_at - report.offence_at < timedelta(days=10)
            late += timezone.localdate(entry.received_at) > timezone.localdate(report.offence_at)
        assert late > 0
        # Indicator 4 has cases with children, recorded and not.
        rows = indicators.children_recorded(office_ids=[office.pk],
                                            start=year_window(timezone.localdate())[0],
                                            end=timezone.localdate() + timedelta(days=1))
        assert sum(r.recorded for r in rows) > 0 and sum(r.not_recorded for r in rows) > 0


def check_a_case_transferred_between_offices_is_counted_once() -> None:
    transfers = CaseTransfer.objects.filter(case__owner_agency__code__startswith="demo-")
    assert transfers.count() == 6
    transfer = transfers.first()
    entries = list(Entry.objects.filter(report__case=transfer.case).select_related("agency"))
    assert len({e.agency_id for e in entries}) == 2
    rows = [ProsecutionEntry(case=transfer.case_id, office=e.agency.code,
                             entered_on=timezone.localdate(e.received_at)) for e in entries]
    assert sum(count_prosecution_cases(rows).values()) == 1
    first = first_entries(rows)[0]
    assert first.office == transfer.case.reports.order_by("offence_at").first().forwarded_to.code


def check_programme_files_have_routes_statuses_and_reasons() -> None:
    for key in KEYS:
        files = ProgrammeFile.objects.filter(agency__code=f"demo-{key}-perpetrator-programme")
        assert {f.route for f in files} == {"judicial", "voluntary", "police_information"}
        statuses = {f.status for f in files}
        assert {FileStatus.COMPLETED, FileStatus.INCOMPLETE, FileStatus.IN_PROGRESS} <= statuses
        assert all(f.interruption_reason for f in files if f.status == FileStatus.INCOMPLETE)
        assert any(f.substance_use for f in files)
        for file in files.filter(case__isnull=False):
            first_facts = file.case.reports.order_by("offence_at").first().offence_at
            assert timezone.localdate(first_facts) <= file.requested_on


def check_the_year_is_audited_and_loaded_once() -> None:
    cases = Case.objects.count()
    assert AuditEvent.objects.filter(object_type="intake.report", action="create").count() \
        == Report.objects.count()
    assert seed_year_of_figures(today=timezone.localdate())["cases"] == 0
    assert Case.objects.count() == cases


@override_settings(DEBUG=True)
def test_the_demo_has_a_year_of_coherent_figures_for_each_network(db):
    """One load of the demo (it takes seconds), every check on it."""
    call_command("seed_demo", stdout=io.StringIO())
    check_each_zone_has_twelve_months_of_reports_of_both_kinds()
    check_reports_are_within_the_year_and_the_zones_jurisdiction()
    check_official_reports_enter_their_networks_office_days_after_the_facts()
    check_a_case_transferred_between_offices_is_counted_once()
    check_programme_files_have_routes_statuses_and_reasons()
    check_the_year_is_audited_and_loaded_once()
