"""The REST API under /api/ with its OpenAPI schema and browsable docs."""

from django.urls import path
from django_otp.decorators import otp_required
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from relais.alarms import api as alarms_api
from relais.cases import api as cases_api
from relais.directory import api as directory_api
from relais.redlist import api as redlist_api

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
]
