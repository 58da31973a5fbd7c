"""A year of coherent figures for each network of the demo (called by ``seed_demo``).

``seed_year_of_figures(today=...)`` gives each demo network (its police zone, its prosecutor's
office, its perpetrator programme, as ``seed_demo`` builds them) the records the figures are
computed from, over the 12 whole months before the month of ``today`` and the days of this
month up to three days ago:

- **reports** of the zone, 25 to 60 a month with a seasonal shape (more in summer and over the
  holidays): information reports ("family dispute without blows") and official reports, one or
  several forms of violence each, intimate partner or not (the case's situation), children in
  the case with their presence and impact recorded or not (the officer ticked "no children
  concerned" on a case with a child: indicator 4 counts it as not recorded), the place in a
  municipality of the zone's jurisdiction; about one report in eight is a new incident on an
  earlier case of the same household;
- the **entries** of the official reports at the network's office, received the same day or a
  few days after the report (so a report of the end of a month may enter the next month), read
  by the office's readers and decided after a few weeks (the last weeks' entries wait, within
  their deadline); cases are closed some weeks after their last facts;
- two cases per network **transferred** to the next network's zone (the victim moved), whose
  later official report enters the other office: the same case in two offices, counted once;
- **programme files** of the network's perpetrator programme: judicial mandates on the zone's
  forwarded cases, police information and voluntary requests, with substance use, the
  preparatory interviews, group sessions in a rolling group, and files completed (the hours
  reached), incomplete (with the interruption reason), in progress or waiting.

Volumes are those of a small fictitious zone, so that most monthly cells are above the
small-cell threshold (5) and a few below it. People are fictitious and look it (the names of
``relais.core.synthetic``, with the network's name, as the rest of the demo).

Rows are written with ``bulk_create`` like ``seed_scale``, with their audit events chained by
``audit_record_many`` (a create per case, report, share, entry, transfer and programme record;
an update per decision and status change), so the chain stays verifiable. Not written: the
follow-up tasks, risk checklists and linkage of these reports (they are not counted by the
figures). Idempotent: a network whose zone already has a report older than two months is left
as it is. Deterministic for a given ``today`` and ``seed``.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import belgica
from django.db import models, transaction
from django.utils import timezone

from relais.access.models import LEGAL_BASIS, Share, ShareKind
from relais.access.scopes import JUDICIAL_FORWARDING_SCOPES, OWNER_SCOPES, Scope
from relais.access.services import prosecutor_for_municipality
from relais.access.transfers import former_owner_scopes
from relais.accounts.models import Agency, AgencyKind, JurisdictionMunicipality, User
from relais.audit.models import Action, AuditEvent
from relais.audit.services import audit_record_many, build_event
from relais.cases.models import (
    Case,
    CaseParticipant,
    CaseStatus,
    ParticipantRole,
    Person,
    Situation,
    TimelineEntry,
    YesNoUnknown,
)
from relais.core.actor import Actor
from relais.core.synthetic import FIRST_NAMES_F, FIRST_NAMES_M, LAST_NAMES
from relais.directory.places import postcode_of
from relais.intake.models import ContactSource, RecordKind, Report, ViolenceForm
from relais.justice.models import Decision, Entry, EntryEvent, EntryEventKind, Measure, Section
from relais.justice.services import TABLE_BASIS, decision_summary, due_on_for, section_for
from relais.linkage.services import keys_refresh
from relais.programmes.models import (
    Activity,
    ActivityKind,
    Attendance,
    FileStatus,
    FormatKind,
    Group,
    GroupFormat,
    InterruptionReason,
    JudicialMeasure,
    Participant,
    ProgrammeFile,
    Route,
    StatusChange,
    Substance,
)
from relais.programmes.services import settings_for
from relais.transfers.models import CaseTransfer, TransferStatus

DEMO_KEYS = ("bxl", "lg", "gt")
CHANNEL = "demo"
MONTHS = 12
RECENT_DAYS = 3  # the year stops three days ago: the hand-built demo cases stay the newest
DECIDED_AFTER_DAYS = 25  # entries received longer ago than this are decided
CLOSED_AFTER_DAYS = 75  # cases whose last facts are older than this are closed
TRANSFERS_PER_NETWORK = 2

# Reports a month, before the season: (base, share of information reports); a whole month has
# 25 to 56 (60 with the demo's stories and transferred cases), and two or more of each kind.
MIN_A_MONTH, MAX_A_MONTH, MIN_OF_EACH_KIND = 25, 56, 2
PROFILES = {"bxl": (46, 0.33), "lg": (38, 0.28), "gt": (31, 0.16)}
SEASON = {1: 1.12, 2: 0.88, 3: 0.92, 4: 0.97, 5: 1.02, 6: 1.08, 7: 1.22, 8: 1.18, 9: 0.95,
          10: 0.9, 11: 0.86, 12: 1.1}
SITUATIONS = ((Situation.COUPLE, 0.45), (Situation.EX_COUPLE, 0.25), (Situation.HOUSEHOLD, 0.30))
SOURCES = ((ContactSource.VICTIM_CALL, 0.35), (ContactSource.WALK_IN, 0.25),
           (ContactSource.NEIGHBOUR, 0.15), (ContactSource.RELATIVE, 0.10),
           (ContactSource.PROFESSIONAL, 0.07), (ContactSource.ONLINE_APPOINTMENT, 0.05),
           (ContactSource.ALARM, 0.03))
# Chance of each form of violence (several per report), by kind of report.
FORMS = {
    RecordKind.OFFICIAL_REPORT: {
        ViolenceForm.PHYSICAL: 0.72, ViolenceForm.PSYCHOLOGICAL: 0.55, ViolenceForm.VERBAL: 0.5,
        ViolenceForm.SEXUAL: 0.05, ViolenceForm.ECONOMIC: 0.07,
        ViolenceForm.ADMINISTRATIVE: 0.03, ViolenceForm.OBJECTS: 0.12,
        ViolenceForm.ANIMALS: 0.01, ViolenceForm.STALKING: 0.07,
        ViolenceForm.DIGITAL_STALKING: 0.04},
    RecordKind.INFORMATION_REPORT: {
        ViolenceForm.VERBAL: 0.8, ViolenceForm.PSYCHOLOGICAL: 0.5, ViolenceForm.ECONOMIC: 0.04,
        ViolenceForm.OBJECTS: 0.1, ViolenceForm.STALKING: 0.03,
        ViolenceForm.DIGITAL_STALKING: 0.02},
}
CHILD_RATE = 0.42
CHILDREN_NOT_RECORDED = 0.13  # "no children concerned" ticked on a case with a child
REPEAT_RATE = 0.12
DECISIONS = ((Decision.CLOSED, 0.45), (Decision.FOLLOW_UP, 0.25), (Decision.HEARING, 0.15),
             (Decision.INVESTIGATION, 0.15))
INTERRUPTIONS = ((InterruptionReason.ABSENCES, 0.35), (InterruptionReason.NON_RECOGNITION, 0.2),
                 (InterruptionReason.END_OF_MEASURE, 0.15),
                 (InterruptionReason.UNAVAILABILITY, 0.15), (InterruptionReason.UNSUITED, 0.1),
                 (InterruptionReason.OTHER, 0.05))
PROGRAMME_FILES_PER_MONTH = 3
INTERVIEW_HOURS = Decimal("1.5")

TEXTS = {
    "fr": {
        "contexts": ["Démo fictive. Dispute au sujet de l'argent, au salon, en soirée.",
                     "Démo fictive. Dispute au retour d'une fête de famille.",
                     "Démo fictive. Désaccord sur la garde des enfants, au téléphone puis à "
                     "la porte.",
                     "Démo fictive. Reproches sur les sorties, dans la cuisine, vers 21 h."],
        "official": ["Il l'a poussée contre le mur ; rougeurs au bras.",
                     "Il l'a giflée ; lèvre enflée.",
                     "Il a lancé une chaise ; il l'a saisie par le bras."],
        "information": ["Il a crié et claqué la porte ; aucune trace de coups.",
                        "Échange d'insultes ; aucune trace de coups.",
                        "Il a jeté ses affaires dans le couloir ; aucune trace de coups."],
        "impact": ["Les enfants étaient à l'étage et ont entendu les cris.",
                   "L'enfant était présent et pleurait à l'arrivée de la patrouille.",
                   "Les enfants dormaient chez leur grand-mère."],
        "transfer": "Démo fictive : la victime a déménagé dans la zone {zone}.",
        "other_reason": "Démo fictive : déménagement à l'étranger.",
        "group": "Groupe du jeudi (démo)",
    },
    "nl": {
        "contexts": ["Fictieve demo. Ruzie over geld, in de woonkamer, 's avonds.",
                     "Fictieve demo. Ruzie na een familiefeest.",
                     "Fictieve demo. Onenigheid over de zorg voor de kinderen, aan de "
                     "telefoon en daarna aan de deur.",
                     "Fictieve demo. Verwijten over het uitgaan, in de keuken, rond 21 uur."],
        "official": ["Hij duwde haar tegen de muur; roodheid aan de arm.",
                     "Hij gaf haar een klap; gezwollen lip.",
                     "Hij gooide een stoel; hij greep haar bij de arm."],
        "information": ["Hij riep en sloeg de deur dicht; geen sporen van slagen.",
                        "Over en weer beledigingen; geen sporen van slagen.",
                        "Hij gooide haar spullen in de gang; geen sporen van slagen."],
        "impact": ["De kinderen waren boven en hoorden het geroep.",
                   "Het kind was aanwezig en huilde toen de patrouille aankwam.",
                   "De kinderen sliepen bij hun grootmoeder."],
        "transfer": "Fictieve demo: het slachtoffer is verhuisd naar de zone {zone}.",
        "other_reason": "Fictieve demo: verhuisd naar het buitenland.",
        "group": "Donderdaggroep (demo)",
    },
}


def _pick(rng: random.Random, weighted: Iterable[tuple]) -> str:
    choices, weights = zip(*weighted, strict=True)
    return rng.choices(choices, weights=weights)[0]


def _month_starts(start: date, end: date) -> Iterator[date]:
    month = start
    while month <= end:
        yield month
        month = (month + timedelta(days=32)).replace(day=1)


def year_window(today: date) -> tuple[date, date]:
    """The first and last day of the facts: the 12 whole months before ``today``'s month and
    this month up to three days ago."""
    this_month = today.replace(day=1)
    first = this_month
    for _ in range(MONTHS):
        first = (first - timedelta(days=1)).replace(day=1)
    return first, max(today - timedelta(days=RECENT_DAYS), this_month - timedelta(days=1))


@contextmanager
def _explicit_dates(*fields: models.Field) -> Iterator[None]:
    """Let ``bulk_create`` keep the dates we set on auto_now / auto_now_add fields."""
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, now, now_add in saved:
            f.auto_now, f.auto_now_add = now, now_add


def _dated_fields() -> list[models.Field]:
    return [Case._meta.get_field("opened_at"), Report._meta.get_field("created_at"),
            Person._meta.get_field("created_at"), Person._meta.get_field("updated_at"),
            Participant._meta.get_field("created_at"),
            ProgrammeFile._meta.get_field("created_at"),
            Activity._meta.get_field("recorded_at"), Group._meta.get_field("created_at")]


@dataclass
class Network:
    """One demo network, as seed_demo built it."""

    key: str
    language: str
    label: str
    zone: Agency
    office: Agency | None
    programme: Agency | None
    house_of_justice: Agency | None
    places: list[tuple[str, str, str]]  # (REFNIS, postcode, judicial district)
    officers: list[User]
    readers: list[User]
    counsellor: User | None
    justice_assistant: User | None
    serial: int = 0


@dataclass
class Story:
    """One case of the year: its household and its reports, oldest first."""

    network: Network
    case: Case
    victim: Person
    perpetrator: Person
    children: list[Person]
    reports: list[Report] = field(default_factory=list)
    transfer: CaseTransfer | None = None

    @property
    def last_facts(self) -> datetime:
        return max(r.offence_at for r in self.reports)


def _network(key: str) -> Network | None:
    zone = Agency.objects.filter(code=f"demo-{key}-police-zone").first()
    if zone is None:
        return None

    def agency(kind: str) -> Agency | None:
        return Agency.objects.filter(code=f"demo-{key}-{kind.replace('_', '-')}").first()

    def user(suffix: str) -> User | None:
        return User.objects.filter(username=f"{key}.{suffix}").first()

    places = []
    for refnis in (JurisdictionMunicipality.objects.filter(agency=zone).order_by("refnis")
                   .values_list("refnis", flat=True)):
        district = belgica.get_arrondissement_for_municipality(refnis)
        places.append((refnis, postcode_of(refnis), district["id"] if district else ""))
    officers = [u for u in (user("intervention"), user("reception")) if u is not None]
    if not places or not officers:
        return None
    readers = [u for u in (user("legal"), user("magistrate")) if u is not None]
    label = zone.name.split()[-1]
    return Network(key=key, language=zone.languages[0] if zone.languages else "fr",
                   label=label, zone=zone, office=agency(AgencyKind.PROSECUTOR),
                   programme=agency(AgencyKind.PERPETRATOR_PROGRAMME),
                   house_of_justice=agency(AgencyKind.HOUSE_OF_JUSTICE), places=places,
                   officers=officers, readers=readers, counsellor=user("programme"),
                   justice_assistant=user("justice"))


class YearOfFigures:
    """Builds the year in memory, then writes it table by table."""

    def __init__(self, *, today: date, seed: int) -> None:
        self.rng = random.Random(seed)
        self.now = timezone.now()
        self.today = today
        self.start, self.end = year_window(today)
        self.actors: dict[int, Actor] = {}
        self.events: list[AuditEvent] = []
        self.timeline: list[TimelineEntry] = []
        self.stories: list[Story] = []
        self.offices: dict[str, Agency | None] = {}

    def actor(self, user: User) -> Actor:
        if user.pk not in self.actors:
            self.actors[user.pk] = Actor.for_user(user, channel=CHANNEL)
        return self.actors[user.pk]

    def event(self, user: User | None, action: str, target: models.Model, *, case_id=None,
              scopes=(), basis: str = "") -> None:
        self.events.append(build_event(actor=self.actor(user) if user else None, action=action,
                                       target=target, case_id=case_id, scopes=scopes,
                                       basis=basis))

    def moment(self, day: date, *, evening: bool = True) -> datetime:
        """A time of ``day``: the facts mostly in the evening and at night."""
        if evening and self.rng.random() < 0.6:
            hour = self.rng.choice((18, 19, 20, 21, 22, 23))
        else:
            hour = self.rng.randint(7, 23)
        return timezone.make_aware(datetime.combine(day, time(hour, self.rng.randrange(0, 60,
                                                                                         5))))

    def before_now(self, moment: datetime, *, floor: datetime, margin_minutes: int = 30
                   ) -> datetime:
        return max(floor, min(moment, self.now - timedelta(minutes=margin_minutes)))

    # -- the people --------------------------------------------------------------------------
    def person(self, network: Network, *, female: bool, born_from: int, born_to: int,
               last_name: str | None = None, at: datetime) -> Person:
        rng = self.rng
        born = date(rng.randint(born_from, born_to), rng.randint(1, 12), rng.randint(1, 28))
        return Person(
            recorded_by_agency=network.zone,
            first_name=rng.choice(FIRST_NAMES_F if female else FIRST_NAMES_M),
            last_name=last_name or f"{rng.choice(LAST_NAMES)}-{network.label}",
            birth_date=born, sex="F" if female else "M", languages=[network.language],
            file_language=network.language, created_at=at, updated_at=at)

    def story(self, network: Network, offence_at: datetime, officer: User) -> Story:
        rng = self.rng
        situation = _pick(rng, SITUATIONS)
        opened_at = offence_at + timedelta(minutes=rng.randint(20, 90))
        if situation == Situation.HOUSEHOLD:  # a mother and her adult son, a sister and brother
            victim = self.person(network, female=True, born_from=1948, born_to=1978, at=opened_at)
            perpetrator = self.person(network, female=False, born_from=1980, born_to=2006,
                                      last_name=victim.last_name, at=opened_at)
        else:
            female = rng.random() < 0.86
            victim = self.person(network, female=female, born_from=1962, born_to=2004,
                                 at=opened_at)
            perpetrator = self.person(network, female=not female, born_from=1958,
                                      born_to=2003, at=opened_at)
        children = []
        if rng.random() < CHILD_RATE:
            for _ in range(rng.choice((1, 1, 2, 3))):
                children.append(self.person(network, female=rng.random() < 0.5, born_from=2009,
                                            born_to=2024, last_name=perpetrator.last_name,
                                            at=opened_at))
        refnis = rng.choice(network.places)[0]
        case = Case(reference="", owner_agency=network.zone, opened_by=officer,
                    opened_at=opened_at, situation=situation, municipality=refnis)
        return Story(network=network, case=case, victim=victim, perpetrator=perpetrator,
                     children=children)

    # -- the reports -------------------------------------------------------------------------
    def report(self, story: Story, *, network: Network, offence_at: datetime, officer: User,
               official: bool) -> Report:
        rng = self.rng
        text = TEXTS[network.language]
        refnis, postcode, district = rng.choice(network.places)
        kind = RecordKind.OFFICIAL_REPORT if official else RecordKind.INFORMATION_REPORT
        forms = [form for form, chance in FORMS[kind].items() if rng.random() < chance]
        injuries = official and rng.random() < 0.45
        if injuries and ViolenceForm.PHYSICAL not in forms:
            forms.insert(0, ViolenceForm.PHYSICAL)
        if not forms:
            forms = [ViolenceForm.PHYSICAL if official else ViolenceForm.VERBAL]
        forms = [f for f in ViolenceForm.values if f in forms]  # in the form's order
        # Recorded the same night, or the victim came to the desk a day or three later.
        delay = (timedelta(hours=rng.uniform(1, 4)) if rng.random() < 0.45
                 else timedelta(days=rng.randint(1, 3), hours=rng.uniform(0, 6)))
        created_at = self.before_now(offence_at + delay,
                                     floor=max(offence_at, story.case.opened_at)
                                     + timedelta(minutes=10))
        if story.children and rng.random() >= CHILDREN_NOT_RECORDED:
            children = {"no_children_concerned": False,
                        "children_present": _pick(rng, ((YesNoUnknown.YES, 0.6),
                                                        (YesNoUnknown.NO, 0.3),
                                                        (YesNoUnknown.UNKNOWN, 0.1))),
                        "children_impact": rng.choice(text["impact"])}
        else:
            children = {"no_children_concerned": True, "children_present": "",
                        "children_impact": ""}
        network.serial += 1
        return Report(
            case=story.case, agency=network.zone, officer=officer, victim=story.victim,
            perpetrator=story.perpetrator, kind=kind,
            pv_number=f"{network.key.upper()}.00.L0.{100 + network.serial:06d}/"
                      f"{offence_at.year}" if official else "",
            source=_pick(rng, SOURCES), offence_at=offence_at,
            recorded_on=timezone.localdate(created_at), postcode=postcode, municipality=refnis,
            district=district,
            is_intimate_partner=story.case.situation in (Situation.COUPLE, Situation.EX_COUPLE),
            forms=forms, visible_injuries=injuries,
            signs_of_struggle=official and rng.random() < 0.2,
            facts_context=rng.choice(text["contexts"]),
            facts_actions=rng.choice(text["official" if official else "information"]),
            **children,
            seen_alone=_pick(rng, ((YesNoUnknown.YES, 0.7), (YesNoUnknown.NO, 0.25),
                                   (YesNoUnknown.UNKNOWN, 0.05))),
            spoke_freely=_pick(rng, ((YesNoUnknown.YES, 0.65), (YesNoUnknown.NO, 0.2),
                                     (YesNoUnknown.UNKNOWN, 0.15))),
            referred_sapv=rng.random() < 0.6, referred_eva=official and rng.random() < 0.15,
            referred_cpvs=ViolenceForm.SEXUAL in forms, created_at=created_at)

    def network_year(self, network: Network) -> None:
        rng = self.rng
        base, information_share = PROFILES.get(network.key, (35, 0.3))
        moments: list[tuple[datetime, bool]] = []  # (facts, official)
        for month in _month_starts(self.start, self.end):
            next_month = (month + timedelta(days=32)).replace(day=1)
            days = [month + timedelta(days=i) for i in range((next_month - month).days)]
            covered = [d for d in days if self.start <= d <= self.end]
            whole = min(MAX_A_MONTH, max(MIN_A_MONTH, round(
                base * SEASON[month.month] * rng.uniform(0.88, 1.12))))
            volume = round(whole * len(covered) / len(days))
            official = [rng.random() >= information_share for _ in range(volume)]
            if len(covered) == len(days):  # a whole month has a few of each kind
                for kind in (True, False):
                    while official.count(kind) < MIN_OF_EACH_KIND:
                        official[rng.choice([i for i, o in enumerate(official)
                                             if o != kind])] = kind
            moments += [(self.moment(rng.choice(covered)), o) for o in official]
        stories: list[Story] = []
        for offence_at, official in sorted(moments):
            officer = rng.choice(network.officers)
            earlier = [s for s in stories[-80:] if s.case.opened_at < offence_at - timedelta(
                days=7)]
            if earlier and rng.random() < REPEAT_RATE:
                story = rng.choice(earlier)  # a new incident in the same household
            else:
                story = self.story(network, offence_at, officer)
                stories.append(story)
            story.reports.append(self.report(story, network=network, offence_at=offence_at,
                                             officer=officer, official=official))
        self.stories += stories

    def transfers(self, networks: list[Network]) -> None:
        """Two cases per network move to the next network's zone: the victim moved; that
        zone's later official report enters its own office."""
        rng = self.rng
        for index, network in enumerate(networks):
            receiver = networks[(index + 1) % len(networks)]
            if receiver is network:
                return
            candidates = [s for s in self.stories if s.network is network and len(s.reports) == 1
                          and s.reports[0].kind == RecordKind.OFFICIAL_REPORT
                          and self.start + timedelta(days=60) < s.reports[0].offence_at.date()
                          < self.end - timedelta(days=120)]
            for story in rng.sample(candidates, min(TRANSFERS_PER_NETWORK, len(candidates))):
                first = story.reports[0]
                requested_at = first.created_at + timedelta(days=rng.randint(15, 40))
                answered_at = requested_at + timedelta(days=rng.randint(1, 3), hours=2)
                story.transfer = CaseTransfer(
                    case=story.case, from_agency=network.zone, to_agency=receiver.zone,
                    reason=TEXTS[network.language]["transfer"].format(zone=receiver.label),
                    person_agreed=True, requested_by=network.officers[0],
                    requested_at=requested_at, status=TransferStatus.ACCEPTED,
                    answered_by=receiver.officers[0], answered_at=answered_at)
                offence_at = self.moment((answered_at + timedelta(days=rng.randint(10, 45)))
                                         .date())
                report = self.report(story, network=receiver, offence_at=offence_at,
                                     officer=receiver.officers[0], official=True)
                story.reports.append(report)

    # -- writing -----------------------------------------------------------------------------
    def write_cases(self) -> list[Person]:
        stories = self.stories
        cases = [s.case for s in stories]
        for index, case in enumerate(cases):  # unique until the pk is known
            case.reference = f"TMP-{self.now:%H%M%S}-{index:06d}"
        Case.objects.bulk_create(cases)
        for case in cases:
            case.reference = f"REL-{case.opened_at.year}-{case.pk:06d}"
        Case.objects.bulk_update(cases, ["reference"])
        persons = [p for s in stories for p in (s.victim, s.perpetrator, *s.children)]
        Person.objects.bulk_create(persons)
        participants = []
        for story in stories:
            participants.append(CaseParticipant(case=story.case, person=story.victim,
                                                role=ParticipantRole.VICTIM))
            participants.append(CaseParticipant(case=story.case, person=story.perpetrator,
                                                role=ParticipantRole.ALLEGED_PERPETRATOR))
            participants += [CaseParticipant(case=story.case, person=child,
                                             role=ParticipantRole.CHILD)
                             for child in story.children]
        CaseParticipant.objects.bulk_create(participants)
        for story in stories:
            case = story.case
            officer = case.opened_by
            self.timeline.append(TimelineEntry(case=case, occurred_at=case.opened_at,
                                               kind="case_opened", agency=case.owner_agency,
                                               source_type="cases.case", source_id=str(case.pk)))
            self.event(officer, Action.CREATE, case, case_id=case.pk, basis="owning agency")
        return persons

    def office_for(self, refnis: str) -> Agency | None:
        if refnis not in self.offices:
            self.offices[refnis] = prosecutor_for_municipality(refnis)
        return self.offices[refnis]

    def write_reports(self) -> list[Report]:
        rng = self.rng
        reports = [r for s in self.stories for r in s.reports]
        for report in reports:
            office = self.office_for(report.municipality) if report.is_official else None
            if office is not None:
                report.forwarded_to = office
                report.forwarded_at = self.before_now(
                    report.created_at + timedelta(hours=rng.uniform(0.3, 5)),
                    floor=report.created_at, margin_minutes=20)
        Report.objects.bulk_create(reports)
        shares: list[Share] = []
        for story in self.stories:
            shared: set[int] = set()
            for report in story.reports:
                label = "official_report" if report.is_official else "information_report"
                self.timeline.append(TimelineEntry(
                    case=story.case, occurred_at=report.offence_at, kind=label,
                    scope=Scope.JUDICIAL, agency=report.agency,
                    summary=", ".join(report.forms_labels)[:300],
                    source_type="intake.report", source_id=str(report.pk)))
                self.event(report.officer, Action.CREATE, report, case_id=story.case.pk,
                           scopes=[Scope.JUDICIAL], basis="owning agency")
                if report.forwarded_to is not None and report.forwarded_to.pk not in shared:
                    shared.add(report.forwarded_to.pk)
                    shares.append(Share(
                        case=story.case, kind=ShareKind.JUDICIAL_FORWARDING,
                        recipient_agency=report.forwarded_to,
                        scopes=sorted(JUDICIAL_FORWARDING_SCOPES), granted_by=report.officer,
                        granted_at=report.forwarded_at))
        Share.objects.bulk_create(shares)
        for share in shares:
            self.timeline.append(TimelineEntry(
                case=share.case, occurred_at=share.granted_at, kind="forwarded",
                agency=share.granted_by.agency,
                summary=f"{share.recipient_agency.name} — {ShareKind.JUDICIAL_FORWARDING.label}",
                source_type="access.share", source_id=str(share.pk)))
            self.event(share.granted_by, Action.SHARE, share, case_id=share.case.pk,
                       scopes=share.scopes, basis=LEGAL_BASIS[ShareKind.JUDICIAL_FORWARDING])
        return reports

    def write_entries(self, reports: list[Report], readers: dict[int, list[User]]) -> None:
        rng = self.rng
        entries: list[Entry] = []
        sections: dict[tuple[int, str], Section] = {}
        for report in reports:
            office = report.forwarded_to
            if office is None:
                continue
            key = (office.pk, report.municipality)
            if key not in sections:
                sections[key] = section_for(office, report.municipality)
            section = sections[key]
            received_at = report.forwarded_at
            if rng.random() > 0.55:  # by post or after the weekend: a few days later
                received_at = self.before_now(
                    received_at + timedelta(days=rng.randint(1, 4), hours=rng.uniform(0, 3)),
                    floor=received_at, margin_minutes=10)
            office_readers = readers.get(office.pk, [])
            reader = rng.choice(office_readers) if office_readers else None
            entry = Entry(agency=office, report=report, received_at=received_at, section=section,
                          reader=reader, due_on=due_on_for(received_at, section))
            if reader is not None and received_at < self.now - timedelta(days=DECIDED_AFTER_DAYS):
                entry.decision = _pick(rng, DECISIONS)
                entry.measures = self._measures(entry.decision)
                entry.decided_at = min(received_at + timedelta(days=rng.uniform(2, 24)),
                                       self.now - timedelta(days=1))
                entry.decided_by = reader
            entries.append(entry)
        Entry.objects.bulk_create(entries)
        events = []
        for entry in entries:
            report = entry.report
            events.append(EntryEvent(entry=entry, at=entry.received_at, by=report.officer,
                                     kind=EntryEventKind.RECEIVED,
                                     detail=report.agency.name[:300]))
            self.event(report.officer, Action.CREATE, entry, case_id=report.case.pk,
                       basis=TABLE_BASIS)
            if entry.reader is not None:
                events.append(EntryEvent(entry=entry, at=entry.received_at, by=None,
                                         kind=EntryEventKind.READER,
                                         detail=entry.reader.get_full_name()[:300]))
            if entry.decided_at is not None:
                events.append(EntryEvent(entry=entry, at=entry.decided_at, by=entry.decided_by,
                                         kind=EntryEventKind.DECIDED,
                                         detail=decision_summary(entry)[:300]))
                self.event(entry.decided_by, Action.UPDATE, entry, case_id=report.case.pk,
                           basis="prosecution decision")
        EntryEvent.objects.bulk_create(events)

    def _measures(self, decision: str) -> list[str]:
        rng = self.rng
        if decision == Decision.INVESTIGATION:
            return [Measure.NO_CONTACT] + ([Measure.SEIZURE] if rng.random() < 0.2 else [])
        if decision in (Decision.FOLLOW_UP, Decision.HEARING) and rng.random() < 0.4:
            return [rng.choice((Measure.NO_CONTACT, Measure.CONTACT_CONDITIONS,
                                Measure.PERPETRATOR_PROGRAMME))]
        return []

    def write_transfers(self) -> None:
        transfers = [s for s in self.stories if s.transfer is not None]
        shares = []
        for story in transfers:
            transfer = story.transfer
            kept = former_owner_scopes(transfer.from_agency)
            if kept:
                transfer.former_owner_share = Share(
                    case=story.case, kind=ShareKind.TRANSFER,
                    recipient_agency=transfer.from_agency, scopes=sorted(kept),
                    granted_by=transfer.answered_by, granted_at=transfer.answered_at)
                shares.append(transfer.former_owner_share)
            story.case.owner_agency = transfer.to_agency
        Share.objects.bulk_create(shares)
        CaseTransfer.objects.bulk_create([s.transfer for s in transfers])
        Case.objects.bulk_update([s.case for s in transfers], ["owner_agency"])
        for story in transfers:
            transfer = story.transfer
            self.timeline.append(TimelineEntry(
                case=story.case, occurred_at=transfer.answered_at, kind="case_transferred",
                agency=transfer.to_agency,
                summary=f"{transfer.from_agency.name} → {transfer.to_agency.name}",
                source_type="transfers.casetransfer", source_id=str(transfer.pk)))
            self.event(transfer.requested_by, Action.CREATE, transfer, case_id=story.case.pk,
                       basis="transfer requested")
            if transfer.former_owner_share is not None:
                share = transfer.former_owner_share
                self.event(transfer.answered_by, Action.SHARE, share, case_id=story.case.pk,
                           scopes=share.scopes, basis=LEGAL_BASIS[ShareKind.TRANSFER])
            self.event(transfer.answered_by, Action.UPDATE, transfer, case_id=story.case.pk,
                       basis=f"transfer accepted: owner agency {transfer.from_agency.pk} -> "
                             f"{transfer.to_agency.pk}")

    def close_old_cases(self) -> None:
        """A case is closed some weeks after its last facts."""
        rng = self.rng
        closed = []
        for story in self.stories:
            last = story.last_facts
            if last < self.now - timedelta(days=CLOSED_AFTER_DAYS):
                case = story.case
                case.status = CaseStatus.CLOSED
                case.closed_at = min(last + timedelta(days=rng.uniform(30, 70)),
                                     self.now - timedelta(days=1))
                closed.append(story)
        Case.objects.bulk_update([s.case for s in closed], ["status", "closed_at"])
        for story in closed:
            case = story.case
            closer = story.reports[-1].officer
            self.timeline.append(TimelineEntry(case=case, occurred_at=case.closed_at,
                                               kind="case_closed", agency=case.owner_agency,
                                               source_type="cases.case", source_id=str(case.pk)))
            self.event(closer, Action.UPDATE, case, case_id=case.pk, basis="case closed")

    def read_events(self) -> None:
        """The officer who recorded the case read it (as seed_scale does)."""
        for story in self.stories:
            self.event(story.case.opened_by, Action.READ, story.case, case_id=story.case.pk,
                       scopes=OWNER_SCOPES, basis="owning agency")


def _entry_readers(networks: list[Network]) -> dict[int, list[User]]:
    readers: dict[int, list[User]] = {}
    for network in networks:
        if network.office is not None:
            readers[network.office.pk] = network.readers
    return readers


def seed_year_of_figures(*, today: date, keys: Iterable[str] = DEMO_KEYS,
                         seed: int = 17) -> dict[str, int]:
    """Give each demo network a year of records (see the module docstring); returns how many
    rows of each kind were written (all zero when every network already has its year)."""
    cutoff = timezone.make_aware(datetime.combine(today - timedelta(days=60), time()))
    networks = []
    for key in keys:
        network = _network(key)
        if network is None or Report.objects.filter(agency=network.zone,
                                                    offence_at__lt=cutoff).exists():
            continue
        networks.append(network)
    counts = dict.fromkeys(("cases", "reports", "entries", "transfers", "programme files",
                            "audit events"), 0)
    if not networks:
        return counts
    year = YearOfFigures(today=today, seed=seed)
    for network in networks:
        year.network_year(network)
    year.transfers(networks)
    with transaction.atomic(), _explicit_dates(*_dated_fields()):
        persons = year.write_cases()
        reports = year.write_reports()
        year.write_entries(reports, _entry_readers(networks))
        year.write_transfers()
        year.close_old_cases()
        year.read_events()
        files = 0
        for network in networks:
            files += ProgrammeYear(year, network).write()
        TimelineEntry.objects.bulk_create(year.timeline)
        audit_record_many(year.events)
        keys_refresh(person_ids=[p.pk for p in persons])
    counts.update({"cases": len(year.stories), "reports": len(reports),
                   "entries": sum(1 for r in reports if r.forwarded_to_id),
                   "transfers": sum(1 for s in year.stories if s.transfer),
                   "programme files": files, "audit events": len(year.events)})
    return counts


class ProgrammeYear:
    """The network's perpetrator programme over the year: about three requests a month."""

    def __init__(self, year: YearOfFigures, network: Network) -> None:
        self.year = year
        self.rng = year.rng
        self.network = network

    def write(self) -> int:
        network = self.network
        programme, counsellor = network.programme, network.counsellor
        if programme is None or counsellor is None:
            return 0
        rules = settings_for(programme)
        self.completion_hours = rules.completion_hours
        open_format = GroupFormat.objects.filter(agency=programme, kind=FormatKind.OPEN,
                                                 active=True).first()
        if open_format is None:
            return 0
        year = self.year
        group = Group(agency=programme, format=open_format,
                      name=TEXTS[network.language]["group"], start_date=year.start,
                      created_by=counsellor,
                      created_at=timezone.make_aware(datetime.combine(year.start, time(9))))
        if Group.objects.filter(agency=programme, name=group.name).exists():
            return 0
        group.save()
        files, participants, changes, activities = self.plan(group, rules.min_interviews,
                                                             open_format)
        Participant.objects.bulk_create(participants)
        ProgrammeFile.objects.bulk_create(files)
        StatusChange.objects.bulk_create(changes)
        Activity.objects.bulk_create(activities)
        for participant in participants:
            year.event(counsellor, Action.CREATE, participant, basis="programme participant")
        for file in files:
            year.event(counsellor, Action.CREATE, file, case_id=file.case.pk if file.case
                       else None, basis=f"programme file ({file.route})")
        for change in changes:
            year.event(counsellor, Action.CREATE, change,
                       case_id=change.file.case.pk if change.file.case else None,
                       basis="programme status change")
        return len(files)

    def _forwarded_cases(self) -> list[Story]:
        office = self.network.office
        return [s for s in self.year.stories if s.network is self.network and any(
            r.forwarded_to is not None and r.forwarded_to == office for r in s.reports)]

    def plan(self, group: Group, min_interviews: int, open_format: GroupFormat):
        rng, year, network = self.rng, self.year, self.network
        counsellor = network.counsellor
        judicial = self._forwarded_cases()
        informed = [s for s in year.stories if s.network is network and s not in judicial]
        rng.shuffle(judicial)
        rng.shuffle(informed)
        months = list(_month_starts(year.start, year.end))
        files, participants, changes, activities = [], [], [], []
        for _ in range(PROGRAMME_FILES_PER_MONTH * len(months)):
            route = _pick(rng, ((Route.JUDICIAL, 0.55), (Route.POLICE_INFORMATION, 0.2),
                                (Route.VOLUNTARY, 0.25)))
            story = None
            if route == Route.JUDICIAL and judicial:
                story = judicial.pop()
                forwarded = min(r.forwarded_at for r in story.reports if r.forwarded_at)
                requested_on = (timezone.localdate(forwarded)
                                + timedelta(days=rng.randint(20, 60)))
            elif route == Route.POLICE_INFORMATION and informed:
                story = informed.pop()
                requested_on = (timezone.localdate(story.reports[0].created_at)
                                + timedelta(days=rng.randint(3, 25)))
            else:
                route = Route.VOLUNTARY
                requested_on = year.start + timedelta(days=rng.randint(0, (year.end
                                                                           - year.start).days))
            if requested_on > year.today:
                continue
            if story is not None:
                person = story.perpetrator
                participant = Participant(
                    agency=network.programme, person=person, first_name=person.first_name,
                    last_name=person.last_name, birth_date=person.birth_date,
                    language=network.language, created_by=counsellor)
            else:
                participant = Participant(
                    agency=network.programme, first_name=rng.choice(FIRST_NAMES_M),
                    last_name=f"{rng.choice(LAST_NAMES)}-{network.label}",
                    birth_date=date(rng.randint(1960, 2004), rng.randint(1, 12),
                                    rng.randint(1, 28)),
                    language=network.language, created_by=counsellor)
            at = timezone.make_aware(datetime.combine(requested_on, time(10)))
            participant.created_at = at
            file = ProgrammeFile(
                agency=network.programme, participant=participant, route=route,
                case=story.case if story is not None else None, requested_on=requested_on,
                status=FileStatus.WAITING, status_at=at,
                substance_use=self._substances(), created_by=counsellor, created_at=at)
            if route == Route.JUDICIAL:
                file.judicial_measure = _pick(rng, (
                    (JudicialMeasure.PROBATION, 0.4), (JudicialMeasure.PENAL_MEDIATION, 0.25),
                    (JudicialMeasure.AUTONOMOUS_PROBATION, 0.15),
                    (JudicialMeasure.PRETRIAL_ALTERNATIVE, 0.2)))
                file.prosecutor_office = network.office
                file.house_of_justice = network.house_of_justice
                file.justice_assistant = network.justice_assistant
                file.judicial_district = network.office.arrondissement if network.office else ""
                file.mandate_reference = (f"DEMO/{network.key.upper()}/{requested_on.year}/"
                                          f"{len(files) + 100:03d}")
            participants.append(participant)
            files.append(file)
            changes.append(StatusChange(file=file, from_status="", to_status=FileStatus.WAITING,
                                        at=at, by=counsellor))
            activities += self._progress(file, group, min_interviews, open_format, changes)
        return files, participants, changes, activities

    def _substances(self) -> list[str]:
        rng = self.rng
        roll = rng.random()
        if roll < 0.3:
            return [Substance.NONE]
        if roll < 0.42:
            return [Substance.UNKNOWN]
        used = [s for s, chance in ((Substance.ALCOHOL, 0.75), (Substance.DRUGS, 0.3),
                                    (Substance.MEDICATION, 0.08)) if rng.random() < chance]
        return used or [Substance.ALCOHOL]

    def _progress(self, file: ProgrammeFile, group: Group, min_interviews: int,
                  open_format: GroupFormat, changes: list[StatusChange]) -> list[Activity]:
        """Move the file on as far as its age allows: interviews, the group, the end."""
        rng, today, counsellor = self.rng, self.year.today, self.network.counsellor
        activities: list[Activity] = []

        def change(to_status: str, day: date, reason: str = "", note: str = "") -> None:
            at = timezone.make_aware(datetime.combine(day, time(16)))
            changes.append(StatusChange(file=file, from_status=file.status, to_status=to_status,
                                        at=at, by=counsellor, reason=reason, note=note))
            file.status, file.status_at = to_status, at

        def activity(kind: str, day: date, hours: Decimal, attended: bool) -> None:
            activities.append(Activity(
                file=file, kind=kind, group=group if kind == ActivityKind.GROUP_SESSION else None,
                occurred_on=day, scheduled_hours=hours,
                attendance=Attendance.ATTENDED if attended else Attendance.ABSENT,
                attended_hours=hours if attended else Decimal(0), recorded_by=counsellor,
                recorded_at=timezone.make_aware(datetime.combine(day, time(18)))))

        def stop(day: date) -> None:
            reason = _pick(rng, INTERRUPTIONS)
            note = TEXTS[self.network.language]["other_reason"] \
                if reason == InterruptionReason.OTHER else ""
            change(FileStatus.INCOMPLETE, day, reason, note)
            file.closed_on, file.interruption_reason, file.interruption_note = day, reason, note

        started = file.requested_on + timedelta(days=rng.randint(10, 45))
        if started > today - timedelta(days=3):
            return activities  # still on the waiting list
        if rng.random() < 0.1:  # he never came to the first interview
            stop(started)
            return activities
        change(FileStatus.PREPARATORY, started)
        file.started_on = started
        day = started
        for _ in range(min_interviews):
            activity(ActivityKind.INTERVIEW, day, INTERVIEW_HOURS, True)
            day += timedelta(days=rng.randint(7, 14))
        joined = max(day, group.start_date)
        if joined > today - timedelta(days=2):
            return activities
        change(FileStatus.IN_PROGRESS, joined)
        file.group, file.group_joined_on = group, joined
        hours = INTERVIEW_HOURS * min_interviews
        needed = self.completion_hours
        gives_up = rng.random() < 0.35
        session = joined
        absences = 0
        while session <= today - timedelta(days=1):
            attended = rng.random() < (0.6 if gives_up else 0.93)
            activity(ActivityKind.GROUP_SESSION, session, open_format.hours_per_session,
                     attended)
            if attended:
                hours += open_format.hours_per_session
            else:
                absences += 1
            if gives_up and absences >= 3:
                stop(min(session + timedelta(days=7), today))
                return activities
            if hours >= needed:
                change(FileStatus.COMPLETED, session)
                file.closed_on = session
                return activities
            session += timedelta(days=7)
        return activities
