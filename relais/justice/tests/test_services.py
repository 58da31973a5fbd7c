"""The tracking table's writes: entries from forwarded reports, sections, readers, deadlines,
decisions and what the police zone is told."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext

from relais.access.cases import case_access
from relais.accounts.models import AgencyKind, Role
from relais.audit.models import AuditEvent
from relais.cases import services as case_services
from relais.cases.measures import measures_in_force
from relais.cases.models import TimelineEntry
from relais.conftest import actor, make_agency, make_user
from relais.intake.services import report_forward
from relais.justice import selectors, services
from relais.justice.models import Decision, Entry, EntryEvent, Measure, Section
from relais.justice.tests.factories import (
    entry_of,
    family_section,
    make_overdue,
    record_report,
)
from relais.notifications.models import Notice, NoticeKind


def audited(action: str, entry: Entry) -> bool:
    return AuditEvent.objects.filter(action=action, object_type="justice.entry",
                                     object_id=str(entry.pk)).exists()


# --- Entering the table -------------------------------------------------------------------------

def test_a_forwarded_official_report_enters_the_offices_table_once(cast):
    section = family_section(cast, days=30)
    report = record_report(cast)

    entry = entry_of(report)
    assert entry.agency == cast.prosecutor and entry.section == section
    assert entry.reader == cast.legal_advisor  # the section's only reader
    assert entry.received_at == report.forwarded_at
    assert entry.due_on == timezone.localdate(report.forwarded_at) + timedelta(days=30)
    assert not entry.is_decided
    assert audited("create", entry)
    assert list(entry.events.values_list("kind", flat=True)) == ["received", "reader"]
    # Forwarded again (a retry, a replay of the hook): still one entry.
    report_forward(actor=actor(cast.officer_a), report=report)
    services.entry_receive(actor=actor(cast.officer_a), report=report)
    assert Entry.objects.filter(report=report).count() == 1


def test_an_information_report_does_not_reach_the_table(cast):
    record_report(cast, official=False)
    assert not Entry.objects.exists()


def test_without_sections_a_general_section_takes_the_report_unassigned(cast):
    entry = entry_of(record_report(cast))
    with translation.override("fr"):  # named in the office's working language
        assert entry.section.name == gettext("General section")
    assert entry.section.is_default and entry.section.decision_days == 30
    assert entry.reader is None


def test_the_section_follows_the_municipality_of_the_facts(cast):
    ixelles = family_section(cast, name="Ixelles", municipalities=["21009"], days=15)
    rest = family_section(cast, name="Rest of Brussels", readers=[cast.magistrate])

    in_ixelles = entry_of(record_report(cast))
    in_schaerbeek = entry_of(record_report(cast, postcode="1030", municipality="21015"))

    assert in_ixelles.section == ixelles and in_ixelles.reader == cast.legal_advisor
    assert in_ixelles.due_on == timezone.localdate(in_ixelles.received_at) + timedelta(days=15)
    assert in_schaerbeek.section == rest and in_schaerbeek.reader == cast.magistrate


def test_a_new_report_goes_to_the_reader_with_the_fewest_waiting(cast):
    family_section(cast, readers=[cast.legal_advisor, cast.magistrate])
    first = entry_of(record_report(cast))
    second = entry_of(record_report(cast))
    assert {first.reader, second.reader} == {cast.legal_advisor, cast.magistrate}
    # Deciding one frees its reader: the next report goes to her.
    services.entry_decide(actor=actor(cast.magistrate), entry_id=first.pk,
                          decision=Decision.FOLLOW_UP, measures=[])
    third = entry_of(record_report(cast))
    assert third.reader == first.reader


# --- Deadlines and overdue ------------------------------------------------------------------

def test_overdue_reports_stand_out_first_with_their_days(cast):
    family_section(cast, days=10)
    on_time = entry_of(record_report(cast))
    late = make_overdue(entry_of(record_report(cast)), days=3)
    later = make_overdue(entry_of(record_report(cast)), days=12)

    page = selectors.entry_table(actor=actor(cast.legal_advisor))
    assert [row.entry.pk for row in page.rows] == [later.pk, late.pk, on_time.pk]
    assert [row.overdue_days for row in page.rows] == [12, 3, 0]
    assert page.total == 3 and page.overdue == 2
    overdue_only = selectors.entry_table(actor=actor(cast.legal_advisor), status="overdue")
    assert [row.entry.pk for row in overdue_only.rows] == [later.pk, late.pk]
    # Due today is not overdue; a decided report is never overdue.
    make_overdue(on_time, days=0)
    assert selectors.overdue_days(Entry.objects.get(pk=on_time.pk)) == 0
    services.entry_decide(actor=actor(cast.legal_advisor), entry_id=later.pk,
                          decision=Decision.HEARING, measures=[Measure.NO_CONTACT])
    page = selectors.entry_table(actor=actor(cast.legal_advisor))
    assert page.overdue == 1 and later.pk not in [row.entry.pk for row in page.rows]
    decided = selectors.entry_table(actor=actor(cast.legal_advisor), status="decided")
    assert [row.entry.pk for row in decided.rows] == [later.pk]
    assert decided.rows[0].overdue_days == 0


def test_the_badge_counts_my_overdue_reports_or_the_offices(cast):
    family_section(cast, readers=[cast.legal_advisor])
    make_overdue(entry_of(record_report(cast)), days=2)
    unassigned = make_overdue(entry_of(record_report(cast)), days=1)
    services.entry_assign_reader(actor=actor(cast.legal_advisor), entry_id=unassigned.pk,
                                 reader_id=None)
    assert selectors.overdue_badge(actor(cast.legal_advisor)) == 1  # hers
    assert selectors.overdue_badge(actor(cast.magistrate)) == 2  # reads none: the office's
    assert selectors.overdue_badge(actor(cast.officer_a)) == 0


def test_the_table_filters_by_section_and_reader(cast):
    ixelles = family_section(cast, name="Ixelles", municipalities=["21009"])
    family_section(cast, name="Rest", readers=[cast.magistrate])
    mine = entry_of(record_report(cast))
    theirs = entry_of(record_report(cast, postcode="1030", municipality="21015"))
    la = actor(cast.legal_advisor)

    def pks(**filters) -> list[int]:
        return [row.entry.pk for row in selectors.entry_table(actor=la, **filters).rows]

    assert pks(reader="mine") == [mine.pk]
    assert pks(reader=str(cast.magistrate.pk)) == [theirs.pk]
    assert pks(section_id=ixelles.pk) == [mine.pk]
    assert pks(reader="none") == []
    assert AuditEvent.objects.filter(action="read", basis__startswith="prosecution table").exists()


# --- Readers and decisions --------------------------------------------------------------------

def test_a_decision_without_a_reader_is_refused_naming_the_reader(cast):
    entry = entry_of(record_report(cast))  # no section yet: nobody reads it
    with pytest.raises(ValidationError) as error:
        services.entry_decide(actor=actor(cast.legal_advisor), entry_id=entry.pk,
                              decision=Decision.HEARING, measures=[Measure.NO_CONTACT])
    assert "reader" in error.value.message_dict
    assert "A decision needs a reader" in error.value.message_dict["reader"][0]
    entry.refresh_from_db()
    assert not entry.is_decided and entry.decision == ""
    assert not Notice.objects.filter(kind=NoticeKind.PROSECUTION_DECISION).exists()


def test_a_reader_must_be_a_legal_advisor_or_magistrate_of_the_office(cast):
    entry = entry_of(record_report(cast))
    liege = make_agency("parquet-lg", AgencyKind.PROSECUTOR, arrondissement="liege")
    outsider = make_user("advisor_lg", liege, Role.LEGAL_ADVISOR)
    clerk = make_user("clerk", cast.prosecutor, Role.ADMINISTRATOR)
    for wrong in (outsider, cast.officer_a, clerk):
        with pytest.raises(ValidationError) as error:
            services.entry_assign_reader(actor=actor(cast.legal_advisor), entry_id=entry.pk,
                                         reader_id=wrong.pk)
        assert "reader" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        family_section(cast, readers=[outsider])
    assert "readers" in error.value.message_dict
    entry.refresh_from_db()
    assert entry.reader is None

    services.entry_assign_reader(actor=actor(cast.legal_advisor), entry_id=entry.pk,
                                 reader_id=cast.magistrate.pk)
    entry.refresh_from_db()
    assert entry.reader == cast.magistrate
    assert audited("update", entry)
    assert entry.events.last().kind == "reader"


def test_a_decision_tells_the_zone_and_registers_the_measures_in_force(cast):
    family_section(cast)
    entry = entry_of(record_report(cast))
    services.entry_decide(actor=actor(cast.magistrate), entry_id=entry.pk,
                          decision=Decision.HEARING,
                          measures=[Measure.NO_CONTACT, Measure.SEIZURE, Measure.OTHER],
                          other_measure="Hand in the keys", note="Internal: hearing on 3/12")
    entry.refresh_from_db()
    assert entry.decision == Decision.HEARING and entry.decided_by == cast.magistrate
    assert entry.measure_labels() == ["No contact", "Seizure (e.g. weapons)", "Hand in the keys"]
    assert audited("update", entry)
    notice = Notice.objects.get(kind=NoticeKind.PROSECUTION_DECISION)
    assert notice.agency == cast.zone_a and notice.for_role == Role.IPV_REFERENCE_OFFICER
    assert notice.case == cast.case
    line = TimelineEntry.objects.get(case=cast.case, kind="prosecution_decision")
    assert line.scope == "judicial" and line.summary_text.startswith("Hearing — No contact")
    assert "Internal" not in line.summary_text  # the office's note stays with the office

    # The zone's officer (and the dispatcher's summary) see the no-contact order in force.
    in_force = measures_in_force(case_access(actor=actor(cast.officer_a), case_id=cast.case.pk))
    assert [line.kind for line in in_force] == [Measure.NO_CONTACT]
    assert in_force[0].since == entry.decided_at
    # Until the case is closed.
    case_services.case_close(actor=actor(cast.officer_a), case_id=cast.case.pk,
                             reason="declined", acknowledged=True)
    assert measures_in_force(case_access(actor=actor(cast.officer_a), case_id=cast.case.pk)) == []


def test_a_decision_checks_its_measures(cast):
    family_section(cast)
    entry = entry_of(record_report(cast))
    la = actor(cast.legal_advisor)
    for kwargs, field in (
        ({"decision": Decision.CLOSED, "measures": [Measure.NO_CONTACT]}, "measures"),
        ({"decision": Decision.HEARING, "measures": [Measure.OTHER]}, "other_measure"),
        ({"decision": "acquitted", "measures": []}, "decision"),
        ({"decision": Decision.HEARING, "measures": ["curfew"]}, "measures"),
    ):
        with pytest.raises(ValidationError) as error:
            services.entry_decide(actor=la, entry_id=entry.pk, **kwargs)
        assert field in error.value.message_dict, kwargs
    assert not Entry.objects.get(pk=entry.pk).is_decided


def test_a_corrected_decision_keeps_the_first_in_the_history(cast):
    family_section(cast)
    entry = entry_of(record_report(cast))
    la = actor(cast.legal_advisor)
    services.entry_decide(actor=la, entry_id=entry.pk, decision=Decision.FOLLOW_UP, measures=[])
    services.entry_decide(actor=la, entry_id=entry.pk, decision=Decision.INVESTIGATION,
                          measures=[Measure.PRE_TRIAL_DETENTION])
    details = [event.detail_text
               for event in EntryEvent.objects.filter(entry=entry, kind="decided")]
    assert details == ["Follow-up", "Corrected: Investigation — Pre-trial detention"]
    assert Notice.objects.filter(kind=NoticeKind.PROSECUTION_DECISION).count() == 2
    with pytest.raises(ValidationError):  # a decided report keeps a reader
        services.entry_assign_reader(actor=la, entry_id=entry.pk, reader_id=None)


def test_other_agencies_cannot_touch_an_entry(cast):
    family_section(cast)
    entry = entry_of(record_report(cast))
    liege = make_agency("parquet-lg", AgencyKind.PROSECUTOR, arrondissement="liege")
    outsider = make_user("advisor_lg", liege, Role.LEGAL_ADVISOR)
    for user in (outsider, cast.officer_a, cast.officer_b, cast.reference_a,
                 cast.justice_assistant):
        with pytest.raises(Http404):
            services.entry_decide(actor=actor(user), entry_id=entry.pk,
                                  decision=Decision.HEARING, measures=[])
        with pytest.raises(Http404):
            services.entry_assign_reader(actor=actor(user), entry_id=entry.pk,
                                         reader_id=cast.legal_advisor.pk)
        with pytest.raises(Http404):
            selectors.entry_get(actor=actor(user), entry_id=entry.pk)
    # Another office's table does not list it; police and other agencies have no table.
    assert selectors.entry_table(actor=actor(outsider)).total == 0
    for user in (cast.officer_a, cast.reference_a, cast.justice_assistant):
        with pytest.raises(Http404):
            selectors.entry_table(actor=actor(user))


# --- Sections ---------------------------------------------------------------------------------

def test_sections_are_kept_by_the_magistrates_and_the_administrator(cast):
    clerk = make_user("clerk", cast.prosecutor, Role.ADMINISTRATOR)
    section = services.section_save(actor=actor(clerk), name="Famille", decision_days=20,
                                    municipalities=["21009"], reader_ids=[cast.legal_advisor.pk])
    assert AuditEvent.objects.filter(action="create", object_type="justice.section",
                                     object_id=str(section.pk)).exists()
    services.section_save(actor=actor(cast.magistrate), section_id=section.pk, name="Famille",
                          decision_days=25, municipalities=["21009", "21015"],
                          reader_ids=[cast.legal_advisor.pk, cast.magistrate.pk])
    section.refresh_from_db()
    assert section.decision_days == 25 and section.municipalities == ["21009", "21015"]
    assert set(section.readers.all()) == {cast.legal_advisor, cast.magistrate}
    assert AuditEvent.objects.filter(action="update", object_type="justice.section").exists()
    for user in (cast.legal_advisor, cast.officer_a, cast.admin_a):
        with pytest.raises(Http404):
            services.section_save(actor=actor(user), name="X", decision_days=10,
                                  municipalities=[], reader_ids=[])


def test_section_rules_give_clear_errors(cast):
    family_section(cast, name="Ixelles", municipalities=["21009"])
    family_section(cast, name="General")
    magistrate = actor(cast.magistrate)

    def error_of(**kwargs) -> dict:
        data = {"name": "New", "decision_days": 30, "municipalities": [], "reader_ids": []}
        with pytest.raises(ValidationError) as error:
            services.section_save(actor=magistrate, **{**data, **kwargs})
        return error.value.message_dict

    assert "Ixelles" in error_of(municipalities=["21009"])["municipalities"][0]
    assert "General" in error_of(municipalities=[])["municipalities"][0]
    assert "judicial district" in error_of(municipalities=["62063"])["municipalities"][0]
    assert "name" in error_of(name="ixelles", municipalities=["21015"])
    assert "decision_days" in error_of(municipalities=["21015"], decision_days=0)
    assert Section.objects.filter(agency=cast.prosecutor).count() == 2
