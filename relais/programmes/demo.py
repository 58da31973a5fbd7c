"""Demo perpetrator programme of one network: its formats, one open group, three walk-ins on
the waiting list, a man who came by himself months ago, in progress in the group with hours,
and — when the zone has a forwarded official report with an alleged perpetrator — his
judicial file from the zone's referral, a condition of his release from pre-trial detention,
waiting for that release (fictitious data only, built with the real services; idempotent)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from relais.access.scopes import Scope
from relais.access.services import judicial_mandate_share
from relais.accounts.models import Agency, User
from relais.core.actor import Actor
from relais.directory.models import Service, ServiceType
from relais.intake.models import Report
from relais.programmes import services
from relais.programmes.models import (
    ActivityKind,
    Attendance,
    FileStatus,
    FormatKind,
    GroupFormat,
    JudicialMeasure,
    ProgrammeFile,
    Route,
)
from relais.referrals.models import ReferralBasis
from relais.referrals.services import referral_create

WAITING = (("Olivier", "Attente-Démo", 95), ("Pascal", "Attente-Démo", 60),
           ("Quentin", "Attente-Démo", 12))
TEXTS = {
    "fr": {"group": "Groupe du mardi (démo)",
           "basis": "Démo fictive : condition de sa remise en liberté — suivre un programme "
                    "pour auteurs.",
           "note": "Démo fictive : entretien d'accueil."},
    "nl": {"group": "Dinsdaggroep (demo)",
           "basis": "Fictieve demo: voorwaarde van zijn vrijlating — een daderprogramma "
                    "volgen.",
           "note": "Fictieve demo: intakegesprek."},
}


def load_demo_programmes(*, programme: Agency, counsellor: User, house_of_justice: Agency,
                         justice_assistant: User | None = None,
                         legal_advisor: User | None = None,
                         police: User | None = None) -> int:
    """Load the programme's demo files; returns how many were made (0 when it has some).

    ``police`` is an officer of the network's zone: his zone's first forwarded official report
    with an alleged perpetrator gives the judicial file (referral under judicial mandate to the
    programme's directory service). ``legal_advisor`` of the office the report went to opens
    the case to ``house_of_justice``, so that its justice assistants receive the status
    notices and see the "Perpetrator programme" panel.
    """
    if ProgrammeFile.objects.filter(agency=programme).exists():
        return 0
    today = timezone.localdate()
    language = programme.languages[0] if programme.languages else "fr"
    text = TEXTS.get(language, TEXTS["fr"])
    worker = Actor.for_user(counsellor, channel="demo")
    services.settings_for(programme)
    open_format = GroupFormat.objects.get(agency=programme, kind=FormatKind.OPEN,
                                          active=True)
    group = services.group_create(actor=worker, format_id=open_format.pk, name=text["group"],
                                  start_date=today - timedelta(days=120))
    made = 0
    for first, last, days in WAITING:
        services.file_open_direct(actor=worker, mandate=services.Mandate(route=Route.VOLUNTARY),
                                  first_name=first, last_name=last,
                                  requested_on=today - timedelta(days=days))
        made += 1
    if _judicial_file(worker=worker, programme=programme, police=police,
                      house_of_justice=house_of_justice, justice_assistant=justice_assistant,
                      legal_advisor=legal_advisor, text=text) is not None:
        made += 1
    # In the group for months: a man who came by himself, long before any of the demo's facts.
    file = services.file_open_direct(
        actor=worker, mandate=services.Mandate(route=Route.VOLUNTARY), first_name="Romain",
        last_name="Groupe-Démo", requested_on=today - timedelta(days=150))
    made += 1
    _in_progress(worker=worker, file=file, group=group, text=text)
    return made


def _judicial_file(*, worker: Actor, programme: Agency, police: User | None,
                   house_of_justice: Agency, justice_assistant: User | None,
                   legal_advisor: User | None, text: dict[str, str]) -> ProgrammeFile | None:
    service = Service.objects.filter(agency=programme,
                                     type=ServiceType.PERPETRATOR_PROGRAMME).first()
    if police is None or service is None:
        return None
    report = (Report.objects.filter(agency_id=police.agency_id, forwarded_to__isnull=False,
                                    perpetrator__isnull=False).order_by("pk").first())
    if report is None:
        return None
    if legal_advisor is not None and legal_advisor.agency_id == report.forwarded_to_id:
        judicial_mandate_share(actor=Actor.for_user(legal_advisor, channel="demo"),
                               case_id=report.case_id, recipient=house_of_justice,
                               scopes=[Scope.JUDICIAL],
                               purpose="alternative to pre-trial detention (demo)")
    referral = referral_create(
        actor=Actor.for_user(police, channel="demo"), case_id=report.case_id,
        person_id=report.perpetrator_id, service_id=service.pk,
        basis=ReferralBasis.JUDICIAL_MANDATE, basis_note=text["basis"],
        scopes=[Scope.CONTACT, Scope.JUDICIAL], widened_because=text["basis"],
        confirm_mismatches=True)
    # A condition of his release from pre-trial detention: on the waiting list until then.
    return services.file_open_from_referral(
        actor=worker, referral_id=referral.pk, requested_on=timezone.localdate(),
        substance_use=["alcohol"],
        mandate=services.Mandate(
            route=Route.JUDICIAL, judicial_measure=JudicialMeasure.PRETRIAL_ALTERNATIVE,
            prosecutor_office_id=report.forwarded_to_id, house_of_justice_id=house_of_justice.pk,
            justice_assistant_id=justice_assistant.pk if justice_assistant else None,
            mandate_reference="DEMO/ALT/2026/001"))


def _in_progress(*, worker: Actor, file: ProgrammeFile, group, text: dict[str, str]) -> None:
    """Started, two interviews, in the group for twelve weekly sessions (one missed)."""
    today = timezone.localdate()
    services.file_change_status(actor=worker, file_id=file.pk, status=FileStatus.PREPARATORY,
                                on=today - timedelta(days=135))
    for days in (130, 125):
        services.activity_record(actor=worker, file_id=file.pk, kind=ActivityKind.INTERVIEW,
                                 occurred_on=today - timedelta(days=days),
                                 scheduled_hours=Decimal("1"), attendance=Attendance.ATTENDED,
                                 note=text["note"])
    services.file_join_group(actor=worker, file_id=file.pk, group_id=group.pk,
                             joined_on=group.start_date)
    for week in range(12):
        services.activity_record(
            actor=worker, file_id=file.pk, kind=ActivityKind.GROUP_SESSION,
            occurred_on=group.start_date + timedelta(days=7 * week),
            scheduled_hours=Decimal("2"),
            attendance=Attendance.EXCUSED if week == 5 else Attendance.ATTENDED)
