"""The forms of the safeguards: they parse input, the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from relais.cases.models import CaseParticipant
from relais.safeguards.models import RecordedVia, ResidencePermit


def _date(label: Any, *, required: bool = True, **kwargs: Any) -> forms.DateField:
    return forms.DateField(label=label, required=required,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                           **kwargs)


class _VictimForm(forms.Form):
    person = forms.TypedChoiceField(label=_("Victim"), coerce=int)

    def __init__(self, *args: Any, victims: list[CaseParticipant], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(p.person_id, str(p.person)) for p in victims]
        if len(victims) == 1:
            self.fields["person"].initial = victims[0].person_id


class ResidenceForm(_VictimForm):
    permit = forms.ChoiceField(label=_("Her residence permit depends on the partner"),
                               choices=ResidencePermit.choices, widget=forms.RadioSelect)
    facts_on = _date(_("Date of the facts"),
                     help_text=_("The violence or the separation that puts her residence at "
                                 "risk. The date to apply by is counted from it."))
    via = forms.ChoiceField(label=_("Recorded at"), choices=RecordedVia.choices,
                            initial=RecordedVia.CASE)


class HospitalAlertForm(_VictimForm):
    starts_on = _date(_("In our care from"))
    ends_on = _date(_("Until"), required=False,
                    help_text=_("Leave empty while she is in care; end the alert when she "
                                "leaves."))
    note = forms.CharField(label=_("Note"), max_length=300, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("Short and practical: which entrance, who to call. "
                                       "Never her room or ward."))
