"""Helpers of the browser tests: the instructor's first run or sign-in, and axe-core's
WCAG check of a page."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

EMAIL, PASSWORD = "ada@college.example", "correct horse battery"
AXE = Path(__file__).with_name("vendor") / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def sign_in(page: Page) -> None:
    """The first run creates the account; later runs (same server) sign in."""
    page.goto("/control")
    if "/setup" in page.url:
        expect(page.locator("h1")).to_have_text("Welcome to Entente")
        page.fill("#display_name", "Ada Lovelace")
        page.fill("#email", EMAIL)
        page.fill("#password", PASSWORD)
        page.fill("#confirm", "not the same password")
        page.click("button[type=submit]")
        expect(page.locator(".form-error")).to_contain_text("The two passwords differ")
        page.fill("#password", PASSWORD)
        page.fill("#confirm", PASSWORD)
        page.click("button[type=submit]")
    else:
        page.fill("#email", EMAIL)
        page.fill("#password", "wrong password!")
        page.click("button[type=submit]")
        expect(page.locator(".form-error")).to_have_text("Wrong email address or password.")
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/control$"))
    expect(page.locator(".topbar-user")).to_contain_text("Ada Lovelace")


def violations(page: Any) -> list[dict[str, Any]]:
    # Evaluated, not added as a <script>: the page's CSP refuses inline scripts, and
    # Playwright's add_script_tag inlines the file.
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["html"][:160] for n in v["nodes"][:3]],
        }
        for v in result["violations"]
    ]


def assert_clean(page: Any, where: str) -> None:
    found = violations(page)
    assert not found, f"axe found WCAG violations on {where}:\n{json.dumps(found, indent=1)}"
