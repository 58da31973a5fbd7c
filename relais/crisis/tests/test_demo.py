"""The demo's crisis (relais.crisis.demo, loaded by seed_demo): floods in the judicial district
of Liège, the area's services confirmed but the open shelter, once."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from relais.accounts.models import User
from relais.conftest import verified_client
from relais.crisis import selectors
from relais.crisis.models import Crisis
from relais.directory.models import Service


@override_settings(DEBUG=True)
def test_floods_in_liege_once(db):
    call_command("seed_demo", stdout=io.StringIO())
    crisis = Crisis.objects.get()
    assert (crisis.kind, crisis.area_level, crisis.area_code) == ("flood", "district", "liege")
    zone = User.objects.get(username="lg.intervention").agency
    assert selectors.crisis_for_agency(zone) == crisis
    assert selectors.crisis_for_agency(User.objects.get(username="bxl.intervention").agency) \
        is None
    unconfirmed = [s.code for s in Service.objects.filter(code__startswith="demo-lg-")
                   if selectors.is_unconfirmed(s)]
    assert unconfirmed == ["demo-lg-shelter-open"]
    assert [s.code for s in selectors.unreachable_during(crisis)
            if s.code.startswith("demo-lg-")] == ["demo-lg-shelter-open"]
    page = verified_client(User.objects.get(username="lg.intervention"), language="fr").get(
        reverse("directory:search")).content.decode()
    assert 'crisis-banner"' in page and 'data-channel="demo-liege-sms"' in page
    call_command("seed_demo", stdout=io.StringIO())
    assert Crisis.objects.count() == 1
