"""Consent to reporting: a person's refusal to be counted in figures beyond what the law requires
(issue 20 §6, docs/figures.md "Consent to reporting").

- ``refusal_record`` and ``refusal_withdraw`` are the writes (atomic, audited, policy
  ``relais.access.figures.may_record_refusal``: who may edit the person in a case she holds).
  Each marks the precomputed counts stale, so the next ``figures_refresh --if-older`` applies
  the change at once.
- Whose records are left out is one read in the policy, ``relais.access.figures.
  refused_persons`` (and ``refused_q``, ``refused_cases``), which every counter calls, those
  of the follow-up, the linkage and the consultation too; ``relais.figures.tables.left_out``
  attaches to a table what it left out (or that a law requires it to count her), from
  ``relais.figures.legal_basis``.
- ``case_panel`` is the case page's section "Counted in figures", one line per person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from relais.access.cases import CaseAccess, case_access
from relais.access.figures import may_record_refusal
from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.cases.models import CaseParticipant
from relais.core.actor import Actor
from relais.figures.models import Refresh, ReportingRefusal

REFRESH_NAME = "counts"  # relais.figures.aggregates.NAME (aggregates imports this module)


# --- Writes -----------------------------------------------------------------------------------

def _mark_stale() -> None:
    Refresh.objects.filter(name=REFRESH_NAME).update(stale=True)


def _participant(access: CaseAccess, person_id: int) -> CaseParticipant:
    participant = (CaseParticipant.objects.filter(case=access.case, person_id=person_id)
                   .select_related("person").first())
    if participant is None:
        raise Http404
    return participant


def _check_day(day: date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})


@transaction.atomic
def refusal_record(*, actor: Actor, case_id: int, person_id: int,
                   declined_on: date) -> ReportingRefusal:
    """Record that a person of the case declines to be counted in figures beyond what the law
    requires, from ``declined_on``."""
    access = case_access(actor=actor, case_id=case_id)
    if not may_record_refusal(access):
        raise Http404
    participant = _participant(access, person_id)
    _check_day(declined_on, "declined_on")
    if ReportingRefusal.objects.select_for_update().filter(
            person_id=participant.person_id, withdrawn_on__isnull=True).exists():
        raise ValidationError(_("Her refusal is already recorded."))
    refusal = ReportingRefusal(person_id=participant.person_id, declined_on=declined_on,
                               recorded_by=actor.user, recorded_by_agency=actor.agency)
    refusal.full_clean()
    refusal.save()
    audit_record(actor=actor, action=Action.CREATE, target=refusal, case_id=access.case.pk,
                 basis=f"{access.basis}; refusal to be counted in figures")
    _mark_stale()
    return refusal


@transaction.atomic
def refusal_withdraw(*, actor: Actor, case_id: int, refusal_id: int,
                     withdrawn_on: date) -> ReportingRefusal:
    """She changed her mind: from ``withdrawn_on`` her records count again."""
    access = case_access(actor=actor, case_id=case_id)
    if not may_record_refusal(access):
        raise Http404
    refusal = (ReportingRefusal.objects.select_for_update()
               .filter(pk=refusal_id, withdrawn_on__isnull=True,
                       person__participations__case=access.case).first())
    if refusal is None:
        raise Http404
    _check_day(withdrawn_on, "withdrawn_on")
    if withdrawn_on < refusal.declined_on:
        raise ValidationError({"withdrawn_on": _("The withdrawal cannot come before the "
                                                 "refusal.")})
    refusal.withdrawn_on = withdrawn_on
    refusal.withdrawn_by = actor.user
    refusal.withdrawn_at = timezone.now()
    refusal.full_clean()
    refusal.save(update_fields=["withdrawn_on", "withdrawn_by", "withdrawn_at"])
    audit_record(actor=actor, action=Action.UPDATE, target=refusal, case_id=access.case.pk,
                 basis=f"{access.basis}; refusal to be counted withdrawn")
    _mark_stale()
    return refusal


# --- Reads for the forms --------------------------------------------------------------------

def refusal_choices(*, actor: Actor, case_id: int) -> tuple[CaseAccess, list[CaseParticipant]]:
    """The persons of the case whose refusal the actor may record (404 if she may not)."""
    access = case_access(actor=actor, case_id=case_id)
    if not may_record_refusal(access):
        raise Http404
    participants = list(CaseParticipant.objects.filter(case=access.case)
                        .select_related("person").order_by("pk"))
    if not participants:
        raise Http404
    return access, participants


def refusal_to_withdraw(*, actor: Actor, case_id: int,
                        refusal_id: int) -> tuple[CaseAccess, ReportingRefusal]:
    """A refusal in force of a person of the case, that the actor may withdraw (else 404)."""
    access = case_access(actor=actor, case_id=case_id)
    if not may_record_refusal(access):
        raise Http404
    refusal = (ReportingRefusal.objects.select_related("person")
               .filter(pk=refusal_id, withdrawn_on__isnull=True,
                       person__participations__case=access.case).first())
    if refusal is None:
        raise Http404
    return access, refusal


# --- The case page's section --------------------------------------------------------------------

@dataclass(frozen=True)
class PersonLine:
    participant: CaseParticipant
    refusal: ReportingRefusal | None  # in force
    last_withdrawn: ReportingRefusal | None  # the latest withdrawn one, when none is in force


def case_panel_rows(access: CaseAccess) -> dict[str, QuerySet]:
    return {"refusals": ReportingRefusal.objects.filter(
        person__participations__case=access.case)}


def _lines(access: CaseAccess, found: frozenset[str]) -> list[PersonLine]:
    """The persons of the case with their refusals: two queries at most."""
    participants = list(CaseParticipant.objects.filter(case=access.case)
                        .select_related("person").order_by("pk"))
    refusals: dict[int, list[ReportingRefusal]] = {}
    if "refusals" in found:
        for refusal in (ReportingRefusal.objects
                        .filter(person_id__in=[p.person_id for p in participants])
                        .order_by("-declined_on", "-pk")):
            refusals.setdefault(refusal.person_id, []).append(refusal)
    lines = []
    for participant in participants:
        own = refusals.get(participant.person_id, [])
        in_force = next((r for r in own if r.in_force), None)
        withdrawn = None if in_force else next((r for r in own if not r.in_force), None)
        lines.append(PersonLine(participant=participant, refusal=in_force,
                                last_withdrawn=withdrawn))
    return lines


def case_panel(access: CaseAccess, found: frozenset[str]) -> dict[str, Any] | None:
    """One line per person of the case: whether she declined to be counted, since when, and
    for whoever may record it the links to the forms. Part of the audited case read. The lines
    are read when the section is drawn (a callable the template calls), so that listing the
    section on the case page reads no row."""
    may_record = may_record_refusal(access)
    if not found and not may_record:
        return None
    return {"case": access.case, "lines": partial(_lines, access, found),
            "may_record": may_record}
