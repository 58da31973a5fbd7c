"""Sending a notice to a team, and acknowledging it."""

from __future__ import annotations

from django.db import models, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from relais.accounts.models import Agency, User
from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.cases.models import Case
from relais.core.actor import Actor
from relais.core.links import public_url
from relais.notifications.mail import mail_queue
from relais.notifications.models import Notice, NoticeKind


def staff_emails(*, agency_id: int, role: str = "", unit_id: int | None = None,
                 user_id: int | None = None) -> list[str]:
    """Where to write: one person when named, else the holders of ``role`` (in ``unit``)."""
    users = User.objects.filter(agency_id=agency_id, is_active=True).exclude(email="")
    if user_id is not None:
        users = users.filter(pk=user_id)
    else:
        if role:
            users = users.filter(roles__role=role)
        if unit_id is not None:
            users = users.filter(unit_id=unit_id)
    return list(users.values_list("email", flat=True).distinct())


def mail_notice(*, recipients: list[str], agency: Agency, what: Promise | str,
                reference: str, url: str) -> None:
    """Tell each recipient that ``what`` happened on a case: one e-mail each, queued in the
    current transaction and sent after the answer (relais/notifications/mail.py).

    The e-mail names the case reference and a link, never a person; it is written in the
    agency's first working language.
    """
    if not recipients:
        return
    with translation.override(agency.languages[0] if agency.languages else "fr"):
        label = str(what)
        message = (_("%(what)s on case %(reference)s.\nOpen Relais: %(url)s")
                   % {"what": label, "reference": reference, "url": url})
    for email in recipients:
        mail_queue(subject=f"Relais: {label} ({reference})", message=message,
                   recipients=[email])


def notice_send(*, actor: Actor, agency: Agency, for_role: str, case: Case, kind: str,
                source: models.Model | None = None) -> Notice:
    """Notify the holders of ``for_role`` in ``agency`` (in Relais, and by e-mail after the
    answer)."""
    notice = Notice.objects.create(
        agency=agency, for_role=for_role, case=case, kind=kind,
        source_type=source._meta.label_lower if source is not None else "",
        source_id=str(source.pk) if source is not None else "",
    )
    audit_record(actor=actor, action=Action.CREATE, target=notice, case_id=case.pk,
                 basis="notice to a team")
    mail_notice(recipients=staff_emails(agency_id=agency.pk, role=for_role), agency=agency,
                what=NoticeKind(kind).label, reference=case.reference,
                url=public_url(reverse("notifications:inbox")))
    return notice


@transaction.atomic
def notice_acknowledge(*, actor: Actor, notice_id: int) -> Notice:
    notice = (Notice.objects.select_for_update()
              .filter(pk=notice_id, agency_id=actor.agency_id, for_role__in=actor.roles).first())
    if notice is None:
        raise Http404
    if notice.acknowledged_at is None:
        notice.acknowledged_by = actor.user
        notice.acknowledged_at = timezone.now()
        notice.save(update_fields=["acknowledged_by", "acknowledged_at"])
        audit_record(actor=actor, action=Action.UPDATE, target=notice, case_id=notice.case_id,
                     basis="notice acknowledged")
    return notice


def notices_settle(*, actor: Actor, source: models.Model) -> int:
    """The notices about ``source`` are done with (it was decided): acknowledged by ``actor``,
    so no one else acts on them."""
    return (Notice.objects.filter(source_type=source._meta.label_lower, source_id=str(source.pk),
                                  acknowledged_at__isnull=True)
            .update(acknowledged_by=actor.user, acknowledged_at=timezone.now()))
