from django.urls import path

from relais.safetyplan import views

app_name = "safetyplan"

urlpatterns = [
    path("safety-plans/cases/<id:case_id>/persons/<id:person_id>/new/", views.plan_new,
         name="new"),
    path("safety-plans/<id:plan_id>/", views.plan_detail, name="plan"),
    path("safety-plans/<id:plan_id>/review/", views.plan_review, name="review"),
    path("safety-plans/<id:plan_id>/unchanged/", views.plan_confirm, name="confirm"),
    path("safety-plans/<id:plan_id>/versions/", views.version_list, name="versions"),
    path("safety-plans/<id:plan_id>/versions/<id:number>/", views.version_detail,
         name="version"),
    path("safety-plans/<id:plan_id>/print/", views.plan_print, name="print"),
    path("safety-plans/<id:plan_id>/consents/", views.consent_add, name="consent"),
    path("safety-plans/consents/<id:consent_id>/withdraw/", views.consent_revoke,
         name="consent_revoke"),
]
