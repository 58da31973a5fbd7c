from django.urls import path

from relais.intake import views

app_name = "intake"

urlpatterns = [
    path("cases/<id:case_id>/reports/new/", views.report_new, name="report_new"),
    path("reports/<id:report_id>/", views.report_detail, name="report_detail"),
    path("reports/<id:report_id>/forward/", views.report_forward, name="report_forward"),
    path("reports/<id:report_id>/<slug:document>.pdf", views.report_document,
         name="report_document"),
    path("reports/wording-check/", views.wording_fragment, name="wording_check"),
    path("reports/postcode/", views.postcode_municipality, name="postcode_municipality"),
]
