"""Field history: the before and after of each field of a record, who changed it and when.

The rows are kept by django-simple-history (``history = HistoricalRecords(...)`` on the models
of persons, cases, safe-contact rules, measures and directory entries; docs/history.md). This
module holds what is generic:

- ``authored(actor, *instances)``: a service names the author of the next save of each
  instance. The history user is the actor's user whatever the channel (screen, API, job,
  management command): no request middleware is involved.
- ``changes(sources, shows=...)``: the changes of one or more records, field by field, keeping
  only the fields the predicate ``shows`` lets the reader see (the access policy,
  ``relais.access.history``). A field she may not see is left out entirely, and a change whose
  every field is left out is not listed.

Rows marked ``baseline`` (written by the migration that started the history, one per record
that existed then) are the state the first change is compared with; they are not changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Protocol

from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from relais.accounts.models import municipality_name
from relais.audit.models import Action
from relais.audit.services import audit_record

if TYPE_CHECKING:
    from relais.core.actor import Actor

BASELINE = "baseline"
# The newest changes shown on one screen.
LIMIT = 500

# (model label "app.model", field name, the row before or None, the row after) -> may she see it
Shows = Callable[[str, str, Any, Any], bool]


def authored(actor: Actor, *instances: models.Model) -> None:
    """The actor's user is the history user of the next save of each instance."""
    for instance in instances:
        instance._history_user = actor.user  # read by simple_history's get_history_user


@dataclass(frozen=True)
class FieldChange:
    """One field of one change: its label, the value before and after, as words."""

    name: str
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class Change:
    """One save of one record: when, by whom (name and agency), what it changed."""

    at: datetime
    author: str
    agency: str
    created: bool  # the record was recorded then (no before)
    record: str  # what was changed: "Address", "Phone number"...
    fields: tuple[FieldChange, ...]


def tracked_fields(historical: type[models.Model]) -> list[models.Field]:
    """The fields of the record that its history keeps (the record model's own fields)."""
    model = historical.instance_type
    kept = {f.attname for f in historical._meta.concrete_fields}
    return [f for f in model._meta.concrete_fields if f.attname in kept and not f.primary_key]


def _person_label(obj: Any) -> str:
    full = obj.get_full_name() if hasattr(obj, "get_full_name") else ""
    return full or str(obj)


def _related_labels(rows: list[tuple[str, list[Any], list[models.Field]]]
                    ) -> dict[tuple[type[models.Model], Any], str]:
    """The words of every related object the rows point to: one query per related model."""
    wanted: dict[type[models.Model], set[Any]] = {}
    for _label, history, fields in rows:
        for field in fields:
            if field.is_relation:
                wanted.setdefault(field.related_model, set()).update(
                    getattr(row, field.attname) for row in history
                    if getattr(row, field.attname) is not None)
    labels: dict[tuple[type[models.Model], Any], str] = {}
    for model, pks in wanted.items():
        if pks:
            for pk, obj in model._base_manager.in_bulk(list(pks)).items():
                labels[(model, pk)] = _person_label(obj)
    return labels


def _words(field: models.Field, value: Any, related: Mapping, list_labels: Mapping) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return ""
    words = list_labels.get(field.name)
    if callable(words):
        return words(value)
    if field.is_relation:
        return related.get((field.related_model, value), "…")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return date_format(value, "SHORT_DATE_FORMAT")
    labels = words or {}
    if isinstance(value, list):
        return ", ".join(str(labels.get(v, v)) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{labels.get(k, k)}: {_words_plain(v)}" for k, v in value.items())
    return str(value)


def _words_plain(value: Any) -> str:
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return str(value)


def changes(sources: Iterable[models.QuerySet], *, shows: Shows,
            list_labels: Mapping[str, Any] | None = None) -> list[Change]:
    """The changes in the historical rows of ``sources`` (one queryset per historical model,
    filtered to the records read), newest first, with only the fields ``shows`` allows.

    ``list_labels`` gives, per field name, the labels of codes kept in a list or a dict (e.g.
    the "never do" instructions), or a function that puts a value into words (a municipality's
    REFNIS code). One query per source and one per related model, whatever the number of
    rows.
    """
    language = (get_language() or "fr")[:2]
    list_labels = {"municipality": lambda code: f"{municipality_name(code, language)} ({code})",
                   **(list_labels or {})}
    loaded = []
    for queryset in sources:
        historical = queryset.model
        label = historical.instance_type._meta.label_lower
        # The fields she could see in some version (no query for the others' related rows).
        fields = [f for f in tracked_fields(historical) if shows(label, f.name, None, None)]
        if not fields:
            continue
        history = list(queryset.select_related("history_user__agency")
                       .order_by("history_date", "history_id"))
        loaded.append((label, history, fields))
    related = _related_labels(loaded)
    out: list[tuple[Any, Change]] = []
    for label, history, fields in loaded:
        previous: dict[Any, Any] = {}
        for row in history:
            before = previous.get(row.id)
            previous[row.id] = row
            if row.history_change_reason == BASELINE:
                continue
            created = before is None
            shown = []
            for field in fields:
                old = getattr(before, field.attname) if before is not None else None
                new = getattr(row, field.attname)
                if (old == new and not created) or not shows(label, field.name, before, row):
                    continue
                after_words = _words(field, new, related, list_labels)
                before_words = "" if created else _words(field, old, related, list_labels)
                if before_words == after_words:
                    continue
                label_words = str(field.verbose_name)
                shown.append(FieldChange(name=field.name,
                                         label=label_words[:1].upper() + label_words[1:],
                                         before=before_words, after=after_words))
            if shown:
                user = row.history_user
                agency = getattr(user, "agency", None) if user is not None else None
                out.append(((row.history_date, row.history_id), Change(
                    at=row.history_date,
                    author=_person_label(user) if user is not None else _("Relais"),
                    agency=str(agency) if agency is not None else "",
                    created=created,
                    record=str(historical_verbose_name(row)),
                    fields=tuple(shown))))
    out.sort(key=lambda pair: pair[0], reverse=True)
    return [change for _key, change in out[:LIMIT]]


def historical_verbose_name(row: models.Model) -> str:
    name = str(type(row).instance_type._meta.verbose_name)
    return name[:1].upper() + name[1:]


def history_models() -> list[type[models.Model]]:
    """Every model whose fields have a history."""
    from simple_history.models import registered_models

    return sorted(registered_models.values(), key=lambda model: model._meta.label)


@transaction.atomic
def history_purge() -> int:
    """Delete the history of records that no longer exist; returns how many rows.

    The history has the retention of its record: deleting a record deletes its history in the
    same transaction (``cascade_delete_history``). This clears what a delete that sends no
    signal left behind (raw SQL, a restored backup of a purged record...).
    """
    deleted = 0
    for model in history_models():
        historical = model.history.model
        live = model._base_manager.values("pk")
        deleted += historical.objects.exclude(id__in=live).delete()[0]
    return deleted


def history_purge_records(deleted: Mapping[type[models.Model], Iterable[Any]]) -> int:
    """Delete the history of records deleted in the caller's transaction (model -> their
    keys), whether or not their delete sent the signal of ``cascade_delete_history``; returns
    how many rows."""
    tracked = set(history_models())
    purged = 0
    for model, pks in deleted.items():
        keys = list(pks)
        if model in tracked and keys:
            historical = model.history.model
            purged += historical.objects.filter(
                **{f"{model._meta.pk.attname}__in": keys}).delete()[0]
    return purged


class HistoryReader(Protocol):
    """What the access policy says of one reader and one record (relais.access.history)."""

    actor: Actor
    target: models.Model
    case_id: int | None
    basis: str

    def shows(self, model: str, name: str, before: Any, after: Any) -> bool: ...

    @property
    def audit_scopes(self) -> list[str]: ...


@dataclass(frozen=True)
class HistoryPage:
    """One record's history screen: what it is, where it is shown, its changes."""

    title: str
    subject: str
    back_url: str
    changes: list[Change]


@transaction.atomic
def history_read(*, reader: HistoryReader, sources: Iterable[models.QuerySet],
                 list_labels: Mapping[str, Any] | None = None) -> list[Change]:
    """The changes the reader may see, audited as a READ of the record in the same
    transaction."""
    found = changes(sources, shows=reader.shows, list_labels=list_labels)
    audit_record(actor=reader.actor, action=Action.READ, target=reader.target,
                 case_id=reader.case_id, scopes=reader.audit_scopes,
                 basis=f"{reader.basis}; field history")
    return found
