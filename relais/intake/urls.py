from django.urls import path

from relais.intake import views

app_name = "intake"

urlpatterns = [
    path("cases/<int:case_id>/reports/new/", views.report_new, name="report_new"),
    path("reports/<int:report_id>/", views.report_detail, name="report_detail"),
    path("reports/<int:report_id>/forward/", views.report_forward, name="report_forward"),
    path("reports/<int:report_id>/<slug:document>.pdf", views.report_document,
         name="report_document"),
    path("reports/wording-check/", views.wording_fragment, name="wording_check"),
]
