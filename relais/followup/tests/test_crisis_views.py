"""The crisis screens of the follow-up: the most vulnerable households into the re-contact's
preview, and the child reflex button; sign-in, other agency 404, query counts."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from relais.audit.models import AuditEvent
from relais.cases import services as case_services
from relais.cases.models import ParticipantRole
from relais.conftest import actor, verified_client
from relais.core.jobs import run_queued_jobs
from relais.followup.models import Task, TaskKind
from relais.followup.tests.factories import another_case, record_report

VULNERABLE = reverse("followup:vulnerable")
CHILD_REFLEX = reverse("followup:child_reflex")


def households(cast, count: int) -> None:
    for index in range(count):
        case, victim = another_case(cast, f"Victime{index}")
        record_report(cast, case=case, victim_id=victim)
        case_services.person_add_to_case(actor=actor(cast.officer_a), case_id=case.pk,
                                         role=ParticipantRole.CHILD,
                                         first_name=f"Enfant{index}", last_name="Exemple")


def test_the_screens_require_sign_in(cast):
    for response in (Client().get(VULNERABLE), Client().post(CHILD_REFLEX)):
        assert response.status_code == 302 and response.url.startswith("/sign-in/")


def test_another_agency_and_other_roles_get_404(cast):
    for user in (cast.officer_b, cast.officer_a, cast.sapv_a, cast.legal_advisor):
        client = verified_client(user)
        assert client.get(VULNERABLE).status_code == 404
        assert client.post(CHILD_REFLEX).status_code == 404
        assert client.get(reverse("followup:crisis") + "?source=vulnerable").status_code == 404
    assert not Task.objects.filter(kind=TaskKind.CHILD_CHECK).exists()


def test_the_ranked_list_shows_the_reasons_and_leads_to_the_preview(cast):
    households(cast, 2)
    client = verified_client(cast.reference_a)
    page = client.get(VULNERABLE + "?no_contact_days=14&limit=50").content.decode()
    assert cast.case.reference in page
    assert "Children on the case: 1." in page
    assert "Isolation: she needs an interpreter." in page
    assert 'name="source" value="vulnerable"' in page

    preview = client.get(reverse("followup:crisis") + "?source=vulnerable&no_contact_days=14"
                         "&limit=50").content.decode()
    assert "Rank" in preview and "Children on the case: 1." in preview
    response = client.post(reverse("followup:crisis"), {"source": "vulnerable",
                                                        "no_contact_days": "14",
                                                        "limit": "50"})
    assert response.status_code == 302 and response["Location"].startswith("/jobs/")
    assert run_queued_jobs() == 1  # the job worker creates the tasks out of the request
    # The two households whose report planned a revisit already are left out, as before.
    (task,) = Task.objects.filter(kind=TaskKind.CRISIS_RECONTACT)
    assert task.case_id == cast.case.pk and task.reason[0][0] == "crisis_vulnerable"
    assert "The most vulnerable households" in client.get(
        reverse("followup:crisis")).content.decode()  # the batch says which households


def test_the_list_takes_a_constant_number_of_queries(cast):
    client = verified_client(cast.reference_a)
    households(cast, 1)
    with CaptureQueriesContext(connection) as few:
        assert client.get(VULNERABLE).status_code == 200
    households(cast, 4)
    with CaptureQueriesContext(connection) as many:
        assert client.get(VULNERABLE).status_code == 200
    assert len(many) == len(few)


def test_the_button_starts_the_child_reflex_once_a_day(cast):
    client = verified_client(cast.reference_a)
    page = client.get(reverse("followup:crisis")).content.decode()
    assert "Schools are closed: start the child reflex" in page
    assert client.post(CHILD_REFLEX).status_code == 302
    assert client.post(CHILD_REFLEX).status_code == 302
    (task,) = Task.objects.filter(kind=TaskKind.CHILD_CHECK)
    assert AuditEvent.objects.filter(object_type="followup.childreflexstart").count() == 2

    page = verified_client(cast.sapv_a).get(
        reverse("followup:task", args=[task.pk])).content.decode()
    assert "Chloé Fictif" in page  # the child, by her person link
    assert "458bis" in page
    assert "Done: concern for a child (notify youth aid)" in page
