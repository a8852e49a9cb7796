"""Words for why an action (a player's or control's) was refused.

A rejection is never stored: it goes straight back to whoever acted, so its parameters
are the names the player reads (a unit's, a nation's), worded without a state.
"""

from __future__ import annotations

from enum import StrEnum, auto

from app.rules.wording.base import N_, Said, Words, gettext, term


class RejectionReason(StrEnum):
    # Values are prefixed: a rejection's code never collides with a change's or a feed line's.
    @staticmethod
    def _generate_next_value_(name: str, start: int, count: int, last_values: list[str]) -> str:
        return f"rejected.{name.lower()}"

    # --- text that may not be stored: the end of a sentence (`app/rules/text.py`) ---
    TEXT_FORBIDDEN_CHARACTER = auto()
    TEXT_NOT_ONE_LINE = auto()
    TEXT_TOO_LONG = auto()
    TEXT_NESTED_TOO_DEEP = auto()
    TEXT_BAD_FIELD_NAME = auto()
    TEXT_TOO_MANY_STRINGS = auto()
    # --- reading an action (parse_action) ---
    NOT_AN_OBJECT = auto()
    BAD_TEXT = auto()
    UNKNOWN_ACTION = auto()
    GIVE_UNIT_TO_WITHDRAW = auto()
    GIVE_PROPOSAL_TO_SIGN = auto()
    GIVE_PROPOSAL_TO_REJECT = auto()
    GIVE_PROPOSAL_TO_WITHDRAW = auto()
    GIVE_PROPOSAL_TO_COUNTER = auto()
    GIVE_UNIT_TO_RECLAIM = auto()
    GIVE_UNIT_TO_RED_CARD = auto()
    GIVE_COALITION_TO_LEAVE = auto()
    GIVE_UNIT_TO_TRANSFER = auto()
    GIVE_COALITION = auto()
    GIVE_CHANNEL = auto()
    GIVE_MESSAGE = auto()
    CHOOSE_UNIT_TO_COMMIT = auto()
    CHOOSE_OPERATION = auto()
    READY_NOT_TRUE_OR_FALSE = auto()
    AGREEMENT_KIND_UNKNOWN = auto()
    PARTIES_NOT_A_LIST = auto()
    TERMS_MALFORMED = auto()
    MEMBERS_NOT_A_LIST = auto()
    # --- orders ---
    WRONG_PHASE = auto()
    NO_SUCH_NATION = auto()
    NO_SUCH_UNIT = auto()
    NO_SUCH_OPERATION = auto()
    OVER_BUDGET = auto()
    CAVEAT_NO_COMBAT = auto()
    CAVEAT_HOME_REGION_ONLY = auto()
    UNDER_COALITION_COMMAND = auto()
    OUTSIDE_MANDATE = auto()
    TASKING_REFUSED = auto()
    OPERATION_NOT_YET_OPEN = auto()
    OPERATION_NOT_OPEN = auto()
    ALREADY_COMMITTED = auto()
    NOT_COMMITTED = auto()
    TASKED_BY_COALITION = auto()
    NOT_A_MEMBER = auto()
    ALREADY_TRANSFERRED = auto()
    COMMITTED_BEFORE_TRANSFER = auto()
    NOT_TRANSFERRED = auto()
    TASKED_BEFORE_RECLAIM = auto()
    NOTHING_TO_REFUSE = auto()
    # --- talks ---
    NOT_IN_CHANNEL = auto()
    MESSAGE_TOO_LONG = auto()
    CHANNEL_NEEDS_ANOTHER_NATION = auto()
    CHANNEL_EXISTS = auto()
    BAD_CHANNEL_NAME = auto()
    PROPOSER_NOT_A_PARTY = auto()
    PARTY_LISTED_TWICE = auto()
    TOO_FEW_PARTIES = auto()
    TOO_MANY_PROPOSALS = auto()
    NO_SUCH_PROPOSAL = auto()
    PROPOSAL_NOT_OPEN = auto()
    NOT_THE_PROPOSER = auto()
    ALREADY_SIGNED = auto()
    OWN_PROPOSAL = auto()
    NO_LONGER_POSSIBLE = auto()
    # --- an agreement's terms ---
    TERM_NOT_A_PARTY = auto()
    AID_TO_ITSELF = auto()
    AID_AMOUNT = auto()
    AID_OVER_BUDGET = auto()
    BASING_REGION = auto()
    BASING_NOBODY_HOSTS = auto()
    BASING_NOT_HOST = auto()
    NO_SUCH_COALITION = auto()
    LEAD_NOT_A_PARTY = auto()
    ALL_ALREADY_MEMBERS = auto()
    DEFECTED = auto()
    COMMAND_STRUCTURE = auto()
    NOT_AN_ACTIVE_COALITION = auto()
    NOT_THE_MEMBERS = auto()
    COST_SHARING_OPERATION = auto()
    COST_SHARE = auto()
    PLEDGE_OPERATION = auto()
    PLEDGE_STRENGTH = auto()
    PLEDGE_TURN = auto()
    STATEMENT_TEXT = auto()
    NGO = auto()
    NGO_REFUSES_ATTITUDE = auto()
    NGO_REFUSES_HARM = auto()
    # --- seats ---
    NO_PERSONALITY = auto()
    GAME_ENDED = auto()
    SEAT_TAKEN_BACK_FOR = auto()
    NOT_A_BOT = auto()
    STALE_TURN = auto()
    TURN_NOT_YET = auto()
    SEAT_HELD_BY_BOT = auto()
    # --- mandates ---
    GIVE_COALITION_FOR_MANDATE = auto()
    GIVE_COUNCIL = auto()
    ONLY_LEAD_ASKS = auto()
    NOT_A_COUNCIL = auto()
    HAS_MANDATE = auto()
    ASKED_THIS_TURN = auto()
    # --- the red cell ---
    NOT_RED_CELL = auto()
    RED_MOVE_UNKNOWN = auto()
    RED_TEXT_NOT_TEXT = auto()
    LADDER_AT_TOP = auto()
    NO_PROBES = auto()
    SIGNAL_NEEDS_WORDS = auto()
    NO_ADVERSARY = auto()
    RED_CELL_NOT_A_NATION = auto()
    RED_CELL_NOT_YOURS = auto()
    TERMS_NOT_YET = auto()
    NO_TERMS_IN_THIS_CRISIS = auto()
    # --- control ---
    UNKNOWN_CONTROL_ACTION = auto()
    NO_MOMENT = auto()
    MINUTES = auto()
    HOLD_ON_OR_OFF = auto()
    MOMENT_ENDED = auto()
    MOMENT_NOT_BEGUN = auto()
    EXERCISE_ENDED = auto()
    CLOCK_NOT_RUNNING = auto()
    CLOCK_NOT_PAUSED = auto()
    EXTENSION_OUT_OF_RANGE = auto()
    NO_DEADLINE_TO_EXTEND = auto()
    PHASE_LENGTH_OUT_OF_RANGE = auto()
    ORDERS_NOT_RUNNING = auto()
    NO_NATION = auto()
    NOTHING_HELD = auto()
    NO_SUCH_CHANNEL = auto()
    NOTHING_TO_SEND = auto()
    OVERRIDE_NOT_HELD = auto()
    OPERATION_NOT_RESOLVED = auto()
    BAD_RESULT = auto()
    OVERRIDE_REASON_REQUIRED = auto()
    NO_SUCH_EVENT = auto()
    ALREADY_FIRED = auto()
    INJECT_INCOMPLETE = auto()


R = RejectionReason


def _under_coalition_command(said: Said) -> str:
    # The coalition's name, or, should it be gone, no name.
    if said.get("coalition"):
        return said.say(N_("{unit} is under the command of {coalition}; reclaim it first."))
    return said.say(N_("{unit} is under the command of a coalition; reclaim it first."))


def _inner(said: Said) -> str:
    """The words of the reason a rejection wraps (its code in `fault`, its parameters in
    `fault_params`): a text's fault, or why a deal's terms no longer hold."""
    inner, params = WORDS[said["fault"]], Said(said["fault_params"], said.state)
    return inner(params) if callable(inner) else params.say(inner)


def _moment(turn: int, phase: str | None) -> str:
    """`turn 3's orders phase`, `turn 3's adjudication`, or (phase None) `turn 3`."""
    if phase is None:
        return gettext(N_("turn {turn}")).format(turn=turn)
    if phase == "adjudication":
        return gettext(N_("turn {turn}'s adjudication")).format(turn=turn)
    return gettext(N_("turn {turn}'s {phase} phase")).format(turn=turn, phase=term(phase))


def _moment_ended(said: Said) -> str:
    told = _moment(said["at_turn"], said["at_phase"])
    shown = _moment(said["shown_turn"], said["shown_phase"])
    return said.say(
        N_("{told} has already ended; the console now shows {shown}. Nothing was changed."),
        told=told[:1].upper() + told[1:],
        shown=shown,
    )


def _moment_not_begun(said: Said) -> str:
    told = _moment(said["at_turn"], said["at_phase"])
    shown = _moment(said["shown_turn"], said["shown_phase"])
    return said.say(
        N_(
            "This was meant for {told}, which has not begun; the console now shows {shown}. "
            "Nothing was changed."
        ),
        told=told,
        shown=shown,
    )


WORDS: dict[str, Words] = {
    R.TEXT_FORBIDDEN_CHARACTER: N_("contains a character that is not allowed ({character})"),
    R.TEXT_NOT_ONE_LINE: N_("must fit on one line"),
    R.TEXT_TOO_LONG: N_("may be at most {limit} characters long"),
    R.TEXT_NESTED_TOO_DEEP: N_("is nested more than {limit} levels deep"),
    R.TEXT_BAD_FIELD_NAME: N_("has a field name that is not allowed"),
    R.TEXT_TOO_MANY_STRINGS: N_("carries more than {limit} pieces of text"),
    R.NOT_AN_OBJECT: N_("An action must be an object with a 'kind'."),
    R.BAD_TEXT: lambda said: said.say(N_("'{where}' {fault}."), fault=_inner(said)),
    R.UNKNOWN_ACTION: N_("Unknown action kind {kind!r}."),
    R.GIVE_UNIT_TO_WITHDRAW: N_("Give a unit to withdraw."),
    R.GIVE_PROPOSAL_TO_SIGN: N_("Give the proposal to sign."),
    R.GIVE_PROPOSAL_TO_REJECT: N_("Give the proposal to reject."),
    R.GIVE_PROPOSAL_TO_WITHDRAW: N_("Give the proposal to withdraw."),
    R.GIVE_PROPOSAL_TO_COUNTER: N_("Give the proposal to counter."),
    R.GIVE_UNIT_TO_RECLAIM: N_("Give the unit to reclaim."),
    R.GIVE_UNIT_TO_RED_CARD: N_("Give the unit whose tasking you refuse."),
    R.GIVE_COALITION_TO_LEAVE: N_("Give the coalition to leave."),
    R.GIVE_UNIT_TO_TRANSFER: N_("Give the unit to place under coalition command."),
    R.GIVE_COALITION: N_("Give the coalition."),
    R.GIVE_CHANNEL: N_("Give a channel."),
    R.GIVE_MESSAGE: N_("Give a message."),
    R.CHOOSE_UNIT_TO_COMMIT: N_("Choose a unit to commit."),
    R.CHOOSE_OPERATION: N_("Choose an operation to commit the unit to."),
    R.READY_NOT_TRUE_OR_FALSE: N_("'ready' must be true or false."),
    R.AGREEMENT_KIND_UNKNOWN: N_("'agreement' must be one of: {kinds:list}."),
    R.PARTIES_NOT_A_LIST: N_("'parties' must list the nations party to the deal."),
    R.TERMS_MALFORMED: N_("'terms' must map names to text or whole numbers."),
    R.MEMBERS_NOT_A_LIST: N_("'members' must list the nations in the channel."),
    R.WRONG_PHASE: N_("Orders are closed during the {phase:term} phase."),
    R.NO_SUCH_NATION: N_("There is no nation {nation_id!r} in this game."),
    R.NO_SUCH_UNIT: N_("{nation} has no unit {unit_id!r}."),
    R.NO_SUCH_OPERATION: N_("There is no operation {operation_id!r}."),
    R.OVER_BUDGET: (
        N_(
            "Committing {unit} would bring this turn's cost to {cost}, over {nation}'s budget of "
            "{budget}."
        )
    ),
    R.CAVEAT_NO_COMBAT: (
        N_(
            "{nation}'s national caveat 'no-combat' forbids committing forces to {operation}, a "
            "hard-power operation."
        )
    ),
    R.CAVEAT_HOME_REGION_ONLY: (
        N_(
            "{nation}'s national caveat 'home-region-only' keeps {unit} out of {operation}, "
            "outside its home region."
        )
    ),
    R.UNDER_COALITION_COMMAND: _under_coalition_command,
    R.OUTSIDE_MANDATE: (
        N_(
            "{operation} is not one of {coalition}'s operations, so units under its command "
            "cannot be tasked there."
        )
    ),
    R.TASKING_REFUSED: N_("{owner} has refused the tasking of {unit} this turn."),
    R.OPERATION_NOT_YET_OPEN: N_("{operation} opens on turn {turn}."),
    R.OPERATION_NOT_OPEN: N_("{operation} is {status:term}."),
    R.ALREADY_COMMITTED: N_("{unit} is already committed to {operation}; withdraw it first."),
    R.NOT_COMMITTED: N_("{unit} is not committed to any operation."),
    R.TASKED_BY_COALITION: (
        N_("{unit} was tasked by the coalition; refuse the tasking with a red card instead.")
    ),
    R.NOT_A_MEMBER: N_("{nation} is not a member of {coalition_id!r}."),
    R.ALREADY_TRANSFERRED: N_("{unit} is already under coalition command."),
    R.COMMITTED_BEFORE_TRANSFER: N_("{unit} is committed; withdraw it before transferring."),
    R.NOT_TRANSFERRED: N_("{unit} is under national command already."),
    R.TASKED_BEFORE_RECLAIM: (
        N_("{unit} is tasked this turn; refuse the tasking with a red card first.")
    ),
    R.NOTHING_TO_REFUSE: N_("The coalition has not tasked {unit}; there is nothing to refuse."),
    R.NOT_IN_CHANNEL: N_("{nation} is not in channel {channel_id!r}."),
    R.MESSAGE_TOO_LONG: N_("A message may be at most {limit} characters long."),
    R.CHANNEL_NEEDS_ANOTHER_NATION: N_("A channel needs at least one other nation."),
    R.CHANNEL_EXISTS: N_("A channel with exactly these members exists."),
    R.BAD_CHANNEL_NAME: lambda said: said.say(N_("A channel's name {fault}."), fault=_inner(said)),
    R.PROPOSER_NOT_A_PARTY: N_("The proposer must be one of the parties."),
    R.PARTY_LISTED_TWICE: N_("A nation is listed twice among the parties."),
    R.TOO_FEW_PARTIES: N_("A {label} needs at least two parties: name another nation."),
    R.TOO_MANY_PROPOSALS: N_("{nation} has {count} open proposals; withdraw some first."),
    R.NO_SUCH_PROPOSAL: N_("There is no proposal {agreement_id!r} to you."),
    R.PROPOSAL_NOT_OPEN: N_("That proposal is {status:term}."),
    R.NOT_THE_PROPOSER: N_("Only the proposer can withdraw a proposal."),
    R.ALREADY_SIGNED: N_("{nation} has signed it already."),
    R.OWN_PROPOSAL: N_("You cannot answer your own proposal; withdraw it instead."),
    R.NO_LONGER_POSSIBLE: lambda said: said.say(
        N_("This deal is no longer possible: {fault}"), fault=_inner(said)
    ),
    R.TERM_NOT_A_PARTY: N_("'{key}' must name one of the parties."),
    R.AID_TO_ITSELF: N_("Aid goes from one party to another."),
    R.AID_AMOUNT: N_("'amount' must be a whole number from 1."),
    R.AID_OVER_BUDGET: N_("{giver} has {left} left, not {amount}."),
    R.BASING_REGION: N_("'region' must name a region of the map."),
    R.BASING_NOBODY_HOSTS: N_(
        "No government at the table rules {region}: nobody can grant basing there."
    ),
    R.BASING_NOT_HOST: N_(
        "{host} cannot grant basing in {region}: only the nation whose territory it is can."
    ),
    R.NO_SUCH_COALITION: N_("There is no coalition {coalition_id!r}."),
    R.LEAD_NOT_A_PARTY: N_("{lead}, the lead, must be a party."),
    R.ALL_ALREADY_MEMBERS: N_("Every party is already a member."),
    R.DEFECTED: N_(
        "{nation} walked out of {coalition} (it defected, or its new government "
        "withdrew): it is not taken back."
    ),
    R.COMMAND_STRUCTURE: N_("'command' must be one of {structures:list}."),
    R.NOT_AN_ACTIVE_COALITION: N_("'coalition_id' must name an active coalition."),
    R.NOT_THE_MEMBERS: N_("Every member of {coalition}, and only they, sign."),
    R.COST_SHARING_OPERATION: N_("'operation_id' must name an operation."),
    R.COST_SHARE: N_("'share' must be a percentage from 1 to 100."),
    R.PLEDGE_OPERATION: N_("'operation_id' must name an open operation."),
    R.PLEDGE_STRENGTH: N_("'strength' must be a whole number from 1."),
    R.PLEDGE_TURN: N_("'turn' must be from {first} to {last}."),
    R.STATEMENT_TEXT: N_("A joint statement needs a text of up to {limit} characters."),
    R.NGO: N_("'ngo' must name a non-governmental organisation."),
    R.NGO_REFUSES_ATTITUDE: N_(
        "{ngo} will not coordinate with the coalition effort: its "
        "attitude is {attitude}, under {needed} (civilian harm lowers it, relief that works "
        "raises it)."
    ),
    R.NGO_REFUSES_HARM: N_(
        "{ngo} will not coordinate with {nations:list}, whose forces have "
        "harmed civilians where it works."
    ),
    R.NO_PERSONALITY: N_("Name the personality of the bot that is to play the seat."),
    R.GAME_ENDED: N_("The game has ended: there is nothing left to play."),
    R.SEAT_TAKEN_BACK_FOR: N_("A seat taken back from a bot is 'human' or 'vacant'."),
    R.NOT_A_BOT: N_("{nation} is not played by a bot."),
    R.TURN_NOT_YET: (
        N_(
            "This order was given for turn {turn}, but the game is on turn {current}: it was not "
            "applied. Reload the page to see the game as it stands."
        )
    ),
    R.STALE_TURN: (
        N_(
            "Turn {turn} has already been resolved, so this order was not applied. Review the "
            "results and give your orders for turn {current}."
        )
    ),
    R.SEAT_HELD_BY_BOT: N_("{nation} is played by a bot; ask control to hand the seat back."),
    R.GIVE_COALITION_FOR_MANDATE: N_("Give the coalition that asks for a mandate."),
    R.GIVE_COUNCIL: N_("Give the council asked for a mandate ('actor_id')."),
    R.ONLY_LEAD_ASKS: N_(
        "Only a coalition's lead asks for its mandate; {nation} does not lead it."
    ),
    R.NOT_A_COUNCIL: N_("{actor_id!r} is no council that gives mandates."),
    R.HAS_MANDATE: N_("{coalition} already has {mandate:a_mandate}."),
    R.ASKED_THIS_TURN: N_(
        "{council} has already answered this coalition this turn; ask again next turn."
    ),
    R.NOT_RED_CELL: N_("Only the red cell, playing the adversary, makes the adversary's moves."),
    R.RED_MOVE_UNKNOWN: N_("The adversary's move must be one of {moves:list}, not {move!r}."),
    R.RED_TEXT_NOT_TEXT: N_("The move's words ('text') must be text."),
    R.LADDER_AT_TOP: N_("The crisis is already at the top of its ladder (level {level})."),
    R.NO_PROBES: N_("This adversary's reaction table has no probes: choose another move."),
    R.SIGNAL_NEEDS_WORDS: N_("A signal needs its words: what does the adversary say?"),
    R.NO_ADVERSARY: N_(
        "This scenario has no adversary with a reaction table for a red cell to play."
    ),
    R.RED_CELL_NOT_YOURS: N_(
        "Control has given the adversary to the red-cell bot or back to its "
        "reaction table: your moves are not taken now."
    ),
    R.TERMS_NOT_YET: N_(
        "The adversary accepts terms only once the crisis is down to level {at} (it is at {level})."
    ),
    R.NO_TERMS_IN_THIS_CRISIS: N_(
        "In this crisis the adversary never accepts terms: it ends with the exercise."
    ),
    R.RED_CELL_NOT_A_NATION: (
        N_(
            "The red cell plays the adversary: its moves are hold, escalate, probe, signal, "
            "offer talks and accept terms."
        )
    ),
    R.UNKNOWN_CONTROL_ACTION: N_("Unknown control action {kind!r}."),
    R.NO_MOMENT: N_("This form does not say which turn it was meant for; reload the console."),
    R.MINUTES: N_("Give a whole number of minutes."),
    R.HOLD_ON_OR_OFF: N_("Say whether turns wait for control: 'hold' is on or off."),
    R.MOMENT_ENDED: _moment_ended,
    R.MOMENT_NOT_BEGUN: _moment_not_begun,
    R.EXERCISE_ENDED: N_("The exercise has ended."),
    R.CLOCK_NOT_RUNNING: N_("The clock is not running."),
    R.CLOCK_NOT_PAUSED: N_("The clock is not paused."),
    R.EXTENSION_OUT_OF_RANGE: N_("Extend by between 1 second and 24 hours."),
    R.NO_DEADLINE_TO_EXTEND: N_("Only the orders phase has a deadline to extend."),
    R.PHASE_LENGTH_OUT_OF_RANGE: N_("A phase lasts between 30 seconds and 7 days."),
    R.ORDERS_NOT_RUNNING: N_("The orders phase is not running."),
    R.NO_NATION: N_("There is no nation {nation_id!r}."),
    R.NOTHING_HELD: N_("No turn is waiting for adjudication."),
    R.NO_SUCH_CHANNEL: N_("There is no channel {channel_id!r}."),
    R.NOTHING_TO_SEND: N_("Write something to send."),
    R.OVERRIDE_NOT_HELD: N_("Outcomes can be adjudicated only while the turn is held."),
    R.OPERATION_NOT_RESOLVED: N_("No such operation is being resolved this turn."),
    R.BAD_RESULT: N_("A result is one of: {results:list}."),
    R.OVERRIDE_REASON_REQUIRED: N_("Record why control overrides the outcome."),
    R.NO_SUCH_EVENT: N_("The scenario has no event {event_id!r}."),
    R.ALREADY_FIRED: N_("'{event}' has already happened."),
    R.INJECT_INCOMPLETE: N_("An inject needs a title and a text."),
}

CODES: tuple[str, ...] = tuple(RejectionReason)
