"""A player's pages in French leave no English of ours behind: every text of the English
page that is a message of the catalogue (a whole text, or an attribute a person reads)
is, on the same page in French, gone. Scenario texts and names stay as the scenario wrote
them; they are not messages of the catalogue."""

from __future__ import annotations

import functools
import re
from html.parser import HTMLParser

from app.i18n import translations
from app.services.games import CreatedGame
from scripts.i18n import extract
from tests.web.helpers import Player

READ_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt"}


class _Texts(HTMLParser):
    """Every text node and read attribute of a page, whitespace collapsed."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: set[str] = set()
        self._skip = 0

    def _add(self, text: str) -> None:
        text = " ".join(text.split())
        if text:
            self.texts.add(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style"}:
            self._skip += 1
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value:
                self._add(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"} and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._add(data)


def texts_of(html: str) -> set[str]:
    parser = _Texts()
    parser.feed(html)
    return parser.texts


@functools.cache
def english_only_messages() -> frozenset[str]:
    """The catalogue's messages without placeholders whose French differs from the English."""
    french = translations("fr")
    return frozenset(
        m.id
        for m in extract()
        if isinstance(m.id, str) and m.id and "%" not in m.id and french.gettext(m.id) != m.id
    )


def in_both_languages(player: Player, address: str) -> dict[str, set[str]]:
    """The texts of the page at `address`, as the switch serves it in English and in French."""
    pages = {}
    for language in ("en", "fr"):
        player.client.get("/language", params={"lang": language, "next": "/"})
        page = player.client.get(address)
        assert page.status_code == 200 and f'<html lang="{language}">' in page.text
        pages[language] = texts_of(page.text)
    return pages


def test_the_player_pages_in_french_have_no_english_message_left(
    players: dict[str, Player], app_and_game: tuple[object, CreatedGame]
) -> None:
    _, created = app_and_game
    arvenia = players["arvenia"]
    console = arvenia.at(created.game_id)
    for address, least in ((console, 60), (f"{console}/estimates", 15), ("/", 8)):
        pages = in_both_languages(arvenia, address)
        shown = pages["en"] & english_only_messages()
        assert len(shown) >= least, f"{address} shows only {len(shown)} messages in English"
        left = pages["fr"] & english_only_messages()
        assert not left, f"English left on {address} in French: {sorted(left)}"


# Texts of the console's templates, as a player reads them in English: a text left out of
# the catalogue (not wrapped in `_()`) is no message, so the test above cannot see it.
CONSOLE_PHRASES = (
    "Map & operations",
    "Event feed",
    "Orders complete — ready",
    "Budget left",
    "Domestic support",
    "New to this crisis?",
    "Objectives",
    "Trusts you",
    "Tasked to",
    "Theatre",
    "hard-power operation",
    "Combat results table",
    "Beyond what it lists, every operation needs",
    "Committed, as far as you see",
    "Units committed",
    "seat empty",
    "The turn resolves when every player is ready",
    "Players ready",
    "Time left",
    "Channels",
    "Open a new channel",
    "Proposals to Arvenia",
    "Agreements in force",
    "Pledge ledger",
    "Propose an agreement",
    "Kind of agreement",
    "No turn has been resolved yet.",
    "own objectives, secret ones included, are on the left.",
    "Skip to the console's views",
)


def test_the_console_in_french_has_none_of_its_english_phrases(
    players: dict[str, Player], app_and_game: tuple[object, CreatedGame]
) -> None:
    _, created = app_and_game
    pages = in_both_languages(players["arvenia"], players["arvenia"].at(created.game_id))
    english, french = (" ".join(pages[language]) for language in ("en", "fr"))
    assert all(p in english for p in CONSOLE_PHRASES), "a phrase is not on the console"
    left = [p for p in CONSOLE_PHRASES if p in french]
    assert not left, f"English left on the French console: {left}"


def test_the_status_line_of_an_order_is_french(
    players: dict[str, Player], app_and_game: tuple[object, CreatedGame]
) -> None:
    _, created = app_and_game
    arvenia = players["arvenia"]
    arvenia.client.get("/language", params={"lang": "fr", "next": "/"})
    answer = arvenia.client.post(
        arvenia.at(created.game_id, "/orders"),
        data={"kind": "ready", "ready": "true", "turn": "1"},
        headers={"X-CSRF-Token": arvenia.csrf},
    )
    assert answer.status_code == 200
    assert re.search(r">\s*Ordres confirmés\.\s*<", answer.text), answer.text
