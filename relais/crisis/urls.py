from django.urls import path

from relais.crisis import views

app_name = "crisis"

urlpatterns = [
    path("crises/", views.crisis_list, name="list"),
    path("crises/declare/", views.declare, name="declare"),
    path("crises/<id:crisis_id>/", views.detail, name="detail"),
    path("crises/<id:crisis_id>/lift/", views.lift, name="lift"),
    path("crises/<id:crisis_id>/debrief/", views.debrief, name="debrief"),
    path("crises/confirm/<id:service_id>/", views.confirm, name="confirm"),
]
