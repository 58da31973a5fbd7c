"""The demo's partner series: one of each kind the field relies on, from files in
``relais/figures/demo_series/``. The figures are fictitious and say so (in the series' names
and sources); they are coherent (the parts of exclusive categories add up to their total, the
published shares match their counts, no period is missing) but for one planted inconsistency,
so that the check has something to show: the 1712 helpline's published total for July 2024 is
12 calls above the sum of its caller types.

- ONE (Office de la Naissance et de l'Enfance): children seen exposed to intra-family violence,
  per year (2020–2024) and province of the Wallonia-Brussels Federation, by age band (CSV);
- the 1712 helpline: calls per month of 2024 in Flanders, by caller type (CSV);
- Praxis history: programme participants per year (2015–2024) in Brussels and Wallonia, by
  origin of the measure (XLSX);
- a survey: respondents having experienced partner violence, per wave (2021–2023) and region,
  by form (several answers possible, with the published shares; CSV).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from relais.core.actor import Actor
from relais.figures.models import Series
from relais.figures.series import series_import

FOLDER = Path(__file__).resolve().parent / "demo_series"


@dataclass(frozen=True)
class DemoSeries:
    file: str
    unit: str
    categories_exclusive: bool
    source: str


DEMO_SERIES = (
    DemoSeries("one_children_exposed.csv", "children", True,
               "Fictitious demo figures, in the shape of ONE's annual report (Office de la "
               "Naissance et de l'Enfance): not ONE's figures"),
    DemoSeries("helpline_1712_calls.csv", "calls", True,
               "Fictitious demo figures, in the shape of the 1712 helpline's monthly counts: not "
               "the helpline's figures"),
    DemoSeries("praxis_participants.xlsx", "participants", True,
               "Fictitious demo figures, in the shape of Praxis's activity reports: not "
               "Praxis's figures"),
    DemoSeries("survey_partner_violence.csv", "respondents", False,
               "Fictitious demo figures, in the shape of a population survey: no survey's "
               "figures"),
)


def load_demo_series(*, actor: Actor | None) -> list[Series]:
    """Import (or import again, replacing them) the demo's partner series, as ``actor`` (an
    analyst, or None for the command line)."""
    return [series_import(actor=actor, path=FOLDER / demo.file, unit=demo.unit,
                          categories_exclusive=demo.categories_exclusive, source=demo.source)
            for demo in DEMO_SERIES]
