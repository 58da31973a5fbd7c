"""Building prosecution situations with the real services."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from relais.cases import services as case_services
from relais.cases.models import Case, ParticipantRole
from relais.conftest import Cast, actor
from relais.core.synthetic import fictitious_national_number
from relais.followup.tests.factories import record_report
from relais.intake import services as intake_services
from relais.intake.examples import report_arguments
from relais.intake.models import Report
from relais.justice import services
from relais.justice.models import Entry, Section

__all__ = ["record_report", "entry_of", "family_section", "second_case", "make_overdue",
           "report_on"]


def entry_of(report: Report) -> Entry:
    return Entry.objects.select_related("section", "reader").get(report=report)


def family_section(cast: Cast, *, days: int = 30, readers: list | None = None,
                   municipalities: list[str] | None = None,
                   name: str = "Family and youth section") -> Section:
    """A section of the cast's office, set up by its magistrate."""
    return services.section_save(
        actor=actor(cast.magistrate), name=name, decision_days=days,
        municipalities=municipalities or [],
        reader_ids=[u.pk for u in (readers if readers is not None else [cast.legal_advisor])])


def make_overdue(entry: Entry, *, days: int) -> Entry:
    """Shift an entry back in time: it arrived earlier, its decision was due ``days`` ago."""
    due_on = timezone.localdate() - timedelta(days=days)
    received_at = timezone.now() - timedelta(days=days + entry.section.decision_days)
    Entry.objects.filter(pk=entry.pk).update(due_on=due_on, received_at=received_at)
    entry.refresh_from_db()
    return entry


def second_case(cast: Cast, *, same_victim: bool = True, municipality: str = "21009") -> Case:
    """Another case of zone A about the same couple (the victim recorded again, with the same
    national number) — or about strangers."""
    officer = actor(cast.officer_a)
    case = case_services.case_open(actor=officer, situation="couple", municipality=municipality)
    if same_victim:
        case_services.person_add_to_case(
            actor=officer, case_id=case.pk, role=ParticipantRole.VICTIM, first_name="Alice",
            last_name="Exemple", birth_date=date(1988, 3, 14), sex="F",
            national_number=fictitious_national_number(date(1988, 3, 14), 2))
    else:
        case_services.person_add_to_case(
            actor=officer, case_id=case.pk, role=ParticipantRole.VICTIM, first_name="Zoé",
            last_name="Autre", birth_date=date(1990, 1, 1), sex="F")
    case_services.person_add_to_case(
        actor=officer, case_id=case.pk, role=ParticipantRole.ALLEGED_PERPETRATOR,
        first_name="Bruno", last_name="Fictif")
    return case


def report_on(cast: Cast, case: Case, **overrides: Any) -> Report:
    """An official report by zone A's officer on ``case`` (its victim is the first person)."""
    victim = case.participants.filter(role=ParticipantRole.VICTIM).first().person_id
    return intake_services.report_record(
        actor=actor(cast.officer_a), case_id=case.pk,
        **report_arguments(victim_id=victim, **overrides))
