from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from relais.accounts.models import Agency, Role, Unit, User
from relais.core.versions import VersionField
from relais.followup.models import CouldSpeak, Outcome, ZonePolicy
from relais.followup.rules import DAY2_CHECKLIST
from relais.followup.services import POLICY_FIELDS

OUTCOME_CHOICES = [(value, label) for value, label in Outcome.choices
                   if value not in (Outcome.NOT_FREE, Outcome.BLOCKED, Outcome.CONCERN)]
# A child check of the child reflex may end with a concern for a child.
CHILD_CHECK_OUTCOME_CHOICES = [*OUTCOME_CHOICES[:1], (Outcome.CONCERN, Outcome.CONCERN.label),
                               *OUTCOME_CHOICES[1:]]
# A safety-plan action of the consultation: done, not done with a reason, or blocked.
ACTION_OUTCOME_CHOICES = [(value, label) for value, label in Outcome.choices
                          if value in (Outcome.DONE, Outcome.NOT_APPLICABLE, Outcome.BLOCKED)]


class ContactForm(forms.Form):
    """One try at a task. The first question is whether she could speak freely."""

    could_speak_freely = forms.ChoiceField(
        label=_("Could she speak freely?"), choices=CouldSpeak.choices, required=False,
        widget=forms.RadioSelect,
        help_text=_("Ask first. If she cannot, say nothing more: the task is rescheduled."))
    outcome = forms.ChoiceField(label=_("What came of it?"), choices=OUTCOME_CHOICES,
                                required=False, widget=forms.RadioSelect)
    checklist = forms.MultipleChoiceField(
        label=_("Gone through with her"), choices=DAY2_CHECKLIST, required=False,
        widget=forms.CheckboxSelectMultiple)
    all_fine = forms.BooleanField(label=_("She said everything is fine"), required=False)
    reschedule_to = forms.DateTimeField(
        label=_("Try again on"), required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("If she could not speak freely or was not reached. Empty: the zone's "
                    "retry delay, moved into the hours she gave when they read like 9-12."))
    note = forms.CharField(label=_("Note"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))
    version = VersionField()

    def __init__(self, *args: Any, contact: bool = True, checklist: bool = False,
                 plan_action: bool = False, child_check: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if child_check:
            self.fields["outcome"].choices = CHILD_CHECK_OUTCOME_CHOICES
            self.fields["note"].help_text = _(
                "With a concern for a child: say what worries you. You can then refer the "
                "child to youth aid.")
        if plan_action:
            self.fields["outcome"].choices = ACTION_OUTCOME_CHOICES
            self.fields["note"].help_text = _(
                "Not done or blocked: say why. The consultation's coordinator reads it.")
        if not contact:
            del self.fields["could_speak_freely"]
            del self.fields["all_fine"]
        if not checklist:
            del self.fields["checklist"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("could_speak_freely") != CouldSpeak.NO and not data.get("outcome"):
            self.add_error("outcome", _("Choose what came of it."))
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why is the task cancelled?"), max_length=300)


class PolicyForm(forms.ModelForm):
    version = VersionField()

    class Meta:
        model = ZonePolicy
        fields = POLICY_FIELDS
        widgets = {"day_ends_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["revisit_unit"].queryset = Unit.objects.filter(agency=agency)


def _holders(agency: Agency, role: str):
    return User.objects.filter(agency=agency, is_active=True, roles__role=role).order_by(
        "last_name", "first_name")


class NeighbourhoodForm(forms.Form):
    name = forms.CharField(label=_("Neighbourhood"), max_length=100)
    postcodes = forms.CharField(label=_("Postcodes"), max_length=300,
                                help_text=_("Separated by commas, e.g. 1050, 1000."))
    eva_officer = forms.ModelChoiceField(label=_("EVA representative"), queryset=User.objects,
                                         required=False)
    neighbourhood_officer = forms.ModelChoiceField(label=_("Neighbourhood officer"),
                                                   queryset=User.objects, required=False)
    version = VersionField()

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["eva_officer"].queryset = _holders(agency, Role.EVA_OFFICER)
        self.fields["neighbourhood_officer"].queryset = _holders(agency,
                                                                 Role.NEIGHBOURHOOD_OFFICER)

    def clean_postcodes(self) -> list[str]:
        codes = [part.strip() for part in self.cleaned_data["postcodes"].replace(";", ",")
                 .split(",") if part.strip()]
        wrong = [code for code in codes if not (code.isdigit() and len(code) == 4)]
        if wrong or not codes:
            raise forms.ValidationError(_("Give Belgian postcodes of four digits."))
        return codes


class CrisisForm(forms.Form):
    months = forms.IntegerField(label=_("Victims with a report in the last (months)"),
                                min_value=1, max_value=24, initial=6)


class VulnerableForm(forms.Form):
    """The most vulnerable households: how long without contact counts, and how many."""

    no_contact_days = forms.IntegerField(label=_("No contact for (days)"), min_value=1,
                                         max_value=365, initial=14)
    limit = forms.IntegerField(label=_("Households at most"), min_value=1, max_value=500,
                               initial=100)
