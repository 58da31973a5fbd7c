from django.urls import path

from relais.transfers import views

app_name = "transfers"
urlpatterns = [
    path("cases/<id:case_id>/transfer/", views.transfer_request, name="request"),
    path("transfers/", views.inbox, name="inbox"),
    path("transfers/export.<slug:fmt>", views.inbox_export, name="inbox_export"),
    path("transfers/<id:transfer_id>/", views.transfer_detail, name="transfer"),
    path("transfers/<id:transfer_id>/cancel/", views.transfer_cancel, name="cancel"),
]
