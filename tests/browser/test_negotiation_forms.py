"""The negotiation panel's forms in a real browser: a message being typed survives its
channel view being replaced, and the proposal composer offers only the parties' nations
for the terms that name one, following the parties as they are ticked."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, Route, expect

from app.web.rendering import css_string
from tests.browser.conftest import take_seat

pytestmark = pytest.mark.browser


def _open_seat(open_context: Callable[[], Any], link: str) -> tuple[Page, list[str]]:
    """The seat's page on its negotiation view, and the JavaScript errors it raises."""
    page: Page = open_context().new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    take_seat(page, link)
    expect(page.locator("#connection")).to_have_text("Live")
    page.click("#tab-negotiation")
    expect(page.locator("#channel-view h3")).to_have_text("Plenary")
    return page, errors


def _held(page: Page, pattern: re.Pattern[str]) -> list[Route]:
    """Requests to `pattern` wait (answered by the test, with `route.continue_()`)."""
    held: list[Route] = []
    page.route(pattern, lambda route: held.append(route))
    return held


def _wait_for(page: Page, held: list[Route]) -> Route:
    for _ in range(100):
        if held:
            return held.pop(0)
        page.wait_for_timeout(50)
    raise AssertionError("the page never asked")


def test_a_message_being_typed_survives_its_channel_being_opened_again(
    new_game: Callable[[], Any], open_context: Callable[[], Any]
) -> None:
    game = new_game()
    page, errors = _open_seat(open_context, game.link("Arvenia"))
    box = page.locator("#message-text")
    box.click()
    page.keyboard.type("We offer the frigates ")

    # The plenary is opened again while the player types (a click from the mouse that does
    # not take the focus, as a live update would): its answer is held while typing goes on.
    held = _held(page, re.compile(r"/talks/channels/public$"))
    page.evaluate("document.getElementById('channel-view').dataset.old = 'yes'")
    page.evaluate("document.querySelector('#negotiation .channel-link').click()")
    request = _wait_for(page, held)
    page.keyboard.type("for Open Lane")
    request.continue_()
    page.wait_for_function("() => !document.getElementById('channel-view').dataset.old")
    page.unroute(re.compile(r"/talks/channels/public$"))

    # The new view has the whole draft, the caret where it was, and typing goes on there.
    expect(page.locator("#message-text")).to_be_focused()
    page.keyboard.type(", if Lindmark")
    page.keyboard.press("Control+Home")  # the start of the text, not of its last line
    page.keyboard.type("Arvenia: ")
    expect(page.locator("#message-text")).to_have_value(
        "Arvenia: We offer the frigates for Open Lane, if Lindmark"
    )

    # Opened again with nobody typing, the draft is still there; sent, it is gone.
    page.locator("#negotiation .channel-link").first.click()
    expect(page.locator("#message-text")).to_have_value(
        "Arvenia: We offer the frigates for Open Lane, if Lindmark"
    )
    page.locator("#message-form button[type=submit]").click()
    expect(page.locator("#message-list")).to_contain_text("We offer the frigates for Open Lane")
    expect(page.locator("#message-text")).to_have_value("")
    page.locator("#negotiation .channel-link").first.click()
    expect(page.locator("#channel-view h3")).to_have_text("Plenary")
    expect(page.locator("#message-text")).to_have_value("")
    assert errors == []


def test_a_sent_message_does_not_come_back_when_its_channel_is_shown_anew_meanwhile(
    new_game: Callable[[], Any], open_context: Callable[[], Any]
) -> None:
    """The channel view is replaced while the message is on its way: the new box must
    not offer the sent text again (the sending's answer lands on the old form)."""
    game = new_game()
    page, errors = _open_seat(open_context, game.link("Arvenia"))
    page.locator("#message-text").fill("Frigates for Open Lane")
    sending = _held(page, re.compile(r"/talks/messages$"))
    page.locator("#message-form button[type=submit]").click()
    request = _wait_for(page, sending)
    page.evaluate("document.getElementById('channel-view').dataset.old = 'yes'")
    page.locator("#negotiation .channel-link").first.click()
    page.wait_for_function("() => !document.getElementById('channel-view').dataset.old")
    request.continue_()
    expect(page.locator("#message-list")).to_contain_text("Frigates for Open Lane")
    expect(page.locator("#message-text")).to_have_value("")
    assert errors == []


def _options(page: Page, select: str) -> list[str]:
    return [o.strip() for o in page.locator(f"{select} option").all_inner_texts()]


def test_the_composer_offers_the_parties_only_and_follows_them(
    new_game: Callable[[], Any], open_context: Callable[[], Any]
) -> None:
    game = new_game()
    page, errors = _open_seat(open_context, game.link("Arvenia"))
    composer = page.locator("#proposal-composer")
    composer.locator("summary").click()
    composer.locator("#proposal-kind").select_option("cost_sharing")
    expect(composer.locator("#pf-share")).to_be_visible()
    # Nobody else ticked yet: only Arvenia can pay, and the form says how to add others.
    assert _options(page, "#pf-payer") == ["Arvenia"]
    expect(composer.locator(".proposal-fields .hint")).to_contain_text("Tick the other parties")

    # Ticking Lindmark with the keyboard offers it; Cardosa, not a party, is never offered.
    lindmark = composer.locator("input[name=parties][value=lindmark]")
    lindmark.focus()
    page.keyboard.press("Space")
    expect(composer.locator("#pf-payer option")).to_have_count(2)
    assert _options(page, "#pf-payer") == ["Arvenia", "Lindmark"]
    expect(lindmark).to_be_focused()  # the fields changed, not the player's place
    composer.locator("#pf-payer").select_option("lindmark")
    composer.locator("#pf-operation_id").select_option("saltmarsh-relief")

    # A share typed while the new fields are on their way is kept.
    held = _held(page, re.compile(r"/talks/proposal-fields\?"))
    composer.locator("input[name=parties][value=cardosa]").check()
    request = _wait_for(page, held)
    composer.locator("#pf-share").fill("40")
    request.continue_()
    expect(composer.locator("#pf-payer option")).to_have_count(3)
    page.unroute(re.compile(r"/talks/proposal-fields\?"))
    expect(composer.locator("#pf-share")).to_have_value("40")
    expect(composer.locator("#pf-payer")).to_have_value("lindmark")
    expect(composer.locator("#pf-operation_id")).to_have_value("saltmarsh-relief")

    # Lindmark unticked: it is no longer offered, and the payer falls back to Arvenia.
    lindmark.uncheck()
    expect(composer.locator("#pf-payer option")).to_have_count(2)
    assert _options(page, "#pf-payer") == ["Arvenia", "Cardosa"]
    expect(composer.locator("#pf-payer")).to_have_value("arvenia")
    expect(composer.locator("#pf-share")).to_have_value("40")

    # Another kind keeps to the same parties.
    composer.locator("#proposal-kind").select_option("basing")
    expect(composer.locator("#pf-host")).to_be_visible()
    assert _options(page, "#pf-host") == ["Arvenia", "Cardosa"]
    composer.locator("#pf-host").select_option("cardosa")
    composer.locator("#pf-region").select_option("port-calder")  # Cardosa's own port
    composer.locator("button", has_text="Propose").click()
    expect(composer.locator(".talk-status")).to_contain_text(
        "Proposed: a basing and overflight agreement."
    )
    view = page.request.get(re.sub(r"/games/", "/api/games/", page.url, count=1) + "/view")
    (proposal,) = view.json()["agreements"]
    assert proposal["parties"] == ["arvenia", "cardosa"]
    assert proposal["terms"]["host"] == "cardosa"
    assert errors == []


def test_a_channel_s_line_is_found_by_its_id_whatever_the_id(
    open_context: Callable[[], Any],
) -> None:
    """The selector a channel's line is swapped in by (css_string) finds that line alone
    in the browser, for any id: quotes, backslashes, spaces, commas (htmx splits its
    selectors on them), brackets, other scripts."""
    ids = ["public", "ch-12", 'a"b', "a\\b", "a b", "a,b", "a]b[", "é-ü", "1x", "--x", "a'b<"]
    page: Page = open_context().new_page()
    page.set_content('<div id="negotiation"><ul></ul></div>')
    page.evaluate(
        """ids => { const list = document.querySelector("#negotiation ul");
        for (const id of ids) { const li = document.createElement("li");
          li.dataset.channel = id; list.appendChild(li); } }""",
        ids,
    )
    for channel_id in ids:
        selector = f"#negotiation li[data-channel={css_string(channel_id)}]"
        assert "," not in selector
        found = page.evaluate(
            "s => [...document.querySelectorAll(s)].map(li => li.dataset.channel)", selector
        )
        assert found == [channel_id], (channel_id, selector)
