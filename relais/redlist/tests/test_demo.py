"""The demo's red list (relais.redlist.demo, loaded by seed_demo): the Brussels dispatcher's
look-up of the listed address, in French or in Dutch, and of the listed number, hits."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.test import override_settings

from relais.accounts.models import User
from relais.core.actor import Actor
from relais.redlist import selectors
from relais.redlist.models import RedListEntry
from relais.redlist.normalise import lookup_keys


@override_settings(DEBUG=True)
def test_the_brussels_dispatcher_hits_the_listed_address_once(db):
    call_command("seed_demo", stdout=io.StringIO())
    assert RedListEntry.objects.count() == 2
    dispatcher = Actor.for_user(User.objects.get(username="bxl.dispatch"))
    for typed in ({"postcode": "1050", "street": "rue de la demo", "number": "18", "box": "2"},
                  {"postcode": "1050", "street": "DEMOSTRAAT", "number": "18", "box": "bus 2"},
                  {"phone": "+32470001818"}):
        answer = selectors.lookup(actor=dispatcher, keys=lookup_keys(**typed))
        assert answer.listed, typed
        assert answer.zone == User.objects.get(username="bxl.reference").agency.name
    call_command("seed_demo", stdout=io.StringIO())
    assert RedListEntry.objects.count() == 2
