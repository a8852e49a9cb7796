"""The resolution's tuning constants: the numbers behind every factor and consequence."""

from __future__ import annotations

from app.rules.state import Result

# How much each extra interoperability standard among contributors costs (seed: "compatible
# communication systems, procedures and equipment"); intelligence sharing between
# contributors wins some of it back.
INTEROPERABILITY_PENALTY = 0.15
INTEROPERABILITY_FLOOR = 0.55
INTEL_SHARING_BONUS = 0.05
# Friction each extra nation adds under each command structure (seed: "unity of command";
# an integrated multinational HQ beats parallel national chains).
COMMAND_PENALTY = {"integrated": 0.03, "lead_nation": 0.07, "parallel": 0.15}
COMMAND_FLOOR = {"integrated": 0.8, "lead_nation": 0.65, "parallel": 0.5}
COMMAND_SCORE = {"integrated": 90, "lead_nation": 70, "parallel": 45}
# One unit of lift strength sustains this much other strength beyond a nation's first
# LIFT_FREE strength (which it can move itself).
LIFT_RATIO = 4
LIFT_FREE = 4
SUPPORT_FOR_RESULT: dict[Result, int] = {"success": 3, "partial": 1, "failure": -3}
# A fallen government's successor starts this far above the leadership threshold (at most
# 50): below every support objective, so a fall never helps one (see docs/rules/incentives.md).
NEW_GOVERNMENT_HONEYMOON = 10
# Trust bought with aid (seed: token gestures buy little): at most AID_TRUST_MAX per gift,
# approached as the gift nears AID_MEANS_SCALE x the giver's capacity; each earlier gift
# from the same giver to the same receiver within AID_WINDOW turns divides it again.
AID_TRUST_MAX = 10
AID_MEANS_SCALE = 0.1
AID_WINDOW = 3
CASUALTY_FACTOR: dict[Result, float] = {"success": 0.5, "partial": 1.0, "failure": 1.5}
# Cohesion moves this far towards what trust, alignment, fairness and command justify.
COHESION_INERTIA = 0.5
COHESION_WEIGHTS = {"trust": 0.35, "alignment": 0.2, "fairness": 0.25, "command": 0.2}
# Mass matters up to a point: a force twice the difficulty doubles the odds' basis, more
# adds nothing (seed: overwhelming force compensates for friction, within limits).
FORCE_RATIO_CAP = 2.0
# How fast the chance of success rises with effectiveness x force ratio: 1.1 gives about
# two chances in three for a fully effective force that matches the difficulty.
SUCCESS_STEEPNESS = 1.1
# Escalation pressure: every hard-power operation pushes the adversary up the ladder;
# relief that works, and a coalition deterring as one, pull it down.
HARD_POWER_PRESSURE = 0.5
SOFT_POWER_RELIEF: dict[str, float] = {"success": -1.0, "partial": -0.5}
CIVILIAN_HARM_PRESSURE = 1.0
UNITED_DETERRENCE = -0.5
# Defensive hard power provokes half as much, and a united defensive posture deters
# twice as credibly (seed: reassurance without provocation).
DEFENSIVE_FACTOR = 0.5
# Difficulty added to every operation while escalation is past the threshold.
CRISIS_SURCHARGE = 2
DIFFICULTY_FLOOR = 1
