"""The figures dashboard: who sees it, what it counts, its charts; constant queries."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from relais.audit.models import AuditEvent
from relais.conftest import verified_client
from relais.followup.tests.factories import record_report


def test_the_dashboard_is_for_the_zones_and_offices_figures_roles(cast):
    url = reverse("figures:dashboard")
    response = Client().get(url)
    assert response.status_code == 302 and response.url.startswith("/sign-in/")
    for user in (cast.officer_a, cast.sapv_a, cast.support_worker, cast.coordinator,
                 cast.counsellor, cast.dispatcher_a):
        assert verified_client(user).get(url).status_code == 404, user
    for user in (cast.analyst_a, cast.reference_a, cast.magistrate):
        assert verified_client(user).get(url).status_code == 200, user


def test_the_zone_sees_its_reports_by_date_of_the_facts_and_no_person(cast):
    from relais.accounts.models import JurisdictionMunicipality
    from relais.figures.population import municipality_population

    JurisdictionMunicipality.objects.create(agency=cast.zone_a, refnis="21009")  # Ixelles
    record_report(cast, official=False, offence_at=timezone.now() - timedelta(days=2))
    record_report(cast, official=True, offence_at=timezone.now() - timedelta(days=2))
    page = verified_client(cast.analyst_a).get(reverse("figures:dashboard")).content.decode()
    assert "by date of the facts" in page and "N = 2 reports" in page and "<svg" in page
    assert "50.0" not in page  # 1 of 2: small cells, the month's share is not published
    ixelles = municipality_population(code="21009").inhabitants
    rate = round(2 * 10000 / ixelles, 1)
    assert f"{rate} reports per 10,000 inhabitants" in page and "Statbel" in page
    assert "Alice" not in page and cast.case.reference not in page
    assert AuditEvent.objects.filter(basis__startswith="figures dashboard").exists()


def test_the_dashboard_reads_in_constant_queries(cast):
    client = verified_client(cast.analyst_a)
    record_report(cast, official=False, offence_at=timezone.now() - timedelta(days=40))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("figures:dashboard"))
    for days in (1, 70, 100):
        record_report(cast, official=True, offence_at=timezone.now() - timedelta(days=days))
    with CaptureQueriesContext(connection) as more:
        client.get(reverse("figures:dashboard"))
    assert len(few) == len(more)
