"""Monte Carlo games between bots: play one game, measure it, summarise many.

`play_game` plays a whole game with a bot on every seat; `simulate` plays a strategy many
times from one opening state (each run with its own seed, so both the bots' draws and the
rules' rolls differ); `summarise` reduces the runs to the numbers an instructor or a
staff estimate reads. `simulate_scenario` does the same from a scenario file's model,
with its named strategies and its historical outcome. The measures and the summary live
in `app.bots.measures`, and are re-exported from here.

A turn between bots: a few negotiation rounds in which every bot, in a seeded order,
answers what was proposed to it, makes its own proposals and (re)draws its orders, so
that a proposal made by one bot is answered by the others within the same turn; the
rounds stop early once nobody has anything left to do. Then the rules resolve the turn.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.bots.base import BaseBot, Bot
from app.bots.intents import Intents
from app.bots.measures import (
    PlayStats,
    RunResult,
    Summary,
    _field,
    check_outcome,
    operation_succeeded,
    peak_escalation,
    run_result,
    summarise,
)
from app.bots.personalities import PERSONALITIES, make_bot
from app.rules import actions as acts
from app.rules.game import advance
from app.rules.resolution import resolve_turn
from app.rules.state import CommandStructure, GameState, Phase
from app.rules.wording.base import N_, gettext
from app.scenarios import build
from app.scenarios.schema import Scenario

__all__ = [
    "NEGOTIATION_ROUNDS",
    "NationPlan",
    "PlayStats",
    "RunResult",
    "StrategyPlan",
    "Summary",
    "UnknownStrategy",
    "check_outcome",
    "historical_checks",
    "intents_of",
    "opening_state",
    "operation_succeeded",
    "peak_escalation",
    "play_game",
    "run_result",
    "simulate",
    "simulate_scenario",
    "strategy_for",
    "summarise",
]

NEGOTIATION_ROUNDS = 3
DEFAULT_PERSONALITY = "cooperative"
# A strategy name that gives each nation the personality its political profile suggests.
PROFILE_STRATEGY = "profile"
PROFILE_PERSONALITY = {
    "alliance": "cooperative",
    "pragmatic": "cooperative",
    "cautious": "dove",
    "hawkish": "hawk",
    "spoiler": "spoiler",
}


# --- playing one game -----------------------------------------------------------------


def _check_legal(state: GameState, actor: str, action: acts.Action, stats: PlayStats) -> None:
    """Verification mode: the action is one `legal_actions` lists (talks are open-ended:
    a proposal is legal when the rules accept its terms)."""
    if isinstance(action, acts.Propose):
        return
    if action not in acts.legal_actions(state, actor):
        stats.illegal += 1
        stats.note(f"turn {state.turn}: {actor} took {action!r}, not in legal_actions")


def play_game(
    state: GameState,
    bots: Mapping[str, Bot],
    seed: int,
    now: float = 0.0,
    *,
    rounds: int = NEGOTIATION_ROUNDS,
    stats: PlayStats | None = None,
    verify: bool = False,
    until_turn: int | None = None,
) -> GameState:
    """Play `state` to its end with `bots` (nation id -> bot) and return the final state.

    The game is reseeded with `seed` (so the rules' rolls differ from run to run) and every
    bot-played seat is handed to a bot. A nation without a bot keeps whatever orders it has
    (useful for a staff estimate of one nation's orders). `verify` re-checks every action
    against `legal_actions` (slow; for tests). `until_turn` stops once that turn has been
    resolved (a staff estimate of the rest of a turn)."""
    stats = stats if stats is not None else PlayStats()
    state = dataclasses.replace(state, seed=seed)
    players = [n.id for n in state.nations if n.id in bots]
    for nation_id in players:
        state = acts.set_controller(state, nation_id, "bot")
    order_rng = random.Random(f"bots:{seed}")
    rngs = {nation_id: random.Random(f"bots:{seed}:{nation_id}") for nation_id in players}
    clock = now
    for _ in range(state.turns + 2):  # a bound, in case the rules never end the game
        if state.phase is Phase.ENDED:
            break
        if state.phase is Phase.ORDERS:
            state = _negotiate_and_order(
                state, bots, players, rngs, order_rng, rounds, stats, verify
            )
            resolved = state.turn
            state, _events = resolve_turn(state, clock)
            if until_turn is not None and resolved >= until_turn:
                break
        else:
            advanced = advance(state, float("inf"))
            if advanced is None:
                raise RuntimeError(f"the game is stuck in the {state.phase.value} phase")
            state = advanced[0]
        clock += state.orders_seconds
    else:
        raise RuntimeError(f"the game did not end after {state.turns} turns")
    stats.refusals += sum(getattr(bot, "refusals", 0) for bot in bots.values())
    return state


def _negotiate_and_order(
    state: GameState,
    bots: Mapping[str, Bot],
    players: list[str],
    rngs: dict[str, random.Random],
    order_rng: random.Random,
    rounds: int,
    stats: PlayStats,
    verify: bool,
) -> GameState:
    order = list(players)
    seen: dict[str, tuple[object, ...]] = {}  # what each bot saw when it last moved
    for _ in range(max(1, rounds)):
        order_rng.shuffle(order)
        busy = False
        for nation_id in order:
            bot = bots[nation_id]
            view_key = getattr(bot, "view_key", None)
            if view_key is not None and seen.get(nation_id) == view_key(state, nation_id):
                continue  # nothing it reads has changed since it last moved
            fast = None if verify else getattr(bot, "decide_with_state", None)
            if fast is not None:
                # A BaseBot has taken each action through rules.apply on its own copy of
                # this very state: its resulting state is what applying them again gives.
                actions, state = fast(state, nation_id, rngs[nation_id])
                stats.actions += len(actions)
            else:
                actions = bot.decide(state, nation_id, rngs[nation_id])
                state = _apply_all(state, nation_id, actions, stats, verify)
            busy = busy or any(not isinstance(a, acts.SetReady) for a in actions)
            if view_key is not None:
                seen[nation_id] = view_key(state, nation_id)
        if not busy:
            break  # a quiet round: the next would be the same
    return state


def _apply_all(
    state: GameState,
    nation_id: str,
    actions: Iterable[acts.Action],
    stats: PlayStats,
    verify: bool,
) -> GameState:
    for action in actions:
        if verify:
            _check_legal(state, nation_id, action, stats)
        result = acts.apply(state, nation_id, action)
        if isinstance(result, acts.Rejection):
            stats.rejections += 1
            stats.note(f"turn {state.turn}: {nation_id} {action!r}: {result.code}")
            continue
        state = result.state
        stats.actions += 1
    return state


# --- strategies -----------------------------------------------------------------------


class UnknownStrategy(ValueError):
    """A strategy name that is neither one of the scenario's nor a personality."""


@dataclass(frozen=True)
class NationPlan:
    """How a bot plays one nation: its personality and what the nation intends."""

    personality: str = DEFAULT_PERSONALITY
    intents: Intents = field(default_factory=Intents)


@dataclass(frozen=True)
class StrategyPlan:
    """Who plays how: a personality and intents per nation (others play `default`), and
    the command structure coalition leads propose (None: integrated)."""

    id: str
    name: str
    nations: Mapping[str, NationPlan] = field(default_factory=dict)
    command: CommandStructure | None = None
    default: str = DEFAULT_PERSONALITY
    description: str = ""

    def __post_init__(self) -> None:
        for personality in [self.default, *(p.personality for p in self.nations.values())]:
            if personality not in PERSONALITIES:
                raise UnknownStrategy(
                    f"unknown personality {personality!r} "
                    f"(one of: {', '.join(sorted(PERSONALITIES))})"
                )

    def plan_for(self, nation_id: str) -> NationPlan:
        return self.nations.get(nation_id) or NationPlan(self.default)

    def bots(self, state: GameState) -> dict[str, BaseBot]:
        """A fresh bot for every nation of `state`."""
        return {
            n.id: make_bot(plan.personality, plan.intents, self.command)
            for n in state.nations
            for plan in (self.plan_for(n.id),)
        }

    @classmethod
    def everyone(cls, personality: str, command: CommandStructure | None = None) -> StrategyPlan:
        return cls(
            id=personality,
            # Its name is read (the CLI's summary, the editor's check) in the reader's
            # language; the personalities' words are the catalogue's (control's forms).
            name=gettext(N_("every nation plays {personality}")).format(
                personality=gettext(personality.replace("_", " "))
            ),
            default=personality,
            command=command,
        )

    @classmethod
    def from_profiles(cls, state: GameState) -> StrategyPlan:
        return cls(
            id=PROFILE_STRATEGY,
            name="each nation plays its political profile",
            nations={
                n.id: NationPlan(PROFILE_PERSONALITY.get(n.profile, DEFAULT_PERSONALITY))
                for n in state.nations
            },
        )

    @classmethod
    def from_scenario(cls, strategy: Any) -> StrategyPlan:
        """From a scenario's strategy (`app.scenarios.schema.Strategy` or a mapping with
        id, name, description, command and nations: {id: {personality, aims, red_lines,
        seeks}})."""
        nations: dict[str, NationPlan] = {}
        for nation_id, plan in (_field(strategy, ("nations",), {}) or {}).items():
            personality = _field(plan, ("personality",), DEFAULT_PERSONALITY)
            nations[str(nation_id)] = NationPlan(str(personality), intents_of(plan))
        identifier = str(_field(strategy, ("id",), "strategy"))
        return cls(
            id=identifier,
            name=str(_field(strategy, ("name",), identifier)),
            nations=nations,
            command=_field(strategy, ("command",)),
            description=str(_field(strategy, ("description",), "")),
        )


def _names(part: Any, name: str) -> tuple[Any, ...]:
    return tuple(_field(part, (name,), ()) or ())


def intents_of(plan: Any) -> Intents:
    """A nation's intents from its scenario strategy (`app.scenarios.schema.NationStrategy`
    or a mapping of the same shape)."""
    aims = _field(plan, ("aims",), {}) or {}
    red_lines = _field(plan, ("red_lines",), {}) or {}
    seeks = _field(plan, ("seeks",), {}) or {}
    return Intents(
        regions=_names(aims, "regions"),
        collective=bool(_field(aims, ("collective",), True)),
        no_powers=_names(red_lines, "powers"),
        no_regions=_names(red_lines, "regions"),
        no_combat_by=_names(red_lines, "combat_by"),
        shuns=_names(red_lines, "coalition_with"),
        partners=_names(seeks, "coalition_with"),
        command=_field(seeks, ("command",)),
        mandate=_field(seeks, ("mandate",)),
        pays=_field(seeks, ("burden",), "forces") == "pays",
    )


StrategyLike = StrategyPlan | str | Mapping[str, str] | None


def _as_plan(strategy: Any, state: GameState) -> StrategyPlan:
    if isinstance(strategy, StrategyPlan):
        return strategy
    if strategy is None:
        return StrategyPlan.everyone(DEFAULT_PERSONALITY)
    if isinstance(strategy, str):
        if strategy == PROFILE_STRATEGY:
            return StrategyPlan.from_profiles(state)
        if strategy in PERSONALITIES:
            return StrategyPlan.everyone(strategy)
        raise UnknownStrategy(f"unknown strategy {strategy!r}")
    if isinstance(strategy, Mapping) and all(isinstance(v, str) for v in strategy.values()):
        return StrategyPlan(
            id="custom",
            name="custom",
            nations={str(k): NationPlan(str(v)) for k, v in strategy.items()},
        )
    return StrategyPlan.from_scenario(strategy)


# --- many games -----------------------------------------------------------------------


def simulate(
    state: GameState,
    strategy: Any,
    runs: int,
    seed: int,
    *,
    checks: Sequence[Any] = (),
    now: float = 0.0,
    rounds: int = NEGOTIATION_ROUNDS,
    finals: list[GameState] | None = None,
) -> list[RunResult]:
    """Play `runs` games from `state` with seeds `seed`, `seed + 1`, ...

    `strategy`: a `StrategyPlan`, a scenario strategy, a personality name for every
    nation, "profile", a mapping nation -> personality, or None (all cooperative).
    `checks`: the historical outcome's checks, evaluated at the end of each game.
    `finals`, if given, receives each game's final state (for the scenario check)."""
    plan = _as_plan(strategy, state)
    results = []
    for run in range(runs):
        game_seed = seed + run
        stats = PlayStats()
        final = play_game(state, plan.bots(state), game_seed, now, rounds=rounds, stats=stats)
        results.append(run_result(final, game_seed, checks=checks, stats=stats))
        if finals is not None:
            finals.append(final)
    return results


# --- from a scenario ------------------------------------------------------------------


def opening_state(scenario: Scenario, *, seed: int = 0, now: float = 0.0) -> GameState:
    """The opening state of a validated scenario (`app.scenarios.build`)."""
    state, _events = build.opening_state(scenario, seed=seed, now=now)
    return state


def historical_checks(scenario: Scenario) -> tuple[Any, ...]:
    outcome = _field(scenario, ("historical_outcome",))
    if outcome is None:
        return ()
    return tuple(_field(outcome, ("checks",), ()) or ())


def _scenario_strategies(scenario: Scenario) -> list[Any]:
    return list(_field(scenario, ("strategies",), ()) or ())


def strategy_for(
    scenario: Scenario, name: str | None, state: GameState | None = None
) -> StrategyPlan:
    """The strategy `name` means for `scenario`: one of its strategies by id, then a
    personality for every nation, or "profile"; None: "historical" if the scenario has it,
    else cooperative for everyone. Raises UnknownStrategy listing the choices."""
    strategies = {str(_field(s, ("id",), "")): s for s in _scenario_strategies(scenario)}
    if name is None:
        name = "historical" if "historical" in strategies else DEFAULT_PERSONALITY
    if name in strategies:
        return StrategyPlan.from_scenario(strategies[name])
    if name == PROFILE_STRATEGY:
        return StrategyPlan.from_profiles(state or opening_state(scenario))
    if name in PERSONALITIES:
        return StrategyPlan.everyone(name)
    choices = [*strategies, *PERSONALITIES, PROFILE_STRATEGY]
    raise UnknownStrategy(
        gettext("unknown strategy {name}; choose one of: {choices}").format(
            name=repr(name), choices=", ".join(dict.fromkeys(choices))
        )
    )


def simulate_scenario(
    scenario: Scenario,
    strategy: str | None = None,
    runs: int = 100,
    seed: int = 1,
    *,
    rounds: int = NEGOTIATION_ROUNDS,
) -> tuple[StrategyPlan, list[RunResult]]:
    """Build the opening state of `scenario` and `simulate` the named strategy on it."""
    state = opening_state(scenario, seed=seed)
    plan = strategy_for(scenario, strategy, state)
    results = simulate(state, plan, runs, seed, checks=historical_checks(scenario), rounds=rounds)
    return plan, results
