"""The demo consultation body of one network (called by ``seed_demo`` once its cases are built).

Run from the network's multi-agency platform, with the network's agencies as members and the
default criteria. Its story, on the network's cases (fictitious data only, built with the real
services; idempotent: nothing is added once the body exists):

- **Yesterday, an emergency meeting** heard the couple of case 1 (strangulation, threats to
  kill, a child of 9, she is in the shelter), referred by the zone the morning after the
  facts. Four agencies told what they know; the risk was agreed critical and a joint safety
  plan opened with six actions: the patrol and the alarm request (the zone) and the shelter
  are done, the perpetrator programme is blocked (he is in pre-trial detention), the
  victim-support service's call is overdue, the notice to youth aid is open.
- **Tomorrow, the next meeting** has the plan's review on its agenda, and two referrals wait
  for the coordinator to put them on it: an emergency made today without her consent
  (art. 458bis: the family of case 3), on top, and the stalking of case 2, waiting for five
  days.

The services refuse a meeting, a hearing or a deadline in the past: what happened before
today is made today through them, then moved to its day with an ``update()`` (commented where
it is done), as the other demo loaders do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from relais.accounts.models import Agency, AgencyKind, User
from relais.cases.models import Case, CaseStatus, TimelineEntry
from relais.consultation import services
from relais.consultation.models import (
    Action,
    ActionKind,
    Basis,
    Body,
    Hearing,
    Informed,
    Level,
    Meeting,
    MeetingKind,
    Plan,
    Referral,
)
from relais.core.actor import Actor
from relais.followup import services as followup_services
from relais.followup.models import Outcome, Priority, Task
from relais.followup.rules import LAST_MINUTE, at_local
from relais.intake.models import Report

# Each network's body: (name, protocol reference).
BODIES = {
    "bxl": ("Olista Bruxelles (démo)", "Protocole Olista — démo 2026/01"),
    "lg": ("DIViCo Liège (démo)", "Protocole DIViCo arrondissement de Liège — démo 2026/01"),
    "gt": ("FJC Gent (demo)", "Samenwerkingsprotocol FJC Gent — demo 2026/01"),
}

# Who sits for each member agency: its representative and, where the network has a second
# person who reaches all its cases, a deputy (user-name suffixes of seed_demo's STAFF).
MEMBERS = (
    (AgencyKind.POLICE_ZONE, "reference", "sapv"),
    (AgencyKind.PROSECUTOR, "magistrate", "legal"),
    (AgencyKind.HOUSE_OF_JUSTICE, "justice", None),
    (AgencyKind.VICTIM_SUPPORT, "support", None),
    (AgencyKind.SHELTER, "shelter", None),
    (AgencyKind.SEXUAL_VIOLENCE_CENTRE, "cpvs", None),
    (AgencyKind.CPAS, "cpas", None),
    (AgencyKind.YOUTH_AID, "youth", None),
    (AgencyKind.HEALTH, "health", None),
    (AgencyKind.PERPETRATOR_PROGRAMME, "programme", None),
)

SCOPES = ["contact", "health", "judicial"]

TEXTS = {
    "fr": {
        "place": "Salle de concertation de la plateforme (démo)",
        "concern": "Démo fictive. Strangulation et menaces de mort la nuit des faits, peu après "
                   "la séparation ; une enfant de 9 ans au domicile. Danger imminent : nous "
                   "demandons une concertation d'urgence.",
        "police_facts": "Démo fictive. PV pour coups et strangulation ; interdiction de "
                        "résidence ordonnée la nuit même. Deux appels de voisins cette année.",
        "prosecutor_facts": "Démo fictive. Dossier ouvert au parquet ; l'interdiction de "
                            "résidence n'a pas été respectée une fois.",
        "shelter_situation": "Démo fictive. Hébergée au refuge avec sa fille. Elle craint qu'il "
                             "l'attende à la sortie de l'école ; elle souhaite une alarme.",
        "shelter_health": "Démo fictive. Douleurs au cou ; vue par le médecin du refuge.",
        "youth_children": "Démo fictive. Chloé, 9 ans, a entendu les faits depuis la pièce "
                          "voisine ; la famille n'est pas connue du SAJ.",
        "decisions": "Démo fictive. Risque critique confirmé. Passages de patrouille aux abords "
                     "de l'école ; demande d'alarme harcèlement au parquet ; maintien au refuge ; "
                     "appel du service d'aide aux victimes le jour même ; information du SAJ pour "
                     "Chloé ; programme pour auteurs à sa remise en liberté. Revue dans 7 jours.",
        "children": "Démo fictive. Chloé (9 ans) est au refuge avec sa mère ; le SAJ est informé "
                    "et l'école est attentive ; un soutien lui est proposé.",
        "patrol": "Passages aux abords de l'école, matin et après-midi, pendant 15 jours",
        "alarm": "Demander une alarme harcèlement (TAA) au parquet",
        "shelter": "Maintenir l'hébergement et le plan de sécurité au refuge",
        "contact": "L'appeler sur son numéro sûr et proposer un suivi (interprète anglais si "
                   "elle le souhaite)",
        "youth": "Informer le SAJ pour Chloé, avec l'accord de la mère si possible",
        "youth_basis": "Art. 458ter C. pén. ; Code de la prévention, de l'aide à la jeunesse et "
                       "de la protection de la jeunesse (décret du 18 janvier 2018)",
        "programme": "Accueil au programme pour auteurs, condition de sa remise en liberté",
        "blocked": "Démo fictive : il est sous mandat d'arrêt ; l'accueil aura lieu à sa "
                   "libération, attendue dans trois jours.",
        "stalking": "Démo fictive. Depuis sa plainte pour harcèlement, il continue de l'attendre "
                    "devant son travail et lui écrit chaque nuit. Elle ne dort plus et a peur "
                    "de sortir.",
        "danger": "Démo fictive. Ce matin, son fils l'a menacée avec un couteau de cuisine et "
                  "lui a pris sa carte bancaire. Danger imminent : concertation d'urgence.",
        "danger_basis": "Démo fictive. Elle a retiré son accord par peur de son fils ; il vit "
                        "chez elle et la menace d'une arme. Le danger est grave et imminent.",
    },
    "nl": {
        "place": "Overlegzaal van het platform (demo)",
        "concern": "Fictieve demo. Wurging en doodsbedreigingen in de nacht van de feiten, kort "
                   "na de scheiding; een meisje van 9 jaar in huis. Acuut gevaar: wij vragen "
                   "een spoedoverleg.",
        "police_facts": "Fictieve demo. PV voor slagen en wurging; tijdelijk huisverbod "
                        "dezelfde nacht bevolen. Twee oproepen van buren dit jaar.",
        "prosecutor_facts": "Fictieve demo. Dossier geopend bij het parket; het huisverbod werd "
                            "één keer niet nageleefd.",
        "shelter_situation": "Fictieve demo. Opgevangen in het vluchthuis met haar dochter. Zij "
                             "vreest dat hij haar aan de schoolpoort opwacht; zij wil een "
                             "alarmtoestel.",
        "shelter_health": "Fictieve demo. Pijn aan de hals; gezien door de arts van het "
                          "vluchthuis.",
        "youth_children": "Fictieve demo. Chloé, 9 jaar, hoorde de feiten vanuit de kamer "
                          "ernaast; het gezin is niet gekend bij de jeugdhulp.",
        "decisions": "Fictieve demo. Kritiek risico bevestigd. Patrouille langs de school; "
                     "aanvraag van een anti-stalkingalarm bij het parket; verblijf in het "
                     "vluchthuis behouden; CAW belt haar nog dezelfde dag; melding aan de "
                     "jeugdhulp voor Chloé; daderprogramma bij zijn vrijlating. Herziening "
                     "binnen 7 dagen.",
        "children": "Fictieve demo. Chloé (9 jaar) is met haar moeder in het vluchthuis; de "
                    "jeugdhulp is op de hoogte en de school is waakzaam; zij krijgt steun "
                    "aangeboden.",
        "patrol": "Patrouille langs de school, 's ochtends en 's middags, gedurende 15 dagen",
        "alarm": "Een anti-stalkingalarm (AST) aanvragen bij het parket",
        "shelter": "Het verblijf en het veiligheidsplan in het vluchthuis behouden",
        "contact": "Haar bellen op haar veilige nummer en begeleiding aanbieden (tolk Engels "
                   "als zij dat wil)",
        "youth": "De jeugdhulp inlichten voor Chloé, zo mogelijk met het akkoord van de moeder",
        "youth_basis": "Art. 458ter Sw.; decreet van 12 juli 2013 betreffende de integrale "
                       "jeugdhulp",
        "programme": "Intake in het daderprogramma, voorwaarde van zijn vrijlating",
        "blocked": "Fictieve demo: hij zit in voorlopige hechtenis; de intake volgt bij zijn "
                   "vrijlating, over drie dagen verwacht.",
        "stalking": "Fictieve demo. Sinds haar klacht voor stalking wacht hij haar nog steeds "
                    "op aan haar werk en schrijft hij haar elke nacht. Zij slaapt niet meer en "
                    "durft niet meer buiten.",
        "danger": "Fictieve demo. Vanochtend bedreigde haar zoon haar met een keukenmes en nam "
                  "hij haar bankkaart af. Acuut gevaar: spoedoverleg.",
        "danger_basis": "Fictieve demo. Zij trok haar akkoord in uit angst voor haar zoon; hij "
                        "woont bij haar en bedreigt haar met een wapen. Het gevaar is ernstig "
                        "en dreigend.",
    },
}


@dataclass(frozen=True)
class Cast:
    """Who acts in the network's story."""

    key: str
    coordinator: Actor

    def user(self, suffix: str | None) -> User | None:
        if suffix is None:
            return None
        return User.objects.filter(username=f"{self.key}.{suffix}", is_active=True).first()

    def actor(self, suffix: str) -> Actor:
        return Actor.for_user(User.objects.get(username=f"{self.key}.{suffix}"), channel="demo")


def load_demo_consultation(*, key: str, language: str, area: str,
                           agencies: dict[str, Agency]) -> Body | None:
    """The body of network ``key`` (bxl, lg, gt), its past meeting with the plan in progress
    and its next meeting; None when the body exists already or the network's cases are
    missing. ``agencies``: the network's agencies by AgencyKind (as seed_demo builds them)."""
    name, protocol = BODIES[key]
    if Body.objects.filter(name=name).exists():
        return None
    zone = agencies[AgencyKind.POLICE_ZONE]
    # The zone's first open case of each situation: the couple (1), the former couple (2),
    # the household (3).
    cases: dict[str, Case] = {}
    for case in Case.objects.filter(owner_agency=zone, status=CaseStatus.OPEN).order_by("-pk"):
        cases[case.situation] = case
    if not {"couple", "ex_couple", "household"} <= set(cases):
        return None
    text = TEXTS["nl" if language == "nl" else "fr"]
    coordinator = User.objects.get(username=f"{key}.platform")
    cast = Cast(key=key, coordinator=Actor.for_user(coordinator, channel="demo"))
    body = services.body_create(actor=cast.coordinator, name=name,
                                agency=agencies[AgencyKind.PLATFORM], area=area,
                                protocol_reference=protocol, coordinator=coordinator)
    for kind, representative, deputy in MEMBERS:
        if kind not in agencies:
            continue
        rep, dep = cast.user(representative), cast.user(deputy)
        services.member_save(actor=cast.coordinator, body_id=body.pk,
                             agency_id=agencies[kind].pk,
                             representative_id=rep.pk if rep else None,
                             deputy_id=dep.pk if dep else None)
    plan = _past_meeting(cast=cast, body=body, case=cases["couple"], agencies=agencies,
                         text=text)
    _next_meeting(cast=cast, body=body, plan=plan, stalking=cases["ex_couple"],
                  danger=cases["household"], text=text)
    return body


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return at_local(day, time(hour, minute))


def _move_timeline(source, at: datetime) -> None:
    TimelineEntry.objects.filter(source_type=source._meta.label_lower,
                                 source_id=str(source.pk)).update(occurred_at=at)


def _past_meeting(*, cast: Cast, body: Body, case: Case, agencies: dict[str, Agency],
                  text: dict[str, str]) -> Plan:
    """Yesterday's emergency meeting on case 1, and its plan in progress."""
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    facts_at = (Report.objects.filter(case=case).order_by("offence_at")
                .values_list("offence_at", flat=True).first()) or timezone.now() - timedelta(
        days=2)
    referral = services.referral_create(
        actor=cast.actor("reference"), case_id=case.pk, body_id=body.pk, concern=text["concern"],
        emergency=True, informed=Informed.YES, consents=True, basis=Basis.CONSENT,
        justification="", scopes=SCOPES)
    # Referred the morning after the facts (the service dates it now): moved to its time.
    referred_at = facts_at + timedelta(hours=6)
    hours = int(referral.criteria.rules.get("emergency_hours", 48))
    Referral.objects.filter(pk=referral.pk).update(
        referred_at=referred_at, respond_by=referred_at + timedelta(hours=hours))
    _move_timeline(referral, referred_at)

    # The services refuse a meeting in the past: it is created today, recorded and closed,
    # then moved to yesterday afternoon with its hearing and plan.
    meeting = services.meeting_create(actor=cast.coordinator, body_id=body.pk,
                                      starts_at=timezone.now(), kind=MeetingKind.EMERGENCY,
                                      place=text["place"])
    services.agenda_add(actor=cast.coordinator, meeting_id=meeting.pk,
                        referral_ids=[referral.pk])
    hearing = meeting.hearings.get()
    for suffix, fields in (
            ("reference", {"risk_seen": Level.CRITICAL, "facts": text["police_facts"]}),
            ("magistrate", {"risk_seen": Level.CRITICAL, "facts": text["prosecutor_facts"]}),
            ("shelter", {"risk_seen": Level.VERY_HIGH, "situation": text["shelter_situation"],
                         "health": text["shelter_health"]}),
            ("youth", {"risk_seen": Level.HIGH, "children": text["youth_children"]})):
        if cast.user(suffix) is None:
            continue
        values = {"risk_seen": "", "facts": "", "situation": "", "children": "", "health": ""}
        services.contribution_save(actor=cast.actor(suffix), hearing_id=hearing.pk,
                                   **{**values, **fields})
    present = {}
    for suffix in ("reference", "magistrate", "support", "shelter", "youth", "programme",
                   "platform"):
        user = cast.user(suffix)
        if user is not None:
            present[user.agency_id] = user.pk
    services.attendance_record(actor=cast.coordinator, meeting_id=meeting.pk, present=present)
    plan = services.hearing_record(actor=cast.coordinator, hearing_id=hearing.pk,
                                   level=Level.CRITICAL, decisions=text["decisions"],
                                   children=text["children"])
    services.meeting_close(actor=cast.coordinator, meeting_id=meeting.pk)
    starts_at = _at(yesterday, 14)
    heard_at, held_at = starts_at + timedelta(minutes=50), starts_at + timedelta(hours=2)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=starts_at, held_at=held_at)
    Hearing.objects.filter(pk=hearing.pk).update(heard_at=heard_at)
    Plan.objects.filter(pk=plan.pk).update(
        opened_at=heard_at, next_review_on=yesterday + timedelta(days=plan.review_days))
    _move_timeline(hearing, heard_at)

    _plan_actions(cast=cast, plan=plan, hearing=hearing, agencies=agencies, text=text,
                  agreed_at=held_at)
    plan.refresh_from_db()
    return plan


def _plan_actions(*, cast: Cast, plan: Plan, hearing: Hearing, agencies: dict[str, Agency],
                  text: dict[str, str], agreed_at: datetime) -> None:
    """The plan's actions, each a task in its agency's queue; the outcomes come back."""
    today = timezone.localdate()
    urgent, high = Priority.URGENT, Priority.HIGH
    rows = [  # (agency kind, owner, action, its text, deadline in days, priority, legal basis)
        (AgencyKind.POLICE_ZONE, "reference", ActionKind.PATROL, "patrol", 0, urgent, ""),
        (AgencyKind.POLICE_ZONE, "reference", ActionKind.ALARM, "alarm", 1, urgent, ""),
        (AgencyKind.SHELTER, "shelter", ActionKind.SHELTER, "shelter", 0, urgent, ""),
        (AgencyKind.VICTIM_SUPPORT, "support", ActionKind.CONTACT, "contact", 0, urgent, ""),
        (AgencyKind.YOUTH_AID, "youth", ActionKind.YOUTH_NOTICE, "youth", 3, high,
         "youth_basis"),
        (AgencyKind.PERPETRATOR_PROGRAMME, "programme", ActionKind.PROGRAMME, "programme", 7,
         high, ""),
    ]
    actions: dict[str, Action] = {}
    for kind, owner, action_kind, detail, days, priority, basis in rows:
        user = cast.user(owner)
        if kind not in agencies or user is None:
            continue
        actions[detail] = services.action_add(
            actor=cast.coordinator, plan_id=plan.pk, agency_id=agencies[kind].pk,
            kind=action_kind, detail=text[detail], owner_id=user.pk,
            due_on=today + timedelta(days=days), priority=priority,
            legal_basis=text[basis] if basis else "", hearing_id=hearing.pk)
    # Agreed when the meeting closed yesterday (the service dates them now).
    Action.objects.filter(plan=plan).update(created_at=agreed_at)
    Task.objects.filter(consultation_action__plan=plan).update(created_at=agreed_at)
    # The victim-support service's call was due the day of the meeting (the service refuses a
    # deadline in the past): moved to yesterday, it is overdue.
    if "contact" in actions:
        yesterday = today - timedelta(days=1)
        Action.objects.filter(pk=actions["contact"].pk).update(due_on=yesterday)
        Task.objects.filter(pk=actions["contact"].task_id).update(
            due_at=at_local(yesterday, LAST_MINUTE))
    # What came back: the patrol, the alarm request and the shelter are done; the programme is
    # blocked while he is detained (the coordinator is told).
    for detail, owner, outcome, note in (("patrol", "reference", Outcome.DONE, ""),
                                         ("alarm", "reference", Outcome.DONE, ""),
                                         ("shelter", "shelter", Outcome.DONE, ""),
                                         ("programme", "programme", Outcome.BLOCKED,
                                          text["blocked"])):
        if detail in actions:
            followup_services.task_record_contact(
                actor=cast.actor(owner), task_id=actions[detail].task_id,
                could_speak_freely="", outcome=outcome, note=note)


def _next_meeting(*, cast: Cast, body: Body, plan: Plan, stalking: Case, danger: Case,
                  text: dict[str, str]) -> Meeting:
    """Tomorrow's meeting with the plan's review on its agenda; two referrals wait for it: an
    emergency made today without her consent (art. 458bis) and one of five days ago."""
    waiting = services.referral_create(
        actor=cast.actor("sapv"), case_id=stalking.pk, body_id=body.pk,
        concern=text["stalking"], emergency=False, informed=Informed.YES, consents=True,
        basis=Basis.CONSENT, justification="", scopes=["contact", "judicial"])
    # Referred five days ago (the service dates it now).
    referred_at = timezone.now().replace(minute=0, second=0, microsecond=0) - timedelta(days=5)
    Referral.objects.filter(pk=waiting.pk).update(referred_at=referred_at)
    _move_timeline(waiting, referred_at)
    services.referral_create(
        actor=cast.actor("reference"), case_id=danger.pk, body_id=body.pk,
        concern=text["danger"], emergency=True, informed=Informed.YES, consents=False,
        basis=Basis.ART_458BIS, justification=text["danger_basis"],
        scopes=["contact", "judicial"])
    meeting = services.meeting_create(
        actor=cast.coordinator, body_id=body.pk,
        starts_at=_at(timezone.localdate() + timedelta(days=1), 10),
        kind=MeetingKind.REGULAR, place=text["place"])
    services.agenda_add(actor=cast.coordinator, meeting_id=meeting.pk,
                        referral_ids=[plan.referral_id])
    return meeting
