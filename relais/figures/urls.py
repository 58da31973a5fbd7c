from django.urls import path

from relais.figures import urls_series, views, views_consent

app_name = "figures"
urlpatterns = [
    path("figures/", views.dashboard, name="dashboard"),
    path("figures/export/<str:fmt>/", views.export, name="export"),
    path("figures/cases/<id:case_id>/refusal/", views_consent.refusal_new, name="refusal_new"),
    path("figures/cases/<id:case_id>/refusals/<id:refusal_id>/withdraw/",
         views_consent.refusal_withdraw, name="refusal_withdraw"),
]
urlpatterns += urls_series.urlpatterns
