"""Screens of a perpetrator programme: the files and the waiting list, opening a file, one
file with its activities and hours, groups and their sessions, the programme's rules."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from relais.access import programmes as programme_policy
from relais.core.actor import Actor, actor_from
from relais.core.exports import export_links, export_response
from relais.core.ids import parse_id
from relais.core.views import act, bound_form, submit_form
from relais.programmes import selectors, services
from relais.programmes.columns import tab_columns
from relais.programmes.forms import (
    MEMBER_HOURS_PREFIX,
    MEMBER_PREFIX,
    ActivityForm,
    DirectFileForm,
    FormatForm,
    GroupForm,
    JoinGroupForm,
    MandateForm,
    SessionForm,
    SettingsForm,
    StatusForm,
    SubstanceForm,
)
from relais.programmes.models import StatusChange


def _menu(actor: Actor) -> dict[str, Any]:
    return {"is_counsellor": programme_policy.is_counsellor(actor),
            "may_set_rules": programme_policy.may_set_rules(actor)}


def _counsellor(request: HttpRequest) -> Actor:
    actor = actor_from(request)
    programme_policy.require_counsellor(actor)
    return actor


def _reported(request: HttpRequest, change: StatusChange) -> None:
    """Say to whom the change went, and — loudly — to whom it could not."""
    if change.reported_to:
        messages.info(request, _("Reported to: %(who)s.") % {
            "who": ", ".join(entry["agency"] for entry in change.reported_to)})
    for line in change_problems(change):
        messages.warning(request, line)


def change_problems(change: StatusChange) -> list[str]:
    """Why a change of a judicial file was not reported to someone, in words."""
    from relais.accounts.models import Role

    lines = []
    for entry in change.not_reported:
        role = str(Role(entry["role"]).label).lower() if entry.get("role") else ""
        why = entry.get("why")
        if why == "no_case":
            lines.append(_("Not reported: the file has no Relais case (the mandate came by "
                           "another channel)."))
        elif why == "not_recorded":
            lines.append(_("Not reported to the %(role)s: none is recorded on the file.")
                         % {"role": role})
        elif why == "no_reader":
            lines.append(_("Not reported to %(agency)s: no %(role)s of theirs uses Relais.")
                         % {"agency": entry["agency"], "role": role})
        elif why == "no_access":
            lines.append(_("Not reported to %(agency)s: they do not see the case. The "
                           "prosecutor's office can open it to them (judicial mandate); "
                           "tell them by the usual channel meanwhile.")
                         % {"agency": entry["agency"]})
    return lines


# --- Files ----------------------------------------------------------------------------------------

@login_required
def file_list(request: HttpRequest) -> HttpResponse:
    actor = actor_from(request)
    if not programme_policy.is_counsellor(actor):
        if programme_policy.may_set_rules(actor):
            return redirect("programmes:settings")
        raise Http404
    tab = request.GET.get("tab", "active")
    result = selectors.file_list(actor=actor, tab=tab if tab in selectors.TABS else "active")
    return render(request, "programmes/files.html", {
        **_menu(actor), "result": result, "columns": tab_columns(result.tab),
        "export_links": export_links("programmes:files_export", query={"tab": result.tab})})


@login_required
@require_GET
def followed(request: HttpRequest) -> HttpResponse:
    """The justice assistant's list: every judicial file her house of justice follows."""
    rows, total = selectors.followed_file_list(actor=actor_from(request))
    return render(request, "programmes/followed.html", {"rows": rows, "total": total})


@login_required
@require_GET
def files_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """Every row of one tab (the waiting list, the files in progress or ended, the referrals
    received), in CSV or XLSX (audited, streamed)."""
    actor = _counsellor(request)
    tab = request.GET.get("tab", "active")
    tab = tab if tab in selectors.TABS else "active"
    return export_response(
        actor=actor, fmt=fmt, name=f"programme-{tab}", title=_("Perpetrator programme"),
        columns=tab_columns(tab), rows=selectors.file_tab_rows(actor=actor, tab=tab),
        filters={"tab": tab})


@login_required
@require_http_methods(["GET", "POST"])
def file_new(request: HttpRequest) -> HttpResponse:
    """A file without a Relais case: a walk-in, or a new mandate for a known participant."""
    actor = _counsellor(request)
    raw = request.GET.get("participant", "")
    participant = None
    if raw:
        participant = selectors.participant_get(
            actor=actor, participant_id=parse_id(raw) or 0)
    form = bound_form(request, DirectFileForm, known=participant is not None)

    def do(data: dict) -> str:
        file = services.file_open_direct(
            actor=actor, mandate=form.mandate(),
            participant_id=participant.pk if participant else None,
            first_name=data.get("first_name", ""), last_name=data.get("last_name", ""),
            birth_date=data.get("birth_date"), phone=data.get("phone", ""),
            language=data.get("language", ""), requested_on=data["requested_on"],
            substance_use=data["substance_use"])
        messages.success(request, _("The file is open, on the waiting list."))
        return reverse("programmes:file", args=[file.pk])

    return submit_form(request, form, do) or render(request, "programmes/file_new.html", {
        **_menu(actor), "form": form, "participant": participant})


@login_required
@require_http_methods(["GET", "POST"])
def file_from_referral(request: HttpRequest, referral_id: int) -> HttpResponse:
    actor = _counsellor(request)
    referral = selectors.referral_for_file(actor=actor, referral_id=referral_id)
    form = bound_form(request, MandateForm, initial=selectors.mandate_hints(referral))

    def do(data: dict) -> str:
        file = services.file_open_from_referral(
            actor=actor, referral_id=referral_id, mandate=form.mandate(),
            requested_on=data["requested_on"], substance_use=data["substance_use"])
        messages.success(request, _("The file is open, on the waiting list."))
        _reported(request, file.status_changes.get())
        return reverse("programmes:file", args=[file.pk])

    return submit_form(request, form, do) or render(request, "programmes/file_new.html", {
        **_menu(actor), "form": form, "referral": referral})


@login_required
@require_http_methods(["GET", "POST"])
def file_detail(request: HttpRequest, file_id: int) -> HttpResponse:
    """The file, and the form that moves it on."""
    actor = _counsellor(request)
    view = selectors.file_get(actor=actor, file_id=file_id)
    form = bound_form(request, StatusForm, statuses=view.next_statuses)

    def do(data: dict) -> str:
        change = services.file_change_status(
            actor=actor, file_id=file_id, status=data["status"], reason=data["reason"],
            note=data["note"], on=data["on"])
        messages.success(request, _("The file is now: %(status)s.")
                         % {"status": change.get_to_status_display().lower()})
        _reported(request, change)
        return reverse("programmes:file", args=[file_id])

    if view.file.is_open:
        response = submit_form(request, form, do)
        if response is not None:
            return response
    elif request.method == "POST":
        messages.error(request, " ".join(services.closed_error(view.file).messages))
        return redirect("programmes:file", file_id)
    return render(request, "programmes/file.html", {
        **_menu(actor), "view": view, "file": view.file, "form": form,
        "problems": {change.pk: change_problems(change) for change in view.changes}})


@login_required
@require_http_methods(["GET", "POST"])
def activity_new(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = _counsellor(request)
    view = selectors.file_get(actor=actor, file_id=file_id)
    form = bound_form(request, ActivityForm)

    def do(data: dict) -> str:
        services.activity_record(
            actor=actor, file_id=file_id, kind=data["kind"], occurred_on=data["occurred_on"],
            scheduled_hours=data["scheduled_hours"], attendance=data["attendance"],
            attended_hours=data["attended_hours"], note=data["note"])
        messages.success(request, _("The activity is recorded."))
        return reverse("programmes:file", args=[file_id])

    return submit_form(request, form, do) or render(request, "programmes/activity_form.html", {
        **_menu(actor), "view": view, "file": view.file, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def file_group(request: HttpRequest, file_id: int) -> HttpResponse:
    """Put him in a group (after the individual interviews)."""
    actor = _counsellor(request)
    view = selectors.file_get(actor=actor, file_id=file_id)
    form = bound_form(request, JoinGroupForm, agency=actor.agency)

    def do(data: dict) -> str:
        joined = services.file_join_group(
            actor=actor, file_id=file_id, group_id=data["group"].pk if data["group"] else None,
            joined_on=data["joined_on"])
        messages.success(request, _("He is in %(group)s: the file is in progress.")
                         % {"group": joined.file.group.name})
        if joined.warning:
            messages.warning(request, joined.warning)
        _reported(request, joined.change)
        return reverse("programmes:file", args=[file_id])

    return submit_form(request, form, do) or render(request, "programmes/file_group.html", {
        **_menu(actor), "view": view, "file": view.file, "form": form,
        "groups": [row for row in selectors.group_list(actor=actor) if row.group.is_open]})


@login_required
@require_http_methods(["GET", "POST"])
def file_substances(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = _counsellor(request)
    view = selectors.file_get(actor=actor, file_id=file_id)
    form = bound_form(request, SubstanceForm,
                      initial={"substance_use": view.file.substance_use,
                               "version": services.substances_version(view.file)})

    def do(data: dict) -> str:
        services.file_update_substances(actor=actor, file_id=file_id,
                                        substance_use=data["substance_use"],
                                        version=data["version"] or None)
        messages.success(request, _("Saved."))
        return reverse("programmes:file", args=[file_id])

    return submit_form(request, form, do) or render(request, "programmes/substances.html", {
        **_menu(actor), "view": view, "file": view.file, "form": form})


# --- Groups ------------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def groups(request: HttpRequest) -> HttpResponse:
    actor = _counsellor(request)
    form = bound_form(request, GroupForm, agency=actor.agency)

    def do(data: dict) -> str:
        group = services.group_create(
            actor=actor, format_id=data["format"].pk if data["format"] else 0,
            name=data["name"], start_date=data["start_date"])
        messages.success(request, _("The group is created."))
        return reverse("programmes:group", args=[group.pk])

    return submit_form(request, form, do) or render(request, "programmes/groups.html", {
        **_menu(actor), "rows": selectors.group_list(actor=actor), "form": form})


def _member_errors(error: ValidationError) -> ValidationError:
    """A member's errors go to his attendance field."""
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError({
        (MEMBER_PREFIX + name.removeprefix("member_")) if name.startswith("member_") else name:
            messages for name, messages in error.message_dict.items()})


@login_required
@require_http_methods(["GET", "POST"])
def group_detail(request: HttpRequest, group_id: int) -> HttpResponse:
    """The group's members and hours, and a session with each one's attendance."""
    actor = _counsellor(request)
    view = selectors.group_get(actor=actor, group_id=group_id)
    form = bound_form(request, SessionForm, members=view.members)

    def do(data: dict) -> str:
        members = [services.MemberAttendance(
            file_id=pk, attendance=data[f"{MEMBER_PREFIX}{pk}"],
            attended_hours=data[f"{MEMBER_HOURS_PREFIX}{pk}"]) for pk in form.members]
        try:
            made = services.group_session_record(
                actor=actor, group_id=group_id, occurred_on=data["occurred_on"],
                hours=data["hours"], members=members, note=data["note"])
        except ValidationError as error:
            raise _member_errors(error) from error
        messages.success(request, _("The session is recorded for %(count)d participants.")
                         % {"count": len(made)})
        return reverse("programmes:group", args=[group_id])

    if view.group.is_open:
        response = submit_form(request, form, do)
        if response is not None:
            return response
    return render(request, "programmes/group.html", {**_menu(actor), "view": view,
                                                     "group": view.group, "form": form})


@login_required
@require_POST
def group_close(request: HttpRequest, group_id: int) -> HttpResponse:
    actor = _counsellor(request)
    return act(request, lambda: services.group_close(actor=actor, group_id=group_id),
               success=_("The group is closed."),
               then=reverse("programmes:group", args=[group_id]))


# --- The programme's rules ---------------------------------------------------------------------

def _rules_actor(request: HttpRequest) -> Actor:
    actor = actor_from(request)
    if not programme_policy.may_set_rules(actor):
        raise Http404
    return actor


@login_required
@require_http_methods(["GET", "POST"])
def settings_view(request: HttpRequest) -> HttpResponse:
    actor = _rules_actor(request)
    current = services.settings_for(actor.agency)
    form = bound_form(request, SettingsForm, instance=current,
                      initial={"version": services.settings_version(current)})

    def do(data: dict) -> str:
        services.settings_update(actor=actor, **{**data, "version": data["version"] or None})
        messages.success(request, _("The programme's rules are saved."))
        return reverse("programmes:settings")

    return submit_form(request, form, do) or render(request, "programmes/settings.html", {
        **_menu(actor), "form": form, "rules": current,
        "formats": selectors.format_list(agency=actor.agency)})


@login_required
@require_http_methods(["GET", "POST"])
def format_edit(request: HttpRequest, format_id: int | None = None) -> HttpResponse:
    actor = _rules_actor(request)
    instance = None
    if format_id is not None:
        instance = selectors.format_get(actor=actor, format_id=format_id)
    form = bound_form(request, FormatForm, instance=instance, initial={
        "version": services.format_version(instance) if instance is not None else ""})

    def do(data: dict) -> str:
        services.format_save(actor=actor, format_id=format_id,
                             **{**data, "version": data["version"] or None})
        messages.success(request, _("The group format is saved."))
        return reverse("programmes:settings")

    return submit_form(request, form, do) or render(request, "programmes/format.html", {
        **_menu(actor), "form": form, "instance": instance})
