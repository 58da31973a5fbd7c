from django.urls import path

from relais.referrals import views

app_name = "referrals"

urlpatterns = [
    path("cases/<id:case_id>/help/", views.find_help, name="find_help"),
    path("cases/<id:case_id>/referrals/new/", views.referral_new, name="new"),
    path("referrals/", views.referral_list, name="list"),
    path("referrals/export.<slug:fmt>", views.referral_export, name="list_export"),
    path("referrals/<id:referral_id>/", views.referral_detail, name="detail"),
    path("referrals/<id:referral_id>/step/", views.referral_step, name="step"),
]
