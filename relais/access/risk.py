"""Access policy of risk assessments (relais.risk).

- An instrument is used by the agency types its file offers it to (``offered_to``: the police
  grid for police zones, the criticality grid for the psycho-medical-social sector...).
- An assessment of a person is read within the scopes open to the reader on that person: the
  case's scopes, and the person scopes (e.g. health) opened on her alone by a referral on her
  consent (``readable_scopes``).
"""

from __future__ import annotations

from collections.abc import Callable

from relais.access.cases import CaseAccess
from relais.cases.models import CaseParticipant
from relais.core.actor import Actor
from relais.risk.instruments import Instrument


def may_use_instrument(actor: Actor, instrument: Instrument) -> bool:
    return actor.agency is not None and actor.agency.kind in instrument.offered_to


def readable_scopes(access: CaseAccess) -> Callable[[int], frozenset[str]]:
    """The scopes open to the reader on an assessment of a given person: the case's scopes,
    and the person scopes (e.g. health) opened on her alone by a referral on her consent."""
    roles = dict(CaseParticipant.objects.filter(case=access.case)
                 .values_list("person_id", "role"))
    case_scopes = frozenset(access.timeline_scopes)

    def for_person(person_id: int) -> frozenset[str]:
        return case_scopes | access.person_scopes(roles.get(person_id, ""), person_id)

    return for_person
