from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from relais.core.actor import actor_from
from relais.notifications import selectors, services


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    include_done = request.GET.get("all") == "1"
    notices = selectors.notice_list(actor=actor_from(request), include_done=include_done)
    return render(request, "notifications/inbox.html",
                  {"notices": notices, "include_done": include_done})


@login_required
@require_POST
def acknowledge(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = services.notice_acknowledge(actor=actor_from(request), notice_id=notice_id)
    messages.success(request, _("You took the notice for case %(reference)s.")
                     % {"reference": notice.case.reference})
    return redirect("notifications:inbox")
