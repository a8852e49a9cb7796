"""Turn resolution: a pure, seeded, explained function of the state.

`resolve_turn` adjudicates every operation (effectiveness = capability match x
interoperability x command unity x caveats x logistics x intelligence or local
cooperation x legitimacy; then a seeded roll against the column of the combat results
table, `RESULTS_TABLE`, that effectiveness x force ratio reaches), and then follows the
consequences the seed texts describe, in order:
casualties and civilian harm, escalation, the costs and who carries them (burden
sharing), the pledge ledger, trust, coalition cohesion (and defection or collapse),
domestic support (and leadership change), press leaks from talks, and the scenario's
injects. Every number that moves is recorded as a `Change` with its reason, so a student
can argue with it in the review.

The package, one module per job: `tuning` (the constants), `adjudication` (an
operation's factors and roll), the consequence steps (`escalation`, `burden`, `opinion`,
`cohesion`), and `turn` (`resolve_turn`, which runs them in order). The `Ledger` they
write to lives in `app.rules.ledger`, shared with the injects.
"""

from app.rules.ledger import Ledger
from app.rules.resolution.adjudication import adjudicated, resolve_operation
from app.rules.resolution.tuning import (
    BASING_TRUST_FLOOR,
    CASUALTY_FACTOR,
    CIVILIAN_HARM_PRESSURE,
    COHESION_INERTIA,
    COHESION_WEIGHTS,
    COMMAND_FLOOR,
    COMMAND_PENALTY,
    COMMAND_SCORE,
    CRISIS_SURCHARGE,
    DEFENSIVE_FACTOR,
    DIFFICULTY_FLOOR,
    EXERCISE_COST,
    FORCE_RATIO_CAP,
    HARD_POWER_PRESSURE,
    INTEL_SHARING_BONUS,
    INTEL_TRUST_FLOOR,
    INTEROPERABILITY_FLOOR,
    INTEROPERABILITY_PENALTY,
    LIFT_FREE,
    LIFT_RATIO,
    RESULTS_TABLE,
    SOFT_POWER_RELIEF,
    SUPPORT_FOR_RESULT,
    UNITED_DETERRENCE,
)
from app.rules.resolution.turn import phase_should_end, resolve_turn

__all__ = [
    "BASING_TRUST_FLOOR",
    "CASUALTY_FACTOR",
    "CIVILIAN_HARM_PRESSURE",
    "COHESION_INERTIA",
    "COHESION_WEIGHTS",
    "COMMAND_FLOOR",
    "COMMAND_PENALTY",
    "COMMAND_SCORE",
    "CRISIS_SURCHARGE",
    "DEFENSIVE_FACTOR",
    "DIFFICULTY_FLOOR",
    "EXERCISE_COST",
    "FORCE_RATIO_CAP",
    "HARD_POWER_PRESSURE",
    "INTEL_SHARING_BONUS",
    "INTEL_TRUST_FLOOR",
    "INTEROPERABILITY_FLOOR",
    "INTEROPERABILITY_PENALTY",
    "LIFT_FREE",
    "LIFT_RATIO",
    "RESULTS_TABLE",
    "SOFT_POWER_RELIEF",
    "SUPPORT_FOR_RESULT",
    "UNITED_DETERRENCE",
    "Ledger",
    "adjudicated",
    "phase_should_end",
    "resolve_operation",
    "resolve_turn",
]
