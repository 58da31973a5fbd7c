"""The roadmap's indicators 1 and 4 from the records, each by its side's reference date."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from relais.figures.indicators import children_recorded, dispute_share
from relais.followup.tests.factories import record_report
from relais.justice.models import Entry


def test_indicator_1_counts_by_the_date_of_the_facts(cast):
    now = timezone.now()
    record_report(cast, official=False, offence_at=now - timedelta(days=1))
    record_report(cast, official=False, offence_at=now - timedelta(days=2))
    record_report(cast, official=True, offence_at=now - timedelta(days=3))
    month = timezone.localdate().replace(day=1)
    rows = dispute_share(zone_ids=[cast.zone_a.pk], start=month - timedelta(days=40),
                         end=timezone.localdate() + timedelta(days=1))
    total = {"information": sum(r.information for r in rows),
             "official": sum(r.official for r in rows)}
    assert total == {"information": 2, "official": 1}
    assert dispute_share(zone_ids=[cast.zone_b.pk], start=date(2000, 1, 1),
                         end=date(2100, 1, 1)) == []


def test_indicator_1_share_is_rounded_half_away():
    from relais.figures.indicators import DisputeMonth

    assert DisputeMonth(month=date(2026, 1, 1), information=2, official=1).information_pct \
        == Decimal("66.7")
    assert DisputeMonth(month=date(2026, 1, 1), information=0, official=0).information_pct \
        is None


def test_indicator_4_counts_entries_with_children_by_date_of_entry(cast):
    """The cast's case has a child: the official report enters the prosecutor's table once;
    its presence and impact are recorded at intake."""
    report = record_report(cast, official=True)
    assert Entry.objects.filter(report=report).count() == 1
    rows = children_recorded(office_ids=[cast.prosecutor.pk], start=date(2000, 1, 1),
                             end=date(2100, 1, 1))
    assert sum(r.with_children for r in rows) == 1
    Entry.objects.filter(report=report).update(received_at=timezone.now())
    report.children_impact = ""
    report.save(update_fields=["children_impact"])
    rows = children_recorded(office_ids=[cast.prosecutor.pk], start=date(2000, 1, 1),
                             end=date(2100, 1, 1))
    assert [(r.with_children, r.recorded) for r in rows] == [(1, 0)]
    assert rows[0].recorded_pct == Decimal("0.0")
