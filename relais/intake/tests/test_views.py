"""Intake screens: sign-in, outsiders get 404, the form's errors in the user's language, drafts,
the wording check, the documents."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from relais.audit.models import AuditEvent
from relais.conftest import actor, case_page_with_sections, verified_client
from relais.core.models import FormDraft
from relais.followup.models import Task
from relais.intake import services
from relais.intake.examples import report_arguments
from relais.intake.models import Report


@pytest.fixture
def report(cast) -> Report:
    return services.report_record(
        actor=actor(cast.officer_a), case_id=cast.case.pk,
        **report_arguments(victim_id=cast.victim_id, perpetrator_id=cast.perpetrator_id))


def form_data(cast, **overrides) -> dict:
    """What the intake page posts for a complete official report."""
    offence = timezone.localtime() - timedelta(days=1)
    data = {
        "victim_id": cast.victim_id, "perpetrator_id": cast.perpetrator_id,
        "kind": "official", "source": "walk_in", "pv_number": "BR.00.L0.000001/2026",
        "offence_at": offence.strftime("%Y-%m-%dT%H:%M"),
        "recorded_on": timezone.localdate().isoformat(),
        "postcode": "1050", "municipality": "21009", "forms": ["physical", "verbal"],
        "visible_injuries": "on",
        "facts_context": "Fictitious. Dispute about the car keys.",
        "facts_words": "He said: 'Give me the keys.'",
        "facts_actions": "He grabbed her wrist; red marks visible.",
        "children_present": "no", "children_impact": "The child was at school.",
        "risk_weapons": "", "risk_threats": "", "risk_history": "",
        "perpetrator_left": "no", "accommodation": "", "referred_sapv": "on",
        "referral_note": "", "interpreter": "none", "interpreter_language": "",
        "seen_alone": "yes", "spoke_freely": "yes", "childcare": "not_needed",
        "day2_contact_agreed": "on",
        "item_children": "yes", "item_weapons_threats_substances": "no",
        "item_escalation": "unknown", "item_isolation": "no", "item_stalking": "no",
        "sc_channel": "", "sc_hours": "", "sc_can_speak_freely": "unknown", "sc_notes": "",
        "submission_token": "tok-intake-1",
    }
    data.update(overrides)
    return data


def screens(cast, report) -> list[str]:
    return [reverse("intake:report_new", args=[cast.case.pk]),
            reverse("intake:report_detail", args=[report.pk]),
            reverse("intake:report_document", args=[report.pk, "flyer"]),
            reverse("intake:report_document", args=[report.pk, "declaration"]),
            reverse("intake:report_document", args=[report.pk, "report"]),
            reverse("risk:assessment_new", args=[cast.case.pk, "police_grid"]),
            reverse("risk:assessment_detail", args=[report.assessments.first().pk]),
            reverse("notifications:inbox")]


def test_every_screen_requires_sign_in(cast, report):
    client = Client()
    for url in screens(cast, report):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("accounts:login")), url


def test_other_agency_gets_404(cast, report):
    client = verified_client(cast.officer_b)
    for url in screens(cast, report)[:-1]:
        assert client.get(url).status_code == 404, url


def test_the_intake_page_offers_the_checklist_the_five_sections_and_safe_contact(cast):
    page = verified_client(cast.officer_a).get(
        reverse("intake:report_new", args=[cast.case.pk])).content.decode()
    for text in ("Counter checklist", "1. Facts", "2. Children", "3. Risk",
                 "4. Immediate measures", "5. Referral", "The interview",
                 "How to contact her safely", "Save as draft"):
        assert text in page, text
    assert 'hx-post="/reports/wording-check/"' in page


def test_a_whole_intake_through_the_screen(cast, mailoutbox):
    client = verified_client(cast.officer_a)
    response = client.post(reverse("intake:report_new", args=[cast.case.pk]), form_data(cast))

    report = Report.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("intake:report_detail", args=[report.pk])
    assert report.forms == ["physical", "verbal"] and report.day2_contact_agreed
    assert report.forwarded_to == cast.prosecutor
    assert report.assessments.get().answers["escalation"] == "unknown"
    assert set(Task.objects.filter(case=cast.case).values_list("kind", flat=True)) == {
        "victim_assistance_contact", "day2_contact", "revisit"}
    page = client.get(response.url).content.decode()
    assert "Official report (PV)" in page and "Intimate partner violence" in page


def test_a_double_submission_records_once(cast):
    client = verified_client(cast.officer_a)
    url = reverse("intake:report_new", args=[cast.case.pk])
    first = client.post(url, form_data(cast))
    second = client.post(url, form_data(cast))
    assert Report.objects.count() == 1
    assert first.url == second.url


def test_errors_are_explained_in_french_and_nothing_is_lost(cast):
    client = verified_client(cast.officer_a, language="fr")
    data = form_data(cast, kind="information", children_impact="", children_present="",
                     offence_at=(timezone.localtime() + timedelta(days=2))
                     .strftime("%Y-%m-%dT%H:%M"))
    del data["item_stalking"]
    response = client.post(reverse("intake:report_new", args=[cast.case.pk]), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert not Report.objects.exists()
    assert "rapport officiel" in page.lower() or "procès-verbal" in page.lower()
    assert "Les faits ne peuvent pas être dans le futur." in page
    assert "inconnu n&#x27;est pas non" in page.lower() or "inconnu n'est pas non" in page.lower()
    # What she typed is still there.
    assert "He grabbed her wrist; red marks visible." in page


def test_an_interrupted_intake_is_kept_as_a_draft(cast):
    client = verified_client(cast.officer_a)
    url = reverse("intake:report_new", args=[cast.case.pk])
    half = {"victim_id": cast.victim_id, "facts_context": "Fictitious: half-written context.",
            "forms": ["stalking"], "item_children": "no", "_save_draft": "1"}
    response = client.post(url, half)

    assert response.status_code == 302 and response.url == url
    assert not Report.objects.exists()
    assert FormDraft.objects.filter(user=cast.officer_a, path=url).exists()
    page = client.get(url).content.decode()
    assert "Fictitious: half-written context." in page
    assert re.search(r'value="stalking"[^>]*checked', page)
    client.post(url, form_data(cast))
    assert Report.objects.count() == 1
    assert not FormDraft.objects.exists()


def test_the_wording_check_warns_inline_and_stores_nothing(cast):
    client = verified_client(cast.officer_a)
    events = AuditEvent.objects.count()
    response = client.post(reverse("intake:wording_check"),
                           {"facts_context": "Elle était hystérique."},
                           HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER_NAME="facts_context")

    fragment = response.content.decode()
    assert response.status_code == 200
    assert "hystérique" in fragment
    assert "does not stop you saving" in fragment
    assert AuditEvent.objects.count() == events
    clean = client.post(reverse("intake:wording_check"), {"facts_context": "He pushed her."},
                        HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER_NAME="facts_context")
    assert clean.content.decode().strip() == ""


def test_the_record_shows_wording_to_check_but_was_saved(cast):
    report = services.report_record(
        actor=actor(cast.officer_a), case_id=cast.case.pk,
        **report_arguments(victim_id=cast.victim_id,
                           facts_context="A crime of passion, she was hysterical."))
    page = verified_client(cast.officer_a).get(
        reverse("intake:report_detail", args=[report.pk])).content.decode()
    assert "Wording to check" in page
    assert "crime of passion" in page


def test_reading_the_record_is_audited(cast, report):
    verified_client(cast.sapv_a).get(reverse("intake:report_detail", args=[report.pk]))
    assert AuditEvent.objects.filter(action="read", object_type="intake.report",
                                     user_id=cast.sapv_a.pk).exists()


def test_the_prosecutor_reads_the_forwarded_record(cast, report):
    response = verified_client(cast.legal_advisor).get(
        reverse("intake:report_detail", args=[report.pk]))
    assert response.status_code == 200
    assert "Forward to the prosecutor" not in response.content.decode()


def test_a_service_without_the_judicial_scope_gets_404(cast, report):
    from relais.access.models import ConsentMethod
    from relais.access.services import referral_share_grant

    referral_share_grant(actor=actor(cast.officer_a), case_id=cast.case.pk,
                         person_id=cast.victim_id, recipient_agency_id=cast.shelter.pk,
                         scopes=["contact"], method=ConsentMethod.ORAL_IN_PERSON)
    client = verified_client(cast.shelter_worker)
    assert client.get(reverse("cases:case_detail", args=[cast.case.pk])).status_code == 200
    assert client.get(reverse("intake:report_detail", args=[report.pk])).status_code == 404
    assert client.get(reverse("intake:report_document",
                              args=[report.pk, "declaration"])).status_code == 404


def test_the_case_page_lists_records_and_risk(cast, report):
    page = case_page_with_sections(verified_client(cast.officer_a), cast.case.pk)
    assert "Police records" in page and "Record an intervention" in page
    assert reverse("intake:report_detail", args=[report.pk]) in page
    assert "Next reassessment" in page
    assert reverse("risk:assessment_new", args=[cast.case.pk, "police_grid"]) in page


def test_documents_download_as_pdf_without_personal_data_in_the_name(cast, report):
    client = verified_client(cast.officer_a)
    for document in ("flyer", "declaration", "report"):
        response = client.get(reverse("intake:report_document", args=[report.pk, document]),
                              {"lang": "nl"})
        assert response.status_code == 200, document
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        disposition = response["Content-Disposition"]
        assert cast.case.reference in disposition and "-nl.pdf" in disposition
        assert "Exemple" not in disposition
    assert AuditEvent.objects.filter(action="read", object_type="intake.report",
                                     basis__contains="document: declaration").exists()


def test_no_declaration_for_an_information_report(cast):
    report = services.report_record(
        actor=actor(cast.officer_a), case_id=cast.case.pk,
        **report_arguments(victim_id=cast.victim_id, official=False))
    response = verified_client(cast.officer_a).get(
        reverse("intake:report_document", args=[report.pk, "declaration"]))
    assert response.status_code == 404


def test_the_safe_contact_section_shows_what_is_recorded_and_keeps_it(cast):
    from relais.cases.models import SafeContactInstructions

    client = verified_client(cast.officer_a)
    url = reverse("intake:report_new", args=[cast.case.pk])
    page = client.get(url).content.decode()
    assert re.search(r'<option value="phone" selected>', page)
    assert re.search(r'value="leave_message"[^>]*checked', page)

    updates = AuditEvent.objects.filter(object_type="cases.safecontactinstructions",
                                        action="update")
    before = updates.count()
    # The page as the browser sends it back, prefilled values untouched.
    client.post(url, form_data(cast, sc_channel="phone", sc_hours="9-12",
                               sc_never=["leave_message"], sc_can_speak_freely="unknown"))
    assert Report.objects.count() == 1
    instructions = SafeContactInstructions.objects.get(person_id=cast.victim_id)
    assert instructions.never == ["leave_message"] and instructions.hours == "9-12"
    assert updates.count() == before  # unchanged: nothing rewritten
