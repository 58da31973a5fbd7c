"""The page of a long job: its progress, polled with htmx every second while it runs, and its
cancel button where the work allows it (relais.core.jobs)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from relais.core import jobs
from relais.core.actor import actor_from
from relais.core.models import Job


def _error_text(code: str) -> str:
    return {
        "not_allowed": _("You may no longer do this: nothing more was done."),
        "interrupted": _("The work was interrupted: what was done is kept; start it again "
                         "for the rest."),
    }.get(code, _("The work stopped on an error: what was done is kept."))


def _context(job: Job) -> dict:
    kind = jobs.kind_of(job)
    return {
        "job": job, "label": kind.label if kind else job.kind,
        "may_cancel": bool(kind and kind.cancellable and not job.finished
                           and not job.cancel_requested),
        "summary": kind.summary(job.result) if kind and kind.summary and job.result else "",
        "error_text": _error_text(job.error) if job.error else "",
        "next_url": job.result.get("url", ""),
    }


@login_required
@require_GET
def job_view(request: HttpRequest, job_id: int) -> HttpResponse:
    job = jobs.job_get(actor=actor_from(request), job_id=job_id)
    template = "core/_job.html" if request.htmx else "core/job.html"
    return render(request, template, _context(job))


@login_required
@require_POST
def job_cancel(request: HttpRequest, job_id: int) -> HttpResponse:
    job = jobs.job_cancel(actor=actor_from(request), job_id=job_id)
    if request.htmx:
        return render(request, "core/_job.html", _context(job))
    return redirect("core:job", job_id=job.pk)
