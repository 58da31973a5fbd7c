"""Reads of addenda, with each change rendered in the reader's language at read time.

Addenda are read with the record they correct (its reader, its audit event) or with the case
timeline (the entry's scope): they add no access rule of their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Model
from django.http import Http404
from django.utils import formats
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from relais.access.amendments import may_amend_assessment, may_amend_report
from relais.access.cases import CaseAccess, case_access, owner_case_access
from relais.access.scopes import Scope
from relais.amendments.models import Addendum
from relais.amendments.services import ANSWER_PREFIX
from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.core.actor import Actor
from relais.intake.models import Report
from relais.risk.instruments import Instrument, instrument_get
from relais.risk.models import RiskAssessment

ANSWERS = {"yes": gettext_lazy("Yes"), "no": gettext_lazy("No"),
           "unknown": gettext_lazy("Unknown")}


@dataclass(frozen=True)
class ChangeLine:
    field: str
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class AddendumView:
    addendum: Addendum
    lines: list[ChangeLine]

    @property
    def author(self) -> str:
        user = self.addendum.author
        return user.get_full_name() or user.username


def _shown(value: Any) -> str:
    if value in ("", None):
        return "—"
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    return str(value)


def _report_line(field: str, before: Any, after: Any) -> ChangeLine:
    model_field = Report._meta.get_field(field)
    choices = dict(model_field.choices or ())

    def show(value: Any) -> str:
        if value in choices:
            return str(choices[value])
        if isinstance(value, str) and model_field.get_internal_type() == "DateTimeField":
            parsed: datetime | None = parse_datetime(value)
            return formats.date_format(parsed, "DATETIME_FORMAT") if parsed else value
        if isinstance(value, str) and model_field.get_internal_type() == "DateField":
            day: date | None = parse_date(value)
            return formats.date_format(day, "DATE_FORMAT") if day else value
        return _shown(value)

    return ChangeLine(field=field, label=str(model_field.verbose_name).capitalize(),
                      before=show(before), after=show(after))


def _assessment_line(instrument: Instrument, field: str, before: Any,
                     after: Any) -> ChangeLine:
    language = get_language()
    if field.startswith(ANSWER_PREFIX):
        code = field.removeprefix(ANSWER_PREFIX)
        return ChangeLine(field=field, label=instrument.item(code).question_in(language),
                          before=str(ANSWERS.get(before, _shown(before))),
                          after=str(ANSWERS.get(after, _shown(after))))
    model_field = RiskAssessment._meta.get_field(field)
    if field in ("computed_level", "final_level"):
        def show(value: Any) -> str:
            return instrument.level(value).label_in(language) if value else "—"
    else:
        show = _shown
    return ChangeLine(field=field, label=str(model_field.verbose_name).capitalize(),
                      before=show(before), after=show(after))


def addendum_view(addendum: Addendum) -> AddendumView:
    if addendum.report_id is not None:
        lines = [_report_line(c["field"], c["before"], c["after"]) for c in addendum.changes]
    else:
        assessment = addendum.assessment
        instrument = instrument_get(assessment.instrument_code, assessment.instrument_version)
        lines = [_assessment_line(instrument, c["field"], c["before"], c["after"])
                 for c in addendum.changes]
    return AddendumView(addendum=addendum, lines=lines)


@dataclass(frozen=True)
class Corrections:
    """The addenda of one record, oldest first, and the fields they corrected."""

    addenda: list[AddendumView]

    @property
    def fields(self) -> set[str]:
        return {line.field for view in self.addenda for line in view.lines}

    def __contains__(self, field: str) -> bool:
        return field in self.fields


def corrections_of(record: Model) -> Corrections:
    """The addenda of a report or an assessment the caller has read (within its audit)."""
    key = "report" if isinstance(record, Report) else "assessment"
    rows = (Addendum.objects.filter(**{key: record}).select_related("author", "agency",
                                                                    "assessment"))
    return Corrections(addenda=[addendum_view(addendum) for addendum in rows])


def timeline_addenda(source_ids: list[str]) -> dict[str, AddendumView]:
    """The addenda behind timeline entries the reader sees (one query)."""
    ids = [int(i) for i in source_ids if i.isdigit()]
    rows = Addendum.objects.filter(pk__in=ids).select_related("author", "assessment")
    return {str(addendum.pk): addendum_view(addendum) for addendum in rows}


def report_to_amend(*, actor: Actor, report_id: int) -> Report:
    """A record the actor may correct, for the addendum form (else 404); audited."""
    report = Report.objects.select_related("case").filter(pk=report_id).first()
    if report is None:
        raise Http404
    access = owner_case_access(actor=actor, case_id=report.case_id)
    if not may_amend_report(access, report):
        raise Http404
    audit_record(actor=actor, action=Action.READ, target=report, case_id=report.case_id,
                 scopes=[Scope.JUDICIAL], basis="addendum form")
    return report


def assessment_to_amend(*, actor: Actor,
                        assessment_id: int) -> tuple[RiskAssessment, Instrument]:
    """An assessment the actor may correct, with its instrument version (else 404); audited."""
    assessment = (RiskAssessment.objects.select_related("case", "person")
                  .filter(pk=assessment_id).first())
    if assessment is None:
        raise Http404
    access = case_access(actor=actor, case_id=assessment.case_id)
    try:
        instrument = instrument_get(assessment.instrument_code, assessment.instrument_version)
    except KeyError as error:
        raise Http404 from error
    if not may_amend_assessment(access, assessment, instrument):
        raise Http404
    audit_record(actor=actor, action=Action.READ, target=assessment,
                 case_id=assessment.case_id, scopes=[assessment.scope], basis="addendum form")
    return assessment, instrument


def may_amend(*, access: CaseAccess, record: Model) -> bool:
    """Whether the reader of a record may correct it (the link on the record's page)."""
    if isinstance(record, Report):
        return may_amend_report(access, record) and access.can_edit
    try:
        instrument = instrument_get(record.instrument_code, record.instrument_version)
    except KeyError:
        return False
    return may_amend_assessment(access, record, instrument)
