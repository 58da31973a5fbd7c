from django.urls import path

from relais.redlist import views

app_name = "redlist"
urlpatterns = [
    path("redlist/", views.entries, name="entries"),
    path("redlist/new/", views.entry_new, name="entry_new"),
    path("redlist/<id:entry_id>/", views.entry, name="entry"),
    path("redlist/<id:entry_id>/review/", views.entry_extend, name="entry_extend"),
    path("redlist/<id:entry_id>/lift/", views.entry_lift, name="entry_lift"),
    path("dispatch/redlist/", views.lookup, name="lookup"),
]
