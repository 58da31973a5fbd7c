from django.urls import path

from relais.referrals import views

app_name = "referrals"

urlpatterns = [
    path("cases/<int:case_id>/help/", views.find_help, name="find_help"),
    path("cases/<int:case_id>/referrals/new/", views.referral_new, name="new"),
    path("referrals/", views.referral_list, name="list"),
    path("referrals/<int:referral_id>/", views.referral_detail, name="detail"),
    path("referrals/<int:referral_id>/step/", views.referral_step, name="step"),
]
