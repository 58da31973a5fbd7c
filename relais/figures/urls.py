from django.urls import path

from relais.figures import views

app_name = "figures"
urlpatterns = [
    path("figures/", views.dashboard, name="dashboard"),
]
