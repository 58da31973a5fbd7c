"""The body's administration, for its coordinators (the protocol, the member agencies, the
referral criteria), and the body's figures for its coordinators and analysts. The views parse
input and call a service or selector; the policy decides, and every refusal is the same 404."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from relais.access import consultation as policy
from relais.consultation import figures as figures_of
from relais.consultation import selectors, services
from relais.consultation.forms_admin import (
    AGENDA_FIELD_LABELS,
    CriteriaForm,
    MemberForm,
    ProtocolForm,
    rules_changed,
    rules_in_words,
)
from relais.core.actor import Actor, actor_from
from relais.core.views import bound_form, submit_form
from relais.figures import exports
from relais.figures.tables import Panel


def _admin_page(request: HttpRequest, actor: Actor, body_id: int, *,
                protocol_form: ProtocolForm | None = None,
                member_form: MemberForm | None = None) -> HttpResponse:
    data = selectors.body_admin(actor=actor, body_id=body_id)
    body = data["body"]
    if member_form is None:  # "Change" on a member's row fills the form with it
        chosen = next((m for m in data["members"]
                       if str(m.pk) == request.GET.get("member", "")), None)
        member_form = MemberForm(initial={} if chosen is None else {
            "agency": chosen.agency_id, "representative": chosen.representative_id,
            "deputy": chosen.deputy_id, "version": services.member_version(chosen)})
    return render(request, "consultation/admin.html", {
        **data,
        "coordinates": True,
        "protocol_form": protocol_form or ProtocolForm(body=body),
        "member_form": member_form,
        "agenda_labels": [AGENDA_FIELD_LABELS[f] for f in body.agenda_fields
                          if f in AGENDA_FIELD_LABELS],
        "rules": rules_in_words(data["criteria"].rules).values(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def body_admin(request: HttpRequest, body_id: int) -> HttpResponse:
    """The protocol (reference, what the agenda shows, the coordinator) and the members."""
    actor = actor_from(request)
    body = selectors.body_admin(actor=actor, body_id=body_id)["body"]
    form = bound_form(request, ProtocolForm, body=body)

    def do(data: dict[str, Any]) -> str:
        services.body_update(actor=actor, body_id=body_id,
                             protocol_reference=data["protocol_reference"],
                             agenda_fields=data["agenda_fields"],
                             coordinator_id=data["coordinator"],
                             version=data["version"] or None)
        messages.success(request, _("The protocol is saved."))
        return reverse("consultation:body_admin", args=[body_id])

    response = submit_form(request, form, do)
    if response is not None:
        return response
    return _admin_page(request, actor, body_id, protocol_form=form)


@login_required
@require_POST
def member_save(request: HttpRequest, body_id: int) -> HttpResponse:
    """Add a member agency, or change its representative and deputy."""
    actor = actor_from(request)
    selectors.body_admin(actor=actor, body_id=body_id)  # 404 before reading the input
    form = MemberForm(request.POST)

    def do(data: dict[str, Any]) -> str:
        member = services.member_save(actor=actor, body_id=body_id, agency_id=data["agency"],
                                      representative_id=data["representative"],
                                      deputy_id=data["deputy"],
                                      version=data["version"] or None)
        messages.success(request, _("%(agency)s: the member is saved.")
                         % {"agency": member.agency.name})
        return reverse("consultation:body_admin", args=[body_id]) + "#members-h"

    response = submit_form(request, form, do, page=reverse(
        "consultation:body_admin", args=[body_id]) + "#members-h")
    if response is not None:
        return response
    return _admin_page(request, actor, body_id, member_form=form)


@login_required
@require_POST
def member_remove(request: HttpRequest, membership_id: int) -> HttpResponse:
    actor = actor_from(request)
    member = services.member_remove(actor=actor, membership_id=membership_id)
    messages.success(request, _("%(agency)s is no longer a member.")
                     % {"agency": member.agency.name})
    return redirect(reverse("consultation:body_admin", args=[member.body_id]) + "#members-h")


@login_required
@require_http_methods(["GET", "POST"])
def criteria(request: HttpRequest, body_id: int) -> HttpResponse:
    """The referral criteria in force, in words; their history; a new version, one field per
    rule."""
    actor = actor_from(request)
    data = selectors.body_admin(actor=actor, body_id=body_id)
    current = data["criteria"]
    form = bound_form(request, CriteriaForm, rules=current.rules)

    def do(cleaned: dict[str, Any]) -> str:
        published = services.criteria_publish(actor=actor, body_id=body_id, rules=form.rules(),
                                              note=cleaned["note"],
                                              version=cleaned["version"] or None)
        messages.success(request, _("Version %(version)s of the criteria is in force. "
                                    "Referrals already made keep the version they were made "
                                    "on.") % {"version": published.version})
        return reverse("consultation:criteria", args=[body_id])

    response = submit_form(request, form, do)
    if response is not None:
        return response
    versions = data["versions"]  # newest first
    history = [{"criteria": version,
                "changes": rules_changed(versions[i + 1].rules, version.rules)
                if i + 1 < len(versions) else None}
               for i, version in enumerate(versions)]
    return render(request, "consultation/admin_criteria.html", {
        "body": data["body"], "coordinates": True, "criteria": current,
        "rules": rules_in_words(current.rules).values(), "history": history, "form": form,
        "review_fields": [form[name] for name in form.fields if name.startswith("review_days_")],
    })


# --- The figures ----------------------------------------------------------------------------

class PeriodForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=gettext_lazy("To"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError(gettext_lazy("The period must start before it ends."))
        return data


def _period(form: PeriodForm) -> tuple[date, date]:
    default_start, default_end = figures_of.default_period()
    if not form.is_valid():
        return default_start, default_end
    return form.cleaned_data["start"] or default_start, form.cleaned_data["end"] or default_end


@login_required
@require_GET
def figures(request: HttpRequest, body_id: int) -> HttpResponse:
    """The body's panel over a period (the last twelve months unless chosen)."""
    actor = actor_from(request)
    form = PeriodForm(request.GET or None)
    start, end = _period(form) if request.GET else figures_of.default_period()
    body, data = figures_of.body_figures(actor=actor, body_id=body_id, start=start, end=end)
    if not request.GET:
        form = PeriodForm(initial={"start": start, "end": end})
    low, high = figures_of.HEALTHY_REPEAT_RATE
    return render(request, "consultation/figures.html", {
        "body": body, "coordinates": policy.coordinates(actor, body), "figures": data,
        "tables": {table.key.removeprefix("consultation-"): table
                   for table in figures_of.consultation_tables(data)},
        "form": form, "start": start, "end": end,
        "healthy_low": round(low * 100), "healthy_high": round(high * 100),
        "export_links": exports.export_links(
            "consultation:figures_export", args=[body.pk],
            query={"start": start.isoformat(), "end": end.isoformat()})})


@login_required
@require_GET
def figures_export(request: HttpRequest, body_id: int, fmt: str) -> HttpResponse:
    """The body's figures as CSV, XLSX or PDF (all tables, or ``?table=KEY``) over the
    screen's period; same policy as the screen, audited as an export."""
    actor = actor_from(request)
    start, end = _period(PeriodForm(request.GET)) if request.GET else (
        figures_of.default_period())
    body, data = figures_of.body_figures(actor=actor, body_id=body_id, start=start, end=end)
    panels = [Panel(table=table) for table in figures_of.consultation_tables(data)]
    return exports.export_response(
        actor=actor, panels=exports.panel_select(panels, request.GET.get("table")), fmt=fmt,
        title=_("Figures of %(name)s") % {"name": body.name},
        subtitle=_("From %(start)s to %(end)s, both included. Counts only: no person is "
                   "shown.") % {"start": date_format(start, "SHORT_DATE_FORMAT"),
                                "end": date_format(end, "SHORT_DATE_FORMAT")},
        basis=f"consultation figures {start.isoformat()}/{end.isoformat()} body {body.pk}")
