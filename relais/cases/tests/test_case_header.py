"""The case on one screen: the summary at the top, each item as the reader's access allows,
and the sections below, collapsed and loaded on demand through the same policy and audit."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from relais.access.scopes import Scope
from relais.access.services import referral_share_grant
from relais.alarms.tests.factories import assess, forward
from relais.audit.models import Action, AuditEvent
from relais.conftest import actor, verified_client
from relais.measures.tests.factories import order_ban

pytestmark = pytest.mark.django_db


def summary(html: str) -> str:
    start = html.index('class="case-summary"')
    return html[start:html.index("</section>", start)]


def item(html: str, key: str) -> str:
    found = [chunk for chunk in summary(html).split('<li class="summary-item')
             if f'data-item="{key}"' in chunk]
    assert found, key
    return found[0]


def test_the_summary_tells_the_owner_everything_at_a_glance(cast, django_assert_max_num_queries):
    forward(cast)  # a record: its follow-up tasks
    assess(cast, threats_to_kill="no")
    assess(cast)  # threats to kill and a weapon: a higher level, with critical signals
    order_ban(cast)
    client = verified_client(cast.officer_a)
    client.get("/cases/")
    with django_assert_max_num_queries(40):
        html = client.get(f"/cases/{cast.case.pk}/").content.decode()
    risk = item(html, "risk")
    assert "→" in risk and "COL 15/2020" in risk
    assert 'href="/risk/' in risk
    assert "kill" in item(html, "signals")
    assert "Residence ban" in item(html, "measures")
    assert "Chloé" in item(html, "children")
    assert 'href="/follow-up/tasks/' in item(html, "deadlines")
    safe = item(html, "safe_contact")
    assert "Phone" in safe and "9-12" in safe
    # The sections are listed collapsed, to be loaded when she opens them.
    assert '<details class="case-section case-panel" id="section-intake"' in html
    assert 'hx-trigger="toggle once"' in html
    assert html.count("<details ") >= 3
    assert not re.search(r"<details [^>]*\bopen\b", html)


def test_an_empty_case_says_what_is_missing(cast):
    html = verified_client(cast.officer_a).get(f"/cases/{cast.case.pk}/").content.decode()
    assert "Not assessed yet" in item(html, "risk")
    assert "None in force" in item(html, "measures")
    assert "No open task" in item(html, "deadlines")
    assert 'data-item="signals"' not in html
    assert 'data-item="consultation"' not in html  # only when there is one


def test_withheld_items_say_so_and_never_leak(cast):
    """The programme sees the perpetrator only: no safe-contact rule, no measures, no tasks."""
    referral_share_grant(
        actor=actor(cast.officer_a), case_id=cast.case.pk, person_id=cast.perpetrator_id,
        recipient_agency_id=cast.programme.pk, scopes=[Scope.CONTACT], method="written")
    forward(cast)
    order_ban(cast)
    html = verified_client(cast.counsellor).get(f"/cases/{cast.case.pk}/").content.decode()
    assert "Not shared with you" in item(html, "safe_contact")
    assert "9-12" not in html
    assert "Not shared with you" in item(html, "measures")
    assert 'data-item="deadlines"' not in html  # the owner's follow-up only


def test_a_section_is_loaded_on_demand_and_audited(cast, django_assert_max_num_queries):
    forward(cast)
    client = verified_client(cast.officer_a)
    url = f"/cases/{cast.case.pk}/sections/intake/"
    before = AuditEvent.objects.filter(action=Action.READ, case_id=cast.case.pk).count()
    with django_assert_max_num_queries(16):
        response = client.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "<html" not in text and 'href="/reports/' in text
    assert AuditEvent.objects.filter(action=Action.READ, case_id=cast.case.pk).count() == before + 1
    # Without htmx, a page of its own (links work without JavaScript).
    page = client.get(url).content.decode()
    assert "<html" in page and 'href="/reports/' in page


def test_a_section_requires_login():
    response = Client().get("/cases/1/sections/intake/")
    assert response.status_code == 302 and "/sign-in/" in response.url


def test_a_section_is_404_for_another_agency_and_an_unknown_name(cast):
    forward(cast)
    outsider = verified_client(cast.officer_b)
    before = AuditEvent.objects.filter(action=Action.READ, case_id=cast.case.pk).count()
    assert outsider.get(f"/cases/{cast.case.pk}/sections/intake/").status_code == 404
    assert AuditEvent.objects.filter(action=Action.READ, case_id=cast.case.pk).count() == before
    owner = verified_client(cast.officer_a)
    assert owner.get(f"/cases/{cast.case.pk}/sections/nope/").status_code == 404
    assert owner.get(f"/cases/{cast.case.pk}/sections/../").status_code == 404


def test_a_section_with_nothing_for_the_reader_says_so(cast):
    forward(cast)
    referral_share_grant(
        actor=actor(cast.officer_a), case_id=cast.case.pk, person_id=cast.victim_id,
        recipient_agency_id=cast.shelter.pk, scopes=[Scope.CONTACT], method="written")
    response = verified_client(cast.shelter_worker).get(
        f"/cases/{cast.case.pk}/sections/prosecution/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "Nothing in this section for you." in response.content.decode()
