"""Programme situations around the fixed cast, built with the real services."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from relais.access.scopes import Scope
from relais.access.services import judicial_mandate_share
from relais.conftest import Cast, actor
from relais.followup.tests.factories import record_report
from relais.programmes import services
from relais.programmes.models import (
    ActivityKind,
    Attendance,
    FileStatus,
    FormatKind,
    Group,
    GroupFormat,
    ProgrammeFile,
    Route,
)
from relais.referrals.models import Referral
from relais.referrals.services import referral_create


def days_ago(days: int) -> date:
    return timezone.localdate() - timedelta(days=days)


def refer_perpetrator(cast: Cast, directory, *, basis: str = "judicial_mandate",
                      scopes: tuple[str, ...] = (Scope.CONTACT, Scope.JUDICIAL),
                      **extra) -> Referral:
    """Zone A refers the cast's alleged perpetrator to the programme's service."""
    arguments = {"basis": basis, "scopes": list(scopes), "confirm_mismatches": True,
                 "widened_because": "The programme needs the judicial facts."}
    if basis == "consent":
        arguments["consent_method"] = "oral_in_person"
    else:
        arguments["basis_note"] = "Probation condition: follow a perpetrator programme."
    arguments.update(extra)
    return referral_create(actor=actor(cast.officer_a), case_id=cast.case.pk,
                           person_id=cast.perpetrator_id, service_id=directory.programme.pk,
                           **arguments)


def judicial_mandate(cast: Cast, **overrides) -> services.Mandate:
    values = {"route": Route.JUDICIAL, "judicial_measure": "probation",
              "prosecutor_office_id": cast.prosecutor.pk,
              "house_of_justice_id": cast.house_of_justice.pk,
              "justice_assistant_id": cast.justice_assistant.pk,
              "mandate_reference": "PROB/2026/001"}
    values.update(overrides)
    return services.Mandate(**values)


def share_with_house_of_justice(cast: Cast) -> None:
    """The prosecutor's office opens the case to the house of justice (probation mandate)."""
    judicial_mandate_share(actor=actor(cast.legal_advisor), case_id=cast.case.pk,
                           recipient=cast.house_of_justice, scopes=[Scope.JUDICIAL],
                           purpose="probation mandate")


def judicial_file(cast: Cast, directory, *, hoj_share: bool = True,
                  requested_days_ago: int = 40) -> ProgrammeFile:
    """The official report goes to the prosecutor; zone A refers him; the programme opens a
    judicial file (probation) from the referral."""
    record_report(cast, perpetrator_id=cast.perpetrator_id)
    if hoj_share:
        share_with_house_of_justice(cast)
    referral = refer_perpetrator(cast, directory)
    return services.file_open_from_referral(
        actor=actor(cast.counsellor), referral_id=referral.pk, mandate=judicial_mandate(cast),
        requested_on=days_ago(requested_days_ago))


def walk_in(cast: Cast, *, requested_days_ago: int = 30, **identity) -> ProgrammeFile:
    values = {"first_name": "Walter", "last_name": "Volontaire"}
    values.update(identity)
    return services.file_open_direct(
        actor=actor(cast.counsellor), mandate=services.Mandate(route=Route.VOLUNTARY),
        requested_on=days_ago(requested_days_ago), **values)


def start(cast: Cast, file: ProgrammeFile, *, on_days_ago: int = 20) -> ProgrammeFile:
    services.file_change_status(actor=actor(cast.counsellor), file_id=file.pk,
                                status=FileStatus.PREPARATORY, on=days_ago(on_days_ago))
    file.refresh_from_db()
    return file


def interview(cast: Cast, file: ProgrammeFile, *, on_days_ago: int = 15,
              hours: str = "1", attendance: str = Attendance.ATTENDED, **extra):
    return services.activity_record(
        actor=actor(cast.counsellor), file_id=file.pk, kind=ActivityKind.INTERVIEW,
        occurred_on=days_ago(on_days_ago), scheduled_hours=Decimal(hours),
        attendance=attendance, **extra)


def group_of(cast: Cast, kind: str = FormatKind.OPEN, *, start_days_ago: int = 10,
             name: str = "") -> Group:
    services.settings_for(cast.programme)
    group_format = GroupFormat.objects.get(agency=cast.programme, kind=kind)
    return services.group_create(actor=actor(cast.counsellor), format_id=group_format.pk,
                                 name=name or f"Group {kind}",
                                 start_date=days_ago(start_days_ago))


def in_group(cast: Cast, file: ProgrammeFile, group: Group, *, joined_days_ago: int = 10):
    """Two individual interviews, then into the group."""
    interview(cast, file, on_days_ago=joined_days_ago + 2)
    interview(cast, file, on_days_ago=joined_days_ago + 1)
    return services.file_join_group(actor=actor(cast.counsellor), file_id=file.pk,
                                    group_id=group.pk, joined_on=days_ago(joined_days_ago))


def session(cast: Cast, file: ProgrammeFile, *, on_days_ago: int, hours: str = "2",
            attendance: str = Attendance.ATTENDED, **extra):
    return services.activity_record(
        actor=actor(cast.counsellor), file_id=file.pk, kind=ActivityKind.GROUP_SESSION,
        occurred_on=days_ago(on_days_ago), scheduled_hours=Decimal(hours),
        attendance=attendance, **extra)
