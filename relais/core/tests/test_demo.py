"""The demo tells a story a trainer can teach with: every case reads in order, and the README's
walkthrough finds what it names."""

from __future__ import annotations

import io
import re

from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from relais.accounts.models import User
from relais.alarms.models import AlarmAssignment
from relais.cases.models import Case, CaseStatus
from relais.conftest import case_page_with_sections, verified_client
from relais.intake.models import Report
from relais.justice.models import Entry
from relais.measures.models import Detention, ResidenceBan
from relais.programmes.models import FileStatus, ProgrammeFile
from relais.referrals.models import Referral, ReferralStatus


def facts_of(case_id: int):
    """When the case's first facts happened."""
    return Report.objects.filter(case_id=case_id).order_by("offence_at").values_list(
        "offence_at", flat=True).first()


def detained(person_id: int, on) -> bool:
    return any(d.since.date() <= on and (d.released_at is None or d.released_at.date() >= on)
               for d in Detention.objects.filter(person_id=person_id))


def assert_demo_in_order() -> None:
    reports = list(Report.objects.select_related("case"))
    assert reports
    for report in reports:
        assert report.offence_at <= report.created_at, report
        assert report.case.opened_at <= report.created_at, report
        assert timezone.localdate(report.offence_at) <= report.recorded_on, report
        if report.forwarded_at:
            assert report.created_at <= report.forwarded_at, report
    entries = list(Entry.objects.select_related("report"))
    assert entries
    for entry in entries:
        assert entry.report.offence_at < entry.report.forwarded_at <= entry.received_at, entry
        if entry.decided_at:
            assert entry.received_at <= entry.decided_at, entry
    bans = list(ResidenceBan.objects.all())
    assert bans
    for ban in bans:
        assert facts_of(ban.case_id) < ban.ordered_at, ban
        assert ban.served_at is None or ban.ordered_at <= ban.served_at, ban
        assert ban.ordered_at <= ban.starts_at or ban.ordered_at - ban.starts_at \
            < timezone.timedelta(hours=1), ban
        for breach in ban.breaches.all():
            assert ban.starts_at <= breach.occurred_at, breach
    for detention in Detention.objects.all():
        assert facts_of(detention.case_id) < detention.since, detention
    today = timezone.localdate()
    for file in ProgrammeFile.objects.select_related("participant"):
        if file.case_id is not None:
            assert timezone.localdate(facts_of(file.case_id)) <= file.requested_on, file
        if file.status == FileStatus.IN_PROGRESS and file.participant.person_id:
            assert not detained(file.participant.person_id, today), file
    for assignment in AlarmAssignment.objects.select_related("request"):
        request = assignment.request
        assert timezone.localdate(request.requested_at) <= assignment.paired_on, assignment
        assert request.decided_at is not None
        assert timezone.localdate(request.decided_at) <= assignment.paired_on, assignment


@override_settings(DEBUG=True)
def test_the_demo_reads_in_order_and_the_walkthrough_finds_what_it_names(db):
    call_command("seed_demo", stdout=io.StringIO())
    assert_demo_in_order()

    # bxl.intervention → the first case is her zone's (not the Liège case she opened by
    # break-glass), where she records an intervention or finds help.
    officer = verified_client(User.objects.get(username="bxl.intervention"))
    listing = officer.get(reverse("cases:my_cases")).content.decode()
    first = Case.objects.get(reference=re.findall(r"REL-\d{4}-\d{6}", listing)[0])
    assert first.owner_agency.code == "demo-bxl-police-zone" and first.status == CaseStatus.OPEN
    case_page = case_page_with_sections(officer, first.pk)
    assert "Record an intervention" in case_page and "Find help and refer" in case_page
    # The shelter referral exists, accepted by the shelter.
    referral = Referral.objects.get(to_agency__code="demo-bxl-shelter")
    assert referral.status == ReferralStatus.ACCEPTED
    shelter = verified_client(User.objects.get(username="bxl.shelter"))
    assert referral.case.reference in shelter.get(reverse("cases:my_cases")).content.decode()
    # bxl.reference → "Approvals": the referral without consent waits for her.
    reference = verified_client(User.objects.get(username="bxl.reference"))
    approvals = reference.get(reverse("approvals:list")).content.decode()
    assert "without her consent (imminent danger)" in approvals
    waiting = Referral.objects.get(from_agency__code="demo-bxl-police-zone",
                                   basis="imminent_danger")
    assert waiting.status == ReferralStatus.PROPOSED and waiting.share_id is None


@override_settings(DEBUG=True)
def test_each_prosecutors_office_has_its_femicide_register(db):
    """A femicide of last year, reviewed, and an attempt whose review is in progress, per
    network; the office's magistrate sees them, the zone's reference officer reads the review
    she is named on."""
    from relais.femicide.models import Record, Review

    call_command("seed_demo", stdout=io.StringIO())
    assert Record.objects.count() == 6
    assert Review.objects.filter(closed_at__isnull=False).count() == 3
    magistrate = verified_client(User.objects.get(username="bxl.magistrate"))
    assert magistrate.get(reverse("femicide:list")).status_code == 200
    record = Record.objects.filter(agency__code="demo-bxl-prosecutor").first()
    reference = verified_client(User.objects.get(username="bxl.reference"))
    assert reference.get(reverse("femicide:record", args=[record.pk])).status_code == 200
