"""Screens of the femicide register: the list, a new record, a record with its contacts and
review, the annual figures. The policy decides (relais.access.femicide); refusals are 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from relais.access import femicide as policy
from relais.accounts.models import User
from relais.core.actor import actor_from
from relais.core.drafts import draft_discard
from relais.core.versions import EditConflict
from relais.core.views import bound_form, show_conflict, submit_form, take_theirs
from relais.femicide import selectors, services
from relais.femicide.figures import femicide_tables
from relais.femicide.forms import ContactForm, RecordForm, ReviewersForm, ReviewForm
from relais.femicide.models import Method, Relation, Review
from relais.figures import exports
from relais.figures.tables import Panel


@login_required
def record_list(request: HttpRequest) -> HttpResponse:
    return render(request, "femicide/list.html",
                  {"records": selectors.record_list(actor=actor_from(request))})


@login_required
@require_http_methods(["GET", "POST"])
def record_new(request: HttpRequest) -> HttpResponse:
    actor = actor_from(request)
    if not policy.keeps_register(actor):
        raise Http404
    form = bound_form(request, RecordForm)

    def do(data: dict) -> str:
        record = services.record_create(actor=actor, **data)
        messages.success(request, _("Recorded. Name the reviewers to start its review."))
        return reverse("femicide:record", args=[record.pk])

    response = submit_form(request, form, do)
    if response is not None:
        return response
    return render(request, "femicide/new.html", {"form": form})


def _people() -> list[tuple[int, str]]:
    """Who may be named a reviewer: any active professional (partners of other agencies)."""
    return [(u.pk, f"{u.get_full_name() or u.username} · {u.agency.name if u.agency else ''}")
            for u in User.objects.filter(is_active=True, agency__isnull=False)
            .select_related("agency").order_by("agency__name", "last_name")]


@login_required
@require_http_methods(["GET", "POST"])
def record_detail(request: HttpRequest, record_id: int) -> HttpResponse:
    actor = actor_from(request)
    data = selectors.record_get(actor=actor, record_id=record_id)
    form = bound_form(request, ReviewForm, initial=_review_initial(data["review"]))

    def do(values: dict) -> str:
        services.review_save(actor=actor, record_id=record_id, known=values["known"],
                             missed=values["missed"], changes=values["changes"],
                             close="_close" in request.POST, version=values["version"] or None)
        messages.success(request, _("The review is saved."))
        return reverse("femicide:record", args=[record_id])

    response = submit_form(request, form, do)
    if response is not None:
        return response
    return _record_page(request, data, form=form)


def _review_initial(review: Review | None) -> dict:
    """The review as saved, with its version (relais.core.versions)."""
    return {"known": review.known, "missed": review.missed, "changes": review.changes,
            "version": services.review_version(review)} if review else {}


def _record_page(request: HttpRequest, data: dict, *, form: ReviewForm | None = None,
                 reviewers_form: ReviewersForm | None = None) -> HttpResponse:
    review = data["review"]
    if reviewers_form is None and data["manages"]:
        reviewers_form = ReviewersForm(people=_people(), initial={
            "reviewers": [u.pk for u in review.reviewers.all()] if review else [],
            "version": services.reviewers_version(review)})
    return render(request, "femicide/record.html", {
        **data, "form": form or ReviewForm(initial=_review_initial(review)),
        "contact_form": ContactForm(),
        "reviewers_form": reviewers_form,
        "relations": dict(Relation.choices), "methods": dict(Method.choices)})


@login_required
@require_POST
def contact_add(request: HttpRequest, record_id: int) -> HttpResponse:
    actor = actor_from(request)
    if not selectors.record_get(actor=actor, record_id=record_id)["manages"]:
        raise Http404
    form = ContactForm(request.POST)

    def do(data: dict) -> str:
        services.contact_add(actor=actor, record_id=record_id, **data)
        messages.success(request, _("The contact is added."))
        return reverse("femicide:record", args=[record_id])

    response = submit_form(request, form, do)
    if response is not None:
        return response
    messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("femicide:record", record_id)


@login_required
@require_POST
def reviewers(request: HttpRequest, record_id: int) -> HttpResponse:
    """Name the reviewers, over the naming she read: named otherwise since, nothing is saved;
    the record's page shows both (hers kept as her draft) and she decides."""
    actor = actor_from(request)
    if theirs := take_theirs(request, page=reverse("femicide:record", args=[record_id])):
        return theirs
    ids = [int(v) for v in request.POST.getlist("reviewers") if v.isdigit()]
    try:
        services.reviewers_set(actor=actor, record_id=record_id, user_ids=ids,
                               version=request.POST.get("version") or None)
    except EditConflict as conflict:
        form = ReviewersForm(request.POST, people=_people())
        form.is_valid()
        show_conflict(request, form, conflict)
        return _record_page(request, selectors.record_get(actor=actor, record_id=record_id),
                            reviewers_form=form)
    draft_discard(request)
    messages.success(request, _("The reviewers are named."))
    return redirect("femicide:record", record_id)


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    years = selectors.annual_figures(actor=actor_from(request))
    return render(request, "femicide/figures.html", {
        "years": years, "relations": Relation.choices, "methods": Method.choices,
        "export_links": exports.export_links("femicide:figures_export")})


@login_required
@require_GET
def figures_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The annual figures as CSV, XLSX or PDF; same policy as the screen, audited as an
    export."""
    actor = actor_from(request)
    years = selectors.annual_figures(actor=actor)
    panels = [Panel(table=table) for table in femicide_tables(years)]
    return exports.export_response(
        actor=actor, panels=exports.panel_select(panels, request.GET.get("table")), fmt=fmt,
        title=f"{_('Femicide register')} · {_('Annual figures')}",
        subtitle=_("By year of the facts, for your office's district. Counts only."),
        basis="femicide register: annual figures")
