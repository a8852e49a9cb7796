"""Monte Carlo games between bots: play one game, measure it, summarise many.

`play_game` plays a whole game with a bot on every seat; `simulate` plays a strategy many
times from one opening state (each run with its own seed, so both the bots' draws and the
rules' rolls differ); `summarise` reduces the runs to the numbers an instructor or a
staff estimate reads. `simulate_scenario` does the same from a scenario file's model,
with its named strategies and its historical outcome.

A turn between bots: a few negotiation rounds in which every bot, in a seeded order,
answers what was proposed to it, makes its own proposals and (re)draws its orders, so
that a proposal made by one bot is answered by the others within the same turn; the
rounds stop early once nobody has anything left to do. Then the rules resolve the turn.
"""

from __future__ import annotations

import dataclasses
import random
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.bots.base import BaseBot, Bot
from app.bots.personalities import PERSONALITIES, make_bot
from app.rules import actions as acts
from app.rules.game import advance
from app.rules.resolution import resolve_turn
from app.rules.scoring import judge
from app.rules.state import CommandStructure, GameState, Objective, Phase
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


@dataclass
class PlayStats:
    """What happened at the table: tests expect `rejections`, `refusals` and `illegal` at 0."""

    actions: int = 0
    rejections: int = 0  # actions a bot returned that the rules refused
    refusals: int = 0  # actions a bot tried on its own copy of the state and was refused
    illegal: int = 0  # with verify=True: actions absent from legal_actions when taken
    problems: list[str] = field(default_factory=list)  # the first few, described

    def note(self, problem: str) -> None:
        if len(self.problems) < 20:
            self.problems.append(problem)


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
) -> GameState:
    """Play `state` to its end with `bots` (nation id -> bot) and return the final state.

    The game is reseeded with `seed` (so the rules' rolls differ from run to run) and every
    bot-played seat is handed to a bot. A nation without a bot keeps whatever orders it has
    (useful for a staff estimate of one nation's orders). `verify` re-checks every action
    against `legal_actions` (slow; for tests)."""
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
            state, _events = resolve_turn(state, clock)
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


# --- measuring a game -----------------------------------------------------------------


def _result_value(result: str) -> float:
    return {"success": 1.0, "partial": 0.5}.get(result, 0.0)


def operation_succeeded(state: GameState, operation_id: str) -> bool:
    """Completed (its duration's worth of successes). Should the rules not track progress
    at all, one success counts."""
    operation = state.operation(operation_id)
    if operation is None:
        return False
    if operation.status != "open":
        return operation.status == "completed"
    tracked = any(op.progress > 0 or op.status != "open" for op in state.operations)
    if tracked:
        return operation.progress >= operation.duration
    return any(o.operation_id == operation_id and o.result == "success" for o in state.outcomes)


def peak_escalation(state: GameState) -> int:
    """The highest escalation level of the game so far (the start included)."""
    return max(
        state.escalation.peak,
        state.escalation.level,
        *(r.escalation for r in state.records),
    )


def _field(check: Any, names: Sequence[str], default: Any = None) -> Any:
    for name in names:
        if isinstance(check, Mapping):
            if check.get(name) is not None:
                return check[name]
        elif getattr(check, name, None) is not None:
            return getattr(check, name)
    return default


_TARGET_FIELDS = (
    "target",
    "operation_id",
    "operation",
    "coalition_id",
    "coalition",
    "nation_id",
    "nation",
)
_VALUE_FIELDS = ("value", "level", "threshold", "at_least", "at_most", "minimum", "maximum")


def check_outcome(state: GameState, check: Any) -> bool:
    """Whether one check of a historical outcome holds at the end of a game.

    `check` has a `kind`, a `target` and a `value` (an object or a mapping; a few other
    spellings of the fields are accepted). Kinds:

    - operation_succeeds: the operation `target` was completed;
    - escalation_at_most: the peak escalation never went above `value`;
    - cohesion_at_least: the coalition `target` (any, if empty) is active with cohesion
      of at least `value`;
    - coalition_dissolved: the coalition `target` (any, if empty) was dissolved;
    - support_at_least: the nation `target` (every nation, if empty or "*") ends with
      domestic support of at least `value`.
    """
    kind = str(_field(check, ("kind", "check", "type"), ""))
    if kind == "operation_completed":
        kind = "operation_succeeds"
    if kind not in CHECK_KINDS:
        raise ValueError(f"unknown historical outcome check {kind!r}")
    target = str(_field(check, _TARGET_FIELDS, "")).strip()
    value = float(_field(check, _VALUE_FIELDS, 0))
    # The rules judge objectives; a historical check is one, judged the same way.
    objective = Objective(
        id="historical-check",
        text="",
        kind=kind,  # type: ignore[arg-type]  # one of CHECK_KINDS, checked above
        target=target,
        value=value,
    )
    return judge(state, objective).met


CHECK_KINDS = (
    "operation_succeeds",
    "escalation_at_most",
    "cohesion_at_least",
    "coalition_dissolved",
    "support_at_least",
)


@dataclass(frozen=True)
class RunResult:
    """The measures of one game.

    `success_rate`: the share of attempted operation-turns that succeeded (a partial result
    counts half). `mean_cohesion`: the mean over turns of the mean cohesion of the
    coalitions active after that turn, over the turns that had one; 0.0 if no coalition
    ever existed (so "no coalition" reads as "no cohesion", not as missing). `burden_share`:
    each nation's share of all the cost carried in the game (after cost sharing); all 0.0
    if nothing was spent. `trust_in`: how far, on average, the other nations trust each
    nation at the end; `mean_trust`: the mean of every nation's trust in every other.
    `historical`: whether every check of the scenario's historical outcome holds at the
    end (None when the scenario defines none)."""

    seed: int
    turns: int
    success_rate: float
    operation_turns: int  # attempted
    operations_attempted: int  # distinct operations attempted at least once
    operations_succeeded: int  # distinct operations completed
    mean_cohesion: float
    final_cohesion: dict[str, int]  # every coalition that existed, dissolved ones included
    coalitions: int
    coalitions_dissolved: tuple[str, ...]
    peak_escalation: int
    final_escalation: int
    burden_share: dict[str, float]
    final_support: dict[str, int]
    final_budget: dict[str, int]
    trust_in: dict[str, float]
    mean_trust: float
    pledges_honoured: int
    pledges_broken: int
    pledges_honoured_by: dict[str, int]
    pledges_broken_by: dict[str, int]
    historical: bool | None = None
    rejections: int = 0


def _mean(values: Iterable[float], default: float = 0.0) -> float:
    values = list(values)
    return sum(values) / len(values) if values else default


def _burden(state: GameState) -> dict[str, int]:
    carried: dict[str, int] = defaultdict(int)
    if state.records:
        for record in state.records:
            for nation_id, amount in record.burden.items():
                carried[nation_id] += max(0, amount)
    else:  # rules that keep no records: the cost of what each committed
        for outcome in state.outcomes:
            for contribution in outcome.contributions:
                carried[contribution.nation_id] += contribution.cost
    return carried


def run_result(
    state: GameState,
    seed: int,
    *,
    checks: Sequence[Any] = (),
    stats: PlayStats | None = None,
) -> RunResult:
    """Measure a finished (or unfinished) game."""
    attempted = [o for o in state.outcomes if o.result != "not_attempted"]
    per_turn = [_mean(record.cohesion.values()) for record in state.records if record.cohesion]
    if not state.records:  # rules that keep no records: the coalitions as they end
        per_turn = [_mean(c.cohesion for c in state.coalitions if c.active)]
        per_turn = [v for v in per_turn if v] if any(c.active for c in state.coalitions) else []
    carried = _burden(state)
    total = sum(carried.values())
    ids = [n.id for n in state.nations]
    trust_in = {i: round(_mean(state.trust(o, i) for o in ids if o != i), 2) for i in ids}
    honoured: Counter[str] = Counter(p.nation for p in state.pledges if p.status == "honoured")
    broken: Counter[str] = Counter(p.nation for p in state.pledges if p.status == "broken")
    return RunResult(
        seed=seed,
        turns=len(state.records) or state.turn,
        success_rate=_mean(_result_value(o.result) for o in attempted),
        operation_turns=len(attempted),
        operations_attempted=len({o.operation_id for o in attempted}),
        operations_succeeded=sum(1 for op in state.operations if operation_succeeded(state, op.id)),
        mean_cohesion=_mean(per_turn),
        final_cohesion={c.id: c.cohesion for c in state.coalitions},
        coalitions=len(state.coalitions),
        coalitions_dissolved=tuple(c.id for c in state.coalitions if c.dissolved_turn is not None),
        peak_escalation=peak_escalation(state),
        final_escalation=state.escalation.level,
        burden_share={i: (carried.get(i, 0) / total if total else 0.0) for i in ids},
        final_support={n.id: n.domestic_support for n in state.nations},
        final_budget={n.id: n.budget for n in state.nations},
        trust_in=trust_in,
        mean_trust=round(_mean(trust_in.values()), 2),
        pledges_honoured=sum(honoured.values()),
        pledges_broken=sum(broken.values()),
        pledges_honoured_by={i: honoured.get(i, 0) for i in ids},
        pledges_broken_by={i: broken.get(i, 0) for i in ids},
        historical=all(check_outcome(state, c) for c in checks) if checks else None,
        rejections=stats.rejections + stats.refusals + stats.illegal if stats else 0,
    )


# --- strategies -----------------------------------------------------------------------


class UnknownStrategy(ValueError):
    """A strategy name that is neither one of the scenario's nor a personality."""


@dataclass(frozen=True)
class NationPlan:
    personality: str = DEFAULT_PERSONALITY
    focus: tuple[str, ...] = ()


@dataclass(frozen=True)
class StrategyPlan:
    """Who plays how: a personality and focus per nation (others play `default`), and the
    command structure coalition leads propose (None: integrated)."""

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
            n.id: make_bot(plan.personality, plan.focus, self.command)
            for n in state.nations
            for plan in (self.plan_for(n.id),)
        }

    @classmethod
    def everyone(cls, personality: str, command: CommandStructure | None = None) -> StrategyPlan:
        return cls(
            id=personality,
            name=f"every nation plays {personality.replace('_', ' ')}",
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
        id, name, description, command and nations: {id: {personality, focus}})."""
        nations: dict[str, NationPlan] = {}
        for nation_id, plan in (_field(strategy, ("nations",), {}) or {}).items():
            personality = _field(plan, ("personality",), DEFAULT_PERSONALITY)
            focus = tuple(_field(plan, ("focus",), ()) or ())
            nations[str(nation_id)] = NationPlan(str(personality), tuple(str(f) for f in focus))
        identifier = str(_field(strategy, ("id",), "strategy"))
        return cls(
            id=identifier,
            name=str(_field(strategy, ("name",), identifier)),
            nations=nations,
            command=_field(strategy, ("command",)),
            description=str(_field(strategy, ("description",), "")),
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
) -> list[RunResult]:
    """Play `runs` games from `state` with seeds `seed`, `seed + 1`, ...

    `strategy`: a `StrategyPlan`, a scenario strategy, a personality name for every
    nation, "profile", a mapping nation -> personality, or None (all cooperative).
    `checks`: the historical outcome's checks, evaluated at the end of each game."""
    plan = _as_plan(strategy, state)
    results = []
    for run in range(runs):
        game_seed = seed + run
        stats = PlayStats()
        final = play_game(state, plan.bots(state), game_seed, now, rounds=rounds, stats=stats)
        results.append(run_result(final, game_seed, checks=checks, stats=stats))
    return results


@dataclass(frozen=True)
class Summary:
    """Many runs of one strategy. Rates are means over runs; the `_low`/`_high` pair is the
    10th-90th percentile spread of the success rate over runs."""

    runs: int
    strategy: str
    success_rate: float
    success_rate_low: float
    success_rate_high: float
    operations_succeeded: float
    mean_cohesion: float
    dissolved_rate: float  # share of runs in which some coalition dissolved
    peak_escalation_mean: float
    peak_escalation_max: int
    final_escalation_mean: float
    burden_share: dict[str, float]
    final_support: dict[str, float]
    trust_in: dict[str, float]
    mean_trust: float
    pledges_honoured: int
    pledges_broken: int
    historical_runs: int | None  # runs reproducing the historical outcome
    historical_rate: float | None
    rejections: int


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    cuts = statistics.quantiles(values, n=10, method="inclusive")
    return cuts[0] if share < 0.5 else cuts[-1]


def _per_nation_mean(dicts: list[dict[str, Any]]) -> dict[str, float]:
    keys = list(dict.fromkeys(k for d in dicts for k in d))
    return {k: _mean(float(d.get(k, 0)) for d in dicts) for k in keys}


def summarise(results: Sequence[RunResult], strategy: str = "") -> Summary:
    rates = [r.success_rate for r in results]
    historical = [r.historical for r in results if r.historical is not None]
    return Summary(
        runs=len(results),
        strategy=strategy,
        success_rate=_mean(rates),
        success_rate_low=_percentile(rates, 0.1),
        success_rate_high=_percentile(rates, 0.9),
        operations_succeeded=_mean(r.operations_succeeded for r in results),
        mean_cohesion=_mean(r.mean_cohesion for r in results),
        dissolved_rate=_mean(1.0 if r.coalitions_dissolved else 0.0 for r in results),
        peak_escalation_mean=_mean(r.peak_escalation for r in results),
        peak_escalation_max=max((r.peak_escalation for r in results), default=0),
        final_escalation_mean=_mean(r.final_escalation for r in results),
        burden_share=_per_nation_mean([r.burden_share for r in results]),
        final_support=_per_nation_mean([r.final_support for r in results]),
        trust_in=_per_nation_mean([r.trust_in for r in results]),
        mean_trust=_mean(r.mean_trust for r in results),
        pledges_honoured=sum(r.pledges_honoured for r in results),
        pledges_broken=sum(r.pledges_broken for r in results),
        historical_runs=sum(historical) if historical else None,
        historical_rate=_mean(1.0 if h else 0.0 for h in historical) if historical else None,
        rejections=sum(r.rejections for r in results),
    )


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
        f"unknown strategy {name!r}; choose one of: {', '.join(dict.fromkeys(choices))}"
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
