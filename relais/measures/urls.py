from django.urls import path

from relais.measures import views

app_name = "measures"

urlpatterns = [
    path("measures/", views.measures_list, name="list"),
    path("measures/export.<slug:fmt>", views.measures_export, name="list_export"),
    path("measures/cases/<id:case_id>/ban/new/", views.ban_new, name="ban_new"),
    path("measures/bans/<id:ban_id>/", views.ban_detail, name="ban"),
    path("measures/bans/<id:ban_id>/history/", views.ban_history, name="ban_history"),
    path("measures/bans/<id:ban_id>/notice.pdf", views.ban_notice, name="ban_notice"),
    path("measures/bans/<id:ban_id>/serve/", views.ban_serve, name="ban_serve"),
    path("measures/bans/<id:ban_id>/extend/", views.ban_extend, name="ban_extend"),
    path("measures/bans/<id:ban_id>/lift/", views.ban_lift, name="ban_lift"),
    path("measures/bans/<id:ban_id>/breach/", views.ban_breach, name="ban_breach"),
    path("measures/bans/<id:ban_id>/stay/", views.ban_stay, name="ban_stay"),
    path("measures/cases/<id:case_id>/detention/new/", views.detention_new,
         name="detention_new"),
    path("measures/detentions/<id:detention_id>/", views.detention_detail, name="detention"),
    path("measures/detentions/<id:detention_id>/history/", views.detention_history,
         name="detention_history"),
]
