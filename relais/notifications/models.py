"""Notices to a team of an agency: "a new official report on case REL-…" (no personal data).

The follow-up engine (tasks with deadlines) builds on these; a notice only says that something
arrived and for which case, and who acknowledged it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from relais.accounts.models import Agency, Role
from relais.cases.models import Case


class NoticeKind(models.TextChoices):
    OFFICIAL_REPORT = "official_report", _("New official report: contact the victim")
    INFORMATION_REPORT = "information_report", _("New information report: call back")
    RISK_LOWERED = "risk_lowered", _("A lowered risk level waits for a second person")
    REVISIT_DONE = "revisit_done", _("A revisit was made")
    # Justice and protective measures (issue 6).
    PROSECUTION_DECISION = "prosecution_decision", _("The prosecutor's office decided on a report")
    CASES_MERGED = "cases_merged", _("Two cases were merged into one")
    BAN_ORDERED = "ban_ordered", _("A residence ban was ordered")
    BAN_BREACHED = "ban_breached", _("A residence ban was breached")
    RELEASE = "release", _("The alleged perpetrator is released: warn the victim")
    ALARM_REQUESTED = "alarm_requested", _("A harassment-alarm request waits for a decision")
    ALARM_DECIDED = "alarm_decided", _("The prosecutor decided on a harassment-alarm request")
    ALARM_ACTIVATED = "alarm_activated", _("A harassment alarm was activated")
    PROGRAMME_STATUS = "programme_status", _("A perpetrator-programme file changed status")
    # Transfers and merges between owners (issue 15).
    TRANSFER_REQUESTED = "transfer_requested", _("A case transfer waits for your answer")
    TRANSFER_ANSWERED = "transfer_answered", _("Your case transfer was answered")
    MERGE_PROPOSED = "merge_proposed", _("A merge of two cases waits for your answer")
    MERGE_ANSWERED = "merge_answered", _("Your merge proposal was answered")
    # The multi-agency consultation (issue 16).
    CONSULTATION_REFERRAL = "consultation_referral", _("A case is referred to the consultation")
    CONSULTATION_EMERGENCY = "consultation_emergency", _(
        "Imminent danger: an emergency consultation is asked for")
    CONSULTATION_NO_CONSENT = "consultation_no_consent", _(
        "A case was referred to the consultation without the victim's consent")
    CONSULTATION_ACTION = "consultation_action", _("A safety-plan action is for your agency")
    CONSULTATION_ACTION_BACK = "consultation_action_back", _(
        "A safety-plan action was not done or is blocked")
    # Family and youth courts (issue 18 §3): each side of justice tells the other.
    FAMILY_COURT_DECISION = "family_court_decision", _(
        "A family or youth court decided on the family")
    CRIMINAL_MEASURE = "criminal_measure", _(
        "The criminal side ordered a measure on a family before your court")
    # Approvals (issue 20 §3): a supervisor is told a step waits for her.
    APPROVAL_REQUESTED = "approval_requested", _("A step waits for a supervisor's approval")


# Where a notice about a given source opens, when not the case page (e.g. a harassment-alarm
# activation opens the dispatcher's summary: dispatchers cannot open the case itself).
# Filled by the apps in their AppConfig.ready with ``register_notice_link``.
NOTICE_LINKS: dict[str, str | Callable[[str], str]] = {}


def register_notice_link(source_type: str, url_name: str | Callable[[str], str]) -> None:
    """Notices whose source is a ``source_type`` row link to ``url_name`` (its pk as argument),
    or to what ``url_name(source_id)`` returns."""
    NOTICE_LINKS[source_type] = url_name


class Notice(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="notices")
    for_role = models.CharField(_("for"), max_length=32, choices=Role.choices)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(_("kind"), max_length=32, choices=NoticeKind.choices)
    source_type = models.CharField(max_length=60, blank=True)
    source_id = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                        null=True, blank=True, related_name="+")
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notice")
        ordering = ["acknowledged_at", "-created_at"]
        indexes = [models.Index(fields=["agency", "for_role", "acknowledged_at"],
                                name="notice_inbox_idx")]

    def __str__(self) -> str:
        return f"{self.kind} on {self.case_id}"

    @property
    def link(self) -> str:
        url_name = NOTICE_LINKS.get(self.source_type)
        if url_name and self.source_id:
            if callable(url_name):
                return url_name(self.source_id)
            return reverse(url_name, args=[self.source_id])
        return reverse("cases:case_detail", args=[self.case_id])
