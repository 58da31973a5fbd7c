"""The map of Relais's pages: Leaflet from our own static files over Belgium's arrondissements and
cantons (relais.core.basemap), tiles only from a server the operator chose (RELAIS_MAP_TILES)."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.templatetags.static import static

from relais.core.basemap import ATTRIBUTION

register = template.Library()


@register.inclusion_tag("core/_map.html")
def relais_map(points: list[dict[str, Any]], label: str = "", hint: str = "") -> dict[str, Any]:
    """A map with ``points`` ({lat, lng, name, url?}) as markers; nothing without a point."""
    return {"points": points, "label": label, "hint": hint,
            "base_map": static("relais/base-map.geojson"), "base_attribution": ATTRIBUTION,
            "tiles": settings.RELAIS_MAP_TILES,
            "tiles_attribution": settings.RELAIS_MAP_ATTRIBUTION}
