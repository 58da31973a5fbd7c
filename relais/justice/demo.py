"""Demo data of the prosecution tracking table (called by ``seed_demo``).

``load_demo_justice(prosecutor_agency, readers)`` sets up the office's family and youth section
with its readers, gives a reader to the reports already in the table, and shows the table at
work: the oldest waiting report is made overdue and, when there are two or more, the newest is
decided (a hearing with a no-contact order), so the police zone sees the decision on its case.
Entries themselves come from the demo's official reports, through the ``report_forwarded`` hook.
Idempotent: a second run changes nothing.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from relais.accounts.models import Agency, Role, User
from relais.core.actor import Actor
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


def load_demo_justice(prosecutor_agency: Agency, readers: list[User]) -> Section:
    """Set up the office's demo section and show an overdue and a decided report."""
    section = _section(prosecutor_agency, readers)
    entries = list(Entry.objects.filter(agency=prosecutor_agency)
                   .select_related("section", "reader").order_by("received_at", "pk"))
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
        late = waiting[0]
        Entry.objects.filter(pk=late.pk).update(
            due_on=today - timedelta(days=DEMO_OVERDUE_DAYS),
            received_at=timezone.now() - timedelta(
                days=DEMO_OVERDUE_DAYS + late.section.decision_days))
    if len(entries) >= 2 and not any(e.is_decided for e in entries):
        newest = entries[-1]
        newest.refresh_from_db()
        if newest.reader is not None:
            services.entry_decide(actor=_demo_actor(newest.reader), entry_id=newest.pk,
                                  decision=Decision.HEARING,
                                  measures=[Measure.NO_CONTACT, Measure.CONTACT_CONDITIONS])
    return section
