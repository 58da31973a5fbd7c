"""A demo-like world around the fixed cast, for the URL access matrix (test_url_matrix.py).

Every kind of object a URL of Relais names exists once, on the cast's case or around it, built
with the real services and the apps' test factories: persons, a phone, an address, a note, an
official report forwarded to the prosecutor (its prosecution entry and follow-up tasks), a risk
assessment with its recommended actions, a referral to the shelter, a notice, a residence ban,
a detention, a harassment alarm pressed once, a programme file, group and format, the
directory, a referral share on consent, a break-glass access waiting for review, a neighbourhood,
a section, a crisis re-contact batch and a merge of a second case; a proposal to merge the case
with zone B's own case (opened to zone A by a consultation), and a transfer of the case to zone
B, both waiting for zone B's answer.

The multi-agency consultation sits on a second case of zone A (its own couple), so that its
shares change no one's access to the cast's case: a body run from the platform, whose members
are zone A, the prosecutor's office, the support service, the shelter, the programme and the
house of justice (not zone B); the case referred by zone A, on the agenda of a meeting still
open, heard with zone A, the support service, the programme and the platform present (a plan,
shared with the support service, the programme and the platform), an action for the support
service and its contribution.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils import timezone, translation

from relais.access import services as access_services
from relais.access.models import Consent, Share
from relais.accounts.models import AgencyKind, ApiToken, Role, SecondFactorReset
from relais.accounts.services import api_token_issue
from relais.alarms.models import AlarmActivation, AlarmAssignment
from relais.alarms.tests.factories import add_device, assess, assign, grant, press, request_alarm
from relais.approvals.models import ApprovalRequest
from relais.approvals.services import approval_approve, pending_for
from relais.cases import services as case_services
from relais.cases.models import Case, ParticipantRole
from relais.conftest import Cast, actor, make_agency, make_user
from relais.consultation import models as consultation
from relais.consultation import services as consultation_services
from relais.consultation.tests.conftest import make_body
from relais.core.jobs import job_start
from relais.core.models import Job
from relais.crisis.models import Crisis
from relais.crisis.services import crisis_declare
from relais.directory.tests.factories import Directory, build_directory
from relais.family import services as family_services
from relais.family.models import FamilyProceeding, LinkNotice
from relais.femicide import services as femicide_services
from relais.femicide.models import Record as FemicideRecord
from relais.figures.consent import refusal_record
from relais.figures.models import ReportingRefusal, Series
from relais.figures.series import series_import
from relais.followup import crisis
from relais.followup.models import CrisisBatch, Neighbourhood, Task, TaskKind
from relais.followup.services import neighbourhood_save, task_cancel
from relais.followup.tests.factories import record_report
from relais.intake.models import Report
from relais.justice.merge import case_merge
from relais.justice.models import CaseMerge, Entry, MergeProposal, Section
from relais.justice.proposals import merge_propose
from relais.justice.tests.factories import family_section, report_on, second_case
from relais.linkage.models import PersonLink
from relais.linkage.tests.factories import couple_case, person_of
from relais.measures.models import Detention, ResidenceBan
from relais.measures.tests.factories import detain, order_ban
from relais.notifications.models import Notice, NoticeKind
from relais.notifications.services import notice_send
from relais.programmes import services as programme_services
from relais.programmes.models import FormatKind, Group, GroupFormat, ProgrammeFile
from relais.programmes.tests.factories import (
    group_of,
    judicial_mandate,
    refer_perpetrator,
    share_with_house_of_justice,
)
from relais.redlist import services as redlist_services
from relais.redlist.models import RedListEntry
from relais.referrals.models import Referral
from relais.referrals.services import referral_create
from relais.risk.models import RecommendedAction, RiskAssessment
from relais.safeguards.models import HospitalAlert
from relais.safetyplan import services as safetyplan_services
from relais.safetyplan.models import PlanConsent, SafetyPlan
from relais.transfers.models import CaseTransfer
from relais.transfers.services import transfer_request


@dataclass
class World:
    cast: Cast
    directory: Directory
    report: Report
    entry: Entry
    assessment: RiskAssessment
    action: RecommendedAction
    referral: Referral  # zone A refers the victim to the shelter, on her consent
    programme_referral: Referral  # zone A refers the perpetrator to the programme (a file)
    pending_referral: Referral  # ... and again: a referral without a file yet
    task: Task  # a follow-up task of zone A on the case
    notice: Notice  # to zone A's reference officer
    ban: ResidenceBan
    detention: Detention
    assignment: AlarmAssignment
    activation: AlarmActivation
    programme_file: ProgrammeFile
    group: Group
    group_format: GroupFormat
    share: Share  # the referral share to the shelter
    consent: Consent
    break_glass: Share  # zone B's officer, waiting for zone A's review
    neighbourhood: Neighbourhood
    section: Section
    batch: CrisisBatch
    merge: CaseMerge
    proposal: MergeProposal  # zone A proposes to merge zone B's case into the case
    transfer: CaseTransfer  # zone A asks zone B to take the case over
    token: ApiToken  # the personal API token of a zone A officer outside the cast
    link: PersonLink  # zone B recorded the same victim in a case of its own: a proposed link
    table: Table  # the multi-agency consultation, on a second case of zone A
    femicide: FemicideRecord  # the office's record; zone A's reference officer reviews it
    series: Series  # a partner series imported by zone A's analyst
    crisis: Crisis  # crisis mode: floods declared by the office for its district (brussel)
    # The red list (relais.redlist): zone A's reference officer listed the case's address.
    redlist: RedListEntry
    # Safeguards (issue 18 §5): a hospital outside the cast, with a share on the victim's
    # consent, set a presence alert on the case.
    hospital_alert: HospitalAlert
    # Family and youth courts (issue 18 §3): the case opened by zone A to a family court
    # outside the cast, its clerk's record, and the court's notice to zone A.
    family_proceeding: FamilyProceeding
    link_notice: LinkNotice
    # Agency administration (issue 19 §6): a second administrator of zone A, outside the cast,
    # asked for the reset of zone A's officer's second factor; zone A's admin may confirm it.
    second_factor_reset: SecondFactorReset | None = None
    # Long work (relais.core.jobs): zone A's reference officer started a crisis re-contact job.
    job: Job | None = None
    # Consent to reporting (issue 20 §6): zone A's officer recorded that the perpetrator
    # declines to be counted in figures beyond what the law requires.
    refusal: ReportingRefusal | None = None
    # The victim's own safety plan (issue 20 §5): made by zone A's SAPV, shown to the shelter
    # on her consent.
    safety_plan: SafetyPlan | None = None
    safety_plan_consent: PlanConsent | None = None
    # Approvals (issue 20 §3): zone A's officer asked to close the case; a supervisor decides.
    approval: ApprovalRequest | None = None


@dataclass
class Table:
    """The consultation body and one case's way through it."""

    body: consultation.Body
    membership: consultation.Membership  # the support service's
    case: Case  # zone A's second case, seen by the support service, the programme and the
    # platform through the plan's shares
    referral: consultation.Referral  # by zone A
    meeting: consultation.Meeting  # not closed: members may still contribute
    hearing: consultation.Hearing  # heard
    plan: consultation.Plan
    action: consultation.Action  # for the support service (a task in its queue)
    contribution: consultation.Contribution  # the support service's


def build_world(cast: Cast) -> World:
    with translation.override("en"):
        return _build(cast)


def _build(cast: Cast) -> World:
    directory = build_directory(cast)
    officer = actor(cast.officer_a)
    section = family_section(cast, readers=[cast.legal_advisor, cast.magistrate])
    neighbourhood = neighbourhood_save(
        actor=actor(cast.admin_a), name="Flagey", postcodes=["1050"], eva_officer_id=None,
        neighbourhood_officer_id=cast.neighbourhood_a.pk)
    report = record_report(cast, perpetrator_id=cast.perpetrator_id)
    batch = crisis_batch(cast)
    entry = Entry.objects.get(report=report)
    assessment = assess(cast)
    action = assessment.recommended_actions.order_by("pk").first()
    referral = referral_create(
        actor=officer, case_id=cast.case.pk, person_id=cast.victim_id,
        service_id=directory.shelter.pk, basis="consent", consent_method="oral_in_person",
        scopes=["contact", "confidential_location"], confirm_mismatches=True,
        widened_because="She needs a place in the shelter tonight.")
    share_with_house_of_justice(cast)
    programme_referral = refer_perpetrator(cast, directory)
    programme_file = programme_services.file_open_from_referral(
        actor=actor(cast.counsellor), referral_id=programme_referral.pk,
        mandate=judicial_mandate(cast), requested_on=None)
    pending_referral = refer_perpetrator(cast, directory)
    group = group_of(cast, FormatKind.OPEN)
    group_format = programme_services.format_save(
        actor=actor(cast.counsellor), name="Evening group", kind=FormatKind.CLOSED,
        sessions=12, hours_per_session=Decimal("2"))
    ban = order_ban(cast)
    detention = detain(cast)
    assignment = live_alarm_on_forwarded_case(cast)
    activation = press(cast, assignment.device.serial)
    break_glass = access_services.break_glass_open(
        actor=actor(cast.officer_b), case_reference=cast.case.reference,
        justification="Imminent danger: she called 112 from our zone tonight.")
    notice = notice_send(actor=officer, agency=cast.zone_a, for_role=Role.IPV_REFERENCE_OFFICER,
                         case=cast.case, kind=NoticeKind.values[0])
    other = second_case(cast)
    report_on(cast, other)
    case_merge(actor=actor(cast.legal_advisor), source_id=other.pk, target_id=cast.case.pk,
               reason="Same couple: two calls the same week")  # waits for a magistrate
    approval_approve(actor=actor(cast.magistrate),
                     request_id=pending_for(step="case_merge", target=other).pk)
    merge = CaseMerge.objects.get(source=other)
    zone_b_case = couple_case(cast, cast.officer_b)
    link = PersonLink.objects.get(left_id=min(cast.victim_id, person_of(zone_b_case)),
                                  right_id=max(cast.victim_id, person_of(zone_b_case)))
    proposal, transfer = proposal_and_transfer(cast)
    task = (Task.objects.filter(case=cast.case, agency=cast.zone_a, batch__isnull=True,
                                status="open", for_role=Role.VICTIM_ASSISTANCE_WORKER)
            .order_by("pk").first())
    table = build_table(cast)
    femicide_record = build_femicide(cast)
    return World(
        cast=cast, directory=directory, report=report, entry=entry, assessment=assessment,
        action=action, referral=referral, programme_referral=programme_referral,
        pending_referral=pending_referral, task=task,
        notice=notice, ban=ban, detention=detention, assignment=assignment,
        activation=activation, programme_file=programme_file, group=group,
        group_format=group_format, share=referral.share, consent=referral.consent,
        break_glass=break_glass, neighbourhood=neighbourhood, section=section, batch=batch,
        merge=merge, link=link, proposal=proposal, transfer=transfer, table=table,
        femicide=femicide_record, series=build_series(cast), crisis=build_crisis(cast),
        redlist=build_redlist(cast),
        hospital_alert=build_hospital_alert(cast),
        **build_family(cast),
        token=api_token_issue(actor=None, issued_by="matrix world", user=make_user(
            "token_holder", cast.zone_a, Role.INTERVENTION_OFFICER))[0],
        second_factor_reset=build_second_factor_reset(cast),
        job=job_start(actor=actor(cast.reference_a), kind="followup.crisis_recontact",
                      params={"months": 6}),
        refusal=refusal_record(actor=actor(cast.officer_a), case_id=cast.case.pk,
                               person_id=cast.perpetrator_id,
                               declined_on=timezone.localdate()),
        approval=build_approval(cast),
        **build_safety_plan(cast))


def build_safety_plan(cast: Cast) -> dict:
    """Zone A's SAPV makes a plan with the victim; she consents to show it to the shelter."""
    plan = safetyplan_services.plan_create(
        actor=actor(cast.sapv_a), case_id=cast.case.pk, person_id=cast.victim_id,
        content=safetyplan_services.PlanContent(safe_places="Chez Léa", code_word="Tante Rosa"),
        language="nl")
    consent = safetyplan_services.consent_record(
        actor=actor(cast.sapv_a), plan_id=plan.pk, agency_id=cast.shelter.pk,
        method="oral_in_person")
    return {"safety_plan": plan, "safety_plan_consent": consent}


def build_approval(cast: Cast) -> ApprovalRequest:
    """Zone A's officer asks to close the case (as at high risk): its supervisor decides."""
    from relais.approvals.services import approval_request

    return approval_request(actor=actor(cast.officer_a), step="case_close_high_risk",
                            target=cast.case, case=cast.case,
                            payload={"reason": "declined", "note": "", "acknowledged": []})


def build_second_factor_reset(cast: Cast) -> SecondFactorReset:
    """Zone A's second administrator (outside the cast) asks to reset the officer's factor."""
    from relais.accounts.agency_services import second_factor_reset_request

    second = make_user("admin_a_second", cast.zone_a, Role.ADMINISTRATOR)
    return second_factor_reset_request(actor=actor(second), user_id=cast.officer_a.pk,
                                       reason="Phone lost (test)")


def build_crisis(cast: Cast) -> Crisis:
    """Crisis mode: the prosecutor's office declares floods in its judicial district."""
    return crisis_declare(actor=actor(cast.magistrate), kind="flood", area_level="district",
                          area_code="brussel", starts_on=timezone.localdate(),
                          expected_end=timezone.localdate() + timedelta(days=7))


def build_series(cast: Cast) -> Series:
    """A partner series (counts only), imported from a file by zone A's analyst."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "calls.csv"
        path.write_text("series,period,area,category,count\n"
                        "Fictitious helpline calls,2024-01,Belgium,_total,30\n")
        return series_import(actor=actor(cast.analyst_a), path=path, unit="calls")


def proposal_and_transfer(cast: Cast) -> tuple[MergeProposal, CaseTransfer]:
    officer_b = actor(cast.officer_b)
    case_b = case_services.case_open(actor=officer_b, situation="couple", municipality="21009")
    access_services.consultation_open(
        actor=officer_b, case_id=case_b.pk, agency_ids=[cast.zone_a.pk],
        purpose="Same couple in both zones", ends_at=timezone.now() + timedelta(days=30),
        scopes=["judicial"])
    proposal = merge_propose(actor=actor(cast.officer_a), case_id=cast.case.pk,
                             other_case_id=case_b.pk, keep="this", reason="Same couple")
    transfer = transfer_request(actor=actor(cast.officer_a), case_id=cast.case.pk,
                                to_agency_id=cast.zone_b.pk, reason="The victim moved to zone B")
    return proposal, transfer


def crisis_batch(cast: Cast):
    """Crisis re-contact skips victims with a revisit planned: the reference officer cancels
    the report's revisit first."""
    reference = actor(cast.reference_a)
    for revisit in Task.objects.filter(case=cast.case, kind=TaskKind.REVISIT, status="open"):
        task_cancel(actor=reference, task_id=revisit.pk, reason="Crisis re-contact instead.")
    return crisis.crisis_create(actor=reference, months=6)


def live_alarm_on_forwarded_case(cast: Cast) -> AlarmAssignment:
    """A granted request and a paired device (``live_alarm`` without its own report and
    assessment: the world has them already)."""
    request = grant(cast, request_alarm(cast))
    return assign(cast, request, add_device(cast, "BTN-A-0001"))



def build_redlist(cast: Cast) -> RedListEntry:
    """The red list: zone A's reference officer lists an address of the cast's case."""
    return redlist_services.entry_place(
        actor=actor(cast.reference_a), case_id=cast.case.pk, kind="address",
        reason="serious_violence", review_on=timezone.localdate() + timedelta(days=30),
        postcode="1050", refnis="21009", streets=["Rue du Test"], number="12")


def build_hospital_alert(cast: Cast) -> HospitalAlert:
    """Safeguards: a hospital (not in the cast) holds a share and sets a presence alert."""
    from relais.safeguards.tests.factories import alert, hospital, share

    place = hospital(cast)
    share(cast, place.agency)
    return alert(cast, place)


# --- Family and youth courts (issue 18 §3) -------------------------------------------------

def build_family(cast: Cast) -> dict:
    """Zone A opens its case to a family court (outside the cast: no cast member is a court);
    the court's clerk records parallel parenting; zone A is told (the notice written as it is
    after the answer)."""
    court = make_agency("family-matrix", AgencyKind.FAMILY_COURT, arrondissement="brussel",
                        name="Family court (matrix)")
    clerk = actor(make_user("clerk_matrix", court, Role.COURT_CLERK))
    family_services.case_open_to_court(actor=actor(cast.officer_a), case_id=cast.case.pk,
                                       court_id=court.pk)
    today = timezone.localdate()
    proceeding = family_services.proceeding_record(
        actor=clerk, case_id=cast.case.pk, kind="parallel_parenting", decided_on=today,
        starts_on=today)
    link = family_services.link_notices_send(
        actor=clerk, case_id=cast.case.pk, recipients=[(cast.zone_a, Role.IPV_REFERENCE_OFFICER)],
        code="court_decision", kind=NoticeKind.FAMILY_COURT_DECISION,
        params={"decision": "parallel_parenting"}, sender_id=court.pk)[0]
    return {"family_proceeding": proceeding, "link_notice": link}


def build_femicide(cast: Cast) -> FemicideRecord:
    """The office's record of an attempt, whose review names zone A's reference officer."""
    record = femicide_services.record_create(
        actor=actor(cast.magistrate), occurred_on=timezone.localdate(), outcome="attempt",
        victim_sex="F", relation="partner", method="strangulation", children_present=False)
    femicide_services.reviewers_set(actor=actor(cast.magistrate), record_id=record.pk,
                                    user_ids=[cast.reference_a.pk])
    return record


def build_table(cast: Cast) -> Table:
    coordinator = actor(cast.coordinator)
    body = make_body(cast, name="DIViCo Matrix (test)")
    members = {m.agency_id: m for m in body.memberships.all()}
    case = other_couple(cast)
    referral = consultation_services.referral_create(
        actor=actor(cast.officer_a), case_id=case.pk, body_id=body.pk,
        concern="She fears for her life since the separation.", emergency=False,
        informed="yes", consents=True, basis="consent", justification="",
        scopes=["contact", "health", "judicial"])
    meeting = consultation_services.meeting_create(
        actor=coordinator, body_id=body.pk, starts_at=timezone.now() + timedelta(days=2),
        kind="regular", place="Salle 3")
    hearing = consultation_services.agenda_add(actor=coordinator, meeting_id=meeting.pk,
                                               referral_ids=[referral.pk])[0]
    consultation_services.attendance_record(
        actor=coordinator, meeting_id=meeting.pk,
        present={agency.pk: None for agency in (cast.zone_a, cast.support, cast.programme,
                                                cast.platform)})
    plan = consultation_services.hearing_record(
        actor=coordinator, hearing_id=hearing.pk, level="very_high",
        decisions="Patrol passes twice a day; ban to be considered.", children="")
    action = consultation_services.action_add(
        actor=coordinator, plan_id=plan.pk, agency_id=cast.support.pk, kind="contact",
        detail="Weekly call", owner_id=None, due_on=timezone.localdate(), priority=2)
    contribution = consultation_services.contribution_save(
        actor=actor(cast.support_worker), hearing_id=hearing.pk, risk_seen="high", facts="",
        situation="She sleeps at her sister's.", children="", health="Anxious.")
    hearing.refresh_from_db()
    return Table(body=body, membership=members[cast.support.pk], case=case, referral=referral,
                 meeting=meeting, hearing=hearing, plan=plan, action=action,
                 contribution=contribution)


def other_couple(cast: Cast) -> Case:
    """A second case of zone A, about strangers to the cast's couple (no link proposed)."""
    officer = actor(cast.officer_a)
    case = case_services.case_open(actor=officer, situation="couple", municipality="21009")
    case_services.person_add_to_case(
        actor=officer, case_id=case.pk, role=ParticipantRole.VICTIM, first_name="Dora",
        last_name="Essai", birth_date=date(1991, 6, 2), sex="F")
    case_services.person_add_to_case(
        actor=officer, case_id=case.pk, role=ParticipantRole.ALLEGED_PERPETRATOR,
        first_name="Edgar", last_name="Essai")
    return case


# --- The arguments of a URL in the world (the URL matrix's rows name them) ------------------

def none(w: World) -> dict[str, Any]:
    return {}


def csv_export(w: World) -> dict[str, Any]:
    """A figures screen's export (relais.figures.exports), as CSV: the format is in the URL."""
    return {"fmt": "csv"}


def case(w: World) -> dict[str, Any]:
    return {"case_id": w.cast.case.pk}


def victim(w: World) -> dict[str, Any]:
    return {"person_id": w.cast.victim_id}


def report(w: World) -> dict[str, Any]:
    return {"report_id": w.report.pk}


def ban(w: World) -> dict[str, Any]:
    return {"ban_id": w.ban.pk}


def service(w: World) -> dict[str, Any]:
    return {"service_id": w.directory.shelter.pk}


def task(w: World) -> dict[str, Any]:
    return {"task_id": w.task.pk}


def entry(w: World) -> dict[str, Any]:
    return {"entry_id": w.entry.pk}


def activation(w: World) -> dict[str, Any]:
    return {"activation_id": w.activation.pk}


def programme_file(w: World) -> dict[str, Any]:
    return {"file_id": w.programme_file.pk}


def group(w: World) -> dict[str, Any]:
    return {"group_id": w.group.pk}


def body(w: World) -> dict[str, Any]:
    return {"body_id": w.table.body.pk}


def meeting(w: World) -> dict[str, Any]:
    return {"meeting_id": w.table.meeting.pk}


def hearing(w: World) -> dict[str, Any]:
    return {"hearing_id": w.table.hearing.pk}


def plan(w: World) -> dict[str, Any]:
    return {"plan_id": w.table.plan.pk}


def safety_plan(w: World) -> dict[str, Any]:
    return {"plan_id": w.safety_plan.pk}
