"""Screens of the protective measures: the list, the residence-ban order and page (notice,
service, extension, lifting, breaches, his accommodation), detention and release."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from relais.access.measures import may_detain, may_order, measures_access
from relais.access.scopes import Scope
from relais.core.actor import actor_from
from relais.core.confirm import confirm_page
from relais.core.exports import export_links, export_response
from relais.core.pdf import pdf_response
from relais.core.views import act, bound_form, submit_form
from relais.measures import documents, selectors, services
from relais.measures.columns import BAN_COLUMNS, DETENTION_COLUMNS, TABLES
from relais.measures.forms import (
    BanOrderForm,
    BreachForm,
    DetentionForm,
    ExtendForm,
    LiftForm,
    ReleaseForm,
    StayForm,
)
from relais.measures.rules import ban_rules


@login_required
def measures_list(request: HttpRequest) -> HttpResponse:
    page = selectors.measures_list(actor=actor_from(request))
    return render(request, "measures/list.html", {
        "page": page, "ban_columns": BAN_COLUMNS, "detention_columns": DETENTION_COLUMNS,
        "ban_exports": export_links("measures:list_export", query={"table": "bans"}),
        "detention_exports": export_links("measures:list_export",
                                          query={"table": "detentions"})})


@login_required
@require_GET
def measures_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """One table of the list (``?table=bans`` or ``detentions``), in CSV or XLSX (audited).
    The list is short (at most ``selectors.LIST_LIMIT`` of each): it is read as on screen."""
    actor = actor_from(request)
    table = request.GET.get("table", "bans")
    if table not in TABLES:
        raise Http404
    page = selectors.measures_list(actor=actor)
    return export_response(
        actor=actor, fmt=fmt, name=f"measures-{table}", title=_("Protective measures"),
        columns=TABLES[table], rows=page.bans if table == "bans" else page.detentions,
        filters={"table": table}, scopes=[Scope.JUDICIAL])


# --- Residence ban ------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def ban_new(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = actor_from(request)
    measures_access(actor=actor, case_id=case_id)
    if not may_order(actor):
        raise Http404
    choices = selectors.order_choices(actor=actor, case_id=case_id)
    form = bound_form(request, BanOrderForm, choices=choices)

    def do(data: dict) -> str:
        result = services.ban_order(actor=actor, case_id=case_id, **form.arguments())
        messages.success(request, _(
            "The residence ban is ordered. %(zone)s is asked to serve the notice now.") % {
            "zone": result.serving_zone.name})
        if result.house_of_justice is not None:
            messages.info(request, _("%(house)s monitors it; the case is opened to it with the "
                                     "judicial scope only.") % {
                "house": result.house_of_justice.name})
        else:
            messages.warning(request, _("No house of justice of your district uses Relais: "
                                        "arrange the monitoring by phone."))
        return reverse("measures:ban", args=[result.ban.pk])

    response = submit_form(request, form, do)
    if response is not None:
        return response
    return render(request, "measures/ban_new.html", {
        "form": form, "choices": choices, "case": choices.access.case, "rules": ban_rules(),
        "law": ban_rules().law_in(request.LANGUAGE_CODE),
        "directory_url": selectors.accommodation_search_url(choices.access.case.municipality)})


def _ban_page(request: HttpRequest, ban_id: int, **forms) -> HttpResponse:
    view = selectors.ban_get(actor=actor_from(request), ban_id=ban_id)
    context = {"view": view, "ban": view.ban, "case": view.ban.case,
               "notice_languages": documents.NOTICE_LANGUAGES,
               "stay_form": StayForm(initial={
                   "perpetrator_stays_at": view.ban.perpetrator_stays_at}),
               "lift_form": LiftForm()}
    context.update(forms)
    return render(request, "measures/ban.html", context)


@login_required
def ban_detail(request: HttpRequest, ban_id: int) -> HttpResponse:
    return _ban_page(request, ban_id)


@login_required
def ban_notice(request: HttpRequest, ban_id: int) -> HttpResponse:
    """The notice for him, in the language asked for (FR, NL or DE)."""
    language = documents.notice_language(request.GET.get("lang"))
    pdf, filename = documents.notice_render(actor=actor_from(request), ban_id=ban_id,
                                            language=language)
    return pdf_response(pdf, filename)


@login_required
@require_POST
def ban_serve(request: HttpRequest, ban_id: int) -> HttpResponse:
    actor = actor_from(request)
    return act(request, lambda: services.ban_serve(actor=actor, ban_id=ban_id),
               success=_("The notice is recorded as served."),
               then=reverse("measures:ban", args=[ban_id]))


@login_required
@require_POST
def ban_lift(request: HttpRequest, ban_id: int) -> HttpResponse:
    actor = actor_from(request)
    if selectors.ban_get(actor=actor, ban_id=ban_id).may_change:
        page = confirm_page(
            request, title=_("Lift the residence ban?"),
            warning=_("The ban ends now, before its term: he may go back to the home, and its "
                      "open tasks are cancelled. A lifted ban is not restored; a new one must "
                      "be ordered."),
            button=_("Yes, lift the ban"), back=reverse("measures:ban", args=[ban_id]))
        if page:
            return page
    reason = request.POST.get("reason", "")
    return act(request, lambda: services.ban_lift(actor=actor, ban_id=ban_id, reason=reason),
               success=_("The residence ban is lifted; its open tasks are cancelled."),
               then=reverse("measures:ban", args=[ban_id]))


@login_required
@require_POST
def ban_stay(request: HttpRequest, ban_id: int) -> HttpResponse:
    actor = actor_from(request)
    stays_at = request.POST.get("perpetrator_stays_at", "")
    return act(request, lambda: services.ban_set_stay(actor=actor, ban_id=ban_id,
                                                      perpetrator_stays_at=stays_at),
               success=_("Where he stays is noted."),
               then=reverse("measures:ban", args=[ban_id]))


@login_required
@require_http_methods(["GET", "POST"])
def ban_extend(request: HttpRequest, ban_id: int) -> HttpResponse:
    actor = actor_from(request)
    view = selectors.ban_get(actor=actor, ban_id=ban_id)
    if not view.may_change:
        raise Http404
    form = bound_form(request, ExtendForm)

    def do(data: dict) -> str:
        extension = services.ban_extend(actor=actor, ban_id=ban_id, **data)
        messages.success(request, _("The extension is recorded: the ban now ends on %(end)s.")
                         % {"end": services.when(extension.new_ends_at)})
        return reverse("measures:ban", args=[ban_id])

    response = submit_form(request, form, do)
    if response is not None:
        return response
    return render(request, "measures/ban_form.html", {
        "view": view, "ban": view.ban, "form": form, "title": _("Record an extension"),
        "rules": ban_rules()})


@login_required
@require_http_methods(["GET", "POST"])
def ban_breach(request: HttpRequest, ban_id: int) -> HttpResponse:
    actor = actor_from(request)
    view = selectors.ban_get(actor=actor, ban_id=ban_id)
    if not view.may_breach:
        raise Http404
    form = bound_form(request, BreachForm)

    def do(data: dict) -> str:
        services.breach_record(actor=actor, ban_id=ban_id, **data)
        messages.success(request, _("The breach is recorded; the prosecutor's office is "
                                    "notified."))
        return reverse("measures:ban", args=[ban_id])

    response = submit_form(request, form, do)
    if response is not None:
        return response
    return render(request, "measures/ban_form.html", {
        "view": view, "ban": view.ban, "form": form, "title": _("Record a breach")})


# --- Detention and release ---------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def detention_new(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = actor_from(request)
    access, people = selectors.detention_choices(actor=actor, case_id=case_id)
    if not may_detain(actor):
        raise Http404  # the house of justice reads detentions, it does not record them
    form = bound_form(request, DetentionForm, people=people)

    def do(data: dict) -> str:
        detention = services.detention_record(actor=actor, case_id=case_id,
                                              **form.arguments())
        messages.success(request, _("The detention is recorded."))
        return reverse("measures:detention", args=[detention.pk])

    response = submit_form(request, form, do)
    if response is not None:
        return response
    return render(request, "measures/detention_new.html", {"form": form, "case": access.case})


@login_required
@require_http_methods(["GET", "POST"])
def detention_detail(request: HttpRequest, detention_id: int) -> HttpResponse:
    """The detention, and the form that records the release."""
    actor = actor_from(request)
    view = selectors.detention_get(actor=actor, detention_id=detention_id)
    form = bound_form(request, ReleaseForm,
                      initial={"conditions": view.detention.conditions,
                               "conditions_note": view.detention.conditions_note})
    if request.method == "POST":
        if not view.may_release:
            raise Http404

        def do(data: dict) -> str:
            result = services.release_record(actor=actor, detention_id=detention_id, **data)
            zones = sorted({w.zone.name for w in result.warnings
                            if w.zone is not None and not w.discreet})
            if any(w.discreet for w in result.warnings):
                zones.append(_("the police zone where she lives"))
            if zones:
                messages.success(request, _(
                    "The release is recorded. %(zones)s is warned now and asked to warn the "
                    "victim today.") % {"zones": ", ".join(zones)})
            if result.unwarned or not result.warnings:
                messages.warning(request, _(
                    "No police zone in Relais covers where the victim lives: warn her zone by "
                    "phone now."))
            return reverse("measures:detention", args=[detention_id])

        response = submit_form(request, form, do)
        if response is not None:
            return response
    return render(request, "measures/detention.html", {
        "view": view, "detention": view.detention, "case": view.detention.case, "form": form})


@login_required
@require_GET
def ban_history(request: HttpRequest, ban_id: int) -> HttpResponse:
    """What changed in the ban, by whom and when."""
    page = selectors.ban_history(actor=actor_from(request), ban_id=ban_id)
    return render(request, "core/history.html", {"page": page})


@login_required
@require_GET
def detention_history(request: HttpRequest, detention_id: int) -> HttpResponse:
    """What changed in the detention and its release, by whom and when."""
    page = selectors.detention_history(actor=actor_from(request), detention_id=detention_id)
    return render(request, "core/history.html", {"page": page})
