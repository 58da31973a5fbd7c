"""Forms of the consultation's screens: referral, meeting, attendance, contribution, hearing,
action, leaving. They parse input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from relais.access.scopes import Scope
from relais.consultation.models import (
    ActionKind,
    Basis,
    ExitReason,
    Informed,
    Level,
    MeetingKind,
)
from relais.core.versions import VersionField
from relais.followup.models import Priority

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
YOUTH_BASIS = _("Art. 458ter Penal Code; the youth-aid decree (notice of a child in danger)")


class ReferralForm(forms.Form):
    concern = forms.CharField(
        label=_("Your professional concern"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Your concern is a criterion of its own: say what worries you, in your "
                    "words."))
    emergency = forms.BooleanField(
        label=_("Imminent danger: ask for an emergency consultation (within 24–48 h)"),
        required=False)
    informed = forms.ChoiceField(label=_("Was she informed of the referral?"),
                                 choices=Informed.choices, widget=forms.RadioSelect)
    consents = forms.BooleanField(label=_("She consents to the consultation"), required=False)
    basis = forms.ChoiceField(label=_("Legal basis"), choices=Basis.choices,
                              widget=forms.RadioSelect)
    justification = forms.CharField(
        label=_("Why without her consent"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Without her consent: the danger that justifies sharing. The case's "
                    "reference officer reads it."))
    scopes = forms.MultipleChoiceField(
        label=_("What the participants may see"), widget=forms.CheckboxSelectMultiple,
        help_text=_("Never a confidential (shelter) address: it does not enter a "
                    "consultation."))

    def __init__(self, *args: Any, scopes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Scope.choices)
        self.fields["scopes"].choices = [(s, labels[s]) for s in scopes]
        self.fields["scopes"].initial = scopes


class MeetingForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Date and time"), widget=DATETIME)
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices,
                             widget=forms.RadioSelect, initial=MeetingKind.REGULAR)
    place = forms.CharField(label=_("Place or video link"), required=False, max_length=200)


class AgendaForm(forms.Form):
    referrals = forms.MultipleChoiceField(label=_("Cases to put on the agenda"),
                                         widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["referrals"].choices = choices


class ContributionForm(forms.Form):
    risk_seen = forms.ChoiceField(label=_("The risk as your agency sees it"), required=False,
                                  choices=[("", _("Not assessed")), *Level.choices])
    facts = forms.CharField(label=_("Incidents and judicial facts known"), required=False,
                            max_length=3000, widget=forms.Textarea(attrs={"rows": 3}))
    situation = forms.CharField(
        label=_("Situation, concerns and protective factors"), required=False, max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Never a shelter's address. A perpetrator programme does not read this."))
    children = forms.CharField(label=_("The children"), required=False, max_length=3000,
                               widget=forms.Textarea(attrs={"rows": 2}))
    health = forms.CharField(label=_("Health and vulnerability"), required=False,
                             max_length=3000, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Read only by participants who see health data."))
    version = VersionField()


class HearingForm(forms.Form):
    level = forms.ChoiceField(label=_("Risk level agreed"), choices=Level.choices,
                              widget=forms.RadioSelect)
    decisions = forms.CharField(label=_("Decisions"), max_length=5000,
                                widget=forms.Textarea(attrs={"rows": 4}))
    children = forms.CharField(
        label=_("What is done for the children"), required=False, max_length=3000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the household has children (the child reflex)."))
    version = VersionField()


class ActionForm(forms.Form):
    agency = forms.TypedChoiceField(label=_("Agency"), coerce=int)
    kind = forms.ChoiceField(label=_("Action"), choices=ActionKind.choices)
    detail = forms.CharField(label=_("What exactly"), required=False, max_length=500)
    owner = forms.TypedChoiceField(label=_("Owner"), coerce=int, required=False,
                                   empty_value=None)
    due_on = forms.DateField(label=_("Deadline"), widget=DATE)
    priority = forms.TypedChoiceField(label=_("Priority"), coerce=int,
                                      choices=Priority.choices, initial=Priority.HIGH)
    legal_basis = forms.CharField(
        label=_("Legal basis"), required=False, max_length=200,
        help_text=_("Required for a notice to youth aid."))

    def __init__(self, *args: Any, agencies: list[tuple[int, str]],
                 owners: list[tuple[str, list[tuple[int, str]]]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = agencies
        self.fields["owner"].choices = [("", _("The agency's team")), *owners]
        self.fields["due_on"].initial = timezone.localdate()
        self.fields["legal_basis"].widget.attrs["placeholder"] = str(YOUTH_BASIS)


class CloseForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why the case leaves the consultation"),
                               choices=ExitReason.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Why is the referral withdrawn?"), max_length=300)
