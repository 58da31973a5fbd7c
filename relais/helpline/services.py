"""Every write on the call log: recording a call.

Atomic, checks the policy (relais.access.helpline; a refusal is ``Http404``), validates, saves
the call and its topics, and writes its audit event (no case: a call is anonymous) in the same
transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from relais.access import helpline as policy
from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.core.actor import Actor
from relais.directory.models import Service
from relais.helpline.models import Call, CallTopic, Topic, YesNoUnknown

# A call is recorded during or just after it: a start this far ahead is a typing error.
FUTURE_TOLERANCE_MINUTES = 5


@transaction.atomic
def call_record(*, actor: Actor, started_at: datetime, duration_minutes: int, channel: str,
                language: str, caller_type: str, victim_sex: str, victim_age: str,
                violence_forms: Iterable[str] = (), children_present: str = YesNoUnknown.UNKNOWN,
                danger_now: bool = False, province: str = "", topics: Iterable[str] = (),
                referral_id: int | None = None, referral_other: str = "",
                police_called: bool = False, note: str = "") -> Call:
    """An operator of a helpline records one call of her agency (audited, no case)."""
    if not policy.may_record_calls(actor):
        raise Http404
    errors: dict[str, list[str]] = {}
    if timezone.is_naive(started_at):
        started_at = timezone.make_aware(started_at)
    if (started_at - timezone.now()).total_seconds() > FUTURE_TOLERANCE_MINUTES * 60:
        errors["started_at"] = [_("The call cannot start in the future.")]
    topic_codes = sorted(set(topics))
    if any(code not in Topic.values for code in topic_codes):
        errors["topics"] = [_("Unknown topic.")]
    referral = None
    if referral_id is not None:
        referral = Service.objects.filter(pk=referral_id).first()
        if referral is None:
            errors["referral"] = [_("Choose a service of the directory.")]
    call = Call(agency=actor.agency, recorded_by=actor.user, started_at=started_at,
                duration_minutes=duration_minutes, channel=channel, language=language,
                caller_type=caller_type, victim_sex=victim_sex, victim_age=victim_age,
                violence_forms=sorted(set(violence_forms)), children_present=children_present,
                danger_now=danger_now, province=province, referral=referral,
                referral_other=referral_other.strip(), police_called=police_called,
                note=note.strip())
    try:
        call.full_clean(exclude=["agency", "recorded_by"])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    call.save()
    CallTopic.objects.bulk_create(CallTopic(call=call, topic=code) for code in topic_codes)
    audit_record(actor=actor, action=Action.CREATE, target=call, basis="helpline call")
    return call
