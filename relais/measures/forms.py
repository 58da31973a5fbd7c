"""The forms of the protective measures. They parse input; the services decide (and answer
with errors by field that the views put back on the form)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from relais.measures.models import BreachKind, DetentionKind, ReleaseCondition
from relais.measures.rules import ban_rules
from relais.measures.selectors import OrderChoices

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _datetime(label: Any, **kwargs: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label, required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        **kwargs)


def _date(label: Any, **kwargs: Any) -> forms.DateField:
    return forms.DateField(label=label, required=False,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                           **kwargs)


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if str(v).isdigit()]


def now_minute():
    return timezone.localtime().replace(second=0, microsecond=0)


class BanOrderForm(forms.Form):
    """The guided order: conditions, persons, home, duration, his accommodation."""

    conditions = forms.MultipleChoiceField(
        label=_("Legal conditions"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Check each condition that is met. Those marked required must all be."))
    perpetrator = forms.ChoiceField(label=_("Who must leave the home"), required=False,
                                    widget=forms.RadioSelect)
    protected = forms.MultipleChoiceField(
        label=_("Persons protected"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("The persons living in the home whom he may not contact."))
    addresses = forms.MultipleChoiceField(
        label=_("The home he must leave"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Only the shared home: it is printed on his notice. A confidential address "
                    "can never be chosen."))
    starts_at = _datetime(_("Starts"))
    ends_at = _datetime(_("Ends"))
    grounds = forms.CharField(
        label=_("Facts and circumstances"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What shows that his presence is a serious and immediate threat. Factual "
                    "wording; not printed on the notice."))
    perpetrator_stays_at = forms.CharField(
        label=_("Where he will stay (if known)"), required=False, max_length=300,
        help_text=_("Seen by the police and justice only; never printed on any document."))
    confirm_overlap = forms.BooleanField(
        label=_("I have read that a ban already binds him at this home, and order this one "
                "all the same"), required=False)

    def __init__(self, *args: Any, choices: OrderChoices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rules = ban_rules()
        language = (get_language() or "en")[:2]
        self.fields["conditions"].choices = [
            (c.code, f"{c.label_in(language)}{' — ' + str(_('required')) if c.required else ''}")
            for c in rules.conditions]
        self.fields["perpetrator"].choices = [(str(p.pk), str(p)) for p in choices.perpetrators]
        self.fields["protected"].choices = [(str(p.pk), f"{p} ({role})")
                                            for p, role in choices.protected]
        self.fields["addresses"].choices = [(str(c.address.pk), c.label)
                                            for c in choices.addresses]
        self.fields["ends_at"].help_text = _(
            "At most %(days)d days after the start; only the family court extends it.") % {
            "days": rules.max_days}
        if not self.is_bound and not self.initial.get("starts_at"):
            start = now_minute()
            self.initial.update({
                "starts_at": start, "ends_at": rules.default_end(start),
                "perpetrator": str(choices.perpetrators[0].pk)
                if len(choices.perpetrators) == 1 else "",
                "conditions": list(choices.supported_conditions),
                "protected": [str(pk) for pk in choices.default_protected],
                "addresses": [str(pk) for pk in choices.default_addresses]})

    def arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"conditions": data["conditions"],
                "perpetrator_id": int(data["perpetrator"]) if data["perpetrator"] else None,
                "protected_ids": _ids(data["protected"]), "address_ids": _ids(data["addresses"]),
                "starts_at": data["starts_at"], "ends_at": data["ends_at"],
                "grounds": data["grounds"], "perpetrator_stays_at": data["perpetrator_stays_at"],
                "confirm_overlap": data["confirm_overlap"]}


class ExtendForm(forms.Form):
    new_ends_at = _datetime(_("New end"))
    decided_on = _date(_("Decided by the family court on"))
    court = forms.CharField(label=_("Family court"), required=False, max_length=200)
    note = forms.CharField(label=_("Note"), required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}))


class BreachForm(forms.Form):
    occurred_at = _datetime(_("When"))
    what = forms.ChoiceField(label=_("What happened"), choices=BreachKind.choices,
                             required=False, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Factual: what was seen or reported, by whom."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound and not self.initial.get("occurred_at"):
            self.initial["occurred_at"] = now_minute()


class LiftForm(forms.Form):
    reason = forms.CharField(label=_("Why is the ban lifted?"), max_length=300)


class StayForm(forms.Form):
    perpetrator_stays_at = forms.CharField(
        label=_("Where he will stay"), required=False, max_length=300,
        help_text=_("Seen by the police and justice only; never printed on any document."))


class DetentionForm(forms.Form):
    person = forms.ChoiceField(label=_("Person detained"), required=False,
                               widget=forms.RadioSelect)
    kind = forms.ChoiceField(label=_("Kind"), choices=DetentionKind.choices, required=False,
                             widget=forms.RadioSelect)
    since = _datetime(_("Since"))
    place = forms.CharField(label=_("Prison or place"), required=False, max_length=200)
    expected_release_on = _date(_("Expected release"))
    conditions = forms.MultipleChoiceField(
        label=_("Conditions on release"), choices=ReleaseCondition.choices, required=False,
        widget=forms.CheckboxSelectMultiple)
    conditions_note = forms.CharField(label=_("Conditions, in words"), required=False,
                                      max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, people: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(str(p.pk), str(p)) for p in people]
        if not self.is_bound and not self.initial.get("since"):
            self.initial["since"] = now_minute()
            if len(people) == 1:
                self.initial["person"] = str(people[0].pk)

    def arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"person_id": int(data["person"]) if data["person"] else None,
                "kind": data["kind"], "since": data["since"], "place": data["place"],
                "expected_release_on": data["expected_release_on"],
                "conditions": data["conditions"], "conditions_note": data["conditions_note"]}


class ReleaseForm(forms.Form):
    released_at = _datetime(_("Released on"),
                            help_text=_("A planned release can be recorded up to 30 days "
                                        "ahead: the victim's zone is warned now."))
    conditions = forms.MultipleChoiceField(
        label=_("Conditions"), choices=ReleaseCondition.choices, required=False,
        widget=forms.CheckboxSelectMultiple)
    conditions_note = forms.CharField(label=_("Conditions, in words"), required=False,
                                      max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
