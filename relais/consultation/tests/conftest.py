"""A consultation body around the cast: the platform runs it; zone A, the prosecutor's office,
the victim-support service, the shelter, the perpetrator programme and the house of justice
are members; zone B is not."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from relais.conftest import actor
from relais.consultation import services
from relais.consultation.models import Body, Meeting, Referral


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


@dataclass
class Table:
    body: Body
    referral: Referral
    meeting: Meeting


def make_body(cast, name: str = "DIViCo Test") -> Body:
    body = services.body_create(actor=None, name=name, agency=cast.platform, area="brussel",
                                protocol_reference="Protocol 2026/1",
                                coordinator=cast.coordinator)
    coordinator = actor(cast.coordinator)
    for agency, representative in ((cast.zone_a, cast.reference_a),
                                   (cast.prosecutor, cast.magistrate),
                                   (cast.support, cast.support_worker),
                                   (cast.shelter, cast.shelter_worker),
                                   (cast.programme, cast.counsellor),
                                   (cast.house_of_justice, cast.justice_assistant)):
        services.member_save(actor=coordinator, body_id=body.pk, agency_id=agency.pk,
                             representative_id=representative.pk, deputy_id=None)
    return body


def refer(cast, body: Body, **overrides) -> Referral:
    values = dict(concern="She fears for her life since the separation.", emergency=False,
                  informed="yes", consents=True, basis="consent", justification="",
                  scopes=["contact", "health", "judicial"])
    values.update(overrides)
    return services.referral_create(actor=actor(cast.officer_a), case_id=cast.case.pk,
                                    body_id=body.pk, **values)


def meeting_for(cast, body: Body, **overrides) -> Meeting:
    values = dict(starts_at=timezone.now() + timedelta(days=2), kind="regular",
                  place="Salle 3")
    values.update(overrides)
    return services.meeting_create(actor=actor(cast.coordinator), body_id=body.pk, **values)


@pytest.fixture
def table(cast) -> Table:
    body = make_body(cast)
    referral = refer(cast, body)
    meeting = meeting_for(cast, body)
    services.agenda_add(actor=actor(cast.coordinator), meeting_id=meeting.pk,
                        referral_ids=[referral.pk])
    return Table(body=body, referral=referral, meeting=meeting)


def hear(cast, table: Table, *, present=None, level: str = "very_high"):
    """Attendance (zone A, support, programme, prosecutor by default) and the hearing."""
    coordinator = actor(cast.coordinator)
    present = present if present is not None else [cast.zone_a, cast.support, cast.programme,
                                                    cast.prosecutor, cast.platform]
    services.attendance_record(actor=coordinator, meeting_id=table.meeting.pk,
                               present={agency.pk: None for agency in present})
    hearing = table.meeting.hearings.get()
    return services.hearing_record(
        actor=coordinator, hearing_id=hearing.pk, level=level,
        decisions="Patrol passes twice a day; ban to be considered.",
        children="Youth aid notified; the school is asked to watch.")
