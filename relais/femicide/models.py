"""The femicide and partner-homicide register (the Stop Femicide law of 2023): one record per
femicide or attempt, what services knew before, and its review by the district's prosecutor's
office and its partners (a domestic-homicide review).

Who may see or do what is relais.access.femicide: the office that records and the reviewers it
names, nobody else. Annual figures are counts only (relais.femicide.selectors.annual_figures).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from relais.accounts.models import Agency
from relais.cases.models import Case


class Outcome(models.TextChoices):
    KILLED = "killed", _("Killed")
    ATTEMPT = "attempt", _("Attempt (she survived)")


class Relation(models.TextChoices):
    PARTNER = "partner", _("Partner")
    EX_PARTNER = "ex_partner", _("Former partner")
    FAMILY = "family", _("Other family member")
    OTHER = "other", _("Other or unknown")


class Method(models.TextChoices):
    SHARP = "sharp", _("Knife or sharp weapon")
    FIREARM = "firearm", _("Firearm")
    STRANGULATION = "strangulation", _("Strangulation or suffocation")
    BLUNT = "blunt", _("Blows or blunt weapon")
    FIRE = "fire", _("Fire")
    OTHER = "other", _("Other or unknown")


class Record(models.Model):
    """One femicide or attempt, recorded by the prosecutor's office of the district."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("prosecutor's office"))
    occurred_on = models.DateField(_("date of the facts"))
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices)
    victim_sex = models.CharField(_("victim's sex"), max_length=1,
                                  choices=[("F", _("Female")), ("M", _("Male")),
                                           ("X", _("Other or unknown"))], default="F")
    relation = models.CharField(_("the perpetrator was her"), max_length=12,
                                choices=Relation.choices)
    method = models.CharField(_("method"), max_length=14, choices=Method.choices)
    children_present = models.BooleanField(_("children were present"), default=False)
    case = models.ForeignKey(Case, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", verbose_name=_("case in Relais"))
    # What Relais knew before the facts, taken from the linked case when the record is made
    # (counts and codes, relais.femicide.services.known_before).
    known_before = models.JSONField(default=dict, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("femicide record")
        ordering = ["-occurred_on", "-pk"]
        indexes = [models.Index(fields=["agency", "occurred_on"], name="femicide_agency_idx")]

    def __str__(self) -> str:
        return f"femicide record {self.pk}"


class ContactKind(models.TextChoices):
    POLICE = "police", _("Police (report or intervention)")
    PROSECUTOR = "prosecutor", _("Prosecutor's office")
    VICTIM_SUPPORT = "victim_support", _("Victim support")
    SHELTER = "shelter", _("Shelter")
    HEALTH = "health", _("Health service or doctor")
    SOCIAL = "social", _("Social service (CPAS / OCMW)")
    HELPLINE = "helpline", _("Helpline")
    YOUTH = "youth", _("Youth aid")
    OTHER = "other", _("Other")


class PriorContact(models.Model):
    """A contact with a service before the facts, as the review found it."""

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(_("service"), max_length=16, choices=ContactKind.choices)
    on = models.DateField(_("when"), null=True, blank=True)
    what = models.CharField(_("what happened"), max_length=500)

    class Meta:
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"prior contact {self.pk}"


class Review(models.Model):
    """The domestic-homicide review: what was known, by whom, when, and what will change."""

    record = models.OneToOneField(Record, on_delete=models.CASCADE, related_name="review")
    reviewers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+",
                                       verbose_name=_("named reviewers"))
    known = models.TextField(_("what was known, by whom and when"), max_length=10000,
                             blank=True)
    missed = models.TextField(_("what was missed"), max_length=10000, blank=True)
    changes = models.TextField(_("what will change, and who sees to it"), max_length=10000,
                               blank=True)
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("review")
        constraints = [models.CheckConstraint(
            name="review_closed_says_what_changes",
            condition=Q(closed_at__isnull=True) | ~Q(changes=""))]

    def __str__(self) -> str:
        return f"review {self.pk}"
