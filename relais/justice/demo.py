"""Demo data of the prosecution tracking table (called by ``seed_demo``).

``load_demo_justice(prosecutor_agency, readers)`` sets up the office's family and youth section
with its readers, gives a reader to the reports already in the table, and shows the table at
work: the oldest waiting report is made overdue and, when there are two or more, the newest is
decided (a judicial investigation, arrest warrant and no contact), so the police zone sees
the decision on its case. A report is never shown received before its facts.
Entries themselves come from the demo's official reports, through the ``report_forwarded`` hook.
Idempotent: a second run changes nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from relais.accounts.models import Agency, Role, User
from relais.cases.models import TimelineEntry
from relais.core.actor import Actor
from relais.intake.models import Report
from relais.justice import services
from relais.justice.models import Decision, Entry, Measure, Section

SECTION_NAMES = {"fr": "Section famille et jeunesse", "nl": "Sectie familie en jeugd",
                 "de": "Abteilung Familie und Jugend"}
DEMO_OVERDUE_DAYS = 6


def _demo_actor(user: User) -> Actor:
    return Actor.for_user(user, channel="demo")


def _section(office: Agency, readers: list[User]) -> Section:
    language = office.languages[0] if office.languages else "fr"
    name = SECTION_NAMES.get(language, "Family and youth section")
    allowed = set(services.readers_of(office).values_list("pk", flat=True))
    reader_ids = [user.pk for user in readers if user.pk in allowed]
    existing = Section.objects.filter(agency=office, name=name).first()
    if existing is not None:
        return existing
    editor = next((u for u in readers if u.pk in allowed
                   and u.roles.filter(role=Role.MAGISTRATE).exists()), None)
    default = next((s for s in Section.objects.filter(agency=office) if s.is_default), None)
    if editor is None:  # nobody to sign it: set it up directly
        section = default or Section(agency=office)
        section.name = name
        section.save()
        section.readers.set(reader_ids)
        return section
    # The general section a first report made becomes the family and youth section.
    return services.section_save(actor=_demo_actor(editor), section_id=default.pk if default
                                 else None, name=name, decision_days=30, municipalities=[],
                                 reader_ids=reader_ids)


def backdate_forwarding(report: Report, *, at: datetime) -> None:
    """A demo report recorded and forwarded at ``at`` rather than when the demo was loaded:
    its record time, its forwarding, its timeline entry and the office's receipt (and so the
    decision deadline) move together, so that the story reads in order."""
    Report.objects.filter(pk=report.pk).update(created_at=at, forwarded_at=at)
    TimelineEntry.objects.filter(source_type=Report._meta.label_lower, source_id=str(report.pk),
                                 kind="forwarded").update(occurred_at=at)
    for entry in Entry.objects.filter(report=report).select_related("section"):
        Entry.objects.filter(pk=entry.pk).update(received_at=at,
                                                 due_on=services.due_on_for(at, entry.section))
    report.refresh_from_db()


def load_demo_justice(prosecutor_agency: Agency, readers: list[User]) -> Section:
    """Set up the office's demo section and show an overdue and a decided report."""
    section = _section(prosecutor_agency, readers)
    entries = list(Entry.objects.filter(agency=prosecutor_agency)
                   .select_related("section", "reader", "report")
                   .order_by("received_at", "pk"))
    for entry in entries:
        if entry.reader_id is None and not entry.is_decided and readers:
            reader = next((u for u in readers if section.readers.filter(pk=u.pk).exists()), None)
            if reader is not None:
                services.entry_assign_reader(actor=_demo_actor(reader), entry_id=entry.pk,
                                             reader_id=reader.pk)
                entry.refresh_from_db()
    today = timezone.localdate()
    waiting = [e for e in entries if not e.is_decided]
    if waiting and not any(e.due_on < today for e in waiting):
        # Shown overdue only when it can be without receiving a report before its facts.
        late = waiting[0]
        received = timezone.now() - timedelta(days=DEMO_OVERDUE_DAYS
                                              + late.section.decision_days)
        if late.report.offence_at is None or late.report.offence_at < received:
            backdate_forwarding(late.report, at=received)
    if len(entries) >= 2 and not any(e.is_decided for e in entries):
        newest = entries[-1]
        newest.refresh_from_db()
        if newest.reader is not None:
            # The newest report (the residence ban's case): a judicial investigation, he is
            # under an arrest warrant and may not contact her.
            services.entry_decide(actor=_demo_actor(newest.reader), entry_id=newest.pk,
                                  decision=Decision.INVESTIGATION,
                                  measures=[Measure.ARREST_WARRANT, Measure.NO_CONTACT])
    return section
