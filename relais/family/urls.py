from django.urls import path

from relais.family import views

app_name = "family"

urlpatterns = [
    path("family/", views.court_list, name="list"),
    path("family/cases/<id:case_id>/new/", views.proceeding_new, name="proceeding_new"),
    path("family/cases/<id:case_id>/court/", views.open_to_court, name="open_to_court"),
    path("family/proceedings/<id:proceeding_id>/", views.proceeding_detail, name="proceeding"),
    path("family/proceedings/<id:proceeding_id>/end/", views.proceeding_end,
         name="proceeding_end"),
    path("family/notices/<id:notice_id>/", views.notice_detail, name="notice"),
]
