"""Pharmacy relays (issue 18 §5): a kind of the directory, shown on the public finder in four
languages as the place to ask for help discreetly; the demo has a few, fictitious."""

from __future__ import annotations

import pytest
from django.test import Client

from relais.accounts.models import AgencyKind
from relais.directory.demo import load_demo
from relais.directory.models import Service, ServiceType

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_network(cast):
    load_demo(key="bxl", label="Bruxelles", language="fr", municipalities=("21009", "21015"),
              centre=(50.8270, 4.3720),
              agencies={AgencyKind.VICTIM_SUPPORT: cast.support, AgencyKind.SHELTER: cast.shelter,
                        AgencyKind.PERPETRATOR_PROGRAMME: cast.programme,
                        AgencyKind.PROSECUTOR: cast.prosecutor})


def test_the_demo_has_fictitious_pharmacy_relays(demo_network):
    relays = Service.objects.filter(type=ServiceType.PHARMACY_RELAY)
    assert relays.count() >= 2
    assert all(relay.is_fictitious and "Démo" in relay.name for relay in relays)


@pytest.mark.parametrize("language", ["en", "fr", "nl", "de"])
def test_the_finder_explains_pharmacy_relays_in_each_language(demo_network, language):
    page = Client().get(f"/help/{language}/").content.decode()
    assert f'lang="{language}"' in page
    assert 'id="pharmacy-h"' in page


def test_a_victim_finds_a_pharmacy_relay_near_her(demo_network):
    answer = Client().post("/help/en/", {"where": "1050", "need": "discreet_help"})
    content = answer.content.decode()
    assert "Pharmacie relais Démo Bruxelles" in content
    assert "Ask the pharmacist to speak in private" in content
    assert "Ask for help discreetly at a pharmacy" in content
