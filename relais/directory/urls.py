from django.urls import path

from relais.directory import views

app_name = "directory"

urlpatterns = [
    path("directory/", views.search, name="search"),
    path("directory/new/", views.edit, name="new"),
    path("directory/mine/", views.mine, name="mine"),
    path("directory/import/", views.import_view, name="import"),
    path("directory/export.<slug:fmt>", views.export, name="export"),
    path("directory/poster.pdf", views.poster, name="poster"),
    path("directory/leaflet/<str:refnis>.pdf", views.leaflet, name="leaflet"),
    path("directory/<id:service_id>/", views.detail, name="detail"),
    path("directory/<id:service_id>/edit/", views.edit, name="edit"),
    path("directory/<id:service_id>/capacity/", views.capacity, name="capacity"),
    path("directory/<id:service_id>/confirm/", views.confirm, name="confirm"),
    path("directory/<id:service_id>/history/", views.history, name="history"),
    path("help/", views.public, name="public"),
    path("help/<str:language>/", views.public, name="public_language"),
]
