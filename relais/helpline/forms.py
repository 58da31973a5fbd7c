"""The call screen's form: radio groups and checkboxes, in the order an operator asks."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from relais.directory.models import Service
from relais.helpline.models import (
    AgeBand,
    CallerType,
    CallLanguage,
    Channel,
    Topic,
    VictimSex,
    YesNoUnknown,
    province_choices,
)
from relais.intake.models import ViolenceForm

NOTE_HELP = _("A few words for the helpline's own follow-up. No personal data: no name, "
              "phone number, address or anything that identifies the caller.")
SEVERAL = _("Several answers possible.")
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def _now_local() -> str:
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


class CallForm(forms.Form):
    started_at = forms.DateTimeField(
        label=_("Start"), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local", "autofocus": True},
                                   format="%Y-%m-%dT%H:%M"))
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=0, max_value=600,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "size": 4}))
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices,
                                widget=forms.RadioSelect, initial=Channel.PHONE)
    language = forms.ChoiceField(label=_("Language"), choices=CallLanguage.choices,
                                 widget=forms.RadioSelect)
    caller_type = forms.ChoiceField(label=_("Who calls?"), choices=CallerType.choices,
                                    widget=forms.RadioSelect)
    victim_sex = forms.ChoiceField(label=_("Victim's sex"), choices=VictimSex.choices,
                                   widget=forms.RadioSelect, initial=VictimSex.UNKNOWN)
    victim_age = forms.ChoiceField(label=_("Victim's age"), choices=AgeBand.choices,
                                   widget=forms.RadioSelect, initial=AgeBand.UNKNOWN)
    violence_forms = forms.MultipleChoiceField(
        label=_("Forms of violence"), choices=ViolenceForm.choices, required=False,
        widget=forms.CheckboxSelectMultiple, help_text=SEVERAL)
    children_present = forms.ChoiceField(
        label=_("Children present?"), choices=YesNoUnknown.choices, widget=forms.RadioSelect,
        initial=YesNoUnknown.UNKNOWN)
    danger_now = forms.TypedChoiceField(
        label=_("Danger now?"), choices=YES_NO, coerce=lambda value: value == "yes",
        widget=forms.RadioSelect, initial="no")
    province = forms.ChoiceField(label=_("Province"), required=False)
    topics = forms.MultipleChoiceField(label=_("Topics"), choices=Topic.choices,
                                       widget=forms.CheckboxSelectMultiple, help_text=SEVERAL)
    referral = forms.TypedChoiceField(label=_("Referred to (directory)"), coerce=int,
                                      required=False, empty_value=None)
    referral_other = forms.CharField(
        label=_("Referred elsewhere"), max_length=120, required=False,
        help_text=_("A service that is not in the directory: its name only."))
    police_called = forms.TypedChoiceField(
        label=_("Police called?"), choices=YES_NO, coerce=lambda value: value == "yes",
        widget=forms.RadioSelect, initial="no")
    note = forms.CharField(label=_("Note"), max_length=300, required=False, help_text=NOTE_HELP,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound and "started_at" not in self.initial:
            self.initial["started_at"] = _now_local()
        self.fields["province"].choices = [("", _("Unknown")), *province_choices()]
        self.fields["referral"].choices = [
            ("", _("None")),
            *Service.objects.order_by("name").values_list("pk", "name")]
