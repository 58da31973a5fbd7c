"""Forms of the agency's administration of its accounts. The roles offered are those of the
agency's kind (``relais.access.accounts.assignable_roles``); the services check them again."""

from __future__ import annotations

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from relais.access.accounts import assignable_roles
from relais.accounts.models import Role
from relais.core.versions import VersionField


def role_choices(kind: str) -> list[tuple[str, str]]:
    allowed = assignable_roles(kind)
    return [(code, label) for code, label in Role.choices if code in allowed]


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(label=_("Roles"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, kind: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = role_choices(kind)


class AccountRolesForm(RolesForm):
    """An account's roles, over the version read (relais.core.versions)."""

    version = VersionField()


class InviteForm(RolesForm):
    username = forms.CharField(label=_("User name"), max_length=150,
                               validators=[UnicodeUsernameValidator()],
                               help_text=_("Used to sign in, e.g. firstname.lastname."))
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("Work e-mail address"),
                             help_text=_("The invitation goes there: a one-time link to choose a "
                                         "password and set up the authenticator app."))

    field_order = ["username", "first_name", "last_name", "email", "roles"]


class ResetRequestForm(forms.Form):
    reason = forms.CharField(label=_("Why reset the second factor?"), max_length=300,
                             help_text=_("E.g. phone lost or replaced. Another administrator "
                                         "of your agency reads it before confirming."))
