"""The REST API under /api/ with its OpenAPI schema and browsable docs."""

from django.urls import path
from django_otp.decorators import otp_required
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from relais.alarms import api as alarms_api
from relais.cases import api as cases_api
from relais.directory import api as directory_api
from relais.followup import api as followup_api
from relais.intake import api as intake_api
from relais.justice import api as justice_api
from relais.measures import api as measures_api
from relais.programmes import api as programmes_api
from relais.redlist import api as redlist_api
from relais.referrals import api as referrals_api
from relais.risk import api as risk_api

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The schema answers 401 without credentials, like every endpoint (SERVE_PERMISSIONS);
    # the docs page, for a browser, sends to sign-in like every page.
    path("docs/", otp_required(SpectacularSwaggerSplitView.as_view(url_name="api:schema")),
         name="docs"),
    path("cases/", cases_api.CaseListApi.as_view(), name="case_list"),
    path("cases/<id:case_id>/", cases_api.CaseDetailApi.as_view(), name="case_detail"),
    path("cases/<id:case_id>/persons/", cases_api.CasePersonsApi.as_view(),
         name="case_persons"),
    path("persons/<id:person_id>/", cases_api.PersonDetailApi.as_view(), name="person_detail"),
    path("persons/<id:person_id>/safe-contact/", cases_api.SafeContactApi.as_view(),
         name="person_safe_contact"),
    path("directory/services/", directory_api.ServiceSearchApi.as_view(),
         name="directory_search"),
    path("directory/services/<id:service_id>/", directory_api.ServiceDetailApi.as_view(),
         name="directory_detail"),
    path("directory/services/<id:service_id>/capacity/",
         directory_api.ServiceCapacityApi.as_view(), name="directory_capacity"),
    path("alarms/activations/", alarms_api.ActivationApi.as_view(), name="alarm_activations"),
    path("alarms/activations/<id:activation_id>/summary/",
         alarms_api.ActivationSummaryApi.as_view(), name="alarm_summary"),
    path("redlist/lookup/", redlist_api.LookupApi.as_view(), name="redlist_lookup"),
    # --- issue 19 §4: intake, risk, referrals, follow-up, prosecution, measures, programmes
    path("cases/<id:case_id>/reports/", intake_api.CaseReportsApi.as_view(),
         name="case_reports"),
    path("reports/<id:report_id>/", intake_api.ReportDetailApi.as_view(), name="report_detail"),
    path("cases/<id:case_id>/assessments/", risk_api.CaseAssessmentsApi.as_view(),
         name="case_assessments"),
    path("assessments/<id:assessment_id>/", risk_api.AssessmentDetailApi.as_view(),
         name="assessment_detail"),
    path("referrals/", referrals_api.ReferralListApi.as_view(), name="referral_list"),
    path("referrals/<id:referral_id>/", referrals_api.ReferralDetailApi.as_view(),
         name="referral_detail"),
    path("referrals/<id:referral_id>/steps/", referrals_api.ReferralStepsApi.as_view(),
         name="referral_steps"),
    path("tasks/", followup_api.TaskListApi.as_view(), name="task_list"),
    path("tasks/<id:task_id>/", followup_api.TaskDetailApi.as_view(), name="task_detail"),
    path("tasks/<id:task_id>/take/", followup_api.TaskTakeApi.as_view(), name="task_take"),
    path("tasks/<id:task_id>/cancel/", followup_api.TaskCancelApi.as_view(),
         name="task_cancel"),
    path("prosecution/entries/", justice_api.EntryListApi.as_view(), name="entry_list"),
    path("prosecution/entries/<id:entry_id>/", justice_api.EntryDetailApi.as_view(),
         name="entry_detail"),
    path("measures/bans/", measures_api.BanListApi.as_view(), name="ban_list"),
    path("measures/bans/<id:ban_id>/", measures_api.BanDetailApi.as_view(), name="ban_detail"),
    path("measures/detentions/", measures_api.DetentionListApi.as_view(),
         name="detention_list"),
    path("measures/detentions/<id:detention_id>/", measures_api.DetentionDetailApi.as_view(),
         name="detention_detail"),
    path("programmes/files/", programmes_api.FileListApi.as_view(),
         name="programme_file_list"),
    path("programmes/files/<id:file_id>/", programmes_api.FileDetailApi.as_view(),
         name="programme_file_detail"),
]
