"""The public finder as a victim uses it, on the demo directory: help for victims first,
perpetrator services only when asked for, German-speaking East Belgium, and a fallback when
nothing is near."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client

from relais.accounts.models import AgencyKind
from relais.directory.demo import load_demo, load_demo_eupen
from relais.directory.models import Service, ServiceType
from relais.directory.reference import reference_load

pytestmark = pytest.mark.django_db
PERPETRATOR_TYPES = {ServiceType.PERPETRATOR_PROGRAMME, ServiceType.PERPETRATOR_ACCOMMODATION}
FOR_VICTIMS = {ServiceType.VICTIM_SUPPORT, ServiceType.SHELTER, ServiceType.SEXUAL_VIOLENCE_CENTRE,
               ServiceType.POLICE_VICTIM_ASSISTANCE, ServiceType.EVA_UNIT}
FARTHER = 'role="status"'  # the message that the results are not in her own area


@pytest.fixture
def demo_directory(cast):
    """The real reference entries and the Brussels demo network's fictitious services."""
    reference_load()
    load_demo(key="bxl", label="Bruxelles", language="fr", municipalities=("21009", "21015"),
              centre=(50.8270, 4.3720),
              agencies={AgencyKind.VICTIM_SUPPORT: cast.support, AgencyKind.SHELTER: cast.shelter,
                        AgencyKind.PERPETRATOR_PROGRAMME: cast.programme,
                        AgencyKind.PROSECUTOR: cast.prosecutor})


def found_types(content: bytes) -> list[str]:
    """The service types of the results, in their order on the page."""
    names = re.findall(r'<li class="card service-card">\s*<h3>([^<]+)', content.decode())
    by_name = {s.name: s.type for s in Service.objects.all()}
    return [by_name[html.unescape(name).strip()] for name in names]


def test_any_help_around_1050_shows_help_for_victims_first_and_no_perpetrator_service(
        demo_directory):
    answer = Client().post("/help/en/", {"where": "1050"})
    types = found_types(answer.content)
    assert types and types[0] in FOR_VICTIMS
    assert not PERPETRATOR_TYPES & set(types)
    first_other = next(i for i, t in enumerate(types) if t not in FOR_VICTIMS)
    assert all(t not in FOR_VICTIMS for t in types[first_other:])


def test_perpetrator_services_appear_when_asked_for(demo_directory):
    answer = Client().post("/help/en/", {"where": "1050", "need": "perpetrator_help"})
    types = set(found_types(answer.content))
    assert types and types <= PERPETRATOR_TYPES


def test_in_french_around_1000_victim_support_and_the_cpvcf_come_before_houses_of_justice(
        demo_directory):
    content = Client().post("/help/fr/", {"where": "1000"}).content.decode()
    cpvcf = content.index("CPVCF")
    assert "Programme auteurs" not in content
    justice = [m.start() for m in re.finditer(r"Maison de justice|Justitiehuis", content)]
    assert justice and cpvcf < min(justice)
    types = found_types(content.encode())
    assert types[0] == ServiceType.VICTIM_SUPPORT


def test_eupen_finds_the_german_line_first_and_falls_back_to_the_province(demo_directory):
    page = Client().get("/help/de/").content.decode()
    helplines = page[page.index('class="helplines"'):page.index('id="search-h"')]
    lines = re.findall(r'<a href="tel:(\d+)">', helplines)
    assert lines[0] == "108"  # the German-language line first on the German page
    answer = Client().post("/help/de/", {"where": "4700"}).content.decode()
    # No service of the Eupen area: the nearest, in the province, with a clear message.
    assert "service-card" in answer
    assert FARTHER in answer


def test_eupen_finds_its_own_services_when_there_are_some(demo_directory):
    load_demo_eupen()
    answer = Client().post("/help/de/", {"where": "4700"}).content.decode()
    assert "Opferhilfe Demo Ostbelgien (fiktiv)" in answer
    assert FARTHER not in answer
