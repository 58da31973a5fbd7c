from django.urls import path

from relais.amendments import views

app_name = "amendments"

urlpatterns = [
    path("reports/<id:report_id>/addendum/", views.report_amend, name="report_amend"),
    path("risk/<id:assessment_id>/addendum/", views.assessment_amend, name="assessment_amend"),
]
