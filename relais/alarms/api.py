"""The activation API of the harassment alarm: the zone's dispatch service account posts each
press of a button; the dispatcher's summary as JSON (the same selector as the screen)."""

from __future__ import annotations

from decimal import Decimal

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from relais.accounts.authentication import GatewayCredentials
from relais.alarms import selectors, services
from relais.alarms.models import AlarmActivation, Anomaly
from relais.core.api import api_actor

IDEMPOTENCY = OpenApiParameter(
    "Idempotency-Key", str, OpenApiParameter.HEADER, required=False,
    description="Send the same key again to get the first activation instead of a second one. "
                "Without a key, the same device and time are the same press.")


class ActivationIn(serializers.Serializer):
    device = serializers.CharField(max_length=64, label=gettext_lazy("device serial number"))
    at = serializers.DateTimeField(label=gettext_lazy("time of the press"))
    latitude = serializers.FloatField(min_value=-90, max_value=90, required=False,
                                      allow_null=True)
    longitude = serializers.FloatField(min_value=-180, max_value=180, required=False,
                                       allow_null=True)
    accuracy_m = serializers.IntegerField(min_value=0, max_value=1_000_000, required=False,
                                          allow_null=True)

    def validate(self, data: dict) -> dict:
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            raise serializers.ValidationError(
                {"longitude" if data.get("longitude") is None else "latitude": [
                    _("Give both latitude and longitude, or neither.")]})
        return data


class ActivationOut(serializers.Serializer):
    id = serializers.IntegerField()
    anomaly = serializers.CharField(allow_null=True)
    anomaly_label = serializers.CharField(allow_null=True)
    replayed = serializers.BooleanField()
    summary_url = serializers.CharField(allow_null=True)
    summary_api_url = serializers.CharField(allow_null=True)
    summary = serializers.JSONField(
        allow_null=True, help_text="The dispatcher's summary, as GET summary_api_url answers "
        "it (null when the caller may not open it); reading it is audited.")
    detail = serializers.CharField()


def _coordinate(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(round(value, 6)))


def activation_out(activation: AlarmActivation, *, summary_open: bool, replayed: bool) -> dict:
    anomaly = activation.anomaly or None
    if anomaly:
        detail = _("Stored with an anomaly and alerted to the zone's dispatch: %(what)s.") % {
            "what": Anomaly(anomaly).label}
    else:
        detail = _("Received: the dispatchers are alerted and the summary is ready.")
    return {
        "id": activation.pk, "anomaly": anomaly,
        "anomaly_label": str(Anomaly(anomaly).label) if anomaly else None,
        "replayed": replayed,
        "summary_url": reverse("alarms:summary", args=[activation.pk]) if summary_open
        else None,
        "summary_api_url": reverse("api:alarm_summary", args=[activation.pk]) if summary_open
        else None,
        "detail": detail,
    }


class ActivationApi(APIView):
    # Only the alarm platform's gateway token posts presses (docs/alarms.md).
    permission_classes = [GatewayCredentials]

    @extend_schema(
        request=ActivationIn, parameters=[IDEMPOTENCY],
        responses={201: ActivationOut,
                   202: OpenApiResponse(ActivationOut, description="Stored with an anomaly "
                                        "(unknown, returned or foreign device) and alerted."),
                   200: OpenApiResponse(ActivationOut, description="The same press again."),
                   400: OpenApiResponse(description="Malformed body: errors per field.")},
        summary="Receive a press of a harassment-alarm button (COL 3/2023)")
    def post(self, request: Request) -> Response:
        payload = ActivationIn(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        actor = api_actor(request)
        received = services.activation_receive(
            actor=actor, serial=data["device"].strip(), occurred_at=data["at"],
            latitude=_coordinate(data.get("latitude")),
            longitude=_coordinate(data.get("longitude")), accuracy_m=data.get("accuracy_m"),
            idempotency_key=request.headers.get("Idempotency-Key", ""))
        activation = received.activation
        try:  # the summary in the answer: the dispatch software needs one round trip
            if received.created:
                summary = selectors.received_summary(actor=actor, activation=activation)
            else:
                summary = selectors.activation_summary(actor=actor,
                                                       activation_id=activation.pk)
        except Http404:
            summary = None
        body = activation_out(activation, summary_open=summary is not None,
                              replayed=not received.created)
        body["summary"] = None if summary is None else selectors.summary_data(summary)
        if not received.created:
            code = status.HTTP_200_OK
        elif activation.anomaly:
            code = status.HTTP_202_ACCEPTED
        else:
            code = status.HTTP_201_CREATED
        headers = {"Location": body["summary_api_url"]} if body["summary_api_url"] else {}
        return Response(ActivationOut(body).data, status=code, headers=headers)


class ActivationSummaryApi(APIView):
    @extend_schema(summary="The dispatcher's one-screen summary of an activation",
                   responses={200: OpenApiResponse(description="The summary (see docs/alarms.md)")})
    def get(self, request: Request, activation_id: int) -> Response:
        summary = selectors.activation_summary(actor=api_actor(request),
                                               activation_id=activation_id)
        return Response(selectors.summary_data(summary))
