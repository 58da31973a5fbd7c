"""Writes of risk assessments: record, confirm a lowered level, decide a recommended action."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from relais.access.cases import case_access
from relais.access.risk import may_use_instrument, readable_scopes
from relais.accounts.models import Role
from relais.approvals import services as approvals
from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.cases.models import CaseParticipant
from relais.cases.timeline import timeline_add
from relais.core import hooks
from relais.core.actor import Actor
from relais.core.texts import text
from relais.core.versions import record_version, version_check
from relais.notifications.models import NoticeKind
from relais.notifications.services import notice_send
from relais.risk.instruments import Instrument, instrument_get, instruments
from relais.risk.models import Decision, RecommendedAction, RiskAssessment

# The approval step of a lowered level (relais.approvals; approved by a colleague, as before).
LOWER_STEP = "risk_lower_level"


def item_field(code: str) -> str:
    """The name of an item's answer in forms and in validation errors."""
    return f"item_{code}"


def answers_errors(instrument: Instrument, answers: dict[str, str]) -> dict[str, list[str]]:
    """One error per item without a yes / no / unknown answer."""
    return {item_field(code): [_("Answer yes, no or unknown: unknown is not no.")]
            for code in instrument.missing(answers)}


def _instrument_for(actor: Actor, code: str) -> Instrument:
    try:
        instrument = instrument_get(code)
    except KeyError as error:
        raise Http404 from error
    if not may_use_instrument(actor, instrument):
        raise Http404
    return instrument


def next_reassessment(instrument: Instrument, level: str, start) -> object:
    return timezone.localdate(start) + timedelta(days=instrument.level(level).reassess_days)


@transaction.atomic
def assessment_record(
    *,
    actor: Actor,
    case_id: int,
    person_id: int,
    instrument_code: str,
    answers: dict[str, str],
    final_level: str = "",
    justification: str = "",
    report_id: int | None = None,
) -> RiskAssessment:
    """Score a complete set of answers and keep the assessment with its recommended actions.

    A final level other than the computed one needs a justification; a lower one waits for a
    second person's confirmation (``assessment_confirm_lowering``).
    """
    access = case_access(actor=actor, case_id=case_id)
    instrument = _instrument_for(actor, instrument_code)
    errors = answers_errors(instrument, answers)
    if report_id is not None and not RiskAssessment.report.field.related_model.objects.filter(
            pk=report_id, case_id=case_id).exists():
        raise Http404
    if not CaseParticipant.objects.filter(case_id=case_id, person_id=person_id).exists():
        errors["person_id"] = [_("Choose a person of this case.")]
    elif instrument.scope not in readable_scopes(access)(person_id):
        raise Http404
    final_level = final_level or ""
    if final_level and final_level not in {level.code for level in instrument.levels}:
        errors["final_level"] = [_("Choose one of the instrument's levels.")]
    if errors:
        raise ValidationError(errors)

    evaluation = instrument.evaluate(answers)
    final_level = final_level or evaluation.level
    justification = justification.strip()
    if final_level != evaluation.level and not justification:
        raise ValidationError({"justification": [
            _("You chose a level other than the computed one: say why.")]})
    lowered = instrument.rank(final_level) < instrument.rank(evaluation.level)
    # Where the agency's kind needs no second person for it (the approvals' rules file), a
    # lowered level is in force at once; everywhere it ships, it waits, as before.
    second_person = lowered and approvals.needs_approval(actor=actor, step=LOWER_STEP)
    now = timezone.now()
    assessment = RiskAssessment.objects.create(
        case_id=case_id, person_id=person_id, report_id=report_id,
        instrument_code=instrument.code, instrument_version=instrument.version,
        scope=instrument.scope, assessor=actor.user, agency=actor.agency,
        answers={item.code: answers[item.code] for item in instrument.items},
        score=evaluation.score, max_score=evaluation.max_score,
        critical_signals=list(evaluation.critical), unknown_items=list(evaluation.unknown),
        computed_level=evaluation.level, final_level=final_level,
        justification=justification, lowered=lowered,
        confirmed_by=actor.user if lowered and not second_person else None,
        confirmed_at=now if lowered and not second_person else None,
        next_reassessment=next_reassessment(
            instrument, evaluation.level if second_person else final_level, now),
    )
    _supersede_older(assessment, screening=instrument.screening)
    RecommendedAction.objects.bulk_create(
        RecommendedAction(assessment=assessment, code=code,
                          reasons=[reason.as_data() for reason in reasons])
        for code, reasons in evaluation.actions.items()
    )
    timeline_add(
        case=access.case, kind="risk_assessed", agency_id=actor.agency_id, scope=instrument.scope,
        text=text("risk.assessed", instrument=instrument.code, version=instrument.version,
                  level=assessment.level_in_force),
        source=assessment,
    )
    audit_record(actor=actor, action=Action.CREATE, target=assessment, case_id=case_id,
                 scopes=[instrument.scope], basis=access.basis)
    if second_person:
        approvals.approval_request(
            actor=actor, step=LOWER_STEP, target=assessment, case=access.case,
            summary=text("risk.lower_asked", instrument=instrument.code,
                         version=instrument.version, level=final_level),
            reason=justification)
        notice_send(actor=actor, agency=actor.agency, for_role=Role.IPV_REFERENCE_OFFICER,
                    case=access.case, kind=NoticeKind.RISK_LOWERED, source=assessment)
    hooks.run("risk_assessed", actor=actor, assessment=assessment)
    return assessment


def _supersede_older(assessment: RiskAssessment, *, screening: bool) -> None:
    """The case's older assessments that the new one puts out of the headline for good: all
    of them after a full assessment, the screenings after a screening (relais.risk.headline)."""
    shipped = {instrument.code for instrument in instruments().values()}
    codes = [code for code in sorted(shipped) if instrument_get(code).screening or not screening]
    (RiskAssessment.objects.filter(case_id=assessment.case_id, superseded=False,
                                   instrument_code__in=codes)
     .exclude(pk=assessment.pk).update(superseded=True))


def _own_agency_assessment(actor: Actor, assessment_id: int) -> RiskAssessment:
    """An assessment of the actor's agency, on a case the actor can see (else 404)."""
    assessment = (RiskAssessment.objects.select_for_update(of=("self",))
                  .filter(pk=assessment_id).first())
    if assessment is None:
        raise Http404
    access = case_access(actor=actor, case_id=assessment.case_id)
    if (assessment.scope not in readable_scopes(access)(assessment.person_id)
            or assessment.agency_id != actor.agency_id):
        raise Http404
    return assessment


@transaction.atomic
def assessment_confirm_lowering(*, actor: Actor, assessment_id: int) -> RiskAssessment:
    """A second person of the same agency confirms a final level lower than the computed one.

    The lowering is an approval step (``risk_lower_level``, relais.approvals): confirming here
    approves its pending request, which runs ``lowering_approved``; an assessment lowered
    before approvals existed is confirmed directly, with the same checks."""
    assessment = _own_agency_assessment(actor, assessment_id)
    _check_confirmable(actor, assessment)
    request = approvals.pending_for(step=LOWER_STEP, target=assessment)
    if request is None:
        return _confirm(actor, assessment)
    approvals.approval_approve(actor=actor, request_id=request.pk)
    assessment.refresh_from_db()
    return assessment


def _check_confirmable(actor: Actor, assessment: RiskAssessment) -> None:
    if not assessment.awaiting_confirmation:
        raise ValidationError(_("This assessment does not wait for a confirmation."))
    if assessment.assessor_id == actor.user_id:
        raise ValidationError(_("A second person must confirm a lowered level, not its author."))


def lowering_approved(*, actor: Actor, request) -> None:
    """The approval handler of ``risk_lower_level`` (from the approvals list or the
    assessment's page): the approver must see the assessment, as on its page."""
    assessment = _own_agency_assessment(actor, int(request.target_id))
    _check_confirmable(actor, assessment)
    _confirm(actor, assessment)


def _confirm(actor: Actor, assessment: RiskAssessment) -> RiskAssessment:
    instrument = instrument_get(assessment.instrument_code, assessment.instrument_version)
    assessment.confirmed_by = actor.user
    assessment.confirmed_at = timezone.now()
    assessment.next_reassessment = next_reassessment(
        instrument, assessment.final_level, assessment.assessed_at)
    assessment.save(update_fields=["confirmed_by", "confirmed_at", "next_reassessment"])
    timeline_add(case=assessment.case, kind="risk_override_confirmed", agency_id=actor.agency_id,
                 scope=assessment.scope, source=assessment,
                 text=text("risk.level", instrument=instrument.code,
                           version=instrument.version, level=assessment.final_level))
    audit_record(actor=actor, action=Action.REVIEW, target=assessment,
                 case_id=assessment.case_id, scopes=[assessment.scope],
                 basis="second-person confirmation of a lowered risk level")
    hooks.run("risk_assessed", actor=actor, assessment=assessment)
    return assessment


ACTION_FIELDS = ("decision", "decline_reason")


def action_version(action: RecommendedAction) -> str:
    """A recommended action's version for its form (relais.core.versions)."""
    return record_version(action, ACTION_FIELDS)


@transaction.atomic
def action_decide(*, actor: Actor, action_id: int, decision: str, reason: str = "",
                  version: str | None = None) -> RecommendedAction:
    """Accept a recommended action, or decline it with a reason. ``version``: the action as
    she read it; decided by a colleague since, ``EditConflict``."""
    action = RecommendedAction.objects.select_for_update().filter(pk=action_id).first()
    if action is None:
        raise Http404
    _own_agency_assessment(actor, action.assessment_id)
    version_check(action, ACTION_FIELDS, version)
    if decision not in (Decision.ACCEPTED, Decision.DECLINED):
        raise ValidationError({"decision": [_("Accept or decline.")]})
    reason = reason.strip()
    if decision == Decision.DECLINED and not reason:
        raise ValidationError({"reason": [_("Say why you decline this action.")]})
    action.decision = decision
    action.decline_reason = reason if decision == Decision.DECLINED else ""
    action.decided_by = actor.user
    action.decided_at = timezone.now()
    action.save(update_fields=["decision", "decline_reason", "decided_by", "decided_at"])
    audit_record(actor=actor, action=Action.UPDATE, target=action,
                 case_id=action.assessment.case_id, basis="recommended action decided")
    return action
