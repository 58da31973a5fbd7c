from django.urls import path

from relais.accounts import agency_views, views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.login, name="login"),
    path("sign-in/code/", views.verify, name="verify"),
    path("sign-in/enrol/", views.enroll, name="enroll"),
    path("sign-out/", views.logout, name="logout"),
    path("account/api-token/", views.api_token, name="api_token"),
    path("account/api-tokens/", views.api_token_list, name="api_tokens"),
    path("account/api-tokens/<id:token_id>/revoke/", views.api_token_revoke,
         name="api_token_revoke"),
    # The agency's administration of its own accounts (docs/agency-administration.md).
    path("accounts/agency/", agency_views.agency_accounts, name="agency_accounts"),
    path("accounts/agency/invite/", agency_views.agency_invite, name="agency_invite"),
    path("accounts/agency/<id:user_id>/", agency_views.agency_account, name="agency_account"),
    path("accounts/agency/<id:user_id>/roles/", agency_views.agency_account_roles,
         name="agency_account_roles"),
    path("accounts/agency/<id:user_id>/deactivate/", agency_views.agency_account_deactivate,
         name="agency_account_deactivate"),
    path("accounts/agency/<id:user_id>/reactivate/", agency_views.agency_account_reactivate,
         name="agency_account_reactivate"),
    path("accounts/agency/<id:user_id>/invitation/", agency_views.agency_invitation_resend,
         name="agency_invitation_resend"),
    path("accounts/agency/<id:user_id>/second-factor-reset/", agency_views.agency_reset_request,
         name="agency_reset_request"),
    path("accounts/agency/resets/<id:reset_id>/confirm/", agency_views.agency_reset_confirm,
         name="agency_reset_confirm"),
    path("accounts/agency/resets/<id:reset_id>/cancel/", agency_views.agency_reset_cancel,
         name="agency_reset_cancel"),
    # The invitation e-mail's link (public): choose a password, then enrol the second factor.
    path("invitation/password/", agency_views.invitation_password, name="invitation_password"),
    path("invitation/<str:key>/", agency_views.invitation, name="invitation"),
]
