"""The dispatch's look-up of the red list: the zone's dispatch software, with the zone's
gateway token (the same device-token model as the alarm activations), sends a normalised
address or a phone number; the answer holds only the priority, the zone, the flags and the
opaque red-list reference (``selectors.ANSWER_KEYS``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from relais.accounts.authentication import GatewayCredentials
from relais.core.api import api_actor
from relais.redlist import selectors
from relais.redlist.normalise import lookup_keys


class LookupIn(serializers.Serializer):
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True,
                                  label=gettext_lazy("phone number"))
    postcode = serializers.CharField(max_length=4, required=False, allow_blank=True,
                                     label=gettext_lazy("postcode"))
    street = serializers.CharField(max_length=200, required=False, allow_blank=True,
                                   label=gettext_lazy("street"))
    number = serializers.CharField(max_length=12, required=False, allow_blank=True,
                                   label=gettext_lazy("number"))
    box = serializers.CharField(max_length=12, required=False, allow_blank=True,
                                label=gettext_lazy("box"))

    def validate(self, data: dict) -> dict:
        """Either a phone number, or an address (postcode, street and number; box optional)."""
        try:
            data["keys"] = lookup_keys(**data)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                raise serializers.ValidationError(error.message_dict) from error
            raise serializers.ValidationError(error.messages) from error
        return data


class FlagsOut(serializers.Serializer):
    high_risk = serializers.BooleanField()
    weapons = serializers.BooleanField()
    ban_in_force = serializers.BooleanField(help_text="A residence ban or no-contact order.")
    alarm = serializers.BooleanField(help_text="A harassment alarm in use.")
    children = serializers.BooleanField()


class LookupOut(serializers.Serializer):
    listed = serializers.BooleanField()
    priority = serializers.IntegerField(allow_null=True,
                                        help_text="0 normal, 1 raised, 2 high, 3 very high.")
    priority_label = serializers.CharField(allow_null=True)
    zone = serializers.CharField(allow_null=True, help_text="The police zone that listed it.")
    flags = FlagsOut(allow_null=True)
    reference = serializers.CharField(
        allow_null=True, help_text="The opaque red-list reference (RL-…), for a call-back to "
        "the zone; not the case reference.")


class LookupApi(APIView):
    # Only the zone's dispatch gateway token looks the red list up (docs/redlist.md).
    permission_classes = [GatewayCredentials]

    @extend_schema(
        request=LookupIn,
        responses={200: LookupOut,
                   400: OpenApiResponse(description="Malformed body: errors per field.")},
        summary="Look an address or a phone number up in the red list for dispatch")
    def post(self, request: Request) -> Response:
        payload = LookupIn(data=request.data)
        payload.is_valid(raise_exception=True)
        answer = selectors.lookup(actor=api_actor(request), keys=payload.validated_data["keys"])
        # ``answer.data()`` has exactly LookupOut's fields (the schema); built directly, as a
        # serializer costs more than the look-up (bench/redlist.py).
        return Response(answer.data())
