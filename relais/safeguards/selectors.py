"""Reading the safeguards: the case page's panel (the residence deadline and its documents,
the hospital alerts) and the choices of the forms. Reading an alert is audited here; the rest
of the panel is part of the audited case read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language

from relais.access.cases import CaseAccess, case_access
from relais.access.safeguards import (
    hospital_alerts_visible,
    may_end_hospital_alert,
    may_record_residence,
    may_set_hospital_alert,
    reads_residence,
)
from relais.access.scopes import Scope
from relais.audit.models import Action
from relais.audit.services import audit_record_each
from relais.cases.models import CaseParticipant, CaseStatus, ParticipantRole
from relais.core.actor import Actor
from relais.followup.rules import local_day
from relais.safeguards.models import HospitalAlert, ResidenceSituation
from relais.safeguards.rules import Fact, residence_rules

SOON_DAYS = 7  # the deadline shows as close this many days before


@dataclass(frozen=True)
class ResidenceLine:
    situation: ResidenceSituation
    days_left: int
    risk: str  # "overdue", "soon" or "open"
    legal_basis: str
    facts: tuple[tuple[Fact, str], ...]  # (fact, its text in the reader's language)
    documents: tuple[tuple[Fact, str], ...]
    help_url: str  # the referral screen, with the family-reunification flag

    @property
    def days_late(self) -> int:
        return -self.days_left


def _victims(access: CaseAccess) -> list[CaseParticipant]:
    return list(CaseParticipant.objects.filter(case=access.case, role=ParticipantRole.VICTIM)
                .select_related("person").order_by("pk"))


def _health_open(access: CaseAccess) -> bool:
    return Scope.HEALTH in access.scopes or any(
        Scope.HEALTH in scopes for scopes in access.person_only.values())


def case_panel_rows(access: CaseAccess) -> dict[str, QuerySet]:
    rows: dict[str, QuerySet] = {"alerts": hospital_alerts_visible(access)}
    if _health_open(access):
        rows["residence"] = ResidenceSituation.objects.filter(case=access.case)
    return rows


def _residence_line(access: CaseAccess, situation: ResidenceSituation, today: date,
                    language: str) -> ResidenceLine:
    rules = residence_rules()
    rule = rules.permits[situation.permit]
    days_left = (situation.apply_by - today).days
    risk = "overdue" if days_left < 0 else "soon" if days_left <= SOON_DAYS else "open"
    help_url = ""
    if access.is_owner:
        help_url = (reverse("referrals:find_help", args=[access.case.pk]) + "?"
                    + urlencode({"person": situation.person_id}))
    return ResidenceLine(
        situation=situation, days_left=days_left, risk=risk, legal_basis=rule.legal_basis,
        facts=tuple((fact, fact.label(language)) for fact in rule.facts),
        documents=tuple((fact, fact.label(language)) for fact in rules.documents),
        help_url=help_url)


def case_panel(access: CaseAccess, found: frozenset[str]) -> dict[str, Any] | None:
    """The "Safeguards" section: her residence deadline (readers of her health data) and the
    hospital alerts (their health service and the owning police zone; each read audited)."""
    today = local_day(timezone.now())
    language = get_language() or "en"
    lines: list[ResidenceLine] = []
    if "residence" in found:
        roles = {p.person_id: p.role for p in CaseParticipant.objects.filter(case=access.case)}
        situations = (ResidenceSituation.objects.filter(case=access.case)
                      .select_related("person").order_by("pk"))
        lines = [_residence_line(access, s, today, language) for s in situations
                 if reads_residence(access, role=roles.get(s.person_id, ""),
                                    person_id=s.person_id)]
    alerts: list[HospitalAlert] = []
    if "alerts" in found:
        alerts = list(hospital_alerts_visible(access).select_related("person", "agency"))
        audit_record_each(actor=access.actor, action=Action.READ, targets=alerts,
                          case_id=access.case.pk, basis=access.basis)
        for alert in alerts:
            alert.is_in_force = alert.in_force(today)
            alert.may_end = alert.ended_at is None and may_end_hospital_alert(access, alert)
    may_record = (_health_open(access) and access.case.status == CaseStatus.OPEN
                  and not access.withholds_from(ParticipantRole.VICTIM))
    may_alert = may_set_hospital_alert(access)
    if not (lines or alerts or may_record or may_alert):
        return None
    return {"case": access.case, "residence": lines, "alerts": alerts, "may_record": may_record,
            "may_alert": may_alert, "rules_version": residence_rules().version,
            "checked_on": residence_rules().checked_on}


def residence_choices(*, actor: Actor, case_id: int) -> tuple[CaseAccess, list]:
    """The victims of the case whose residence the actor may record (404 if none)."""
    access = case_access(actor=actor, case_id=case_id)
    victims = [p for p in _victims(access)
               if may_record_residence(access, role=p.role, person_id=p.person_id)]
    if not victims:
        raise Http404
    return access, victims


def residence_asked(access: CaseAccess, person_id: int | None) -> bool:
    """Whether the intake or a referral asks this reader about her residence: the person (or,
    when ``None``, any victim of the case) is a victim whose residence she may record."""
    victims = _victims(access)
    return any(may_record_residence(access, role=p.role, person_id=p.person_id)
               for p in victims if person_id is None or p.person_id == person_id)


def alert_choices(*, actor: Actor, case_id: int) -> tuple[CaseAccess, list]:
    """The victims of the case a health service may set an alert for (404 otherwise)."""
    access = case_access(actor=actor, case_id=case_id)
    if not may_set_hospital_alert(access):
        raise Http404
    victims = _victims(access)
    if not victims:
        raise Http404
    return access, victims


def alert_to_end(*, actor: Actor, alert_id: int) -> HospitalAlert:
    """An alert the actor's health service may end (404 for anyone else)."""
    alert = HospitalAlert.objects.filter(pk=alert_id).first()
    if alert is None:
        raise Http404
    access = case_access(actor=actor, case_id=alert.case_id)
    if not may_end_hospital_alert(access, alert):
        raise Http404
    return alert
