"""Screens of the directory: search with a map, an entry, keeping it current, import and
export, printed materials, and the public service finder (no sign-in)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from relais.access.directory import is_directory_editor, may_edit, may_make_poster
from relais.accounts.models import Agency, UnitKind
from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.core.actor import Actor, actor_from
from relais.core.drafts import draft_discard
from relais.core.models import Job
from relais.core.pdf import pdf_response, qr_data_uri, render_pdf
from relais.core.public import PUBLIC_LANGUAGES, public_headers, public_language
from relais.core.versions import EditConflict
from relais.core.views import act, apply_errors, bound_form, show_conflict, submit_form, take_theirs
from relais.directory import selectors, services, transfer
from relais.directory.forms import (
    CapacityForm,
    ImportForm,
    PublicSearchForm,
    SearchForm,
    ServiceForm,
)
from relais.directory.hours import week_rows
from relais.directory.models import ServiceType
from relais.directory.places import place_for_municipality, province_around
from relais.directory.selectors import Match, SearchQuery, ServiceView, view_for
from relais.intake import documents


def map_points(views: list[ServiceView]) -> list[dict[str, Any]]:
    """Markers for the map: only services with a public location (never a confidential one)."""
    points = []
    for view in views:
        location = view.location
        if location is not None:
            points.append({"lat": location[0], "lng": location[1], "name": view.service.name,
                           "url": reverse("directory:detail", args=[view.service.pk])})
    return points


def _results(matches: list[Match], actor: Actor | None) -> list[tuple[Match, ServiceView]]:
    return [(match, view_for(match.service, actor)) for match in matches]


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """Staff search: by place, need, language, group, open now, eligibility and capacity."""
    actor = actor_from(request)
    form = SearchForm(request.GET or None)
    results: list[tuple[Match, ServiceView]] = []
    if form.is_bound and form.is_valid():
        results = _results(selectors.service_search(query=form.query()), actor)
    return render(request, "directory/search.html", {
        "form": form, "results": results, "searched": form.is_bound,
        "points": map_points([view for _m, view in results]),
        "can_import": is_directory_editor(actor),
        "my_entries": selectors.keeps_entries(actor=actor),
    })


@login_required
def detail(request: HttpRequest, service_id: int) -> HttpResponse:
    actor = actor_from(request)
    view = selectors.service_get(actor=actor, service_id=service_id)
    form = CapacityForm(initial=CapacityForm.initial_for(view.service))
    return render(request, "directory/detail.html", _detail_context(request, view, form))


def _detail_context(request: HttpRequest, view: ServiceView,
                    capacity_form: CapacityForm) -> dict[str, Any]:
    actor = actor_from(request)
    return {
        "view": view, "service": view.service, "week": week_rows(view.service),
        "exceptions": [e for e in view.service.exceptions.all()
                       if e.day >= timezone.localdate()],
        "can_edit": may_edit(actor, view.service), "capacity_form": capacity_form,
        "points": map_points([view]),
        "labels": selectors.service_labels(view.service, request.LANGUAGE_CODE),
    }


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, service_id: int | None = None) -> HttpResponse:
    actor = actor_from(request)
    editor = is_directory_editor(actor)
    service = None
    initial: dict[str, Any] = {}
    if service_id is not None:
        view = selectors.service_get(actor=actor, service_id=service_id)
        if not may_edit(actor, view.service):
            raise Http404
        service = view.service
        initial = ServiceForm.initial_for(service, keeper=view.keeper)
    elif not editor:
        raise Http404
    form = bound_form(request, ServiceForm, editor=editor, initial=initial)

    def do(data: dict[str, Any]) -> str:
        fields = form.service_fields()
        if service is not None:
            fields.pop("code", None)
        saved = services.service_save(
            actor=actor, service_id=service_id, fields=fields, hours=data["hours"],
            exceptions=data["exceptions"], areas=data["areas"],
            agency_id=data["agency"].pk if data.get("agency") else None,
            version=data.get("version") or None if service is not None else None)
        messages.success(request, _("The entry is saved."))
        return reverse("directory:detail", args=[saved.pk])

    return submit_form(request, form, do) or render(request, "directory/edit.html", {
        "form": form, "service": service})


@login_required
@require_POST
def capacity(request: HttpRequest, service_id: int) -> HttpResponse:
    actor = actor_from(request)
    form = CapacityForm(request.POST)
    then = request.POST.get("then") == "mine"
    target = reverse("directory:mine") if then else reverse("directory:detail", args=[service_id])
    if theirs := take_theirs(
            request, page=reverse("directory:detail", args=[service_id]) + "#capacity"):
        return theirs
    conflicted = False
    if form.is_valid():
        try:
            services.capacity_update(actor=actor, service_id=service_id, **{
                **form.cleaned_data, "version": form.cleaned_data["version"] or None})
            draft_discard(request)
            messages.success(request, _("Capacity and status are updated."))
            return redirect(target)
        except ValidationError as error:
            apply_errors(form, error)
        except EditConflict as conflict:
            show_conflict(request, form, conflict)  # her numbers kept, as her draft too
            conflicted = True
    view = selectors.service_get(actor=actor, service_id=service_id)
    if not may_edit(actor, view.service):
        raise Http404
    if conflicted:
        return render(request, "directory/detail.html", _detail_context(request, view, form))
    messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return render(request, "directory/detail.html", _detail_context(request, view, form),
                  status=400)


@login_required
@require_POST
def confirm(request: HttpRequest, service_id: int) -> HttpResponse:
    return act(request, lambda: services.service_confirm(actor=actor_from(request),
                                                         service_id=service_id),
               success=_("Thank you: the entry is marked as checked today."),
               then=reverse("directory:mine"))


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The entries the user keeps current: her agency's (all of them for an editor)."""
    actor = actor_from(request)
    kept = selectors.kept_services(actor=actor)
    stale_ids = {s.pk for s in selectors.stale_services(actor=actor)}
    rows = [(view_for(s, actor), s.pk in stale_ids,
             CapacityForm(initial=CapacityForm.initial_for(s), prefix=f"s{s.pk}")) for s in kept]
    return render(request, "directory/mine.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def import_view(request: HttpRequest) -> HttpResponse:
    actor = actor_from(request)
    if not is_directory_editor(actor):
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if "check" in request.POST:
                report = transfer.directory_import(actor=actor, data=upload.read(),
                                                   filename=upload.name, dry_run=True)
            else:  # imported out of the request: its page shows the progress
                started = transfer.directory_import_start(
                    actor=actor, data=upload.read(), filename=upload.name,
                    valid_only=form.cleaned_data["valid_only"])
                if isinstance(started, Job):
                    return redirect("core:job", job_id=started.pk)
                report = started
        except transfer.TransferError as error:
            form.add_error("file", str(error))
    return render(request, "directory/import.html", {"form": form, "report": report,
                                                     "columns": transfer.COLUMNS})


@login_required
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    actor = actor_from(request)
    if fmt not in {"csv", "xlsx"}:
        raise Http404
    if not is_directory_editor(actor):
        raise Http404
    with transaction.atomic():
        rows = transfer.export_rows(actor=actor)
        audit_record(actor=actor, action=Action.READ,
                     basis=f"export directory {fmt}: {len(rows) - 1} entries")
    stamp = timezone.localdate().isoformat()
    if fmt == "xlsx":
        response = HttpResponse(transfer.to_xlsx(rows), content_type=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    else:
        response = HttpResponse(transfer.to_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="relais-directory-{stamp}.{fmt}"'
    return response


def _document_language(request: HttpRequest) -> str:
    current = (request.LANGUAGE_CODE or "fr")[:2]
    return documents.document_language(request.GET.get("lang"), current)


@login_required
def leaflet(request: HttpRequest, refnis: str) -> HttpResponse:
    """The professionals' leaflet "What to do in the event of domestic violence" for one
    municipality: local services with their contact persons, and the helplines."""
    actor = actor_from(request)
    language = _document_language(request)
    place = place_for_municipality(refnis)
    if not place.known:
        raise Http404
    with translation.override(language):
        matches = selectors.service_search(query=SearchQuery(place=place), limit=40)
    by_type: dict[str, list[ServiceView]] = {}
    for match in matches:
        if match.service.type == ServiceType.HELPLINE:
            continue
        by_type.setdefault(match.service.type, []).append(view_for(match.service, actor))
    with translation.override(language):
        groups = [(selectors.type_label(t), views) for t, views in by_type.items()]
        label = place.label(language)
    pdf = render_pdf("directory/documents/leaflet.html", {
        "place": label, "groups": groups,
        "printed_at": timezone.localtime(), "finder_url": documents.public_finder_url(),
    }, language=language)
    return pdf_response(pdf, f"relais-leaflet-{refnis}-{language}.pdf")


@login_required
def poster(request: HttpRequest) -> HttpResponse:
    """A poster with a QR code that calls the zone's victim-assistance service or EVA unit."""
    actor = actor_from(request)
    agency: Agency | None = actor.agency
    if not may_make_poster(actor):
        raise Http404
    kind = request.GET.get("unit", UnitKind.VICTIM_ASSISTANCE)
    unit = selectors.poster_unit(agency=agency, kind=kind)
    phone = unit.phone if unit else agency.phone
    if not phone:
        messages.error(request, _("Record the unit's phone number first."))
        return redirect("directory:search")
    language = _document_language(request)
    number = "".join(c for c in phone if c.isdigit() or c == "+")
    finder = documents.public_finder_url()
    pdf = render_pdf("directory/documents/poster.html", {
        "zone": agency, "unit": unit, "phone": phone, "qr": qr_data_uri(f"tel:{number}"),
        "finder_url": finder, "qr_finder": qr_data_uri(finder),
    }, language=language)
    return pdf_response(pdf, f"relais-poster-{agency.code}-{language}.pdf")


# --- The public service finder ----------------------------------------------------------------

# The lines the finder shows before any search: real public numbers (their entries and sources
# are in relais/directory/reference.py). The lines in the page's language come first.
PUBLIC_LINES = (
    ("0800 30 030", "080030030", "fr", gettext_lazy(
        "Domestic violence helpline, in French. Free, anonymous, 24 hours a day, 7 days a "
        "week. For victims, relatives and professionals.")),
    ("1712", "1712", "nl", gettext_lazy(
        "Helpline for violence and abuse, in Dutch. Free and anonymous.")),
    ("108", "108", "de", gettext_lazy(
        "Telefonhilfe Ostbelgien: someone to talk to, in German, about any worry, violence at "
        "home included. Free, anonymous, 24 hours a day.")),
)


def public_lines(language: str) -> list[tuple[str, str, str, str]]:
    """The helplines, those in ``language`` first."""
    return sorted(PUBLIC_LINES, key=lambda line: line[2] != language)


def _public_search(form: PublicSearchForm, language: str) -> tuple[list[Match], bool]:
    """A victim's search around her place; when no service serves it, the services of her
    province instead (``True``: the results are not near her)."""
    place = form.cleaned_data["where"]
    query = SearchQuery(place=place, need=form.cleaned_data.get("need") or "",
                        public_only=True, for_victims=True, prefer_languages=(language,),
                        # The helplines are already listed first, above the search.
                        exclude_types=(ServiceType.HELPLINE,))
    matches = selectors.service_search(query=query, limit=30)
    if matches or not place.known:
        return matches, False
    wider = replace(query, place=province_around(place))
    return selectors.service_search(query=wider, limit=30), True


@csrf_exempt  # a search changes nothing; a CSRF cookie would be one cookie too many
@require_http_methods(["GET", "POST"])
def public(request: HttpRequest, language: str | None = None) -> HttpResponse:
    """The public finder at /help/: helplines first, then the services around a postcode.

    The search is posted (and, with JavaScript, swapped into the page) so that neither the
    address bar, the history nor the server's access log shows what was looked for. A
    victim's search puts specialised help for victims first and shows perpetrator services
    only when she asks for them.
    """
    code = public_language(request, language)
    with translation.override(code):
        form = PublicSearchForm(request.POST or None)
        results: list[tuple[Match, ServiceView, str]] = []
        farther = False
        if form.is_bound and form.is_valid():
            matches, farther = _public_search(form, code)
            results = [(m, v, m.service.description(code)) for m, v in _results(matches, None)]
        context = {
            "form": form, "results": results, "searched": form.is_bound, "farther": farther,
            "lines": public_lines(code),
            "language": code, "languages": [(c, n) for c, n in
                                            settings.RELAIS_LANGUAGE_NAMES
                                            if c in PUBLIC_LANGUAGES],
            "quick_exit_url": settings.RELAIS_QUICK_EXIT_URL,
            "LANGUAGE_CODE": code,
        }
        template = ("directory/public/_results.html" if request.htmx
                    else "directory/public/finder.html")
        response = render(request, template, context)
    return public_headers(response, code)


@login_required
@require_http_methods(["GET"])
def history(request: HttpRequest, service_id: int) -> HttpResponse:
    """What changed in the entry, by whom and when (whoever may edit it)."""
    page = selectors.service_history(actor=actor_from(request), service_id=service_id)
    return render(request, "core/history.html", {"page": page})
