"""The baseline server of the load test: the same requests answered by bare views, which read
(or write) the same rows without the access policy and without audit events.

    gunicorn --chdir bench/load --pythonpath bench/load,bench bare:application

Mounted before ``relais.urls`` (everything else, the public finder included, is the real view):

- ``/bench/cases/<id>/``: ``bench/case_page.py``'s bare case page (same rows, same template).
- ``/bench/cases/<id>/reports/new/``: the intake form, parsed by the real ``IntakeForm`` with
  the case's persons read straight from the table; a valid POST writes one timeline row
  (no report, checklist, tasks, notice, forwarding or audit) and redirects like the real one.
- ``/bench/follow-up/``: the "team" queue read straight from the agency's open tasks (same rows,
  same template).
- ``/bench/prosecution/``: the office's table read straight from its entries (no case scope,
  no household hints, no audit), same template.
- ``/bench/alarm/device/``: ``bench/alarm.py``'s bare press (the device by its serial, with the
  same gateway token and middleware); there is no summary to fetch after it.
"""

from __future__ import annotations

import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BENCH_DIR))

# alarm first: it imports benchlib, which sets up Django on DATABASE_URL.
import alarm  # noqa: E402
import case_page  # noqa: E402
from benchlib import bench_urlconf  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth.decorators import login_required  # noqa: E402
from django.db.models import Case as When_  # noqa: E402
from django.db.models import Count, IntegerField, Q, Value, When  # noqa: E402
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect  # noqa: E402
from django.shortcuts import get_object_or_404, render  # noqa: E402
from django.urls import include, path  # noqa: E402
from django.utils import timezone  # noqa: E402

from relais.cases.models import Case, CaseParticipant, TimelineEntry  # noqa: E402
from relais.followup import views as followup_views  # noqa: E402
from relais.followup.models import Priority, Task, TaskStatus  # noqa: E402
from relais.followup.selectors import PER_PAGE, QueuePage  # noqa: E402
from relais.followup.selectors import _with_overdue as with_overdue  # noqa: E402
from relais.intake import services as intake_services  # noqa: E402
from relais.intake.forms import IntakeForm  # noqa: E402
from relais.intake.models import NARRATIVE_FIELDS  # noqa: E402
from relais.justice import selectors as justice  # noqa: E402
from relais.justice import views as justice_views  # noqa: E402
from relais.justice.models import Entry, Section  # noqa: E402
from relais.risk.instruments import instrument_get  # noqa: E402

CASE_URL = "/bench/cases/{case}/"
INTAKE_URL = "/bench/cases/{case}/reports/new/"
QUEUE_URL = "/bench/follow-up/"
TABLE_URL = "/bench/prosecution/"
PRESS_URL = "/bench/alarm/device/"


@login_required
def bare_intake(request: HttpRequest, case_id: int) -> HttpResponse:
    persons = [(p.person, p.role) for p in CaseParticipant.objects.filter(case_id=case_id)
               .select_related("person").order_by("id")]
    form = IntakeForm(request.POST or None, persons=persons)
    if request.method == "POST":
        if not form.is_valid():
            return HttpResponse(b"invalid", status=400)
        TimelineEntry.objects.create(case_id=case_id, occurred_at=timezone.now(), kind="note",
                                     agency_id=request.user.agency_id,
                                     summary="load test: bare intake")
        return HttpResponseRedirect(request.path)
    checklist = instrument_get(intake_services.CHECKLIST)
    return render(request, "intake/report_form.html", {
        "form": form, "case": get_object_or_404(Case, pk=case_id),
        "narrative_fields": NARRATIVE_FIELDS, "wording_flags": {},
        "checklist_title": checklist.title_in(request.LANGUAGE_CODE),
        "checklist_purpose": checklist.purpose_in(request.LANGUAGE_CODE)})


@login_required
def bare_queue(request: HttpRequest) -> HttpResponse:
    """``followup.selectors.task_queue`` for the "team" queue (what a SAPV worker without tasks
    of her own sees first) read straight from her agency's open tasks, counted, ordered and
    paged the same way, with the real template and menu (as ``bench/followup.py``'s)."""
    request.current_app = "followup"
    now = timezone.now()
    user = request.user
    team = Q(for_role__in=sorted(user.role_codes)) | Q(assignee_id=user.pk)
    if user.unit_id:
        team |= Q(unit_id=user.unit_id)
    tasks = Task.objects.filter(team, agency_id=user.agency_id, status=TaskStatus.OPEN)
    counts = tasks.aggregate(total=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=now)))
    total = counts["total"]
    pages = max(1, -(-total // PER_PAGE))
    rows = list(with_overdue(tasks, now).select_related("case", "person", "assignee", "unit")
                .order_by("-overdue", "-priority", "due_at", "pk")[:PER_PAGE])
    page = QueuePage(queue="team", tasks=rows, total=total, overdue=counts["overdue"], page=1,
                     pages=pages)
    return render(request, "followup/queue.html", {
        **followup_views._menu(request), "page": page, "queue": "team", "now": now,
        "urgent": Priority.HIGH})


@login_required
def bare_table(request: HttpRequest) -> HttpResponse:
    """``justice.selectors.entry_table`` on the office's own entries, "to decide", page 1."""
    request.current_app = "justice"
    today = justice._today()
    qs = Entry.objects.filter(agency_id=request.user.agency_id, decided_at__isnull=True)
    counts = qs.aggregate(total=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
    total = counts["total"]
    rank = When_(When(decided_at__isnull=False, then=Value(2)),
                 When(due_on__lt=today, then=Value(0)), default=Value(1),
                 output_field=IntegerField())
    entries = list(qs.annotate(rank=rank).select_related(
        "report", "report__case", "report__victim", "report__perpetrator", "report__agency",
        "section", "reader").order_by("rank", "due_on", "-decided_at", "pk")[:justice.PER_PAGE])
    page = justice.TablePage(
        rows=[justice.Row(entry=e, overdue_days=justice.overdue_days(e, today))
              for e in entries],
        total=total, overdue=counts["overdue"], page=1,
        pages=max(1, -(-total // justice.PER_PAGE)), status="to_decide", section_id=None,
        reader="", sections=list(Section.objects.filter(agency_id=request.user.agency_id)),
        readers=list(justice.readers_of(request.user.agency_id)))
    return render(request, "justice/table.html", {
        **justice_views._menu(request), "page": page, "query": "status=to_decide"})


def urlconf() -> str:
    queue = ([path("", bare_queue, name="queue")], "followup")
    return bench_urlconf("relais_bench_load_urls", [
        path("bench/cases/<int:case_id>/", case_page.bare_case_detail),
        path("bench/cases/<int:case_id>/reports/new/", bare_intake),
        path("bench/follow-up/", include(queue, namespace="bench")),
        path("bench/prosecution/", bare_table),
        path(PRESS_URL.lstrip("/"), alarm.BareDevice.as_view()),
    ]).__name__


def _application():
    from django.core.wsgi import get_wsgi_application

    settings.ROOT_URLCONF = urlconf()
    return get_wsgi_application()


application = _application()
