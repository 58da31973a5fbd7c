"""No lost update (issue 20 §1) at the prosecutor's office: two magistrates edit a section
(its readers, a many-to-many set, are part of the version), two advisors decide the same
report; the second save over a newer version is refused, shows both and keeps her typing;
"Keep mine" then saves hers."""

from __future__ import annotations

import pytest
from django.urls import reverse

from relais.accounts.models import Role
from relais.conftest import actor, make_user, verified_client
from relais.core.tests.conflict_helpers import refused_without_audit, second_save_refused
from relais.followup.tests.factories import record_report
from relais.justice import services
from relais.justice.models import Section
from relais.justice.tests.factories import entry_of, family_section

pytestmark = pytest.mark.django_db


def test_two_magistrates_edit_a_section_the_second_sees_both_and_decides(cast):
    section = services.section_save(actor=actor(cast.magistrate), name="Family section",
                                    decision_days=20, municipalities=[], reader_ids=[])
    url = reverse("justice:section", args=[section.pk])
    base = {"name": "Family section", "decision_days": "20"}
    second = verified_client(make_user("magistrate_two", cast.prosecutor, Role.MAGISTRATE))
    newer = second_save_refused(
        url=url, first=verified_client(cast.magistrate), second=second, base=base,
        theirs={"readers": [str(cast.magistrate.pk)]},
        mine={"name": "Family and youth section"},
        shown=["Readers", "Family and youth section"])
    section.refresh_from_db()
    assert section.name == "Family section" and list(section.readers.all()) == [cast.magistrate]

    kept = second.post(url, {**base, "name": "Family and youth section",
                             "readers": [str(cast.magistrate.pk)], "version": newer})
    assert kept.status_code == 302
    section.refresh_from_db()
    assert section.name == "Family and youth section"
    assert list(section.readers.all()) == [cast.magistrate]


def test_the_section_service_refuses_a_newer_version_and_writes_nothing(cast):
    magistrate = actor(cast.magistrate)
    section = services.section_save(actor=magistrate, name="Family section",
                                    decision_days=20, municipalities=[], reader_ids=[])
    read = services.section_version(section)
    services.section_save(actor=magistrate, section_id=section.pk, name="Family section",
                          decision_days=20, municipalities=[], reader_ids=[cast.magistrate.pk],
                          version=read)
    conflict = refused_without_audit(lambda: services.section_save(
        actor=magistrate, section_id=section.pk, name="Renamed", decision_days=20,
        municipalities=[], reader_ids=[], version=read))
    assert conflict.current["readers"] == [cast.magistrate.pk]
    assert Section.objects.get(pk=section.pk).name == "Family section"


def test_two_advisors_decide_the_same_report_the_second_sees_both_and_decides(cast):
    family_section(cast)
    entry = entry_of(record_report(cast))
    if entry.reader_id is None:
        services.entry_assign_reader(actor=actor(cast.legal_advisor), entry_id=entry.pk,
                                     reader_id=cast.legal_advisor.pk)
    url = reverse("justice:entry", args=[entry.pk])
    base = {"measures": [], "other_measure": "", "note": ""}
    newer = second_save_refused(
        url=url, first=verified_client(cast.legal_advisor),
        second=verified_client(cast.magistrate), base=base,
        theirs={"decision": "hearing", "measures": ["no_contact"]},
        mine={"decision": "investigation", "note": "Hear the neighbours first (mine)."},
        shown=["Decision", "Hear the neighbours first (mine)."])
    entry.refresh_from_db()
    assert entry.decision == "hearing" and entry.measures == ["no_contact"]

    kept = verified_client(cast.magistrate).post(url, {
        **base, "decision": "investigation", "measures": ["no_contact"], "version": newer})
    assert kept.status_code == 302
    entry.refresh_from_db()
    assert entry.decision == "investigation" and entry.measures == ["no_contact"]
    refused_without_audit(lambda: services.entry_decide(
        actor=actor(cast.magistrate), entry_id=entry.pk, decision="hearing", measures=[],
        version=newer))
