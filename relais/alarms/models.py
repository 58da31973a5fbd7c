"""Harassment alarms (mobile stalking alarm, circular COL 3/2023 — alarme harcèlement /
stalkingalarm), domain brief §3.4.

- ``AlarmRequest``: the police zone asks for an alarm for the victim of a case, with the case's
  latest risk assessment attached and the eligibility criteria answered
  (relais/alarms/data/eligibility.yaml); the prosecutor's office grants or refuses it with reasons.
- ``AlarmDevice``: a zone's inventory of buttons (serial, model, status).
- ``AlarmAssignment``: one device in the hands of the victim of a granted request, from
  assignment (pairing date, periodic review) to return.
- ``AlarmActivation``: one press received by the activation API. Always stored, even from an
  unknown or returned device (then with an ``anomaly``): never silently dropped.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from relais.accounts.models import Agency
from relais.cases.models import Case, Person


class RequestStatus(models.TextChoices):
    REQUESTED = "requested", _("Waiting for the prosecutor's decision")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")
    ENDED = "ended", _("Ended")


class AlarmRequest(models.Model):
    """A police zone's request for a harassment alarm for the victim of a case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="alarm_requests")
    victim = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("victim"))
    perpetrator = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("alleged perpetrator"))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("requesting police zone"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    assessment = models.ForeignKey("risk.RiskAssessment", on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("risk assessment attached"))
    criteria_version = models.PositiveIntegerField(_("version of the eligibility criteria"))
    criteria = models.JSONField(_("eligibility criteria answered"), default=dict)
    motivation = models.TextField(_("why the alarm is needed"), max_length=3000, blank=True)
    prosecutor_office = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("prosecutor's office"),
        help_text=_("The office that received the case (judicial forwarding). Empty while the "
                    "report is not forwarded."))
    status = models.CharField(_("status"), max_length=10, choices=RequestStatus.choices,
                              default=RequestStatus.REQUESTED)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reasons = models.TextField(_("reasons for the decision"), max_length=3000,
                                        blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    end_reason = models.CharField(_("why the alarm ended"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("harassment-alarm request")
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(fields=["case", "status"], name="alarm_request_case_idx"),
            models.Index(fields=["prosecutor_office", "status"], name="alarm_request_office_idx"),
            models.Index(fields=["agency", "status"], name="alarm_request_zone_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="alarm_decision_reasoned",
                condition=Q(status="requested") | ~Q(decision_reasons=""),
            ),
            models.CheckConstraint(
                name="alarm_end_reasoned",
                condition=~Q(status="ended") | ~Q(end_reason=""),
            ),
        ]

    def __str__(self) -> str:
        return f"alarm request {self.pk}"


class DeviceStatus(models.TextChoices):
    IN_STOCK = "in_stock", _("In stock")
    ASSIGNED = "assigned", _("Assigned")
    RETURNED = "returned", _("Returned (to collect and check)")
    OUT_OF_SERVICE = "out_of_service", _("Out of service")


class AlarmDevice(models.Model):
    """One alarm button of a police zone's inventory."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="alarm_devices",
                               verbose_name=_("police zone"))
    serial = models.CharField(_("serial number"), max_length=64, unique=True)
    model = models.CharField(_("model"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=DeviceStatus.choices,
                              default=DeviceStatus.IN_STOCK)
    note = models.CharField(_("note"), max_length=300, blank=True,
                            help_text=_("About the device only (battery, damage); never about "
                                        "the person who carries it."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("alarm device")
        ordering = ["serial"]
        indexes = [models.Index(fields=["agency", "status"], name="alarm_device_zone_idx")]

    def __str__(self) -> str:
        return self.serial


class AlarmAssignment(models.Model):
    """A device given to the victim of a granted request, until it is returned."""

    device = models.ForeignKey(AlarmDevice, on_delete=models.PROTECT,
                               related_name="assignments")
    request = models.ForeignKey(AlarmRequest, on_delete=models.PROTECT,
                                related_name="assignments")
    # Copied from the request so that an activation finds the case in one join.
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    assigned_at = models.DateTimeField(_("assigned"), auto_now_add=True)
    paired_on = models.DateField(_("paired with her phone on"))
    review_due = models.DateField(_("next review due"))
    reviewed_at = models.DateTimeField(_("last reviewed"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("alarm assignment")
        ordering = ["-assigned_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["device"], condition=Q(returned_at__isnull=True),
                                    name="alarm_device_one_holder"),
            models.UniqueConstraint(fields=["request"], condition=Q(returned_at__isnull=True),
                                    name="alarm_request_one_device"),
        ]

    def __str__(self) -> str:
        return f"{self.device_id} → request {self.request_id}"

    @property
    def active(self) -> bool:
        return self.returned_at is None


class Anomaly(models.TextChoices):
    UNKNOWN_DEVICE = "unknown_device", _("Unknown device")
    RETURNED_DEVICE = "returned_device", _("Device returned: the alarm has ended")
    NOT_ASSIGNED = "not_assigned", _("Device not assigned to anyone")
    OUT_OF_SERVICE = "out_of_service", _("Device out of service")
    OTHER_ZONE = "other_zone", _("Device of another police zone")


class AlarmActivation(models.Model):
    """One press of an alarm button, as received by the activation API."""

    id = models.BigAutoField(primary_key=True)
    serial = models.CharField(_("serial number received"), max_length=64)
    device = models.ForeignKey(AlarmDevice, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="activations")
    assignment = models.ForeignKey(AlarmAssignment, on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="activations")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="+")
    # The zone whose dispatch board shows it: the device's zone, else the caller's.
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("police zone"))
    received_from = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("received from"))
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    occurred_at = models.DateTimeField(_("pressed at"))
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True,
                                   blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True,
                                    blank=True)
    accuracy_m = models.PositiveIntegerField(_("accuracy (m)"), null=True, blank=True)
    anomaly = models.CharField(_("anomaly"), max_length=16, choices=Anomaly.choices, blank=True)
    idempotency_key = models.CharField(max_length=100, blank=True)
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("alarm activation")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "-received_at"], name="alarm_activation_zone_idx"),
            models.Index(fields=["received_from", "-received_at"],
                         name="alarm_activation_from_idx"),
            models.Index(fields=["agency"], condition=Q(handled_at__isnull=True),
                         name="alarm_activation_open_idx"),
        ]
        constraints = [
            # Idempotency: the same press sent twice is one activation.
            models.UniqueConstraint(fields=["serial", "occurred_at"], name="alarm_press_once"),
            models.UniqueConstraint(fields=["received_from", "idempotency_key"],
                                    condition=~Q(idempotency_key=""),
                                    name="alarm_idempotency_key_once"),
        ]

    def __str__(self) -> str:
        return f"activation {self.pk}"

    @property
    def is_anomaly(self) -> bool:
        return bool(self.anomaly)
