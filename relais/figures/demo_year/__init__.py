"""A year of coherent figures for each network of the demo (called by ``seed_demo``).

``seed_year_of_figures(today=...)`` gives each demo network (its police zone, its prosecutor's
office, its perpetrator programme, as ``seed_demo`` builds them) the records the figures are
computed from, over the 12 whole months before the month of ``today`` and the days of this
month up to three days ago:

- **reports** of the zone, 25 to 56 a month with a seasonal shape (more in summer and over the
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
an update per decision and status change), so the chain stays verifiable; the persons are
filed under the linkage's keys. Not written: the follow-up tasks and risk checklists of these
reports (the figures do not count them). Idempotent: a network whose zone already has a report
older than two months is left as it is. Deterministic for a given ``today`` and ``seed``.

``records.py`` builds the police and justice side, ``programmes.py`` the programmes' files.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from relais.accounts.models import User
from relais.audit.services import audit_record_many
from relais.cases.models import TimelineEntry
from relais.figures.demo_year.programmes import ProgrammeYear
from relais.figures.demo_year.records import (
    DEMO_KEYS,
    Network,
    YearOfFigures,
    dated_fields,
    explicit_dates,
    network_of,
    year_window,
)
from relais.intake.models import Report
from relais.linkage.services import keys_refresh

__all__ = ["DEMO_KEYS", "seed_year_of_figures", "year_window"]


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
        network = network_of(key)
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
    with transaction.atomic(), explicit_dates(*dated_fields()):
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
