"""Forms of the body's administration (its coordinator's screens): the protocol, a member agency,
a new version of the referral criteria; and the criteria told in words.

The criteria form has one field per rule (relais.consultation.criteria): a coordinator never
types JSON.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _

from relais.access import consultation as policy
from relais.accounts.models import Agency, User
from relais.consultation.criteria import CRITICALITY_GRID
from relais.consultation.models import AGENDA_FIELDS, Body, Level
from relais.consultation.services import body_version, criteria_fields, criteria_version
from relais.core.versions import VersionField
from relais.risk.instruments import instrument_get

AGENDA_FIELD_LABELS = {
    "names": _("Names"),
    "birth_dates": _("Dates of birth"),
    "municipality": _("Municipality"),
    "children": _("The children"),
}


def _grid_levels() -> list[tuple[str, str]]:
    language = (get_language() or "en")[:2]
    return [(level.code, level.label_in(language))
            for level in instrument_get(CRITICALITY_GRID).levels]


def _person(user: User) -> str:
    return user.get_full_name() or user.username


class ProtocolForm(forms.Form):
    protocol_reference = forms.CharField(label=_("Protocol reference"), max_length=120)
    agenda_fields = forms.MultipleChoiceField(
        label=_("What the members' agenda shows of each case"),
        widget=forms.CheckboxSelectMultiple, required=False,
        help_text=_("Never an address. Members check their own records with what is shown; "
                    "a perpetrator programme never sees the municipality."))
    coordinator = forms.TypedChoiceField(label=_("Named coordinator"), coerce=int,
                                         required=False, empty_value=None)
    version = VersionField()

    def __init__(self, *args: Any, body: Body, **kwargs: Any) -> None:
        kwargs["initial"] = {
            "protocol_reference": body.protocol_reference,
            "agenda_fields": list(body.agenda_fields or AGENDA_FIELDS),
            "coordinator": body.coordinator_id, "version": body_version(body),
            **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        self.fields["agenda_fields"].choices = [(f, AGENDA_FIELD_LABELS[f])
                                                for f in AGENDA_FIELDS]
        coordinators = policy.coordinator_candidates(body).order_by("last_name", "first_name")
        self.fields["coordinator"].choices = [("", "—"),
                                              *((u.pk, _person(u)) for u in coordinators)]


class MemberForm(forms.Form):
    """Add a member agency or change its representative and deputy. The people are offered in a
    list grouped by agency; the service checks they belong to the agency chosen."""

    agency = forms.TypedChoiceField(label=_("Member agency"), coerce=int)
    representative = forms.TypedChoiceField(label=_("Representative"), coerce=int,
                                            required=False, empty_value=None)
    deputy = forms.TypedChoiceField(label=_("Deputy"), coerce=int, required=False,
                                    empty_value=None)
    version = VersionField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agencies = [a for a in Agency.objects.order_by("name") if policy.may_be_member(a)]
        self.fields["agency"].choices = [("", "—"), *((a.pk, a.name) for a in agencies)]
        staff: dict[int, list[tuple[int, str]]] = {a.pk: [] for a in agencies}
        for user in (User.objects.filter(agency_id__in=staff, is_active=True)
                     .order_by("last_name", "first_name")):
            staff[user.agency_id].append((user.pk, _person(user)))
        people = [("", "—"), *((a.name, staff[a.pk]) for a in agencies if staff[a.pk])]
        self.fields["representative"].choices = people
        self.fields["deputy"].choices = people


# --- The referral criteria -----------------------------------------------------------------

REVIEW_LEVELS = list(Level)


class CriteriaForm(forms.Form):
    """One field per rule; ``rules()`` gives the rules of the new version."""

    criticality_levels = forms.MultipleChoiceField(
        label=_("Levels of the criticality grid that refer on their own"),
        widget=forms.CheckboxSelectMultiple, required=False)
    col15_critical_signal = forms.BooleanField(
        label=_("A critical signal on the COL 15/2020 police grid refers"), required=False)
    professional_concern = forms.BooleanField(
        label=_("A written professional concern refers on its own"), required=False)
    escalation_incidents = forms.IntegerField(
        label=_("Escalation: number of incidents"), min_value=1, max_value=240)
    escalation_months = forms.IntegerField(
        label=_("Escalation: within how many months"), min_value=1, max_value=240)
    repeat_months = forms.IntegerField(
        label=_("Repeat: a new incident within how many months of the last hearing"),
        min_value=1, max_value=240)
    emergency_hours = forms.IntegerField(
        label=_("Emergency: heard within how many hours"), min_value=1, max_value=240)
    note = forms.CharField(label=_("What changed and why"), max_length=300,
                           widget=forms.Textarea(attrs={"rows": 2}))

    version = VersionField()

    def __init__(self, *args: Any, rules: dict[str, Any], **kwargs: Any) -> None:
        kwargs["initial"] = {**criteria_fields(rules), "version": criteria_version(rules),
                             **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        self.fields["criticality_levels"].choices = _grid_levels()
        for level in REVIEW_LEVELS:
            self.fields[f"review_days_{level.value}"] = forms.IntegerField(
                label=gettext("Monitoring interval in days at level “%(level)s”")
                % {"level": level.label}, min_value=1, max_value=365)
        # The note last.
        self.fields["note"] = self.fields.pop("note")

    def rules(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "criticality_levels": list(data["criticality_levels"]),
            "col15_critical_signal": data["col15_critical_signal"],
            "professional_concern": data["professional_concern"],
            "escalation": {"incidents": data["escalation_incidents"],
                           "months": data["escalation_months"]},
            "repeat_months": data["repeat_months"],
            "emergency_hours": data["emergency_hours"],
            "review_days": {level.value: data[f"review_days_{level.value}"]
                            for level in REVIEW_LEVELS},
        }


def rules_in_words(rules: dict[str, Any]) -> dict[str, str]:
    """Each rule of a version in a sentence, in the reader's language (keyed by rule, so two
    versions can be compared rule by rule)."""
    labels = dict(_grid_levels())
    levels = [str(labels.get(code, code)) for code in rules.get("criticality_levels", [])]
    escalation = rules.get("escalation") or {}
    incidents, months = escalation.get("incidents", 0), escalation.get("months", 0)
    days = rules.get("review_days") or {}
    if levels:
        grid = gettext("The criticality grid refers a case at: %(levels)s.") % {
            "levels": ", ".join(levels)}
    else:
        grid = gettext("No level of the criticality grid refers a case on its own.")
    if rules.get("col15_critical_signal"):
        col15 = gettext("A critical signal on the COL 15/2020 police grid refers a case.")
    else:
        col15 = gettext("A critical signal on the COL 15/2020 police grid does not refer a "
                        "case on its own.")
    if rules.get("professional_concern"):
        concern = gettext("A professional concern, written down, refers a case.")
    else:
        concern = gettext("A professional concern alone does not refer a case.")
    intervals = "; ".join(gettext("%(level)s every %(days)s days")
                          % {"level": level.label, "days": days.get(level.value, "—")}
                          for level in REVIEW_LEVELS)
    return {
        "criticality_levels": grid,
        "col15_critical_signal": col15,
        "professional_concern": concern,
        "escalation": ngettext(
            "Escalation: %(incidents)s incident or more in the last %(months)s months.",
            "Escalation: %(incidents)s incidents or more in the last %(months)s months.",
            incidents) % {"incidents": incidents, "months": months},
        "repeat_months": gettext("A new incident within %(months)s months of the last hearing "
                                 "makes the referral a repeat.")
        % {"months": rules.get("repeat_months", "—")},
        "emergency_hours": gettext("An imminent danger is heard within %(hours)s hours.")
        % {"hours": rules.get("emergency_hours", "—")},
        "review_days": gettext("Monitoring interval: %(intervals)s.") % {"intervals": intervals},
    }


def rules_changed(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """The rules of ``new`` that differ from ``old``, in words."""
    now = rules_in_words(new)
    before = rules_in_words(old)
    return [text for key, text in now.items() if before.get(key) != text]
