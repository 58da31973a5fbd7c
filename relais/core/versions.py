"""No lost update: every edit carries the version of the record it was read at.

Two colleagues open the same record; the first saves; the second's save must not silently undo
the first's. The version of a record is a short digest of the values an edit writes
(``record_version``): nothing to migrate, the same for every model, and a change by any path
(a service, an import, the API) changes it. An edit form carries it in a hidden field
(``VersionField``); an API client reads it as the ``ETag`` of a GET and sends it back in
``If-Match``.

The service checks it under its row lock (``version_check``): a save over a newer version raises
``EditConflict``, holding the values saved since and the version to save over them. The screen
keeps her typing (and saves it as her draft of the form), shows the saved values beside hers,
and she decides: "Keep mine" saves hers over the new version, "Take theirs" reloads the form.
The API answers 412 with the current values and version. docs/conflicts.md.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.db import models
from django.utils import formats, timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

VERSION_FIELD = "version"


class EditConflict(Exception):  # noqa: N818 - what happened, not an error
    """Someone saved the record after the editor read it: nothing was saved.

    ``current``: the values as saved now (by field name); ``version``: the version to send back
    to save over them."""

    def __init__(self, *, current: Mapping[str, Any], version: str,
                 labels: Mapping[str, str] | None = None) -> None:
        super().__init__("the record changed since it was read")
        self.current = dict(current)
        self.version = version
        # Labels of what changed that her form does not edit (e.g. a task's attempts): shown
        # as saved now, with nothing of hers beside them.
        self.labels = dict(labels or {})


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Decimal):  # 45 as given, 45.0 as read back: the same value
        return str(value.normalize())
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def version_of(values: Mapping[str, Any]) -> str:
    """The digest of ``values`` (dates, decimals and the like by their text), keyed with the
    installation's secret: a version says nothing of the values to whoever cannot read them
    (no guessing a national number or an address back from it)."""
    text = json.dumps({name: _plain(value) for name, value in values.items()}, sort_keys=True,
                      default=str, ensure_ascii=False)
    return salted_hmac("relais.core.versions", text, algorithm="sha256").hexdigest()[:20]


def record_values(instance: models.Model | None, fields: Iterable[str]) -> dict[str, Any]:
    """The values of ``fields`` on ``instance`` (None for a record not written yet)."""
    return {name: getattr(instance, name) if instance is not None else None for name in fields}


def record_version(instance: models.Model | None, fields: Iterable[str]) -> str:
    """The version of ``instance`` as an edit of ``fields`` reads it."""
    return version_of(record_values(instance, fields))


def version_check(instance: models.Model | None, fields: Iterable[str],
                  expected: str | None, *, labels: Mapping[str, str] | None = None) -> None:
    """Refuse to save over a newer version. Call it on the locked row (select_for_update),
    before changing anything. ``expected`` None: a caller that read nothing (an import, a
    job), not an editor: nothing to compare. ``labels``: of the fields her form does not edit
    (see ``EditConflict``)."""
    values_check(record_values(instance, tuple(fields)), expected, labels=labels)


def values_check(current: Mapping[str, Any], expected: str | None, *,
                 labels: Mapping[str, str] | None = None) -> None:
    """``version_check`` for values that are not all columns of one row (a many-to-many set,
    e.g. a section's readers): ``current`` as saved now, by the name its form gives it."""
    if not expected:  # None, or a form's hidden field left empty
        return
    version = version_of(current)
    if expected != version:
        raise EditConflict(current=current, version=version, labels=labels)


class VersionField(forms.CharField):
    """The hidden field of an edit form that carries the version it was read at."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(widget=forms.HiddenInput, required=False, max_length=40, **kwargs)


def conflict_rows(form: forms.Form, conflict: EditConflict) -> list[dict[str, str]]:
    """The fields where what is saved now differs from what she typed: label, saved, hers (as
    the form shows them: a choice by its label)."""
    rows = []
    for name, saved in conflict.current.items():
        # A foreign key's column (``coordinator_id``) is its form's field (``coordinator``).
        if name not in form.fields and name.removesuffix("_id") in form.fields:
            name = name.removesuffix("_id")
        field = form.fields.get(name)
        if field is None:
            if name in conflict.labels:
                rows.append({"label": str(conflict.labels[name]),
                             "saved": _shown(None, saved), "typed": "—"})
            continue
        typed = form.cleaned_data.get(name) if hasattr(form, "cleaned_data") else None
        if _comparable(saved) == _comparable(typed):
            continue
        rows.append({"label": str(field.label or name), "saved": _shown(field, saved),
                     "typed": _shown(field, typed)})
    return rows


def _comparable(value: Any) -> Any:
    if isinstance(value, (models.Model, Decimal)):
        value = _plain(value)
    if value in (None, ""):
        return ""
    if isinstance(value, (list, tuple)):
        return sorted(str(item) for item in value)
    return str(value)


def _shown(field: forms.Field | None, value: Any) -> str:
    if value in (None, "", []):
        return str(_("(empty)"))
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value) if timezone.is_aware(value)
                                   else value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):  # as the pages show dates, not ISO
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if field is None:
        return str(value)
    labels = dict(getattr(field, "choices", []) or [])
    if isinstance(value, models.Model):
        return str(labels.get(value.pk, value))
    if isinstance(value, (list, tuple)):
        return ", ".join(str(labels.get(item, item)) for item in value)
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return str(labels.get(value, value))
