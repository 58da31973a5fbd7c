from django.urls import path, re_path

from relais.core.public import PUBLIC_LANGUAGES
from relais.feedback import views

app_name = "feedback"

urlpatterns = [
    path("feedback/", views.entry, name="entry"),
    path("feedback/results/", views.results, name="results"),
    re_path(rf"^feedback/(?P<language>{'|'.join(PUBLIC_LANGUAGES)})/$", views.entry,
            name="entry_language"),
    path("feedback/<str:code>/", views.form, name="form"),
    path("feedback/<str:code>/<str:language>/", views.form, name="form_language"),
]
