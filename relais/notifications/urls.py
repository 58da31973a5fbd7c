from django.urls import path

from relais.notifications import views

app_name = "notifications"

urlpatterns = [
    path("notices/", views.inbox, name="inbox"),
    path("notices/<id:notice_id>/done/", views.acknowledge, name="acknowledge"),
]
