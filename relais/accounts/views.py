"""Sign-in in two steps: password (with lockout), then a TOTP code (enrolled on first use)."""

from __future__ import annotations

import time

import segno
from django.contrib import auth, messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from relais.access.accounts import may_manage_tokens
from relais.accounts import selectors, services
from relais.accounts.forms import SignInForm, TokenForm
from relais.accounts.middleware import LAST_ACTIVITY_KEY
from relais.accounts.models import ApiTokenKind
from relais.accounts.services import confirmed_device, may_sign_in, totp_secret_base32
from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.core.actor import actor_from, client_ip

NEXT_KEY = "relais_next"


def _safe_next(request: HttpRequest, candidate: str | None) -> str | None:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return None


@sensitive_post_parameters("password")
def login(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and request.user.is_verified():
        return redirect("home")
    form = SignInForm(request, data=request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            user = form.get_user()
            if not may_sign_in(user):
                form.add_error(None, _("Demo accounts can only sign in on a demo server."))
            else:
                next_url = _safe_next(request, request.POST.get("next"))
                auth.login(request, user)
                if next_url:
                    request.session[NEXT_KEY] = next_url
                if confirmed_device(user) is None:
                    return redirect("accounts:enroll")
                return redirect("accounts:verify")
        else:
            audit_record(actor=None, action=Action.SIGN_IN_FAILED,
                         username=request.POST.get("username", "")[:150], ip=client_ip(request))
    return render(request, "accounts/login.html",
                  {"form": form, "next": request.GET.get("next", "")})


def _finish_sign_in(request: HttpRequest, device: TOTPDevice) -> HttpResponse:
    otp_login(request, device)
    request.session.cycle_key()
    request.session[LAST_ACTIVITY_KEY] = int(time.time())  # the first page writes nothing
    audit_record(actor=actor_from(request), action=Action.SIGN_IN, basis="password and TOTP")
    return redirect(_safe_next(request, request.session.pop(NEXT_KEY, None)) or "home")


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    if request.user.is_verified():
        return redirect("home")
    device = confirmed_device(request.user)
    if device is None:
        return redirect("accounts:enroll")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _details = device.verify_is_allowed()
        if not allowed:
            form.add_error("token", _("Too many wrong codes: wait a few seconds, then enter the "
                                      "code shown now."))
        elif device.verify_token(form.cleaned_data["token"]):
            return _finish_sign_in(request, device)
        else:
            audit_record(actor=actor_from(request), action=Action.SIGN_IN_FAILED,
                         basis="wrong second-factor code")
            form.add_error("token", _("This code is not right or has expired. Wait for the next "
                                      "code and try again."))
    return render(request, "accounts/verify.html", {"form": form})


@login_required
def enroll(request: HttpRequest) -> HttpResponse:
    """First sign-in: scan a QR code, then confirm with a first code."""
    if confirmed_device(request.user) is not None:
        return redirect("accounts:verify")
    device = services.totp_device_to_enrol(user=request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            services.totp_confirm(actor=actor_from(request), device=device)
            return _finish_sign_in(request, device)
        form.add_error("token", _("This code is not right. Check the time on your phone."))
    qr = segno.make(device.config_url, error="m")
    return render(request, "accounts/enroll.html", {
        "form": form,
        "qr_svg": qr.svg_data_uri(scale=5, dark="#000", light="#fff"),
        "secret": totp_secret_base32(device),
    })


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        audit_record(actor=actor_from(request), action=Action.SIGN_OUT)
    auth.logout(request)
    messages.info(request, _("You are signed out."))
    return redirect("accounts:login")


@login_required
def api_token(request: HttpRequest) -> HttpResponse:
    """Create or renew the user's personal API token (shown once)."""
    token_key = None
    if request.method == "POST":
        _token, token_key = services.api_token_issue(actor=actor_from(request),
                                                     user=request.user)
    current = services.api_token_find_own(user=request.user, kind=ApiTokenKind.PERSONAL)
    return render(request, "accounts/api_token.html", {
        "token_key": token_key, "current": current,
        "may_manage_tokens": may_manage_tokens(actor_from(request))})


@login_required
def api_token_list(request: HttpRequest) -> HttpResponse:
    """The agency's administrator: her staff's live API tokens, each with *Revoke*."""
    tokens = selectors.api_token_list(actor=actor_from(request))
    return render(request, "accounts/api_token_list.html", {"tokens": tokens})


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = services.api_token_revoke(actor=actor_from(request), token_id=token_id)
    messages.success(request, _("The token of %(user)s is revoked.") % {
        "user": token.user.get_username()})
    if token.user_id == request.user.pk:
        return redirect("accounts:api_token")
    return redirect("accounts:api_tokens")
