"""The body's administration screens (its coordinator's): the protocol, the members, the referral
criteria; and the command that creates a body. Sign-in, 404 for everyone but the coordinators,
audit events, errors shown with the input kept, query counts."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from relais.accounts.models import AgencyKind, Role
from relais.audit.models import AuditEvent
from relais.conftest import actor, make_agency, make_user, verified_client
from relais.consultation import services
from relais.consultation.criteria import DEFAULT_RULES
from relais.consultation.forms_admin import rules_changed, rules_in_words
from relais.consultation.models import Body, Criteria, Membership
from relais.consultation.tests.conftest import make_body


@pytest.fixture
def body(cast) -> Body:
    return make_body(cast)


def pages(body: Body) -> list[str]:
    return [reverse("consultation:body_admin", args=[body.pk]),
            reverse("consultation:criteria", args=[body.pk])]


def posts(body: Body) -> list[str]:
    member = Membership.objects.filter(body=body).first()
    return [reverse("consultation:member_save", args=[body.pk]),
            reverse("consultation:member_remove", args=[member.pk]),
            reverse("consultation:body_admin", args=[body.pk]),
            reverse("consultation:criteria", args=[body.pk])]


def criteria_post(**overrides) -> dict:
    data = {"criticality_levels": ["high", "critical"], "col15_critical_signal": "on",
            "professional_concern": "on", "escalation_incidents": "2", "escalation_months": "6",
            "repeat_months": "12", "emergency_hours": "24", "review_days_moderate": "56",
            "review_days_high": "28", "review_days_very_high": "14", "review_days_critical": "7",
            "note": "The district agreed to refer at high criticality too."}
    data.update(overrides)
    return data


def audited(target, action: str) -> bool:
    return AuditEvent.objects.filter(action=action, object_type=target._meta.label_lower,
                                     object_id=str(target.pk)).exists()


def test_every_screen_requires_sign_in(cast, body):
    for url in pages(body):
        response = Client().get(url)
        assert response.status_code == 302 and response.url.startswith("/sign-in/"), url
    for url in posts(body):
        response = Client().post(url)
        assert response.status_code == 302 and response.url.startswith("/sign-in/"), url


def test_only_the_coordinators_administer_the_body(cast, body):
    analyst = make_user("analyst_platform", cast.platform, Role.ANALYST)
    # A member agency's staff, an agency that is not a member, the secretariat's analyst.
    for user in (cast.reference_a, cast.magistrate, cast.officer_b, cast.admin_a, analyst):
        client = verified_client(user)
        for url in pages(body):
            assert client.get(url).status_code == 404, (user, url)
        for url in posts(body):
            assert client.post(url, criteria_post()).status_code == 404, (user, url)
    assert Membership.objects.filter(body=body, left_at__isnull=True).count() == 6
    assert Criteria.objects.filter(body=body).count() == 1
    coordinator = verified_client(cast.coordinator)
    for url in pages(body):
        assert coordinator.get(url).status_code == 200, url


def test_a_coordinator_of_another_platform_gets_404(cast, body):
    other = make_agency("platform-2", AgencyKind.PLATFORM)
    stranger = verified_client(make_user("coord_2", other, Role.PLATFORM_COORDINATOR))
    for url in pages(body):
        assert stranger.get(url).status_code == 404


def test_the_admin_page_shows_members_and_criteria_in_words(cast, body):
    page = verified_client(cast.coordinator).get(
        reverse("consultation:body_admin", args=[body.pk])).content.decode()
    assert cast.prosecutor.name in page and cast.magistrate.get_full_name() in page
    assert "Protocol 2026/1" in page
    assert "A critical signal on the COL 15/2020 police grid refers a case." in page
    assert "Escalation: 3 incidents or more in the last 12 months." in page
    assert "criticality_levels" not in page.split("<main")[1].split("<form")[0]


def test_the_coordinator_keeps_the_protocol(cast, body):
    client = verified_client(cast.coordinator)
    response = client.post(reverse("consultation:body_admin", args=[body.pk]), {
        "protocol_reference": "Protocol 2027/2", "agenda_fields": ["names", "birth_dates"],
        "coordinator": str(cast.coordinator.pk)})
    assert response.status_code == 302
    body.refresh_from_db()
    assert body.protocol_reference == "Protocol 2027/2"
    assert body.agenda_fields == ["names", "birth_dates"]
    assert audited(body, "update")


def test_a_protocol_error_is_shown_with_the_input_kept(cast, body):
    client = verified_client(cast.coordinator)
    response = client.post(reverse("consultation:body_admin", args=[body.pk]), {
        "protocol_reference": "Protocol 2027/3", "agenda_fields": ["birth_dates"],
        "coordinator": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert "The agenda needs at least the names" in page
    assert 'value="Protocol 2027/3"' in page
    body.refresh_from_db()
    assert body.protocol_reference == "Protocol 2026/1"
    assert not audited(body, "update")


def test_the_coordinator_adds_a_member_with_its_representatives(cast, body):
    client = verified_client(cast.coordinator)
    response = client.post(reverse("consultation:member_save", args=[body.pk]), {
        "agency": str(cast.zone_b.pk), "representative": str(cast.officer_b.pk),
        "deputy": ""})
    assert response.status_code == 302
    member = Membership.objects.get(body=body, agency=cast.zone_b, left_at__isnull=True)
    assert member.representative == cast.officer_b and member.deputy is None
    assert audited(member, "create")
    # Changing its deputy keeps one membership.
    client.post(reverse("consultation:member_save", args=[body.pk]), {
        "agency": str(cast.zone_a.pk), "representative": str(cast.reference_a.pk),
        "deputy": str(cast.officer_a.pk)})
    zone_a = Membership.objects.get(body=body, agency=cast.zone_a, left_at__isnull=True)
    assert zone_a.deputy == cast.officer_a and audited(zone_a, "update")


def test_a_member_error_is_shown_with_the_input_kept(cast, body):
    client = verified_client(cast.coordinator)
    response = client.post(reverse("consultation:member_save", args=[body.pk]), {
        "agency": str(cast.zone_b.pk), "representative": str(cast.officer_a.pk),
        "deputy": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose someone of that agency." in page
    assert f'<option value="{cast.zone_b.pk}" selected>' in page
    assert f'<option value="{cast.officer_a.pk}" selected>' in page
    assert not Membership.objects.filter(body=body, agency=cast.zone_b).exists()


def test_the_coordinator_removes_a_member(cast, body):
    member = Membership.objects.get(body=body, agency=cast.shelter)
    client = verified_client(cast.coordinator)
    assert client.get(reverse("consultation:member_remove", args=[member.pk])).status_code == 405
    response = client.post(reverse("consultation:member_remove", args=[member.pk]))
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.left_at is not None and audited(member, "update")
    # Gone: a second removal is a 404.
    assert client.post(reverse("consultation:member_remove", args=[member.pk])).status_code == 404


def test_the_coordinator_publishes_criteria_field_by_field(cast, body):
    client = verified_client(cast.coordinator)
    response = client.post(reverse("consultation:criteria", args=[body.pk]), criteria_post())
    assert response.status_code == 302
    published = Criteria.objects.get(body=body, version=2)
    assert published.rules == {
        "criticality_levels": ["high", "critical"], "col15_critical_signal": True,
        "professional_concern": True, "escalation": {"incidents": 2, "months": 6},
        "repeat_months": 12, "emergency_hours": 24,
        "review_days": {"moderate": 56, "high": 28, "very_high": 14, "critical": 7}}
    assert published.created_by == cast.coordinator
    assert audited(published, "create")
    page = client.get(reverse("consultation:criteria", args=[body.pk])).content.decode()
    assert "In force: version 2" in page
    assert "Escalation: 2 incidents or more in the last 6 months." in page
    assert "An imminent danger is heard within 24 hours." in page
    # The history tells who, when and what changed (only the rules that changed).
    history = page.split('id="history-h"')[1]
    assert "The district agreed to refer at high criticality too." in history
    assert cast.coordinator.get_full_name() in history
    version_2 = history.split("</tr>")[1]
    assert "within 24 hours" in version_2 and "repeat" not in version_2
    assert "The first version." in history.split("</tr>")[2]


def test_a_criteria_error_is_shown_with_the_input_kept(cast, body):
    client = verified_client(cast.coordinator)
    response = client.post(reverse("consultation:criteria", args=[body.pk]),
                           criteria_post(note="", escalation_incidents="5",
                                         emergency_hours="0"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Please correct the errors below" in page
    assert 'name="escalation_incidents" value="5"' in page
    assert not Criteria.objects.filter(body=body, version=2).exists()


def test_a_criteria_form_never_asks_for_json(cast, body):
    page = verified_client(cast.coordinator).get(
        reverse("consultation:criteria", args=[body.pk])).content.decode()
    form = page.split('id="new-h"')[1].split("</form>")[0]
    assert "<textarea" in form and form.count("<textarea") == 1  # the note only
    assert 'name="review_days_critical"' in form and 'name="criticality_levels"' in form
    assert "{" not in form.replace("{%", "")


def test_the_admin_pages_read_in_constant_queries(cast, body):
    client = verified_client(cast.coordinator)
    coordinator = actor(cast.coordinator)

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    admin_url, criteria_url = pages(body)
    few_admin, few_criteria = count(admin_url), count(criteria_url)
    for n in range(4):
        agency = make_agency(f"caw-{n}", AgencyKind.VICTIM_SUPPORT)
        worker = make_user(f"worker_{n}", agency, Role.SUPPORT_WORKER)
        services.member_save(actor=coordinator, body_id=body.pk, agency_id=agency.pk,
                             representative_id=worker.pk, deputy_id=None)
        services.criteria_publish(actor=coordinator, body_id=body.pk,
                                  rules={**DEFAULT_RULES, "repeat_months": 6 + n},
                                  note=f"Change {n}")
    assert count(admin_url) == few_admin
    assert count(criteria_url) == few_criteria


# --- manage.py consultation_body -----------------------------------------------------------

def test_the_command_creates_a_body(cast):
    out = StringIO()
    call_command("consultation_body", "Olista Test", agency="platform", area="brussel",
                 protocol="Protocole Olista 2026", coordinator="coordinator", stdout=out)
    body = Body.objects.get(name="Olista Test")
    assert body.agency == cast.platform and body.coordinator == cast.coordinator
    assert body.protocol_reference == "Protocole Olista 2026" and body.area == "brussel"
    assert Criteria.objects.get(body=body).version == 1
    assert audited(body, "create")
    assert f"created body {body.pk}" in out.getvalue()


def test_the_command_refuses_what_cannot_run_a_body(cast):
    with pytest.raises(CommandError, match="no agency"):
        call_command("consultation_body", "X", agency="nowhere", area="a", protocol="p")
    with pytest.raises(CommandError, match="multi-agency platform"):
        call_command("consultation_body", "X", agency="zone-a", area="a", protocol="p")
    with pytest.raises(CommandError, match="not a coordinator"):
        call_command("consultation_body", "X", agency="platform", area="a", protocol="p",
                     coordinator="officer_a")
    with pytest.raises(CommandError, match="no active user"):
        call_command("consultation_body", "X", agency="platform", area="a", protocol="p",
                     coordinator="nobody")
    assert not Body.objects.filter(name="X").exists()
    call_command("consultation_body", "X", agency="platform", area="a", protocol="p",
                 stdout=StringIO())
    with pytest.raises(CommandError, match="exists already"):
        call_command("consultation_body", "X", agency="platform", area="a", protocol="p")


def test_change_fills_the_member_form(cast, body):
    member = Membership.objects.get(body=body, agency=cast.prosecutor)
    page = verified_client(cast.coordinator).get(
        reverse("consultation:body_admin", args=[body.pk]), {"member": member.pk}
    ).content.decode()
    form = page.split('id="member-form-h"')[1]
    assert f'<option value="{cast.prosecutor.pk}" selected>' in form
    assert f'<option value="{cast.magistrate.pk}" selected>' in form


def test_the_coordinator_is_chosen_among_the_secretariat_coordinators(cast, body):
    second = make_user("coord_bis", cast.platform, Role.PLATFORM_COORDINATOR)
    analyst = make_user("analyst_platform", cast.platform, Role.ANALYST)
    client = verified_client(cast.coordinator)
    page = client.get(reverse("consultation:body_admin", args=[body.pk])).content.decode()
    select = page.split('name="coordinator"')[1].split("</select>")[0]
    assert f'value="{second.pk}"' in select and f'value="{analyst.pk}"' not in select
    assert f'value="{cast.officer_a.pk}"' not in select
    client.post(reverse("consultation:body_admin", args=[body.pk]), {
        "protocol_reference": "Protocol 2026/1", "agenda_fields": ["names"],
        "coordinator": str(second.pk)})
    body.refresh_from_db()
    assert body.coordinator == second


def test_criteria_switched_off_read_as_such():
    words = rules_in_words({**DEFAULT_RULES, "criticality_levels": [],
                            "col15_critical_signal": False, "professional_concern": False,
                            "escalation": {"incidents": 1, "months": 3}})
    assert words["criticality_levels"] == (
        "No level of the criticality grid refers a case on its own.")
    assert "does not refer a case on its own" in words["col15_critical_signal"]
    assert words["professional_concern"] == "A professional concern alone does not refer a case."
    assert words["escalation"] == "Escalation: 1 incident or more in the last 3 months."
    assert rules_changed(DEFAULT_RULES, {**DEFAULT_RULES, "emergency_hours": 24}) == [
        "An imminent danger is heard within 24 hours."]
