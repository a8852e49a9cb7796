"""The immutable game state of Entente.

Every value is a frozen dataclass of tuples so a state can be shared, compared and
serialised without copying; rules functions return new states instead of mutating.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields
from enum import StrEnum
from functools import cached_property
from operator import attrgetter
from typing import Annotated, Any, Literal, TypeVar, get_type_hints

from pydantic import PlainSerializer, TypeAdapter

# The turn's outcomes and records live in `records`; re-exported from here (`X as X`).
from app.rules.reaction import MandateTerms as MandateTerms
from app.rules.reaction import Reaction as Reaction
from app.rules.reaction import RedLine as RedLine
from app.rules.records import AdversaryMove as AdversaryMove
from app.rules.records import Change as Change
from app.rules.records import Contribution as Contribution
from app.rules.records import Factor as Factor
from app.rules.records import Outcome as Outcome
from app.rules.records import Result as Result
from app.rules.records import TurnRecord as TurnRecord

Capability = Literal[
    "land", "air", "maritime", "lift", "isr", "special_forces", "medical", "engineers", "cyber"
]
Power = Literal["hard", "soft"]
Posture = Literal["offensive", "defensive"]
Controller = Literal["vacant", "human", "bot"]
# The red cell (app/rules/red_cell.py): who plays the adversary, and its moves.
RedSeat = Literal["vacant", "human", "bot"]
# The red cell's seat id: in its join link, its page's address and `GameState.ready`. A
# scenario id is a slug (no underscore), so no nation can ever have it.
RED_CELL_SEAT = "red_cell"
RedMoveKind = Literal["hold", "escalate", "probe", "signal", "offer_talks", "accept_terms"]


def standard_name(tag: str, names: Mapping[str, str]) -> str:
    """An interoperability standard as players read it: the name its scenario gives the
    tag, else the tag itself with its hyphens as spaces ("western standard")."""
    name = names.get(tag)
    return name or tag.replace("-", " ")


Fog = Literal["open", "standard", "strict"]
FOG_LEVELS: tuple[Fog, ...] = ("open", "standard", "strict")
CommandStructure = Literal["integrated", "lead_nation", "parallel"]
Mandate = Literal["un", "regional", "none"]
Profile = Literal["alliance", "pragmatic", "cautious", "hawkish", "spoiler"]
"""A nation's political profile: how its leaders weigh solidarity, cost and force (the
bots read it; a leadership change may replace it)."""
AgreementKind = Literal[
    "coalition_membership",
    "force_pledge",
    "cost_sharing",
    "intel_sharing",
    "basing",
    "command_arrangement",
    "aid",
    "joint_statement",
    "ngo_coordination",
    "combined_exercise",
    "liaison_officers",
]
AgreementStatus = Literal["open", "signed", "rejected", "countered", "withdrawn"]
PledgeStatus = Literal["due", "honoured", "broken"]
ActorKind = Literal["adversary", "un", "ngo", "population"]
ChannelKind = Literal["public", "coalition", "bilateral", "liaison", "control"]
ObjectiveKind = Literal[
    "operation_succeeds",  # target: operation id
    "escalation_at_most",  # value: level
    "support_at_least",  # value: own domestic support
    "budget_at_least",  # value: own budget at the end
    "in_coalition",  # target: coalition id, or "" for any
    "lead_coalition",  # target: coalition id, or "" for any
    "outside_coalitions",  # stay out of every coalition
    "cohesion_at_least",  # target: coalition id; value: cohesion
    "burden_share_at_most",  # value: own share (0-1) of its coalition's delivered cost
    "no_hard_power",  # never commit to a hard-power operation
    "coalition_dissolved",  # target: coalition id (a spoiler's aim)
    "trust_at_least",  # target: nation id; value: that nation's trust in this one
    "fair_share_at_least",  # value: share (0-1) of its fair share of the crisis's costs
    "crisis_won",  # value: share (0-1) of the collective objectives' points met
]
TriggerKind = Literal[
    "turn",  # value: the turn it fires at the start of
    "escalation_at_least",  # value
    "support_below",  # target: nation id; value
    "cohesion_below",  # target: coalition id; value
    "operation_failed",  # target: operation id
    "population_below",  # target: actor id; value: attitude
]
EffectKind = Literal[
    "escalation",  # value: change of level
    "support",  # target: nation id or "*"; value: change
    "budget",  # target: nation id or "*"; value: change
    "trust",  # target: "a>b" (a's trust in b) or "*"; value: change
    "difficulty",  # target: operation id or "*"; value: change
    "population",  # target: actor id; value: change of attitude
    "cohesion",  # target: coalition id or "*"; value: change
    "caveat",  # target: nation id; text: the caveat imposed
    "leadership_change",  # target: nation id; text: the new leader's brief
    "open_operation",  # target: operation id that becomes available
    "mandate",  # target: coalition id or "*"; text: the mandate granted ("un", "regional")
]


class Phase(StrEnum):
    """The phases of a turn (docs/architecture.md, "The game and the turn").

    A game plays ORDERS (talks run inside it), ADJUDICATION (only while control's hold
    keeps a finished orders phase waiting) and ENDED; INTELLIGENCE, NEGOTIATION and REVIEW
    are named but no game enters them.
    """

    INTELLIGENCE = "intelligence"
    NEGOTIATION = "negotiation"
    ORDERS = "orders"
    ADJUDICATION = "adjudication"
    REVIEW = "review"
    ENDED = "ended"


@dataclass(frozen=True)
class Unit:
    id: str
    name: str
    capability: Capability
    strength: int
    cost: int


@dataclass(frozen=True)
class Objective:
    """Something a nation (or the coalition as a whole) is scored on, checked by the rules."""

    id: str
    text: str
    kind: ObjectiveKind
    target: str = ""
    value: float = 0
    points: int = 10
    secret: bool = False


@dataclass(frozen=True)
class Successor:
    """The government that takes office if domestic support brings a nation's government
    down (scenario data, docs/rules/domestic-politics.md): its leader and profile, the
    national caveats it adds, the coalitions it withdraws from ("*": all), the objectives
    that replace the nation's (None: kept) and its brief (the nation's new secret brief)."""

    leader: str = ""
    profile: Profile | None = None
    caveats: tuple[str, ...] = ()
    withdraw: tuple[str, ...] = ()
    objectives: tuple[Objective, ...] | None = None
    brief: str = ""


@dataclass(frozen=True)
class Nation:
    id: str
    name: str
    budget: int
    domestic_support: int
    interoperability: str
    caveats: tuple[str, ...]
    public_objective: str
    secret_objective: str
    units: tuple[Unit, ...]
    controller: Controller = "vacant"
    leader: str = ""
    profile: Profile = "pragmatic"
    # Economic weight: the fair share of a burden is proportional to capacity.
    capacity: int = 100
    # Budget granted at the start of each turn after the first (the treasury's allowance).
    income: int = 0
    objectives: tuple[Objective, ...] = ()
    casualties: int = 0
    leadership_changes: int = 0
    home_region: str = ""  # for the 'home-region-only' caveat
    # Who takes office if support brings the government down; used once (then None).
    successor: Successor | None = None
    # The personality of the bot playing this seat when `controller` is "bot": a name the
    # bots know (cooperative, free_rider, hawk, dove, spoiler) or "profile" (the one its
    # political profile suggests). The rules only keep it; None for seats people play (and
    # in states stored before bots played live seats).
    bot: str | None = None

    def unit(self, unit_id: str) -> Unit | None:
        return self._unit_index.get(unit_id)

    @cached_property
    def _unit_index(self) -> dict[str, Unit]:
        # The first of an id counting, as a scan would find it: listing orders checks
        # every (unit, operation) pair, each looking its unit up.
        return _first_by(self.units, _ID)


@dataclass(frozen=True, slots=True)  # slots: a large game's turn makes thousands
class Relation:
    """How `nation` regards `other` (trust is directed: A may trust B more than B trusts A)."""

    nation: str
    other: str
    trust: int  # 0-100
    alignment: int  # 0-100: how far their political interests coincide (symmetric)
    cooperation: int = 0  # 0-100: history of working together


# The slots' setters: `made_relation` fills them directly.
_RELATION_SLOTS = tuple(getattr(Relation, name).__set__ for name in Relation.__slots__)
assert Relation.__slots__ == ("nation", "other", "trust", "alignment", "cooperation")


def made_relation(
    nation: str, other: str, trust: int, alignment: int, cooperation: int
) -> Relation:
    """`Relation(nation, other, trust, alignment, cooperation)`, equal in every way, made
    without the frozen dataclass's checked `__init__` (half the cost: a large game's turn
    moves thousands of pairs, several times)."""
    relation: Relation = object.__new__(Relation)
    set_nation, set_other, set_trust, set_alignment, set_cooperation = _RELATION_SLOTS
    set_nation(relation, nation)
    set_other(relation, other)
    set_trust(relation, trust)
    set_alignment(relation, alignment)
    set_cooperation(relation, cooperation)
    return relation


Pair = tuple[str, str]


def moved_values(
    by_pair: Mapping[Pair, Relation],
    moves: Mapping[Pair, int],
    cooperation: bool = False,
    moved: Mapping[Pair, int] | None = None,
) -> tuple[dict[Pair, int], list[tuple[Pair, int, int]]]:
    """Each pair of `moves` with its trust (or its history of `cooperation`) moved by its
    delta, kept within 0-100, from `moved`'s value if it has the pair, else its relation's
    (a pair not in `by_pair` at trust 50, cooperation 0): the new values that differ from
    the old, and (pair, new value, what the bounds took off) where they took part of a
    move."""
    values: dict[Pair, int] = {}
    bounded: list[tuple[Pair, int, int]] = []
    get = by_pair.get
    earlier = (moved or {}).get
    for pair, delta in moves.items():
        old = earlier(pair)
        if old is None:
            relation = get(pair)
            if relation is None:
                old = 0 if cooperation else 50
            else:
                old = relation.cooperation if cooperation else relation.trust
        value = old + delta
        value = 0 if value < 0 else 100 if value > 100 else value  # as max(0, min(100, ...))
        if value - old != delta:
            bounded.append((pair, value, value - old - delta))
        if value != old:
            values[pair] = value
    return values, bounded


def made_relations(
    by_pair: Mapping[Pair, Relation], trust: Mapping[Pair, int], cooperation: Mapping[Pair, int]
) -> dict[Pair, Relation]:
    """The relation of each pair of `trust` and of `cooperation` (in that order, each
    once) at those values, the rest as in `by_pair` (a pair not there at trust 50,
    alignment 50, cooperation 0); each made as `made_relation` does, inline: a large
    game's turn moves thousands of pairs."""
    pairs = dict.fromkeys(trust)
    pairs.update(dict.fromkeys(cooperation))
    changed: dict[Pair, Relation] = {}
    get = by_pair.get
    new_trust = trust.get
    new_cooperation = cooperation.get
    new = object.__new__
    set_nation, set_other, set_trust, set_alignment, set_cooperation = _RELATION_SLOTS
    for pair in pairs:
        relation = get(pair)
        if relation is None:
            value, alignment, history = 50, 50, 0
        else:
            value, alignment, history = relation.trust, relation.alignment, relation.cooperation
        made: Relation = new(Relation)
        set_nation(made, pair[0])
        set_other(made, pair[1])
        set_trust(made, new_trust(pair, value))
        set_alignment(made, alignment)
        set_cooperation(made, new_cooperation(pair, history))
        changed[pair] = made
    return changed


def moved_relations(
    by_pair: Mapping[Pair, Relation], moves: Mapping[Pair, int], cooperation: bool = False
) -> tuple[dict[Pair, Relation], list[tuple[Pair, int, int]]]:
    """`moved_values`, and the relations they change (`made_relations`)."""
    values, bounded = moved_values(by_pair, moves, cooperation)
    if cooperation:
        return made_relations(by_pair, {}, values), bounded
    return made_relations(by_pair, values, {}), bounded


class Relations(tuple[Relation, ...]):
    """A state's relations (a tuple, equal to the plain one), with lookups by (nation,
    other) built once and shared by every state that keeps the same relations: a turn's
    resolution makes dozens of states and looks relations up tens of thousands of times,
    and in a game of 100 nations rebuilding the index for each new state was most of it."""

    @cached_property
    def by_pair(self) -> dict[Pair, Relation]:
        # As a dict built from the tuple: of two relations of one pair, the later counts.
        return {(r.nation, r.other): r for r in self}

    @cached_property
    def positions(self) -> dict[Pair, int] | None:
        """Where each pair's relation is; None if a pair is listed twice."""
        positions = {(r.nation, r.other): i for i, r in enumerate(self)}
        return positions if len(positions) == len(self) else None

    @cached_property
    def held_by(self) -> dict[str, tuple[Relation, ...]]:
        """Each nation's relations to the others (`nation` is it), in the tuple's order:
        a nation's page lists its own, which a scan of every pair's found (9,900 with 100
        nations); kept with the relations, as `by_pair` is, while an order changes none."""
        return _grouped(self, _NATION)

    @cached_property
    def held_of(self) -> dict[str, tuple[Relation, ...]]:
        """The others' relations to each nation (`other` is it), in the tuple's order."""
        return _grouped(self, _OTHER)

    def with_trust(self, trust: dict[Pair, int]) -> Relations:
        """These relations with each pair of `trust` at that trust (a pair not listed joins
        at the end, at alignment 50), through `replaced`: needs `positions`."""
        by_pair = self.by_pair
        changed: dict[Pair, Relation] = {}
        for pair, value in trust.items():
            relation = by_pair.get(pair)
            changed[pair] = (
                Relation(pair[0], pair[1], value, 50)
                if relation is None
                else made_relation(
                    pair[0], pair[1], value, relation.alignment, relation.cooperation
                )
            )
        return self.replaced(changed)

    def replaced(self, changed: dict[Pair, Relation]) -> Relations:
        """These relations with `changed` put in place (pairs not listed are added at the
        end, in `changed`'s order), their lookups carried over rather than rebuilt. Needs
        `positions` (no pair listed twice)."""
        positions = self.positions
        assert positions is not None
        by_pair = self.by_pair
        added: dict[Pair, int] = {}
        if 4 * len(changed) < len(self):  # a few: each put in its place
            items = list(self)
            for pair, relation in changed.items():
                at = positions.get(pair)
                if at is None:
                    added[pair] = len(items)
                    items.append(relation)
                else:
                    items[at] = relation
        else:
            # Many (a large turn's joint successes change thousands): with no pair listed
            # twice, `by_pair` has the pairs in the tuple's order, and each relation is
            # taken from `changed` or kept in one pass in C.
            items = list(map(changed.get, by_pair, self))
            if not changed.keys() <= by_pair.keys():
                for pair, relation in changed.items():
                    if pair not in positions:
                        added[pair] = len(items)
                        items.append(relation)
        table = Relations(items)
        by_pair = by_pair.copy()
        by_pair.update(changed)
        table.__dict__["by_pair"] = by_pair
        table.__dict__["positions"] = {**positions, **added} if added else positions
        return table

    def trust_in(self, nations: tuple[str, ...]) -> dict[str, tuple[int, int]]:
        """Per nation of `nations`: (sum, count) of the trust the others of them hold in it,
        over the relations listed (one pass, rather than a lookup per pair)."""
        members = set(nations)
        totals = {n: [0, 0] for n in nations}
        for (nation, other), relation in self.by_pair.items():
            if nation != other and nation in members and other in members:
                total = totals[other]
                total[0] += relation.trust
                total[1] += 1
        return {n: (t[0], t[1]) for n, t in totals.items()}


@dataclass(frozen=True)
class Coalition:
    id: str
    name: str
    lead: str
    members: tuple[str, ...]
    command: CommandStructure
    mandate: Mandate
    cohesion: int  # 0-100
    # The operations the coalition has taken on; its members' forces there are under
    # coalition command (transfer of authority), within each nation's caveats.
    operations: tuple[str, ...] = ()
    formed_turn: int = 1
    dissolved_turn: int | None = None
    # The most members it has had: a coalition left by more than half of them has lost
    # the consensus it was built on and dissolves.
    peak_members: int = 0
    # Members that defected, or whose new government withdrew: it does not take them back.
    defectors: tuple[str, ...] = ()

    @property
    def admitted_before(self) -> tuple[str, ...]:
        """Who cannot be invited in: its members and its defectors."""
        return (*self.members, *self.defectors)

    def __post_init__(self) -> None:
        if self.peak_members < len(self.members):
            object.__setattr__(self, "peak_members", len(self.members))

    @property
    def active(self) -> bool:
        return self.dissolved_turn is None


@dataclass(frozen=True)
class Agreement:
    """A structured deal: proposed by one party, signed when every party has signed."""

    id: str
    kind: AgreementKind
    proposer: str
    parties: tuple[str, ...]
    terms: dict[str, str | int]
    turn: int
    status: AgreementStatus = "open"
    signatures: tuple[str, ...] = ()
    replaces: str | None = None  # the proposal this one counters


@dataclass(frozen=True)
class Pledge:
    """A signed force pledge in the ledger: `strength` to `operation_id` in `turn`."""

    agreement_id: str
    nation: str
    operation_id: str
    strength: int
    turn: int
    delivered: int = 0
    status: PledgeStatus = "due"


@dataclass(frozen=True)
class Joiner:
    """A member that joined a channel after it opened (a coalition's new member): what
    was said before is not its to read."""

    nation_id: str
    first_message: int  # the first message id it reads (ids only grow)
    earlier: int  # how many messages the channel had before it joined


@dataclass(frozen=True)
class Channel:
    id: str
    name: str
    kind: ChannelKind
    members: tuple[str, ...]
    # Chance per turn with messages that the press learns of this channel's talks.
    leak_chance: float = 0.0
    joiners: tuple[Joiner, ...] = ()

    def joiner(self, nation_id: str | None) -> Joiner | None:
        return next((j for j in self.joiners if j.nation_id == nation_id), None)

    def first_message_for(self, nation_id: str | None) -> int:
        """The first message id `nation_id` may read here (0: all; None is control)."""
        joined = self.joiner(nation_id)
        return joined.first_message if joined else 0

    def messages_for(self, nation_id: str | None, total: int) -> int:
        """How many of the channel's `total` messages `nation_id` may read."""
        joined = self.joiner(nation_id)
        return total - joined.earlier if joined else total


@dataclass(frozen=True)
class Actor:
    """A non-player actor: the adversary, the UN, an NGO or the local population."""

    id: str
    name: str
    kind: ActorKind
    attitude: int = 50  # 0-100: how favourably it regards the coalition effort
    region: str | None = None
    # The adversary's reaction table; without one, hard power presses by a flat rate.
    reaction: Reaction | None = None
    # A council's terms for granting a mandate (a `un` actor; defaults when None).
    mandate: MandateTerms | None = None


@dataclass(frozen=True)
class Trigger:
    kind: TriggerKind
    target: str = ""
    value: float = 0


@dataclass(frozen=True)
class Effect:
    kind: EffectKind
    target: str = ""
    value: float = 0
    text: str = ""


@dataclass(frozen=True)
class ScriptedEvent:
    """An inject from the scenario's master events list."""

    id: str
    name: str
    text: str
    trigger: Trigger
    effects: tuple[Effect, ...] = ()
    public: bool = True  # else only the nations its effects name learn of it


@dataclass(frozen=True)
class Region:
    id: str
    name: str
    x: int
    y: int
    adjacent: tuple[str, ...] = ()
    host: str | None = None  # the nation whose territory it is: only it grants basing there


@dataclass(frozen=True)
class Operation:
    id: str
    name: str
    region: str
    power: Power
    difficulty: int
    requirements: tuple[tuple[Capability, int], ...]
    description: str
    risk: float = 0.1  # chance of casualties per committed unit when executed
    duration: int = 1  # successes (partials count half) needed to complete it
    civilian_risk: float = 0.0  # chance a failed hard-power execution harms civilians
    opens_turn: int = 1  # turn from which forces may be committed (an inject may open it)
    progress: float = 0
    status: Literal["open", "completed", "failed"] = "open"
    # Turns at which this operation closes as failed if not completed (0: the game's end).
    deadline_turn: int = 0
    # Defensive hard power (presence, policing, exercises) provokes less than offensive.
    posture: Posture = "offensive"

    def open_at(self, turn: int) -> bool:
        return self.status == "open" and turn >= self.opens_turn


@dataclass(frozen=True)
class Escalation:
    level: int
    max: int
    threshold: int
    ladder: tuple[str, ...] = ()  # a name for each level from 0, if the scenario gives them
    peak: int = 0
    # Pressure builds up between rungs: the level moves one rung per whole point of it.
    pressure: float = 0.0
    crossed: tuple[str, ...] = ()  # the adversary's red lines crossed (and answered) so far
    # Where the crisis opened (games stored before it was kept: where they were loaded).
    opening: int | None = None

    def __post_init__(self) -> None:
        if self.peak < self.level:  # the peak so far includes where the crisis starts
            object.__setattr__(self, "peak", self.level)
        if self.opening is None:
            object.__setattr__(self, "opening", self.level)

    def rung(self, level: int | None = None) -> str:
        level = self.level if level is None else level
        return self.ladder[level] if 0 <= level < len(self.ladder) else f"level {level}"


@dataclass(frozen=True)
class Commitment:
    unit_id: str
    nation_id: str  # the unit's owner, who pays for it
    operation_id: str
    # The coalition lead who tasked a unit placed under coalition command, if not the owner.
    tasked_by: str | None = None


@dataclass(frozen=True)
class Transfer:
    """Transfer of authority: a unit placed under a coalition's command until reclaimed."""

    unit_id: str
    nation_id: str
    coalition_id: str


@dataclass(frozen=True)
class Override:
    """Control's adjudication of one operation in a held turn, with the recorded reason."""

    operation_id: str
    result: Result
    reason: str


@dataclass(frozen=True)
class RedCell:
    """The adversary's seat when control gives it to a student or a bot (the red cell):
    who holds it, and the move chosen for this turn (hidden until the turn resolves)."""

    seat: RedSeat = "vacant"
    bot: str | None = None  # the bot's personality when `seat` is "bot"
    move: RedMoveKind | None = None
    text: str = ""  # the words of a signal, an offer of talks or an acceptance


@dataclass(frozen=True)
class GameState:
    seed: int
    turn: int
    turns: int
    phase: Phase
    # Epoch seconds; the service passes the current time in, the rules never read a clock.
    deadline: float | None
    orders_seconds: int
    regions: tuple[Region, ...]
    nations: tuple[Nation, ...]
    operations: tuple[Operation, ...]
    escalation: Escalation
    commitments: tuple[Commitment, ...] = ()
    # Stored sorted: a set has no stable JSON order.
    ready: Annotated[frozenset[str], PlainSerializer(sorted, when_used="json")] = field(
        default_factory=frozenset
    )
    outcomes: tuple[Outcome, ...] = ()
    relations: tuple[Relation, ...] = ()
    coalitions: tuple[Coalition, ...] = ()
    agreements: tuple[Agreement, ...] = ()
    pledges: tuple[Pledge, ...] = ()
    channels: tuple[Channel, ...] = ()
    # Message texts live in the event log (paginated per channel by the store); the state
    # keeps how many each channel has had and which channels talked this turn (leaks).
    message_counts: dict[str, int] = field(default_factory=dict)
    talked: tuple[str, ...] = ()
    actors: tuple[Actor, ...] = ()
    events: tuple[ScriptedEvent, ...] = ()
    fired: tuple[str, ...] = ()  # ids of scripted events that have fired
    collective_objectives: tuple[Objective, ...] = ()
    transfers: tuple[Transfer, ...] = ()
    red_cards: tuple[tuple[str, str], ...] = ()  # (nation, unit) refused taskings this turn
    records: tuple[TurnRecord, ...] = ()
    next_id: int = 1  # for agreements, messages and coalitions: ids never repeat
    # Rule settings a scenario may tune.
    defection_threshold: int = 35  # cohesion under which a member may defect
    collapse_threshold: int = 20  # cohesion under which a coalition dissolves
    leadership_threshold: int = 25  # domestic support under which a government falls
    bilateral_leak_chance: float = 0.1  # for channels the players open themselves
    # Control (the white cell). A paused orders phase has no deadline and keeps the time
    # it had left; with `hold`, a finished orders phase waits in ADJUDICATION for control,
    # who may override outcomes and write feedback per nation before releasing the turn.
    paused_remaining: float | None = None
    # A paused clock that starts when the first player takes a seat (the demo game: the
    # first student to arrive gets the whole phase, as an exercise waits for control).
    starts_on_first_seat: bool = False
    hold: bool = False
    # How much nations learn of each other's orders: "open" (which units went where, as
    # soon as given), "standard" (how many units each has committed), "strict" (nothing
    # until adjudication, and then not the strength others contributed).
    fog: Fog = "standard"
    overrides: tuple[Override, ...] = ()
    feedback: dict[str, str] = field(default_factory=dict)
    # Changes made between resolutions (signatures, leaving a coalition, injects control
    # fires, the opening injects): kept here until the turn resolves, then in its record.
    pending_changes: tuple[Change, ...] = ()
    # The red cell playing the adversary, if control has opened its seat; without one the
    # adversary's reaction table chooses all its moves.
    red_cell: RedCell | None = None
    # Mandates asked for this turn: (coalition, council). One request a turn per council.
    mandate_requests: tuple[tuple[str, str], ...] = ()
    # The interoperability standards' names as players read them, by tag (scenario data;
    # the rules compare tags, never names).
    standards: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Relations given as a plain tuple become a `Relations` (equal to it); a state made
        # from another (`replace`) keeps its relations, and their lookups, as they are.
        if type(self.relations) is not Relations:
            object.__setattr__(self, "relations", Relations(self.relations))

    def nation(self, nation_id: str) -> Nation | None:
        return self._nation_index.get(nation_id)

    @cached_property
    def _nation_index(self) -> dict[str, Nation]:
        # By id, the first of a name counting (as a scan would find it): a 100-nation
        # turn looks nations up thousands of times.
        return _first_by(self.nations, _ID)

    def standard_name(self, tag: str) -> str:
        return standard_name(tag, self.standards)

    def operation(self, operation_id: str) -> Operation | None:
        return self._operation_index.get(operation_id)

    @cached_property
    def _operation_index(self) -> dict[str, Operation]:
        # Like every lookup by id below, built once per state, the first of an id counting
        # (as a scan would find it): listing a nation's orders checks every (unit,
        # operation) pair, and each check looks up operations, commitments and transfers.
        return _first_by(self.operations, _ID)

    def commitment(self, unit_id: str) -> Commitment | None:
        return self._commitment_index.get(unit_id)

    @cached_property
    def _commitment_index(self) -> dict[str, Commitment]:
        return _first_by(self.commitments, _UNIT_ID)

    def commitments_of(self, nation_id: str) -> tuple[Commitment, ...]:
        return self._commitments_by_nation.get(nation_id, ())

    @cached_property
    def _commitments_by_nation(self) -> dict[str, tuple[Commitment, ...]]:
        grouped: dict[str, list[Commitment]] = {}
        for commitment in self.commitments:
            grouped.setdefault(commitment.nation_id, []).append(commitment)
        return {k: tuple(v) for k, v in grouped.items()}

    def committed_cost(self, nation: Nation) -> int:
        # Kept per nation (this very `nation`: a caller may pass a changed copy): listing
        # a nation's orders checks its budget once per (unit, operation) offered.
        kept = self._committed_costs.get(nation.id)
        if kept is not None and kept[0] is nation:
            return kept[1]
        committed = {c.unit_id for c in self.commitments_of(nation.id)}
        cost = sum(u.cost for u in nation.units if u.id in committed)
        self._committed_costs[nation.id] = (nation, cost)
        return cost

    @cached_property
    def _committed_costs(self) -> dict[str, tuple[Nation, int]]:
        # Filled by `committed_cost`: at most one entry per nation id.
        return {}

    def human_seats(self) -> tuple[str, ...]:
        return tuple(n.id for n in self.nations if n.controller == "human")

    def player_seats(self) -> tuple[str, ...]:
        """Seats a person plays or may still take: every seat a bot does not hold, and the
        red cell's once a student holds it (app/rules/red_cell.py)."""
        nations = tuple(n.id for n in self.nations if n.controller != "bot")
        if self.red_cell is not None and self.red_cell.seat == "human":
            return (*nations, RED_CELL_SEAT)
        return nations

    def replace_nation(self, nation: Nation) -> GameState:
        return replace_state(
            self, nations=tuple(nation if n.id == nation.id else n for n in self.nations)
        )

    def outcomes_of_turn(self, turn: int) -> tuple[Outcome, ...]:
        return tuple(o for o in self.outcomes if o.turn == turn)

    @property
    def _relation_index(self) -> dict[Pair, Relation]:
        return self.relation_table.by_pair

    @property
    def relation_table(self) -> Relations:
        """The relations with their lookups (`__post_init__` made them a `Relations`)."""
        return self.relations  # type: ignore[return-value]

    def relation(self, nation: str, other: str) -> Relation | None:
        return self._relation_index.get((nation, other))

    def trust(self, nation: str, other: str) -> int:
        relation = self.relation(nation, other)
        return relation.trust if relation else 50

    def cooperation(self, nation: str, other: str) -> int:
        """`nation`'s history of cooperation with `other` (0 for a pair never listed)."""
        relation = self.relation(nation, other)
        return relation.cooperation if relation else 0

    def alignment(self, nation: str, other: str) -> int:
        relation = self.relation(nation, other)
        return relation.alignment if relation else 50

    def coalition(self, coalition_id: str) -> Coalition | None:
        return self._coalition_index.get(coalition_id)

    @cached_property
    def _coalition_index(self) -> dict[str, Coalition]:
        return _first_by(self.coalitions, _ID)

    def coalitions_of(self, nation_id: str) -> tuple[Coalition, ...]:
        return self._active_coalitions_by_nation.get(nation_id, ())

    @cached_property
    def _active_coalitions_by_nation(self) -> dict[str, tuple[Coalition, ...]]:
        # The active coalitions each member is in, in order: every nation's row of a
        # page, the orders and the feed's command lines each ask for one nation's.
        grouped: dict[str, list[Coalition]] = {}
        for coalition in self.coalitions:
            if coalition.active:
                for member in dict.fromkeys(coalition.members):  # once, if listed twice
                    grouped.setdefault(member, []).append(coalition)
        return {k: tuple(v) for k, v in grouped.items()}

    def coalition_for_operation(self, operation_id: str) -> Coalition | None:
        return self._active_coalition_by_operation.get(operation_id)

    @cached_property
    def _active_coalition_by_operation(self) -> dict[str, Coalition]:
        # The first active coalition that took each operation on: a page's operations
        # list asks for every operation's.
        index: dict[str, Coalition] = {}
        for coalition in self.coalitions:
            if coalition.active:
                for operation_id in coalition.operations:
                    index.setdefault(operation_id, coalition)
        return index

    def agreement(self, agreement_id: str) -> Agreement | None:
        position = agreement_position(self.agreements, agreement_id)
        return None if position is None else self.agreements[position]

    def signed(self, kind: AgreementKind) -> tuple[Agreement, ...]:
        return tuple(a for a in self.agreements if a.kind == kind and a.status == "signed")

    def channel(self, channel_id: str) -> Channel | None:
        return self._channel_index.get(channel_id)

    @cached_property
    def _channel_index(self) -> dict[str, Channel]:
        # Every page's feed looks up a message's channel (twice), then its channels list.
        return _first_by(self.channels, _ID)

    def actor(self, actor_id: str) -> Actor | None:
        return next((a for a in self.actors if a.id == actor_id), None)

    def adversary(self) -> Actor | None:
        return next((a for a in self.actors if a.kind == "adversary"), None)

    def transfer(self, unit_id: str) -> Transfer | None:
        return self._transfer_index.get(unit_id)

    @cached_property
    def _transfer_index(self) -> dict[str, Transfer]:
        return _first_by(self.transfers, _UNIT_ID)

    @cached_property
    def _unit_index(self) -> dict[str, tuple[Nation, Unit]]:
        return {u.id: (n, u) for n in self.nations for u in n.units}

    def owner_of(self, unit_id: str) -> Nation | None:
        found = self._unit_index.get(unit_id)
        return found[0] if found else None

    def unit(self, unit_id: str) -> Unit | None:
        """Any nation's unit by id."""
        found = self._unit_index.get(unit_id)
        return found[1] if found else None

    @cached_property
    def _commitments_by_operation(self) -> dict[str, tuple[Commitment, ...]]:
        grouped: dict[str, list[Commitment]] = {}
        for commitment in self.commitments:
            grouped.setdefault(commitment.operation_id, []).append(commitment)
        return {k: tuple(v) for k, v in grouped.items()}

    def commitments_to(self, operation_id: str) -> tuple[Commitment, ...]:
        return self._commitments_by_operation.get(operation_id, ())

    def replace_operation(self, operation: Operation) -> GameState:
        return replace_state(
            self,
            operations=tuple(operation if o.id == operation.id else o for o in self.operations),
        )

    def replace_coalition(self, coalition: Coalition) -> GameState:
        return replace_state(
            self,
            coalitions=tuple(coalition if c.id == coalition.id else c for c in self.coalitions),
        )


_AGREEMENT_ID = _ID = attrgetter("id")
_NATION = attrgetter("nation")
_OTHER = attrgetter("other")
_UNIT_ID = attrgetter("unit_id")
_Keyed = TypeVar("_Keyed")


def _first_by(items: tuple[_Keyed, ...], key: Callable[[_Keyed], str]) -> dict[str, _Keyed]:
    """`items` by `key`, the first of a key counting, as a scan from the start finds it."""
    index: dict[str, _Keyed] = {}
    for item in items:
        index.setdefault(key(item), item)
    return index


def _grouped(
    items: Iterable[_Keyed], key: Callable[[_Keyed], str]
) -> dict[str, tuple[_Keyed, ...]]:
    """`items` by `key`, each key's in their order."""
    grouped: dict[str, list[_Keyed]] = {}
    for item in items:
        grouped.setdefault(key(item), []).append(item)
    return {k: tuple(v) for k, v in grouped.items()}


def agreement_position(agreements: tuple[Agreement, ...], agreement_id: str) -> int | None:
    """Where the first agreement with this id is in `agreements` (None: nowhere). The ids
    are read and searched in C (`map`, `list.index`): bots look agreements up by id
    thousands of times a game, in a tuple that grows to hundreds."""
    try:
        return list(map(_AGREEMENT_ID, agreements)).index(agreement_id)
    except ValueError:
        return None


_STATE_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(GameState))
_STATE_FIELD_SET: frozenset[str] = frozenset(_STATE_FIELDS)


def replace_state(state: GameState, /, **changes: Any) -> GameState:
    """`dataclasses.replace(state, **changes)`, giving an equal state, several times
    cheaper: a bot game makes thousands of states, and the generic `replace` reads and
    passes every one of the state's ~45 fields through `__init__`. The fields are copied
    as they are (no field has a default that `replace` would recompute); the lookups
    cached on the old state (`cached_property`) are not, since they are not fields."""
    new = _copied(state, _STATE_FIELDS, _STATE_FIELD_SET, changes)
    new.__post_init__()
    return new


_NATION_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Nation))
_NATION_FIELD_SET: frozenset[str] = frozenset(_NATION_FIELDS)


def nation_replaced(nation: Nation, /, **changes: Any) -> Nation:
    """`dataclasses.replace(nation, **changes)`, an equal nation, made as `replace_state`
    makes a state (a nation has no `__post_init__`): a turn remakes every nation several
    times, and the generic `replace` passes its 20 fields through `__init__`."""
    return _copied(nation, _NATION_FIELDS, _NATION_FIELD_SET, changes)


_Copied = TypeVar("_Copied", GameState, Nation)


def _copied(
    value: _Copied, names: tuple[str, ...], known: frozenset[str], changes: dict[str, Any]
) -> _Copied:
    """A frozen dataclass `value` with its fields `names` copied and `changes` made."""
    unknown = changes.keys() - known
    if unknown:  # what `replace` would refuse (mypy does not check these names here)
        raise TypeError(f"{type(value).__name__} has no field {', '.join(sorted(unknown))}")
    new = object.__new__(type(value))
    values = value.__dict__
    new.__dict__.update(zip(names, map(values.__getitem__, names), strict=True))
    new.__dict__.update(changes)
    return new


_STATE_ADAPTER: TypeAdapter[GameState] = TypeAdapter(GameState)


def state_to_dict(state: GameState) -> dict[str, Any]:
    """A JSON-ready dict; `state_from_dict` restores an equal state."""
    data: dict[str, Any] = _STATE_ADAPTER.dump_python(state, mode="json")
    return data


def state_to_json(state: GameState) -> bytes:
    """`state_to_dict`'s document as JSON, byte for byte `_STATE_ADAPTER.dump_json(state)`:
    what every action writes. Field by field, each field's value encoded once: a change
    makes a new state that shares every value it did not change with the one before (a
    state is immutable), so an action encodes the few values it changed, not the whole
    document again (the nations, the relations, the records...)."""
    values = state.__dict__
    parts = []
    for index, (name, key, adapter) in enumerate(_STATE_ENCODERS):
        value = values[name]
        if type(value) is dict:  # a dict could change in place: always encoded anew
            parts.append(key + adapter.dump_json(value))
            continue
        cache_key = (index, id(value))
        entry = _ENCODED.get(cache_key)
        if entry is None or entry[0] is not value:
            if len(_ENCODED) >= _ENCODED_KEPT:
                _ENCODED.clear()
            # The value is kept with its encoding: its id is not reused while it lives.
            entry = (value, key + adapter.dump_json(value))
            _ENCODED[cache_key] = entry
        parts.append(entry[1])
    return b"{" + b",".join(parts) + b"}"


def _state_encoders() -> tuple[tuple[str, bytes, TypeAdapter[Any]], ...]:
    """Each field of a state: its name, its JSON key (`"name":`) and its encoder."""
    hints = get_type_hints(GameState, include_extras=True)
    return tuple(
        (f.name, b'"' + f.name.encode() + b'":', TypeAdapter(hints[f.name]))
        for f in fields(GameState)
    )


_STATE_ENCODERS = _state_encoders()
# (field's index, id of its value) -> (the value, `"field":` and its JSON), shared by
# every game of the process; emptied when full (the next writes encode their states anew).
# Bounded low: it keeps the values it encoded alive, a resolved turn's whole state too.
_ENCODED: dict[tuple[int, int], tuple[Any, bytes]] = {}
_ENCODED_KEPT = 4096


_OUTCOMES_ADAPTER: TypeAdapter[tuple[Outcome, ...]] = TypeAdapter(tuple[Outcome, ...])


def outcomes_to_dicts(outcomes: tuple[Outcome, ...]) -> list[dict[str, Any]]:
    """JSON-ready outcomes, as `state_to_dict` writes them (without serialising a state)."""
    data: list[dict[str, Any]] = _OUTCOMES_ADAPTER.dump_python(outcomes, mode="json")
    return data


def state_from_dict(data: dict[str, Any]) -> GameState:
    return _STATE_ADAPTER.validate_python(data)
