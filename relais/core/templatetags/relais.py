"""Template helpers shared by every app."""

from __future__ import annotations

import uuid

from django import template
from django.utils.html import format_html

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
def scope_names(scopes: list[str]) -> list[str]:
    from relais.access.scopes import scope_labels

    return scope_labels(scopes)
