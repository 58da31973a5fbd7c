from django.urls import path

from relais.safeguards import views

app_name = "safeguards"

urlpatterns = [
    path("safeguards/cases/<id:case_id>/residence/", views.residence_new, name="residence_new"),
    path("safeguards/cases/<id:case_id>/hospital-alert/", views.alert_new, name="alert_new"),
    path("safeguards/hospital-alerts/<id:alert_id>/end/", views.alert_end, name="alert_end"),
]
