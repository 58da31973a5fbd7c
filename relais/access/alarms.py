"""Access policy of the harassment alarm (COL 3/2023): requests, decisions, devices, the
dispatch board and the dispatcher's one-screen summary of a press.

- The zone's officers and its victim-assistance service ask for an alarm on a case their zone
  owns (``REQUESTER_ROLES``); the prosecutor's office it was forwarded to decides
  (``DECIDER_ROLES``).
- The zone's reference officer hands the device over, reviews and ends the alarm
  (``ALARM_MANAGER_ROLES``); she and the administrator keep the inventory
  (``DEVICE_ADMIN_ROLES``), the administrator never learning whom a device is with.
- Dispatchers open nothing but the board and the summary of a press (``alarm_summary_access``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from relais.access.cases import CaseAccess, visible_cases
from relais.access.scopes import ALARM_SUMMARY_SCOPES, Reach, Scope, reach_of
from relais.accounts.models import AgencyKind, Role
from relais.alarms.models import AlarmActivation, AlarmRequest
from relais.cases.models import Address
from relais.core.actor import Actor

# Who asks for an alarm: the zone's officers and its victim-assistance service (SAPV).
REQUESTER_ROLES = frozenset({Role.INTERVENTION_OFFICER, Role.IPV_REFERENCE_OFFICER,
                             Role.VICTIM_ASSISTANCE_WORKER, Role.EVA_OFFICER})
# Who decides in the prosecutor's office.
DECIDER_ROLES = frozenset({Role.MAGISTRATE, Role.LEGAL_ADVISOR})
# Who keeps the zone's inventory (the administrator never sees whom a device is with).
DEVICE_ADMIN_ROLES = frozenset({Role.IPV_REFERENCE_OFFICER, Role.ADMINISTRATOR})
# Who hands a device to the victim, reviews the alarm and ends it.
ALARM_MANAGER_ROLES = frozenset({Role.IPV_REFERENCE_OFFICER})

ALARM_SUMMARY_BASIS = "harassment-alarm activation"
# After it is marked handled, an activation's summary stays open this long after it arrived.
ALARM_SUMMARY_HOURS = 24


def _is_zone(actor: Actor) -> bool:
    return actor.agency is not None and actor.agency.kind == AgencyKind.POLICE_ZONE


def _is_office(actor: Actor) -> bool:
    return actor.agency is not None and actor.agency.kind == AgencyKind.PROSECUTOR


def is_dispatcher(actor: Actor) -> bool:
    """A dispatcher of a police zone: the board and the summaries, nothing else."""
    return _is_zone(actor) and actor.has_role(Role.DISPATCHER)


def may_keep_inventory(actor: Actor) -> bool:
    return _is_zone(actor) and actor.has_role(*DEVICE_ADMIN_ROLES)


def may_request(actor: Actor) -> bool:
    """May ask for an alarm (on a case her zone owns: ``owner_case_access`` as well)."""
    return actor.has_role(*REQUESTER_ROLES)


def may_request_on(access: CaseAccess) -> bool:
    return access.is_owner and may_request(access.actor)


def is_decider(actor: Actor) -> bool:
    """A magistrate or legal advisor of a prosecutor's office."""
    return _is_office(actor) and actor.has_role(*DECIDER_ROLES)


def may_decide(actor: Actor, request: AlarmRequest) -> bool:
    return actor.has_role(*DECIDER_ROLES) and request.prosecutor_office_id == actor.agency_id


def may_manage(access: CaseAccess, request: AlarmRequest) -> bool:
    """The zone's reference officer hands over, reviews and ends the alarm of her zone."""
    actor = access.actor
    return (access.is_owner and actor.has_role(*ALARM_MANAGER_ROLES)
            and request.agency_id == actor.agency_id)


def may_refer(access: CaseAccess) -> bool:
    """Support as referrals: the owning zone's staff who reach every case."""
    return access.is_owner and reach_of(access.actor.roles) >= Reach.ALL


def shows_device_case(actor: Actor) -> bool:
    """Whether the inventory shows which case a device is with (never to the administrator)."""
    return actor.has_role(*ALARM_MANAGER_ROLES) and reach_of(actor.roles) >= Reach.ALL


def sees_requests(actor: Actor) -> bool:
    if actor.agency is None or reach_of(actor.roles) < Reach.ALL:
        return False
    if _is_zone(actor):
        return may_request(actor)
    return is_decider(actor)


def sees_alarms_menu(actor: Actor) -> bool:
    """The menu entry: dispatchers (the board), the inventory keepers, the deciding office."""
    return (is_dispatcher(actor) or may_keep_inventory(actor)
            or (sees_requests(actor) and _is_office(actor)))


def request_scope(actor: Actor) -> QuerySet[AlarmRequest]:
    """The requests the reader lists: the zone's own, or those at her prosecutor's office, on
    the cases she sees."""
    if not sees_requests(actor):
        return AlarmRequest.objects.none()
    qs = AlarmRequest.objects.filter(case__in=visible_cases(actor))
    if _is_office(actor):
        return qs.filter(prosecutor_office_id=actor.agency_id)
    return qs.filter(agency_id=actor.agency_id)


def may_open_request(access: CaseAccess, request: AlarmRequest) -> bool:
    """One request's page: the same people as the list (``request_scope``), with the judicial
    scope on its case."""
    actor = access.actor
    return (sees_requests(actor) and Scope.JUDICIAL in access.scopes
            and actor.agency_id in (request.agency_id, request.prosecutor_office_id))


def sees_case_requests(access: CaseAccess) -> bool:
    """The case page's panel of alarm requests: the zone and the prosecutor's office, with
    the judicial scope."""
    return Scope.JUDICIAL in access.scopes and (_is_zone(access.actor)
                                                 or _is_office(access.actor))


def board_scope(actor: Actor) -> QuerySet[AlarmActivation]:
    """Activations on the dispatch board: the zone's devices and those received from it."""
    if not is_dispatcher(actor):
        return AlarmActivation.objects.none()
    zone = actor.agency_id
    return AlarmActivation.objects.filter(Q(agency_id=zone) | Q(received_from_id=zone))


def may_handle(actor: Actor, activation: AlarmActivation | None) -> bool:
    return (activation is not None and actor.has_role(Role.DISPATCHER)
            and actor.agency_id in (activation.agency_id, activation.received_from_id))


def may_receive_activations(actor: Actor) -> bool:
    """The zone's dispatch service account sends presses through the API."""
    return is_dispatcher(actor)


@dataclass(frozen=True)
class AlarmSummaryAccess(CaseAccess):
    """A dispatcher's access to one case, opened by one alarm activation: exactly the summary
    (``ALARM_SUMMARY_SCOPES``), never the case page, never an address (the location shown is
    the one the alarm sent)."""

    @property
    def basis(self) -> str:
        return ALARM_SUMMARY_BASIS

    def address_visible(self, address: Address, role: str) -> bool:
        return False


def alarm_summary_access(*, actor: Actor, activation: AlarmActivation | None
                         ) -> AlarmSummaryAccess:
    """The rule of the harassment alarm's summary; Http404 for anyone else.

    Dispatchers reach only the cases they are assigned to (``Reach.ASSIGNED``), so they cannot
    open a case; when a victim presses her alarm, the dispatchers of the zone whose device it
    is (or of the zone that owns the case) see its summary: risk level and critical signals,
    measures in force, children, weapons, the perpetrator's and victim's names and phones, her
    safe-contact instructions, the activation's location and the last events. Only while the
    activation is unhandled, or for ``ALARM_SUMMARY_HOURS`` after it arrived. No other role
    opens it: officers and the prosecutor's office read the case itself, under their own
    access. The caller audits each read (Action.READ, basis ``ALARM_SUMMARY_BASIS``).
    """
    if activation is None or activation.case_id is None or actor.agency_id is None:
        raise Http404
    if not actor.has_role(Role.DISPATCHER):
        raise Http404
    case = activation.case
    if actor.agency_id not in (activation.agency_id, case.owner_agency_id):
        raise Http404
    window = timezone.now() - timedelta(hours=ALARM_SUMMARY_HOURS)
    if activation.handled_at is not None and activation.received_at < window:
        raise Http404
    return AlarmSummaryAccess(actor=actor, case=case, scopes=ALARM_SUMMARY_SCOPES,
                              is_owner=False)
