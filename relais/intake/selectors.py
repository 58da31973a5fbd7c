"""Reads of police records (judicial narrative scope), and what the documents may show."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from relais.access.cases import CaseAccess, case_access
from relais.access.scopes import Scope
from relais.accounts.models import UnitKind, municipality_name
from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.core.actor import Actor
from relais.intake.models import NARRATIVE_FIELDS, Report
from relais.intake.wording import Flag, wording_check


@dataclass(frozen=True)
class ReportView:
    report: Report
    access: CaseAccess
    language: str

    @property
    def place(self) -> str:
        name = municipality_name(self.report.municipality, self.language)
        return f"{self.report.postcode} {name}"

    @property
    def wording(self) -> list[tuple[str, list[Flag]]]:
        """Passages to reword, per narrative field (label, flags)."""
        rows = []
        for name in NARRATIVE_FIELDS:
            flags = wording_check(getattr(self.report, name), language=self.language)
            if flags:
                rows.append((Report._meta.get_field(name).verbose_name, flags))
        return rows

    @property
    def victim_assistance_phone(self) -> str:
        """The zone's victim-assistance number, printed on the flyer."""
        unit = self.report.agency.units.filter(kind=UnitKind.VICTIM_ASSISTANCE).exclude(
            phone="").first()
        return unit.phone if unit else ""

    @property
    def can_forward(self) -> bool:
        r = self.report
        return r.is_official and not r.forwarded_to_id and self.access.is_owner


def report_get(*, actor: Actor, report_id: int, language: str, purpose: str = "") -> ReportView:
    """One record, for those who see the judicial narrative of its case (else 404); audited.

    ``purpose`` names a document printed from it, written in the audit event.
    """
    report = (Report.objects.select_related("case", "agency", "officer", "unit", "victim",
                                            "perpetrator", "forwarded_to")
              .filter(pk=report_id).first())
    if report is None:
        raise Http404
    access = case_access(actor=actor, case_id=report.case_id)
    if Scope.JUDICIAL not in access.timeline_scopes:
        raise Http404
    basis = access.basis + (f"; {purpose}" if purpose else "")
    audit_record(actor=actor, action=Action.READ, target=report, case_id=report.case_id,
                 scopes=[Scope.JUDICIAL], basis=basis)
    return ReportView(report=report, access=access, language=language)


def case_report_rows(*, access: CaseAccess) -> QuerySet[Report] | None:
    """The records of a case, if the reader sees the judicial narrative; None otherwise."""
    if Scope.JUDICIAL not in access.timeline_scopes:
        return None
    return Report.objects.filter(case=access.case)


def case_reports(*, access: CaseAccess) -> list[Report]:
    """The records of a case, newest first, if the reader sees the judicial narrative (part of
    the case read, which the caller audits)."""
    rows = case_report_rows(access=access)
    if rows is None:
        return []
    return list(rows.select_related("officer", "forwarded_to"))
