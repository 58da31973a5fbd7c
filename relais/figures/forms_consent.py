"""The forms of consent to reporting: they parse input, the services decide
(relais.figures.consent)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from relais.cases.models import CaseParticipant


def _date(label: Any) -> forms.DateField:
    return forms.DateField(label=label, initial=timezone.localdate,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class RefusalForm(forms.Form):
    person = forms.TypedChoiceField(label=_("Person"), coerce=int)
    declined_on = _date(_("She declined on"))

    def __init__(self, *args: Any, participants: list[CaseParticipant], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [
            (p.person_id, f"{p.person} ({p.get_role_display()})") for p in participants]


class WithdrawalForm(forms.Form):
    withdrawn_on = _date(_("She withdrew her refusal on"))
