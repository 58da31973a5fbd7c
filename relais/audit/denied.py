"""Refused reads: a 404 on an object that exists leaves a trace, without flooding the trail.

``denied_read`` is called once per refusal (by ``DeniedReadMiddleware`` for pages, by the
API's exception handler for endpoints). Per user, kind of target and window of
``DENIED_READ_WINDOW_MINUTES`` (default 60):

- the first try on each case (or, for a target outside any case, on each object) writes one
  audit event ``denied_read`` carrying the case id, so that it appears in that case's access log
  for the owning agency's IPV reference officer;
- after ``DENIED_READ_EVENTS`` (default 20) such events the tries look like a scan: one more
  event says so (no case), and from then on only the ``DeniedReadTally`` row counts.

The tally keeps the count and the first ids. Nothing here names a person.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from relais.audit.models import Action, AuditEvent, DeniedReadTally
from relais.audit.services import audit_record
from relais.core.actor import Actor, actor_from

FIRST_IDS = 20

# URL keyword -> (model label, target kind). The kind is the model's label, as in the trail.
TARGETS = {
    "case_id": "cases.case",
    "person_id": "cases.person",
    "activation_id": "alarms.alarmactivation",
    "referral_id": "referrals.referral",
    "task_id": "followup.task",
    "ban_id": "measures.residenceban",
    "report_id": "intake.report",
    "assessment_id": "risk.riskassessment",
    "entry_id": "justice.entry",
    "request_id": "alarms.alarmrequest",
}


def _window_minutes() -> int:
    return settings.DENIED_READ_WINDOW_MINUTES


def _events_per_window() -> int:
    return settings.DENIED_READ_EVENTS


def _window_start(now: datetime) -> datetime:
    minutes = _window_minutes()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    elapsed = int((now - midnight).total_seconds() // 60)
    return midnight + timedelta(minutes=elapsed - elapsed % minutes)


def _locked_tally(actor: Actor, target_kind: str, start: datetime) -> DeniedReadTally:
    lookup = {"user_id": actor.user_id, "target_kind": target_kind, "window_start": start}
    tally = DeniedReadTally.objects.select_for_update().filter(**lookup).first()
    if tally is None:
        try:
            with transaction.atomic():
                DeniedReadTally.objects.create(agency_id=actor.agency_id, **lookup)
        except IntegrityError:
            pass  # made by a concurrent request
        tally = DeniedReadTally.objects.select_for_update().get(**lookup)
    return tally


@transaction.atomic
def denied_read(*, actor: Actor, target_kind: str, target_id: int,
                case_id: int | None) -> AuditEvent | None:
    """Count one refused read; return the audit event written for it, if any (see above)."""
    now = timezone.now()
    tally = _locked_tally(actor, target_kind, _window_start(now))
    tally.count += 1
    if len(tally.first_ids) < FIRST_IDS and target_id not in tally.first_ids:
        tally.first_ids.append(target_id)
    key = f"case:{case_id}" if case_id is not None else f"{target_kind}:{target_id}"
    event = None
    if key not in tally.recorded and len(tally.recorded) < _events_per_window():
        tally.recorded.append(key)
        event = audit_record(
            actor=actor, action=Action.DENIED_READ, case_id=case_id,
            basis=f"not visible to the user: {target_kind} {target_id}")
    elif key not in tally.recorded and not tally.scan_recorded:
        tally.scan_recorded = True
        event = audit_record(
            actor=actor, action=Action.DENIED_READ,
            basis=f"possible scan: more than {_events_per_window()} {target_kind} refused "
                  f"within {_window_minutes()} minutes (tally {tally.pk})")
    tally.save(update_fields=["count", "first_ids", "recorded", "scan_recorded"])
    return event


def denied_read_from_url(*, actor: Actor, kwargs: dict) -> None:
    """A 404 answered to ``actor`` on a URL with these resolved keywords. The target is the
    last id of the path (``/cases/<case_id>/persons/<person_id>/`` -> the person); when it is
    of a kind in ``TARGETS`` and exists, the 404 was a refusal: record it. A missing id, or a
    target of another kind, is not recorded. A person is recorded once per case she is in (at
    most five), so that each owning zone sees it."""
    ids = [name for name in kwargs if name.endswith("_id") or name == "pk"]
    if not ids or ids[-1] not in TARGETS:
        return
    name, label = ids[-1], TARGETS[ids[-1]]
    try:
        target_id = int(kwargs[name])
    except (TypeError, ValueError):
        return
    if not 0 < target_id < 2**63:
        return
    try:
        model = apps.get_model(label)
    except LookupError:
        return
    obj = model.objects.filter(pk=target_id).first()
    if obj is None:
        return
    if label == "cases.case":
        case_ids: list[int | None] = [target_id]
    elif label == "cases.person":
        case_ids = list(apps.get_model("cases.caseparticipant").objects
                        .filter(person_id=target_id).order_by("case_id")
                        .values_list("case_id", flat=True).distinct()[:5]) or [None]
    else:
        case_ids = [getattr(obj, "case_id", None)]
    for case_id in case_ids:
        denied_read(actor=actor, target_kind=label, target_id=target_id, case_id=case_id)


def record_denied_request(request: HttpRequest, kwargs: dict | None) -> None:
    """For the middleware and the API's exception handler: the signed-in user got a 404.
    (``request`` may be DRF's, whose ``user`` is the token's.)"""
    user = getattr(request, "user", None)
    if not kwargs or user is None or not user.is_authenticated:
        return
    channel = "api" if request.path.startswith("/api/") else "web"
    denied_read_from_url(actor=actor_from(request, channel=channel), kwargs=kwargs)
