"""A linkage batch: look again for the same persons across files, for every person of the open
cases one's agency holds, run out of the request with its progress (relais.core.jobs).

The matcher runs when a person is recorded or changed; a batch is for what changed since: the
model's parameters, another agency's records, or a bulk load. Each person is matched as when she
was recorded (``services.links_find``: her keys refreshed, her links recorded, decided links
kept, one audited search each). Stopped, it ends between two steps: what was found stays.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from relais.access.linkage import may_decide_links, rescan_persons
from relais.core.actor import Actor
from relais.core.jobs import Progress, job_start
from relais.core.models import Job
from relais.linkage.models import OPEN_STATUSES
from relais.linkage.services import links_find

JOB_KIND = "linkage.rescan"
STEP = 25  # persons between two progress reports (and two chances to stop)
OPEN = frozenset(OPEN_STATUSES)


def rescan_start(*, actor: Actor) -> Job:
    """Start the batch (404 for who may not decide links; nothing to look at is an error)."""
    if not may_decide_links(actor):
        raise Http404
    if not rescan_persons(actor).exists():
        raise ValidationError(_("Your agency holds no open case to look in."))
    return job_start(actor=actor, kind=JOB_KIND)


def rescan_run(*, actor: Actor, job: Job, progress: Progress) -> dict:
    """The job: every person of the agency's open cases, as they stand when it starts."""
    person_ids = list(rescan_persons(actor).order_by("pk").values_list("pk", flat=True))
    progress.set_total(len(person_ids))
    to_decide: set[int] = set()
    for start in range(0, len(person_ids), STEP):
        progress.check()
        step = person_ids[start:start + STEP]
        for person_id in step:
            to_decide.update(link.pk for link in links_find(
                actor=actor, person_id=person_id, why="links found again (batch)")
                if link.status in OPEN)
        progress.advance(len(step))
    return {"persons": len(person_ids), "to_decide": len(to_decide),
            "url": reverse("linkage:queue")}


def rescan_summary(result: dict) -> str:
    persons = ngettext("%(count)d person looked at again.", "%(count)d persons looked at again.",
                       result.get("persons", 0)) % {"count": result.get("persons", 0)}
    links = ngettext("%(count)d possible same person to decide.",
                     "%(count)d possible same persons to decide.",
                     result.get("to_decide", 0)) % {"count": result.get("to_decide", 0)}
    return f"{persons} {links}"
