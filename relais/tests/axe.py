"""axe-core in the browser tests: ``assert_accessible(page)`` runs the axe-core engine shipped by
axe-playwright-python on the page as it is and fails on any critical or serious violation,
naming the rule, the help text and the first elements at fault. Minor and moderate findings
are returned for the test to look at, not failed on."""

from __future__ import annotations

from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

BLOCKING = ("critical", "serious")
_AXE = Axe()


def violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's violations on the page (WCAG 2.x A and AA rules and best practices)."""
    return _AXE.run(page).response["violations"]


def assert_accessible(page: Page) -> list[dict[str, Any]]:
    """Fails on critical or serious violations; returns the others."""
    found = violations(page)
    blocking = [v for v in found if v.get("impact") in BLOCKING]
    report = "\n".join(
        f"- [{v['impact']}] {v['id']}: {v['help']} — "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:3])
        for v in blocking)
    assert not blocking, f"axe-core on {page.url}:\n{report}"
    return [v for v in found if v.get("impact") not in BLOCKING]
