"""An import that sets a service's capacity leaves the same audit event as the capacity form."""

from __future__ import annotations

import pytest
from django.utils import translation

from relais.accounts.models import Role
from relais.audit.models import AuditEvent
from relais.conftest import actor, make_user
from relais.directory.models import Service
from relais.directory.tests.test_transfer import GOOD, HEADER, as_csv
from relais.directory.transfer import directory_import

pytestmark = pytest.mark.django_db


def test_a_capacity_set_by_an_import_is_audited(cast):
    editor = make_user("editor", cast.platform, Role.DIRECTORY_EDITOR)
    row = list(GOOD)
    row[HEADER.index("free_places")] = "3"
    with translation.override("en"):
        report = directory_import(actor=actor(editor), data=as_csv(HEADER, row),
                                  filename="services.csv")
    assert report.imported
    service = Service.objects.get(code="imp-one")
    assert service.free_places == 3 and service.capacity_updated_by == editor
    event = AuditEvent.objects.get(object_type="directory.service", object_id=str(service.pk),
                                   basis="directory capacity (import)")
    assert event.action == "update" and event.user_id == editor.pk
