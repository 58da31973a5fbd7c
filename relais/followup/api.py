"""REST API of the follow-up: the work queues, one task with what is needed to call safely, and
taking or cancelling a task, through the same selectors and services as the follow-up screens
(relais/followup/views.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from relais.access.followup import may_cancel, task_scope
from relais.core.actor import Actor
from relais.core.api import (
    FIELD_ERRORS,
    IDEMPOTENCY,
    IF_MATCH_OPTIONAL,
    NOT_FOUND,
    ListApi,
    api_actor,
    etag,
    if_match,
    replay_status,
    run_idempotent,
)
from relais.followup import selectors, services
from relais.followup.models import Task
from relais.followup.selectors import TaskView
from relais.followup.serializers import TaskDetailOut, TaskFilters, TaskOut


class CancelIn(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


def task_data(task: Task) -> dict[str, Any]:
    return {
        "id": task.pk, "kind": task.kind, "kind_label": task.get_kind_display(),
        "status": task.status, "case_id": task.case_id, "case_reference": task.case.reference,
        "person_id": task.person_id, "person": str(task.person) if task.person_id else None,
        "for_role": task.for_role,
        "assignee": task.assignee.get_full_name() if task.assignee_id else None,
        "due_at": task.due_at, "overdue": task.is_open and task.due_at < timezone.now(),
        "priority": task.priority, "why": task.why,
    }


def detail_data(view: TaskView) -> dict[str, Any]:
    task = view.task
    safe = view.safe_contact
    return TaskDetailOut(task_data(task) | {
        "outcome": task.outcome, "outcome_note": task.outcome_note,
        "cancel_reason": task.cancel_reason, "may_cancel": view.may_cancel,
        "attempts": [{"at": a.at, "could_speak": a.could_speak_freely, "outcome": a.outcome}
                     for a in view.attempts],
        "safe_contact": None if safe is None else {
            "channel": safe.channel, "hours": safe.hours,
            "can_speak_freely": safe.can_speak_freely, "never": safe.never},
        "phones": [{"number": p.number, "label": p.label, "safe": p.safe}
                   for p in view.phones] if view.sees_contact else None,
    }).data


class TaskListApi(ListApi):
    """A work queue: my tasks, my team's, or the zone's."""

    serializer_class = TaskOut
    filters = TaskFilters
    ordering_fields = ("due_at", "priority")
    ordering = ("due_at", "pk")
    audit_basis = "work queue"

    def rows(self, *, actor: Actor, filters: dict[str, Any], **kwargs: Any) -> QuerySet[Task]:
        rows = selectors.task_rows(actor=actor, queue=filters.get("queue", "mine"),
                                   status=filters.get("status", "open"))
        if "kind" in filters:
            rows = rows.filter(kind=filters["kind"])
        return rows.select_related("case", "person", "assignee")

    def out(self, row: Task) -> dict[str, Any]:
        return task_data(row)

    @extend_schema(summary="A follow-up work queue", parameters=[TaskFilters],
                   responses={200: TaskOut(many=True), 404: NOT_FOUND})
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class TaskDetailApi(APIView):
    @extend_schema(summary="A follow-up task, with how to contact her safely",
                   responses={200: TaskDetailOut, 404: NOT_FOUND})
    def get(self, request: Request, task_id: int) -> Response:
        view = selectors.task_get(actor=api_actor(request), task_id=task_id)
        return Response(detail_data(view),
                        headers={"ETag": etag(services.task_version(view.task))})


class TaskTakeApi(APIView):
    @extend_schema(summary="Put an open task in my own queue", request=None,
                   parameters=[IDEMPOTENCY, IF_MATCH_OPTIONAL],
                   responses={201: TaskDetailOut, 200: TaskDetailOut, 400: FIELD_ERRORS,
                              404: NOT_FOUND})
    def post(self, request: Request, task_id: int) -> Response:
        actor = api_actor(request)

        def do() -> str:
            services.task_take(actor=actor, task_id=task_id,
                               version=if_match(request, required=False))
            return reverse("api:task_detail", args=[task_id])

        url, first = run_idempotent(request, do)
        return Response(detail_data(selectors.task_get(actor=actor, task_id=task_id)),
                        status=replay_status(first), headers={"Location": url})


class TaskCancelApi(APIView):
    @extend_schema(summary="Cancel a task, saying why (a coordinator or its assignee)",
                   request=CancelIn, parameters=[IDEMPOTENCY, IF_MATCH_OPTIONAL],
                   examples=[OpenApiExample("Cancel", request_only=True, value={
                       "reason": "She moved abroad; the zone there follows her up."})],
                   responses={201: TaskDetailOut, 200: TaskDetailOut, 400: FIELD_ERRORS,
                              404: NOT_FOUND})
    def post(self, request: Request, task_id: int) -> Response:
        actor = api_actor(request)
        task = task_scope(actor).filter(pk=task_id).first()
        if task is None or not may_cancel(actor, task):
            raise Http404  # before reading the body, as the screen's button shows
        payload = CancelIn(data=request.data)
        payload.is_valid(raise_exception=True)

        def do() -> str:
            services.task_cancel(actor=actor, task_id=task_id,
                                 version=if_match(request, required=False),
                                 **payload.validated_data)
            return reverse("api:task_detail", args=[task_id])

        url, first = run_idempotent(request, do)
        return Response(detail_data(selectors.task_get(actor=actor, task_id=task_id)),
                        status=replay_status(first), headers={"Location": url})
