"""Fuzzing (issue 12): whatever a client sends to the JSON API, the forms, the addresses and
the websocket, the server answers without a 5xx and the game still renders for everyone.

Runs on SQLite and on PostgreSQL (the `database_url` fixture), which refuse different text
(PostgreSQL: NUL and lone surrogates at all). Examples are few and fast; hypothesis's
shrinking names the smallest body that breaks the rule if one does.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import WebSocketDenialResponse
from starlette.websockets import WebSocketDisconnect

from app.services.games import CreatedGame
from tests.web.helpers import PASSWORD, Player, sign_in

EXAMPLES = 40
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same examples in every run: CI never meets a new one by chance
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text that has broken servers: controls, NUL, lone surrogates, noncharacters, RTL marks,
# long strings, numbers that overflow a 32-bit column.
awkward_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec=None, categories=["Cc", "Cs", "Cn", "Cf"]), max_size=8),
    st.sampled_from(
        ["\udfff", "\ud800x", "\x00", "a\u0000b", "\ufffe", "\u202e", "x" * 3000, "%00", ""]
    ),
    st.sampled_from(["public", "arvenia", "lindmark", "cardosa", "open-lane", "arv-1-frigate-sqn"]),
)
scalars = st.one_of(
    awkward_text,
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True),
    st.booleans(),
    st.none(),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(awkward_text, inner, max_size=4),
    max_leaves=12,
)
KINDS = [
    "commit",
    "withdraw",
    "ready",
    "propose",
    "counter",
    "sign",
    "reject",
    "withdraw_proposal",
    "message",
    "open_channel",
    "transfer",
    "reclaim",
    "red_card",
    "leave_coalition",
    "nonsense",
]
FIELDS = [
    "unit_id",
    "operation_id",
    "ready",
    "agreement",
    "parties",
    "terms",
    "agreement_id",
    "channel_id",
    "text",
    "members",
    "name",
    "coalition_id",
    "turn",
]
NATIONS = st.sampled_from(["arvenia", "lindmark", "cardosa"])
# Actions the rules would accept but for the text they carry: these reach the store.
plausible_actions = st.one_of(
    st.fixed_dictionaries(
        {"kind": st.just("open_channel"), "members": st.lists(NATIONS, max_size=2)},
        optional={"name": awkward_text},
    ),
    st.fixed_dictionaries(
        {"kind": st.just("message"), "channel_id": st.just("public"), "text": awkward_text}
    ),
    st.fixed_dictionaries(
        {
            "kind": st.just("propose"),
            "agreement": st.sampled_from(["joint_statement", "coalition_membership"]),
            "parties": st.just(["arvenia", "lindmark"]),
            "terms": st.fixed_dictionaries(
                {}, optional={"text": awkward_text, "name": awkward_text}
            ),
        }
    ),
)
actions = st.one_of(
    plausible_actions,
    st.fixed_dictionaries(
        {"kind": st.sampled_from(KINDS)},
        optional={field: json_values for field in FIELDS},
    ),
)


def _renders(players: dict[str, Player], game_id: str) -> None:
    for player in players.values():
        page = player.client.get(player.at(game_id))
        assert page.status_code == 200, page.text[:300]
        assert player.client.get(player.api(game_id, "/view")).status_code == 200
        with player.client.websocket_connect(player.at(game_id, "/ws")) as socket:
            assert 'id="clock"' in socket.receive_text()


@pytest.mark.timeout(300)
def test_json_actions_never_answer_5xx(
    players: dict[str, Player], app_and_game: tuple[object, CreatedGame]
) -> None:
    _, created = app_and_game
    game = created.game_id
    arvenia = players["arvenia"]

    @FUZZ
    @given(action=actions)
    def act(action: dict[str, Any]) -> None:
        body = json.dumps(action, allow_nan=True)
        response = arvenia.client.post(
            arvenia.api(game, "/actions"),
            content=body,
            headers={"content-type": "application/json"},
        )
        assert response.status_code < 500, (body, response.text)
        assert "code" in response.json() or response.json().get("accepted") is True
        if response.status_code == 200:  # stored: every page must still render it
            for player in players.values():
                page = player.client.get(player.at(game))
                assert page.status_code == 200, (body, page.text[:300])

    act()
    _renders(players, game)


@pytest.mark.timeout(300)
def test_forms_addresses_and_the_websocket_never_answer_5xx(
    players: dict[str, Player], app_and_game: tuple[object, CreatedGame]
) -> None:
    _, created = app_and_game
    game = created.game_id
    arvenia = players["arvenia"]
    headers = {"X-CSRF-Token": arvenia.csrf, "HX-Request": "true"}
    form_posts = [
        "/orders",
        "/talks/messages",
        "/talks/channels",
        "/talks/proposals",
        "/talks/agreements/ag-1/counter",
        "/talks/agreements/ag-1/sign",
    ]
    form_fields = st.dictionaries(
        st.sampled_from(
            [
                "kind",
                "unit_id",
                "operation_id",
                "ready",
                "turn",
                "coalition_id",
                "channel_id",
                "text",
                "members",
                "name",
                "agreement",
                "parties",
                "terms.text",
                "terms.name",
                "terms.host",
            ]
        ),
        awkward_text.map(lambda t: t.encode("utf-8", "surrogatepass").decode("utf-8", "replace")),
        max_size=6,
    )

    @FUZZ
    @given(suffix=st.sampled_from(form_posts), form=form_fields)
    def post_form(suffix: str, form: dict[str, str]) -> None:
        response = arvenia.client.post(arvenia.at(game, suffix), data=form, headers=headers)
        assert response.status_code < 500, (suffix, form, response.text[:300])

    segment = st.text(max_size=12).map(lambda t: t.encode("utf-8", "surrogatepass"))

    @FUZZ
    @given(
        template=st.sampled_from(
            [
                "/games/{x}/nations/arvenia",
                "/games/" + game + "/nations/{x}",
                "/api/games/{x}/nations/arvenia/view",
                "/games/" + game + "/nations/arvenia/talks/channels/{x}",
                "/games/" + game + "/nations/arvenia/talks/channels/public/messages?before={x}",
                "/games/" + game + "/nations/arvenia/talks/proposal-fields?agreement={x}",
                "/observe/" + game + "/{x}",
                "/join/{x}",
            ]
        ),
        raw=segment,
    )
    def get_address(template: str, raw: bytes) -> None:
        from urllib.parse import quote_from_bytes

        path = template.replace("{x}", quote_from_bytes(raw, safe="") or "x")
        response = arvenia.client.get(path)
        assert response.status_code < 500, (path, response.text[:300])

    post_form()
    get_address()

    with arvenia.client.websocket_connect(arvenia.at(game, "/ws")) as socket:
        socket.receive_text()  # the snapshot
        for junk in ("", "{", '{"type":"ping"}', "\x00" * 10, "x" * 20_000, '{"kind":"commit"}'):
            socket.send_text(junk)
            if junk != '{"type":"ping"}':
                assert "connection-error" in socket.receive_text()
        socket.send_bytes(b"\xff\xfe")
        assert "connection-error" in socket.receive_text()
    _renders(players, game)


def test_the_websocket_of_a_bad_address_is_refused_not_failed(
    app_and_game: tuple[object, CreatedGame],
) -> None:
    """A 4xx answer to the handshake, or a close with 1008 (which the page does not retry)."""
    app, created = app_and_game
    with TestClient(app) as anonymous:  # type: ignore[arg-type]
        for path in (
            f"/games/{created.game_id}%00/nations/arvenia/ws",
            "/games/%C3%8F/observe/ws",
            f"/games/{created.game_id}/nations/%FF/ws",
            f"/games/{created.game_id}/nations/arvenia/ws",
        ):
            try:
                with anonymous.websocket_connect(path) as socket:
                    with pytest.raises(WebSocketDisconnect) as closed:
                        socket.receive_text()
                    assert closed.value.code == 1008, path
            except WebSocketDenialResponse as denied:
                assert 400 <= denied.status_code < 500, path


@pytest.mark.timeout(300)
def test_sign_in_and_control_forms_never_answer_5xx(
    players: dict[str, Player], app_and_game: tuple[object, CreatedGame]
) -> None:
    app, created = app_and_game
    game = created.game_id
    app.state.container.accounts.create("ada@college.example", "Ada Lovelace", PASSWORD)  # type: ignore[attr-defined]
    form_text = awkward_text.map(
        lambda t: t.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    )
    with (
        TestClient(app, follow_redirects=False) as anonymous,  # type: ignore[arg-type]
        TestClient(app, follow_redirects=False) as instructor,  # type: ignore[arg-type]
    ):
        login_csrf = re.search(r'name="csrf_token" value="([^"]+)"', anonymous.get("/login").text)
        assert login_csrf is not None

        @FUZZ
        @given(email=form_text, password=form_text, next_=form_text)
        def fuzz_sign_in(email: str, password: str, next_: str) -> None:
            form = {"email": email, "password": password, "next": next_}
            answer = anonymous.post("/login", data=form | {"csrf_token": login_csrf[1]})
            assert answer.status_code < 500, (form, answer.text[:300])

        token = sign_in(instructor)  # first: the fuzzed failures pause this address
        fuzz_sign_in()
        control_fields = st.dictionaries(
            st.sampled_from(
                [
                    *("nation_id", "text", "title", "minutes", "event_id", "channel_id"),
                    *("reason", "audience", "personality", "operation_id", "result", "turn"),
                    *("phase", "hold"),
                ]
            ),
            form_text,
            max_size=5,
        )

        @FUZZ
        @given(
            action=st.sampled_from(
                [
                    *("control_message", "live_inject", "phase_length", "extend", "fire"),
                    *("hold", "adjudicate", "bot", "back", "nonsense", ""),
                ]
            ),
            fields=control_fields,
        )
        def console(action: str, fields: dict[str, str]) -> None:
            form = fields | {"action": action}
            answer = instructor.post(
                f"/control/games/{game}/do",
                data=form,
                headers={"X-CSRF-Token": token, "HX-Request": "true"},
            )
            assert answer.status_code < 500, (form, answer.text[:300])

        @FUZZ
        @given(email=form_text, display_name=form_text, password=form_text)
        def add_colleague(email: str, display_name: str, password: str) -> None:
            form = {"email": email, "display_name": display_name, "password": password}
            answer = instructor.post(
                "/control/instructors", data=form, headers={"X-CSRF-Token": token}
            )
            assert answer.status_code < 500, (form, answer.text[:300])

        console()
        add_colleague()
        assert instructor.get(f"/control/games/{game}").status_code == 200
        assert instructor.get("/control/instructors").status_code == 200
    _renders(players, game)


def test_the_websocket_of_an_address_with_a_control_character_is_refused_at_the_handshake(
    app_and_game: tuple[object, CreatedGame],
) -> None:
    """The app's address check covers the live sockets too: refused before any query."""
    app, created = app_and_game
    with TestClient(app) as anonymous:  # type: ignore[arg-type]
        for path in (
            f"/games/{created.game_id}%00/nations/arvenia/ws",
            f"/games/{created.game_id}%01/observe/ws",
            f"/control/games/{created.game_id}%00/ws",
            f"/control/games/{created.game_id}%00/glance/ws",
        ):
            with pytest.raises(WebSocketDenialResponse), anonymous.websocket_connect(path):
                pass
