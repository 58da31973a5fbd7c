"""The prosecution tracking table's columns: the screen's table head and its export
(relais.core.exports) read this one list, so both hold the same columns."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from relais.core.exports import Column
from relais.justice.selectors import Row


def _report(row: Row) -> str:
    report = row.entry.report
    received = timezone.localtime(row.entry.received_at).date().isoformat()
    return " · ".join(part for part in (
        report.pv_number or _("Official report"), _("received %(date)s") % {"date": received},
        report.agency.name) if part)


def _case(row: Row) -> str:
    reference = row.entry.report.case.reference
    if getattr(row.entry, "family_proceedings", False):
        return f"{reference} ({_('family court')})"
    return reference


def _persons(row: Row) -> str:
    report = row.entry.report
    if report.perpetrator is None:
        return str(report.victim or "")
    return f"{report.victim or ''}; {_('alleged perpetrator:')} {report.perpetrator}"


def _reader(row: Row) -> str:
    return row.entry.reader.get_full_name() if row.entry.reader else _("nobody yet")


def _decision(row: Row) -> str:
    entry = row.entry
    if not entry.is_decided:
        return _("to decide")
    labels = entry.measure_labels()
    return entry.get_decision_display() + (f": {', '.join(labels)}" if labels else "")


TABLE_COLUMNS: list[Column[Row]] = [
    Column("due", gettext_lazy("Decision due"), lambda row: row.entry.due_on),
    Column("report", gettext_lazy("Report"), _report),
    Column("case", gettext_lazy("Case"), _case),
    Column("persons", gettext_lazy("Persons"), _persons),
    Column("section", gettext_lazy("Section"),
           lambda row: row.entry.section.name if row.entry.section else ""),
    Column("reader", gettext_lazy("Reader"), _reader),
    Column("decision", gettext_lazy("Decision"), _decision),
]
