"""REST API of the case file: the same selectors and services as the screens."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from relais.access.cases import may_open_case, owner_case_access
from relais.access.scopes import scope_labels
from relais.cases import selectors, services
from relais.cases.models import (
    Case,
    CaseStatus,
    ContactChannel,
    NeverDo,
    ParticipantRole,
    Sex,
    Situation,
    YesNoUnknown,
)
from relais.cases.selectors import PersonView
from relais.cases.timeline import kind_label
from relais.core.actor import Actor
from relais.core.api import (
    IDEMPOTENCY_HEADER,
    IF_MATCH,
    ListApi,
    api_actor,
    etag,
    if_match,
    run_idempotent,
)

IDEMPOTENCY = OpenApiParameter(
    IDEMPOTENCY_HEADER, str, OpenApiParameter.HEADER, required=False,
    description="Send the same key again (same user, endpoint and body) to get the first "
                "result instead of a second record; the same key with another body answers 422.",
)


class PhoneOut(serializers.Serializer):
    number = serializers.CharField()
    label = serializers.CharField()
    safe = serializers.BooleanField()


class AddressOut(serializers.Serializer):
    street = serializers.CharField()
    postcode = serializers.CharField()
    municipality = serializers.CharField()
    confidential = serializers.BooleanField()


class SafeContactOut(serializers.Serializer):
    channel = serializers.CharField()
    hours = serializers.CharField()
    can_speak_freely = serializers.CharField()
    never = serializers.ListField(child=serializers.CharField())


class NeedOut(serializers.Serializer):
    kind = serializers.CharField()
    detail = serializers.CharField()


class PersonOut(serializers.Serializer):
    """A person as the caller may see her: withheld groups are null (not empty)."""

    id = serializers.IntegerField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    birth_date = serializers.DateField(allow_null=True)
    sex = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    languages = serializers.ListField(child=serializers.CharField())
    file_language = serializers.CharField()
    scopes = serializers.ListField(child=serializers.CharField())
    phones = PhoneOut(many=True, allow_null=True)
    addresses = AddressOut(many=True, allow_null=True)
    safe_contact = SafeContactOut(allow_null=True)
    needs = NeedOut(many=True, allow_null=True)


def person_out(view: PersonView) -> dict:
    person = view.person
    return {
        "id": person.pk, "first_name": person.first_name, "last_name": person.last_name,
        "birth_date": person.birth_date, "sex": person.sex, "roles": view.roles,
        "languages": person.languages, "file_language": person.file_language,
        "scopes": sorted(view.scopes),
        "phones": None if view.phones is None else [
            {"number": p.number, "label": p.label, "safe": p.safe} for p in view.phones],
        "addresses": None if view.addresses is None else [
            {"street": a.street, "postcode": a.postcode, "municipality": a.municipality,
             "confidential": a.confidential} for a in view.addresses],
        "safe_contact": None if view.safe_contact is None else {
            "channel": view.safe_contact.channel, "hours": view.safe_contact.hours,
            "can_speak_freely": view.safe_contact.can_speak_freely,
            "never": view.safe_contact.never},
        "needs": None if view.needs is None else [
            {"kind": n.kind, "detail": n.detail} for n in view.needs],
    }


class CaseSummaryOut(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    situation = serializers.CharField()
    municipality = serializers.CharField()
    status = serializers.CharField()
    owner_agency = serializers.CharField()
    opened_at = serializers.DateTimeField()


class TimelineOut(serializers.Serializer):
    occurred_at = serializers.DateTimeField()
    kind = serializers.CharField()
    label = serializers.CharField()
    summary = serializers.CharField()


class CaseOut(CaseSummaryOut):
    scopes = serializers.ListField(child=serializers.CharField())
    basis = serializers.CharField()
    persons = PersonOut(many=True)
    timeline = TimelineOut(many=True)


class CaseIn(serializers.Serializer):
    situation = serializers.ChoiceField(choices=Situation.choices)
    municipality = serializers.CharField(max_length=5)


class PersonIn(serializers.Serializer):
    role = serializers.ChoiceField(choices=ParticipantRole.choices)
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    birth_date = serializers.DateField(required=False, allow_null=True)
    sex = serializers.ChoiceField(choices=Sex.choices, default=Sex.UNKNOWN)
    gender = serializers.CharField(required=False, allow_blank=True, default="")
    languages = serializers.ListField(child=serializers.CharField(max_length=8), required=False,
                                      default=list)
    file_language = serializers.CharField(required=False, allow_blank=True, default="")
    national_number = serializers.CharField(required=False, allow_blank=True, default="")


def case_summary(case) -> dict:
    return {"id": case.pk, "reference": case.reference, "situation": case.situation,
            "municipality": case.municipality, "status": case.status,
            "owner_agency": case.owner_agency.name, "opened_at": case.opened_at}


class CaseFilters(serializers.Serializer):
    status = serializers.ChoiceField(choices=CaseStatus.choices, required=False)


class CaseListApi(ListApi):
    """The cases the caller sees (merged ones left out), one page at a time."""

    serializer_class = CaseSummaryOut
    filters = CaseFilters
    ordering_fields = ("opened_at",)
    ordering = ("-opened_at", "pk")
    audit_basis = "case list"

    def rows(self, *, actor: Actor, filters: dict[str, Any], **kwargs: Any) -> QuerySet[Case]:
        return selectors.case_rows(actor=actor, status=filters.get("status")).select_related(
            "owner_agency")

    def out(self, row: Case) -> dict[str, Any]:
        return case_summary(row)

    @extend_schema(parameters=[CaseFilters], responses=CaseSummaryOut(many=True),
                   summary="The caller's cases")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request=CaseIn, responses={201: CaseSummaryOut}, parameters=[IDEMPOTENCY],
                   summary="Open a case")
    def post(self, request: Request) -> Response:
        actor = api_actor(request)
        if not may_open_case(actor):
            raise Http404
        payload = CaseIn(data=request.data)
        payload.is_valid(raise_exception=True)

        def do() -> str:
            case = services.case_open(actor=actor, **payload.validated_data)
            return reverse("api:case_detail", args=[case.pk])

        url, first = run_idempotent(request, do)
        case_id = int(url.rstrip("/").rsplit("/", 1)[-1])
        view = selectors.case_get(actor=actor, case_id=case_id)
        return Response(CaseSummaryOut(case_summary(view.case)).data,
                        status=status.HTTP_201_CREATED if first else status.HTTP_200_OK,
                        headers={"Location": url})


class CaseDetailApi(APIView):
    @extend_schema(responses=CaseOut, summary="A case as the caller may see it")
    def get(self, request: Request, case_id: int) -> Response:
        view = selectors.case_get(actor=api_actor(request), case_id=case_id)
        data = case_summary(view.case) | {
            "scopes": sorted(view.access.scopes), "basis": view.access.basis,
            "persons": [person_out(pv) for _p, pv in view.participants],
            "timeline": [{"occurred_at": e.occurred_at, "kind": e.kind,
                          "label": kind_label(e.kind), "summary": e.summary_text}
                         for e in view.timeline],
        }
        return Response(CaseOut(data).data)


class CasePersonsApi(APIView):
    @extend_schema(request=PersonIn, responses={201: PersonOut}, parameters=[IDEMPOTENCY],
                   summary="Add a person to a case")
    def post(self, request: Request, case_id: int) -> Response:
        actor = api_actor(request)
        owner_case_access(actor=actor, case_id=case_id)  # 404 before reading the body
        payload = PersonIn(data=request.data)
        payload.is_valid(raise_exception=True)

        def do() -> str:
            participant = services.person_add_to_case(actor=actor, case_id=case_id,
                                                      **payload.validated_data)
            return reverse("api:person_detail", args=[participant.person_id])

        url, first = run_idempotent(request, do)
        person_id = int(url.rstrip("/").rsplit("/", 1)[-1])
        detail = selectors.person_get(actor=actor, person_id=person_id)
        return Response(PersonOut(person_out(detail.view)).data,
                        status=status.HTTP_201_CREATED if first else status.HTTP_200_OK)


class PersonPatch(serializers.Serializer):
    """A correction of her identity: only the fields sent change."""

    first_name = serializers.CharField(max_length=100, required=False)
    last_name = serializers.CharField(max_length=100, required=False)
    birth_date = serializers.DateField(required=False, allow_null=True)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False)
    gender = serializers.CharField(required=False, allow_blank=True, max_length=60)
    languages = serializers.ListField(child=serializers.CharField(max_length=8), required=False)
    file_language = serializers.CharField(required=False, allow_blank=True)
    national_number = serializers.CharField(required=False, allow_blank=True, max_length=15)


def _person_response(actor: Actor, person_id: int) -> Response:
    detail = selectors.person_get(actor=actor, person_id=person_id)
    data = person_out(detail.view)
    data["scope_labels"] = scope_labels(detail.view.scopes)
    headers = {}
    if detail.view.can_edit:  # her owning agency: the version to correct her identity over
        headers["ETag"] = etag(selectors.person_identity_version(person=detail.view.person))
    return Response(PersonOut(data).data, headers=headers)


class PersonDetailApi(APIView):
    @extend_schema(responses=PersonOut, summary="A person as the caller may see her (her "
                   "owning agency also gets the ETag to correct her identity)")
    def get(self, request: Request, person_id: int) -> Response:
        return _person_response(api_actor(request), person_id)

    @extend_schema(request=PersonPatch, responses={200: PersonOut}, parameters=[IF_MATCH],
                   summary="Correct her identity (her owning agency), over the version read")
    def patch(self, request: Request, person_id: int) -> Response:
        actor = api_actor(request)
        selectors.person_identity_get(actor=actor, person_id=person_id)  # 404 first
        version = if_match(request)
        payload = PersonPatch(data=request.data)
        payload.is_valid(raise_exception=True)
        services.person_update(actor=actor, person_id=person_id, version=version,
                               **payload.validated_data)
        return _person_response(actor, person_id)


class SafeContactRuleIn(serializers.Serializer):
    channel = serializers.ChoiceField(choices=ContactChannel.choices)
    hours = serializers.CharField(required=False, allow_blank=True, max_length=120, default="")
    can_speak_freely = serializers.ChoiceField(choices=YesNoUnknown.choices,
                                               default=YesNoUnknown.UNKNOWN)
    never = serializers.ListField(child=serializers.ChoiceField(choices=NeverDo.choices),
                                  required=False, default=list)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class SafeContactRuleOut(SafeContactRuleIn):
    recorded = serializers.BooleanField()


class SafeContactApi(APIView):
    """How she may be contacted safely (contact scope on her; anyone else 404)."""

    @staticmethod
    def _answer(actor: Actor, person_id: int) -> Response:
        recorded = selectors.safe_contact_get(actor=actor, person_id=person_id)
        if recorded is None:
            raise Http404
        version = recorded.pop("version")
        data = {"recorded": bool(recorded), "channel": "", "hours": "",
                "can_speak_freely": YesNoUnknown.UNKNOWN, "never": [], "notes": "", **recorded}
        return Response(SafeContactRuleOut(data).data, headers={"ETag": etag(version)})

    @extend_schema(responses=SafeContactRuleOut, summary="Her safe-contact rule, with its ETag")
    def get(self, request: Request, person_id: int) -> Response:
        return self._answer(api_actor(request), person_id)

    @extend_schema(request=SafeContactRuleIn, responses={200: SafeContactRuleOut},
                   parameters=[IF_MATCH], summary="Set her safe-contact rule, over the version "
                   "read (the ETag of a rule not recorded yet too)")
    def put(self, request: Request, person_id: int) -> Response:
        actor = api_actor(request)
        if selectors.safe_contact_get(actor=actor, person_id=person_id) is None:
            raise Http404
        version = if_match(request)
        payload = SafeContactRuleIn(data=request.data)
        payload.is_valid(raise_exception=True)
        services.safe_contact_set(actor=actor, person_id=person_id, version=version,
                                  **payload.validated_data)
        return self._answer(actor, person_id)
