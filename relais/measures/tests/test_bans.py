"""The residence ban (ITR): the order and its checks, service, extension, lifting, breaches,
his accommodation; the tasks and notices each step makes, and each step's audit event."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from relais.access.cases import case_access, visible_cases
from relais.access.models import Share
from relais.accounts.models import Role
from relais.audit.models import AuditEvent
from relais.cases.models import TimelineEntry
from relais.conftest import Cast, actor
from relais.followup.models import Task, TaskKind, TaskStatus
from relais.followup.rules import later_same_clock
from relais.measures import services
from relais.measures.models import BanStatus, BreachKind, ResidenceBan
from relais.measures.rules import ban_rules
from relais.measures.tests.factories import (
    ban_arguments,
    forwarded,
    move_ban,
    order_ban,
    other_address,
    shelter_address,
)
from relais.notifications.models import Notice, NoticeKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_forwarded(cast: Cast) -> Cast:
    forwarded(cast)
    return cast


def audited(target, action: str) -> AuditEvent:
    return AuditEvent.objects.get(object_type=target._meta.label_lower,
                                  object_id=str(target.pk), action=action)


def ban_tasks(ban: ResidenceBan, kind: str) -> list[Task]:
    return list(Task.objects.filter(source_type="measures.residenceban", source_id=str(ban.pk),
                                    kind=kind).order_by("pk"))


def errors_of(raised: pytest.ExceptionInfo) -> dict[str, list[str]]:
    return raised.value.message_dict


# --- Ordering ------------------------------------------------------------------------------

def test_ordering_a_ban_plans_service_monitoring_and_expiry(case_forwarded):
    cast = case_forwarded
    ban = order_ban(cast)
    assert ban.status == BanStatus.ORDERED
    assert audited(ban, "create").basis.startswith("residence ban ordered")
    assert [a.street for a in ban.addresses.all()] == ["Rue du Test 12"]
    assert set(ban.protected_persons.values_list("pk", flat=True)) == {cast.victim_id,
                                                                       cast.child_id}
    assert ban.rules_version == ban_rules().version
    assert TimelineEntry.objects.filter(case=cast.case, kind="ban_ordered").exists()

    [notify] = ban_tasks(ban, TaskKind.BAN_NOTIFY)
    assert notify.agency == cast.zone_a and notify.for_role == Role.INTERVENTION_OFFICER
    assert notify.due_at <= timezone.now()
    [monitor] = ban_tasks(ban, TaskKind.BAN_MONITOR)
    assert monitor.agency == cast.house_of_justice
    assert monitor.due_at == later_same_clock(ban.starts_at, days=1)
    [expiry] = ban_tasks(ban, TaskKind.BAN_EXPIRY)
    assert expiry.agency == cast.prosecutor and expiry.assignee == cast.legal_advisor
    assert expiry.due_at == later_same_clock(ban.ends_at, days=-2)
    for task in (notify, monitor, expiry):
        assert audited(task, "create")

    notices = Notice.objects.filter(kind=NoticeKind.BAN_ORDERED, agency=cast.zone_a)
    assert set(notices.values_list("for_role", flat=True)) == {
        Role.IPV_REFERENCE_OFFICER, Role.VICTIM_ASSISTANCE_WORKER}


def test_the_house_of_justice_sees_the_monitored_case_with_the_judicial_scope_only(
        case_forwarded):
    cast = case_forwarded
    order_ban(cast)
    share = Share.objects.get(case=cast.case, recipient_agency=cast.house_of_justice)
    assert share.scopes == ["judicial"]
    assistant = actor(cast.justice_assistant)
    assert visible_cases(assistant).filter(pk=cast.case.pk).exists()
    assert case_access(actor=assistant, case_id=cast.case.pk).scopes == {"judicial"}


def test_a_ban_longer_than_the_law_allows_is_refused_and_nothing_is_made(case_forwarded):
    cast = case_forwarded
    start = timezone.now()
    with pytest.raises(ValidationError) as raised:
        order_ban(cast, starts_at=start, ends_at=later_same_clock(start, days=11))
    assert "Longer than the law allows" in errors_of(raised)["ends_at"][0]
    assert "10 days" in errors_of(raised)["ends_at"][0]
    assert not ResidenceBan.objects.exists()
    assert not Task.objects.filter(kind__startswith="ban_").exists()


@pytest.mark.parametrize(("start_days", "end_days", "message"), [
    (0, 0, "The end must come after the start."),
    (0, -1, "The end must come after the start."),
    (-12, -2, "would already be over"),
])
def test_dates_that_make_no_sense_are_refused(case_forwarded, start_days, end_days, message):
    now = timezone.now()
    with pytest.raises(ValidationError) as raised:
        order_ban(case_forwarded, starts_at=now + timedelta(days=start_days),
                  ends_at=now + timedelta(days=end_days))
    assert message in errors_of(raised)["ends_at"][0]


def test_a_confidential_address_can_never_be_chosen(case_forwarded):
    cast = case_forwarded
    hidden = shelter_address(cast)
    with pytest.raises(ValidationError) as raised:
        order_ban(cast, address_ids=[hidden.pk])
    assert "A confidential address can never be chosen" in errors_of(raised)["addresses"][0]
    assert not ResidenceBan.objects.exists()


def test_the_legal_conditions_and_the_persons_are_checked(case_forwarded):
    cast = case_forwarded
    with pytest.raises(ValidationError) as raised:
        order_ban(cast, conditions=["heard"], perpetrator_id=cast.victim_id,
                  protected_ids=[cast.perpetrator_id], address_ids=[], grounds=" ")
    errors = errors_of(raised)
    assert "The law requires every condition" in errors["conditions"][0]
    assert "serious and immediate threat" in errors["conditions"][0]
    assert "alleged perpetrator" in errors["perpetrator"][0]
    assert "persons protected" in errors["protected"][0]
    assert "home he must leave" in errors["addresses"][0]
    assert "facts or circumstances" in errors["grounds"][0]


def test_an_address_of_another_case_is_refused(case_forwarded):
    cast = case_forwarded
    from relais.cases import services as case_services

    officer_b = actor(cast.officer_b)
    other = case_services.case_open(actor=officer_b, situation="couple", municipality="62063")
    person = case_services.person_add_to_case(actor=officer_b, case_id=other.pk, role="victim",
                                              first_name="Zoé", last_name="Ailleurs").person_id
    elsewhere = case_services.address_add(actor=officer_b, person_id=person,
                                          street="Rue Étrangère 5", postcode="4000",
                                          municipality="62063")
    with pytest.raises(ValidationError) as raised:
        order_ban(cast, address_ids=[elsewhere.pk])
    assert "addresses of the persons of this case" in errors_of(raised)["addresses"][0]


def test_only_the_prosecutors_office_orders_and_only_on_a_case_it_sees(cast):
    with pytest.raises(Http404):  # not forwarded yet
        order_ban(cast)
    forwarded(cast)
    with pytest.raises(Http404):
        order_ban(cast, by=cast.officer_a)
    with pytest.raises(Http404):
        order_ban(cast, by=cast.officer_b)
    with pytest.raises(Http404):
        order_ban(cast, by=cast.support_worker)
    assert order_ban(cast, by=cast.magistrate).ordered_by == cast.magistrate


# --- Serving, the status ---------------------------------------------------------------------

def test_serving_puts_the_ban_in_force_and_closes_the_serving_task(case_forwarded):
    cast = case_forwarded
    ban = order_ban(cast)
    served = services.ban_serve(actor=actor(cast.officer_a), ban_id=ban.pk)
    assert served.status == BanStatus.IN_FORCE
    assert audited(ban, "update").basis.startswith("residence-ban notice served")
    [notify] = ban_tasks(ban, TaskKind.BAN_NOTIFY)
    assert notify.status == TaskStatus.DONE
    with pytest.raises(ValidationError, match="already served"):
        services.ban_serve(actor=actor(cast.officer_a), ban_id=ban.pk)
    with pytest.raises(Http404):
        services.ban_serve(actor=actor(cast.legal_advisor), ban_id=ban.pk)


def test_the_status_follows_the_dates(case_forwarded):
    cast = case_forwarded
    now = timezone.now()
    ban = order_ban(cast, starts_at=now + timedelta(days=1),
                    ends_at=now + timedelta(days=5))
    assert ban.status_at(now) == BanStatus.ORDERED
    ban.served_at = now
    assert ban.status_at(now) == BanStatus.SERVED
    assert ban.status_at(now + timedelta(days=2)) == BanStatus.IN_FORCE
    assert ban.status_at(now + timedelta(days=5)) == BanStatus.EXPIRED
    ban.ends_at = now + timedelta(days=8)
    assert ban.status_at(now + timedelta(days=6)) == BanStatus.EXTENDED
    ban.lifted_at = now
    assert ban.status_at(now) == BanStatus.LIFTED


# --- Extension -------------------------------------------------------------------------------

def test_the_family_courts_extension_moves_the_end_and_the_expiry_task(case_forwarded):
    cast = case_forwarded
    ban = order_ban(cast)
    services.ban_serve(actor=actor(cast.officer_a), ban_id=ban.pk)
    new_end = later_same_clock(ban.starts_at, days=40)
    extension = services.ban_extend(actor=actor(cast.legal_advisor), ban_id=ban.pk,
                                    new_ends_at=new_end, decided_on=timezone.localdate(),
                                    court="Tribunal de la famille de Bruxelles")
    ban.refresh_from_db()
    assert ban.ends_at == new_end and extension.previous_ends_at == ban.ordered_ends_at
    assert ban.status == BanStatus.EXTENDED
    assert AuditEvent.objects.filter(object_id=str(ban.pk), action="update",
                                     basis__startswith="residence ban extended").exists()
    [expiry] = ban_tasks(ban, TaskKind.BAN_EXPIRY)
    assert expiry.due_at == later_same_clock(new_end, days=-2)
    tell_him = [t for t in ban_tasks(ban, TaskKind.BAN_NOTIFY) if t.status == TaskStatus.OPEN]
    assert len(tell_him) == 1 and "extended" in tell_him[0].why


def test_an_extension_beyond_the_maximum_is_longer_than_the_law_allows(case_forwarded):
    cast = case_forwarded
    ban = order_ban(cast)
    with pytest.raises(ValidationError) as raised:
        services.ban_extend(actor=actor(cast.legal_advisor), ban_id=ban.pk,
                            new_ends_at=later_same_clock(ban.starts_at, days=91),
                            decided_on=timezone.localdate(), court="Tribunal")
    assert "Longer than the law allows" in errors_of(raised)["new_ends_at"][0]
    assert "90 days" in errors_of(raised)["new_ends_at"][0]
    services.ban_extend(actor=actor(cast.legal_advisor), ban_id=ban.pk,
                        new_ends_at=later_same_clock(ban.starts_at, days=90),
                        decided_on=timezone.localdate(), court="Tribunal")


def test_an_extension_after_expiry_is_refused(case_forwarded):
    cast = case_forwarded
    ban = order_ban(cast)
    now = timezone.now()
    move_ban(ban, starts_at=now - timedelta(days=11), ends_at=now - timedelta(hours=1))
    with pytest.raises(ValidationError) as raised:
        services.ban_extend(actor=actor(cast.legal_advisor), ban_id=ban.pk,
                            new_ends_at=now + timedelta(days=20),
                            decided_on=timezone.localdate(), court="Tribunal")
    assert "expired" in errors_of(raised)["new_ends_at"][0]
    ban.refresh_from_db()
    assert not ban.extensions.exists() and ban.ends_at < now


def test_an_extension_needs_a_later_end_a_past_decision_and_a_court(case_forwarded):
    cast = case_forwarded
    ban = order_ban(cast)
    with pytest.raises(ValidationError) as raised:
        services.ban_extend(actor=actor(cast.legal_advisor), ban_id=ban.pk,
                            new_ends_at=ban.ends_at - timedelta(hours=1),
                            decided_on=timezone.localdate() + timedelta(days=1), court="")
    errors = errors_of(raised)
    assert "after the current end" in errors["new_ends_at"][0]
    assert "future" in errors["decided_on"][0]
    assert "family court" in errors["court"][0]


def test_only_the_office_that_ordered_extends_or_lifts(case_forwarded):
    cast = case_forwarded
    ban = order_ban(cast)
    for user in (cast.officer_a, cast.justice_assistant):
        with pytest.raises(Http404):
            services.ban_lift(actor=actor(user), ban_id=ban.pk, reason="x")
    with pytest.raises(Http404):
        services.ban_lift(actor=actor(cast.officer_b), ban_id=ban.pk, reason="x")


# --- Lifting ---------------------------------------------------------------------------------

def test_lifting_cancels_the_open_tasks_of_every_agency(case_forwarded):
    cast = case_forwarded
    ban = order_ban(cast)
    services.ban_serve(actor=actor(cast.officer_a), ban_id=ban.pk)
    with pytest.raises(ValidationError, match="Say why"):
        services.ban_lift(actor=actor(cast.legal_advisor), ban_id=ban.pk, reason=" ")
    lifted = services.ban_lift(actor=actor(cast.legal_advisor), ban_id=ban.pk,
                               reason="She asked, the threat is over (fictitious).")
    assert lifted.status == BanStatus.LIFTED
    assert AuditEvent.objects.filter(object_id=str(ban.pk), basis__startswith="residence ban "
                                     "lifted").exists()
    for kind in (TaskKind.BAN_MONITOR, TaskKind.BAN_EXPIRY):
        [task] = ban_tasks(ban, kind)
        assert task.status == TaskStatus.CANCELLED and "lifted" in task.cancel_text
    told = [t for t in ban_tasks(ban, TaskKind.BAN_NOTIFY) if t.status == TaskStatus.OPEN]
    assert len(told) == 1 and "no longer applies" in told[0].why
    with pytest.raises(ValidationError, match="already"):
        services.ban_lift(actor=actor(cast.legal_advisor), ban_id=ban.pk, reason="again")
    with pytest.raises(ValidationError, match="lifted"):
        services.ban_extend(actor=actor(cast.legal_advisor), ban_id=ban.pk,
                            new_ends_at=ban.ends_at + timedelta(days=3),
                            decided_on=timezone.localdate(), court="Tribunal")


# --- Breaches --------------------------------------------------------------------------------

def test_a_breach_goes_on_the_case_and_to_the_prosecutors_office(case_forwarded):
    cast = case_forwarded
    ban = order_ban(cast)
    breach = services.breach_record(actor=actor(cast.officer_a), ban_id=ban.pk,
                                    occurred_at=timezone.now(), what=BreachKind.ENTERED_HOME,
                                    note="Seen at the door by a neighbour (fictitious).")
    assert audited(breach, "create")
    entry = TimelineEntry.objects.get(case=cast.case, kind="ban_breached")
    assert entry.scope == "judicial" and entry.agency == cast.zone_a
    notices = Notice.objects.filter(kind=NoticeKind.BAN_BREACHED, agency=cast.prosecutor)
    assert set(notices.values_list("for_role", flat=True)) == {Role.MAGISTRATE,
                                                               Role.LEGAL_ADVISOR}
    assert {notice.link for notice in notices} == {f"/measures/bans/{ban.pk}/"}


def test_a_breach_outside_the_ban_or_in_the_future_is_refused(case_forwarded):
    cast = case_forwarded
    ban = order_ban(cast)
    for when, message in ((ban.starts_at - timedelta(hours=2), "not in force"),
                          (timezone.now() + timedelta(hours=2), "future")):
        with pytest.raises(ValidationError) as raised:
            services.breach_record(actor=actor(cast.officer_a), ban_id=ban.pk,
                                   occurred_at=when, what=BreachKind.CONTACTED)
        assert message in errors_of(raised)["occurred_at"][0]
    with pytest.raises(ValidationError) as raised:
        services.breach_record(actor=actor(cast.officer_a), ban_id=ban.pk,
                               occurred_at=timezone.now(), what=BreachKind.OTHER)
    assert "Describe" in errors_of(raised)["note"][0]
    with pytest.raises(Http404):
        services.breach_record(actor=actor(cast.justice_assistant), ban_id=ban.pk,
                               occurred_at=timezone.now(), what=BreachKind.CONTACTED)


# --- His accommodation ---------------------------------------------------------------------

def test_where_he_stays_is_noted_by_the_police_and_audited(case_forwarded):
    cast = case_forwarded
    ban = order_ban(cast)
    services.ban_set_stay(actor=actor(cast.officer_a), ban_id=ban.pk,
                          perpetrator_stays_at="At his brother's, Namur (fictitious)")
    ban.refresh_from_db()
    assert ban.perpetrator_stays_at.startswith("At his brother's")
    assert AuditEvent.objects.filter(object_id=str(ban.pk),
                                     basis="residence ban: where he stays").exists()
    with pytest.raises(Http404):
        services.ban_set_stay(actor=actor(cast.justice_assistant), ban_id=ban.pk,
                              perpetrator_stays_at="x")


def test_an_order_keeps_other_addresses_out(case_forwarded):
    cast = case_forwarded
    other_address(cast)
    ban = order_ban(cast)
    assert ban.addresses.count() == 1


def test_ban_arguments_default_to_the_maximum(case_forwarded):
    data = ban_arguments(case_forwarded)
    assert data["ends_at"] == ban_rules().latest_end(data["starts_at"])


# --- A second ban on the same person and home ----------------------------------------------

def test_a_second_ban_on_him_at_the_same_home_is_named_and_needs_a_confirmation(case_forwarded):
    cast = case_forwarded
    first = order_ban(cast)
    with pytest.raises(ValidationError) as raised:
        order_ban(cast)
    message = " ".join(errors_of(raised)["confirm_overlap"])
    assert "already banned from this home" in message
    assert first.starts_at.astimezone(timezone.get_current_timezone()).strftime("%d/%m/%Y") \
        in message
    assert ResidenceBan.objects.count() == 1

    second = order_ban(cast, confirm_overlap=True)
    assert ResidenceBan.objects.count() == 2
    assert "a ban in force at this home was confirmed" in audited(second, "create").basis


def test_a_ban_that_no_longer_binds_or_another_home_asks_for_nothing(case_forwarded):
    cast = case_forwarded
    first = order_ban(cast)
    elsewhere = order_ban(cast, address_ids=[other_address(cast).pk])  # another home
    services.ban_lift(actor=actor(cast.legal_advisor), ban_id=first.pk, reason="Fictitious")
    assert order_ban(cast).pk  # the first is lifted: it binds no more
    move_ban(elsewhere, starts_at=timezone.now() - timedelta(days=12),
             ends_at=timezone.now() - timedelta(days=2))
    assert order_ban(cast, address_ids=[elsewhere.addresses.get().address_id]).pk  # expired
