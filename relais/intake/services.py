"""Recording a police intervention or complaint, with its counter checklist, in one transaction.

``report_record`` saves the five-section record, scores the counter checklist, updates the
victim's safe-contact instructions, forwards an official report to the prosecutor's office of
the district of the place (the judicial-forwarding share), and notifies the zone's team that
contacts the victim: police victim assistance (SAPV) for an official report, the EVA
representative for an information report (as follow-up tasks, see relais.followup).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from relais.access.cases import owner_case_access
from relais.access.intake import may_record
from relais.access.scopes import Scope
from relais.access.services import case_forward_to_prosecutor
from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.cases.models import CaseParticipant, ParticipantRole
from relais.cases.services import safe_contact_set
from relais.cases.timeline import timeline_add
from relais.core import hooks, questions
from relais.core.actor import Actor
from relais.core.texts import choice
from relais.intake.models import Report
from relais.risk.instruments import instrument_get
from relais.risk.services import answers_errors, assessment_record

CHECKLIST = "counter_checklist"
# Where later parts ask their own questions in the intake (relais.core.questions), e.g. her
# residence permit that depends on the partner (relais.safeguards).
QUESTIONS = "intake.report"

# What an officer types; everything else is derived or set by the service.
REPORT_FIELDS = frozenset({
    "kind", "pv_number", "source", "offence_at", "recorded_on", "postcode", "municipality",
    "forms", "visible_injuries", "signs_of_struggle", "facts_context", "facts_words",
    "facts_actions", "no_children_concerned", "children_present", "children_impact",
    "risk_weapons", "risk_threats", "risk_history", "perpetrator_left", "accommodation",
    "referred_eva", "referred_sapv", "referred_cpvs", "referral_note", "interpreter",
    "interpreter_language", "seen_alone", "spoke_freely", "childcare",
    "accompanied_by_specialist", "day2_contact_agreed", "perpetrator_informed",
    "perpetrator_not_informed_reason", "perpetrator_not_informed_detail",
})


def _check_persons(case_id: int, victim_id: int | None,
                   perpetrator_id: int | None) -> dict[str, list[str]]:
    roles = dict(CaseParticipant.objects.filter(case_id=case_id)
                 .values_list("person_id", "role"))
    errors: dict[str, list[str]] = {}
    if roles.get(victim_id) != ParticipantRole.VICTIM:
        errors["victim_id"] = [_("Choose the victim among the persons of the case.")]
    if perpetrator_id and roles.get(perpetrator_id) != ParticipantRole.ALLEGED_PERPETRATOR:
        errors["perpetrator_id"] = [_("Choose the alleged perpetrator among the persons of the "
                                      "case.")]
    return errors


@transaction.atomic
def report_record(
    *,
    actor: Actor,
    case_id: int,
    victim_id: int,
    perpetrator_id: int | None = None,
    checklist: dict[str, str],
    safe_contact: dict[str, Any] | None = None,
    answers: dict[str, str] | None = None,
    **fields: Any,
) -> Report:
    """Record an information or official report on a case of the actor's police zone.

    Every rule is checked before anything is written, and all faults are reported together
    (field by field), so the officer corrects everything at once. ``answers`` answer the
    questions later parts ask about the victim (``QUESTIONS``); each answer given is recorded
    by its part in this transaction, with the facts' date.
    """
    answers = answers or {}
    access = owner_case_access(actor=actor, case_id=case_id)
    if not may_record(access):
        raise Http404
    unknown = set(fields) - REPORT_FIELDS
    if unknown:
        raise TypeError(f"unexpected report fields: {sorted(unknown)}")
    report = Report(case=access.case, agency=actor.agency, officer=actor.user,
                    unit=actor.user.unit, victim_id=victim_id, perpetrator_id=perpetrator_id,
                    **fields)
    report.classify()
    errors = _check_persons(case_id, victim_id, perpetrator_id)
    try:
        report.full_clean(exclude=["case", "agency", "officer", "unit", "victim", "perpetrator"])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    errors.update(answers_errors(instrument_get(CHECKLIST), checklist))
    errors.update(questions.answer_errors(QUESTIONS, answers))
    if errors:
        raise ValidationError(errors)

    report.save()
    kind = "official_report" if report.is_official else "information_report"
    timeline_add(case=access.case, kind=kind, agency_id=actor.agency_id, scope=Scope.JUDICIAL,
                 occurred_at=report.offence_at,
                 text=choice("intake.violence_form", list(report.forms)),
                 source=report)
    audit_record(actor=actor, action=Action.CREATE, target=report, case_id=case_id,
                 scopes=[Scope.JUDICIAL], basis="owning agency")
    assessment_record(actor=actor, case_id=case_id, person_id=victim_id,
                      instrument_code=CHECKLIST, answers=checklist, report_id=report.pk)
    if safe_contact:
        safe_contact_set(actor=actor, person_id=victim_id, **safe_contact)
    if report.is_official:
        report_forward(actor=actor, report=report)
    questions.record_answers(QUESTIONS, actor=actor, case_id=case_id, person_id=victim_id,
                             answers=answers, on=timezone.localdate(report.offence_at))
    # The follow-up (relais.followup) plans the victim's contacts: the victim-assistance
    # service the same day, the EVA call-back, the day-2 contact, the revisit.
    hooks.run("report_recorded", actor=actor, report=report)
    return report


def report_forward(*, actor: Actor, report: Report) -> bool:
    """Forward an official report to the prosecutor's office of the district of the place.

    Returns False, leaving the report to be forwarded, when no office of that district uses
    Relais yet (the report is then sent by the usual channel and can be forwarded later).
    """
    try:
        share = case_forward_to_prosecutor(actor=actor, case_id=report.case_id,
                                           municipality=report.municipality)
    except ValidationError:
        return False
    report.forwarded_to = share.recipient_agency
    report.forwarded_at = timezone.now()
    report.save(update_fields=["forwarded_to", "forwarded_at"])
    # The prosecution tracking table (relais.justice) enters the report in the office's table.
    hooks.run("report_forwarded", actor=actor, report=report)
    return True


@transaction.atomic
def report_forward_again(*, actor: Actor, report_id: int) -> Report:
    """Try again to forward an official report that no office could receive at the time."""
    report = Report.objects.select_for_update().filter(pk=report_id).first()
    if report is None:
        raise Http404
    owner_case_access(actor=actor, case_id=report.case_id)
    if not report.is_official or report.forwarded_to_id:
        return report
    if not report_forward(actor=actor, report=report):
        raise ValidationError(_("No prosecutor's office of this judicial district uses Relais "
                                "yet: send the report by the usual channel."))
    return report
