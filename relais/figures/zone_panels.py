"""The zone's follow-up on the dashboard, from the selectors that own them (each checks its own
policy and audits its read): the roadmap's indicator 2 (time to the first victim-assistance
contact, relais.followup), indicator 3 (reports of a household consolidated in one file,
relais.linkage) and the victims' anonymous feedback (relais.feedback). A selector that refuses
the reader gives no panel. The follow-up and the linkage leave out the reports naming a person
who declined to be counted (relais.access.figures.refused_q) and count them apart; each table
says how many (``left_out``).
"""

from __future__ import annotations

from datetime import date

from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from relais.core.actor import Actor
from relais.feedback.selectors import feedback_results
from relais.figures.count_tables import relais_source
from relais.figures.rules import round_half_away, share_pct, small_cell_threshold
from relais.figures.tables import Column, Panel, Table, left_out
from relais.followup.selectors import first_contact_indicator
from relais.linkage.family import consolidation_rate


def _small(count: int) -> bool:
    return 0 < count < small_cell_threshold()


def first_contact_panel(*, actor: Actor) -> Panel | None:
    try:
        indicator = first_contact_indicator(actor=actor)
    except Http404:
        return None
    rows = []
    for month in indicator.months:
        hidden = _small(month.reports)
        share = month.share_within_target
        rows.append((month.month.strftime("%Y-%m"), None if hidden else month.reports,
                     None if hidden else month.contacted,
                     None if hidden or month.median_hours is None
                     else round_half_away(month.median_hours),
                     None if hidden or share is None else round_half_away(share * 100)))
    return Panel(table=left_out(Table(
        key="indicator-2", title=_("Time from the report to the first victim-assistance "
                                   "contact (indicator 2)"),
        columns=(Column("month", _("Month"), numeric=False), Column("reports", _("Reports")),
                 Column("contacted", _("Contacted")),
                 Column("median_hours", _("Median time (hours)")),
                 Column("within_target_pct", _("Within %(hours)s hours (%%)")
                        % {"hours": indicator.target_hours})),
        rows=tuple(rows), reference_date=_("by date of recording"),
        n=sum(m.reports for m in indicator.months), n_label=_("reports"),
        notes=(_("A month with fewer than %(n)s reports is hidden.")
               % {"n": small_cell_threshold()},), source=relais_source()), indicator.left_out))


def consolidation_panel(*, actor: Actor, start: date, end: date) -> Panel | None:
    try:
        months = consolidation_rate(actor=actor, zone_id=actor.agency_id, start=start, end=end)
    except Http404:
        return None
    # A month whose reports were all left out has no row: its row would tell that someone
    # declined.
    rows = tuple((m.month.strftime("%Y-%m"), None if _small(m.repeat_reports) else m.repeat_reports,
                  None if _small(m.repeat_reports) else m.consolidated,
                  None if _small(m.repeat_reports) else share_pct(m.consolidated,
                                                                  m.repeat_reports))
                 for m in months if m.repeat_reports)
    return Panel(table=left_out(Table(
        key="indicator-3", title=_("Reports of the same household in one file (indicator 3)"),
        columns=(Column("month", _("Month"), numeric=False),
                 Column("repeat_reports", _("Reports of a household already known")),
                 Column("consolidated", _("In the file of an earlier report")),
                 Column("consolidated_pct", _("Consolidated (%)"))),
        rows=rows, reference_date=_("by date of recording"),
        n=sum(m.repeat_reports for m in months), n_label=_("reports"),
        notes=(_("A month with fewer than %(n)s reports is hidden.")
               % {"n": small_cell_threshold()},), source=relais_source()),
        sum(m.left_out for m in months)))


def feedback_panels(*, actor: Actor) -> list[Panel]:
    try:
        results = feedback_results(actor=actor, months=12, language=(get_language() or "fr")[:2])
    except Http404:
        return []
    panels = []
    for index, question in enumerate(results.questions, start=1):
        rows = tuple((answer.label, answer.count, answer.share) for answer in question.counts)
        panels.append(Panel(table=Table(
            key=f"feedback-{index}", title=question.text,
            columns=(Column("answer", _("Answer"), numeric=False), Column("count", _("Answers")),
                     Column("share_pct", _("Share (%)"))),
            rows=rows, reference_date=_("by week of the answer"), n=question.answered,
            n_label=_("answers"),
            notes=(_("Anonymous answers of the victims over the last twelve months; fewer than "
                     "five answers to a question show nothing."),),
            source=_("Victims' feedback form"))))
    return panels
