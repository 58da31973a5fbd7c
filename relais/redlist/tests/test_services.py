from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from relais.access import services as access_services
from relais.accounts.models import Role
from relais.audit.models import Action, AuditEvent
from relais.conftest import actor, make_user
from relais.followup.models import Task, TaskKind, TaskStatus
from relais.redlist import selectors, services
from relais.redlist.models import LiftReason, LookupTally, RedListEntry, RedListKey
from relais.redlist.normalise import address_key, phone_key
from relais.redlist.tests.conftest import LISTED, place

WET = address_key(postcode="1050", street="WETSTRAAT", number="16", box="2")
LOI = address_key(postcode="1050", street="rue de la loi", number="16", box="Bte 2")


def events(entry, action=Action.UPDATE):
    return AuditEvent.objects.filter(object_type="redlist.redlistentry",
                                     object_id=str(entry.pk), action=action)


def test_the_reference_officer_lists_an_address_with_a_review_task_and_an_audit_event(cast):
    entry = place(cast.reference_a, cast.case, reason_text="Fictitious: repeated calls")
    assert entry.reference.startswith("RL-") and cast.case.reference not in entry.reference
    assert entry.zone == cast.zone_a and entry.refnis == "21009"
    assert entry.streets == LISTED["streets"] and entry.box == "bte 2"
    assert sorted(entry.keys.values_list("key", flat=True)) == sorted([WET, LOI])
    event = events(entry, Action.CREATE).get()
    assert event.case_id == cast.case.pk and event.user_id == cast.reference_a.pk
    task = Task.objects.get(kind=TaskKind.REDLIST_REVIEW)
    assert task.agency == cast.zone_a and task.for_role == Role.IPV_REFERENCE_OFFICER
    assert task.due_at.date() <= entry.review_on
    assert AuditEvent.objects.filter(object_type="followup.task", object_id=str(task.pk),
                                     action=Action.CREATE).exists()
    # The cast's case has a child: the flag is set; being listed raises the priority.
    assert entry.children and entry.priority >= 1


def test_the_review_date_is_at_most_six_months_ahead(cast):
    today = timezone.localdate()
    for bad in (today, today - timedelta(days=1), services.latest_review_on() + timedelta(1)):
        with pytest.raises(ValidationError) as error:
            place(cast.reference_a, cast.case, review_on=bad)
        assert "review_on" in error.value.message_dict
    assert place(cast.reference_a, cast.case, review_on=services.latest_review_on())
    assert RedListEntry.objects.count() == 1


def test_only_the_reference_officer_and_the_prosecutors_office_list_on_a_case_they_see(cast):
    for user in (cast.officer_a, cast.sapv_a, cast.dispatcher_a, cast.admin_a,
                 cast.shelter_worker, cast.officer_b):
        with pytest.raises(Http404):
            place(user, cast.case)
    # The prosecutor's office does not see the case before it is forwarded...
    with pytest.raises(Http404):
        place(cast.legal_advisor, cast.case)
    # ...and lists it for the zone that owns it, once forwarded.
    access_services.case_forward_to_prosecutor(actor=actor(cast.officer_a), case_id=cast.case.pk)
    entry = place(cast.legal_advisor, cast.case, kind="phone", phone="+32 470 11 22 33",
                  postcode="", refnis="", streets=[], number="", box="")
    assert entry.zone == cast.zone_a and entry.placed_by_agency == cast.prosecutor
    assert entry.phone == "+32470112233"
    # Another zone's reference officer does not see zone A's case.
    reference_b = make_user("reference_b", cast.zone_b, Role.IPV_REFERENCE_OFFICER)
    with pytest.raises(Http404):
        place(reference_b, cast.case)
    assert RedListEntry.objects.count() == 1


def test_other_needs_a_reason_text(cast):
    with pytest.raises(ValidationError) as error:
        place(cast.reference_a, cast.case, reason="other")
    assert "reason_text" in error.value.message_dict


def test_lifting_removes_the_keys_cancels_the_task_and_is_audited(cast, listed):
    address, _phone = listed
    services.entry_lift(actor=actor(cast.reference_a), entry_id=address.pk,
                        why=LiftReason.MOVED)
    address.refresh_from_db()
    assert address.lifted_at is not None and address.lift_reason == LiftReason.MOVED
    assert not RedListKey.objects.filter(entry=address).exists()
    assert events(address).filter(basis__contains="lifted").exists()
    task = Task.objects.get(source_id=str(address.pk), kind=TaskKind.REDLIST_REVIEW)
    assert task.status == TaskStatus.CANCELLED
    with pytest.raises(Http404):  # once
        services.entry_lift(actor=actor(cast.reference_a), entry_id=address.pk,
                            why=LiftReason.MOVED)
    # Another zone's reference officer cannot lift the phone entry.
    reference_b = make_user("reference_b", cast.zone_b, Role.IPV_REFERENCE_OFFICER)
    with pytest.raises(Http404):
        services.entry_lift(actor=actor(reference_b), entry_id=_phone.pk,
                            why=LiftReason.ERROR)


def test_the_review_extends_the_entry_and_replaces_its_task(cast, listed):
    address, _phone = listed
    new_day = services.latest_review_on()
    services.entry_extend(actor=actor(cast.reference_a), entry_id=address.pk, review_on=new_day)
    assert set(address.keys.values_list("review_on", flat=True)) == {new_day}
    tasks = Task.objects.filter(source_id=str(address.pk), kind=TaskKind.REDLIST_REVIEW)
    assert sorted(tasks.values_list("status", flat=True)) == [TaskStatus.CANCELLED,
                                                               TaskStatus.OPEN]
    assert events(address).filter(basis__contains="reviewed").exists()


def test_expiry_removes_the_entry_by_itself_and_is_audited(cast, listed):
    address, phone = listed
    dispatcher = actor(cast.dispatcher_a)
    assert selectors.lookup(actor=dispatcher, keys=[WET]).listed
    # Past its review date it is not found, even before the tick...
    RedListEntry.objects.filter(pk=address.pk).update(review_on=timezone.localdate()
                                                      - timedelta(days=1))
    RedListKey.objects.filter(entry=address).update(review_on=timezone.localdate()
                                                    - timedelta(days=1))
    assert not selectors.lookup(actor=dispatcher, keys=[WET]).listed
    # ...and the tick lifts it, cancels its task, and audits both.
    assert services.expire_due() == 1
    address.refresh_from_db()
    assert address.lift_reason == LiftReason.EXPIRED and address.lifted_at is not None
    assert not RedListKey.objects.filter(entry=address).exists()
    assert events(address).filter(basis__contains="expired", user_id__isnull=True).exists()
    task = Task.objects.get(source_id=str(address.pk))
    assert task.status == TaskStatus.CANCELLED
    assert services.expire_due() == 0
    assert selectors.lookup(actor=dispatcher, keys=[phone_key(phone.phone)]).listed


def test_lookups_are_counted_per_hour_with_one_audit_event_opening_and_one_closing(cast,
                                                                                   listed):
    dispatcher = actor(cast.dispatcher_a)
    before = AuditEvent.objects.count()
    for keys in ([WET], [LOI], ["a:9999|nowhere|1|"], [phone_key("+32470000000")]):
        selectors.lookup(actor=dispatcher, keys=keys)
    tally = LookupTally.objects.get()
    assert (tally.lookups, tally.hits, tally.user_id) == (4, 2, cast.dispatcher_a.pk)
    opened = AuditEvent.objects.filter(pk__gt=0).order_by("pk")
    assert AuditEvent.objects.count() == before + 1
    assert opened.last().action == Action.SEARCH and opened.last().object_type == \
        "redlist.lookuptally"
    # The tick closes past hours with the counts.
    LookupTally.objects.update(hour=tally.hour - timedelta(hours=1))
    assert selectors.tallies_close() == 1
    closing = AuditEvent.objects.order_by("pk").last()
    assert "4 look-ups, 2 hits" in closing.basis and closing.username == "dispatcher_a"
    assert selectors.tallies_close() == 0


def test_only_dispatchers_look_up(cast, listed):
    for user in (cast.officer_a, cast.reference_a, cast.legal_advisor, cast.admin_a):
        with pytest.raises(Http404):
            selectors.lookup(actor=actor(user), keys=[WET])
    assert not LookupTally.objects.exists()


def test_a_dispatcher_of_another_zone_finds_the_entry_with_its_zone(cast, listed):
    dispatcher_b = make_user("dispatcher_b", cast.zone_b, Role.DISPATCHER)
    answer = selectors.lookup(actor=actor(dispatcher_b), keys=[LOI])
    assert answer.listed and answer.zone == cast.zone_a.name


def test_the_entry_list_shows_the_agency_and_zone_entries_only(cast, listed,
                                                                django_assert_max_num_queries):
    lines = selectors.entry_list(actor=actor(cast.reference_a))
    assert len(lines) == 2 and all(line.case_visible for line in lines)
    reference_b = make_user("reference_b", cast.zone_b, Role.IPV_REFERENCE_OFFICER)
    assert selectors.entry_list(actor=actor(reference_b)) == []
    with pytest.raises(Http404):
        selectors.entry_list(actor=actor(cast.officer_a))
    assert AuditEvent.objects.filter(basis="red list (2 entries shown)").exists()


def test_the_tick_refreshes_stale_flags_and_audits_a_change(cast, listed):
    import io

    from django.core.management import call_command

    address, _phone = listed
    RedListEntry.objects.filter(pk=address.pk).update(
        children=False, flags_at=timezone.now() - timedelta(days=1))
    out = io.StringIO()
    call_command("redlist_tick", stdout=out)
    assert "1 entries with new flags" in out.getvalue()
    address.refresh_from_db()
    assert address.children  # the case has a child: the flag is back
    assert events(address).filter(basis__contains="refreshed", user_id__isnull=True).exists()
    out = io.StringIO()
    call_command("redlist_tick", stdout=out)
    assert "0 expired, 0 tallies closed, 0 entries with new flags" in out.getvalue()
