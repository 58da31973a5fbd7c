"""Screens of the agency's administration of its accounts (docs/agency-administration.md), and
the invitation link's two public steps. Views parse input and call a service or selector; the
policy decides (every refusal is the same 404)."""

from __future__ import annotations

from django.contrib import auth, messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from relais.access import accounts as policy
from relais.accounts import agency_selectors as selectors
from relais.accounts import agency_services as services
from relais.accounts.agency_forms import AccountRolesForm, InviteForm, ResetRequestForm
from relais.accounts.models import User
from relais.accounts.services import may_sign_in
from relais.core.actor import Actor, actor_from, client_ip
from relais.core.views import act, bound_form, submit_form

INVITATION_KEY = "relais_invitation"


def _back_to(request: HttpRequest, user_id: int) -> str:
    """The account's page; her own start page if she just gave up administering accounts."""
    me = User.objects.filter(pk=request.user.pk, is_active=True).first()
    if me is None or not policy.administers_accounts(Actor.for_user(me)):
        return reverse("cases:my_cases")
    return reverse("accounts:agency_account", args=[user_id])


def _administrator(request: HttpRequest) -> Actor:
    actor = actor_from(request)
    if not policy.administers_accounts(actor):
        raise Http404
    return actor


@login_required
def agency_accounts(request: HttpRequest) -> HttpResponse:
    """The agency's accounts, with the second-factor resets waiting for a second person."""
    actor = actor_from(request)
    rows = selectors.agency_account_list(actor=actor)
    return render(request, "accounts/agency/list.html", {
        "rows": rows, "resets": selectors.pending_resets(actor=actor)})


@login_required
@require_http_methods(["GET", "POST"])
def agency_invite(request: HttpRequest) -> HttpResponse:
    actor = _administrator(request)
    form = bound_form(request, InviteForm, kind=actor.agency.kind)

    def do(data: dict) -> str:
        account = services.account_invite(
            actor=actor, username=data["username"], first_name=data["first_name"],
            last_name=data["last_name"], email=data["email"], roles=data["roles"])
        messages.success(request, _("%(username)s is invited: the e-mail leaves in a moment. "
                                    "The account stays inactive until the link is used.")
                         % {"username": account.get_username()})
        return reverse("accounts:agency_account", args=[account.pk])

    response = submit_form(request, form, do)
    if response is not None:
        return response
    return render(request, "accounts/agency/invite.html", {"form": form})


def _account_page(request: HttpRequest, actor: Actor, user_id: int, *,
                  roles_form: AccountRolesForm | None = None,
                  reset_form: ResetRequestForm | None = None) -> HttpResponse:
    detail = selectors.agency_account_get(actor=actor, user_id=user_id)
    return render(request, "accounts/agency/account.html", {
        "detail": detail, "account": detail.account,
        "roles_form": roles_form or AccountRolesForm(kind=actor.agency.kind, initial={
            "roles": detail.roles, "version": services.roles_version(detail.roles)}),
        "reset_form": reset_form or ResetRequestForm(),
    })


@login_required
def agency_account(request: HttpRequest, user_id: int) -> HttpResponse:
    return _account_page(request, actor_from(request), user_id)


@login_required
@require_POST
def agency_account_roles(request: HttpRequest, user_id: int) -> HttpResponse:
    actor = _administrator(request)
    form = AccountRolesForm(request.POST, kind=actor.agency.kind)

    def do(data: dict) -> str:
        services.account_roles_set(actor=actor, user_id=user_id, roles=data["roles"],
                                   version=data["version"] or None)
        messages.success(request, _("The roles are saved."))
        return _back_to(request, user_id)

    response = submit_form(request, form, do,
                           page=reverse("accounts:agency_account", args=[user_id]))
    if response is not None:
        return response
    return _account_page(request, actor, user_id, roles_form=form)


@login_required
@require_POST
def agency_reset_request(request: HttpRequest, user_id: int) -> HttpResponse:
    actor = _administrator(request)
    form = ResetRequestForm(request.POST)

    def do(data: dict) -> str:
        services.second_factor_reset_request(actor=actor, user_id=user_id,
                                             reason=data["reason"])
        messages.success(request, _("The reset is requested. Another administrator of your "
                                    "agency must confirm it; until then nothing changes."))
        return reverse("accounts:agency_account", args=[user_id])

    response = submit_form(request, form, do)
    if response is not None:
        return response
    return _account_page(request, actor, user_id, reset_form=form)


@login_required
@require_POST
def agency_account_deactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    actor = _administrator(request)
    act(request, lambda: services.account_deactivate(actor=actor, user_id=user_id),
        success=_("The account is deactivated: it can no longer sign in or use the API."),
        then="")
    return redirect(_back_to(request, user_id))


@login_required
@require_POST
def agency_account_reactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    actor = _administrator(request)
    return act(request, lambda: services.account_reactivate(actor=actor, user_id=user_id),
               success=_("The account is active again."),
               then=reverse("accounts:agency_account", args=[user_id]))


@login_required
@require_POST
def agency_invitation_resend(request: HttpRequest, user_id: int) -> HttpResponse:
    actor = _administrator(request)
    return act(request, lambda: services.invitation_resend(actor=actor, user_id=user_id),
               success=_("A new invitation is on its way; the previous link works no more."),
               then=reverse("accounts:agency_account", args=[user_id]))


@login_required
@require_POST
def agency_reset_confirm(request: HttpRequest, reset_id: int) -> HttpResponse:
    actor = _administrator(request)
    return act(request, lambda: services.second_factor_reset_confirm(actor=actor,
                                                                     reset_id=reset_id),
               success=_("The second factor is reset: the account sets up its authenticator "
                         "app again at its next sign-in."),
               then=reverse("accounts:agency_accounts"))


@login_required
@require_POST
def agency_reset_cancel(request: HttpRequest, reset_id: int) -> HttpResponse:
    actor = _administrator(request)
    return act(request, lambda: services.second_factor_reset_cancel(actor=actor,
                                                                    reset_id=reset_id),
               success=_("The reset request is cancelled."),
               then=reverse("accounts:agency_accounts"))


# --- The invitation link (public) -------------------------------------------------------------


def _invalid_link(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/invitation_invalid.html", status=404)


def invitation(request: HttpRequest, key: str) -> HttpResponse:
    """The link of the e-mail: the key moves into the session and out of the address (so that
    it is not left in the history or sent on as a referrer)."""
    if services.invitation_find(key=key[:100]) is None:
        return _invalid_link(request)
    if request.user.is_authenticated:
        auth.logout(request)
    request.session[INVITATION_KEY] = key[:100]
    return redirect("accounts:invitation_password")


@sensitive_post_parameters("new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def invitation_password(request: HttpRequest) -> HttpResponse:
    """Step 1 of 2: choose a password. Step 2 is the authenticator app (``accounts:enroll``)."""
    key = request.session.get(INVITATION_KEY, "")
    found = services.invitation_find(key=key) if key else None
    if found is None:
        return _invalid_link(request)
    account = found.user
    form = SetPasswordForm(account, request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not may_sign_in(account):
            form.add_error(None, _("Demo accounts can only sign in on a demo server."))
        else:
            account = services.invitation_accept(key=key, ip=client_ip(request),
                                                 password=form.cleaned_data["new_password1"])
            request.session.pop(INVITATION_KEY, None)
            auth.login(request, account, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("accounts:enroll")
    return render(request, "accounts/invitation_password.html",
                  {"form": form, "account": account})
