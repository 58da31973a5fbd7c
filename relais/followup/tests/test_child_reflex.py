"""The child reflex: a child check on every open case with children, once per start, naming
each child; its reason carries the legal basis; a concern offers a youth-aid referral."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from relais.audit.models import AuditEvent
from relais.cases import services as case_services
from relais.cases.models import ParticipantRole
from relais.conftest import actor
from relais.directory.tests.factories import make_service
from relais.followup import child_reflex, services
from relais.followup.models import ChildReflexStart, Outcome, Task, TaskKind, TaskStatus
from relais.followup.selectors import task_get
from relais.followup.tests.factories import another_case, record_report


def add_child(cast, case, first_name: str) -> int:
    return case_services.person_add_to_case(
        actor=actor(cast.officer_a), case_id=case.pk, role=ParticipantRole.CHILD,
        first_name=first_name, last_name="Exemple").person_id


def start(cast, key: str = "schools:test") -> ChildReflexStart:
    return child_reflex.child_reflex_start(actor=actor(cast.reference_a),
                                           agency_ids=[cast.zone_a.pk], key=key)


def checks() -> list[Task]:
    return list(Task.objects.filter(kind=TaskKind.CHILD_CHECK).order_by("case_id"))


def test_every_open_case_with_children_gets_one_check_naming_each_child(cast):
    two_children, victim = another_case(cast, "Dana")
    first, second = add_child(cast, two_children, "Léa"), add_child(cast, two_children, "Tom")
    another_case(cast, "Eva")  # no child: no check
    closed, _victim = another_case(cast, "Fanny")
    add_child(cast, closed, "Noé")
    case_services.case_close(actor=actor(cast.officer_a), case_id=closed.pk,
                             reason="declined", acknowledged=True)

    started = start(cast)

    tasks = checks()
    by_case = {task.case_id: task for task in tasks}
    assert set(by_case) == {cast.case.pk, two_children.pk}  # not the closed case
    assert sorted(by_case[two_children.pk].children.values_list("pk", flat=True)) == [first,
                                                                                      second]
    assert list(by_case[cast.case.pk].children.values_list("pk", flat=True)) == [cast.child_id]
    assert by_case[two_children.pk].person_id == victim  # the contact goes through her
    assert started.task_count == len(tasks)
    # The children are named by link, never in the reason.
    code, params = by_case[cast.case.pk].reason[0]
    assert code == "child_reflex" and params["communities"] == ["fr", "nl"]  # Ixelles
    assert "Chloé" not in by_case[cast.case.pk].why
    assert "458bis" in by_case[cast.case.pk].why
    assert "Schools are closed" in by_case[cast.case.pk].why
    assert AuditEvent.objects.filter(object_type="followup.task", action="create",
                                     basis__startswith="child reflex schools_closed").count() \
        == len(tasks)
    assert AuditEvent.objects.filter(object_type="followup.childreflexstart",
                                     action="create").exists()


def test_starting_again_adds_only_the_checks_still_missing(cast):
    first = start(cast)
    assert len(checks()) == 1
    again = start(cast)
    assert again.pk == first.pk and len(checks()) == 1 and again.task_count == 1
    newer, _victim = another_case(cast, "Gaëlle")
    add_child(cast, newer, "Zoé")
    assert start(cast).task_count == 2
    assert len(checks()) == 2
    assert AuditEvent.objects.filter(object_type="followup.childreflexstart",
                                     action="update").count() == 2
    # Another start (another day, a declared crisis) is another round.
    start(cast, key="crisis:1")
    assert len(checks()) == 4


def test_only_the_zones_coordinator_starts_it_for_her_own_zone(cast):
    for someone in (cast.officer_a, cast.sapv_a, cast.admin_a, cast.officer_b,
                    cast.legal_advisor):
        with pytest.raises(Http404):
            child_reflex.child_reflex_start(actor=actor(someone), agency_ids=[cast.zone_a.pk],
                                            key="k")
    with pytest.raises(Http404):
        child_reflex.child_reflex_start(actor=actor(cast.reference_a),
                                        agency_ids=[cast.zone_b.pk], key="k")
    with pytest.raises(ValidationError):
        child_reflex.child_reflex_start(actor=actor(cast.reference_a),
                                        agency_ids=[cast.zone_a.pk], key="k", trigger="rain")
    assert not checks()


def test_a_concern_closes_the_check_and_offers_a_youth_aid_referral(cast):
    youth = make_service("saj-test", type="youth_aid", target_groups=["children"])
    case_services.safe_contact_set(actor=actor(cast.officer_a), person_id=cast.child_id,
                                   channel="through_service", hours="",
                                   never=["speak_to_partner"])
    start(cast)
    task = checks()[0]
    sapv = actor(cast.sapv_a)
    with pytest.raises(ValidationError) as error:
        services.task_record_contact(actor=sapv, task_id=task.pk, could_speak_freely="yes",
                                     outcome=Outcome.CONCERN)
    assert "note" in error.value.message_dict
    result = services.task_record_contact(actor=sapv, task_id=task.pk, could_speak_freely="yes",
                                          outcome=Outcome.CONCERN,
                                          note="Fictitious: the child saw the violence.")
    assert result.task.status == TaskStatus.DONE and result.task.outcome == Outcome.CONCERN

    view = child_reflex.child_check_view(actor=sapv, view=task_get(actor=sapv, task_id=task.pk))
    assert view.concern and view.services == [youth]
    (child,) = view.children
    assert child.person.pk == cast.child_id
    assert child.safe_contact.never == ["speak_to_partner"]
    assert "458bis" in view.bases["basis"]
    assert AuditEvent.objects.filter(action="read", case_id=cast.case.pk,
                                     basis__contains="children's safe-contact").exists()


def test_concern_is_only_for_a_child_check(cast):
    report = record_report(cast)
    task = Task.objects.get(source_id=str(report.pk), kind=TaskKind.VICTIM_ASSISTANCE_CONTACT)
    with pytest.raises(ValidationError):
        services.task_record_contact(actor=actor(cast.sapv_a), task_id=task.pk,
                                     could_speak_freely="yes", outcome=Outcome.CONCERN,
                                     note="x")


def test_the_legal_bases_file_has_a_source_for_each_basis():
    bases = child_reflex.legal_bases()
    assert bases.version >= 1 and bases.sources
    assert set(bases.communities) == {"fr", "nl", "de"}
    assert bases.of_municipality("63023") == ["de"]  # Eupen
    assert bases.of_municipality("44021") == ["nl"]  # Ghent
    assert bases.of_municipality("62063") == ["fr"]  # Liège
    assert all(community.sources for community in bases.communities.values())
