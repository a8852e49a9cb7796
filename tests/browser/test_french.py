"""A turn played in French: the switch on the page sets the language for the session, and
the console, its live updates, the status lines and the scripts' own texts follow it. At
a laptop's and a portrait tablet's size nothing is wider than the screen (French runs
longer than English), and axe-core finds no WCAG 2 A/AA violation."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import SEAT_PAGE
from tests.browser.helpers import assert_clean

pytestmark = pytest.mark.browser

SIZES = [(1366, 768), (768, 1024)]


def seat_in_french(open_context: Callable[[], Any], link: str) -> Page:
    """A player who switches the join page to French, then takes the seat."""
    page: Page = open_context().new_page()
    page.goto(link)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.locator(".language-switch a[lang=fr]").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page).to_have_url(re.compile(r"/join/"))  # the switch came back to the same page
    page.locator("#take-seat").click()
    expect(page).to_have_url(SEAT_PAGE)
    expect(page.locator("#connection")).to_have_text("En direct")
    return page


# Headings, cells, buttons and tags whose text is wider than their box (visible ones).
SPILLED = """() => [...document.querySelectorAll(
    'th, td, button, .tab, .label, summary, h2, h3, .tag')]
  .filter(e => e.offsetParent && e.scrollWidth > e.clientWidth + 1)
  .map(e => e.textContent.trim().slice(0, 40))"""


def fits(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= innerWidth + 1"))


def test_a_turn_played_in_french(
    new_game: Callable[[], Any], open_context: Callable[[], Any], tmp_path: Any
) -> None:
    game = new_game()
    arvenia = seat_in_french(open_context, game.link("Arvenia"))
    others = [seat_in_french(open_context, game.link(n)) for n in ("Cardosa", "Lindmark")]

    # The console is French, tabs, clock, panels and the Ready button.
    expect(arvenia.locator("#tab-operations")).to_have_text("Carte et opérations")
    expect(arvenia.locator("#clock")).to_contain_text("Ordres")
    expect(arvenia.locator("#ready-button")).to_have_text("Ordres complets — prêt")
    # The scripts' texts are served in French too (static/js/texts.js reads them).
    assert arvenia.evaluate("uiText('reconnecting', 'Reconnecting…')") == "Reconnexion…"

    card = arvenia.locator("article.op-card#op-open-lane")
    card.locator("#commit-open-lane-arv-1-frigate-sqn").check()
    card.locator("form.commit-form button", has_text="Engager").click()
    # The answer sits in the card, in French, with the operation's name in French too.
    expect(card.locator(".commit-answer")).to_contain_text("Engagé dans")
    expect(card.locator("ul.committed button")).to_have_text("Retirer")

    arvenia.locator("#ready-button").click()
    expect(arvenia.locator("#order-status")).to_have_text("Ordres confirmés.")
    expect(arvenia.locator("#ready-button")).to_have_text("Rouvrir mes ordres")
    for page in others:  # the last to be ready resolves the turn
        page.locator("#ready-button").click()

    # The turn resolves; its results arrive live, in French.
    expect(arvenia.locator("#results h2")).to_have_text("Résultats du tour 1")
    arvenia.locator("#tab-review").click()
    expect(arvenia.locator("#results details.outcome").first).to_be_visible()
    expect(arvenia.locator("#results")).to_contain_text("Ce qui a changé au tour 1")
    expect(arvenia.locator("#clock")).to_contain_text("2 sur 3")

    for width, height in SIZES:
        arvenia.set_viewport_size({"width": width, "height": height})
        for tab in ("#tab-operations", "#tab-negotiation", "#tab-review"):
            arvenia.locator(tab).click()
            assert fits(arvenia), f"the French console is wider than {width}px ({tab})"
            spilled = arvenia.evaluate(SPILLED)
            assert not spilled, f"French text spills out of its box at {width}px: {spilled}"
            name = f"fr-{tab[5:]}-{width}x{height}.png"
            arvenia.screenshot(path=str(tmp_path / name), full_page=True)  # to look at
        assert_clean(arvenia, f"the French console at {width}x{height}")


def test_the_french_estimate_page_fits_and_is_clean(
    new_game: Callable[[], Any], open_context: Callable[[], Any], tmp_path: Any
) -> None:
    game = new_game()
    page = seat_in_french(open_context, game.link("Arvenia"))
    page.locator("a.estimate-link").click()
    expect(page.locator("h1")).to_have_text("Estimation d'état-major — tour 1")
    page.locator("form.panel:not(.what-if) select[name=runs]").select_option("100")
    page.locator("form.panel:not(.what-if) button[type=submit]").click()
    expect(page.locator(".estimate-meta")).to_contain_text("100 parties", timeout=60_000)
    # Percentages as French writes them: a space before the sign.
    expect(page.locator(".estimate-table tbody td").first).to_contain_text(re.compile(r"\d\s%"))
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        assert fits(page), f"the French estimate page is wider than {width}px"
        page.screenshot(path=str(tmp_path / f"fr-estimate-{width}x{height}.png"), full_page=True)
        assert_clean(page, f"the French estimate page at {width}x{height}")
