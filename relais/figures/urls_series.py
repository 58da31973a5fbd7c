"""The partner series' screens (relais.figures.views_series), included in the figures' URLs."""

from django.urls import path

from relais.figures import views_series

urlpatterns = [
    path("figures/series/", views_series.series_list_view, name="series_list"),
    path("figures/series/import/", views_series.series_upload, name="series_upload"),
    path("figures/series/<id:series_id>/", views_series.series_detail, name="series_detail"),
]
