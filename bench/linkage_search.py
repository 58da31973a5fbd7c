#!/usr/bin/env python
"""Benchmark of the in-request matcher: one new person against every person of the database.

    DATABASE_URL=postgres://.../relais_1m RELAIS_SECRET_KEY=bench \\
        .venv/bin/python bench/linkage_search.py --searches 300

The database must hold persons filed under their keys (``seed_scale`` does it;
``manage.py linkage_index`` for an older database). For each search, a record typed by an
officer: an existing person of another zone with the errors of the field (given name and
surname swapped, a typo, day and month swapped, no national number...), or a person nobody has
recorded. Alternating, in the same run:

- "match, zone": ``selectors.match_persons`` for an officer of a police zone (candidate scope:
  the whole judicial chain): the keys lookup, the persons' records (3 queries), the scoring;
- "match, shelter": the same for a shelter worker (candidate scope: the cases she sees), on
  records that exist only in police zones: what she must never learn, timed to show it takes
  the same time whether the person exists elsewhere or not;
- "baseline": the national number lookup an officer's search would do without the linkage
  (``Person.objects.filter(national_number=...)`` with its participations), the floor.

Prints medians, p95, p99 and the ratio to the baseline; the figures go in bench/README.md.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import timedelta

from benchlib import database_label, load_average, percentile  # noqa: F401 (sets Django up)
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from relais.accounts.models import AgencyKind, Role, User  # noqa: E402
from relais.cases.models import CaseParticipant, Person  # noqa: E402
from relais.core.actor import Actor  # noqa: E402
from relais.linkage.models import PersonKey  # noqa: E402
from relais.linkage.records import record_from_fields  # noqa: E402
from relais.linkage.selectors import match_persons  # noqa: E402


def typed_like(person: Person, rng: random.Random) -> dict:
    """What an officer of another zone types for this person, with one or two errors."""
    first, last = person.first_name, person.last_name
    born = person.birth_date
    errors = rng.sample(["swap", "typo", "day_month", "year", "no_nn", "no_birth"], 2)
    if "swap" in errors:
        first, last = last, first
    if "typo" in errors and len(last) > 3:
        i = rng.randrange(1, len(last) - 1)
        last = last[:i] + last[i + 1] + last[i] + last[i + 2:]
    if born and "day_month" in errors and born.day <= 12:
        born = born.replace(day=born.month, month=born.day)
    if born and "year" in errors:
        born = born.replace(year=born.year + 1) if not (born.month == 2 and born.day == 29) \
            else born
    if "no_birth" in errors:
        born = None
    return {"first_name": first, "last_name": last, "birth_date": born, "sex": person.sex,
            "national_number": "" if "no_nn" in errors else person.national_number}


def nobody(rng: random.Random, day) -> dict:
    return {"first_name": rng.choice(["Zinnia", "Orfeo", "Quirina", "Ysaline"]),
            "last_name": f"Inexistant{rng.randrange(10**6)}",
            "birth_date": day - timedelta(days=rng.randrange(20 * 365, 60 * 365)), "sex": "F"}


def actor_of(kind: str) -> Actor:
    user = User.objects.filter(agency__kind=kind, is_active=True).exclude(
        agency__isnull=True).first()
    if user is None:
        raise SystemExit(f"no user of a {kind} agency in this database")
    return Actor(user=user, agency=user.agency, roles=frozenset({
        Role.INTERVENTION_OFFICER if kind == AgencyKind.POLICE_ZONE else Role.SHELTER_WORKER}))


def timed(call) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


class Rollback(Exception):
    pass


def hidden_match_cost(shelter: Actor, rng: random.Random, day, count: int) -> dict:
    """The leak test: the same shelter search, with and without one more person of that
    identity in a police zone's case (inserted with its keys in a transaction rolled back),
    alternating. Returns the times of each and the paired differences (ms)."""
    from django.db import transaction

    from relais.cases.models import Case, ParticipantRole
    from relais.linkage.services import keys_refresh

    zone_case = Case.objects.filter(owner_agency__kind=AgencyKind.POLICE_ZONE).first()
    absent, present, differences = [], [], []
    for i in range(count + 10):
        fields = nobody(rng, day)
        record = record_from_fields(**fields)

        def alone(record=record) -> float:
            return timed(lambda: match_persons(actor=shelter, record=record))

        def with_hidden(fields=fields, record=record) -> float:
            try:
                with transaction.atomic():
                    person = Person.objects.create(
                        recorded_by_agency_id=zone_case.owner_agency_id,
                        first_name=fields["first_name"], last_name=fields["last_name"],
                        birth_date=fields["birth_date"], sex=fields["sex"])
                    CaseParticipant.objects.create(case=zone_case, person=person,
                                                   role=ParticipantRole.VICTIM)
                    keys_refresh(person_ids=[person.pk])
                    elapsed = timed(lambda: match_persons(actor=shelter, record=record))
                    raise Rollback
            except Rollback:
                return elapsed

        if i % 2:
            b, a = with_hidden(), alone()
        else:
            a, b = alone(), with_hidden()
        if i >= 10:  # warm-up
            absent.append(a)
            present.append(b)
            differences.append(b - a)
    return {"absent": absent, "present": present, "differences": differences}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--searches", type=int, default=300)
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    zone, shelter = actor_of(AgencyKind.POLICE_ZONE), actor_of(AgencyKind.SHELTER)
    top = Person.objects.order_by("-pk").values_list("pk", flat=True).first()
    persons = []
    while len(persons) < args.searches:
        p = Person.objects.filter(pk__gte=rng.randrange(1, top)).order_by("pk").first()
        if p and p.recorded_by_agency_id != zone.agency_id:
            persons.append(p)
    from django.utils import timezone

    today = timezone.localdate()
    typed = [typed_like(p, rng) for p in persons]
    ghosts = [nobody(rng, today) for _ in persons]
    found = 0
    times = {"match, zone": [], "match, shelter (exists elsewhere)": [],
             "match, shelter (exists nowhere)": [], "baseline: national number lookup": []}
    queries = {}
    for round_ in range(2):  # the first round warms the caches and is not kept
        for i, (p, fields, ghost) in enumerate(zip(persons, typed, ghosts, strict=True)):
            record, ghost_record = record_from_fields(**fields), record_from_fields(**ghost)
            nn = p.national_number

            def zone_search(record=record, p=p, keep=round_ == 1):
                nonlocal found
                hits = match_persons(actor=zone, record=record)
                found += any(pid == p.pk for pid, _m in hits) and keep

            steps = [
                ("match, zone", zone_search),
                ("match, shelter (exists elsewhere)",
                 lambda record=record: match_persons(actor=shelter, record=record)),
                ("match, shelter (exists nowhere)",
                 lambda g=ghost_record: match_persons(actor=shelter, record=g)),
                ("baseline: national number lookup",
                 lambda nn=nn: list(CaseParticipant.objects.filter(
                     person__national_number=nn).select_related("person", "case")[:20])),
            ]
            if i % 2:
                steps.reverse()
            for name, call in steps:
                with CaptureQueriesContext(connection) as seen:
                    elapsed = timed(call)
                if round_ == 1:
                    times[name].append(elapsed)
                    queries[name] = max(queries.get(name, 0), len(seen.captured_queries))
    leak = hidden_match_cost(shelter, rng, today, args.searches)
    base = percentile(times["baseline: national number lookup"], 0.5)
    print(f"## Linkage search, one new person against the database ({database_label()})\n")
    print(f"- persons: {Person.objects.count():,}; keys: {PersonKey.objects.count():,}; "
          f"searches: {args.searches} of each kind (after a warm-up round); load average: "
          f"{load_average()}")
    print(f"- the zone's search found the existing person {found} times of {args.searches}\n")
    print("| search | queries (at most) | median ms | p95 ms | p99 ms | ratio median to baseline |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, values in times.items():
        med = percentile(values, 0.5)
        print(f"| {name} | {queries[name]} | {med:.1f} | {percentile(values, 0.95):.1f} | "
              f"{percentile(values, 0.99):.1f} | {med / base:.2f}× |")
    print_leak(leak)


def print_leak(leak: dict) -> None:
    print("\nThe leak test: a shelter's search for an identity nobody she sees holds, without and "
          "with one person of that identity in a police zone's case (inserted and rolled back), "
          "alternating:\n")
    print("| shelter's search | median ms | p95 ms | p99 ms |")
    print("| --- | ---: | ---: | ---: |")
    for name, key in (("no such person anywhere", "absent"),
                      ("one in a police zone's case", "present")):
        values = leak[key]
        print(f"| {name} | {percentile(values, 0.5):.2f} | {percentile(values, 0.95):.2f} | "
              f"{percentile(values, 0.99):.2f} |")
    d = leak["differences"]
    print(f"\nPaired difference (with minus without): median {percentile(d, 0.5):+.3f} ms, "
          f"quartiles {percentile(d, 0.25):+.3f} / {percentile(d, 0.75):+.3f} ms.")


if __name__ == "__main__":
    main()

