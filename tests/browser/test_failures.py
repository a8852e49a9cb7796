"""Failures a player sees: a message that cannot reach the server says so in its form and
keeps its text; a reload brings back the open channel and the unsent draft; a page whose
server went away for a while is live again a few seconds after the server is back."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer, take_seat

pytestmark = pytest.mark.browser

TEXT = "Arvenia asks for a convoy rota; keep this text."


def open_negotiation(page: Page) -> None:
    page.locator("#tab-negotiation").click()
    expect(page.locator("#message-text")).to_be_visible()


def open_channel(page: Page, index: int) -> str:
    item = page.locator("#negotiation [data-channel]").nth(index)
    channel = item.get_attribute("data-channel") or ""
    item.locator(".channel-link").click()
    expect(page.locator("#channel-cursor")).to_have_attribute("data-channel", channel)
    return channel


def test_a_message_that_cannot_be_sent_says_so_and_keeps_its_text(
    new_game: Callable[[], Any], open_context: Callable[[], Any]
) -> None:
    game = new_game()
    context = open_context()
    page = context.new_page()
    take_seat(page, game.link("Arvenia"))
    expect(page.locator("#connection")).to_have_text("Live")
    open_negotiation(page)

    page.locator("#message-text").fill(TEXT)
    context.set_offline(True)
    page.locator("#message-form button[type=submit]").click()
    note = page.locator("#message-form .request-failure")
    expect(note).to_have_text(re.compile("Not sent: this browser is offline.*kept"))
    expect(page.locator("#message-text")).to_have_value(TEXT)

    context.set_offline(False)
    page.locator("#message-form button[type=submit]").click()
    expect(page.locator("#message-list")).to_contain_text(TEXT)
    expect(page.locator("#message-form .request-failure")).to_have_count(0)
    expect(page.locator("#message-text")).to_have_value("")


def test_a_reload_keeps_the_open_channel_and_the_unsent_draft(
    new_game: Callable[[], Any], open_context: Callable[[], Any]
) -> None:
    game = new_game()
    page = open_context().new_page()
    take_seat(page, game.link("Arvenia"))
    expect(page.locator("#connection")).to_have_text("Live")
    open_negotiation(page)
    # A slow settle makes the reload land before it, as on a busy machine: the open
    # channel must be kept when its view arrives, not when it settles.
    page.evaluate("htmx.config.defaultSettleDelay = 1500")
    page.locator("#new-channel summary").click()
    page.locator("#new-channel input[name=members][value=lindmark]").check()
    page.locator("#new-channel button[type=submit]").click()
    expect(page.locator("#negotiation [data-channel]")).to_have_count(2)
    channel = open_channel(page, 1)
    page.locator("#message-text").press_sequentially("half a thought")

    page.reload()
    expect(page.locator("#view-negotiation")).to_be_visible()
    expect(page.locator("#channel-cursor")).to_have_attribute("data-channel", channel)
    expect(page.locator("#message-text")).to_have_value("half a thought")

    # Sent, it is no longer a draft: the next reload brings an empty box.
    page.locator("#message-form button[type=submit]").click()
    expect(page.locator("#message-list")).to_contain_text("half a thought")
    page.reload()
    expect(page.locator("#channel-cursor")).to_have_attribute("data-channel", channel)
    expect(page.locator("#message-text")).to_have_value("")


def test_a_page_is_live_again_within_seconds_after_a_long_outage(
    live_server: LiveServer, new_game: Callable[[], Any], open_context: Callable[[], Any]
) -> None:
    game = new_game()
    page = open_context().new_page()
    take_seat(page, game.link("Arvenia"))
    expect(page.locator("#connection")).to_have_text("Live")
    page.evaluate(
        "window.__attempts = 0;"
        "document.body.addEventListener('htmx:wsConnecting', () => window.__attempts++)"
    )
    live_server.stop()
    expect(page.locator("#connection")).to_have_text(re.compile("Reconnecting"))
    # Six failed attempts: an uncapped backoff would now wait up to a minute.
    page.wait_for_function("() => window.__attempts >= 6", timeout=60_000)
    live_server.start()
    # The backoff is capped at 2 s: live again well within 5 s of the server's return.
    expect(page.locator("#connection")).to_have_text("Live", timeout=5_000)
