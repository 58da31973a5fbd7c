from django.urls import path

from relais.alarms import views

app_name = "alarms"

urlpatterns = [
    path("alarms/", views.board, name="board"),
    path("alarms/export.<slug:fmt>", views.board_export, name="board_export"),
    path("alarms/activations/<id:activation_id>/", views.activation_summary, name="summary"),
    path("alarms/activations/<id:activation_id>/handled/", views.activation_handle,
         name="handle"),
    path("alarms/requests/", views.request_list, name="requests"),
    path("alarms/requests/export.<slug:fmt>", views.requests_export, name="requests_export"),
    path("alarms/requests/<id:request_id>/", views.request_detail, name="request"),
    path("alarms/devices/", views.devices, name="devices"),
    path("alarms/devices/<id:device_id>/", views.device_detail, name="device"),
    path("cases/<id:case_id>/alarm/new/", views.request_new, name="request_new"),
]
