"""Writes of addenda: correct a saved police record or risk assessment, keeping the trace.

Each service is atomic: it checks access (404 otherwise), applies the corrections to the
record, checks the record's own rules (all faults at once), keeps the addendum, adds it to the
case timeline and writes its audit events, in one transaction.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from relais.access.amendments import may_amend_assessment, may_amend_report
from relais.access.cases import case_access, owner_case_access
from relais.access.scopes import Scope
from relais.accounts.models import Role
from relais.amendments.models import Addendum
from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.cases.timeline import timeline_add
from relais.core import hooks
from relais.core.actor import Actor
from relais.intake.models import Report
from relais.notifications.models import NoticeKind
from relais.notifications.services import notice_send
from relais.risk.instruments import instrument_get
from relais.risk.models import RecommendedAction, RiskAssessment
from relais.risk.services import answers_errors, next_reassessment

# What a correction may change on a police record: what the officer wrote and the PV number
# (often known only later). The kind, the place and the persons decide where the record went
# (forwarding, district, tasks): a wrong one is a new record, not an addendum.
REPORT_FIELDS = (
    "pv_number", "source", "offence_at", "recorded_on",
    "facts_context", "facts_words", "facts_actions",
    "children_present", "children_impact",
    "risk_weapons", "risk_threats", "risk_history",
    "perpetrator_left", "accommodation", "referral_note",
    "interpreter", "interpreter_language", "seen_alone", "spoke_freely", "childcare",
)
ANSWER_PREFIX = "answer:"


def stored(value: Any) -> Any:
    """A field's value as an addendum keeps it (JSON: dates in ISO format)."""
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) \
            else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _reason_errors(reason: str) -> dict[str, list[str]]:
    return {} if reason else {"reason": [_("Say why you correct the record.")]}


def _keep(*, actor: Actor, case, kind: str, scope: str, reason: str,
          changes: list[dict[str, Any]], **record: Any) -> Addendum:
    addendum = Addendum.objects.create(case=case, agency=actor.agency, author=actor.user,
                                       reason=reason, changes=changes, **record)
    timeline_add(case=case, kind=kind, agency_id=actor.agency_id, scope=scope, source=addendum)
    audit_record(actor=actor, action=Action.CREATE, target=addendum, case_id=case.pk,
                 scopes=[scope], basis="addendum: " + ", ".join(sorted(addendum.fields)))
    return addendum


@transaction.atomic
def report_amend(*, actor: Actor, report_id: int, reason: str,
                 changes: dict[str, Any]) -> Addendum:
    """Correct or complete a saved police record (e.g. add its PV number) by an addendum."""
    report = (Report.objects.select_for_update(of=("self",)).select_related("case")
              .filter(pk=report_id).first())
    if report is None:
        raise Http404
    access = owner_case_access(actor=actor, case_id=report.case_id)
    if not may_amend_report(access, report):
        raise Http404
    unknown = set(changes) - set(REPORT_FIELDS)
    if unknown:
        raise TypeError(f"fields an addendum does not change: {sorted(unknown)}")
    reason = reason.strip()
    errors = _reason_errors(reason)
    diffs = []
    for name in REPORT_FIELDS:
        if name not in changes:
            continue
        before, after = stored(getattr(report, name)), stored(changes[name])
        if before != after:
            diffs.append({"field": name, "before": before, "after": after})
            setattr(report, name, changes[name])
    if not diffs:
        errors.setdefault("__all__", []).append(_("Nothing differs from the record: change "
                                                  "at least one field."))
    if report.pv_number and not report.is_official:
        errors.setdefault("pv_number", []).append(
            _("Only an official report has an official report number."))
    try:
        report.full_clean(exclude=["case", "agency", "officer", "unit", "victim",
                                   "perpetrator", "forwarded_to"])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    report.save(update_fields=[diff["field"] for diff in diffs])
    audit_record(actor=actor, action=Action.UPDATE, target=report, case_id=report.case_id,
                 scopes=[Scope.JUDICIAL], basis="corrected by an addendum")
    return _keep(actor=actor, case=report.case, kind="report_amended", scope=Scope.JUDICIAL,
                 reason=reason, changes=diffs, report=report)


@transaction.atomic
def assessment_amend(*, actor: Actor, assessment_id: int, reason: str,
                     answers: dict[str, str], final_level: str = "",
                     justification: str = "") -> Addendum:
    """Correct the answers or the final level of a saved assessment by an addendum.

    The assessment is scored again with its own instrument version. ``final_level`` "" means
    the computed level; another level needs a justification, and a lower one waits again for a
    second person's confirmation. When the level in force changes, the follow-up rules run
    again (the ``risk_assessed`` hook: the case's open tasks follow the new level).
    """
    assessment = (RiskAssessment.objects.select_for_update(of=("self",))
                  .select_related("case").filter(pk=assessment_id).first())
    if assessment is None:
        raise Http404
    access = case_access(actor=actor, case_id=assessment.case_id)
    try:
        instrument = instrument_get(assessment.instrument_code, assessment.instrument_version)
    except KeyError as error:
        raise Http404 from error
    if not may_amend_assessment(access, assessment, instrument):
        raise Http404
    reason = reason.strip()
    justification = justification.strip()
    merged = {item.code: answers.get(item.code, assessment.answers.get(item.code, ""))
              for item in instrument.items}
    errors = {**_reason_errors(reason), **answers_errors(instrument, merged)}
    if final_level and final_level not in {level.code for level in instrument.levels}:
        errors["final_level"] = [_("Choose one of the instrument's levels.")]
    if errors:
        raise ValidationError(errors)
    evaluation = instrument.evaluate(merged)
    final = final_level or evaluation.level
    if final != evaluation.level and not justification:
        raise ValidationError({"justification": [
            _("You chose a level other than the computed one: say why.")]})

    diffs = [{"field": ANSWER_PREFIX + code, "before": assessment.answers.get(code, ""),
              "after": merged[code]}
             for code in merged if merged[code] != assessment.answers.get(code, "")]
    for name, after in (("computed_level", evaluation.level), ("final_level", final),
                        ("justification", justification)):
        if getattr(assessment, name) != after:
            diffs.append({"field": name, "before": getattr(assessment, name), "after": after})
    if not diffs:
        raise ValidationError({"__all__": [_("Nothing differs from the assessment: change at "
                                             "least one answer or the level.")]})

    level_before = assessment.level_in_force
    was_waiting = assessment.awaiting_confirmation
    lowered = instrument.rank(final) < instrument.rank(evaluation.level)
    levels_changed = (assessment.computed_level, assessment.final_level) != (evaluation.level,
                                                                            final)
    assessment.answers = merged
    assessment.score, assessment.max_score = evaluation.score, evaluation.max_score
    assessment.critical_signals = list(evaluation.critical)
    assessment.unknown_items = list(evaluation.unknown)
    assessment.computed_level, assessment.final_level = evaluation.level, final
    assessment.justification, assessment.lowered = justification, lowered
    if not lowered or levels_changed:
        assessment.confirmed_by, assessment.confirmed_at = None, None
    assessment.next_reassessment = next_reassessment(
        instrument, assessment.level_in_force, assessment.assessed_at)
    assessment.save()
    known = set(assessment.recommended_actions.values_list("code", flat=True))
    RecommendedAction.objects.bulk_create(
        RecommendedAction(assessment=assessment, code=code,
                          reasons=[reason.as_data() for reason in reasons])
        for code, reasons in evaluation.actions.items() if code not in known)
    audit_record(actor=actor, action=Action.UPDATE, target=assessment,
                 case_id=assessment.case_id, scopes=[assessment.scope],
                 basis="corrected by an addendum")
    addendum = _keep(actor=actor, case=assessment.case, kind="assessment_amended",
                     scope=assessment.scope, reason=reason, changes=diffs,
                     assessment=assessment)
    if assessment.awaiting_confirmation and not was_waiting:
        notice_send(actor=actor, agency=actor.agency, for_role=Role.IPV_REFERENCE_OFFICER,
                    case=access.case, kind=NoticeKind.RISK_LOWERED, source=assessment)
    if assessment.level_in_force != level_before or levels_changed:
        # The follow-up rules run again, as after a new assessment (relais.followup).
        hooks.run("risk_assessed", actor=actor, assessment=assessment)
    return addendum
