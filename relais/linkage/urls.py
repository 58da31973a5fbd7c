from django.urls import path

from relais.linkage import views

app_name = "linkage"
urlpatterns = [
    path("cases/<id:case_id>/likely-known/", views.proposals, name="proposals"),
    path("cases/<id:case_id>/family/", views.family_view, name="family"),
    path("cases/<id:case_id>/family/continue/", views.continue_on, name="continue"),
    path("linkage/", views.queue, name="queue"),
    path("linkage/look-again/", views.rescan_view, name="rescan"),
    path("linkage/links/<id:link_id>/", views.link_detail, name="link"),
    path("linkage/links/<id:link_id>/undo/", views.link_undo, name="link_undo"),
]
