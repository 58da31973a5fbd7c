"""axe-core in the browser tests: the engine as axe-playwright-python bundles it (no download),
run on the page as the user sees it, content-security policy on."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

BLOCKING = {"critical", "serious"}


def axe_violations(page: Page, *, impacts: set[str] = BLOCKING) -> list[str]:
    """The violations of ``impacts`` on the page, one line each: rule, impact, the first nodes."""
    results = Axe().run(page)
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes'][:3]]}"
            for v in results.response["violations"] if v["impact"] in impacts]


def assert_accessible(page: Page) -> None:
    """No critical or serious axe-core finding."""
    found = axe_violations(page)
    assert not found, "\n".join(found)
