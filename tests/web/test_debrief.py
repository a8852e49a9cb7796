"""A seat's debrief (app/web/endpoints/debrief.py) and control's feedback on the nation's
Review tab: each nation reads its own, and the fog still holds once the game is over."""

from __future__ import annotations

from fastapi import FastAPI
from markupsafe import escape

from app.rules.control import (
    EndExercise,
    EndPhaseNow,
    GiveFeedback,
    LiveInject,
    ReleaseTurn,
    SetHold,
)
from app.scenarios.loader import load_scenario
from app.services.games import CreatedGame, GameService
from tests.conftest import now_at
from tests.web.helpers import SCENARIO_FILE, JoinSeat, Player, open_channel, private_strings, say


def _secrets_of(nation_id: str) -> list[str]:
    """A nation's secret objectives and brief, and its private strings."""
    nation = load_scenario(SCENARIO_FILE).nation(nation_id)
    assert nation is not None
    secret = [o.text for o in nation.objectives if o.secret]
    assert secret
    return [*secret, *private_strings(nation_id)]


def test_each_seat_debriefs_itself_and_reads_only_what_it_was_shown(
    app_and_game: tuple[FastAPI, CreatedGame],
    players: dict[str, Player],
    join_seat: JoinSeat,
) -> None:
    app, created = app_and_game
    game = created.game_id
    games: GameService = app.state.container.games
    arvenia, lindmark = players["arvenia"], players["lindmark"]
    cardosa = join_seat(app, created, "cardosa")
    channel = open_channel(lindmark, game, "cardosa")
    say(lindmark, game, channel, "Between us: the Teskari back channel.")
    games.control(game, SetHold(True))
    games.control(game, EndPhaseNow(at=now_at(games, game)))
    held = now_at(games, game)
    games.control(game, GiveFeedback(nation_id="arvenia", text="Arvenia: sweep first.", at=held))
    games.control(
        game, GiveFeedback(nation_id="lindmark", text="Lindmark: mind the bill.", at=held)
    )
    games.control(game, LiveInject("Quiet word", "Only Lindmark hears this.", ("lindmark",)))
    games.control(game, ReleaseTurn(at=held))

    # The feedback is on each nation's Review tab, its own only.
    page = arvenia.client.get(arvenia.at(game)).text
    review = page.split('<section id="results"', 1)[1].split("</section>", 1)[0]
    assert "Control's feedback to Arvenia" in review and "Arvenia: sweep first." in review
    assert "Lindmark: mind the bill." not in page
    assert "debrief" not in review  # not before the end
    early = arvenia.client.get(arvenia.at(game, "/debrief"))
    assert early.status_code == 409 and "when the game has ended" in early.text

    games.control(game, EndExercise())
    page = arvenia.client.get(arvenia.at(game)).text
    assert f'href="/games/{game}/nations/arvenia/debrief"' in page
    debrief = arvenia.client.get(arvenia.at(game, "/debrief"))
    assert debrief.status_code == 200
    html = debrief.text
    assert str(escape(_secrets_of("arvenia")[0])) in html  # its own secret objective, judged
    assert "Arvenia: sweep first." in html
    assert "Control ended the exercise during turn 2." in html
    assert 'id="chart-escalation"' in html and 'id="chart-trust"' not in html
    for nation_id in ("lindmark", "cardosa"):
        for secret in _secrets_of(nation_id):
            assert secret not in html and str(escape(secret)) not in html, secret
    for hidden in ("Lindmark: mind the bill.", "Only Lindmark hears this.", "Teskari back channel"):
        assert hidden not in html, hidden

    lindmark_debrief = lindmark.client.get(lindmark.at(game, "/debrief")).text
    assert "Lindmark: mind the bill." in lindmark_debrief
    assert "Only Lindmark hears this." in lindmark_debrief
    assert "Arvenia: sweep first." not in lindmark_debrief
    # A seat is debriefed only in the browser that holds it.
    assert cardosa.client.get(arvenia.at(game, "/debrief")).status_code == 403
