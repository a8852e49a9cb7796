"""Every HTTP response carries the security headers (CSP, framing, sniffing, referrer,
opener, permissions), whatever produced it; and nothing in the templates needs the inline
code or styles the CSP forbids."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.config import PROJECT_ROOT
from app.services.games import CreatedGame
from tests.web.helpers import Player

EXPECTED = {
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
}


def _directives(response_csp: str) -> dict[str, list[str]]:
    parsed: dict[str, list[str]] = {}
    for part in response_csp.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def assert_secured(response: object, what: str) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    for name, value in EXPECTED.items():
        assert headers.get(name) == value, (what, name, headers.get(name))
    assert "camera=()" in headers.get("permissions-policy", ""), what
    csp = _directives(headers.get("content-security-policy", "default-src *"))
    assert csp["default-src"] == ["'self'"], what
    assert csp["script-src"] == ["'self'"], what  # no 'unsafe-inline', no 'unsafe-eval'
    assert csp["style-src"] == ["'self'"], what
    assert csp["connect-src"] == ["'self'"], what
    assert csp["object-src"] == ["'none'"], what
    assert csp["frame-ancestors"] == ["'none'"], what
    assert csp["base-uri"] == ["'self'"] and csp["form-action"] == ["'self'"], what


@pytest.fixture
def game(app_and_game: tuple[object, CreatedGame]) -> str:
    return app_and_game[1].game_id


def test_pages_fragments_json_and_static_files_carry_the_headers(
    players: dict[str, Player], game: str
) -> None:
    arvenia = players["arvenia"]
    client = arvenia.client
    htmx = {"HX-Request": "true", "X-CSRF-Token": arvenia.csrf}
    responses = {
        "home page": client.get("/"),
        "seat page": client.get(arvenia.at(game)),
        "htmx fragment": client.get(arvenia.at(game, "/talks/reads"), headers=htmx),
        "htmx form answer": client.post(
            arvenia.at(game, "/orders"), data={"kind": "ready", "ready": "true"}, headers=htmx
        ),
        "JSON API": client.get(arvenia.api(game, "/view")),
        "health JSON": client.get("/healthz"),
        "OpenAPI schema": client.get("/openapi.json"),
        "API docs": client.get("/docs"),
        "static file": client.get("/static/js/countdown.js"),
        "vendored file": client.get("/static/vendor/htmx.min.js"),
    }
    for what, response in responses.items():
        assert response.status_code == 200, (what, response.status_code)
        assert_secured(response, what)
    assert 'id="talk-reads"' in responses["htmx fragment"].text
    assert "<html" not in responses["htmx fragment"].text


def test_error_answers_carry_the_headers(
    app_and_game: tuple[object, CreatedGame], players: dict[str, Player], game: str
) -> None:
    app, _ = app_and_game
    with TestClient(app, follow_redirects=False) as anonymous:  # type: ignore[arg-type]
        not_found = anonymous.get("/nowhere")
        assert not_found.status_code == 404 and "<html" in not_found.text
        assert_secured(not_found, "404 page")
        forbidden = anonymous.get(f"/games/{game}/nations/arvenia")
        assert forbidden.status_code == 403 and "join link" in forbidden.text
        assert_secured(forbidden, "403 page")
        api_error = anonymous.get(f"/api/games/{game}/nations/arvenia/view")
        assert api_error.status_code == 403 and api_error.json()["code"]
        assert_secured(api_error, "JSON error")
        redirect = anonymous.get("/control")
        assert redirect.status_code == 303
        assert_secured(redirect, "redirect to sign-in")
        missing_static = anonymous.get("/static/nothing.js")
        assert missing_static.status_code == 404
        assert_secured(missing_static, "missing static file")
    refused = players["arvenia"].client.post(players["arvenia"].at(game, "/orders"))
    assert refused.status_code == 403  # no CSRF token
    assert_secured(refused, "CSRF refusal")


@pytest.fixture
def failing_app(app_and_game: tuple[object, CreatedGame]) -> Iterator[TestClient]:
    app, _ = app_and_game

    def boom() -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/test-boom", boom)  # type: ignore[attr-defined]
    with TestClient(app, raise_server_exceptions=False) as client:  # type: ignore[arg-type]
        yield client


def test_an_unhandled_error_still_carries_the_headers(failing_app: TestClient) -> None:
    response = failing_app.get("/test-boom")
    assert response.status_code == 500
    assert_secured(response, "500")


def test_the_websocket_still_opens_behind_the_headers(
    players: dict[str, Player], game: str
) -> None:
    arvenia = players["arvenia"]
    with arvenia.client.websocket_connect(arvenia.at(game, "/ws")) as socket:
        assert 'id="clock"' in socket.receive_text()


# What a strict CSP refuses to run or apply in a page: inline scripts, event-handler
# attributes, htmx's hx-on (evaluated with Function), javascript: URLs, style attributes
# and <style> blocks. Trigger filters ("every 3s [cond]") are evaluated code too. A JSON
# data block (`<script type="application/json">`) is data, never run: allowed.
_FORBIDDEN = {
    "inline script": re.compile(
        r"<script(?![^>]*\b(?:src=|type=\"application/json\"))[^>]*>", re.I
    ),
    "event-handler attribute": re.compile(r"\son[a-z]+\s*=", re.I),
    "hx-on attribute": re.compile(r"\s(?:data-)?hx-on", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "style block": re.compile(r"<style", re.I),
    "js: value": re.compile(r"hx-(?:vals|headers)='?\"?js:", re.I),
    "trigger filter": re.compile(r"hx-trigger=\"[^\"]*\[", re.I),
}


def _violations(html: str) -> list[str]:
    return [name for name, pattern in _FORBIDDEN.items() if pattern.search(html)]


def test_no_template_needs_inline_code_or_styles() -> None:
    found = {
        str(path.relative_to(PROJECT_ROOT)): bad
        for path in sorted((PROJECT_ROOT / "templates").rglob("*.html"))
        if (bad := _violations(path.read_text()))
    }
    assert found == {}


def test_rendered_pages_need_no_inline_code_or_styles(
    players: dict[str, Player], game: str
) -> None:
    client = players["arvenia"].client
    for path in ("/", players["arvenia"].at(game), "/docs", "/nowhere"):
        html = client.get(path).text
        assert _violations(html) == [], path
    assert '"includeIndicatorStyles": false' in client.get("/").text
