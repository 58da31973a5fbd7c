"""The demo's femicide register, one per network's prosecutor's office (called by
``seed_demo``; idempotent: nothing is added once the office has a record). Fictitious: a
femicide of last year, reviewed, and an attempt of this autumn whose review is in progress
with the zone's reference officer and the victim-support service."""

from __future__ import annotations

from datetime import date

from relais.accounts.models import User
from relais.core.actor import Actor
from relais.femicide import services
from relais.femicide.models import Record

TEXTS = {
    "fr": {
        "police": "Démo fictive : rapport d'information après une dispute, sans évaluation du "
                  "risque.",
        "health": "Démo fictive : consultation aux urgences pour une chute « dans l'escalier ».",
        "known": "Démo fictive : la zone et le médecin savaient chacun une partie ; personne "
                 "n'avait le tableau entier.",
        "missed": "Démo fictive : pas d'évaluation du risque après le rapport d'information.",
        "changes": "Démo fictive : la zone évalue le risque après chaque rapport d'information "
                   "(fonctionnaire de référence VIF).",
    },
    "nl": {
        "police": "Fictieve demo: informatierapport na een ruzie, zonder risicotaxatie.",
        "health": "Fictieve demo: spoedconsult voor een val \"van de trap\".",
        "known": "Fictieve demo: de zone en de arts wisten elk een deel; niemand had het hele "
                 "beeld.",
        "missed": "Fictieve demo: geen risicotaxatie na het informatierapport.",
        "changes": "Fictieve demo: de zone taxeert het risico na elk informatierapport "
                   "(referentieambtenaar IFG).",
    },
}


def load_demo_femicide(*, key: str, language: str) -> None:
    magistrate = User.objects.filter(username=f"{key}.magistrate").first()
    if magistrate is None or Record.objects.filter(agency_id=magistrate.agency_id).exists():
        return
    text = TEXTS.get(language, TEXTS["fr"])
    office = Actor.for_user(magistrate, channel="demo")
    this_year = date.today().year
    past = services.record_create(
        actor=office, occurred_on=date(this_year - 1, 11, 14), outcome="killed",
        victim_sex="F", relation="ex_partner", method="sharp", children_present=True)
    services.contact_add(actor=office, record_id=past.pk, kind="police",
                         on=date(this_year - 1, 9, 2), what=text["police"])
    services.contact_add(actor=office, record_id=past.pk, kind="health",
                         on=date(this_year - 1, 10, 20), what=text["health"])
    reviewers = User.objects.filter(username__in=[f"{key}.reference", f"{key}.support"])
    services.reviewers_set(actor=office, record_id=past.pk,
                           user_ids=[u.pk for u in reviewers])
    services.review_save(actor=office, record_id=past.pk, known=text["known"],
                         missed=text["missed"], changes=text["changes"], close=True)
    recent = services.record_create(
        actor=office, occurred_on=date(this_year, 10, 3), outcome="attempt", victim_sex="F",
        relation="partner", method="strangulation", children_present=False)
    services.reviewers_set(actor=office, record_id=recent.pk,
                           user_ids=[u.pk for u in reviewers])
    services.review_save(actor=office, record_id=recent.pk, known=text["known"], missed="",
                         changes="")
