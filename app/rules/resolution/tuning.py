"""The resolution's tuning constants: the numbers behind every factor and consequence."""

from __future__ import annotations

from dataclasses import dataclass

from app.rules.state import Result

# How much interoperability a force loses for the share of its strength that is not on
# its main standard (seed: "compatible communication systems, procedures and equipment"):
# half the force on other standards costs over a quarter of its effectiveness. Each
# intelligence-sharing agreement between contributors wins some of it back.
INTEROPERABILITY_PENALTY = 0.55
INTEROPERABILITY_FLOOR = 0.5
INTEL_SHARING_BONUS = 0.04
# Friction each extra nation adds under each command structure (seed: "unity of command";
# an integrated multinational HQ barely notices another nation, parallel national chains
# pay for every one).
COMMAND_PENALTY = {"integrated": 0.01, "lead_nation": 0.04, "parallel": 0.1}
COMMAND_FLOOR = {"integrated": 0.9, "lead_nation": 0.7, "parallel": 0.5}
COMMAND_SCORE = {"integrated": 90, "lead_nation": 70, "parallel": 45}
# One unit of lift strength sustains this much other strength beyond a nation's first
# LIFT_FREE strength (which it can move itself).
LIFT_RATIO = 4
LIFT_FREE = 4
# Domestic support, one model (docs/rules/domestic-politics.md): what each cause moves it
# by. A result, for each contributor (a success's or partial's credit scaled by its share
# of the force, up to an even share; a failure costs every contributor in full):
SUPPORT_FOR_RESULT: dict[Result, int] = {"success": 3, "partial": 1, "failure": -3}
# Each unit of casualties, and each operation that harmed civilians, for each contributor.
CASUALTY_SUPPORT = -2
# Legitimacy keeps support for hard power (seed: operations without a mandate cost public
# opinion), judged once a turn: a government that used hard power without a mandate this
# turn loses NO_MANDATE_SUPPORT (however many operations), one whose hard power all had a
# mandate, a cause the world endorsed, gains MANDATE_SUPPORT; losses under a mandate cost
# MANDATED_CASUALTY_SUPPORT a unit instead of CASUALTY_SUPPORT. Force on its own soil is
# judged by neither.
NO_MANDATE_SUPPORT = -3
MANDATE_SUPPORT = 1
MANDATED_CASUALTY_SUPPORT = -1
CIVILIAN_HARM_SUPPORT = -4
# Costs against the nation's size (its capacity, the measure of its fair share): this many
# points for a turn's bill as large as its capacity (a tenth of it costs 0.6), felt in whole
# points (a bill under a sixth of its capacity goes unnoticed), never more than
# COST_SUPPORT_MAX a turn. A great power barely notices what bleeds a small one dry; a
# treasury spent at a fair pace does not cost more as it runs down.
COST_SUPPORT = -6
COST_SUPPORT_MAX = -4
# Contribution against size: a public that pays for partners resents it. Carrying more of
# a coalition's costs this turn than the nation's capacity share plus BURDEN_AT_HOME_SLACK
# costs this many points per whole share beyond it (once the coalition spent at least
# BURDEN_AT_HOME_FLOOR); in several coalitions, the worst one counts.
BURDEN_AT_HOME = -12
BURDEN_AT_HOME_SLACK = 0.15
BURDEN_AT_HOME_FLOOR = 10
# ...and a fair burden sustains it (seed: success and fair burden sustain support): a member
# that carried from FAIR_BURDEN_FLOOR of its fair share up to the tolerated excess gains
# FAIR_BURDEN_SUPPORT, once a turn.
FAIR_BURDEN_SUPPORT = 1
FAIR_BURDEN_FLOOR = 0.5
# A private talk the press reports costs each of its members this much.
LEAK_SUPPORT = -2
# Every government pays this while the crisis is past its threshold.
CRISIS_SUPPORT = -1
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


@dataclass(frozen=True)
class Column:
    """One column of the combat results table: the lowest effectiveness x force ratio that
    reaches it, and the chances of success and of a partial result it gives."""

    label: str
    lowest: float
    success: float
    partial: float


# The combat results table, printed for the players as it is read here. An attempt below
# the first column, or whose capability match or force ratio is under the minimum, makes
# no progress at all ("no effect"): a token unit gets nothing (seed: contributions must
# be real capabilities, not flags). Both chances grow with the column; a fully effective
# force at twice the difficulty reaches the last one.
RESULTS_TABLE: tuple[Column, ...] = (
    Column("0", 0.0, 0.0, 0.0),
    Column("1", 0.25, 0.1, 0.15),
    Column("2", 0.5, 0.35, 0.18),
    Column("3", 0.75, 0.52, 0.19),
    Column("4", 1.0, 0.63, 0.2),
    Column("5", 1.25, 0.71, 0.2),
    Column("6", 1.5, 0.76, 0.2),
    Column("7", 1.75, 0.78, 0.2),
    Column("8", 2.0, 0.79, 0.2),
)
# Under these an attempt has no effect whatever the rest (the "no effect" column).
MIN_CAPABILITY_MATCH = 0.25
MIN_FORCE_RATIO = 0.25
# Legitimacy of hard power (seed: a mandate, regional partners and the host nation make
# force acceptable, and so effective): a force acting alone, unmandated and far from home,
# starts at the base; a mandate under which it fights, a contributing or consenting host
# nation and a partner from the region each add.
LEGITIMACY_BASE = 0.6
MANDATE_LEGITIMACY = {"un": 0.25, "regional": 0.15, "none": 0.0}
HOST_NATION_LEGITIMACY = 0.1
REGIONAL_PARTNER_LEGITIMACY = 0.05
# Local knowledge: a contributor from the region knows the ground and the people.
LOCAL_KNOWLEDGE = 0.1
# Domestic support a nation loses for committing hard power against its coalition's
# decision, or beside a coalition it is not a member of.
ACTING_ALONE_SUPPORT = -2
# What foreign hard power on a host nation's territory, without the host taking part or
# granting basing there, costs the local population's attitude (sovereignty and consent).
SOVEREIGNTY_AFFRONT = 5
# Escalation pressure: every hard-power operation pushes the adversary up the ladder;
# relief that works, and a coalition deterring as one, pull it down.
HARD_POWER_PRESSURE = 0.5
SOFT_POWER_RELIEF: dict[str, float] = {"success": -1.0, "partial": -0.5}
CIVILIAN_HARM_PRESSURE = 1.0
UNITED_DETERRENCE = -0.5
# A mixed posture (seed: a "dual-track strategy maximizes leverage"; soft power alone "might
# be perceived as weakness"): mandated hard power beside relief that worked lets the
# adversary back down this many rungs above its table's `backs_down_at`.
MIXED_POSTURE_LEVERAGE = 1
# Defensive hard power provokes half as much, and a united defensive posture deters
# twice as credibly (seed: reassurance without provocation).
DEFENSIVE_FACTOR = 0.5
# Difficulty added to every operation while escalation is past the threshold.
CRISIS_SURCHARGE = 2
DIFFICULTY_FLOOR = 1
# A member's own reasons to walk out of its coalition (its grievance, in points), however
# cohesive the coalition is on average (seed: unfair burden sharing, broken promises,
# divergent interests and divided command break coalitions). A member defects when its
# grievance reaches GRIEVANCE_LIMIT; a lead that reaches it walks out, and the coalition
# collapses. Points per factor:
# - carrying more than its fair (capacity) share of the coalition's costs so far, per
#   point of share beyond GRIEVANCE_BURDEN_SLACK (only once the costs are real: at least
#   GRIEVANCE_BURDEN_FLOOR budget points carried by the coalition);
GRIEVANCE_BURDEN = 100
GRIEVANCE_BURDEN_SLACK = 0.15
GRIEVANCE_BURDEN_FLOOR = 20
# - pledges not kept: this many if its partners delivered none of the strength they
#   pledged to it for the last GRIEVANCE_MEMORY turns, in proportion to the shortfall;
# - partners using hard power against the coalition's decisions, or free riding on what
#   it carried (`burden_and_trust`'s test), in that time: this many if all of them did, in
#   proportion to their capacity for fewer (a great power's free riding is felt more);
GRIEVANCE_PLEDGE = 60
GRIEVANCE_UNILATERAL = 30
GRIEVANCE_FREE_RIDING = 20
GRIEVANCE_MEMORY = 3
# - distrust of its partners and divergent interests, per point under 50 (mean over them);
GRIEVANCE_DISTRUST = 0.8
GRIEVANCE_DIVERGENCE = 0.6
# - a divided command structure (each nation fights its own war);
GRIEVANCE_COMMAND = {"integrated": 0, "lead_nation": 5, "parallel": 15}
# - a coalition losing its cohesion, per point under 50;
GRIEVANCE_COHESION = 0.5
# Leaders committed to the alliance hold on longer.
GRIEVANCE_ALLIANCE = -10
GRIEVANCE_LIMIT = 40
# Members give a coalition this many turns from its founding before they judge it.
GRIEVANCE_PATIENCE = 2
# Domestic support each remaining member loses when a partner defects, and each member
# when its coalition collapses: a government whose coalition breaks looks weak at home.
DEFECTION_SUPPORT = -2
# A defector brings its combat forces home (seed: defection takes a member's forces from
# the coalition's operations): its government takes this national caveat.
WITHDRAWAL_CAVEAT = "no-combat"
COLLAPSE_SUPPORT = -4
# Trust with consequences, intelligence and interoperability (docs/rules/trust-and-intelligence.md).
# Shared intelligence bridges at most this share of the interoperability gap between
# contributors' standards (seed: intelligence sharing helps, it does not make equipment
# and procedures compatible).
INTEL_BRIDGE_SHARE = 0.5
# A partner withholds its intelligence from one it trusts less than this: the agreement
# stands, but the pair shares nothing (no gain in operations, no trust from it).
INTEL_TRUST_FLOOR = 35
# Each turn each pair sharing intelligence risks a leak (sovereignty: a partner's source
# exposed): this chance, less by the pair's history of cooperation (a pair at cooperation
# 100 leaks at half of it). A leak costs each party support and their trust in each other.
INTEL_LEAK_CHANCE = 0.04
INTEL_LEAK_SUPPORT = -2
INTEL_LEAK_TRUST = -4
# A history of cooperation (Relation.cooperation, 0-100) makes different standards work
# together: at 100 between every pair of contributors the mismatch costs this much less.
COOPERATION_BRIDGE = 0.8
# What builds a history of cooperation, per pair and turn: a joint success, a pledge
# honoured (with the partners it was made to), a combined exercise in force, liaison
# officers in force.
COOPERATION_JOINT_SUCCESS = 4
COOPERATION_PLEDGE = 3
COOPERATION_EXERCISE = 20
COOPERATION_LIAISON = 5
# A combined exercise costs each party this much budget each turn it is in force.
EXERCISE_COST = 2
# Trust eases command: the friction each extra nation adds is scaled by
# 1 - COMMAND_TRUST x (mean trust among the contributors - 50) / 50, so a force whose
# members trust one another at 100 has COMMAND_TRUST less friction, one at 0 that much more.
COMMAND_TRUST = 0.4
# Coordination in the coalition's channel this turn (its members talked there) takes this
# share off the command friction; the channel then risks a press leak like any talk.
COORDINATION_EASE = 0.4
COALITION_CHANNEL_LEAK_CHANCE = 0.1
# A host lets a partner it trusts less than this use its bases only in name: the basing
# agreement halves nobody's lift.
BASING_TRUST_FLOOR = 35
