"""The demo loader builds a programme with a waiting list and a judicial file in progress."""

from __future__ import annotations

from decimal import Decimal

from relais.followup.tests.factories import record_report
from relais.notifications.models import Notice
from relais.programmes import services
from relais.programmes.demo import load_demo_programmes
from relais.programmes.models import FileStatus, ProgrammeFile, Route


def test_the_demo_programme(cast, directory):
    record_report(cast, perpetrator_id=cast.perpetrator_id)
    arguments = {"programme": cast.programme, "counsellor": cast.counsellor,
                 "house_of_justice": cast.house_of_justice,
                 "justice_assistant": cast.justice_assistant,
                 "legal_advisor": cast.legal_advisor, "police": cast.officer_a}
    assert load_demo_programmes(**arguments) == 4
    assert ProgrammeFile.objects.filter(status=FileStatus.WAITING).count() == 3
    judicial = ProgrammeFile.objects.get(route=Route.JUDICIAL)
    assert judicial.status == FileStatus.IN_PROGRESS and judicial.case == cast.case
    rules = services.settings_for(cast.programme)
    assert services.attended_hours(judicial, rules) == Decimal("24")  # 2 + 11 sessions of 2 h
    assert Notice.objects.filter(agency=cast.house_of_justice).count() == 3
    assert load_demo_programmes(**arguments) == 0  # idempotent


def test_the_demo_programme_without_a_case(cast):
    assert load_demo_programmes(programme=cast.programme, counsellor=cast.counsellor,
                                house_of_justice=cast.house_of_justice) == 4
    assert ProgrammeFile.objects.get(status=FileStatus.IN_PROGRESS).route == Route.VOLUNTARY
