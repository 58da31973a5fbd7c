from django.urls import path

from relais.approvals import views

app_name = "approvals"
urlpatterns = [
    path("approvals/", views.approval_list, name="list"),
    path("approvals/<id:request_id>/approve/", views.approval_approve, name="approve"),
    path("approvals/<id:request_id>/refuse/", views.approval_refuse, name="refuse"),
]
