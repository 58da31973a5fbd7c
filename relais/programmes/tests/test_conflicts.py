"""No lost update (issue 20 §1) on the programme's rules and its group formats: two
colleagues edit the same record; the second save over a newer version is refused, shows both
and keeps her typing; "Keep mine" then saves hers."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from relais.accounts.models import Role
from relais.conftest import actor, make_user, verified_client
from relais.core.tests.conflict_helpers import refused_without_audit, second_save_refused
from relais.programmes import services
from relais.programmes.models import GroupFormat, ProgrammeSettings
from relais.programmes.tests.factories import judicial_file

pytestmark = pytest.mark.django_db

RULES = {"completion_hours": "42", "min_interviews": "2", "min_group_size": "8"}


def test_two_counsellors_change_the_rules_the_second_sees_both_and_decides(cast):
    url = reverse("programmes:settings")
    second = verified_client(make_user("counsellor_two", cast.programme,
                                       Role.PROGRAMME_COUNSELLOR))
    newer = second_save_refused(url=url, first=verified_client(cast.counsellor), second=second,
                                base=RULES, theirs={"min_interviews": "3"},
                                mine={"min_group_size": "6"}, shown=["3", "6"])
    rules = ProgrammeSettings.objects.get(agency=cast.programme)
    assert rules.min_interviews == 3 and rules.min_group_size == 8

    kept = second.post(url, {**RULES, "min_interviews": "3", "min_group_size": "6",
                             "version": newer})
    assert kept.status_code == 302
    rules.refresh_from_db()
    assert rules.min_interviews == 3 and rules.min_group_size == 6


def test_two_counsellors_change_a_format_the_second_sees_both_and_decides(cast):
    services.settings_for(cast.programme)
    group_format = GroupFormat.objects.filter(agency=cast.programme).first()
    url = reverse("programmes:format", args=[group_format.pk])
    base = {"name": group_format.name, "kind": group_format.kind,
            "sessions": str(group_format.sessions),
            "hours_per_session": str(group_format.hours_per_session),
            "schedule": group_format.schedule, "active": "on"}
    second = verified_client(make_user("counsellor_two", cast.programme,
                                       Role.PROGRAMME_COUNSELLOR))
    newer = second_save_refused(url=url, first=verified_client(cast.counsellor), second=second,
                                base=base, theirs={"schedule": "Tuesdays (theirs)"},
                                mine={"schedule": "Thursdays (mine)"},
                                shown=["Tuesdays (theirs)", "Thursdays (mine)"])
    group_format.refresh_from_db()
    assert group_format.schedule == "Tuesdays (theirs)"

    assert second.post(url, {**base, "schedule": "Thursdays (mine)",
                             "version": newer}).status_code == 302
    group_format.refresh_from_db()
    assert group_format.schedule == "Thursdays (mine)"


def test_the_services_refuse_a_newer_version_and_write_nothing(cast):
    counsellor = actor(cast.counsellor)
    read = services.settings_version(services.settings_for(cast.programme))
    services.settings_update(actor=counsellor, version=read, min_interviews=3)
    conflict = refused_without_audit(lambda: services.settings_update(
        actor=counsellor, version=read, min_interviews=4))
    assert conflict.current["min_interviews"] == 3

    group_format = GroupFormat.objects.filter(agency=cast.programme).first()
    read = services.format_version(group_format)
    fields = {"name": group_format.name, "kind": group_format.kind, "sessions": 10,
              "hours_per_session": Decimal("2")}
    services.format_save(actor=counsellor, format_id=group_format.pk, version=read, **fields)
    refused_without_audit(lambda: services.format_save(
        actor=counsellor, format_id=group_format.pk, version=read, **{**fields, "sessions": 12}))
    group_format.refresh_from_db()
    assert group_format.sessions == 10


def test_two_counsellors_record_his_substance_use(cast, directory):
    file = judicial_file(cast, directory)
    url = reverse("programmes:file_substances", args=[file.pk])
    second = verified_client(make_user("counsellor_two", cast.programme,
                                       Role.PROGRAMME_COUNSELLOR))
    newer = second_save_refused(url=url, first=verified_client(cast.counsellor), second=second,
                                base={}, theirs={"substance_use": ["alcohol"]},
                                mine={"substance_use": ["drugs"]}, shown=["Substance use"])
    file.refresh_from_db()
    assert file.substance_use == ["alcohol"]
    assert second.post(url, {"substance_use": ["alcohol", "drugs"],
                             "version": newer}).status_code == 302
    file.refresh_from_db()
    assert file.substance_use == ["alcohol", "drugs"]
    refused_without_audit(lambda: services.file_update_substances(
        actor=actor(cast.counsellor), file_id=file.pk, substance_use=[], version=newer))
