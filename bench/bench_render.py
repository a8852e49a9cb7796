"""Benchmark: what the live pages cost to render for each action, in one process.

The load benchmark's cycle without HTTP, sockets or database: in K games of gulf-1990 (the
same seed), a player picked at random takes its next step of commit a unit, a public
message, withdraw the unit, a public message; each action goes through `rules.apply`, then
each of the 8 nations' pages gets its delta (`PageRenderer.delta`), as the hub asks for
it. CPU time (this thread's) per action, per kind of action, and the HTML sent to the 8
pages. A quick way to compare two versions of the rendering on one machine: run each in
turn, a few times (the load benchmark's server spends about twice this on rendering).

Run: `.venv/bin/python bench/bench_render.py` (`--games`, `--rounds`); nothing is written.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app import rules
from app.scenarios.build import opening_state
from app.scenarios.loader import load_scenario
from app.services.game_results import LoggedEvent, Snapshot
from app.web.rendering import PageRenderer, make_templates

ROOT = Path(__file__).resolve().parents[1]
CYCLE = ("commit", "message", "withdraw", "message")
PAGES = 8


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--games", type=int, default=4, help="games played in turn (4)")
    parser.add_argument("--rounds", type=int, default=20, help="cycles per player (20)")
    args = parser.parse_args()

    state, _ = opening_state(load_scenario(ROOT / "scenarios" / "gulf-1990.yaml"), seed=3, now=0.0)
    renderer = PageRenderer(make_templates())
    nations = state.nations[:PAGES]
    viewers = [rules.Viewer.of_nation(n.id) for n in nations]
    commits = [
        next(a for a in rules.legal_actions(state, n.id) if isinstance(a, rules.CommitUnit))
        for n in nations
    ]
    games = [(f"game-{g}", [state], [0]) for g in range(args.games)]
    steps: dict[tuple[int, int], int] = defaultdict(int)
    rng = random.Random(5)
    cpu: dict[str, list[float]] = defaultdict(list)
    html: dict[str, list[int]] = defaultdict(list)

    def act(count: int) -> None:
        for _ in range(count):
            for g, (game_id, states, seqs) in enumerate(games):
                player = rng.randrange(len(nations))
                kind = CYCLE[steps[g, player] % len(CYCLE)]
                steps[g, player] += 1
                commit = commits[player]
                action: rules.Action = (
                    commit
                    if kind == "commit"
                    else rules.WithdrawUnit(commit.unit_id)
                    if kind == "withdraw"
                    else rules.SendMessage("public", f"message {seqs[0]}")
                )
                started = time.thread_time()
                result = rules.apply(states[0], nations[player].id, action)
                if not isinstance(result, rules.Accepted):
                    raise SystemExit(f"{kind} refused: {result.message}")
                states[0] = result.state
                seqs[0] += 1
                snapshot = Snapshot(game_id, "Game", seqs[0], result.state)
                events = [LoggedEvent(seqs[0], result.state.turn, e) for e in result.events]
                sent = sum(
                    len(fragment.html)
                    for viewer in viewers
                    for fragment in renderer.delta(snapshot, events, viewer)
                )
                cpu[kind].append(time.thread_time() - started)
                html[kind].append(sent)

    act(3 * len(nations) * len(CYCLE))  # warm-up: templates compiled, caches filled
    cpu.clear()
    html.clear()
    act(args.rounds * len(nations) * len(CYCLE))
    actions = sum(len(times) for times in cpu.values())
    total = sum(sum(times) for times in cpu.values())
    print(f"{args.games} games of gulf-1990, {PAGES} pages each, {actions} actions")
    print(f"CPU per action: {1000 * total / actions:.3f} ms")
    for kind in ("commit", "message", "withdraw"):
        times, sizes = cpu[kind], html[kind]
        print(
            f"  {kind}: {1000 * sum(times) / len(times):.3f} ms, "
            f"{sum(sizes) / len(sizes):,.0f} bytes of HTML to the {PAGES} pages"
        )


if __name__ == "__main__":
    main()
