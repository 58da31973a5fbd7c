"""Forms of the access app: sharing a case (referral on consent, case consultation), ending a
share, break-glass and its review."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from relais.access.models import ConsentMethod
from relais.access.scopes import Scope
from relais.accounts.models import Agency
from relais.core.ids import ModelMultipleIdChoiceField


def other_agencies(actor_agency_id: int | None):
    return Agency.objects.exclude(pk=actor_agency_id).order_by("name")


class ReferralShareForm(forms.Form):
    person = forms.ChoiceField(label=_("Person who consents"))
    recipient_agency = forms.ModelChoiceField(label=_("Share with"), queryset=Agency.objects.none())
    scopes = forms.MultipleChoiceField(label=_("What to share"), choices=Scope.choices,
                                       widget=forms.CheckboxSelectMultiple)
    method = forms.ChoiceField(label=_("How consent was obtained"), choices=ConsentMethod.choices)
    purpose = forms.CharField(label=_("Purpose"), required=False, max_length=300)

    def __init__(self, *args, persons, agency_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = persons
        self.fields["recipient_agency"].queryset = other_agencies(agency_id)


class ConsultationForm(forms.Form):
    agencies = ModelMultipleIdChoiceField(label=_("Participating agencies"),
                                          queryset=Agency.objects.none(),
                                          widget=forms.CheckboxSelectMultiple)
    purpose = forms.CharField(label=_("Purpose"), max_length=300)
    ends_at = forms.DateTimeField(label=_("Ends on"),
                                  widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    scopes = forms.MultipleChoiceField(label=_("What to share"), choices=Scope.choices,
                                       widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, agency_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = other_agencies(agency_id)


class BreakGlassForm(forms.Form):
    case_reference = forms.CharField(label=_("Case reference or national number"),
                                     max_length=30)
    justification = forms.CharField(
        label=_("Imminent danger: what is happening"), min_length=20, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Art. 458bis Penal Code. Your access lasts a few hours, is logged and will "
                    "be reviewed by the agency that owns the case."),
    )


class ReviewForm(forms.Form):
    note = forms.CharField(label=_("Review note"), max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}))
    end_now = forms.BooleanField(label=_("End this access now"), required=False)


class EndShareForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)
