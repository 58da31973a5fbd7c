"""The alarm lists' exports (the dispatcher's board, the requests): sign-in, 404 for whoever
does not see the list, the screen's columns (the case only where the summary opens),
neutralisation, the audit event, bounded queries."""

from __future__ import annotations

import pytest
from django.utils import timezone

from relais.alarms.models import AlarmActivation
from relais.alarms.tests.factories import assess, forward, live_alarm, press, request_alarm
from relais.conftest import verified_client
from relais.core.tests.export_helpers import csv_rows, export_event, screen_heads, xlsx_cells


@pytest.mark.parametrize("url", ["/alarms/export.csv", "/alarms/requests/export.xlsx"])
def test_the_exports_require_sign_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


def test_the_board_export_is_the_dispatchers_with_the_screens_columns(cast):
    live_alarm(cast)
    press(cast, "BTN-A-0001")
    press(cast, "NO-SUCH")
    for user in (cast.officer_a, cast.officer_b, cast.legal_advisor, cast.shelter_worker):
        assert verified_client(user).get("/alarms/export.csv").status_code == 404, user
    client = verified_client(cast.dispatcher_a)
    page = client.get("/alarms/").content.decode()
    assert "/alarms/export.csv" in page and "/alarms/export.xlsx" in page
    rows = csv_rows(client.get("/alarms/export.csv"))
    assert rows[0] == screen_heads(page) == ["Pressed at", "Device", "Case", "Anomaly", "State"]
    assert rows[1][1] == "NO-SUCH" and rows[1][2] == ""  # no case: no summary, no reference
    assert rows[2][1] == "BTN-A-0001" and rows[2][2] == cast.case.reference
    assert "Alice" not in str(rows)  # names only on the (audited) summary
    event = export_event("export alarm-board csv")
    assert event.basis == "export alarm-board csv: none" and event.user_id == cast.dispatcher_a.pk
    assert client.get("/alarms/export.pdf").status_code == 404


def test_the_board_export_neutralises_a_serial_like_a_formula(cast):
    live_alarm(cast)
    press(cast, "=HYPERLINK(1)")
    cells = xlsx_cells(verified_client(cast.dispatcher_a).get("/alarms/export.xlsx"))
    serial = cells[1][1]
    assert serial.value == "=HYPERLINK(1)" and serial.data_type == "s" and serial.quotePrefix


def test_the_board_export_keeps_a_bounded_number_of_queries(cast,
                                                            django_assert_max_num_queries):
    live_alarm(cast)
    for second in range(30):
        press(cast, "BTN-A-0001", at=timezone.now().replace(microsecond=second))
    client = verified_client(cast.dispatcher_a)
    with django_assert_max_num_queries(25):
        assert len(csv_rows(client.get("/alarms/export.csv"))) == 1 + AlarmActivation.objects \
            .count()


def test_the_requests_export_holds_the_screens_columns_and_only_own_rows(
        cast, django_assert_max_num_queries):
    forward(cast)
    assess(cast)
    request_alarm(cast)
    client = verified_client(cast.legal_advisor)
    page = client.get("/alarms/requests/").content.decode()
    with django_assert_max_num_queries(20):
        rows = csv_rows(client.get("/alarms/requests/export.csv"))
    assert rows[0] == screen_heads(page) and rows[1][1] == cast.case.reference
    assert "/alarms/requests/export.xlsx" in page
    assert len(csv_rows(verified_client(cast.officer_b).get("/alarms/requests/export.csv"))) == 1
    for user in (cast.dispatcher_a, cast.shelter_worker, cast.counsellor):
        assert verified_client(user).get("/alarms/requests/export.csv").status_code == 404
    assert export_event("export alarm-requests csv").user_id == cast.officer_b.pk
