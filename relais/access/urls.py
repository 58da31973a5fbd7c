from django.urls import path

from relais.access import views

app_name = "access"
urlpatterns = [
    path("cases/<id:case_id>/share/", views.referral_share, name="referral_share"),
    path("cases/<id:case_id>/consultation/", views.consultation, name="consultation"),
    path("cases/<id:case_id>/forward/", views.forward, name="forward"),
    path("cases/<id:case_id>/access-log/", views.access_log, name="access_log"),
    path("cases/<id:case_id>/access-log/export.<slug:fmt>", views.access_log_export,
         name="access_log_export"),
    path("consents/<id:consent_id>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("shares/<id:share_id>/end/", views.share_end, name="share_end"),
    path("break-glass/", views.break_glass, name="break_glass"),
    path("reviews/", views.reviews, name="reviews"),
    path("reviews/<id:share_id>/", views.review, name="review"),
]
