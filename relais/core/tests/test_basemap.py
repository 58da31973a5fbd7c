"""The maps' base ships with Relais (issue 19 §8): no tile server, no outside origin in the CSP."""

from __future__ import annotations

import json

from relais.conftest import verified_client
from relais.core.basemap import BASE_MAP


def test_the_base_map_holds_every_arrondissement_and_canton_and_stays_small():
    data = json.loads(BASE_MAP.read_text(encoding="utf-8"))
    levels = [f["properties"]["level"] for f in data["features"]]
    assert levels.count("arrondissement") == 12
    assert levels.count("canton") == 162
    assert BASE_MAP.stat().st_size < 400 * 1024
    assert "NGI" in data["attribution"]
    eupen = next(f for f in data["features"] if f["properties"]["id"] == "eupen")
    assert eupen["properties"]["name"]["de"] == "Eupen"


def test_no_outside_origin_in_the_content_security_policy_by_default(cast, directory):
    response = verified_client(cast.officer_a).get("/directory/?where=1050")
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["img-src"] == "'self' data:"
    assert "http" not in policy
    page = response.content.decode()
    assert 'data-tiles=""' in page and "base-map.geojson" in page
