"""The perpetrator programmes' figures (Praxis style), from their files (relais.programmes):

- the origin of the measure: the route, and for a judicial mandate the judicial measure;
- the forms of violence, per year, with the year's N: the forms recorded on the police reports
  of the case the file is linked to (the facts up to the day the request came in); several
  answers possible, so each is a share of N; a file with no linked case, or whose case has no
  report of facts before the request, counts in "not known";
- substance use at the time of the facts (several answers possible, shares of N);
- the progress of the files (their status today);
- the interruption reasons of the incomplete files.

Every table counts files by the day the request or mandate was received (``requested_on``,
``start`` included, ``end`` excluded) and prints N; small cells are hidden
(relais.figures.count_tables). No law requires these tables (relais.figures.legal_basis): the
files of a participant who declined to be counted are left out, and each table says how many.
This selector takes the programme agencies to count and checks
no access: the statistics' screens apply the policy before calling it (docs/figures.md).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from django.db.models import BooleanField, ExpressionWrapper
from django.utils import timezone
from django.utils.translation import gettext as _

from relais.access.figures import refused_q
from relais.figures.count_tables import Heading, exclusive_table, multi_answer_table
from relais.figures.tables import Column, Table, left_out
from relais.intake.models import Report, ViolenceForm
from relais.programmes.models import (
    FileStatus,
    InterruptionReason,
    JudicialMeasure,
    ProgrammeFile,
    Route,
    Substance,
)

NOT_KNOWN = "not_known"


def reference_date_label() -> str:
    return _("by date the request or mandate was received")


def _heading(key: str, title: str, *, n_label: str, notes: tuple[str, ...] = ()) -> Heading:
    return Heading(key=f"programmes-{key}", title=title, reference_date=reference_date_label(),
                   n_label=n_label, notes=notes)


def programme_tables(*, agency_ids: Sequence[int], start: date, end: date) -> list[Table]:
    """The programmes' tables for the files of ``agency_ids`` received from ``start`` to
    ``end`` (excluded), in five queries at most."""
    rows = (ProgrammeFile.objects
            .filter(agency_id__in=list(agency_ids), requested_on__gte=start,
                    requested_on__lt=end)
            .order_by()
            .annotate(refused=ExpressionWrapper(refused_q("participant__person_id"),
                                                output_field=BooleanField()))
            .values("pk", "requested_on", "route", "judicial_measure", "case_id",
                    "case__merged_into_id", "substance_use", "status",
                    "interruption_reason", "refused"))
    files, refused = [], []
    for row in rows:
        (refused if row["refused"] else files).append(row)
    incomplete = sum(1 for f in refused if f["status"] == FileStatus.INCOMPLETE)
    return [left_out(origin_table(files), len(refused)),
            left_out(forms_table(files), len(refused)),
            left_out(substances_table(files), len(refused)),
            left_out(progress_table(files), len(refused)),
            left_out(interruptions_table(files), incomplete)]


def origin_table(files: list[dict]) -> Table:
    """Files by route; judicial mandates by judicial measure."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for file in files:
        measure = file["judicial_measure"] if file["route"] == Route.JUDICIAL else ""
        counts[file["route"], measure] += 1
    rows = []
    for route, route_label in Route.choices:
        if route == Route.JUDICIAL:
            rows += [((str(route_label), str(label)), counts[route, measure])
                     for measure, label in JudicialMeasure.choices]
        else:
            rows.append(((str(route_label), ""), counts[route, ""]))
    return exclusive_table(
        heading=_heading("origin", _("Origin of the measure"), n_label=_("files")),
        label_columns=(Column("route", _("Route"), numeric=False),
                       Column("judicial_measure", _("Judicial measure"), numeric=False)),
        count_label=_("Files"), rows=rows)


def _forms_by_file(files: list[dict]) -> dict[int, set[str]]:
    """Each file's forms of violence: those of the reports of its case (the case it was merged
    into, if it was) whose facts are on or before the day the request came in. A file with
    no such report is absent."""
    case_of = {file["pk"]: file["case__merged_into_id"] or file["case_id"] for file in files
               if file["case_id"] is not None}
    if not case_of:
        return {}
    reports: dict[int, list[tuple[date, list[str]]]] = defaultdict(list)
    for case_id, offence_at, forms in (Report.objects.filter(case_id__in=set(case_of.values()))
                                       .order_by().values_list("case_id", "offence_at",
                                                               "forms")):
        reports[case_id].append((timezone.localdate(offence_at), forms or []))
    requested = {file["pk"]: file["requested_on"] for file in files}
    known: dict[int, set[str]] = {}
    for pk, case_id in case_of.items():
        facts = [forms for day, forms in reports[case_id] if day <= requested[pk]]
        if facts:
            known[pk] = {form for forms in facts for form in forms}
    return known


def forms_table(files: list[dict]) -> Table:
    """Forms of violence per year of the request, shares of that year's N files."""
    known = _forms_by_file(files)
    n_by_year: dict[int, int] = defaultdict(int)
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for file in files:
        year = file["requested_on"].year
        n_by_year[year] += 1
        forms = known.get(file["pk"])
        if forms is None:
            counts[year][NOT_KNOWN] += 1
            continue
        for form in forms & set(ViolenceForm.values):
            counts[year][form] += 1
    categories = [*((code, str(label)) for code, label in ViolenceForm.choices),
                  (NOT_KNOWN, _("Not known (no case linked, or no report of the facts)"))]
    return multi_answer_table(
        heading=_heading(
            "forms", _("Forms of violence, by year"), n_label=_("files"),
            notes=(_("The forms recorded by the police on the reports of the case linked to the "
                     "file, for facts up to the day the request came in. N counts every file: "
                     "one with no known form counts in \"not known\"."),)),
        category_label=_("Form of violence"), count_label=_("Files"), categories=categories,
        counts=counts, n_by_year=n_by_year)


def substances_table(files: list[dict]) -> Table:
    """Substance use at the time of the facts, shares of N files (several answers possible);
    a file with nothing recorded counts as unknown."""
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    n_by_year: dict[int, int] = defaultdict(int)
    for file in files:
        year = file["requested_on"].year
        n_by_year[year] += 1
        used = set(file["substance_use"] or []) & set(Substance.values) or {Substance.UNKNOWN}
        for code in used:
            counts[year][code] += 1
    return multi_answer_table(
        heading=_heading(
            "substances", _("Substance use at the time of the facts"), n_label=_("files"),
            notes=(_("A file on which nothing is recorded counts as unknown."),)),
        category_label=_("Substance"), count_label=_("Files"),
        categories=[(code, str(label)) for code, label in Substance.choices],
        counts=counts, n_by_year=n_by_year)


def progress_table(files: list[dict]) -> Table:
    """Files by their progress today."""
    counts: dict[str, int] = defaultdict(int)
    for file in files:
        counts[file["status"]] += 1
    return exclusive_table(
        heading=_heading("progress", _("Progress of the files"), n_label=_("files"),
                         notes=(_("Each file's progress today."),)),
        label_columns=(Column("status", _("Progress"), numeric=False),),
        count_label=_("Files"),
        rows=[((str(label),), counts[code]) for code, label in FileStatus.choices])


def interruptions_table(files: list[dict]) -> Table:
    """The incomplete files by interruption reason."""
    counts: dict[str, int] = defaultdict(int)
    for file in files:
        if file["status"] == FileStatus.INCOMPLETE:
            counts[file["interruption_reason"]] += 1
    return exclusive_table(
        heading=_heading("interruptions", _("Interruption reasons of the incomplete files"),
                         n_label=_("incomplete files")),
        label_columns=(Column("reason", _("Interruption reason"), numeric=False),),
        count_label=_("Files"),
        rows=[((str(label),), counts[code]) for code, label in InterruptionReason.choices])
