"""Named hooks: a later part of Relais asks to be told when an earlier part did something.

The earlier part calls ``run("case_closed", actor=..., case=...)`` inside its service's
transaction; a later app registers a function in its ``AppConfig.ready``. Explicit calls, not
signals: reading ``case_close`` shows that something else happens there, and where.

Hooks in use:
- ``report_recorded(actor, report)``: the follow-up plans the victim's contacts;
- ``case_closed(actor, case)``: the follow-up cancels the case's open tasks; the case leaves
  every multi-agency consultation (relais.consultation: its plans close, their shares end);
- ``risk_assessed(actor, assessment)``: the follow-up re-prioritises the case's open tasks
  (also run when an addendum changes an assessment's levels, relais.amendments);
- ``report_forwarded(actor, report)``: an official report reached a prosecutor's office (its
  tracking table, relais.justice, enters it once);
- ``cases_merged(actor, merge)``: a prosecutor's office regrouped case ``merge.source`` into
  ``merge.target`` (relais.justice.merge); every row with a foreign key to the source case has
  already moved (``merge.moved``), so a listener needs it only for data it keys otherwise;
- ``person_recorded(actor, person_id)`` / ``person_changed(actor, person_id)``: a person was
  added to a case, or her identity, phones or a non-confidential address changed; the linkage
  (relais.linkage) re-files her blocking keys and records the likely links;
- ``cases_unmerged(actor, merge)``: that merge was undone; the rows in ``merge.moved`` are back
  on the source case.
- ``task_closed(actor, task)``: a follow-up task was closed (done, not done, blocked) or
  cancelled; a consultation action reports its outcome back to its plan (relais.consultation).
- ``criminal_measure_ordered(actor, case, measure, starts_on, ends_on)``: the criminal side
  ordered a residence ban (relais.measures) or no contact (relais.justice); the family or youth
  courts seized of the family are told after the answer (relais.family).
- ``case_transferred(actor, transfer)``: ``transfer.case`` now belongs to ``transfer.to_agency``
  (relais.transfers); ``case_closed`` also cancels a pending transfer (relais.transfers).
- ``capacity_updated(actor, service)``: a service's staff updated its capacity and status
  (relais.directory); crisis mode keeps it as that day's confirmation (relais.crisis).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

HOOKS: dict[str, list[Callable[..., Any]]] = {}


def register(name: str, function: Callable[..., Any]) -> None:
    functions = HOOKS.setdefault(name, [])
    if function not in functions:
        functions.append(function)


def run(name: str, **arguments: Any) -> None:
    for function in HOOKS.get(name, ()):
        function(**arguments)
