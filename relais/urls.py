from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path

from relais.accounts.admin_site import AuditedAdminSite
from relais.core.views import home

admin.site.__class__ = AuditedAdminSite
admin.site.site_header = "Relais"


def health(request):
    """For the reverse proxy and monitoring: no database, no personal data."""
    return HttpResponse("ok", content_type="text/plain")


def favicon(request):
    """No icon, and no 404 page (whose language form would set a CSRF cookie on the public
    finder's visitors)."""
    return HttpResponse(status=204)


urlpatterns = [
    path("", home, name="home"),  # to the person's own work (relais.core.landing)
    path("", include("relais.accounts.urls")),
    path("", include("relais.cases.urls")),
    path("", include("relais.access.urls")),
    path("", include("relais.intake.urls")),
    path("", include("relais.risk.urls")),
    path("", include("relais.notifications.urls")),
    path("", include("relais.directory.urls")),
    path("", include("relais.referrals.urls")),
    path("", include("relais.followup.urls")),
    path("", include("relais.feedback.urls")),
    path("", include("relais.justice.urls")),
    path("", include("relais.linkage.urls")),
    path("", include("relais.measures.urls")),
    path("", include("relais.alarms.urls")),
    path("", include("relais.programmes.urls")),
    path("", include("relais.transfers.urls")),
    path("", include("relais.consultation.urls")),
    path("", include("relais.helpline.urls")),
    path("", include("relais.femicide.urls")),
    path("", include("relais.crisis.urls")),
    path("", include("relais.redlist.urls")),
    path("", include("relais.safeguards.urls")),
    path("", include("relais.family.urls")),
    path("", include("relais.figures.urls")),
    path("", include("relais.amendments.urls")),
    path("", include("relais.safetyplan.urls")),
    path("", include("relais.approvals.urls")),
    path("", include("relais.core.urls")),
    path("api/", include("relais.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("health", health),
    path("favicon.ico", favicon),
]

handler404 = "relais.core.views.not_found"
handler403 = "relais.core.views.forbidden"
handler500 = "relais.core.views.server_error"
