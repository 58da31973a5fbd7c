from django.urls import path

from relais.core import job_views

app_name = "core"
urlpatterns = [
    path("jobs/<id:job_id>/", job_views.job_view, name="job"),
    path("jobs/<id:job_id>/cancel/", job_views.job_cancel, name="job_cancel"),
]
