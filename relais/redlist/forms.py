"""The red list's forms: putting an entry, reviewing and lifting it, the dispatcher's look-up."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from relais.core.versions import VersionField
from relais.redlist.models import EntryKind, LiftReason, Reason


class DateInput(forms.DateInput):
    input_type = "date"


class EntryForm(forms.Form):
    case = forms.CharField(label=_("Case reference"), max_length=20)
    kind = forms.ChoiceField(label=_("What to list"), choices=EntryKind.choices,
                             widget=forms.RadioSelect, initial=EntryKind.ADDRESS)
    postcode = forms.CharField(label=_("Postcode"), max_length=4, required=False)
    refnis = forms.CharField(
        label=_("Municipality code (REFNIS)"), max_length=5, required=False,
        help_text=_("Only when the postcode serves several municipalities (e.g. 1050)."))
    street = forms.CharField(label=_("Street"), max_length=200, required=False)
    street_other = forms.CharField(
        label=_("Street, in the other language"), max_length=200, required=False,
        help_text=_("In Brussels and the municipalities with language facilities: the other "
                    "name of the same street (e.g. Rue de la Loi / Wetstraat). Relais has no "
                    "street register: a name not given here is not found."))
    street_third = forms.CharField(label=_("Street, in a third language"), max_length=200,
                                   required=False)
    number = forms.CharField(label=_("Number"), max_length=12, required=False)
    box = forms.CharField(label=_("Box"), max_length=12, required=False)
    phone = forms.CharField(label=_("Phone number"), max_length=40, required=False)
    reason = forms.ChoiceField(label=_("Reason"), choices=Reason.choices)
    reason_text = forms.CharField(label=_("Details"), max_length=500, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    review_on = forms.DateField(label=_("Review by"), widget=DateInput,
                                help_text=_("At most 6 months ahead. The entry leaves the "
                                            "list by itself after this date."))

    @property
    def streets(self) -> list[str]:
        data = self.cleaned_data
        return [data[name] for name in ("street", "street_other", "street_third")
                if data.get(name)]


class ExtendForm(forms.Form):
    review_on = forms.DateField(label=_("Keep until"), widget=DateInput)
    version = VersionField()


class LiftForm(forms.Form):
    why = forms.ChoiceField(label=_("Why"), choices=[
        (code, label) for code, label in LiftReason.choices if code != LiftReason.EXPIRED])
    version = VersionField()


class LookupForm(forms.Form):
    phone = forms.CharField(label=_("Phone number"), max_length=40, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=4, required=False)
    street = forms.CharField(label=_("Street"), max_length=200, required=False)
    number = forms.CharField(label=_("Number"), max_length=12, required=False)
    box = forms.CharField(label=_("Box"), max_length=12, required=False)


def default_review_on():
    from relais.redlist.services import latest_review_on

    return latest_review_on(timezone.localdate())
