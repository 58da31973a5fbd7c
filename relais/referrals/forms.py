"""Forms of the referral workflow."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from relais.access.models import ConsentMethod
from relais.access.scopes import Scope
from relais.core import questions
from relais.directory.models import Accessibility
from relais.referrals.models import ReferralBasis, ReferralOutcome
from relais.referrals.rules import FLAGS


class FactsForm(forms.Form):
    """What the professional confirms about the person (prefilled from the case; posted, so
    that nothing about her ends up in an address bar or a log)."""

    flags = forms.MultipleChoiceField(label=_("Her situation"), required=False,
                                      widget=forms.CheckboxSelectMultiple)
    accessibility = forms.MultipleChoiceField(
        label=_("Accessibility she needs"), required=False, choices=Accessibility.choices,
        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["flags"].choices = [(code, label) for code, label in FLAGS.items()]


class ReferralForm(forms.Form):
    purpose = forms.CharField(label=_("What she needs from the service"), max_length=300,
                              required=False)
    basis = forms.ChoiceField(label=_("On what basis her data goes to the service"),
                              choices=ReferralBasis.choices, widget=forms.RadioSelect,
                              initial=ReferralBasis.CONSENT)
    consent_method = forms.ChoiceField(label=_("How she gave her consent"), required=False,
                                       choices=[("", "—"), *ConsentMethod.choices])
    basis_note = forms.CharField(
        label=_("Without her consent: why"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}))
    scopes = forms.MultipleChoiceField(
        label=_("What the service will see"), required=False, choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple, initial=[Scope.CONTACT],
        help_text=_("Her identity always; by default only how to reach her. Widen only on "
                    "purpose."))
    widened_because = forms.CharField(label=_("Why the service needs more"), max_length=300,
                                      required=False)
    confirm_mismatches = forms.BooleanField(
        label=_("I have read why this service may not fit, and refer her all the same"),
        required=False)

    def __init__(self, *args: Any, asked: Iterable[questions.Question] = (), **kwargs: Any
                 ) -> None:
        """``asked``: the questions later parts ask the referrer about her
        (relais.core.questions), each an optional field of its own."""
        super().__init__(*args, **kwargs)
        self.questions = list(asked)
        for question in self.questions:
            self.fields[question.name] = questions.form_field(question)

    def question_sections(self) -> list[tuple[Any, forms.BoundField]]:
        return [(q.section or q.label, self[q.name]) for q in self.questions]

    def answers(self) -> dict[str, str]:
        return {q.name: self.cleaned_data.get(q.name) or "" for q in self.questions}


class StepForm(forms.Form):
    status = forms.CharField(max_length=16)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)
    outcome = forms.ChoiceField(label=_("Outcome"), required=False,
                                choices=[("", "—"), *ReferralOutcome.choices])
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
