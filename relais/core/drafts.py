"""Save an interrupted form as a draft and offer it again (author only, audited)."""

from __future__ import annotations

import re

from django.db import transaction
from django.http import HttpRequest, QueryDict

from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.core.actor import actor_from
from relais.core.models import FormDraft

DRAFT_BUTTON = "_save_draft"
DISCARD_BUTTON = "_discard_draft"
NOT_KEPT = {"csrfmiddlewaretoken", "submission_token", DRAFT_BUTTON, DISCARD_BUTTON}


def draft_save(request: HttpRequest) -> FormDraft:
    # A NUL character is never typed and PostgreSQL cannot store it (the forms refuse it; a
    # draft keeps what was posted, so it drops it).
    data = {key.replace("\x00", ""): [value.replace("\x00", "") for value in
                                       request.POST.getlist(key)]
            for key in request.POST if key not in NOT_KEPT}
    with transaction.atomic():
        draft, _created = FormDraft.objects.update_or_create(
            user=request.user, path=request.path, defaults={"data": data})
        audit_record(actor=actor_from(request), action=Action.UPDATE, target=draft,
                     basis="draft of a form")
    return draft


def draft_data(request: HttpRequest) -> QueryDict | None:
    """The author's draft for this screen, as form data, or None."""
    draft = FormDraft.objects.filter(user=request.user, path=request.path).first()
    if draft is None:
        return None
    data = QueryDict(mutable=True)
    for key, values in draft.data.items():
        data.setlist(key, values)
    audit_record(actor=actor_from(request), action=Action.READ, target=draft,
                 basis="draft of a form")
    return data


def draft_discard(request: HttpRequest) -> None:
    """The form was saved: its draft has served (the save is the audited write)."""
    FormDraft.objects.filter(user=request.user, path=request.path).delete()


def draft_drop(request: HttpRequest) -> bool:
    """The author throws her draft away ("Discard draft"): deleted and audited, as a draft
    holds what she typed, personal data included. False if there was none."""
    with transaction.atomic():
        draft = (FormDraft.objects.select_for_update()
                 .filter(user=request.user, path=request.path).first())
        if draft is None:
            return False
        audit_record(actor=actor_from(request), action=Action.DELETE, target=draft,
                     basis="draft of a form discarded")
        draft.delete()
    return True


def drafts_forget(*, paths: list[str]) -> int:
    """Delete every author's drafts of the forms under these address parts (e.g.
    ``/cases/12/``: the records they were about are deleted); returns how many. The caller's
    deletion is the audited write."""
    if not paths:
        return 0
    pattern = "|".join(re.escape(path) for path in paths)
    return FormDraft.objects.filter(path__regex=f"({pattern})").delete()[0]
