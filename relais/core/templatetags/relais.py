"""Template helpers shared by every app."""

from __future__ import annotations

import uuid

from django import template
from django.utils.html import format_html

from relais.access.scopes import scope_labels
from relais.accounts.models import Role
from relais.core.submissions import TOKEN_FIELD

register = template.Library()


@register.simple_tag
def submission_token() -> str:
    """A hidden one-time token: the same form sent twice creates nothing twice."""
    return format_html('<input type="hidden" name="{}" value="{}">', TOKEN_FIELD, uuid.uuid4().hex)


@register.filter
def get_item(mapping: dict, key: str):
    return mapping.get(key)


@register.filter
def scope_names(scopes: list[str] | str) -> list[str]:
    """Scope codes (a list, or the comma-separated form of the audit trail) as labels."""
    if isinstance(scopes, str):
        scopes = [s for s in scopes.split(",") if s]
    return scope_labels(scopes)


@register.filter
def role_names(roles: str) -> list[str]:
    """The comma-separated role codes of an audit event as labels."""
    labels = dict(Role.choices)
    return [str(labels.get(code, code)) for code in roles.split(",") if code]
