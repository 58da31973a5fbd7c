"""Screens of amendments, and the confirmation steps and draft discarding they come with."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from relais.access import services as access_services
from relais.access.models import ConsentMethod, Share
from relais.amendments.models import Addendum
from relais.amendments.tests.factories import add_pv_number, police_grid
from relais.audit.models import Action, AuditEvent
from relais.conftest import actor, verified_client
from relais.core.models import FormDraft
from relais.followup.tests.factories import record_report
from relais.intake.models import Report
from relais.measures.models import ResidenceBan
from relais.measures.tests.factories import forwarded, order_ban


@pytest.fixture
def report(cast) -> Report:
    return record_report(cast, pv_number="")


def urls(report: Report, assessment_id: int) -> list[str]:
    return [reverse("amendments:report_amend", args=[report.pk]),
            reverse("amendments:assessment_amend", args=[assessment_id])]


def test_the_addendum_screens_require_sign_in(cast, report):
    for url in urls(report, police_grid(cast).pk):
        response = Client().get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_another_agency_gets_404(cast, report):
    assessment = police_grid(cast)
    for user in (cast.officer_b, cast.legal_advisor, cast.shelter_worker):
        client = verified_client(user)
        for url in urls(report, assessment.pk):
            assert client.get(url).status_code == 404, (user, url)
            assert client.post(url, {"reason": "x"}).status_code == 404, (user, url)
    assert not Addendum.objects.exists()


def test_the_pv_number_is_added_on_the_record_page(cast, report, django_assert_max_num_queries):
    client = verified_client(cast.officer_a)
    detail = reverse("intake:report_detail", args=[report.pk])
    page = client.get(detail).content.decode()
    assert "Correct or complete by an addendum" in page and "not known yet" in page
    form_url = reverse("amendments:report_amend", args=[report.pk])
    form = client.get(form_url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["offence_at"] = timezone.localtime(report.offence_at).strftime("%Y-%m-%dT%H:%M")
    data["recorded_on"] = report.recorded_on.isoformat()
    data.update(pv_number="BR.21.L3.000777/2026", submission_token="t-1")

    missing_reason = client.post(form_url, data)
    assert missing_reason.status_code == 200 and not Addendum.objects.exists()
    assert "BR.21.L3.000777/2026" in missing_reason.content.decode()  # nothing typed is lost

    response = client.post(form_url, {**data, "reason": "PV number received."})
    assert response.status_code == 302 and response.url == detail
    addendum = Addendum.objects.get()
    assert [c["field"] for c in addendum.changes] == ["pv_number"]
    with django_assert_max_num_queries(45):
        page = client.get(detail).content.decode()
    assert "BR.21.L3.000777/2026" in page and "corrected — see addendum" in page
    assert "PV number received." in page
    case_page = client.get(reverse("cases:case_detail", args=[cast.case.pk])).content.decode()
    assert "Police record corrected by an addendum" in case_page
    assert "BR.21.L3.000777/2026" in case_page and "PV number received." in case_page


def test_readers_of_the_record_see_the_addendum_but_cannot_amend(cast, report):
    add_pv_number(cast, report)
    page = verified_client(cast.legal_advisor).get(
        reverse("intake:report_detail", args=[report.pk])).content.decode()
    assert "corrected — see addendum" in page
    assert "Correct or complete by an addendum" not in page


def test_an_assessment_is_corrected_on_its_screen(cast):
    assessment = police_grid(cast)
    client = verified_client(cast.officer_a)
    url = reverse("amendments:assessment_amend", args=[assessment.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(item_threats_to_kill="yes", reason="Threat to kill reported the next day.",
                submission_token="t-2")
    response = client.post(url, data)
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.level_in_force == "high"
    page = client.get(reverse("risk:assessment_detail", args=[assessment.pk])).content.decode()
    assert "corrected — see addendum" in page and "Threat to kill reported" in page


# --- Confirmation steps ---------------------------------------------------------------------

def _consent(cast):
    share = access_services.referral_share_grant(
        actor=actor(cast.officer_a), case_id=cast.case.pk, person_id=cast.victim_id,
        recipient_agency_id=cast.shelter.pk, scopes=["contact"],
        method=ConsentMethod.ORAL_IN_PERSON, purpose="")
    return share


def test_withdrawing_consent_asks_for_confirmation_first(cast):
    share = _consent(cast)
    client = verified_client(cast.officer_a)
    url = reverse("access:consent_withdraw", args=[share.consent_id])
    ask = client.post(url)
    assert ask.status_code == 200 and "This cannot be undone." in ask.content.decode()
    share.refresh_from_db()
    assert share.ended_at is None
    assert verified_client(cast.officer_b).post(url).status_code == 404
    done = client.post(url, {"_confirmed": "yes"})
    assert done.status_code == 302
    share.refresh_from_db()
    assert share.ended_at is not None


def test_forwarding_asks_for_confirmation_first(cast):
    client = verified_client(cast.officer_a)
    url = reverse("access:forward", args=[cast.case.pk])
    assert "Yes, forward the case" in client.post(url).content.decode()
    assert not Share.objects.filter(recipient_agency=cast.prosecutor).exists()
    assert verified_client(cast.officer_b).post(url).status_code == 404
    assert client.post(url, {"_confirmed": "yes"}).status_code == 302
    assert Share.objects.filter(recipient_agency=cast.prosecutor).exists()


def test_lifting_a_ban_asks_for_confirmation_and_keeps_the_reason(cast):
    forwarded(cast)
    ban = order_ban(cast)
    office = verified_client(cast.legal_advisor)
    url = reverse("measures:ban_lift", args=[ban.pk])
    ask = office.post(url, {"reason": "The victim moved away (fictitious)."})
    page = ask.content.decode()
    assert ask.status_code == 200 and "Yes, lift the ban" in page
    assert 'value="The victim moved away (fictitious)."' in page  # carried to the confirmation
    assert ResidenceBan.objects.get(pk=ban.pk).lifted_at is None
    assert verified_client(cast.officer_b).post(url, {"reason": "x"}).status_code == 404
    office.post(url, {"reason": "The victim moved away (fictitious).", "_confirmed": "yes"})
    assert ResidenceBan.objects.get(pk=ban.pk).lifted_at is not None


# --- Drafts ---------------------------------------------------------------------------------

def test_a_draft_is_discarded_audited(cast):
    client = verified_client(cast.officer_a)
    url = reverse("access:consultation", args=[cast.case.pk])
    client.post(url, {"purpose": "Fictitious draft", "_save_draft": "1"})
    draft = FormDraft.objects.get(user=cast.officer_a)
    page = client.get(url).content.decode()
    assert "Your draft is back" in page and "Discard draft" in page
    response = client.post(url, {"_discard_draft": "1"})
    assert response.status_code == 302 and response.url == url
    assert not FormDraft.objects.exists()
    assert AuditEvent.objects.filter(action=Action.DELETE, object_type="core.formdraft",
                                     object_id=str(draft.pk)).exists()
    assert "Discard draft" not in client.get(url).content.decode()
