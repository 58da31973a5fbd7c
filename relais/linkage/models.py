"""What the linkage keeps: each person's blocking keys, and the candidate links between two
persons with their score, their evidence and every decision taken on them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from relais.accounts.models import Agency
from relais.cases.models import Person


class PersonKey(models.Model):
    """One blocking key of one person (relais.linkage.keys)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=120)

    class Meta:
        indexes = [models.Index(fields=["key", "person"], name="linkage_key_idx")]
        constraints = [models.UniqueConstraint(fields=["person", "key"],
                                               name="linkage_key_once")]

    def __str__(self) -> str:
        return f"key of person {self.person_id}"


class LinkStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")  # above the upper threshold: one click to confirm
    REVIEW = "review", _("To review")  # between the thresholds: the review queue
    CONFIRMED = "confirmed", _("Same person")
    REJECTED = "rejected", _("Not the same person")


OPEN_STATUSES = (LinkStatus.PROPOSED, LinkStatus.REVIEW)


class PersonLink(models.Model):
    """Two person records that may be the same person (``left`` has the smaller id). Found
    when either was recorded or changed; decided by a person, never by the machine."""

    left = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    right = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    probability = models.FloatField()
    weight = models.FloatField()
    evidence = models.JSONField()  # model.Match.as_json(): the levels and weights by field
    version = models.CharField(max_length=20)  # the parameters that scored it
    status = models.CharField(max_length=10, choices=LinkStatus.choices)
    found_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["left", "right"], name="linkage_link_once"),
            models.CheckConstraint(condition=models.Q(left__lt=models.F("right")),
                                   name="linkage_link_ordered"),
        ]
        indexes = [models.Index(fields=["right"], name="linkage_link_right_idx"),
                   models.Index(fields=["status", "-probability"], name="linkage_link_queue")]

    def __str__(self) -> str:
        return f"link {self.pk} ({self.status})"

    def other(self, person_id: int) -> int:
        return self.right_id if person_id == self.left_id else self.left_id


class LinkDecision(models.Model):
    """One decision on a link, with its reason: confirm, reject, or undo the last one."""

    link = models.ForeignKey(PersonLink, on_delete=models.CASCADE, related_name="decisions")
    status_before = models.CharField(max_length=10, choices=LinkStatus.choices)
    status_after = models.CharField(max_length=10, choices=LinkStatus.choices)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(_("reason"), max_length=500)
    undone = models.BooleanField(default=False)  # a later decision undid this one
    is_undo = models.BooleanField(default=False)  # this decision undid the one before

    class Meta:
        ordering = ["-decided_at", "-pk"]

    def __str__(self) -> str:
        return f"decision {self.pk} on link {self.link_id}"
