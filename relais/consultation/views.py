"""Screens of the consultation: the bodies, a body's overview, the referral from the case
page, a meeting (agenda, attendance, contributions, the record), a plan with its actions, the
coordinator's board. The views parse input and call a service or selector; the policy
decides (every refusal is the same 404)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from relais.access import consultation as policy
from relais.accounts.models import User
from relais.consultation import selectors, services
from relais.consultation.forms import (
    ActionForm,
    AgendaForm,
    CloseForm,
    ContributionForm,
    HearingForm,
    MeetingForm,
    ReferralForm,
    WithdrawForm,
)
from relais.consultation.models import ActionKind, Contribution, Hearing, Membership
from relais.core.actor import actor_from
from relais.core.views import act, bound_form, submit_form
from relais.followup.notes import render as render_reason

# Actions whose agency carries them out through an existing guided screen of the case.
GUIDED = {ActionKind.BAN: "measures:ban_new", ActionKind.ALARM: "alarms:request_new",
          ActionKind.REFERRAL: "referrals:find_help", ActionKind.SHELTER: "referrals:find_help"}


@login_required
def bodies(request: HttpRequest) -> HttpResponse:
    actor = actor_from(request)
    if not policy.sees_consultation(actor):
        raise Http404
    listed = selectors.body_list(actor=actor)
    return render(request, "consultation/bodies.html", {
        "bodies": listed,  # their page links to the figures, for those who may see them
        "figures": list(policy.figures_bodies(actor).exclude(pk__in=[b.pk for b in listed])
                        .order_by("name"))})


@login_required
def body(request: HttpRequest, body_id: int) -> HttpResponse:
    actor = actor_from(request)
    found = selectors.body_get(actor=actor, body_id=body_id)
    coordinates = policy.coordinates(actor, found)
    now = timezone.now()
    meetings = selectors.meeting_list(actor=actor, body=found)
    return render(request, "consultation/body.html", {
        "body": found, "coordinates": coordinates,
        "figures": policy.may_see_figures(actor, found),
        "waiting": selectors.waiting_referrals(actor=actor, body=found),
        "due": selectors.plans_due(actor=actor, body=found,
                                   by=timezone.localdate() + timedelta(days=14)),
        "upcoming": [m for m in meetings if m.held_at is None],
        "past": [m for m in meetings if m.held_at is not None][:10],
        "plans": list(selectors.open_plans(actor=actor, body=found)), "now": now})


# --- Referral ----------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def refer(request: HttpRequest, case_id: int, body_id: int) -> HttpResponse:
    actor = actor_from(request)
    check = services.referral_check(actor=actor, case_id=case_id, body_id=body_id,
                                    concern=request.POST.get("concern", ""))
    scopes = policy.referral_shareable_scopes(check["access"])
    form = bound_form(request, ReferralForm, scopes=scopes)

    def do(data: dict) -> str:
        referral = services.referral_create(
            actor=actor, case_id=case_id, body_id=body_id, concern=data["concern"],
            emergency=data["emergency"], informed=data["informed"], consents=data["consents"],
            basis=data["basis"], justification=data["justification"], scopes=data["scopes"])
        if referral.emergency:
            messages.warning(request, _(
                "Emergency referral sent: the coordinators are alerted now and the case is to "
                "be heard by %(when)s.") % {
                "when": timezone.localtime(referral.respond_by).strftime("%d/%m/%Y %H:%M")})
        else:
            messages.success(request, _("The case is referred to %(body)s. It waits for the "
                                        "next agenda.") % {"body": check["body"].name})
        return reverse("consultation:referral", args=[referral.pk])

    response = submit_form(request, form, do)
    if response is not None:
        return response
    return render(request, "consultation/refer.html", {
        **check, "case": check["access"].case, "form": form,
        "met_text": [render_reason([part]) for part in check["met"]]})


@login_required
def referral(request: HttpRequest, referral_id: int) -> HttpResponse:
    data = selectors.referral_get(actor=actor_from(request), referral_id=referral_id)
    return render(request, "consultation/referral.html", {**data, "form": WithdrawForm()})


@login_required
@require_POST
def referral_withdraw(request: HttpRequest, referral_id: int) -> HttpResponse:
    actor = actor_from(request)
    reason = request.POST.get("reason", "")
    return act(request, lambda: services.referral_withdraw(actor=actor, referral_id=referral_id,
                                                           reason=reason),
               success=_("The referral is withdrawn."),
               then=reverse("consultation:referral", args=[referral_id]))


# --- Meetings ----------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest, body_id: int) -> HttpResponse:
    actor = actor_from(request)
    found = policy.coordinated_bodies(actor).filter(pk=body_id).first()
    if found is None:
        raise Http404
    form = bound_form(request, MeetingForm)

    def do(data: dict) -> str:
        meeting = services.meeting_create(actor=actor, body_id=body_id,
                                          starts_at=data["starts_at"], kind=data["kind"],
                                          place=data["place"])
        messages.success(request, _("The meeting is planned. Put the cases on its agenda."))
        return reverse("consultation:meeting", args=[meeting.pk])

    response = submit_form(request, form, do)
    if response is not None:
        return response
    return render(request, "consultation/meeting_new.html", {"form": form, "body": found})


def _agenda_choices(actor, meeting) -> list[tuple[int, str]]:
    """Waiting referrals in the agenda's order, then the plans due for review."""
    rows = selectors.waiting_referrals(actor=actor, body=meeting.body)
    choices = [(row.referral.pk, "{}{} · {} · {}".format(
        "⚠ " if row.referral.emergency else "", row.referral.case.reference,
        row.referral.agency.name, _("waiting %(days)d days") % {"days": row.waiting_days}))
        for row in rows]
    for plan in selectors.plans_due(actor=actor, body=meeting.body,
                                    by=timezone.localdate(meeting.starts_at)):
        choices.append((plan.referral_id, _("%(reference)s · review of the plan (due %(date)s)")
                        % {"reference": plan.case.reference,
                           "date": plan.next_review_on.strftime("%d/%m/%Y")}))
    return choices


@login_required
def meeting(request: HttpRequest, meeting_id: int) -> HttpResponse:
    actor = actor_from(request)
    data = selectors.meeting_record(actor=actor, meeting_id=meeting_id)
    context = {**data, "open": data["meeting"].held_at is None}
    if data["coordinates"] and context["open"]:
        context["agenda_form"] = AgendaForm(choices=_agenda_choices(actor, data["meeting"]))
    return render(request, "consultation/meeting.html", context)


@login_required
@require_POST
def agenda_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    actor = actor_from(request)
    ids = [int(v) for v in request.POST.getlist("referrals") if v.isdigit()]
    return act(request, lambda: services.agenda_add(actor=actor, meeting_id=meeting_id,
                                                    referral_ids=ids),
               success=_("The agenda is updated."),
               then=reverse("consultation:meeting", args=[meeting_id]))


@login_required
@require_POST
def agenda_remove(request: HttpRequest, hearing_id: int) -> HttpResponse:
    actor = actor_from(request)
    hearing = Hearing.objects.filter(pk=hearing_id).values("meeting_id").first()
    if hearing is None:
        raise Http404
    return act(request, lambda: services.agenda_remove(actor=actor, hearing_id=hearing_id),
               success=_("The case is taken off the agenda; its referral waits again."),
               then=reverse("consultation:meeting", args=[hearing["meeting_id"]]))


@login_required
@require_POST
def attendance(request: HttpRequest, meeting_id: int) -> HttpResponse:
    actor = actor_from(request)
    present: dict[int, int | None] = {}
    for value in request.POST.getlist("present"):
        if value.isdigit():
            attendee = request.POST.get(f"attendee-{value}", "")
            present[int(value)] = int(attendee) if attendee.isdigit() else None
    return act(request, lambda: services.attendance_record(actor=actor, meeting_id=meeting_id,
                                                           present=present),
               success=_("Attendance recorded."),
               then=reverse("consultation:meeting", args=[meeting_id]) + "#attendance")


@login_required
@require_POST
def meeting_close(request: HttpRequest, meeting_id: int) -> HttpResponse:
    actor = actor_from(request)
    return act(request, lambda: services.meeting_close(actor=actor, meeting_id=meeting_id),
               success=_("The meeting's record is closed. Cases not heard wait for the next "
                         "agenda."),
               then=reverse("consultation:meeting", args=[meeting_id]))


def _hearing_for(actor, hearing_id: int) -> Hearing:
    hearing = (Hearing.objects.select_related("meeting__body", "referral__case", "plan")
               .filter(pk=hearing_id, meeting__body__in=policy.member_bodies(actor)).first())
    if hearing is None:
        raise Http404
    return hearing


@login_required
@require_http_methods(["GET", "POST"])
def contribution(request: HttpRequest, hearing_id: int) -> HttpResponse:
    """What the reader's agency shares about one case on the agenda."""
    actor = actor_from(request)
    hearing = _hearing_for(actor, hearing_id)
    if not policy.may_contribute(actor, hearing):
        raise Http404
    mine = Contribution.objects.filter(hearing=hearing, agency_id=actor.agency_id).first()
    initial = {f: getattr(mine, f) for f in services.CONTRIBUTION_FIELDS} if mine else {}
    form = bound_form(request, ContributionForm, initial={
        **initial, "version": services.contribution_version(mine)})

    def do(data: dict) -> str:
        services.contribution_save(actor=actor, hearing_id=hearing_id,
                                   **{**data, "version": data["version"] or None})
        messages.success(request, _("Your agency's information is saved for the meeting."))
        return reverse("consultation:meeting", args=[hearing.meeting_id]) + f"#h{hearing.pk}"

    response = submit_form(request, form, do)
    if response is not None:
        return response
    return render(request, "consultation/contribution.html",
                  {"form": form, "hearing": hearing, "known": policy.case_access_or_none(
                      actor, hearing.referral.case_id) is not None})


@login_required
@require_http_methods(["GET", "POST"])
def hearing(request: HttpRequest, hearing_id: int) -> HttpResponse:
    """The coordinator records what the meeting agreed on one case."""
    actor = actor_from(request)
    found = _hearing_for(actor, hearing_id)
    if not policy.coordinates(actor, found.meeting.body):
        raise Http404
    record = selectors.meeting_record(actor=actor, meeting_id=found.meeting_id)
    this = next(r for r in record["records"] if r.hearing.pk == found.pk)
    row = next(r for r in record["rows"] if r.hearing.pk == found.pk)
    initial = {"level": found.level or (found.plan.level if found.plan else ""),
               "decisions": found.decisions,
               "children": found.plan.children if found.plan else "",
               "version": services.hearing_version(found)}
    form = bound_form(request, HearingForm, initial=initial)

    def do(data: dict) -> str:
        plan = services.hearing_record(actor=actor, hearing_id=hearing_id, level=data["level"],
                                       decisions=data["decisions"], children=data["children"],
                                       version=data["version"] or None)
        messages.success(request, _("Recorded. Now agree the actions of the joint plan."))
        return reverse("consultation:plan", args=[plan.pk])

    response = submit_form(request, form, do)
    if response is not None:
        return response
    return render(request, "consultation/hearing.html", {
        "form": form, "hearing": found, "record": this, "row": row,
        "meeting": found.meeting, "attendance": record["attendance"]})


# --- The plan ----------------------------------------------------------------------------------

@login_required
def plan(request: HttpRequest, plan_id: int) -> HttpResponse:
    actor = actor_from(request)
    data = selectors.plan_get(actor=actor, plan_id=plan_id)
    case_id = data["plan"].case_id
    guided = {row.action.pk: reverse(GUIDED[row.action.kind], args=[case_id])
              for row in data["actions"]
              if row.action.kind in GUIDED and row.action.agency_id == actor.agency_id
              and row.state in (selectors.State.OPEN, selectors.State.OVERDUE)}
    return render(request, "consultation/plan.html", {
        **data, "guided": guided, "close_form": CloseForm(),
        "sees_children": policy.sees_plan_children(actor, data["plan"]),
        "may_open_case": policy.case_access_or_none(actor, case_id) is not None})


def _plan_members(plan) -> tuple[list[tuple[int, str]], list[tuple[str, list[tuple[int, str]]]]]:
    members = list(Membership.objects.filter(body=plan.body, left_at__isnull=True)
                   .select_related("agency").order_by("agency__name"))
    agencies = [(m.agency_id, m.agency.name) for m in members]
    agencies.append((plan.body.agency_id, plan.body.agency.name))
    names = dict(agencies)
    owners: dict[int, list[tuple[int, str]]] = {}
    for user in (User.objects.filter(agency_id__in=names, is_active=True)
                 .order_by("last_name", "first_name")):
        owners.setdefault(user.agency_id, []).append((user.pk, user.get_full_name()
                                                      or user.username))
    return agencies, [(names[agency_id], people) for agency_id, people in owners.items()]


@login_required
@require_http_methods(["GET", "POST"])
def action_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    actor = actor_from(request)
    data = selectors.plan_get(actor=actor, plan_id=plan_id)
    found = data["plan"]
    if not data["coordinates"] or not found.is_open:
        raise Http404
    agencies, owners = _plan_members(found)
    form = bound_form(request, ActionForm, agencies=agencies, owners=owners)
    hearing_id = found.hearings.filter(heard_at__isnull=False).order_by(
        "-heard_at").values_list("pk", flat=True).first()

    def do(data: dict) -> str:
        services.action_add(actor=actor, plan_id=plan_id, agency_id=data["agency"],
                            kind=data["kind"], detail=data["detail"], owner_id=data["owner"],
                            due_on=data["due_on"], priority=data["priority"],
                            legal_basis=data["legal_basis"], hearing_id=hearing_id)
        messages.success(request, _("The action is in that agency's follow-up queue."))
        if "_another" in request.POST:
            return reverse("consultation:action_new", args=[plan_id])
        return reverse("consultation:plan", args=[plan_id])

    response = submit_form(request, form, do)
    if response is not None:
        return response
    return render(request, "consultation/action_new.html", {"form": form, "plan": found})


@login_required
@require_POST
def plan_close(request: HttpRequest, plan_id: int) -> HttpResponse:
    actor = actor_from(request)
    reason, note = request.POST.get("reason", ""), request.POST.get("note", "")
    return act(request, lambda: services.plan_close(actor=actor, plan_id=plan_id, reason=reason,
                                                    note=note),
               success=_("The case has left the consultation: its actions are cancelled and "
                         "the participants' access has ended."),
               then=reverse("consultation:plan", args=[plan_id]))


@login_required
def board(request: HttpRequest, body_id: int) -> HttpResponse:
    actor = actor_from(request)
    found = selectors.body_get(actor=actor, body_id=body_id)
    rows = selectors.action_board(actor=actor, body=found)
    return render(request, "consultation/board.html", {"body": found, "rows": rows})
