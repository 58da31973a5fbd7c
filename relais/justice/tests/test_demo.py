"""The demo loader of the tracking table."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from relais.justice.demo import load_demo_justice
from relais.justice.models import Entry, Section
from relais.justice.selectors import overdue_days
from relais.justice.tests.factories import record_report
from relais.notifications.models import Notice, NoticeKind


def test_the_demo_section_an_overdue_and_a_decided_report(cast):
    # Facts five weeks ago, then last night's (the first one made a general section).
    first = record_report(cast, offence_at=timezone.now() - timedelta(days=40),
                          recorded_on=timezone.localdate() - timedelta(days=39))
    second = record_report(cast)
    readers = [cast.legal_advisor, cast.magistrate]

    section = load_demo_justice(cast.prosecutor, readers)
    load_demo_justice(cast.prosecutor, readers)  # idempotent

    assert Section.objects.filter(agency=cast.prosecutor).count() == 1
    assert section.name == "Section famille et jeunesse" and section.is_default
    assert set(section.readers.all()) == set(readers)
    late, decided = Entry.objects.get(report=first), Entry.objects.get(report=second)
    assert late.reader is not None and overdue_days(late) > 0
    assert first.offence_at < late.received_at  # never received before its facts
    assert decided.is_decided and sorted(decided.measures) == ["arrest_warrant", "no_contact"]
    assert Notice.objects.filter(kind=NoticeKind.PROSECUTION_DECISION).count() == 1


def test_the_demo_section_before_any_report(cast):
    load_demo_justice(cast.prosecutor, [cast.legal_advisor])
    entry = Entry.objects.get(report=record_report(cast))
    assert entry.section.name == "Section famille et jeunesse"
    assert entry.reader == cast.legal_advisor


def test_a_report_too_recent_is_not_shown_overdue(cast):
    entry_report = record_report(cast)  # facts yesterday: cannot be 36 days late
    load_demo_justice(cast.prosecutor, [cast.legal_advisor])
    entry = Entry.objects.get(report=entry_report)
    assert overdue_days(entry) == 0 and entry.received_at > entry_report.offence_at
