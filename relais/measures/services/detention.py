"""Detention and release: the prosecutor's office records an arrest warrant or detention, the
police an arrest; a release warns the police zone where the victim lives at once, with a
same-day task to tell her."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from relais.access.cases import visible_cases
from relais.access.measures import (
    may_detain,
    measures_access,
)
from relais.access.scopes import Scope
from relais.accounts.models import (
    Agency,
    Role,
    Unit,
    UnitKind,
)
from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.cases.models import Case, CaseParticipant, ParticipantRole
from relais.cases.timeline import timeline_add
from relais.core.actor import Actor
from relais.core.history import authored
from relais.core.texts import choice, text
from relais.followup import notes
from relais.followup.models import Task, TaskKind
from relais.followup.rules import TaskSpec, local_day
from relais.followup.services import (
    task_create_for,
)
from relais.measures.models import (
    Detention,
    DetentionKind,
    ReleaseCondition,
)
from relais.measures.rules import end_of_day
from relais.measures.services.bans import (
    _roles_in_case,
)
from relais.measures.services.common import (
    PLANNED_RELEASE_MAX_DAYS,
    _open_case_to,
    victim_zone,
    when,
    zone_is_discreet,
)
from relais.notifications.models import NoticeKind
from relais.notifications.services import notice_send

# --- Detention and release ----------------------------------------------------------------------

def _conditions_errors(conditions: list[str], note: str,
                       errors: dict[str, list[str]]) -> list[str]:
    chosen = list(dict.fromkeys(conditions))
    if any(code not in ReleaseCondition.values for code in chosen):
        errors["conditions"] = [_("Choose conditions from the list.")]
    elif ReleaseCondition.OTHER in chosen and not note.strip():
        errors["conditions_note"] = [_("Describe the other condition.")]
    return chosen


@transaction.atomic
def detention_record(
    *,
    actor: Actor,
    case_id: int,
    person_id: int | None,
    kind: str,
    since: datetime | None,
    place: str = "",
    expected_release_on: date | None = None,
    conditions: list[str] | None = None,
    conditions_note: str = "",
) -> Detention:
    """The prosecutor's office records an arrest warrant or detention; the police an arrest."""
    access = measures_access(actor=actor, case_id=case_id)
    if not may_detain(actor):
        raise Http404
    case = access.case
    now = timezone.now()
    errors: dict[str, list[str]] = {}
    roles = _roles_in_case(case)
    if person_id is None or roles.get(person_id) != ParticipantRole.ALLEGED_PERPETRATOR:
        errors["person"] = [_("Choose the alleged perpetrator of this case.")]
    if kind not in DetentionKind.values:
        errors["kind"] = [_("Choose the kind of detention.")]
    if since is None:
        errors["since"] = [_("Give when the detention started.")]
    elif since > now + timedelta(minutes=5):
        errors["since"] = [_("A detention cannot start in the future.")]
    if since is not None and expected_release_on is not None \
            and expected_release_on < local_day(since):
        errors["expected_release_on"] = [_("The expected release cannot come before the "
                                           "detention started.")]
    chosen = _conditions_errors(conditions or [], conditions_note, errors)
    if person_id is not None and not errors and Detention.objects.filter(
            case=case, person_id=person_id, released_at__isnull=True).exists():
        errors["person"] = [_("He is already recorded as detained on this case: record his "
                              "release first.")]
    if errors:
        raise ValidationError(errors)
    detention = Detention(case=case, person_id=person_id, kind=kind, since=since,
                          place=place.strip(), expected_release_on=expected_release_on,
                          conditions=chosen, conditions_note=conditions_note.strip(),
                          recorded_by=actor.user, recorded_by_agency=actor.agency)
    detention.full_clean()
    authored(actor, detention)
    detention.save()
    audit_record(actor=actor, action=Action.CREATE, target=detention, case_id=case.pk,
                 scopes=[Scope.JUDICIAL], basis="detention recorded")
    timeline_add(case=case, kind="detention_recorded", agency_id=actor.agency_id,
                 scope=Scope.JUDICIAL, source=detention, occurred_at=since,
                 text=choice("measures.detention_kind", kind))
    return detention


@dataclass(frozen=True)
class ReleaseWarning:
    """One victim's zone told of the release, and the task to warn her."""

    victim_id: int
    zone: Agency | None
    task: Task | None
    shared: bool = False
    # The zone was found from a confidential address the actor may not see: its name is not
    # shown to her (it would say roughly where the shelter is).
    discreet: bool = False


@dataclass(frozen=True)
class ReleaseRecorded:
    detention: Detention
    warnings: tuple[ReleaseWarning, ...]

    @property
    def unwarned(self) -> bool:
        """A victim whose zone does not use Relais: someone must phone it."""
        return any(w.zone is None for w in self.warnings)


def _victim_ids(case: Case) -> list[int]:
    return list(CaseParticipant.objects.filter(case=case, role=ParticipantRole.VICTIM)
                .order_by("pk").values_list("person_id", flat=True))


def _victim_assistance_unit(zone: Agency) -> int | None:
    return (Unit.objects.filter(agency=zone, kind=UnitKind.VICTIM_ASSISTANCE).order_by("pk")
            .values_list("pk", flat=True).first())


@transaction.atomic
def release_record(*, actor: Actor, detention_id: int, released_at: datetime | None,
                   conditions: list[str] | None = None,
                   conditions_note: str = "") -> ReleaseRecorded:
    """Record a release (done, or planned within days); at once, for each victim of the case:

    (a) the police zone of her residence is found (her current address's municipality; else
        the zone serving the case) and the case is opened to it (judicial and contact scopes)
        when it does not own it;
    (b) its victim-assistance workers and IPV reference officer get a RELEASE notice;
    (c) its victim-assistance service gets a same-day task to warn her, which shows her
        safe-contact instructions. Made once per detention and victim (its origin key).
    """
    detention = (Detention.objects.select_for_update(of=("self",)).select_related("case")
                 .filter(pk=detention_id, case__in=visible_cases(actor)).first())
    if detention is None:
        raise Http404
    measures_access(actor=actor, case_id=detention.case_id)
    if not may_detain(actor):
        raise Http404
    now = timezone.now()
    if detention.released_at is not None:
        raise ValidationError(_("The release was already recorded (%(when)s): nothing was "
                                "changed.") % {"when": when(detention.released_at)})
    errors: dict[str, list[str]] = {}
    if released_at is None:
        errors["released_at"] = [_("Give the date and time of the release.")]
    elif released_at < detention.since:
        errors["released_at"] = [_("The release cannot come before the detention started "
                                   "(%(since)s).") % {"since": when(detention.since)}]
    elif released_at > now + timedelta(days=PLANNED_RELEASE_MAX_DAYS):
        errors["released_at"] = [_("Record a planned release at most %(days)d days ahead.")
                                 % {"days": PLANNED_RELEASE_MAX_DAYS}]
    chosen = _conditions_errors(conditions if conditions is not None else detention.conditions,
                                conditions_note, errors)
    if errors:
        raise ValidationError(errors)
    case = detention.case
    detention.released_at = released_at
    detention.conditions = chosen
    detention.conditions_note = conditions_note.strip()
    detention.release_recorded_by, detention.release_recorded_at = actor.user, now
    detention.full_clean()
    authored(actor, detention)
    detention.save()
    audit_record(actor=actor, action=Action.UPDATE, target=detention, case_id=case.pk,
                 scopes=[Scope.JUDICIAL], basis="release recorded")
    conditions = (choice("measures.release_condition", list(detention.conditions))
                  if detention.conditions else text("measures.no_condition"))
    timeline_add(case=case, kind="release_recorded", agency_id=actor.agency_id,
                 scope=Scope.JUDICIAL, source=detention, occurred_at=released_at,
                 text=text("measures.release", when=when(released_at), conditions=conditions))
    warnings = [_warn_of_release(actor=actor, detention=detention, victim_id=victim_id, now=now)
                for victim_id in _victim_ids(case)]
    first = next((w.zone for w in warnings if w.zone is not None), None)
    if first is not None:
        detention.release_zone = first
        authored(actor, detention)
        detention.save(update_fields=["release_zone"])
    return ReleaseRecorded(detention=detention, warnings=tuple(warnings))


def _warn_of_release(*, actor: Actor, detention: Detention, victim_id: int,
                     now: datetime) -> ReleaseWarning:
    case = detention.case
    zone = victim_zone(case, victim_id)
    if zone is None:
        return ReleaseWarning(victim_id=victim_id, zone=None, task=None)
    shared = _open_case_to(actor=actor, case=case, agency=zone,
                           scopes=[Scope.JUDICIAL, Scope.CONTACT],
                           purpose="release of the alleged perpetrator: warn the victim")
    due = end_of_day(now)
    if now < detention.released_at < due:
        due = detention.released_at
    task = task_create_for(
        actor=actor, case=case, agency=zone, source=detention,
        basis="release: warn the victim",
        spec=TaskSpec(kind=TaskKind.RELEASE_WARNING,
                      origin_key=f"release:{detention.pk}:{victim_id}", due_at=due,
                      person_id=victim_id, for_role=Role.VICTIM_ASSISTANCE_WORKER,
                      unit_id=_victim_assistance_unit(zone),
                      reason=notes.reason("release_warning", when=when(detention.released_at),
                                          conditions=list(detention.conditions))))
    if task is not None:
        for role in (Role.VICTIM_ASSISTANCE_WORKER, Role.IPV_REFERENCE_OFFICER):
            notice_send(actor=actor, agency=zone, for_role=role, case=case,
                        kind=NoticeKind.RELEASE, source=detention)
    return ReleaseWarning(victim_id=victim_id, zone=zone, task=task, shared=shared,
                          discreet=zone_is_discreet(actor=actor, case=case, person_id=victim_id,
                                                    zone=zone))
