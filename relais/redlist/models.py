"""The red list for dispatch (TACTICS "special addresses"): addresses and phone numbers where
serious domestic violence is known, so that a call from there gets priority.

An entry is one address (with one street name per language given) or one phone number, on one
case, put by the zone's IPV reference officer or the prosecutor's office, until its review date
(at most 6 months ahead). The dispatch looks it up by ``RedListKey.key`` (one row per street
name or phone, kept only while the entry is listed). What the dispatch is told — priority,
zone, flags, the opaque reference — is kept on the entry, so a look-up is one indexed query.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from relais.accounts.models import Agency
from relais.cases.models import Case
from relais.followup.models import Priority


class EntryKind(models.TextChoices):
    ADDRESS = "address", _("Address")
    PHONE = "phone", _("Phone number")


class Reason(models.TextChoices):
    SERIOUS_VIOLENCE = "serious_violence", _("Serious domestic violence confirmed here")
    HIGH_RISK = "high_risk", _("High risk assessed")
    WEAPON_THREATS = "weapon_threats", _("Threats with a weapon")
    BAN_BREACHED = "ban_breached", _("Residence ban or no-contact order breached")
    STALKING = "stalking", _("Stalking or harassment of the victim")
    OTHER = "other", _("Other (say why)")


class LiftReason(models.TextChoices):
    NO_LONGER_NEEDED = "no_longer_needed", _("No longer needed")
    MOVED = "moved", _("The victim moved or changed number")
    ERROR = "error", _("Put on the list by mistake")
    EXPIRED = "expired", _("Review date passed (removed by itself)")


class RedListEntry(models.Model):
    reference = models.CharField(_("red-list reference"), max_length=12, unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=EntryKind.choices)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    zone = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("police zone"))
    placed_by_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    placed_at = models.DateTimeField(_("put on the list"), auto_now_add=True)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    reason_text = models.TextField(_("details"), max_length=500, blank=True)
    review_on = models.DateField(_("review by"))
    # The address (kind "address"): as typed, the keys are in RedListKey.
    postcode = models.CharField(_("postcode"), max_length=4, blank=True)
    refnis = models.CharField(_("municipality (REFNIS)"), max_length=5, blank=True)
    streets = models.JSONField(_("street names"), default=list, blank=True)
    number = models.CharField(_("number"), max_length=12, blank=True)
    box = models.CharField(_("box"), max_length=12, blank=True)
    # The phone number (kind "phone"), E.164.
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    # What the dispatch is told (refreshed at each change and by the tick).
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices,
                                                default=Priority.RAISED)
    high_risk = models.BooleanField(_("high risk"), default=False)
    weapons = models.BooleanField(_("weapons"), default=False)
    ban_in_force = models.BooleanField(_("a ban in force"), default=False)
    alarm = models.BooleanField(_("a harassment alarm"), default=False)
    children = models.BooleanField(_("children"), default=False)
    flags_at = models.DateTimeField(null=True, blank=True)
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)
    lifted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+")
    lift_reason = models.CharField(_("why lifted"), max_length=20, choices=LiftReason.choices,
                                   blank=True)

    class Meta:
        verbose_name = _("red-list entry")
        verbose_name_plural = _("red-list entries")
        ordering = ["review_on", "pk"]
        indexes = [models.Index(fields=["zone", "review_on"], name="redlist_zone_idx"),
                   models.Index(fields=["placed_by_agency", "review_on"],
                                name="redlist_placer_idx")]
        constraints = [
            models.CheckConstraint(
                name="redlist_entry_has_what",
                condition=(Q(kind="address") & ~Q(postcode="") & ~Q(number=""))
                | (Q(kind="phone") & ~Q(phone=""))),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def flags(self) -> dict[str, bool]:
        return {"high_risk": self.high_risk, "weapons": self.weapons,
                "ban_in_force": self.ban_in_force, "alarm": self.alarm,
                "children": self.children}


class RedListKey(models.Model):
    """One way to find a listed entry: a normalised address (one per street name) or phone.
    Deleted when the entry is lifted or expires; ``review_on`` is the entry's, so an entry past
    its date is not found even before the tick removes it."""

    key = models.CharField(max_length=160)
    entry = models.ForeignKey(RedListEntry, on_delete=models.CASCADE, related_name="keys")
    review_on = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["key", "review_on"], name="redlist_key_idx")]
        constraints = [models.UniqueConstraint(fields=["key", "entry"],
                                               name="redlist_key_unique")]

    def __str__(self) -> str:
        return f"red-list key of {self.entry_id}"


class LookupTally(models.Model):
    """The dispatch's look-ups, counted per account and hour: the audit trail has one event when
    an hour's first look-up opens the tally and one when the tick closes it with the counts."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    hour = models.DateTimeField()
    lookups = models.PositiveIntegerField(default=0)
    hits = models.PositiveIntegerField(default=0)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("red-list look-ups (hourly tally)")
        constraints = [models.UniqueConstraint(fields=["user", "hour"],
                                               name="redlist_tally_unique")]

    def __str__(self) -> str:
        return f"red-list look-ups {self.user_id} {self.hour:%Y-%m-%d %H}h"
