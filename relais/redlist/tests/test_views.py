from datetime import timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from relais.accounts.models import Role
from relais.audit.models import AuditEvent
from relais.conftest import make_user, verified_client
from relais.redlist.models import LookupTally, RedListEntry
from relais.redlist.tests.conftest import LISTED_PHONE, place


def urls(entry_id):
    return [("get", reverse("redlist:entries")), ("get", reverse("redlist:entry_new")),
            ("get", reverse("redlist:entry", args=[entry_id])),
            ("post", reverse("redlist:entry_extend", args=[entry_id])),
            ("post", reverse("redlist:entry_lift", args=[entry_id])),
            ("get", reverse("redlist:lookup"))]


def new_entry_data(cast, **overrides):
    data = {"case": cast.case.reference, "kind": "address", "postcode": "1050",
            "refnis": "21009", "street": "Rue de la Loi", "street_other": "Wetstraat",
            "street_third": "", "number": "16", "box": "", "phone": "",
            "reason": "serious_violence", "reason_text": "",
            "review_on": (timezone.localdate() + timedelta(days=60)).isoformat()}
    data.update(overrides)
    return data


def test_every_screen_requires_sign_in(cast, listed):
    for method, url in urls(listed[0].pk):
        response = getattr(Client(), method)(url)
        assert response.status_code == 302 and response.url.startswith("/sign-in/"), url


def test_another_agency_and_other_roles_get_404(cast, listed):
    reference_b = make_user("reference_b", cast.zone_b, Role.IPV_REFERENCE_OFFICER)
    entry_id = listed[0].pk
    for user in (reference_b, cast.officer_a, cast.shelter_worker, cast.admin_a):
        client = verified_client(user)
        for method, url in urls(entry_id)[2:5]:
            assert getattr(client, method)(url, {"why": "error"}).status_code == 404, (user, url)
    for user in (cast.officer_a, cast.dispatcher_a, cast.shelter_worker):
        assert verified_client(user).get(reverse("redlist:entries")).status_code == 404
    for user in (cast.officer_a, cast.reference_a, cast.legal_advisor):
        assert verified_client(user).get(reverse("redlist:lookup")).status_code == 404
    assert RedListEntry.objects.get(pk=entry_id).lifted_at is None


def test_the_list_takes_the_same_queries_whatever_the_number_of_entries(cast, listed):
    client = verified_client(cast.reference_a)
    client.get(reverse("redlist:entries"))  # warm the session and the menu
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("redlist:entries")).status_code == 200
    for n in range(8):
        place(cast.reference_a, cast.case, number=str(100 + n))
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("redlist:entries"))
    assert page.status_code == 200 and page.content.decode().count("RL-") == 10
    assert len(many) == len(few) <= 16, [q["sql"] for q in many]


def test_the_reference_officer_puts_an_entry_and_lifts_it(cast):
    client = verified_client(cast.reference_a)
    response = client.post(reverse("redlist:entry_new"), new_entry_data(cast))
    entry = RedListEntry.objects.get()
    assert response.status_code == 302 and response.url == reverse("redlist:entry",
                                                                   args=[entry.pk])
    page = client.get(response.url).content.decode()
    assert entry.reference in page and "Wetstraat" in page
    client.post(reverse("redlist:entry_lift", args=[entry.pk]), {"why": "moved"})
    entry.refresh_from_db()
    assert entry.lifted_at is not None


def test_errors_keep_the_input_and_save_nothing(cast):
    client = verified_client(cast.reference_a)
    too_late = (timezone.localdate() + timedelta(days=200)).isoformat()
    page = client.post(reverse("redlist:entry_new"), new_entry_data(cast, review_on=too_late))
    assert page.status_code == 200 and "6 months" in page.content.decode()
    page = client.post(reverse("redlist:entry_new"), new_entry_data(cast, case="REL-NOPE"))
    assert page.status_code == 200 and "Rue de la Loi" in page.content.decode()
    reference_b = make_user("reference_b", cast.zone_b, Role.IPV_REFERENCE_OFFICER)
    page = verified_client(reference_b).post(reverse("redlist:entry_new"), new_entry_data(cast))
    assert page.status_code == 200 and "No open case" in page.content.decode()
    assert not RedListEntry.objects.exists()


def test_the_dispatchers_screen_shows_a_hit_and_a_miss_and_nothing_else(cast, listed):
    client = verified_client(cast.dispatcher_a)
    assert client.get(reverse("redlist:lookup")).status_code == 200
    hit = client.post(reverse("redlist:lookup"), {"postcode": "1050", "street": "wetstraat",
                                                 "number": "16", "box": "2"}).content.decode()
    assert listed[0].reference in hit and cast.zone_a.name in hit and "LISTED" in hit
    for never in ("Alice", "Bruno", "Chloé", cast.case.reference, "Rue de la Loi"):
        assert never not in hit, never
    miss = client.post(reverse("redlist:lookup"), {"phone": "0470 00 00 01"}).content.decode()
    assert "Not on the red list" in miss and "RL-" not in miss
    by_phone = client.post(reverse("redlist:lookup"), {"phone": LISTED_PHONE}).content.decode()
    assert listed[1].reference in by_phone
    assert LookupTally.objects.get().lookups == 3
    assert AuditEvent.objects.filter(object_type="redlist.lookuptally").count() == 1


def test_the_review_task_shows_in_the_reference_officers_follow_up(cast, listed):
    from relais.followup.models import Task, TaskKind

    task = Task.objects.get(kind=TaskKind.REDLIST_REVIEW, source_id=str(listed[0].pk))
    client = verified_client(cast.reference_a)
    page = client.get(reverse("followup:task", args=[task.pk]))
    assert page.status_code == 200
    assert "Red list: review the entry before it expires" in page.content.decode()
    assert listed[0].reference in page.content.decode()
