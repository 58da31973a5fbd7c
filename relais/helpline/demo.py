"""The demo's helpline calls: about forty fictitious calls over the last three months, recorded
through the real service by the helpline's operator. Idempotent: only when the helpline has no
call yet."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from relais.access import helpline as policy
from relais.accounts.models import Agency, User
from relais.core.actor import Actor
from relais.directory.models import Service
from relais.helpline.models import BRUSSELS_REGION, Call
from relais.helpline.services import call_record

CALLS = 40
# Weighted answers, roughly as the helplines' annual reports describe their calls.
CALLERS = ["victim"] * 6 + ["relative"] * 2 + ["professional", "witness", "perpetrator", "other"]
CHANNELS = ["phone"] * 6 + ["chat"] * 3 + ["email", "sms"]
TOPICS = ["information", "emotional_support", "safety_planning", "shelter", "legal", "police",
          "children", "housing", "money"]
FORMS = ["psychological", "physical", "verbal", "economic", "sexual", "digital_stalking"]
PROVINCES = [BRUSSELS_REGION] * 6 + ["20001", "20002", "50000", "60000"]


def load_demo_calls(*, agency: Agency, operator: User, language: str = "fr",
                    referral: Service | None = None) -> int:
    """Record the demo calls of ``agency`` (none if it has some already); returns how many."""
    actor = Actor.for_user(operator, channel="demo")
    # A demo database seeded before the operator's role existed: its account keeps its roles.
    if Call.objects.filter(agency=agency).exists() or not policy.may_record_calls(actor):
        return 0
    rng = random.Random(f"helpline-{agency.code}")
    now = timezone.now()
    for index in range(CALLS):
        started = (now - timedelta(days=rng.randint(0, 89), hours=rng.randint(0, 14),
                                   minutes=rng.randint(0, 59))).replace(second=0, microsecond=0)
        caller = rng.choice(CALLERS)
        referred = referral if referral is not None and index % 4 == 0 else None
        call_record(
            actor=actor, started_at=started, duration_minutes=rng.randint(3, 45),
            channel=rng.choice(CHANNELS), language=language if index % 5 else "nl",
            caller_type=caller, victim_sex="F" if index % 7 else rng.choice(["M", "unknown"]),
            victim_age=rng.choice(["18-24", "25-34", "25-34", "35-44", "45-54", "unknown"]),
            violence_forms=rng.sample(FORMS, rng.randint(1, 3)),
            children_present=rng.choice(["yes", "no", "unknown"]),
            danger_now=index % 9 == 0, province=rng.choice(PROVINCES),
            topics=rng.sample(TOPICS, rng.randint(1, 3)),
            referral_id=referred.pk if referred else None,
            referral_other="" if referred or index % 6 else "Fictitious legal aid desk (demo)",
            police_called=index % 9 == 0,
            note="" if index % 8 else "Fictitious demo call: called back the next day.")
    return CALLS
