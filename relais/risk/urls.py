from django.urls import path

from relais.risk import views

app_name = "risk"

urlpatterns = [
    path("cases/<id:case_id>/risk/<slug:instrument_code>/", views.assessment_new,
         name="assessment_new"),
    path("risk/<id:assessment_id>/", views.assessment_detail, name="assessment_detail"),
    path("risk/<id:assessment_id>/confirm/", views.assessment_confirm,
         name="assessment_confirm"),
    path("risk/actions/<id:action_id>/", views.action_decide, name="action_decide"),
]
