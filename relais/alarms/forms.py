from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from relais.alarms.models import AlarmDevice, DeviceStatus
from relais.alarms.rules import alarm_rules
from relais.alarms.services import CRITERION_FIELD

ANSWER_CHOICES = [("yes", _("Yes")), ("no", _("No")), ("unknown", _("Unknown"))]


class RequestForm(forms.Form):
    """The eligibility criteria of the data file, one yes / no / unknown question each."""

    motivation = forms.CharField(
        label=_("Why is the alarm needed?"), required=False, max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the prosecutor's office should know beyond the risk assessment "
                    "(recent facts, breaches, the stalking)."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = get_language()
        motivation = self.fields.pop("motivation")
        for criterion in alarm_rules().criteria:
            self.fields[CRITERION_FIELD.format(criterion.code)] = forms.ChoiceField(
                label=criterion.question_in(language), choices=ANSWER_CHOICES,
                widget=forms.RadioSelect, required=False,
                help_text=_("Required: the alarm cannot be requested otherwise.")
                if criterion.required else "")
        self.fields["motivation"] = motivation

    def criteria(self) -> dict[str, str]:
        data = self.cleaned_data
        return {c.code: data.get(CRITERION_FIELD.format(c.code)) or ""
                for c in alarm_rules().criteria}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), widget=forms.RadioSelect, required=False,
        choices=[("grant", _("Grant the alarm")), ("refuse", _("Refuse the alarm"))])
    reasons = forms.CharField(label=_("Reasons"), required=False, max_length=3000,
                              widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("Required, for a grant as for a refusal."))

    def grant(self) -> bool | None:
        return {"grant": True, "refuse": False}.get(self.cleaned_data.get("decision") or "")


class AssignForm(forms.Form):
    device = forms.ModelChoiceField(label=_("Device"), queryset=AlarmDevice.objects.none(),
                                    required=False, empty_label=_("Choose a device in stock"))
    paired_on = forms.DateField(label=_("Paired with her phone on"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args: Any, stock: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if stock is not None:
            self.fields["device"].queryset = stock


class EndForm(forms.Form):
    reason = forms.CharField(label=_("Why does the alarm end?"), required=False, max_length=300)


class DeviceForm(forms.Form):
    serial = forms.CharField(label=_("Serial number"), max_length=64)
    model = forms.CharField(label=_("Model"), max_length=100, required=False)
    note = forms.CharField(label=_("Note about the device"), max_length=300, required=False,
                           help_text=_("Battery, damage... never about the person."))


class DeviceStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=[
        (DeviceStatus.IN_STOCK, DeviceStatus.IN_STOCK.label),
        (DeviceStatus.OUT_OF_SERVICE, DeviceStatus.OUT_OF_SERVICE.label)])
    note = forms.CharField(label=_("Note about the device"), max_length=300, required=False)
