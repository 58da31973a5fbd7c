from django.urls import path

from relais.helpline import views

app_name = "helpline"
urlpatterns = [
    path("helpline/", views.call_new, name="call_new"),
    path("helpline/calls/", views.calls, name="calls"),
    path("helpline/figures/", views.figures, name="figures"),
    path("helpline/figures/export/<slug:fmt>/", views.figures_export, name="figures_export"),
]
