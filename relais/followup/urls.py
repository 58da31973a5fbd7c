from django.urls import path

from relais.followup import views

app_name = "followup"

urlpatterns = [
    path("follow-up/", views.queue, name="queue"),
    path("follow-up/export.<slug:fmt>", views.queue_export, name="queue_export"),
    path("follow-up/calendar/", views.calendar, name="calendar"),
    path("today/", views.today, name="today"),
    path("follow-up/tasks/<id:task_id>/", views.task_detail, name="task"),
    path("follow-up/tasks/<id:task_id>/take/", views.task_take, name="take"),
    path("follow-up/tasks/<id:task_id>/cancel/", views.task_cancel, name="cancel"),
    path("follow-up/crisis/", views.crisis_view, name="crisis"),
    path("follow-up/crisis/<id:batch_id>/undo/", views.crisis_undo, name="crisis_undo"),
    path("follow-up/crisis/vulnerable/", views.vulnerable_view, name="vulnerable"),
    path("follow-up/crisis/child-reflex/", views.child_reflex_start, name="child_reflex"),
    path("follow-up/policy/", views.policy, name="policy"),
    path("follow-up/policy/neighbourhoods/new/", views.neighbourhood, name="neighbourhood_new"),
    path("follow-up/policy/neighbourhoods/<id:neighbourhood_id>/", views.neighbourhood,
         name="neighbourhood"),
    path("follow-up/indicator/", views.indicator, name="indicator"),
]
