"""The most vulnerable households of a zone in a crisis (issue 18 §1), built from data, ranked,
each with why it ranks where it does.

IPV-DACOVID's recommendations for the next crisis ask that the most vulnerable be reached
first. A household scores points for each of these, read from what Relais holds:

- very high / high / raised risk: 50 / 35 / 10 points (the case's headline risk level,
  relais.risk.headline);
- children on the case (persons with the role "child"): 15;
- each measure in force: 10 (an active residence ban, relais.measures; a no-contact order of
  the prosecutor's office, relais.justice; a harassment alarm in use, relais.alarms);
- isolation, a language need: 10 (an "interpreter" need recorded for the victim);
- isolation, no support: 10 (no referral of the case accepted or started by a service);
- no contact in N days: 15 (the victim's last contact attempt that reached her, on any
  follow-up task of the case, is older than N days, or there is none).

Relais does not record whether she lives alone, so that part of isolation is not scored.
A reason drawn on data the reader may not see on that case (health: the language need;
judicial: a measure; contact: the alarm) is left out (``relais.access.crisis_followup``).

Reasons are codes with parameters (``relais.followup.notes``), shown in the reader's language
on the list, in the crisis re-contact's preview and on each task it creates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Max, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from relais.access.cases import accesses_for_cases
from relais.access.crisis_followup import (
    may_list_vulnerable,
    reasons_allowed,
    vulnerable_scope,
)
from relais.access.scopes import Scope
from relais.alarms.models import AlarmAssignment, RequestStatus
from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.cases.models import CaseParticipant, NeedKind, ParticipantRole, Person, SpecificNeed
from relais.core.actor import Actor
from relais.followup.models import ContactAttempt, CouldSpeak, Outcome, Priority
from relais.followup.notes import Reason, register_note, render
from relais.followup.services import case_priorities
from relais.justice.models import Decision, Entry, Measure
from relais.measures.models import ResidenceBan
from relais.referrals.models import Referral, ReferralOutcome, ReferralStatus

DEFAULT_NO_CONTACT_DAYS = 14
DEFAULT_LIMIT = 100
MAX_LIMIT = 500

RISK_POINTS = {Priority.URGENT: 50, Priority.HIGH: 35, Priority.RAISED: 10}
CHILDREN_POINTS = 15
MEASURE_POINTS = 10
LANGUAGE_POINTS = 10
NO_SUPPORT_POINTS = 10
NO_CONTACT_POINTS = 15

# The kinds of measure a reason names (code → words, in the reader's language).
MEASURE_LABELS = {
    "residence_ban": _("a residence ban"),
    Measure.NO_CONTACT: _("a no-contact order"),
    "harassment_alarm": _("a harassment alarm"),
}
SUPPORTED = Q(status__in=[ReferralStatus.ACCEPTED, ReferralStatus.FIRST_CONTACT]) | Q(
    outcome__in=[ReferralOutcome.SUPPORT_STARTED, ReferralOutcome.SUPPORT_COMPLETED])


def _risk_words(params: dict[str, Any]) -> dict[str, Any]:
    try:
        return {"level": str(Priority(int(params.get("priority", 0))).label)}
    except ValueError:
        return {"level": "?"}


def _measure_words(params: dict[str, Any]) -> dict[str, Any]:
    return {"measure": str(MEASURE_LABELS.get(params.get("measure"), params.get("measure")))}


register_note("vh_risk", _("Risk level in force: %(level)s."), params=_risk_words)
register_note("vh_children", _("Children on the case: %(count)s."))
register_note("vh_measure", _("Measure in force: %(measure)s."), params=_measure_words)
register_note("vh_language_need", _("Isolation: she needs an interpreter."))
register_note("vh_no_support", _("Isolation: no support service has taken her on."))
register_note("vh_no_contact", _("No contact for %(days)s days (last on %(since)s)."))
register_note("vh_never_contacted", _("No contact recorded since the case was opened on "
                                      "%(since)s."))
register_note("crisis_vulnerable",
              _("Crisis re-contact of the most vulnerable households (rank %(rank)s)."))


@dataclass
class VulnerableHousehold:
    case: Any
    victim: Person
    priority: int
    children: int
    last_contact: datetime | None
    score: int = 0
    # [[code, params, points], ...]: why it ranks here, most weighty first.
    scored: list[list[Any]] = field(default_factory=list)

    def add(self, points: int, code: str, **params: Any) -> None:
        self.score += points
        self.scored.append([code, params, points])

    @property
    def reason(self) -> Reason:
        """The reasons as codes with parameters (what a task stores)."""
        return [[code, params] for code, params, _points in self.scored]

    @property
    def explained(self) -> list[tuple[str, int]]:
        """Each reason in the reader's language, with its points."""
        return [(render([[code, params]]), points) for code, params, points in self.scored]

    @property
    def priority_label(self) -> str:
        return str(Priority(self.priority).label)


def _first_victims(case_ids: list[int]) -> dict[int, int]:
    victims: dict[int, int] = {}
    for case_id, person_id in (CaseParticipant.objects
                               .filter(case_id__in=case_ids, role=ParticipantRole.VICTIM)
                               .order_by("added_at", "pk").values_list("case_id", "person_id")):
        victims.setdefault(case_id, person_id)
    return victims


def _children(case_ids: list[int]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for case_id in (CaseParticipant.objects.filter(case_id__in=case_ids,
                                                   role=ParticipantRole.CHILD)
                    .values_list("case_id", flat=True)):
        counts[case_id] = counts.get(case_id, 0) + 1
    return counts


def _measures(case_ids: list[int], now: datetime) -> dict[int, set[str]]:
    """Measures in force per case: residence ban, no-contact order, harassment alarm."""
    found: dict[int, set[str]] = {}
    for case_id in (ResidenceBan.objects.filter(case_id__in=case_ids, lifted_at__isnull=True,
                                                ends_at__gt=now)
                    .values_list("case_id", flat=True)):
        found.setdefault(case_id, set()).add("residence_ban")
    for case_id, measures in (Entry.objects.filter(report__case_id__in=case_ids,
                                                   decided_at__isnull=False)
                              .exclude(decision=Decision.CLOSED)
                              .values_list("report__case_id", "measures")):
        if Measure.NO_CONTACT in (measures or ()):
            found.setdefault(case_id, set()).add(Measure.NO_CONTACT)
    for case_id in (AlarmAssignment.objects.filter(case_id__in=case_ids,
                                                   returned_at__isnull=True,
                                                   request__status=RequestStatus.GRANTED)
                    .values_list("case_id", flat=True)):
        found.setdefault(case_id, set()).add("harassment_alarm")
    return found


MEASURE_SCOPE = {"residence_ban": Scope.JUDICIAL, Measure.NO_CONTACT: Scope.JUDICIAL,
                 "harassment_alarm": Scope.CONTACT}


def _last_contacts(case_ids: list[int], victims: dict[int, int]) -> dict[int, datetime]:
    """The victim's last contact attempt that reached her, per case."""
    reached = (~Q(outcome=Outcome.UNREACHABLE)
               & ~Q(could_speak_freely=CouldSpeak.NOT_REACHED))
    last: dict[int, datetime] = {}
    for case_id, person_id, at in (ContactAttempt.objects.filter(reached,
                                                                 task__case_id__in=case_ids)
                                   .values("task__case_id", "task__person_id")
                                   .annotate(at=Max("at"))
                                   .values_list("task__case_id", "task__person_id", "at")):
        if victims.get(case_id) == person_id and (case_id not in last or at > last[case_id]):
            last[case_id] = at
    return last


def _score(row: VulnerableHousehold, *, allowed: frozenset[str], measures: set[str],
           language_need: bool, supported: bool, no_contact_days: int, now: datetime) -> None:
    if row.priority in RISK_POINTS:
        row.add(RISK_POINTS[row.priority], "vh_risk", priority=int(row.priority))
    if row.children:
        row.add(CHILDREN_POINTS, "vh_children", count=row.children)
    if row.last_contact is None:
        row.add(NO_CONTACT_POINTS, "vh_never_contacted",
                since=timezone.localtime(row.case.opened_at).strftime("%d/%m/%Y"))
    elif row.last_contact < now - timedelta(days=no_contact_days):
        row.add(NO_CONTACT_POINTS, "vh_no_contact", days=(now - row.last_contact).days,
                since=timezone.localtime(row.last_contact).strftime("%d/%m/%Y"))
    for measure in sorted(measures):
        if MEASURE_SCOPE[measure] in allowed:
            row.add(MEASURE_POINTS, "vh_measure", measure=str(measure))
    if language_need and Scope.HEALTH in allowed:
        row.add(LANGUAGE_POINTS, "vh_language_need")
    if not supported:
        row.add(NO_SUPPORT_POINTS, "vh_no_support")
    row.scored.sort(key=lambda item: -item[2])


def _validate(no_contact_days: int, limit: int) -> None:
    if not 1 <= no_contact_days <= 365:
        raise ValidationError({"no_contact_days": [gettext("Choose between 1 and 365 days.")]})
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationError({"limit": [gettext("Choose between 1 and %(max)d households.")
                                         % {"max": MAX_LIMIT}]})


def rank_households(*, actor: Actor, no_contact_days: int = DEFAULT_NO_CONTACT_DAYS,
                    now: datetime | None = None) -> tuple[list[VulnerableHousehold], int]:
    """Every open household the actor may see, scored and ranked (not audited: callers do);
    returns the rows and the number of open cases looked at."""
    now = now or timezone.now()
    cases = list(vulnerable_scope(actor).only("pk", "reference", "owner_agency_id",
                                              "opened_at", "status"))
    case_ids = [case.pk for case in cases]
    if not case_ids:
        return [], 0
    victims = _first_victims(case_ids)
    cases = [case for case in cases if case.pk in victims]
    case_ids = [case.pk for case in cases]
    accesses = accesses_for_cases(actor=actor, cases=cases)
    priorities = case_priorities(case_ids)
    children = _children(case_ids)
    measures = _measures(case_ids, now)
    needing = set(SpecificNeed.objects.filter(person_id__in=set(victims.values()),
                                              kind=NeedKind.INTERPRETER)
                  .values_list("person_id", flat=True))
    supported = set(Referral.objects.filter(SUPPORTED, case_id__in=case_ids)
                    .values_list("case_id", flat=True))
    last = _last_contacts(case_ids, victims)
    persons = Person.objects.in_bulk(set(victims.values()))
    rows = []
    for case in cases:
        victim_id = victims[case.pk]
        row = VulnerableHousehold(case=case, victim=persons[victim_id],
                                  priority=priorities.get(case.pk, Priority.NORMAL),
                                  children=children.get(case.pk, 0),
                                  last_contact=last.get(case.pk))
        _score(row, allowed=reasons_allowed(accesses[case.pk], victim_id),
               measures=measures.get(case.pk, set()), language_need=victim_id in needing,
               supported=case.pk in supported, no_contact_days=no_contact_days, now=now)
        rows.append(row)
    rows.sort(key=lambda row: (-row.score, -row.priority,
                               row.last_contact.timestamp() if row.last_contact else 0.0,
                               row.case.pk))
    return rows, len(cases)


@dataclass(frozen=True)
class VulnerableList:
    rows: list[VulnerableHousehold]
    looked_at: int  # open households (with a victim) the actor may see
    no_contact_days: int


def vulnerable_households(*, actor: Actor, no_contact_days: int = DEFAULT_NO_CONTACT_DAYS,
                          limit: int = DEFAULT_LIMIT) -> VulnerableList:
    """The most vulnerable households the actor may see, ranked, with why (audited read).

    A constant number of queries whatever the number of cases."""
    if not may_list_vulnerable(actor):
        raise Http404
    _validate(no_contact_days, limit)
    rows, looked_at = rank_households(actor=actor, no_contact_days=no_contact_days)
    rows = [row for row in rows if row.score > 0][:limit]
    audit_record(actor=actor, action=Action.READ,
                 basis=f"vulnerable households ({len(rows)} of {looked_at} open cases, "
                       f"no contact in {no_contact_days} days)")
    return VulnerableList(rows=rows, looked_at=looked_at, no_contact_days=no_contact_days)
