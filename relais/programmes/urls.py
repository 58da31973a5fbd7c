from django.urls import path

from relais.programmes import views

app_name = "programmes"

urlpatterns = [
    path("programmes/", views.file_list, name="files"),
    path("programmes/followed/", views.followed, name="followed"),
    path("programmes/export.<slug:fmt>", views.files_export, name="files_export"),
    path("programmes/files/new/", views.file_new, name="file_new"),
    path("programmes/referrals/<id:referral_id>/open/", views.file_from_referral,
         name="file_from_referral"),
    path("programmes/files/<id:file_id>/", views.file_detail, name="file"),
    path("programmes/files/<id:file_id>/activities/new/", views.activity_new,
         name="activity_new"),
    path("programmes/files/<id:file_id>/group/", views.file_group, name="file_group"),
    path("programmes/files/<id:file_id>/substances/", views.file_substances,
         name="file_substances"),
    path("programmes/groups/", views.groups, name="groups"),
    path("programmes/groups/<id:group_id>/", views.group_detail, name="group"),
    path("programmes/groups/<id:group_id>/close/", views.group_close, name="group_close"),
    path("programmes/settings/", views.settings_view, name="settings"),
    path("programmes/settings/formats/new/", views.format_edit, name="format_new"),
    path("programmes/settings/formats/<id:format_id>/", views.format_edit, name="format"),
]
