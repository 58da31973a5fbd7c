"""The administration site: Django's, behind the second factor (django-otp), with its sign-ins
audited as those of /sign-in/ are (accounts/views.py).

It is the platform operators' (superusers'), never an agency administrator's: it is neither
scoped by agency nor audited beyond its sign-ins. Who gets in is the policy's
(``relais.access.accounts.may_use_admin_site``); agencies manage their accounts in Relais's own
screens (docs/agency-administration.md)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite

from relais.access.accounts import may_use_admin_site
from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.core.actor import actor_from, client_ip


class OperatorAuthenticationForm(OTPAdminAuthenticationForm):
    """Refuses, at the password step, an account the policy keeps out of /admin/."""

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        if not may_use_admin_site(user):
            raise ValidationError(_("This administration is for the platform's operators. "
                                    "Manage your agency's accounts in Relais, under Accounts."),
                                  code="not_operator")


class AuditedAdminSite(OTPAdminSite):
    login_form = OperatorAuthenticationForm

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and may_use_admin_site(request.user)

    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        response = super().login(request, extra_context)
        if request.method != "POST":
            return response
        if response.status_code == 302 and request.user.is_authenticated:
            audit_record(actor=actor_from(request), action=Action.SIGN_IN,
                         basis="administration: password and TOTP")
        else:  # the form again (wrong password or code), or the lockout page
            audit_record(actor=None, action=Action.SIGN_IN_FAILED,
                         username=request.POST.get("username", "")[:150],
                         ip=client_ip(request), basis="administration sign-in")
        return response
