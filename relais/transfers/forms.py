from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from relais.access import transfers as policy
from relais.core.actor import Actor

REASON_HELP = _("The receiving agency reads this before it accepts, without seeing the case: "
                "write why it should take the case over (e.g. the victim moved to its area), "
                "not names or addresses.")


class TransferRequestForm(forms.Form):
    to_agency = forms.TypedChoiceField(label=_("Transfer the case to"), coerce=int)
    reason = forms.CharField(label=_("Why?"), max_length=500, help_text=REASON_HELP,
                             widget=forms.Textarea(attrs={"rows": 3}))
    person_agreed = forms.BooleanField(
        label=_("The person agreed that her file goes to this agency"), required=False)

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_agency"].choices = [
            ("", "—"), *((a.pk, a.name) for a in policy.transfer_targets(actor=actor))]
        if actor.agency is None or not policy.needs_agreement(actor.agency):
            del self.fields["person_agreed"]


class AnswerForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("decline", _("Decline"))],
                                 widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Your answer"), max_length=500, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Required to decline; the requesting agency reads it."))


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why is the request cancelled?"), max_length=500,
                             required=False, widget=forms.Textarea(attrs={"rows": 2}))
