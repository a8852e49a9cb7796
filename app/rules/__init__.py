"""The pure game model: no database, web, clock or global randomness (DESIGN.md section 3).

`apply(state, actor, action)` returns a new state or a `Rejection`; `legal_actions` lists
what an actor may do; `view(state, viewer)` decides what each role sees; `advance(state,
now)` resolves a turn, seeded and explained.
"""

from app.rules.actions import (
    Accepted,
    Action,
    CommitUnit,
    Event,
    Rejection,
    SetReady,
    WithdrawUnit,
    apply,
    join_seat,
    legal_actions,
    parse_action,
)
from app.rules.game import advance, new_game
from app.rules.resolution import phase_should_end, resolve_turn
from app.rules.state import (
    Escalation,
    GameState,
    Nation,
    Operation,
    Outcome,
    Phase,
    Region,
    Unit,
    state_from_dict,
    state_to_dict,
)
from app.rules.views import Viewer, view, view_event

__all__ = [
    "Accepted",
    "Action",
    "CommitUnit",
    "Escalation",
    "Event",
    "GameState",
    "Nation",
    "Operation",
    "Outcome",
    "Phase",
    "Region",
    "Rejection",
    "SetReady",
    "Unit",
    "Viewer",
    "WithdrawUnit",
    "advance",
    "apply",
    "join_seat",
    "legal_actions",
    "new_game",
    "parse_action",
    "phase_should_end",
    "resolve_turn",
    "state_from_dict",
    "state_to_dict",
    "view",
    "view_event",
]
