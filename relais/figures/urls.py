from django.urls import path

from relais.figures import urls_series, views

app_name = "figures"
urlpatterns = [
    path("figures/", views.dashboard, name="dashboard"),
    path("figures/export/<str:fmt>/", views.export, name="export"),
]
urlpatterns += urls_series.urlpatterns
