"""Sections that later parts of Relais add to the case page (reports, risk, tasks...).

An app registers a panel in its ``AppConfig.ready``: a label (the collapsed section's title),
a template, a function that builds the template's context from the reader's ``CaseAccess``
(within the access policy; the read is audited by the case page and by the panel's own
address), and optionally the rows the panel reads.

The case page lists the panels collapsed (``panel_index``) and loads each one on demand
(``panel_render``, at ``cases:case_panel``).

``rows(access)`` names the querysets the panel would read for this reader (``{}``: none). The
page asks once, in a single query of ``EXISTS`` probes, which of all the panels' querysets have
rows; each panel's ``context(access, found)`` then reads only the querysets in ``found``. A case
with nothing to show costs one query for all the panels, and a panel with rows at most one
query per kind of row it lists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, QuerySet
from django.utils.functional import Promise

from relais.access.cases import CaseAccess
from relais.cases.models import Case

Rows = Callable[[CaseAccess], dict[str, QuerySet]]
Context = Callable[[CaseAccess, frozenset[str]], dict[str, Any] | None]


@dataclass(frozen=True)
class Panel:
    name: str
    order: int
    template: str
    context: Context
    rows: Rows
    label: str | Promise = ""


PANELS: dict[str, Panel] = {}


def no_rows(access: CaseAccess) -> dict[str, QuerySet]:
    return {}


def register_panel(name: str, *, order: int, template: str, context: Context,
                   rows: Rows = no_rows, label: str | Promise = "") -> None:
    PANELS[name] = Panel(name=name, order=order, template=template, context=context, rows=rows,
                         label=label or name)


def _found(access: CaseAccess, panels: list[Panel]) -> dict[str, frozenset[str]]:
    """Per panel, which of its querysets have rows: one query for all the panels."""
    probes = [(panel.name, key, qs) for panel in panels for key, qs in panel.rows(access).items()]
    found: dict[str, set[str]] = {panel.name: set() for panel in panels}
    if probes:
        answers = Case.objects.filter(pk=access.case.pk).values(
            **{f"p{n}": Exists(qs) for n, (_name, _key, qs) in enumerate(probes)}).get()
        for n, (name, key, _qs) in enumerate(probes):
            if answers[f"p{n}"]:
                found[name].add(key)
    return {name: frozenset(keys) for name, keys in found.items()}


def panels_for(access: CaseAccess) -> list[tuple[str, dict[str, Any]]]:
    """(template, context) of each panel the reader gets; a context of None hides the panel."""
    panels = sorted(PANELS.values(), key=lambda p: p.order)
    found = _found(access, panels)
    shown = []
    for panel in panels:
        context = panel.context(access, found[panel.name])
        if context is not None:
            shown.append((panel.template, context))
    return shown


@dataclass(frozen=True)
class PanelEntry:
    """A collapsed section of the case page: loaded when she opens it."""

    name: str
    label: str | Promise
    has_rows: bool  # something is recorded in it (not only an action offered)


def panel_index(access: CaseAccess) -> list[PanelEntry]:
    """The panels the reader gets, without reading their rows: one query of ``EXISTS`` probes
    for all of them; a panel without rows is listed only if it offers her something (its
    context, given no rows, is not None: that reads no row)."""
    panels = sorted(PANELS.values(), key=lambda p: p.order)
    found = _found(access, panels)
    entries = []
    for panel in panels:
        has_rows = bool(found[panel.name])
        if has_rows or panel.context(access, frozenset()) is not None:
            entries.append(PanelEntry(name=panel.name, label=panel.label, has_rows=has_rows))
    return entries


def panel_render(access: CaseAccess, name: str) -> tuple[str, dict[str, Any] | None]:
    """(template, context) of one panel for the reader (context None: nothing for her);
    KeyError for an unknown name. One probe query, then the panel's own reads."""
    panel = PANELS[name]
    found = _found(access, [panel])
    return panel.template, panel.context(access, found[panel.name])


# --- Helpers of the "Add a person" form -------------------------------------------------------

# A later app may offer, under the fields of "Add a person", a region refreshed as the identity
# is typed (the linkage's likely known persons): a function of the reader's CaseAccess giving
# the URL to POST the form to, or None.
PERSON_PROBES: list[Callable[[CaseAccess], str | None]] = []


def register_person_probe(url_of: Callable[[CaseAccess], str | None]) -> None:
    if url_of not in PERSON_PROBES:
        PERSON_PROBES.append(url_of)


def person_probe_urls(access: CaseAccess) -> list[str]:
    return [url for url in (probe(access) for probe in PERSON_PROBES) if url]
