"""The demo loader builds a programme with a waiting list, a file in progress in the group and a
judicial file waiting for his release."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from relais.followup.tests.factories import record_report
from relais.programmes import services
from relais.programmes.demo import load_demo_programmes
from relais.programmes.models import FileStatus, ProgrammeFile, Route


def test_the_demo_programme(cast, directory):
    record_report(cast, perpetrator_id=cast.perpetrator_id)
    arguments = {"programme": cast.programme, "counsellor": cast.counsellor,
                 "house_of_justice": cast.house_of_justice,
                 "justice_assistant": cast.justice_assistant,
                 "legal_advisor": cast.legal_advisor, "police": cast.officer_a}
    assert load_demo_programmes(**arguments) == 5
    assert ProgrammeFile.objects.filter(status=FileStatus.WAITING).count() == 4
    judicial = ProgrammeFile.objects.get(route=Route.JUDICIAL)
    # A condition of his release: waiting, requested after the facts (not months before).
    assert judicial.status == FileStatus.WAITING and judicial.case == cast.case
    assert judicial.requested_on >= timezone.localdate(judicial.case.reports.get().offence_at)
    group = ProgrammeFile.objects.get(status=FileStatus.IN_PROGRESS)
    assert group.route == Route.VOLUNTARY
    rules = services.settings_for(cast.programme)
    assert services.attended_hours(group, rules) == Decimal("24")  # 2 + 11 sessions of 2 h
    assert load_demo_programmes(**arguments) == 0  # idempotent


def test_the_demo_programme_without_a_case(cast):
    assert load_demo_programmes(programme=cast.programme, counsellor=cast.counsellor,
                                house_of_justice=cast.house_of_justice) == 4
    assert ProgrammeFile.objects.get(status=FileStatus.IN_PROGRESS).route == Route.VOLUNTARY
