"""The administration site: Django's, behind the second factor (django-otp), with its sign-ins
audited as those of /sign-in/ are (accounts/views.py)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django_otp.admin import OTPAdminSite

from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.core.actor import actor_from, client_ip


class AuditedAdminSite(OTPAdminSite):
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
