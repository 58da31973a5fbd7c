from django.urls import path

from relais.accounts import views

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
]
