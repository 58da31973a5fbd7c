"""The annual figures of the femicide register (relais.femicide.selectors.annual_figures) as
the table the screen shows, for the exports (relais.figures.exports): one line per year of the
facts, counts only."""

from __future__ import annotations

from django.utils.translation import gettext as _

from relais.femicide.models import Relation
from relais.femicide.selectors import YearFigures
from relais.figures.tables import Column, Table


def femicide_tables(years: list[YearFigures]) -> list[Table]:
    """The femicides and attempts per year, by relation, with children present, known to
    services before, and reviews closed. N: the femicides and attempts of all the years."""
    columns = (
        Column("year", _("Year"), numeric=False),
        Column("killed", _("Killed")),
        Column("attempts", _("Attempts")),
        *(Column(f"relation_{code}", str(label)) for code, label in Relation.choices),
        Column("children_present", _("Children were present")),
        Column("known_before", _("Known to services before")),
        Column("reviewed", _("Reviews closed")),
    )
    rows = tuple(
        (str(y.year), y.killed, y.attempts,
         *(y.by_relation.get(code, 0) for code in Relation.values),
         y.with_children, y.known_before, y.reviewed)
        for y in years)
    return [Table(
        key="femicide-annual", title=_("Femicides and attempts per year"), columns=columns,
        rows=rows, reference_date=_("by year of the facts"),
        n=sum(y.killed + y.attempts for y in years), n_label=_("femicides and attempts"),
        notes=(_("By year of the facts, for your office's district. Counts only."),
               _("Each femicide or attempt has one relation: the relations add up to the "
                 "femicides and attempts of the year.")),
        source=_("Relais: your office's femicide register"))]
