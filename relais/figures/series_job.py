"""A partner series imported out of the request, with its progress (relais.core.jobs).

The upload screen checks the form (size, kind) and starts the job with the file as its payload;
the job reads and checks every line, telling its progress every thousand lines, then loads the
series in one transaction (``series.series_import``: all or nothing). Stopping is safe while it
reads: nothing is written before the last step, which no stop interrupts.

A file with problems loads nothing: the job keeps the report (at most ``MAX_PROBLEMS`` lines),
in the language its author worked in when she sent it, and the upload screen shows it again
with her form (``?job=<id>``, her own job only). A partner series is aggregate counts: neither
the file nor the report holds personal data, and the file is dropped when the job ends.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.conf import settings
from django.http import Http404
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from relais.access.figures import may_import_series
from relais.core.actor import Actor
from relais.core.jobs import Progress, job_get, job_start
from relais.core.models import Job
from relais.figures.series import Problem, SeriesFileError, line_count, series_import

JOB_KIND = "figures.series_import"
SUFFIXES = (".csv", ".xlsx")
MAX_PROBLEMS = 500


def series_import_start(*, actor: Actor, data: bytes, suffix: str, unit: str,
                        categories_exclusive: bool, source: str) -> Job:
    """Queue the import of ``data`` (a CSV or XLSX file, by ``suffix``)."""
    suffix = suffix.lower()
    if not may_import_series(actor) or suffix not in SUFFIXES:
        raise Http404
    return job_start(actor=actor, kind=JOB_KIND, payload=data, params={
        "suffix": suffix, "unit": unit, "categories_exclusive": categories_exclusive,
        "source": source, "language": translation.get_language() or settings.LANGUAGE_CODE})


def series_import_run(*, actor: Actor, job: Job, progress: Progress) -> dict:
    """The job: read and check the file, then load it (or keep its report)."""
    params = job.params

    def read(lines: int) -> None:
        progress.check()  # nothing is written yet: a stop here leaves the series as it was
        progress.advance(lines)

    with tempfile.TemporaryDirectory() as folder, translation.override(params["language"]):
        # The file's own name never reaches the disk: only its kind.
        path = Path(folder) / f"series{params['suffix']}"
        path.write_bytes(bytes(job.payload))
        progress.set_total(line_count(path))
        try:
            series = series_import(actor=actor, path=path, unit=params["unit"],
                                   categories_exclusive=params["categories_exclusive"],
                                   source=params["source"], on_lines=read)
        except SeriesFileError as error:
            return {"problems": len(error.problems),
                    "report": [[p.line, p.field, p.message]
                               for p in error.problems[:MAX_PROBLEMS]],
                    "url": f"{reverse('figures:series_upload')}?job={job.pk}"}
    progress.advance(max(progress.job.total - progress.job.done, 0))
    return {"name": series.name, "count": series.points.count(),
            "url": reverse("figures:series_detail", kwargs={"series_id": series.pk})}


def series_job_summary(result: dict) -> str:
    if "problems" in result:
        return ngettext("Nothing was imported: the file has %(count)s problem.",
                        "Nothing was imported: the file has %(count)s problems.",
                        result["problems"]) % {"count": result["problems"]}
    return _("Series “%(name)s” imported: %(count)d counts.") % {
        "name": result.get("name", ""), "count": result.get("count", 0)}


def series_job_report(*, actor: Actor, job_id: int) -> tuple[list[Problem], int, dict] | None:
    """The report of the actor's own import job (404 for anyone else's): its problems as kept,
    how many there were, and the form's values; None if it had none."""
    job = job_get(actor=actor, job_id=job_id)
    if job.kind != JOB_KIND:
        raise Http404
    if "problems" not in job.result:
        return None
    report = [Problem(line, field, message) for line, field, message in job.result["report"]]
    initial = {"unit": job.params["unit"], "source": job.params["source"],
               "categories": "exclusive" if job.params["categories_exclusive"] else "multiple"}
    return report, job.result["problems"], initial
