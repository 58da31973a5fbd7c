"""Generate a large synthetic data set for benchmarks: ``./dev manage seed_scale --cases N``.

Everything is obviously fictitious: agencies "Zone synthétique 1..", persons from
``relais.core.synthetic``, made-up national numbers with valid check digits. Rows are written
with ``bulk_create`` in batches, one transaction per batch; the audit events (a create and a
read per case, a share event per forwarded case) are chained in Python by
``audit_record_many``, so the chain stays verifiable (``./dev manage audit_verify``).

Can be run several times: agencies and staff are reused, case references continue after the
highest existing ``SCL-`` reference. Staff accounts have no usable password (benchmarks sign
in with ``force_login``).
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from relais.access.models import Share, ShareKind
from relais.access.scopes import JUDICIAL_FORWARDING_SCOPES, OWNER_SCOPES
from relais.accounts.models import Agency, AgencyKind, JurisdictionMunicipality, Role, User
from relais.accounts.services import user_create
from relais.audit.models import Action, AuditEvent
from relais.audit.services import audit_record_many, build_event
from relais.cases.models import (
    Address,
    Case,
    CaseParticipant,
    ParticipantRole,
    Person,
    PhoneNumber,
    Situation,
    TimelineEntry,
)
from relais.core.actor import Actor
from relais.core.synthetic import (
    FIRST_NAMES_F,
    FIRST_NAMES_M,
    LAST_NAMES,
    fictitious_national_number,
)
from relais.linkage.services import keys_refresh

REFERENCE_PREFIX = "SCL-"
SHARE_RATE = 0.20
CHILD_RATE = 0.40
CHANNEL = "seed"

# (REFNIS, postcode, street stem): Brussels municipalities, so that one prosecutor's office
# (arrondissement "brussel") is competent for every zone.
PLACES = (
    ("21009", "1050", "Rue de l'Exemple"),
    ("21015", "1030", "Avenue Fictive"),
    ("21004", "1000", "Boulevard du Modèle"),
    ("21001", "1070", "Rue de l'Essai"),
)

# (code, kind, name, staff user-name suffix, role)
OTHER_AGENCIES = (
    ("scale-parquet-1", AgencyKind.PROSECUTOR, "Parquet synthétique 1", "magistrate",
     Role.MAGISTRATE),
    ("scale-shelter-1", AgencyKind.SHELTER, "Refuge synthétique 1", "shelter",
     Role.SHELTER_WORKER),
    ("scale-support-1", AgencyKind.VICTIM_SUPPORT, "Service d'aide aux victimes synthétique 1",
     "support", Role.SUPPORT_WORKER),
    ("scale-programme-1", AgencyKind.PERPETRATOR_PROGRAMME, "Programme auteurs synthétique 1",
     "programme", Role.PROGRAMME_COUNSELLOR),
)


@dataclass(frozen=True)
class Zone:
    agency: Agency
    actor: Actor  # the intervention officer who "opens" the zone's cases
    refnis: str
    postcode: str
    street: str


@contextmanager
def _explicit_opened_at() -> Iterator[None]:
    """Let ``bulk_create`` keep the spread-out ``Case.opened_at`` we set (auto_now_add)."""
    field = Case._meta.get_field("opened_at")
    saved = field.auto_now_add
    field.auto_now_add = False
    try:
        yield
    finally:
        field.auto_now_add = saved


class Command(BaseCommand):
    help = "Generate N synthetic cases (with persons, shares and audit events) for benchmarks."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--cases", type=int, required=True, help="number of cases to add")
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument("--zones", type=int, default=4,
                            help="synthetic police zones owning the cases (default 4)")
        parser.add_argument("--batch-size", type=int, default=5000,
                            help="cases per transaction (default 5000)")

    def handle(self, *args, **options) -> None:
        total = options["cases"]
        batch_size = options["batch_size"]
        zone_count = options["zones"]
        if total < 1:
            raise CommandError("--cases must be at least 1.")
        if batch_size < 1 or not 1 <= zone_count <= 99:
            raise CommandError("--batch-size must be >= 1 and --zones between 1 and 99.")
        self.rng = random.Random(options["seed"])
        started = time.perf_counter()

        with transaction.atomic():
            zones, prosecutor = self._agencies_and_staff(zone_count)
        first = self._next_reference_number()
        self.now = timezone.now()
        counts = dict.fromkeys(
            ("cases", "persons", "participants", "phones", "addresses", "timeline", "shares",
             "audit events"), 0)
        done = 0
        with _explicit_opened_at():
            while done < total:
                size = min(batch_size, total - done)
                with transaction.atomic():
                    added = self._batch(first + done, size, zones, prosecutor)
                for key, value in added.items():
                    counts[key] += value
                done += size
                elapsed = time.perf_counter() - started
                self.stdout.write(f"  {done:>9,}/{total:,} cases  ({elapsed:6.1f} s, "
                                  f"{done / elapsed:,.0f} cases/s)")

        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(
            f"seed_scale: added {counts['cases']:,} cases in {elapsed:.1f} s "
            f"(references {REFERENCE_PREFIX}{first:08d}..{REFERENCE_PREFIX}"
            f"{first + total - 1:08d})."))
        for key, value in counts.items():
            self.stdout.write(f"  {key:<13} +{value:,}")
        self.stdout.write(f"Database now holds {Case.objects.count():,} cases, "
                          f"{Person.objects.count():,} persons, "
                          f"{AuditEvent.objects.count():,} audit events.")

    # -- agencies and staff -----------------------------------------------------------------
    def _agency(self, code: str, kind: str, name: str, **extra) -> Agency:
        agency, _created = Agency.objects.get_or_create(
            code=code,
            defaults={"name": name, "kind": kind, "languages": ["fr"], "is_demo": False, **extra},
        )
        return agency

    def _staff(self, username: str, agency: Agency, role: str, last_name: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(username=username, agency=agency, roles=[role], password=None,
                               first_name="Agent", last_name=last_name)
        return user

    def _agencies_and_staff(self, zone_count: int) -> tuple[list[Zone], Agency]:
        zones: list[Zone] = []
        for number in range(1, zone_count + 1):
            refnis, postcode, street = PLACES[(number - 1) % len(PLACES)]
            agency = self._agency(f"scale-zone-{number}", AgencyKind.POLICE_ZONE,
                                  f"Zone synthétique {number}")
            JurisdictionMunicipality.objects.get_or_create(agency=agency, refnis=refnis)
            officer = self._staff(f"scale.zone{number}.intervention", agency,
                                  Role.INTERVENTION_OFFICER, f"Synthétique {number}")
            self._staff(f"scale.zone{number}.reference", agency, Role.IPV_REFERENCE_OFFICER,
                        f"Synthétique {number}")
            zones.append(Zone(agency=agency, actor=Actor.for_user(officer, channel=CHANNEL),
                              refnis=refnis, postcode=postcode, street=street))
        prosecutor = None
        for code, kind, name, suffix, role in OTHER_AGENCIES:
            extra = {"arrondissement": "brussel"} if kind == AgencyKind.PROSECUTOR else {}
            agency = self._agency(code, kind, name, **extra)
            self._staff(f"scale.{suffix}", agency, role, "Synthétique")
            if kind == AgencyKind.PROSECUTOR:
                prosecutor = agency
        assert prosecutor is not None
        return zones, prosecutor

    def _next_reference_number(self) -> int:
        last = (Case.objects.filter(reference__startswith=REFERENCE_PREFIX)
                .order_by("-reference").values_list("reference", flat=True).first())
        if last is None:
            return 1
        try:
            return int(last[len(REFERENCE_PREFIX):]) + 1
        except ValueError as error:
            raise CommandError(f"Unexpected reference {last!r}.") from error

    # -- one batch --------------------------------------------------------------------------
    def _person(self, zone: Zone, serial: int, *, female: bool, born: date) -> Person:
        rng = self.rng
        first = rng.choice(FIRST_NAMES_F if female else FIRST_NAMES_M)
        return Person(
            recorded_by_agency=zone.agency, first_name=first, last_name=rng.choice(LAST_NAMES),
            birth_date=born, sex="F" if female else "M", languages=["fr"], file_language="fr",
            national_number=fictitious_national_number(born, serial),
        )

    def _birth(self, year_from: int, year_to: int) -> date:
        return date(self.rng.randint(year_from, year_to), self.rng.randint(1, 12),
                    self.rng.randint(1, 28))

    def _batch(self, first: int, size: int, zones: list[Zone],
               prosecutor: Agency) -> dict[str, int]:
        rng = self.rng
        now = self.now
        cases: list[Case] = []
        zone_of: list[Zone] = []
        for i in range(first, first + size):
            zone = zones[i % len(zones)]
            opened_at = now - timedelta(days=rng.uniform(0, 3 * 365))
            cases.append(Case(
                reference=f"{REFERENCE_PREFIX}{i:08d}", owner_agency=zone.agency,
                opened_by_id=zone.actor.user_id, opened_at=opened_at,
                situation=rng.choice(Situation.values), municipality=zone.refnis,
            ))
            zone_of.append(zone)
        Case.objects.bulk_create(cases)

        # Persons: victim, alleged perpetrator, sometimes a child.
        persons: list[Person] = []
        roles: list[tuple[int, str]] = []  # (case index, role), parallel to persons
        for index, case in enumerate(cases):
            zone = zone_of[index]
            serial = int(case.reference[len(REFERENCE_PREFIX):])
            victim_female = rng.random() < 0.85
            persons.append(self._person(zone, serial * 3, female=victim_female,
                                        born=self._birth(1960, 2004)))
            roles.append((index, ParticipantRole.VICTIM))
            persons.append(self._person(zone, serial * 3 + 1, female=not victim_female,
                                        born=self._birth(1955, 2004)))
            roles.append((index, ParticipantRole.ALLEGED_PERPETRATOR))
            if rng.random() < CHILD_RATE:
                persons.append(self._person(zone, serial * 3 + 2, female=rng.random() < 0.5,
                                            born=self._birth(2008, 2024)))
                roles.append((index, ParticipantRole.CHILD))
        Person.objects.bulk_create(persons)

        participants: list[CaseParticipant] = []
        phones: list[PhoneNumber] = []
        addresses: list[Address] = []
        for person, (index, role) in zip(persons, roles, strict=True):
            case = cases[index]
            participants.append(CaseParticipant(case_id=case.pk, person_id=person.pk, role=role))
            if role == ParticipantRole.VICTIM:
                zone = zone_of[index]
                serial = int(case.reference[len(REFERENCE_PREFIX):])
                phones.append(PhoneNumber(person_id=person.pk,
                                          number=f"+32470{serial % 1_000_000:06d}",
                                          label="GSM", safe=rng.random() < 0.7))
                addresses.append(Address(person_id=person.pk,
                                         street=f"{zone.street} {rng.randint(1, 250)}",
                                         postcode=zone.postcode, municipality=zone.refnis,
                                         keeper_agency_id=zone.agency.pk))
        CaseParticipant.objects.bulk_create(participants)
        PhoneNumber.objects.bulk_create(phones)
        Address.objects.bulk_create(addresses)
        # The linkage's blocking keys (the services file them; bulk creation bypasses them).
        keys_refresh(person_ids=[person.pk for person in persons])

        timeline: list[TimelineEntry] = []
        shares: list[Share] = []
        events: list[AuditEvent] = []
        forwarded: list[tuple[int, Share]] = []
        for index, case in enumerate(cases):
            zone = zone_of[index]
            timeline.append(TimelineEntry(
                case_id=case.pk, occurred_at=case.opened_at, kind="case_opened",
                agency_id=zone.agency.pk, source_type="cases.case", source_id=str(case.pk)))
            if rng.random() < SHARE_RATE:
                share = Share(
                    case_id=case.pk, kind=ShareKind.JUDICIAL_FORWARDING,
                    recipient_agency=prosecutor, scopes=sorted(JUDICIAL_FORWARDING_SCOPES),
                    granted_by_id=zone.actor.user_id,
                    granted_at=min(case.opened_at + timedelta(hours=rng.uniform(1, 72)), now),
                )
                shares.append(share)
                forwarded.append((index, share))
        Share.objects.bulk_create(shares)
        for index, share in forwarded:
            case = cases[index]
            timeline.append(TimelineEntry(
                case_id=case.pk, occurred_at=share.granted_at, kind="forwarded",
                agency_id=zone_of[index].agency.pk, summary=prosecutor.name,
                source_type="access.share", source_id=str(share.pk)))
        TimelineEntry.objects.bulk_create(timeline)

        share_of = {index: share for index, share in forwarded}
        for index, case in enumerate(cases):
            actor = zone_of[index].actor
            events.append(build_event(actor=actor, action=Action.CREATE, target=case,
                                      case_id=case.pk, basis="owning agency"))
            share = share_of.get(index)
            if share is not None:
                events.append(build_event(actor=actor, action=Action.SHARE, target=share,
                                          case_id=case.pk, scopes=share.scopes,
                                          basis=share.legal_basis))
            events.append(build_event(actor=actor, action=Action.READ, target=case,
                                      case_id=case.pk, scopes=OWNER_SCOPES,
                                      basis="owning agency"))
        audit_record_many(events)
        return {"cases": len(cases), "persons": len(persons),
                "participants": len(participants), "phones": len(phones),
                "addresses": len(addresses), "timeline": len(timeline), "shares": len(shares),
                "audit events": len(events)}
