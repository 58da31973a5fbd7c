from django.urls import path

from relais.cases import views

app_name = "cases"
urlpatterns = [
    path("cases/", views.my_cases, name="my_cases"),
    path("cases/new/", views.case_open, name="case_open"),
    path("cases/search/", views.search, name="search"),
    path("cases/<id:case_id>/", views.case_detail, name="case_detail"),
    path("cases/<id:case_id>/sections/<slug:panel>/", views.case_panel, name="case_panel"),
    path("cases/<id:case_id>/persons/new/", views.person_add, name="person_add"),
    path("cases/<id:case_id>/notes/new/", views.note_add, name="note_add"),
    path("cases/<id:case_id>/history/", views.case_history, name="case_history"),
    path("cases/<id:case_id>/close/", views.case_close, name="case_close"),
    path("cases/<id:case_id>/delete/", views.case_delete, name="case_delete"),
    path("persons/<id:person_id>/", views.person_detail, name="person_detail"),
    path("persons/<id:person_id>/edit/", views.person_edit, name="person_edit"),
    path("persons/<id:person_id>/phones/new/", views.phone_add, name="phone_add"),
    path("persons/<id:person_id>/addresses/new/", views.address_add, name="address_add"),
    path("persons/<id:person_id>/safe-contact/", views.safe_contact_edit, name="safe_contact"),
    path("persons/<id:person_id>/needs/new/", views.need_add, name="need_add"),
    path("persons/<id:person_id>/history/", views.person_history, name="person_history"),
    path("persons/<id:person_id>/safe-contact/history/", views.safe_contact_history,
         name="safe_contact_history"),
]
