from django.urls import path

from relais.femicide import views

app_name = "femicide"
urlpatterns = [
    path("femicide/", views.record_list, name="list"),
    path("femicide/new/", views.record_new, name="new"),
    path("femicide/figures/", views.figures, name="figures"),
    path("femicide/figures/export/<slug:fmt>/", views.figures_export, name="figures_export"),
    path("femicide/<id:record_id>/", views.record_detail, name="record"),
    path("femicide/<id:record_id>/contacts/", views.contact_add, name="contact_add"),
    path("femicide/<id:record_id>/reviewers/", views.reviewers, name="reviewers"),
]
