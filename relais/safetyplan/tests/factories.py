"""Plans around the fixed cast (relais/conftest.py): the SAPV of zone A (which owns the case)
makes one with Alice; helpers to refer the case to another agency on a person's consent."""

from __future__ import annotations

from relais.access.services import referral_share_grant
from relais.accounts.models import Agency
from relais.conftest import Cast, actor
from relais.safetyplan import services
from relais.safetyplan.models import SafetyPlan
from relais.safetyplan.services import ChildLine, PlanContent

CODE_WORD = "Tante Rosa"


def content(cast: Cast, **changes) -> PlanContent:
    values = dict(
        safe_places="Chez ma sœur, rue des Tilleuls", trusted_persons="Ma sœur Léa: 0470 00 00 00",
        code_word=CODE_WORD, code_word_meaning="Léa vient me chercher.",
        ready_items=["identity", "money", "bag"], ready_where="Chez Léa",
        children_plan="Chloé sait appeler Léa.", digital_items=["location_off", "safe_phone"],
        spying_signs="", safe_phone="Dans le sac chez Léa", danger_steps=["call_112", "leave"],
        danger_plan="Sortir par la porte de derrière.",
        children=(ChildLine(child_id=cast.child_id, what_they_do="Va chez la voisine",
                            picked_up_by="Léa"),),
        risk_person_ids=(cast.perpetrator_id,))
    values.update(changes)
    return PlanContent(**values)


def make_plan(cast: Cast, **changes) -> SafetyPlan:
    return services.plan_create(actor=actor(cast.sapv_a), case_id=cast.case.pk,
                                person_id=cast.victim_id, content=content(cast, **changes),
                                language="nl")


def refer(cast: Cast, agency: Agency, person_id: int) -> None:
    """Zone A refers the case to ``agency`` on the consent of ``person_id``."""
    referral_share_grant(actor=actor(cast.officer_a), case_id=cast.case.pk, person_id=person_id,
                         recipient_agency_id=agency.pk, scopes=["contact"],
                         method="oral_in_person")
