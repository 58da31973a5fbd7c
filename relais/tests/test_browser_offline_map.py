"""Maps without third parties (issue 19 §8): every request to anything but this Relais is
blocked and recorded while the directory map, the public finder, the case page, an alarm's
location and a few staff pages are walked; none may be attempted. The map is drawn from
Relais's own boundaries, with its markers, and axe-core finds nothing serious on it."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, Page, Route, expect

from relais.alarms.models import AlarmActivation
from relais.alarms.tests.factories import live_alarm, press
from relais.conftest import Cast
from relais.directory.tests.factories import Directory
from relais.tests.axe import assert_accessible
from relais.tests.test_browser import SCREENSHOTS, browser, context, page, shot
from relais.tests.test_browser_directory import sign_in_english

__all__ = ["browser", "context", "page"]

pytestmark = pytest.mark.browser

LOOPBACK = {"127.0.0.1", "localhost", "[::1]", "::1"}


def block_outside(context: BrowserContext) -> list[str]:
    """Abort every request that would leave the machine; the list fills with their URLs."""
    attempted: list[str] = []

    def handle(route: Route) -> None:
        url = route.request.url
        host = urlsplit(url).hostname or ""
        if url.startswith(("data:", "blob:")) or host in LOOPBACK:
            route.continue_()
        else:
            attempted.append(url)
            route.abort("blockedbyclient")

    context.route("**/*", handle)
    return attempted


def expect_base_map(page: Page, markers: int) -> None:
    """The map, drawn from base-map.geojson (boundaries as SVG paths), no tile, its markers."""
    element = page.locator("#map")
    expect(element).to_be_visible()
    expect(element).to_have_class(re.compile(r"\bmap-offline\b"))
    expect(element.locator("svg path").first).to_be_attached()
    assert element.locator("svg path").count() > 100  # arrondissements and cantons
    expect(element.locator("img.leaflet-tile")).to_have_count(0)
    expect(element.locator(".leaflet-marker-icon")).to_have_count(markers)
    expect(element.locator(".leaflet-control-attribution")).to_contain_text("NGI")


def test_no_request_leaves_relais_and_the_map_is_drawn_from_its_own_data(
        live_server, cast: Cast, directory: Directory, context: BrowserContext, page: Page):
    base = live_server.url
    attempted = block_outside(context)
    live_alarm(cast)
    activation = press(cast, "BTN-A-0001")
    AlarmActivation.objects.filter(pk=activation.pk).update(latitude="50.8271",
                                                            longitude="4.3725", accuracy_m=9)

    # The public finder, and a search on it (no sign-in).
    page.goto(f"{base}/help/en/")
    page.locator("input[name=where]").fill("1050")
    page.locator("form.public-search button[type=submit]").click()
    expect(page.locator("#results li.service-card").first).to_be_visible()

    # The directory's search: the map of the services found, from Relais's own boundaries.
    sign_in_english(context, base, cast.officer_a)
    page.goto(f"{base}/directory/?where=1050")
    expect_base_map(page, markers=1)  # the shelter's confidential address is never on it
    page.locator("#map").scroll_into_view_if_needed()
    shot(page, "270-directory-map-offline")
    page.locator("#map").screenshot(path=str(SCREENSHOTS / "271-directory-map-detail.png"))
    assert_accessible(page)

    # A service's page, with its map.
    page.goto(f"{base}/directory/{directory.support_fr.pk}/")
    expect_base_map(page, markers=1)
    assert_accessible(page)

    # The case page and a few staff pages.
    for path in (f"/cases/{cast.case.pk}/", "/", "/follow-up/", "/crises/"):
        response = page.goto(base + path)
        assert response is not None and response.status == 200, path

    # An alarm's location, on Relais's own map (the dispatcher's summary).
    sign_in_english(context, base, cast.dispatcher_a)
    page.goto(f"{base}/alarms/activations/{activation.pk}/")
    expect_base_map(page, markers=1)
    expect(page.get_by_role("link", name="Open on a map")).to_have_count(0)
    shot(page, "272-alarm-location-offline-map")
    assert_accessible(page)

    assert attempted == [], attempted
