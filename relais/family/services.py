"""Writes of the family proceedings: recording a court's decision, ending it, opening a case to
a court, and the notices between the criminal side and the family or youth court.

Each write is atomic, checks access through ``relais.access.courts`` and writes its audit
event in the same transaction. The notices to the other side are sent after the answer
(``transaction.on_commit``): a failure there never undoes the decision.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from relais.access import courts as policy
from relais.access.models import Share
from relais.access.scopes import Scope
from relais.access.services import judicial_mandate_share
from relais.accounts.models import Agency
from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.cases.models import Case
from relais.cases.timeline import timeline_add
from relais.core.actor import Actor
from relais.core.texts import choice
from relais.family.models import FamilyProceeding, LinkNotice, LinkNoticeCode, ProceedingKind
from relais.notifications.models import NoticeKind
from relais.notifications.services import notice_send

CRIMINAL_MEASURE_CODES = {"residence_ban": LinkNoticeCode.BAN_ORDERED,
                          "no_contact": LinkNoticeCode.NO_CONTACT_ORDERED}


def _court_of(actor: Actor, court_id: int | None, belgica_court: str,
              errors: dict[str, list[str]]) -> Agency | None:
    """The court of the decision: a court using Relais (the actor's own by default), or none
    when a belgica id names one that does not."""
    if belgica_court.strip():
        return None
    if court_id is None:
        return actor.agency
    court = policy.court_agencies().filter(pk=court_id).first()
    if court is None:
        errors["court"] = [_("Choose a family or youth court.")]
    return court


@transaction.atomic
def proceeding_record(*, actor: Actor, case_id: int, kind: str, decided_on: date | None,
                      starts_on: date | None, ends_on: date | None = None,
                      court_id: int | None = None, belgica_court: str = "") -> FamilyProceeding:
    """A family or youth court records its decision about the family of a case.

    The prosecutor's offices that see the case and the owning police zone are told, after the
    answer, what was decided (never where anyone lives).
    """
    access = policy.record_access(actor=actor, case_id=case_id)
    errors: dict[str, list[str]] = {}
    if kind not in ProceedingKind.values:
        errors["kind"] = [_("Choose what the court decided.")]
    court = _court_of(actor, court_id, belgica_court, errors)
    if decided_on is None:
        errors["decided_on"] = [_("Give the day of the decision.")]
    starts_on = starts_on or decided_on
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = [_("The end comes after the start.")]
    if errors:
        raise ValidationError(errors)
    proceeding = FamilyProceeding(
        case=access.case, kind=kind, court=court, belgica_court=belgica_court.strip(),
        decided_on=decided_on, starts_on=starts_on, ends_on=ends_on, recorded_by=actor.user,
        recorded_by_agency=actor.agency)
    proceeding.full_clean()
    proceeding.save()
    timeline_add(case=access.case, kind="family_decision", agency_id=actor.agency_id,
                 scope=Scope.JUDICIAL, source=proceeding,
                 text=choice("family.proceeding_kind", kind))
    audit_record(actor=actor, action=Action.CREATE, target=proceeding, case_id=access.case.pk,
                 scopes=[Scope.JUDICIAL], basis=f"family proceeding recorded: {kind}")
    _notify_after_answer(actor=actor, case=access.case,
                         recipients=policy.criminal_recipients(access.case),
                         code=LinkNoticeCode.COURT_DECISION, kind=NoticeKind.FAMILY_COURT_DECISION,
                         params=_decision_params(proceeding))
    return proceeding


@transaction.atomic
def proceeding_end(*, actor: Actor, proceeding_id: int, ends_on: date | None) -> FamilyProceeding:
    """The court that recorded a decision ends it (a later decision replaces it)."""
    proceeding = FamilyProceeding.objects.select_for_update().filter(pk=proceeding_id).first()
    if proceeding is None:
        raise Http404
    policy.record_access(actor=actor, case_id=proceeding.case_id)
    if not policy.may_change(actor, proceeding):
        raise Http404
    ends_on = ends_on or timezone.localdate()
    if ends_on < proceeding.starts_on:
        raise ValidationError({"ends_on": [_("The end comes after the start.")]})
    proceeding.ends_on = ends_on
    proceeding.full_clean()
    proceeding.save(update_fields=["ends_on"])
    audit_record(actor=actor, action=Action.UPDATE, target=proceeding, case_id=proceeding.case_id,
                 scopes=[Scope.JUDICIAL], basis="family proceeding ended")
    return proceeding


@transaction.atomic
def case_open_to_court(*, actor: Actor, case_id: int, court_id: int) -> Share:
    """The prosecutor's office or the owning police zone opens a case to a family or youth
    court: a judicial share of the judicial part only (``access.courts.COURT_SCOPES``)."""
    access = policy.proceedings_access(actor=actor, case_id=case_id)
    if not policy.may_open_to_court(access):
        raise Http404
    court = policy.court_agencies().filter(pk=court_id).first()
    if court is None:
        raise ValidationError({"court": [_("Choose a family or youth court.")]})
    share = judicial_mandate_share(actor=actor, case_id=case_id, recipient=court,
                                   scopes=sorted(policy.COURT_SCOPES),
                                   purpose="family proceedings (family or youth court)")
    timeline_add(case=access.case, kind="family_court_opened", agency_id=actor.agency_id,
                 scope=Scope.JUDICIAL, source=share, summary=court.name)
    return share


def criminal_measure_notify(*, actor: Actor, case: Case, measure: str, starts_on: date,
                            ends_on: date | None = None) -> None:
    """Hook ``criminal_measure_ordered``: a residence ban or a no-contact order of the criminal
    side is told to the courts seized of the same family, after the answer."""
    code = CRIMINAL_MEASURE_CODES.get(measure)
    if code is None:
        return
    recipients = [(court, policy.COURT_NOTICE_ROLE) for court in policy.seized_courts(case)]
    _notify_after_answer(actor=actor, case=case, recipients=recipients, code=code,
                         kind=NoticeKind.CRIMINAL_MEASURE,
                         params={"by": actor.agency.name if actor.agency else "",
                                 "starts_on": starts_on.isoformat(),
                                 "ends_on": ends_on.isoformat() if ends_on else ""})


def _decision_params(proceeding: FamilyProceeding) -> dict[str, str]:
    """What was decided, by whom and when: never a person's whereabouts."""
    return {"decision": proceeding.kind, "court": proceeding.court_name,
            "decided_on": proceeding.decided_on.isoformat(),
            "starts_on": proceeding.starts_on.isoformat(),
            "ends_on": proceeding.ends_on.isoformat() if proceeding.ends_on else ""}


def _notify_after_answer(*, actor: Actor, case: Case, recipients: list[tuple[Agency, str]],
                         code: str, kind: str, params: dict[str, str]) -> None:
    if not recipients:
        return
    sender_id = actor.agency_id
    transaction.on_commit(lambda: link_notices_send(
        actor=actor, case_id=case.pk, recipients=recipients, code=code, kind=kind,
        params=params, sender_id=sender_id))


@transaction.atomic
def link_notices_send(*, actor: Actor, case_id: int, recipients: list[tuple[Agency, str]],
                      code: str, kind: str, params: dict[str, str],
                      sender_id: int) -> list[LinkNotice]:
    """Write the link notices and tell each recipient's team (run after the answer)."""
    case = Case.objects.get(pk=case_id)
    sent = []
    for agency, role in recipients:
        link = LinkNotice.objects.create(case=case, agency=agency, code=code, params=params,
                                         sent_by_agency_id=sender_id)
        audit_record(actor=actor, action=Action.CREATE, target=link, case_id=case.pk,
                     scopes=[Scope.JUDICIAL], basis="notice between criminal and family justice")
        notice_send(actor=actor, agency=agency, for_role=role, case=case, kind=kind, source=link)
        sent.append(link)
    return sent
