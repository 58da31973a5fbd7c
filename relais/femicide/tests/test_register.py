"""The femicide register: recording with what Relais knew before, contacts, the review with
named reviewers, annual figures; strict access; audit events; the screens."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from relais.audit.models import AuditEvent
from relais.conftest import actor, verified_client
from relais.femicide import selectors, services
from relais.femicide.models import Record
from relais.followup.tests.factories import record_report


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


def audited(action: str, target) -> bool:
    return AuditEvent.objects.filter(action=action, object_type=target._meta.label_lower,
                                     object_id=str(target.pk)).exists()


def record(cast, **overrides) -> Record:
    values = dict(occurred_on=timezone.localdate(), outcome="attempt", victim_sex="F",
                  relation="ex_partner", method="strangulation", children_present=True,
                  case_reference="")
    values.update(overrides)
    return services.record_create(actor=actor(cast.magistrate), **values)


def test_a_record_takes_what_relais_knew_before_from_the_case(cast):
    record_report(cast, official=True, offence_at=timezone.now() - timedelta(days=20))
    made = record(cast, case_reference=cast.case.reference)
    assert made.known_before["reports"] == 1 and made.known_before["official_reports"] == 1
    assert audited("create", made)
    with pytest.raises(ValidationError) as error:
        record(cast, case_reference="REL-1999-000001")
    assert "case_reference" in error.value.message_dict
    with pytest.raises(ValidationError):
        record(cast, occurred_on=timezone.localdate() + timedelta(days=1))


def test_only_the_office_records_and_reads(cast):
    made = record(cast)
    for user in (cast.officer_a, cast.reference_a, cast.support_worker, cast.coordinator,
                 cast.justice_assistant, cast.analyst_a):
        with pytest.raises(Http404):
            selectors.record_get(actor=actor(user), record_id=made.pk)
        with pytest.raises(Http404):
            services.record_create(actor=actor(user), occurred_on=date(2026, 1, 1),
                                   outcome="killed", victim_sex="F", relation="partner",
                                   method="firearm", children_present=False)
    assert selectors.record_get(actor=actor(cast.legal_advisor), record_id=made.pk)


def test_named_reviewers_read_and_write_the_review_and_nothing_else(cast):
    made = record(cast)
    other = record(cast, outcome="killed")
    services.contact_add(actor=actor(cast.magistrate), record_id=made.pk, kind="police",
                         on=timezone.localdate() - timedelta(days=60),
                         what="Information report after a dispute; no risk assessment.")
    review = services.reviewers_set(actor=actor(cast.magistrate), record_id=made.pk,
                                    user_ids=[cast.reference_a.pk, cast.support_worker.pk])
    assert audited("share", review)
    seen = selectors.record_get(actor=actor(cast.reference_a), record_id=made.pk)
    assert len(seen["contacts"]) == 1 and not seen["manages"]
    with pytest.raises(Http404):
        selectors.record_get(actor=actor(cast.reference_a), record_id=other.pk)
    with pytest.raises(Http404):  # a reviewer does not manage the record
        services.contact_add(actor=actor(cast.reference_a), record_id=made.pk, kind="police",
                             on=None, what="x")
    services.review_save(actor=actor(cast.support_worker), record_id=made.pk,
                         known="The service saw her twice.", missed="", changes="")
    with pytest.raises(ValidationError):
        services.review_save(actor=actor(cast.magistrate), record_id=made.pk, known="",
                             missed="", changes="", close=True)
    closed = services.review_save(actor=actor(cast.magistrate), record_id=made.pk,
                                  known="Seen twice.", missed="No risk assessment.",
                                  changes="The zone assesses every information report.",
                                  close=True)
    assert closed.closed_at is not None and audited("update", closed)


def test_annual_figures(cast):
    record(cast, occurred_on=date(2025, 3, 1), outcome="killed", relation="partner")
    made = record(cast, occurred_on=date(2025, 6, 1))
    services.contact_add(actor=actor(cast.magistrate), record_id=made.pk, kind="helpline",
                         on=date(2025, 5, 1), what="She called the helpline.")
    record(cast, occurred_on=date(2026, 1, 5))
    years = selectors.annual_figures(actor=actor(cast.magistrate))
    assert [(y.year, y.killed, y.attempts, y.known_before) for y in years] == [
        (2026, 0, 1, 0), (2025, 1, 1, 1)]
    assert years[1].by_relation == {"partner": 1, "ex_partner": 1}
    with pytest.raises(Http404):
        selectors.annual_figures(actor=actor(cast.analyst_a))  # a zone's analyst


def test_screens(cast):
    made = record(cast)
    urls = [reverse("femicide:list"), reverse("femicide:new"), reverse("femicide:figures"),
            reverse("femicide:record", args=[made.pk])]
    for url in urls:
        response = Client().get(url)
        assert response.status_code == 302 and response.url.startswith("/sign-in/")
    for user in (cast.officer_a, cast.support_worker, cast.counsellor):
        client = verified_client(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
    office = verified_client(cast.magistrate)
    response = office.post(reverse("femicide:new"), {
        "occurred_on": "2026-11-30", "outcome": "killed", "victim_sex": "F",
        "relation": "partner", "method": "sharp", "case_reference": "NOPE"})
    assert response.status_code == 200 and "No case your office can open" in \
        response.content.decode()
    response = office.post(reverse("femicide:new"), {
        "occurred_on": "2026-11-30", "outcome": "killed", "victim_sex": "F",
        "relation": "partner", "method": "sharp", "case_reference": ""})
    assert response.status_code == 302
    with CaptureQueriesContext(connection) as few:
        office.get(reverse("femicide:list"))
    for n in range(3):
        record(cast, occurred_on=date(2024, 1, 1 + n))
    with CaptureQueriesContext(connection) as more:
        office.get(reverse("femicide:list"))
    assert len(few) == len(more)
    assert office.get(reverse("femicide:record", args=[made.pk])).status_code == 200
    assert "2026" in office.get(reverse("femicide:figures")).content.decode()
