"""Screens of the follow-up: work queues, the calendar, a task, the crisis re-contact, the
zone's policy and the first-contact indicator."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from relais.access import crisis_followup as crisis_policy
from relais.access import followup as followup_policy
from relais.access.cases import may_open_case
from relais.cases.selectors import case_list
from relais.core.actor import actor_from
from relais.core.exports import export_links, export_response
from relais.core.views import act, bound_form, submit_form
from relais.followup import child_reflex, crisis, selectors, services, vulnerable
from relais.followup.columns import QUEUE_COLUMNS
from relais.followup.forms import (
    CancelForm,
    ContactForm,
    CrisisForm,
    NeighbourhoodForm,
    PolicyForm,
    VulnerableForm,
)
from relais.followup.models import CrisisSource, Priority, TaskKind
from relais.followup.rules import local_day


def _queue_name(request: HttpRequest) -> str:
    """The queue asked for; by default her own, or her team's when she has none of her own."""
    queue = request.GET.get("queue", "")
    if queue in selectors.QUEUES:
        return queue
    return "mine" if selectors.has_own_tasks(actor=actor_from(request)) else "team"


def _page(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdigit() else 1


def _menu(request: HttpRequest) -> dict:
    actor = actor_from(request)
    return {"may_coordinate": followup_policy.may_coordinate(actor),
            "may_set_policy": followup_policy.may_set_policy(actor),
            "may_see_indicator": followup_policy.may_see_indicator(actor)}


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    page = selectors.task_queue(actor=actor_from(request), queue=_queue_name(request),
                                page=_page(request))
    return render(request, "followup/queue.html", {
        **_menu(request), "page": page, "queue": page.queue, "now": timezone.now(),
        "urgent": Priority.HIGH, "columns": QUEUE_COLUMNS,
        "export_links": export_links("followup:queue_export", query={"queue": page.queue})})


@login_required
@require_GET
def queue_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """Every open task of the queue, in CSV or XLSX (audited, streamed)."""
    actor = actor_from(request)
    queue = _queue_name(request)
    return export_response(actor=actor, fmt=fmt, name="follow-up", title=_("Follow-up"),
                           columns=QUEUE_COLUMNS,
                           rows=selectors.task_queue_rows(actor=actor, queue=queue),
                           filters={"queue": queue})


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    try:
        day = date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        day = local_day(timezone.now())
    week = selectors.task_calendar(actor=actor_from(request), queue=_queue_name(request),
                                   day=day)
    return render(request, "followup/calendar.html", {
        **_menu(request), "week": week, "queue": _queue_name(request),
        "today": local_day(timezone.now()), "now": timezone.now()})


@require_safe
@login_required
def today(request: HttpRequest) -> HttpResponse:
    """The zone's day: the deadlines due by tonight (overdue first) above the open cases. The
    intervention officer lands here (relais.access.landing)."""
    actor = actor_from(request)
    return render(request, "followup/today.html", {
        "page": selectors.tasks_due_today(actor=actor),
        "cases": case_list(actor=actor, status="open"),
        "can_open": may_open_case(actor), "now": timezone.now(), "urgent": Priority.HIGH})


@login_required
@require_http_methods(["GET", "POST"])
def task_detail(request: HttpRequest, task_id: int) -> HttpResponse:
    actor = actor_from(request)
    view = selectors.task_get(actor=actor, task_id=task_id)
    task = view.task
    form = bound_form(request, ContactForm, contact=task.is_contact,
                      checklist=bool(task.checklist),
                      plan_action=task.kind == TaskKind.CONSULTATION_ACTION,
                      child_check=task.kind == TaskKind.CHILD_CHECK,
                      initial={"version": services.task_version(task)})

    def do(data: dict) -> str:
        result = services.task_record_contact(
            actor=actor, task_id=task_id, could_speak_freely=data.get("could_speak_freely", ""),
            outcome=data.get("outcome") or "", note=data["note"],
            reschedule_to=data["reschedule_to"], checklist=data.get("checklist"),
            all_fine=data.get("all_fine", False), version=data.get("version") or None)
        due = timezone.localtime(result.task.due_at).strftime("%d/%m/%Y %H:%M")
        if result.rescheduled:
            messages.success(request, _("Not closed: the task is rescheduled to %(due)s.")
                             % {"due": due})
        else:
            messages.success(request, _("The task is closed."))
        if result.further is not None:
            messages.warning(request, _(
                "On a high-risk case, \"everything is fine\" may be said under pressure: a "
                "further contact is planned on %(due)s.") % {
                "due": timezone.localtime(result.further.due_at).strftime("%d/%m/%Y")})
        return reverse("followup:task", args=[task_id])

    if task.is_open:
        response = submit_form(request, form, do)
        if response is not None:
            return response
    elif request.method == "POST":
        message = " ".join(services.closed_error(task).messages)
        typed = request.POST.get("note", "").strip()
        if typed:
            message += " " + _("Your note was not saved: %(note)s") % {"note": typed}
        messages.error(request, message)
        return redirect("followup:task", task_id)
    return render(request, "followup/task.html", {
        "view": view, "task": task, "form": form, "cancel_form": CancelForm(),
        "high_risk": task.priority >= Priority.HIGH,
        "child_check": child_reflex.child_check_view(actor=actor, view=view)})


@login_required
@require_POST
def task_take(request: HttpRequest, task_id: int) -> HttpResponse:
    actor = actor_from(request)
    return act(request, lambda: services.task_take(actor=actor, task_id=task_id),
               success=_("The task is in your queue."),
               then=reverse("followup:task", args=[task_id]))


@login_required
@require_POST
def task_cancel(request: HttpRequest, task_id: int) -> HttpResponse:
    actor = actor_from(request)
    form = CancelForm(request.POST)
    reason = form.data.get("reason", "") if not form.is_valid() else form.cleaned_data["reason"]
    return act(request, lambda: services.task_cancel(actor=actor, task_id=task_id,
                                                     reason=reason),
               success=_("The task is cancelled."),
               then=reverse("followup:task", args=[task_id]))


def _crisis_form(request: HttpRequest) -> tuple[str, CrisisForm | VulnerableForm]:
    """The households asked for (recent victims, or the most vulnerable) and their form."""
    data = request.POST or request.GET or None
    if (request.POST or request.GET).get("source") == CrisisSource.VULNERABLE:
        return CrisisSource.VULNERABLE, VulnerableForm(data)
    return CrisisSource.RECENT, CrisisForm(data)


@login_required
@require_http_methods(["GET", "POST"])
def crisis_view(request: HttpRequest) -> HttpResponse:
    """Preview (GET with months, or with the vulnerable households' settings), create (POST),
    the batches made, each undoable, and the child reflex."""
    actor = actor_from(request)
    if not followup_policy.may_coordinate(actor):
        raise Http404
    source, form = _crisis_form(request)
    plan = None
    if form.is_bound and form.is_valid():
        params = {"source": source, **form.cleaned_data}
        if request.method == "POST":
            try:
                job = crisis.crisis_start(actor=actor, **params)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                return redirect("core:job", job_id=job.pk)
        plan = crisis.crisis_preview(actor=actor, **params)
    may_start = crisis_policy.may_start_child_reflex(actor, [actor.agency_id])
    return render(request, "followup/crisis.html", {
        **_menu(request), "form": form, "source": source, "plan": plan,
        "recent_form": form if source == CrisisSource.RECENT else CrisisForm(),
        "vulnerable_form": form if source == CrisisSource.VULNERABLE else VulnerableForm(),
        "batches": crisis.crisis_batches(actor=actor),
        "may_start_child_reflex": may_start,
        "child_reflex_starts": child_reflex.child_reflex_starts(actor=actor) if may_start
        else []})


@login_required
def vulnerable_view(request: HttpRequest) -> HttpResponse:
    """The most vulnerable households, ranked, with why; they feed the crisis re-contact."""
    actor = actor_from(request)
    if not crisis_policy.may_list_vulnerable(actor):
        raise Http404
    form = VulnerableForm(request.GET or None)
    settings = form.cleaned_data if form.is_valid() else {
        "no_contact_days": vulnerable.DEFAULT_NO_CONTACT_DAYS, "limit": vulnerable.DEFAULT_LIMIT}
    result = vulnerable.vulnerable_households(actor=actor, **settings)
    return render(request, "followup/vulnerable.html", {
        **_menu(request), "form": form, "result": result, "settings": settings})


@login_required
@require_POST
def child_reflex_start(request: HttpRequest) -> HttpResponse:
    """The button "Schools are closed: start the child reflex", for the actor's zone."""
    actor = actor_from(request)
    if not crisis_policy.may_start_child_reflex(actor, [actor.agency_id]):
        raise Http404

    def start() -> None:
        started = child_reflex.child_reflex_start(
            actor=actor, agency_ids=[actor.agency_id],
            key=child_reflex.schools_closed_key(actor=actor), trigger="schools_closed")
        messages.info(request, _("%(count)d child checks in all for this start.")
                      % {"count": started.task_count})

    return act(request, start, success=_("The child reflex is started."),
               then=reverse("followup:crisis"))


@login_required
@require_POST
def crisis_undo(request: HttpRequest, batch_id: int) -> HttpResponse:
    actor = actor_from(request)

    def undo() -> None:
        count = crisis.crisis_undo(actor=actor, batch_id=batch_id)
        messages.info(request, _("%(count)d open tasks were cancelled; tasks already done are "
                                 "kept.") % {"count": count})

    return act(request, undo, success=_("The crisis re-contact is undone."),
               then=reverse("followup:crisis"))


@login_required
@require_http_methods(["GET", "POST"])
def policy(request: HttpRequest) -> HttpResponse:
    actor = actor_from(request)
    if not followup_policy.may_set_policy(actor):
        raise Http404
    current = services.policy_for(actor.agency)
    form = bound_form(request, PolicyForm, agency=actor.agency, instance=current,
                      initial={"version": services.policy_version(current)})

    def do(data: dict) -> str:
        services.policy_update(actor=actor, **{**data, "version": data["version"] or None})
        messages.success(request, _("The follow-up policy is saved. Tasks made from now on "
                                    "follow it."))
        return reverse("followup:policy")

    response = submit_form(request, form, do)
    if response is not None:
        return response
    return render(request, "followup/policy.html", {
        **_menu(request), "form": form, "policy": current,
        "neighbourhoods": selectors.neighbourhood_list(actor=actor),
        "neighbourhood_form": NeighbourhoodForm(agency=actor.agency)})


@login_required
@require_http_methods(["GET", "POST"])
def neighbourhood(request: HttpRequest, neighbourhood_id: int | None = None) -> HttpResponse:
    actor = actor_from(request)
    if not followup_policy.may_set_policy(actor):
        raise Http404
    instance = None
    if neighbourhood_id is not None:
        instance = selectors.neighbourhood_get(actor=actor, neighbourhood_id=neighbourhood_id)
    initial = {"name": instance.name, "postcodes": ", ".join(instance.postcodes),
               "eva_officer": instance.eva_officer_id,
               "neighbourhood_officer": instance.neighbourhood_officer_id,
               "version": services.neighbourhood_version(instance)} if instance else {}
    form = bound_form(request, NeighbourhoodForm, agency=actor.agency, initial=initial)

    def do(data: dict) -> str:
        services.neighbourhood_save(
            actor=actor, neighbourhood_id=neighbourhood_id, name=data["name"],
            postcodes=data["postcodes"],
            eva_officer_id=data["eva_officer"].pk if data["eva_officer"] else None,
            neighbourhood_officer_id=data["neighbourhood_officer"].pk
            if data["neighbourhood_officer"] else None, version=data["version"] or None)
        messages.success(request, _("The neighbourhood is saved."))
        return reverse("followup:policy")

    response = submit_form(request, form, do)
    if response is not None:
        return response
    return render(request, "followup/neighbourhood.html", {"form": form, "instance": instance})


@login_required
def indicator(request: HttpRequest) -> HttpResponse:
    result = selectors.first_contact_indicator(actor=actor_from(request))
    return render(request, "followup/indicator.html", {**_menu(request), "indicator": result})
