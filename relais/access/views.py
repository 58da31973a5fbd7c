"""Screens for sharing a case, consent, break-glass and the review of accesses."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from relais.access import forms, selectors, services
from relais.access.cases import owner_case_access
from relais.access.log import case_access_log, case_access_log_rows
from relais.access.log_columns import LOG_COLUMNS
from relais.core.actor import actor_from
from relais.core.confirm import confirm_page
from relais.core.exports import export_links, export_response
from relais.core.views import act, bound_form, submit_form


def _owned(request: HttpRequest, case_id: int):
    actor = actor_from(request)
    return actor, owner_case_access(actor=actor, case_id=case_id)


@login_required
@require_http_methods(["GET", "POST"])
def referral_share(request: HttpRequest, case_id: int) -> HttpResponse:
    actor, access = _owned(request, case_id)
    persons = selectors.consenting_persons(access=access)
    form = bound_form(request, forms.ReferralShareForm, persons=persons,
                                   agency_id=actor.agency_id)

    def do(data) -> str:
        services.referral_share_grant(
            actor=actor, case_id=case_id, person_id=int(data["person"]),
            recipient_agency_id=data["recipient_agency"].pk, scopes=data["scopes"],
            method=data["method"], purpose=data["purpose"])
        return reverse("cases:case_detail", args=[case_id])

    return submit_form(request, form, do) or render(request, "cases/form.html", {
        "form": form, "title": _("Share with consent"), "case": access.case,
        "allow_draft": True})


@login_required
@require_http_methods(["GET", "POST"])
def consultation(request: HttpRequest, case_id: int) -> HttpResponse:
    actor, access = _owned(request, case_id)
    form = bound_form(request, forms.ConsultationForm, agency_id=actor.agency_id)

    def do(data) -> str:
        services.consultation_open(
            actor=actor, case_id=case_id, agency_ids=[a.pk for a in data["agencies"]],
            purpose=data["purpose"], ends_at=data["ends_at"], scopes=data["scopes"])
        return reverse("cases:case_detail", args=[case_id])

    return submit_form(request, form, do) or render(request, "cases/form.html", {
        "form": form, "title": _("Open a case consultation (art. 458ter)"), "case": access.case,
        "allow_draft": True})


@login_required
@require_POST
def forward(request: HttpRequest, case_id: int) -> HttpResponse:
    services.forwarding_access(actor=actor_from(request), case_id=case_id)
    page = confirm_page(
        request, title=_("Forward the case to the prosecutor's office?"),
        warning=_("The prosecutor's office of the district will see the case's judicial "
                  "narrative from now on; a forwarding is not withdrawn."),
        button=_("Yes, forward the case"), back=reverse("cases:case_detail", args=[case_id]))
    if page:
        return page
    return act(request, lambda: services.case_forward_to_prosecutor(
        actor=actor_from(request), case_id=case_id),
        success=_("The case is forwarded to the prosecutor's office."),
        then=reverse("cases:case_detail", args=[case_id]))


@login_required
@require_POST
def consent_withdraw(request: HttpRequest, consent_id: int) -> HttpResponse:
    actor = actor_from(request)
    consent, _access = services.consent_for_withdrawal(actor=actor, consent_id=consent_id)
    page = confirm_page(
        request, title=_("Record the withdrawal of consent?"),
        warning=_("Every share resting on this consent ends now: %(agency)s no longer sees "
                  "what it opened. A new share needs a new consent.")
        % {"agency": consent.recipient_agency.name},
        button=_("Yes, record the withdrawal"),
        back=reverse("cases:case_detail", args=[consent.case_id]))
    if page:
        return page
    consent = services.consent_withdraw(actor=actor, consent_id=consent_id)
    messages.success(request, _("Consent withdrawn: the share has ended."))
    if consent.recipient_agency_id == actor.agency_id:
        return redirect("cases:my_cases")  # the case is no longer shared with her agency
    return redirect("cases:case_detail", consent.case_id)


@login_required
@require_http_methods(["GET", "POST"])
def share_end(request: HttpRequest, share_id: int) -> HttpResponse:
    actor = actor_from(request)
    case_id = selectors.share_case_id(share_id=share_id)
    _actor, access = _owned(request, case_id)
    form = forms.EndShareForm(request.POST or None)

    def do(data) -> str:
        services.share_end(actor=actor, share_id=share_id, reason=data["reason"])
        return reverse("cases:case_detail", args=[case_id])

    return submit_form(request, form, do) or render(request, "cases/form.html", {
        "form": form, "title": _("End this share"), "case": access.case})


@login_required
@require_http_methods(["GET", "POST"])
def break_glass(request: HttpRequest) -> HttpResponse:
    actor = actor_from(request)
    if not services.may_break_glass(actor):
        raise Http404
    form = forms.BreakGlassForm(request.POST or None)

    def do(data) -> str:
        share = services.break_glass_open(actor=actor, **data)
        return reverse("cases:case_detail", args=[share.case_id])

    return submit_form(request, form, do) or render(request, "access/break_glass.html",
                                                    {"form": form})


@login_required
def reviews(request: HttpRequest) -> HttpResponse:
    pending = services.break_glass_pending(actor=actor_from(request))
    return render(request, "access/reviews.html", {"pending": pending})


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, share_id: int) -> HttpResponse:
    actor = actor_from(request)
    pending = {s.pk: s for s in services.break_glass_pending(actor=actor)}
    share = pending.get(share_id)
    if share is None:
        raise Http404
    form = forms.ReviewForm(request.POST or None)

    def do(data) -> str:
        services.break_glass_review(actor=actor, share_id=share_id, **data)
        return reverse("access:reviews")

    return submit_form(request, form, do) or render(request, "access/review.html",
                                                    {"form": form, "share": share})


@login_required
def access_log(request: HttpRequest, case_id: int) -> HttpResponse:
    log = case_access_log(actor=actor_from(request), case_id=case_id)
    return render(request, "access/access_log.html", {
        "log": log, "case_id": case_id, "columns": LOG_COLUMNS,
        "export_links": export_links("access:access_log_export", args=[case_id])})


@login_required
@require_GET
def access_log_export(request: HttpRequest, case_id: int, fmt: str) -> HttpResponse:
    """Every event of the case's access log (not only the screen's newest 500), in CSV or
    XLSX: audited on the case, streamed."""
    actor = actor_from(request)
    rows = case_access_log_rows(actor=actor, case_id=case_id)
    return export_response(actor=actor, fmt=fmt, name="access-log", title=_("Access log"),
                           columns=LOG_COLUMNS, rows=rows, filters={"case": case_id},
                           case_id=case_id)
