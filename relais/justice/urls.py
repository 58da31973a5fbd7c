from django.urls import path

from relais.justice import views

app_name = "justice"
urlpatterns = [
    path("prosecution/", views.table, name="table"),
    path("prosecution/export.<slug:fmt>", views.table_export, name="table_export"),
    path("prosecution/entries/<id:entry_id>/", views.entry_detail, name="entry"),
    path("prosecution/entries/<id:entry_id>/reader/", views.entry_reader, name="entry_reader"),
    path("prosecution/entries/<id:entry_id>/merge/", views.entry_merge, name="entry_merge"),
    path("prosecution/merges/", views.merges, name="merges"),
    path("prosecution/merges/<id:merge_id>/undo/", views.merge_undo, name="merge_undo"),
    path("cases/<id:case_id>/merge-proposal/", views.proposal_new, name="proposal_new"),
    path("merge-proposals/<id:proposal_id>/", views.proposal_detail, name="proposal"),
    path("merge-proposals/<id:proposal_id>/cancel/", views.proposal_cancel,
         name="proposal_cancel"),
    path("prosecution/sections/", views.sections, name="sections"),
    path("prosecution/sections/new/", views.section_edit, name="section_new"),
    path("prosecution/sections/<id:section_id>/", views.section_edit, name="section"),
]
