"""Which figures a law requires, as data: the one table that decides whether a person's refusal
to be counted (relais.figures.consent, docs/figures.md "Consent to reporting") leaves her
records out of a figure.

Every table Relais counts from persons' records is listed here by its key (or the prefix of
its key), with what the refusal does to it:

- ``REQUIRED``: a legal text obliges the figure; it counts everyone, and says so under the
  table with its source. A person may not opt out of these (GDPR art. 21(1) gives way where the
  processing is necessary for a legal obligation or a task in the public interest laid down by
  law, art. 6(1)(c) and (e); Belgian law of 30 July 2018, title 4, on statistical processing).
- ``HONOURED``: no law requires it; the records that name a person who declined are left out,
  and the table says how many.
- ``NO_PERSON``: no person's record in it (the catalogue, anonymous feedback, helpline calls,
  partner series): nothing to leave out, no line.

The rule is conservative both ways: a figure is ``REQUIRED`` only where we can name the text
that obliges the State to produce it from police or justice records; everything else honours
her refusal. The readings below are the team's, not a court's: have them checked by the
agencies' data-protection officers before publishing (docs/figures.md lists them).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

REQUIRED = "required"
HONOURED = "honoured"
NO_PERSON = "no_person"


@dataclass(frozen=True)
class Basis:
    rule: str  # REQUIRED, HONOURED or NO_PERSON
    source: str | Promise  # the legal text that requires it, or why it is not required


ISTANBUL_11 = _("Istanbul Convention, art. 11(1)(a) (in force for Belgium since 1 July 2016): "
                "disaggregated statistical data on cases of violence, from police and justice "
                "records, by sex, age, form of violence and relation")
STOP_FEMICIDE = _("Law of 13 July 2023 on the prevention of and fight against femicides, "
                  "gender-based homicides and the violence that precedes them (\"Stop "
                  "Femicide\"): the annual statistics on femicides")
ROADMAP = _("Not required by law: the 2025 roadmap's indicators are a policy plan's")
PRAXIS = _("Not required by law: the programmes' own activity figures")
CONSULTATION = _("Not required by law: a body's activity figures")

# Table key (or its prefix, ending in "-") → what a refusal does to it. A key also rules the
# keys it extends with "-…" (the dashboard's "consultation-activity-3": one per body); the
# longest matching key wins; a key of Relais's own records that is missing here is an error in
# the tests.
FIGURES: dict[str, Basis] = {
    # The roadmap's indicators (precomputed, relais.figures.aggregates and panels).
    "indicator-1": Basis(HONOURED, ROADMAP),
    "forms": Basis(HONOURED, ROADMAP),
    "rates-": Basis(HONOURED, ROADMAP),
    "same-month": Basis(HONOURED, ROADMAP),
    "indicator-4": Basis(HONOURED, ROADMAP),
    # The zone's follow-up: counted by relais.followup and relais.linkage.
    "indicator-2": Basis(HONOURED, ROADMAP),
    "indicator-3": Basis(HONOURED, ROADMAP),
    "feedback-": Basis(NO_PERSON, _("Anonymous answers: no person's record")),
    # EIGE's police and justice indicators: the data art. 11 asks of police and justice.
    "eige-catalogue": Basis(NO_PERSON, _("A catalogue: no count")),
    "eige-1": Basis(REQUIRED, ISTANBUL_11),
    "eige-2-5": Basis(REQUIRED, ISTANBUL_11),
    "eige-6": Basis(REQUIRED, ISTANBUL_11),
    "eige-7": Basis(REQUIRED, STOP_FEMICIDE),
    "eige-10": Basis(REQUIRED, ISTANBUL_11),
    "eige-11": Basis(REQUIRED, ISTANBUL_11),
    # Perpetrator programmes (Praxis).
    "programmes-": Basis(HONOURED, PRAXIS),
    # The consultation bodies' activity: counted by relais.consultation; a referral or an
    # action of a case that names a person who declined is left out. Meetings attended by the
    # agencies name no person.
    "consultation-activity": Basis(HONOURED, CONSULTATION),
    "consultation-actions": Basis(HONOURED, CONSULTATION),
    "consultation-sectors": Basis(NO_PERSON, _("Meetings attended by agencies: no person's "
                                               "record")),
}


def basis_of(key: str) -> Basis | None:
    """The basis of a table key: its own entry, else the longest entry it extends (a prefix
    ending in "-", or a key followed by "-…"); None for a table not listed (a partner
    series)."""
    if key in FIGURES:
        return FIGURES[key]
    extended = [k for k in FIGURES if key.startswith(k if k.endswith("-") else f"{k}-")]
    return FIGURES[max(extended, key=len)] if extended else None


def required_by_law(key: str) -> bool:
    basis = basis_of(key)
    return basis is not None and basis.rule == REQUIRED
