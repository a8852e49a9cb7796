"""The negotiation panel over HTTP and the websocket: channels, messages, unread counts,
proposals; what a nation may not know never reaches it; bad input never gives a 500."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import pytest
from markupsafe import escape

from app.services.games import CreatedGame, GameService
from tests.web.helpers import (
    JoinSeat,
    Player,
    open_channel,
    post_talks,
    receive_until,
    say,
    send_orders,
)

SECRET = "Our price is the Port Calder basing rights"


def _get(player: Player, game_id: str, suffix: str, **params: str) -> httpx.Response:
    return player.client.get(
        player.at(game_id, f"/talks{suffix}"), params=params, headers={"HX-Request": "true"}
    )


def _reads(player: Player, game_id: str) -> tuple[dict[str, int], dict[str, int]]:
    """The seat's (seen, unread) per channel, as the page receives them."""
    html = _get(player, game_id, "/reads").text
    seen = re.search(r"data-seen='([^']*)'", html)
    unread = re.search(r"data-unread='([^']*)'", html)
    assert seen is not None and unread is not None, html
    return json.loads(seen.group(1)), json.loads(unread.group(1))


def _select(html: str, select_id: str) -> str:
    """The HTML of one select of a fragment, with its options."""
    match = re.search(rf'<select id="{select_id}"[^>]*>(.*?)</select>', html, re.S)
    assert match is not None, (select_id, html)
    return match.group(1)


def _offered(html: str, select_id: str) -> list[str]:
    return re.findall(r'<option value="([^"]*)"', _select(html, select_id))


def _games(app_and_game: tuple[object, CreatedGame]) -> GameService:
    games: GameService = app_and_game[0].state.container.games  # type: ignore[attr-defined]
    return games


def _messages_in(html: str) -> list[str]:
    return re.findall(r'<p class="message-text">([^<]*)</p>', html)


@pytest.mark.timeout(90)
def test_a_bilateral_message_reaches_its_members_and_never_the_third_nation(
    players: dict[str, Player], app_and_game: tuple[object, CreatedGame], join_seat: JoinSeat
) -> None:
    app, created = app_and_game
    game = created.game_id
    arvenia, lindmark = players["arvenia"], players["lindmark"]
    cardosa = join_seat(app, created, "cardosa")
    cardosa_frames: list[str] = []
    with (
        lindmark.client.websocket_connect(lindmark.at(game, "/ws")) as l_socket,
        cardosa.client.websocket_connect(cardosa.at(game, "/ws")) as c_socket,
    ):
        assert 'id="negotiation"' in l_socket.receive_text()
        cardosa_frames.append(c_socket.receive_text())

        channel = open_channel(arvenia, game, "lindmark")
        answer = say(arvenia, game, channel, SECRET)
        assert 'class="talk-msg rejected"' not in answer.text
        assert json.loads(answer.headers["HX-Trigger"]) == {"talks:newer": True}

        # Lindmark's page learns of it live: the channel with its count, and the feed.
        frames = receive_until(l_socket, SECRET)
        assert f'data-channel="{channel}" data-channel-total="1"' in frames[-1]
        assert _messages_in(_get(lindmark, game, f"/channels/{channel}").text) == [SECRET]

        # Something public happens after it, so Cardosa has had every frame before.
        post_talks(arvenia, game, "/messages", channel_id="public", text="Good morning, all.")
        cardosa_frames += receive_until(c_socket, "Good morning, all.")

    everything = "\n".join(cardosa_frames)
    assert SECRET not in everything and channel not in everything
    assert 'data-channel="public" data-channel-total="1"' in cardosa_frames[-1]
    page = cardosa.client.get(cardosa.at(game)).text
    view = cardosa.client.get(cardosa.api(game, "/view")).text
    for seen_by_cardosa in (page, view, json.dumps(_reads(cardosa, game))):
        assert SECRET not in seen_by_cardosa and str(escape(SECRET)) not in seen_by_cardosa
        assert channel not in seen_by_cardosa
    for path in (f"/channels/{channel}", f"/channels/{channel}/messages"):
        refused = cardosa.client.get(cardosa.at(game, f"/talks{path}"))
        assert refused.status_code == 403
        assert SECRET not in refused.text


def test_a_nation_cannot_read_a_channel_it_is_not_in(
    players: dict[str, Player], app_and_game: tuple[object, CreatedGame]
) -> None:
    _, created = app_and_game
    game = created.game_id
    channel = open_channel(players["arvenia"], game, "cardosa")
    say(players["arvenia"], game, channel, SECRET)
    lindmark = players["lindmark"]
    for path in (f"/channels/{channel}", f"/channels/{channel}/messages", "/channels/ch-404"):
        response = lindmark.client.get(lindmark.at(game, f"/talks{path}"))
        assert response.status_code == 403, path
        assert "Lindmark is not in the channel" in response.text
        assert SECRET not in response.text
    # Nor through another seat's address (this browser does not hold it).
    response = lindmark.client.get(f"/games/{game}/nations/arvenia/talks/channels/{channel}")
    assert response.status_code == 403
    assert SECRET not in response.text


def test_a_channel_pages_fifty_messages_at_a_time_with_an_older_link(
    players: dict[str, Player], app_and_game: tuple[object, CreatedGame]
) -> None:
    _, created = app_and_game
    game = created.game_id
    games = _games(app_and_game)
    for i in range(120):
        games.act(game, "arvenia", {"kind": "message", "channel_id": "public", "text": f"m{i}"})
    lindmark = players["lindmark"]

    view = _get(lindmark, game, "/channels/public").text
    assert _messages_in(view) == [f"m{i}" for i in range(70, 120)]  # newest last
    older = re.search(r'hx-get="([^"]+\?before=\d+)"', view)
    assert older is not None
    page = lindmark.client.get(older.group(1).replace("&amp;", "&")).text
    assert _messages_in(page) == [f"m{i}" for i in range(20, 70)]
    older = re.search(r'hx-get="([^"]+\?before=\d+)"', page)
    assert older is not None
    # The older link sits before the messages it replaces: the order stays right.
    assert page.index("Older messages") < page.index(">m20<")
    last = lindmark.client.get(older.group(1)).text
    assert _messages_in(last) == [f"m{i}" for i in range(20)]
    assert "Older messages" not in last

    # Newer ones, after the last one shown, come with the cursor and the read markers.
    cursor = re.search(r'data-last-seq="(\d+)" data-total="120"', view)
    assert cursor is not None
    games.act(game, "cardosa", {"kind": "message", "channel_id": "public", "text": "new"})
    newer = _get(lindmark, game, "/channels/public/messages", after=cursor.group(1)).text
    assert _messages_in(newer) == ["new"]
    assert 'id="channel-cursor"' in newer and 'data-total="121"' in newer
    assert 'id="talk-reads"' in newer


@pytest.mark.timeout(90)
def test_unread_counts_rise_for_the_other_member_and_reset_when_read(
    players: dict[str, Player], app_and_game: tuple[object, CreatedGame], join_seat: JoinSeat
) -> None:
    app, created = app_and_game
    game = created.game_id
    arvenia, lindmark = players["arvenia"], players["lindmark"]
    channel = open_channel(arvenia, game, "lindmark")
    assert _reads(lindmark, game)[1][channel] == 0

    with lindmark.client.websocket_connect(lindmark.at(game, "/ws")) as socket:
        socket.receive_text()
        say(arvenia, game, channel, "First.")
        say(arvenia, game, channel, "Second.")
        # The live channel list carries the count; the page shows it minus what it has seen.
        receive_until(socket, f'data-channel="{channel}" data-channel-total="2"')
    seen, unread = _reads(lindmark, game)
    assert (seen[channel], unread[channel]) == (0, 2)
    seen, unread = _reads(arvenia, game)  # its own messages are not unread
    assert (seen[channel], unread[channel]) == (2, 0)

    view = _get(lindmark, game, f"/channels/{channel}").text
    assert _messages_in(view) == ["First.", "Second."]
    assert "data-seen='{\"" in view and f'"{channel}": 2' in view  # read: seen again
    assert _reads(lindmark, game)[1][channel] == 0

    # Read markers live on the server: another device of the same seat agrees.
    say(arvenia, game, channel, "Third.")
    other_device = join_seat(app, created, "lindmark")
    assert _reads(other_device, game)[1][channel] == 1
    assert _reads(lindmark, game)[1][channel] == 1


def _deal_ids(html: str) -> list[str]:
    return re.findall(r'<article class="deal[^"]*" id="deal-([^"]+)"', html)


@pytest.mark.timeout(90)
def test_a_force_pledge_is_proposed_countered_and_signed(
    players: dict[str, Player], app_and_game: tuple[object, CreatedGame], join_seat: JoinSeat
) -> None:
    app, created = app_and_game
    game = created.game_id
    arvenia, lindmark = players["arvenia"], players["lindmark"]
    cardosa = join_seat(app, created, "cardosa")
    with (
        arvenia.client.websocket_connect(arvenia.at(game, "/ws")) as a_socket,
        lindmark.client.websocket_connect(lindmark.at(game, "/ws")) as l_socket,
    ):
        a_socket.receive_text()
        l_socket.receive_text()
        proposed = post_talks(
            arvenia,
            game,
            "/proposals",
            agreement="force_pledge",
            parties=["lindmark"],
            **{
                "terms.nation": "lindmark",
                "terms.operation_id": "saltmarsh-relief",
                "terms.strength": "4",
                "terms.turn": "1",
            },
        ).text
        assert "Proposed: a force pledge." in proposed
        frames = receive_until(l_socket, "Lindmark commits strength 4 to Saltmarsh Relief")
        (proposal,) = _deal_ids(frames[-1])
        assert f"/talks/agreements/{proposal}/sign" in frames[-1]

        # Counter: the composer comes back filled in with the proposal's terms.
        form = _get(lindmark, game, f"/agreements/{proposal}/counter").text
        assert "Counter Arvenia's force pledge" in form
        assert 'name="terms.strength"' in form and 'value="4"' in form
        assert re.search(r'<option value="saltmarsh-relief" selected>', form)
        countered = post_talks(
            lindmark,
            game,
            f"/agreements/{proposal}/counter",
            **{
                "terms.nation": "lindmark",
                "terms.operation_id": "saltmarsh-relief",
                "terms.strength": "2",
                "terms.turn": "1",
            },
        ).text
        assert "Counter-proposal sent." in countered
        frames = receive_until(a_socket, "Lindmark commits strength 2 to Saltmarsh Relief")
        (counter,) = _deal_ids(frames[-1])
        assert counter != proposal

        signed = post_talks(arvenia, game, f"/agreements/{counter}/sign").text
        assert "in force" in signed
        receive_until(l_socket, f'id="signed-{counter}"')

    for player in (arvenia, lindmark):
        page = player.client.get(player.at(game)).text
        assert f'id="signed-{counter}"' in page
        assert "Lindmark commits strength 2 to Saltmarsh Relief in turn 1." in page
        assert "Lindmark → Saltmarsh Relief" in page  # the pledge ledger
        assert "tag-pledge-due" in page
    third = cardosa.client.get(cardosa.at(game)).text
    assert f'id="signed-{counter}"' not in third and "Saltmarsh Relief in turn 1" not in third
    assert "Lindmark → Saltmarsh Relief" not in third
    assert not cardosa.client.get(cardosa.api(game, "/view")).json()["pledges"]


def test_a_signed_public_agreement_is_shown_to_every_nation(
    players: dict[str, Player], app_and_game: tuple[object, CreatedGame], join_seat: JoinSeat
) -> None:
    app, created = app_and_game
    game = created.game_id
    arvenia, lindmark = players["arvenia"], players["lindmark"]
    statement = "The Strait must stay open to all shipping."
    post_talks(
        arvenia,
        game,
        "/proposals",
        agreement="joint_statement",
        parties="lindmark",
        **{"terms.text": statement},
    )
    view = arvenia.client.get(arvenia.api(game, "/view")).json()
    cardosa = join_seat(app, created, "cardosa")
    assert str(escape(statement)) not in cardosa.client.get(cardosa.at(game)).text  # not yet
    (agreement,) = [a["id"] for a in view["agreements"]]
    assert (
        "Signed by every party" in post_talks(lindmark, game, f"/agreements/{agreement}/sign").text
    )
    third = cardosa.client.get(cardosa.at(game)).text
    assert f'id="signed-{agreement}"' in third and str(escape(statement)) in third


def test_withdraw_and_reject_close_a_proposal(
    players: dict[str, Player], app_and_game: tuple[object, CreatedGame]
) -> None:
    _, created = app_and_game
    game = created.game_id
    arvenia, lindmark = players["arvenia"], players["lindmark"]
    for _ in range(2):
        post_talks(arvenia, game, "/proposals", agreement="intel_sharing", parties="lindmark")
    first, second = (
        a["id"] for a in arvenia.client.get(arvenia.api(game, "/view")).json()["agreements"]
    )
    assert "Proposal withdrawn." in post_talks(arvenia, game, f"/agreements/{first}/withdraw").text
    assert "Proposal rejected." in post_talks(lindmark, game, f"/agreements/{second}/reject").text
    page = lindmark.client.get(lindmark.at(game)).text
    assert _deal_ids(page) == []
    assert "No proposal awaits your answer." in page
    assert page.count('<span class="tag">') >= 2  # both under "Recently closed"
    # The proposer cannot reject its own proposal: the rules' message, in place.
    post_talks(arvenia, game, "/proposals", agreement="intel_sharing", parties="lindmark")
    third = arvenia.client.get(arvenia.api(game, "/view")).json()["agreements"][-1]["id"]
    refused = post_talks(arvenia, game, f"/agreements/{third}/reject").text
    assert "rejected" in refused and "withdraw it instead" in refused


def test_a_refused_proposal_shows_the_rules_message_and_keeps_the_terms(
    players: dict[str, Player], app_and_game: tuple[object, CreatedGame]
) -> None:
    _, created = app_and_game
    game = created.game_id
    response = post_talks(
        players["arvenia"],
        game,
        "/proposals",
        agreement="force_pledge",
        parties="lindmark",
        **{"terms.nation": "cardosa", "terms.operation_id": "open-lane", "terms.strength": "3"},
    )
    assert 'class="talk-msg rejected"' in response.text
    assert "&#39;nation&#39; must name one of the parties." in response.text
    # The rest as the player filled it in; the pledging nation only among the parties.
    assert '<input type="checkbox" name="parties" value="lindmark" checked>' in response.text
    assert '<option value="open-lane" selected>' in response.text
    assert 'value="3"' in response.text
    assert 'value="cardosa"' not in _select(response.text, "pf-nation")
    assert 'id="proposal-composer" class="composer" open' in response.text
    view = players["arvenia"].client.get(players["arvenia"].api(game, "/view")).json()
    assert view["agreements"] == []


@pytest.mark.parametrize(
    ("suffix", "form", "message"),
    [
        ("/messages", {"channel_id": "nowhere", "text": "hi"}, "is not in channel"),
        ("/messages", {"channel_id": "public", "text": "   "}, "Give a message."),
        ("/messages", {"channel_id": "public"}, "Give a message."),
        ("/messages", {}, "Give a channel."),
        ("/messages", {"channel_id": "public", "text": "x" * 5000}, "at most 2000 characters"),
        (
            "/proposals",
            {
                "agreement": "force_pledge",
                "parties": "lindmark",
                "terms.nation": "lindmark",
                "terms.operation_id": "saltmarsh-relief",
                "terms.strength": "lots",
            },
            "&#39;strength&#39; must be a whole number from 1.",
        ),
        (
            "/proposals",
            {
                "agreement": "force_pledge",
                "parties": "lindmark",
                "terms.nation": "lindmark",
                "terms.operation_id": "saltmarsh-relief",
                "terms.strength": "99999999999999999999999",
            },
            "&#39;strength&#39; must be a whole number from 1.",
        ),
        ("/proposals", {}, "&#39;agreement&#39; must be one of"),
        ("/proposals", {"agreement": "alliance"}, "&#39;agreement&#39; must be one of"),
        ("/proposals", {"agreement": "aid", "parties": "atlantis"}, "no nation"),
        ("/proposals", {"agreement": "basing", "parties": "lindmark", "terms.": "x"}, "host"),
        ("/channels", {}, "at least one other nation"),
        ("/channels", {"members": "atlantis"}, "There is no nation"),
        ("/agreements/ag-404/counter", {"terms.strength": "2"}, "There is no proposal"),
        ("/agreements/ag-404/sign", {}, "There is no proposal"),
        ("/agreements/ag-404/withdraw", {}, "There is no proposal"),
    ],
)
def test_bad_talks_input_says_why_and_never_500(
    players: dict[str, Player],
    app_and_game: tuple[object, CreatedGame],
    suffix: str,
    form: dict[str, str],
    message: str,
) -> None:
    _, created = app_and_game
    response = post_talks(players["arvenia"], created.game_id, suffix, **form)
    assert "rejected" in response.text
    assert message in response.text, response.text


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/channels/public/messages?before=abc", 400),
        ("/channels/public/messages?after=-1", 400),
        ("/channels/public/messages?before=1&after=1", 400),
        ("/channels/%00%ff", 404),
        ("/proposal-fields?agreement=nonsense", 200),
        ("/agreements/ag-404/counter", 200),
    ],
)
def test_bad_talks_addresses_are_answered_not_500(
    players: dict[str, Player], app_and_game: tuple[object, CreatedGame], path: str, status: int
) -> None:
    _, created = app_and_game
    player = players["arvenia"]
    response = player.client.get(player.at(created.game_id, f"/talks{path}"))
    assert response.status_code == status, response.text
    hx = player.client.get(
        player.at(created.game_id, f"/talks{path}"), headers={"HX-Request": "true"}
    )
    assert hx.status_code == 200  # htmx swaps only 2xx: the message must reach the page


def test_an_unknown_answer_is_not_found(
    players: dict[str, Player], app_and_game: tuple[object, CreatedGame]
) -> None:
    _, created = app_and_game
    player = players["arvenia"]
    response = player.client.post(
        player.at(created.game_id, "/talks/agreements/ag-1/nuke"),
        headers={"X-CSRF-Token": player.csrf},
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    "suffix",
    [
        "/messages",
        "/channels",
        "/proposals",
        "/agreements/ag-1/counter",
        "/agreements/ag-1/sign",
        "/agreements/ag-1/reject",
        "/agreements/ag-1/withdraw",
    ],
)
def test_talks_without_the_csrf_token_are_refused(
    players: dict[str, Player], app_and_game: tuple[object, CreatedGame], suffix: str
) -> None:
    _, created = app_and_game
    player = players["arvenia"]
    form = {"channel_id": "public", "text": "forged", "members": "lindmark"}
    response = player.client.post(player.at(created.game_id, f"/talks{suffix}"), data=form)
    assert response.status_code == 403
    view = player.client.get(player.api(created.game_id, "/view")).json()
    assert [c["messages"] for c in view["channels"]] == [0]
    assert len(view["channels"]) == 1 and view["agreements"] == []


def test_the_composer_shows_the_fields_of_each_kind(
    players: dict[str, Player], app_and_game: tuple[object, CreatedGame]
) -> None:
    _, created = app_and_game
    player = players["arvenia"]
    expected = {
        # No coalition stands yet in this scenario: founding one is the only choice.
        "coalition_membership": ["terms.name", "terms.lead", "terms.command", "terms.operations"],
        "force_pledge": ["terms.nation", "terms.operation_id", "terms.strength", "terms.turn"],
        "cost_sharing": ["terms.payer", "terms.operation_id", "terms.share"],
        "intel_sharing": [],
        "basing": ["terms.host", "terms.region"],
        "command_arrangement": [
            "terms.coalition_id",
            "terms.command",
            "terms.lead",
            "terms.operations",
        ],
        "aid": ["terms.from", "terms.to", "terms.amount"],
        "joint_statement": ["terms.text"],
        "ngo_coordination": ["terms.ngo"],
    }
    for kind, names in expected.items():
        html = _get(player, created.game_id, "/proposal-fields", agreement=kind).text
        assert html.startswith('<div id="proposal-fields"') or 'id="proposal-fields"' in html
        assert sorted(set(re.findall(r'name="(terms\.[a-z_]+)"', html))) == sorted(names), kind
        # Every field has a label (or a fieldset legend for a group of boxes).
        for field_id in re.findall(r'<(?:input|select|textarea) id="([^"]+)"', html):
            assert f'for="{field_id}"' in html, (kind, field_id)
    page = player.client.get(player.at(created.game_id)).text
    assert '<input type="checkbox" checked disabled> Arvenia (you)' in page
    assert 'name="parties" value="lindmark"' in page and 'name="parties" value="arvenia"' in page


PARTY_TERMS = {
    "coalition_membership": ["pf-lead"],
    "force_pledge": ["pf-nation"],
    "cost_sharing": ["pf-payer"],
    "basing": ["pf-host"],
    "aid": ["pf-from", "pf-to"],
}


def test_the_terms_offer_only_the_parties_of_the_proposal(
    players: dict[str, Player], app_and_game: tuple[object, CreatedGame]
) -> None:
    _, created = app_and_game
    game, player = created.game_id, players["arvenia"]
    for kind, selects in PARTY_TERMS.items():
        alone = _get(player, game, "/proposal-fields", agreement=kind).text
        with_lindmark = player.client.get(
            player.at(game, "/talks/proposal-fields"),
            params=[("agreement", kind), ("parties", "arvenia"), ("parties", "lindmark")],
        ).text
        everyone = player.client.get(
            player.at(game, "/talks/proposal-fields"),
            params=[("agreement", kind), ("parties", "lindmark"), ("parties", "cardosa")],
        ).text
        for select in selects:
            assert _offered(alone, select) == ["arvenia"], (kind, select)
            assert _offered(with_lindmark, select) == ["arvenia", "lindmark"], (kind, select)
            assert _offered(everyone, select) == ["arvenia", "cardosa", "lindmark"]
        assert "Tick the other parties above" in alone
        assert "Tick the other parties above" not in with_lindmark
    # Keeping the current lead stays a choice; a new one is one of the parties.
    arrangement = _get(player, game, "/proposal-fields", agreement="command_arrangement").text
    assert _offered(arrangement, "pf-lead") == ["", "arvenia"]
    # Aid goes by default from the proposer to the first other party.
    aid = _get(player, game, "/proposal-fields", agreement="aid", parties="lindmark").text
    assert '<option value="arvenia" selected>' in _select(aid, "pf-from")
    assert '<option value="lindmark" selected>' in _select(aid, "pf-to")
    # The composer asks again whenever the parties (or the kind) change.
    page = player.client.get(player.at(game)).text
    assert re.search(r'<fieldset class="checks" hx-get="[^"]+/talks/proposal-fields"', page)
    assert 'hx-trigger="change" hx-include="closest form"' in page
    assert 'hx-include="#proposal-composer [name=parties]"' in page


def test_changing_the_parties_keeps_the_terms_that_still_apply(
    players: dict[str, Player], app_and_game: tuple[object, CreatedGame]
) -> None:
    _, created = app_and_game
    game, player = created.game_id, players["arvenia"]
    form = {
        "agreement": "cost_sharing",
        "terms.payer": "lindmark",
        "terms.operation_id": "saltmarsh-relief",
        "terms.share": "40",
    }
    both = _get(player, game, "/proposal-fields", parties="lindmark", **form).text
    assert '<option value="lindmark" selected>' in _select(both, "pf-payer")
    assert '<option value="saltmarsh-relief" selected>' in both and 'value="40"' in both
    # Lindmark is no longer a party: the payer falls back to the proposer, the rest stays.
    without = _get(player, game, "/proposal-fields", parties="cardosa", **form).text
    assert _offered(without, "pf-payer") == ["arvenia", "cardosa"]
    assert '<option value="arvenia" selected>' in _select(without, "pf-payer")
    assert '<option value="saltmarsh-relief" selected>' in without and 'value="40"' in without


def test_a_countered_proposal_offers_its_own_parties(
    players: dict[str, Player], app_and_game: tuple[object, CreatedGame]
) -> None:
    _, created = app_and_game
    game = created.game_id
    arvenia, lindmark = players["arvenia"], players["lindmark"]
    post_talks(
        arvenia,
        game,
        "/proposals",
        agreement="cost_sharing",
        parties="lindmark",
        **{"terms.payer": "arvenia", "terms.operation_id": "open-lane", "terms.share": "30"},
    )
    view = lindmark.client.get(lindmark.api(game, "/view")).json()
    (proposal,) = view["agreements"]
    counter = _get(lindmark, game, f"/agreements/{proposal['id']}/counter").text
    assert _offered(counter, "pf-payer") == ["arvenia", "lindmark"]
    assert '<option value="arvenia" selected>' in _select(counter, "pf-payer")


def test_a_payer_who_is_not_a_party_is_still_refused_by_the_rules(
    players: dict[str, Player], app_and_game: tuple[object, CreatedGame]
) -> None:
    # A forged form (or one filled in before a party was unticked) names a non-party.
    _, created = app_and_game
    game, player = created.game_id, players["arvenia"]
    terms = {"terms.payer": "cardosa", "terms.operation_id": "open-lane", "terms.share": "30"}
    response = post_talks(
        player, game, "/proposals", agreement="cost_sharing", parties="lindmark", **terms
    )
    assert "&#39;payer&#39; must name one of the parties." in response.text
    assert player.client.get(player.api(game, "/view")).json()["agreements"] == []
    refused = player.client.post(
        player.api(game, "/actions"),
        json={
            "kind": "propose",
            "agreement": "basing",
            "parties": ["arvenia", "lindmark"],
            "terms": {"host": "cardosa", "region": "port-calder"},
        },
    )
    assert refused.status_code == 422
    assert refused.json()["message"] == "'host' must name one of the parties."


@pytest.mark.parametrize(
    "query",
    [
        "?agreement=aid&parties=atlantis&parties=&terms.to=atlantis",
        "?agreement=cost_sharing&" + "&".join(f"parties=n{i}" for i in range(500)),
        "?agreement=basing&terms.host=%00%ff&terms.=x&terms.BAD=1",
    ],
)
def test_odd_composer_fields_requests_are_answered_not_500(
    players: dict[str, Player], app_and_game: tuple[object, CreatedGame], query: str
) -> None:
    _, created = app_and_game
    player = players["arvenia"]
    response = player.client.get(player.at(created.game_id, f"/talks/proposal-fields{query}"))
    if "%00" in query:  # a control character names no field: refused before the route
        assert response.status_code == 422
        return
    assert response.status_code == 200 and 'id="proposal-fields"' in response.text


def _act(player: Player, game_id: str, action: dict[str, Any]) -> None:
    response = player.client.post(player.api(game_id, "/actions"), json=action)
    assert response.status_code == 200, response.text


def _coalition_deal(
    games: GameService, game_id: str, proposer: Player, signer: Player, **terms: str
) -> None:
    """A coalition membership deal between the two, proposed and signed through the API."""
    parties = [proposer.nation_id, signer.nation_id]
    proposal = {"kind": "propose", "agreement": "coalition_membership", "parties": parties}
    _act(proposer, game_id, proposal | {"terms": terms})
    agreement = games.snapshot(game_id).state.agreements[-1]
    _act(signer, game_id, {"kind": "sign", "agreement_id": agreement.id})


@pytest.mark.timeout(90)
def test_a_nation_joining_a_coalition_reads_its_channel_from_then_on_everywhere(
    players: dict[str, Player], app_and_game: tuple[object, CreatedGame], join_seat: JoinSeat
) -> None:
    """Channel page, paging, unread counts, the JSON view, the page and its live feed."""
    app, created = app_and_game
    game, games = created.game_id, _games(app_and_game)
    arvenia, lindmark = players["arvenia"], players["lindmark"]
    cardosa = join_seat(app, created, "cardosa")
    _coalition_deal(games, game, arvenia, lindmark, name="Strait Group")
    coalition_id = games.snapshot(game).state.coalitions[-1].id
    channel = f"coalition-{coalition_id}"
    say(lindmark, game, channel, SECRET)
    _coalition_deal(games, game, arvenia, cardosa, coalition_id=coalition_id)
    with cardosa.client.websocket_connect(cardosa.at(game, "/ws")) as socket:
        frames = [socket.receive_text()]
        say(arvenia, game, channel, "Welcome, Cardosa.")
        frames += receive_until(socket, "Welcome, Cardosa.")

    assert f'data-channel="{channel}" data-channel-total="1"' in frames[-1]
    assert _messages_in(_get(cardosa, game, f"/channels/{channel}").text) == ["Welcome, Cardosa."]
    older = _get(cardosa, game, f"/channels/{channel}/messages", after="0").text
    assert _messages_in(older) == ["Welcome, Cardosa."]
    assert _reads(cardosa, game) == ({"public": 0, channel: 1}, {"public": 0, channel: 0})
    view = cardosa.client.get(cardosa.api(game, "/view")).json()
    assert next(c for c in view["channels"] if c["id"] == channel)["messages"] == 1
    page = cardosa.client.get(cardosa.at(game)).text
    for seen_by_cardosa in (*frames, page, json.dumps(view), older):
        assert SECRET not in seen_by_cardosa and str(escape(SECRET)) not in seen_by_cardosa
    # Lindmark, a founder, still reads both.
    said = _messages_in(_get(lindmark, game, f"/channels/{channel}").text)
    assert said == [str(escape(SECRET)), "Welcome, Cardosa."]


def test_a_coalition_lead_asks_the_council_for_a_mandate_from_its_page(
    players: dict[str, Player], app_and_game: tuple[object, CreatedGame]
) -> None:
    """Issue 15, legitimacy negotiated: the lead's page offers the council, the answer is
    in every nation's feed and the coalition's mandate changes."""
    _app, created = app_and_game
    game = created.game_id
    arvenia, lindmark = players["arvenia"], players["lindmark"]
    proposal = {
        "kind": "propose",
        "agreement": "coalition_membership",
        "parties": ["arvenia", "lindmark"],
        "terms": {"name": "Strait Group", "lead": "arvenia", "operations": "open-lane"},
    }
    headers = {"X-CSRF-Token": arvenia.csrf}
    sent = arvenia.client.post(arvenia.api(game, "/actions"), json=proposal, headers=headers)
    assert sent.status_code == 200, sent.text
    view = lindmark.client.get(lindmark.api(game, "/view")).json()
    signed = {"kind": "sign", "agreement_id": view["agreements"][-1]["id"]}
    headers = {"X-CSRF-Token": lindmark.csrf}
    sent = lindmark.client.post(lindmark.api(game, "/actions"), json=signed, headers=headers)
    assert sent.status_code == 200, sent.text
    page = arvenia.client.get(arvenia.at(game)).text
    assert "Ask Regional summit for a mandate" in page
    assert "Ask Regional summit" not in lindmark.client.get(lindmark.at(game)).text  # not lead
    coalition = next(c for c in view_of(lindmark, game)["coalitions"] if c["active"])
    answer = send_orders(
        arvenia,
        game,
        kind="request_mandate",
        coalition_id=coalition["id"],
        actor_id="regional-summit",
        turn="1",
    )
    assert "Regional summit grants Strait Group a regional mandate" in answer
    after = lindmark.client.get(lindmark.at(game)).text
    assert "Regional summit grants Strait Group a regional mandate" in after
    assert next(c for c in view_of(lindmark, game)["coalitions"] if c["active"])["mandate"] == (
        "regional"
    )


def view_of(player: Player, game_id: str) -> dict[str, Any]:
    response = player.client.get(player.api(game_id, "/view"))
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]
