"""Closing a case (issue 20 §4): a coded reason, the check of what is still open, the audit."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from relais.audit.models import AuditEvent
from relais.cases import services
from relais.cases.closure import REQUIRED_CONTACT_ATTEMPTS
from relais.cases.models import CaseClosure, TimelineEntry
from relais.conftest import actor, verified_client
from relais.core.texts import render_in
from relais.followup.models import TaskKind, TaskStatus
from relais.followup.tests.factories import record_report, task_of


def close(cast, **kwargs):
    kwargs.setdefault("acknowledged", True)
    return services.case_close(actor=actor(cast.officer_a), case_id=cast.case.pk, **kwargs)


def test_closing_needs_a_reason_from_the_list(cast):
    for reason in ("", "tired"):
        with pytest.raises(ValidationError) as raised:
            close(cast, reason=reason)
        assert "reason" in raised.value.message_dict
    with pytest.raises(ValidationError) as raised:
        close(cast, reason="moved")
    assert "note" in raised.value.message_dict  # where to: a zone, never an address
    cast.case.refresh_from_db()
    assert cast.case.status == "open" and not CaseClosure.objects.exists()


def test_a_closure_is_kept_audited_and_on_the_timeline_as_a_code(cast):
    case = close(cast, reason="moved", note="To the zone of Liège.")
    assert case.status == "closed" and case.closed_at is not None
    closure = CaseClosure.objects.get(case=case)
    assert (closure.reason, closure.note, closure.closed_by) == (
        "moved", "To the zone of Liège.", cast.officer_a)
    event = AuditEvent.objects.get(object_type="cases.caseclosure", object_id=str(closure.pk))
    assert event.action == "create" and event.basis == "case closed: moved"
    entry = TimelineEntry.objects.get(case=case, kind="case_closed")
    assert entry.summary_codes[0][0] == "cases.closed"
    assert "She moved" in render_in(entry.summary_codes, language="en")
    assert render_in(entry.summary_codes, language="fr")  # words from the catalogue, not stored
    assert "She moved" not in entry.summary
    with pytest.raises(ValidationError):  # closed already
        close(cast, reason="declined")


def test_open_items_must_be_acknowledged(cast):
    report = record_report(cast)
    contact = task_of(report, TaskKind.VICTIM_ASSISTANCE_CONTACT)
    with pytest.raises(ValidationError) as raised:
        close(cast, reason="declined", acknowledged=False)
    assert "acknowledged" in raised.value.message_dict
    close(cast, reason="declined")
    closure = CaseClosure.objects.get(case=cast.case)
    assert ["task", 3] in closure.acknowledged
    contact.refresh_from_db()
    assert contact.status == TaskStatus.CANCELLED  # the case_closed hook, as before


def test_no_contact_needs_the_required_attempts(cast):
    from relais.followup import services as followup_services

    contact = task_of(record_report(cast), TaskKind.VICTIM_ASSISTANCE_CONTACT)
    with pytest.raises(ValidationError) as raised:
        close(cast, reason="no_contact")
    assert "0 so far" in " ".join(raised.value.message_dict["reason"])
    for _attempt in range(REQUIRED_CONTACT_ATTEMPTS):
        followup_services.task_record_contact(actor=actor(cast.sapv_a), task_id=contact.pk,
                                              could_speak_freely="not_reached",
                                              outcome="unreachable")
    assert close(cast, reason="no_contact").status == "closed"


def test_an_active_alarm_blocks_the_closure(cast, monkeypatch):
    from relais.cases import measures
    from relais.cases.measures import MeasureLine

    monkeypatch.setitem(measures.PROVIDERS, "test_alarm",
                        lambda access: [MeasureLine(kind="alarm", label="Harassment alarm")])
    with pytest.raises(ValidationError) as raised:
        close(cast, reason="safe")
    assert "Harassment alarm" in " ".join(raised.value.message_dict["acknowledged"])


def test_a_reopened_case_keeps_its_closure(cast):
    from relais.cases.closure import closure_reopen

    close(cast, reason="declined")
    closure_reopen(cast.case)
    closure = CaseClosure.objects.get(case=cast.case)
    assert closure.reopened_at is not None


def test_only_the_owner_closes(cast):
    from django.http import Http404

    for user in (cast.officer_b, cast.legal_advisor, cast.shelter_worker, cast.analyst_a):
        with pytest.raises(Http404):
            services.case_close(actor=actor(user), case_id=cast.case.pk, reason="declined",
                                acknowledged=True)


# --- the screen -------------------------------------------------------------------------


def test_the_close_page_requires_sign_in_and_the_owning_agency(cast):
    url = reverse("cases:case_close", args=[cast.case.pk])
    from django.test import Client

    assert Client().get(url).status_code == 302
    for user in (cast.officer_b, cast.legal_advisor, cast.shelter_worker):
        assert verified_client(user).get(url).status_code == 404
        assert verified_client(user).post(url, {"reason": "declined"}).status_code == 404


def test_the_check_page_lists_what_is_open_with_links_and_closes(cast):
    report = record_report(cast)
    contact = task_of(report, TaskKind.VICTIM_ASSISTANCE_CONTACT)
    client = verified_client(cast.officer_a)
    url = reverse("cases:case_close", args=[cast.case.pk])
    page = client.get(url).content.decode()
    assert reverse("followup:task", args=[contact.pk]) in page
    assert reverse("transfers:request", args=[cast.case.pk]) in page
    refused = client.post(url, {"reason": "declined"})
    assert refused.status_code == 200 and b"acknowledge them" in refused.content
    done = client.post(url, {"reason": "declined", "acknowledged": "on"})
    assert done.status_code == 302
    cast.case.refresh_from_db()
    assert cast.case.status == "closed"


def test_the_check_page_reads_a_fixed_number_of_queries(cast):
    client = verified_client(cast.officer_a)
    url = reverse("cases:case_close", args=[cast.case.pk])
    record_report(cast)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    record_report(cast)
    record_report(cast)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
