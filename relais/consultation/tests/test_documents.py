"""The consultation's PDFs: the agenda and each agency's plan. Every role of the cast gets what
the protocol allows it and the 404 otherwise; no PDF holds an address of hers, another agency's
action, or what a perpetrator programme may not read; each download is audited."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from relais.audit.models import AuditEvent
from relais.conftest import VICTIM_PHONE, VICTIM_STREET, actor, verified_client
from relais.consultation import services
from relais.consultation.tests.conftest import hear
from relais.measures.tests.factories import SHELTER_STREET_FOR_HER, shelter_address

pytestmark = pytest.mark.django_db

ZONE_DETAIL = "Patrouille devant le domicile (fictif)"
SUPPORT_DETAIL = "Appel hebdomadaire (fictif)"
PROGRAMME_DETAIL = "Entretien d'accueil (fictif)"
CHILDREN = "Youth aid notified; the school is asked to watch."
ADDRESS_BITS = (VICTIM_STREET, "1050", SHELTER_STREET_FOR_HER, VICTIM_PHONE, "470123456")


def pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def squeeze(text: str) -> str:
    return "".join(text.split())


def no_address(text: str) -> None:
    flat = squeeze(text)
    for secret in ADDRESS_BITS:
        assert squeeze(secret) not in flat, secret


@pytest.fixture
def plan(cast, table):
    """Heard with zone A, the support service, the programme, the prosecutor and the platform
    present; one action each for zone A, the support service and the programme. The shelter
    (a member, absent) holds her confidential address."""
    shelter_address(cast)
    plan = hear(cast, table)
    coordinator = actor(cast.coordinator)
    due = timezone.localdate() + timedelta(days=5)
    for agency, kind, detail, basis in (
            (cast.zone_a, "patrol", ZONE_DETAIL, ""),
            (cast.support, "contact", SUPPORT_DETAIL, ""),
            (cast.support, "youth_notice", "", "art. 458ter Code pénal (fictif)"),
            (cast.programme, "programme", PROGRAMME_DETAIL, "")):
        services.action_add(actor=coordinator, plan_id=plan.pk, agency_id=agency.pk, kind=kind,
                            detail=detail, owner_id=None, due_on=due, priority=2,
                            legal_basis=basis)
    return plan


def agenda_url(table, lang: str = "fr") -> str:
    return f"/consultation/meetings/{table.meeting.pk}/agenda.pdf?lang={lang}"


def plan_url(plan, lang: str = "fr", agency=None) -> str:
    url = f"/consultation/plans/{plan.pk}/plan.pdf?lang={lang}"
    return url + (f"&agency={agency.pk}" if agency is not None else "")


def get_pdf(user, url: str) -> str:
    response = verified_client(user).get(url)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    return pdf_text(response.content)


def test_the_documents_require_sign_in(cast, table, plan):
    for url in (agenda_url(table), plan_url(plan)):
        response = Client().get(url)
        assert response.status_code == 302 and "/sign-in/" in response["Location"]


# --- The agenda --------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["fr", "nl", "de"])
def test_a_member_prints_the_agenda_with_minimal_identification(cast, table, lang):
    shelter_address(cast)
    text = get_pdf(cast.support_worker, agenda_url(table, lang))
    flat = squeeze(text)
    assert "AliceExemple" in flat and "BrunoFictif" in flat
    assert "14/03/1988" in flat  # her birth date: the protocol allows it
    assert "Ixelles" in text or "Elsene" in text  # the municipality, in the PDF's language
    no_address(text)


def test_the_agenda_for_the_programme_holds_not_even_the_municipality(cast, table):
    text = get_pdf(cast.counsellor, agenda_url(table, "fr"))
    assert "AliceExemple" in squeeze(text)
    assert "Ixelles" not in text and "Elsene" not in text
    no_address(text)


def test_the_agenda_pdf_for_each_role(cast, table):
    for user in (cast.coordinator, cast.officer_a, cast.support_worker, cast.shelter_worker,
                 cast.counsellor, cast.magistrate, cast.justice_assistant):
        assert verified_client(user).get(agenda_url(table)).status_code == 200, user
    # Zone B is no member; an analyst does not sit at the table.
    for user in (cast.officer_b, cast.analyst_a):
        assert verified_client(user).get(agenda_url(table)).status_code == 404, user


def test_the_agenda_download_is_audited_with_its_language(cast, table):
    get_pdf(cast.support_worker, agenda_url(table, "nl"))
    assert AuditEvent.objects.filter(action="read", object_type="consultation.meeting",
                                     object_id=str(table.meeting.pk),
                                     basis="consultation agenda PDF (nl)").exists()
    assert AuditEvent.objects.filter(action="read", case_id=cast.case.pk,
                                     basis__startswith="consultation agenda").exists()


def test_the_agenda_language_defaults_to_the_readers(cast, table):
    response = verified_client(cast.support_worker, language="nl").get(
        f"/consultation/meetings/{table.meeting.pk}/agenda.pdf")
    assert response["Content-Disposition"].endswith(f'agenda-{table.meeting.pk}-nl.pdf"')
    english = verified_client(cast.support_worker).get(
        f"/consultation/meetings/{table.meeting.pk}/agenda.pdf")
    assert english["Content-Disposition"].endswith('-fr.pdf"')  # English is not offered


# --- An agency's plan --------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["fr", "nl", "de"])
def test_a_member_on_the_plan_prints_its_own_actions_only(cast, plan, lang):
    text = get_pdf(cast.support_worker, plan_url(plan, lang))
    assert cast.case.reference in text and "DIViCo Test" in text
    assert squeeze(SUPPORT_DETAIL) in squeeze(text)
    # The youth-aid notice states its legal basis.
    assert squeeze("458ter Code pénal (fictif)") in squeeze(text)
    assert squeeze(CHILDREN) in squeeze(text)
    assert squeeze(ZONE_DETAIL) not in squeeze(text)
    assert squeeze(PROGRAMME_DETAIL) not in squeeze(text)
    no_address(text)


def test_the_programme_prints_its_actions_and_nothing_of_the_children(cast, plan):
    text = get_pdf(cast.counsellor, plan_url(plan))
    assert squeeze(PROGRAMME_DETAIL) in squeeze(text)
    for other in (ZONE_DETAIL, SUPPORT_DETAIL, CHILDREN, "458ter Code pénal (fictif)"):
        assert squeeze(other) not in squeeze(text), other
    no_address(text)


def test_the_coordinator_prints_any_members_plan(cast, plan):
    text = get_pdf(cast.coordinator, plan_url(plan, agency=cast.zone_a))
    assert squeeze(ZONE_DETAIL) in squeeze(text) and squeeze(CHILDREN) in squeeze(text)
    assert squeeze(SUPPORT_DETAIL) not in squeeze(text)
    no_address(text)
    own = get_pdf(cast.coordinator, plan_url(plan))  # the secretariat's own: no action
    assert squeeze(ZONE_DETAIL) not in squeeze(own) and squeeze(SUPPORT_DETAIL) not in squeeze(own)
    client = verified_client(cast.coordinator)
    assert client.get(plan_url(plan, agency=cast.zone_b)).status_code == 404  # no member
    assert client.get(f"/consultation/plans/{plan.pk}/plan.pdf?agency=x").status_code == 404


def test_the_plan_pdf_refuses_whoever_is_not_on_it(cast, plan):
    # The shelter and the house of justice are members, absent and given no action; zone B
    # is no member; an analyst does not sit at the table.
    for user in (cast.shelter_worker, cast.justice_assistant, cast.officer_b, cast.analyst_a):
        assert verified_client(user).get(plan_url(plan)).status_code == 404, user
    # A member on the plan asking for another agency's.
    response = verified_client(cast.support_worker).get(plan_url(plan, agency=cast.zone_a))
    assert response.status_code == 404
    assert verified_client(cast.magistrate).get(plan_url(plan)).status_code == 200


def test_the_owning_zone_prints_its_actions(cast, plan):
    text = get_pdf(cast.reference_a, plan_url(plan))
    assert squeeze(ZONE_DETAIL) in squeeze(text) and squeeze(SUPPORT_DETAIL) not in squeeze(text)
    no_address(text)


def test_the_plan_download_is_audited_naming_the_agency_and_language(cast, plan):
    response = verified_client(cast.support_worker).get(plan_url(plan, "de"))
    assert response["Content-Disposition"].endswith(
        f'{cast.case.reference}-plan-{cast.support.code}-de.pdf"')
    assert AuditEvent.objects.filter(
        action="read", object_type="consultation.plan", object_id=str(plan.pk),
        case_id=cast.case.pk, basis=f"joint safety plan PDF of agency {cast.support.pk} (de)",
    ).exists()


def test_a_closed_plan_is_no_longer_printed_for_its_participants(cast, plan):
    services.plan_close(actor=actor(cast.coordinator), plan_id=plan.pk, reason="risk_reduced",
                        note="")
    assert verified_client(cast.support_worker).get(plan_url(plan)).status_code == 404
    text = get_pdf(cast.coordinator, plan_url(plan, agency=cast.support))
    assert "risque" in text.lower()  # why it left, in French


def test_the_links_for_the_meeting_and_plan_pages(cast, table, plan):
    from django.template.loader import render_to_string

    from relais.consultation import selectors

    links = render_to_string("consultation/pdf/_agenda_links.html", {"meeting": table.meeting})
    assert f"/consultation/meetings/{table.meeting.pk}/agenda.pdf?lang=de" in links
    mine = render_to_string("consultation/pdf/_plan_links.html", selectors.plan_get(
        actor=actor(cast.support_worker), plan_id=plan.pk))
    assert f"/consultation/plans/{plan.pk}/plan.pdf?lang=nl" in mine and "<select" not in mine
    chooser = render_to_string("consultation/pdf/_plan_links.html", selectors.plan_get(
        actor=actor(cast.coordinator), plan_id=plan.pk))
    assert f'<option value="{cast.support.pk}">' in chooser
