"""REST API of the directory: the same search and the same ``ServiceView`` as the screens, so
a confidential address reaches only the service's own staff here too."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.http import Http404, QueryDict
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from relais.access.directory import may_edit
from relais.core.api import IF_MATCH_OPTIONAL, api_actor, etag, if_match
from relais.directory import selectors, services
from relais.directory.forms import CapacityForm, SearchForm
from relais.directory.selectors import Match, ServiceView


class ServiceOut(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    type = serializers.CharField()
    fictitious = serializers.BooleanField()
    languages = serializers.ListField(child=serializers.CharField())
    target_groups = serializers.ListField(child=serializers.CharField())
    address = serializers.CharField(help_text="Empty when confidential (except for its staff).")
    address_confidential = serializers.BooleanField()
    phone = serializers.CharField()
    contact_person = serializers.CharField()
    location = serializers.ListField(child=serializers.FloatField(), allow_null=True)
    free_places = serializers.IntegerField(allow_null=True)
    waiting_days = serializers.IntegerField(allow_null=True)
    crisis_status = serializers.CharField()
    stale = serializers.BooleanField()


class MatchOut(serializers.Serializer):
    service = ServiceOut()
    score = serializers.IntegerField()
    open_now = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.DictField())


def service_out(view: ServiceView) -> dict:
    service = view.service
    return {
        "id": service.pk, "code": service.code, "name": service.name, "type": service.type,
        "fictitious": service.is_fictitious, "languages": service.languages,
        "target_groups": service.target_groups, "address": view.address,
        "address_confidential": service.address_confidential, "phone": view.phone,
        "contact_person": view.contact_person,
        "location": list(view.location) if view.location else None,
        "free_places": service.free_places, "waiting_days": service.waiting_days,
        "crisis_status": service.crisis_status, "stale": view.stale(),
    }


def match_out(match: Match, view: ServiceView) -> dict:
    return {"service": service_out(view), "score": match.score, "open_now": match.open_now,
            "reasons": [{"reason": text, "points": points} for text, points in match.reasons]}


SEARCH_PARAMETERS = [
    OpenApiParameter(name, str, required=False, description=text) for name, text in (
        ("where", "Postcode or municipality"), ("need", "A need code (see the needs file)"),
        ("language", "A language code"), ("target_group", "victims, perpetrators..."),
        ("open_now", "true to keep only services open now"),
        ("free_places", "true to keep only services with a free place"),
        ("accepts_undocumented", "true"), ("no_income_required", "true"))
]


class ServiceSearchApi(APIView):
    @extend_schema(parameters=SEARCH_PARAMETERS, responses=MatchOut(many=True),
                   summary="Search the directory, best first, with the reasons for each rank")
    def get(self, request: Request) -> Response:
        actor = api_actor(request)
        params = QueryDict(mutable=True)
        for key, value in request.query_params.items():
            params[key] = "on" if value.lower() in {"true", "1", "yes"} else value
        form = SearchForm(params)
        if not form.is_valid():
            return Response({"errors": form.errors}, status=400)
        matches = selectors.service_search(query=form.query())
        return Response([match_out(m, selectors.view_for(m.service, actor)) for m in matches])


def _with_etag(response: Response, actor, service) -> Response:
    """The capacity's version as the ETag, for whoever may update it (its If-Match)."""
    if may_edit(actor, service):
        response["ETag"] = etag(services.capacity_version(service))
    return response


class ServiceDetailApi(APIView):
    @extend_schema(responses=ServiceOut, summary="One directory entry")
    def get(self, request: Request, service_id: int) -> Response:
        actor = api_actor(request)
        view = selectors.service_get(actor=actor, service_id=service_id)
        return _with_etag(Response(service_out(view)), actor, view.service)


class CapacityIn(serializers.Serializer):
    free_places = serializers.IntegerField(allow_null=True, required=False)
    waiting_days = serializers.IntegerField(allow_null=True, required=False)
    crisis_status = serializers.CharField()


NOT_AN_OBJECT = _("Send a JSON object with free_places, waiting_days and crisis_status.")


class ServiceCapacityApi(APIView):
    @extend_schema(request=CapacityIn, responses=ServiceOut, parameters=[IF_MATCH_OPTIONAL],
                   summary="The service's own staff update today's capacity and status")
    def post(self, request: Request, service_id: int) -> Response:
        """Over the version read (``If-Match``, the entry's ETag) when sent: if someone
        updated the capacity since, nothing is saved (412). Optional: clients already in use
        send none."""
        actor = api_actor(request)
        if not may_edit(actor, selectors.service_get(actor=actor, service_id=service_id).service):
            raise Http404  # before reading the body: only its keeper or an editor updates it
        if not isinstance(request.data, Mapping):
            return Response({"errors": {"__all__": [NOT_AN_OBJECT]}}, status=400)
        data = {k: "" if v is None else v for k, v in request.data.items()}
        form = CapacityForm(data)
        if not form.is_valid():
            return Response({"errors": form.errors}, status=400)
        try:
            services.capacity_update(actor=actor, service_id=service_id, **{
                **form.cleaned_data, "version": if_match(request, required=False)})
        except ValidationError as error:
            return Response({"errors": error.message_dict}, status=400)
        view = selectors.service_get(actor=actor, service_id=service_id)
        return _with_etag(Response(service_out(view)), actor, view.service)
