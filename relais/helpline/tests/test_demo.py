"""The demo's helpline (relais.helpline.demo, loaded by seed_demo): about forty fictitious calls
of the Brussels network's helpline over the last three months, recorded by bxl.helpline, who
lists them and reads their figures."""

from __future__ import annotations

import io
from datetime import timedelta

from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from relais.accounts.models import User
from relais.core.actor import Actor
from relais.helpline import selectors
from relais.helpline.demo import CALLS
from relais.helpline.figures import helpline_figures
from relais.helpline.models import Call


@override_settings(DEBUG=True)
def test_the_brussels_helpline_has_forty_calls_once(db):
    call_command("seed_demo", stdout=io.StringIO())
    operator = User.objects.get(username="bxl.helpline")
    calls = Call.objects.filter(agency=operator.agency)
    assert calls.count() == CALLS == Call.objects.count()
    assert operator.agency.name == "Ligne d'écoute Démo Bruxelles"
    since = timezone.now() - timedelta(days=91)
    assert not calls.filter(started_at__lt=since).exists()
    assert calls.filter(referral__isnull=False).exists() and calls.filter(danger_now=True)
    actor = Actor.for_user(operator)
    assert len(selectors.recent_calls(actor=actor).calls) == CALLS
    assert helpline_figures(actor=actor, months=4).calls == CALLS  # 90 days: 4 months
    call_command("seed_demo", stdout=io.StringIO())
    assert Call.objects.count() == CALLS
