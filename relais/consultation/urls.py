from django.urls import path

from relais.consultation import documents, views, views_admin

app_name = "consultation"
urlpatterns = [
    path("consultation/", views.bodies, name="bodies"),
    path("consultation/bodies/<id:body_id>/", views.body, name="body"),
    path("consultation/bodies/<id:body_id>/actions/", views.board, name="board"),
    path("consultation/bodies/<id:body_id>/meetings/new/", views.meeting_new,
         name="meeting_new"),
    path("consultation/cases/<id:case_id>/refer/<id:body_id>/", views.refer, name="refer"),
    path("consultation/referrals/<id:referral_id>/", views.referral, name="referral"),
    path("consultation/referrals/<id:referral_id>/withdraw/", views.referral_withdraw,
         name="referral_withdraw"),
    path("consultation/meetings/<id:meeting_id>/", views.meeting, name="meeting"),
    path("consultation/meetings/<id:meeting_id>/agenda/", views.agenda_add, name="agenda_add"),
    path("consultation/meetings/<id:meeting_id>/attendance/", views.attendance,
         name="attendance"),
    path("consultation/meetings/<id:meeting_id>/close/", views.meeting_close,
         name="meeting_close"),
    path("consultation/hearings/<id:hearing_id>/", views.hearing, name="hearing"),
    path("consultation/hearings/<id:hearing_id>/remove/", views.agenda_remove,
         name="agenda_remove"),
    path("consultation/hearings/<id:hearing_id>/contribution/", views.contribution,
         name="contribution"),
    path("consultation/plans/<id:plan_id>/", views.plan, name="plan"),
    path("consultation/plans/<id:plan_id>/actions/new/", views.action_new, name="action_new"),
    path("consultation/plans/<id:plan_id>/close/", views.plan_close, name="plan_close"),
    # --- c-admin ---
    path("consultation/bodies/<id:body_id>/admin/", views_admin.body_admin, name="body_admin"),
    path("consultation/bodies/<id:body_id>/members/", views_admin.member_save,
         name="member_save"),
    path("consultation/members/<id:membership_id>/remove/", views_admin.member_remove,
         name="member_remove"),
    path("consultation/bodies/<id:body_id>/criteria/", views_admin.criteria, name="criteria"),
    path("consultation/bodies/<id:body_id>/figures/", views_admin.figures, name="figures"),
    path("consultation/bodies/<id:body_id>/figures/export/<slug:fmt>/",
         views_admin.figures_export, name="figures_export"),
    # --- end c-admin ---
    # --- c-docs ---
    path("consultation/meetings/<id:meeting_id>/agenda.pdf", documents.agenda_pdf,
         name="agenda_pdf"),
    path("consultation/plans/<id:plan_id>/plan.pdf", documents.plan_pdf, name="plan_pdf"),
    # --- end c-docs ---
]
