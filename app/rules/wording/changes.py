"""Words for why a number moved (ledger changes), what each factor of an operation
measured, how an operation went, and how an objective stands."""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import StrEnum

from app.rules.reasons import TEXT
from app.rules.wording.base import (
    N_,
    Said,
    Words,
    a_mandate,
    deal,
    gettext,
    join_and,
    name_of,
    plural,
    term,
)


class ChangeReason(StrEnum):
    """Why a number in the ledger moved."""

    OPERATION_RESULT = "operation_result"
    CASUALTIES = "casualties"
    NO_MANDATE = "no_mandate"
    MANDATED = "mandated"
    CIVILIAN_HARM = "civilian_harm"
    COST_OF_OPERATIONS = "cost_of_operations"
    CRISIS_PAST_THRESHOLD = "crisis_past_threshold"
    GROUND_EFFECTS = "ground_effects"
    PRESS_LEAK = "press_leak_reported"
    NEW_GOVERNMENT = "new_government"
    BURDEN_AT_HOME = "burden_at_home"
    FAIR_BURDEN = "fair_burden"
    COSTS_SHARED_PAID = "costs_shared_paid"
    COSTS_SHARED_RECEIVED = "costs_shared_received"
    COST_OF_FORCES = "cost_of_forces"
    PLEDGE_HONOURED = "pledge_honoured"
    PLEDGE_BROKEN = "pledge_broken"
    FREE_RIDING = "free_riding"
    INTELLIGENCE_SHARED = "intelligence_shared"
    INTELLIGENCE_LEAKED = "intelligence_leaked"
    COMBINED_EXERCISE = "combined_exercise"
    LIAISON_OFFICERS = "liaison_officers"
    COOPERATION_AT_LIMIT = "cooperation_at_limit"
    JOINT_SUCCESS = "joint_success"
    UNILATERAL_HARD_POWER = "unilateral_hard_power"
    RED_CARD = "red_card_refused"
    OPERATION_ACCOMPLISHED = "operation_accomplished"
    OPERATION_OUT_OF_TIME = "operation_out_of_time"
    HARD_POWER_PRESSURE = "hard_power_pressure"
    RELIEF_WORKED = "relief_worked"
    DETERRENCE = "united_deterrence"
    THRESHOLD_CROSSED = "threshold_crossed"
    ADVERSARY_ANSWERS = "adversary_answers"
    RED_LINE_CROSSED = "red_line_crossed"
    ADVERSARY_PROBES = "adversary_probes"
    NOBODY_ACTS = "nobody_acts"
    CRISIS_MOMENTUM = "crisis_momentum"
    MISCALCULATION = "miscalculation"
    ADVERSARY_BACKS_DOWN = "adversary_backs_down"
    # The red cell's initiatives (app/rules/red_cell.py).
    RED_CELL_ESCALATES = "red_cell_escalates"
    RED_CELL_PROBES = "red_cell_probes"
    RED_CELL_SIGNALS = "red_cell_signals"
    RED_CELL_OFFERS_TALKS = "red_cell_offers_talks"
    RED_CELL_ACCEPTS_TERMS = "red_cell_accepts_terms"
    COHESION_DRIFT = "cohesion_drift"
    COALITION_COLLAPSES = "coalition_collapses"
    DEFECTION = "defection"
    NEW_CAVEAT = "new_caveat"
    NEW_BRIEF = "new_brief"
    OPERATION_OPENS = "operation_opens"
    MANDATE_GIVEN = "mandate_given"
    # A council's answer to a coalition that asked it for a mandate (app/rules/mandates.py).
    MANDATE_GRANTED = "mandate_granted"
    MANDATE_VETOED = "mandate_vetoed"
    MANDATE_DOUBTED = "mandate_doubted"
    MANDATE_TOO_FEW = "mandate_too_few"
    MANDATE_HARM = "mandate_harm"
    COUNCIL_ATTITUDE = "council_attitude"
    ACTING_AGAINST_COALITION = "acting_against_coalition"
    INTERVENING_UNILATERALLY = "intervening_unilaterally"
    # Issue 14, every change explained: what moved outside a resolution step's own lines.
    AGREEMENT_SIGNED = "agreement_signed"
    COALITION_LEFT = "coalition_left"
    TRUST_AT_LIMIT = "trust_at_limit"
    SUPPORT_AT_LIMIT = "support_at_limit"
    ROUNDED = "rounded_to_whole_points"
    PRESSURE_TO_LEVEL = "pressure_to_level"
    PRESSURE_AT_LADDER_END = "pressure_at_ladder_end"
    INCOME = "income"


class FactorName(StrEnum):
    """The factors of an operation's adjudication (`Factor.name`)."""

    CAPABILITY_MATCH = "capability_match"
    INTEROPERABILITY = "interoperability"
    COMMAND_UNITY = "command_unity"
    NATIONAL_CAVEATS = "national_caveats"
    LOGISTICS = "logistics"
    INTELLIGENCE = "intelligence"
    LOCAL_COOPERATION = "local_cooperation"
    FORCE_RATIO = "force_ratio"
    LEGITIMACY = "legitimacy"
    CONTROL_ADJUDICATION = "control_adjudication"


class FactorReason(StrEnum):
    """What a factor measured (`Factor.detail`)."""

    REQUIREMENTS_MET = "requirements_met"
    REQUIREMENTS_SHORT = "requirements_short"
    STANDARDS = "standards_among_contributors"
    COMMAND = "command_structure"
    NO_CAVEAT = "no_caveat"
    CAVEATS_REDUCE = "caveats_reduce"
    LIFT = "lift"
    ISR = "isr_strength"
    POPULATION = "population_attitude"
    STRENGTH_AGAINST_DIFFICULTY = "strength_against_difficulty"
    LEGITIMACY = "legitimacy_of_force"
    CONTROL_ADJUDICATED = "control_adjudicated"


class OutcomeReason(StrEnum):
    """How an operation went (`Outcome.summary`)."""

    NOT_ATTEMPTED = "outcome_not_attempted"
    ROLLED = "outcome_rolled"
    NO_EFFECT = "outcome_no_effect"
    ADJUDICATED = "outcome_adjudicated"


class Leaving(StrEnum):
    """What leaving a coalition would do (`diplomacy.leaving_costs`), said before it is done."""

    TRUST = "leaving_trust"
    NEW_LEAD = "leaving_new_lead"
    DISSOLVES = "leaving_dissolves"
    UNITS_HOME = "leaving_units_home"
    CHANNEL = "leaving_channel"


class Judgement(StrEnum):
    """How an objective stands (`scoring.Judged.detail`)."""

    PROGRESS = "objective_progress"
    PEAK_ESCALATION = "objective_peak_escalation"
    LOWEST_SUPPORT = "objective_lowest_support"
    SUPPORT = "objective_support"
    BUDGET = "objective_budget"
    COALITIONS = "objective_coalitions"
    INSIDE = "objective_inside_coalitions"
    OUTSIDE = "objective_outside_coalitions"
    COHESION = "objective_cohesion"
    DISSOLVED = "objective_dissolved"
    STILL_STANDING = "objective_still_standing"
    BURDEN_SHARE = "objective_burden_share"
    HARD_POWER_USED = "objective_hard_power_used"
    HARD_POWER_ORDERED = "objective_hard_power_ordered"
    NO_HARD_POWER = "objective_no_hard_power"
    TRUST = "objective_trust"
    FAIR_SHARE = "objective_fair_share"
    CRISIS = "objective_crisis"
    UNKNOWN_OBJECTIVE = "objective_unknown"


def _and(p: Said, ids: list[str]) -> str:
    return join_and([name_of(p.state, str(i)) for i in ids])


def _agreement_signed(p: Said) -> str:
    terms = p["terms"]
    parties = _and(p, p["parties"])
    if p["agreement"] == "aid":
        return p.say(
            N_("aid signed: {giver:nation} gives {amount} of its budget to {receiver:nation}"),
            giver=terms.get("from"),
            receiver=terms.get("to"),
            amount=terms.get("amount"),
        )
    if p["agreement"] == "coalition_membership":
        if "coalition_id" in terms:
            return p.say(
                N_("{all} sign to join {coalition:coalition}"),
                all=parties,
                coalition=terms["coalition_id"],
            )
        if "name" in terms:
            return p.say(N_("{all} found {name}"), all=parties, name=terms["name"])
        return p.say(N_("{all} found a coalition"), all=parties)
    kind = str(p["agreement"]).replace("_", " ")
    return p.say(N_("{kind} signed by {all}"), kind=deal(kind), all=parties)


_LEAVING = {
    "defection": N_("{nation:nation} defects from {coalition:coalition}"),
    "collapse": N_("{nation:nation} is left by the collapse of {coalition:coalition}"),
}


def _coalition_left(p: Said) -> str:
    return p.say(_LEAVING.get(str(p["why"]), N_("{nation:nation} leaves {coalition:coalition}")))


def _progress(p: Said) -> str:
    if p["progress"] is None:
        return gettext(N_("progress ?"))
    return p.say(N_("progress {progress:g}/{duration}"))


def _burden_share(p: Said) -> str:
    if p["share"] is None:
        return p.say(N_("burden share: no coalition (at most {limit:.0%})"))
    return p.say(N_("burden share {share:.0%} (at most {limit:.0%})"))


def _unit_name(said: Said, unit_id: str) -> str:
    unit = said.state.unit(unit_id) if said.state is not None else None
    return unit.name if unit is not None else unit_id


_DETERRING = {
    (True, False): N_("{coalition:coalition} deters in the field"),
    (True, True): N_("{coalition:coalition} deters in the field, defensively"),
    (False, False): N_("{coalition:coalition} deters with one voice"),
    (False, True): N_("{coalition:coalition} deters with one voice, defensively"),
}


def _deterrence(p: Said) -> str:
    return p.say(_DETERRING[(bool(p["in_field"]), bool(p["defensive"]))])


def _adversary_answers(p: Said) -> str:
    return p.say(
        N_(
            "the adversary answers {op:operation}: force size {size:g} (strength {strength} "
            "against difficulty {difficulty}, at most 2) x {rate:g} ({posture:term}) x "
            "{scale:g} (a {result:term})"
        )
    )


def _red_line(p: Said) -> str:
    if p.get("level") is not None:
        return p.say(
            N_(
                "red line crossed at {op:operation}: {line} (answered by climbing to level "
                "{level} at least)"
            )
        )
    return p.say(N_("red line crossed at {op:operation}: {line}"))


def _weak_signs(p: Said) -> str:
    signs = []
    if p["soft_only"]:
        signs.append(gettext(N_("soft power only")))
    if p["divided"]:
        signs.append(p.say(N_("no coalition at cohesion {below} or more")))
    if p["undeterred"]:
        signs.append(gettext(N_("nobody deterring as one")))
    return ", ".join(signs)


def _adversary_probes(p: Said) -> str:
    return p.say(
        N_("the adversary probes a coalition that looks weak: {signs}"), signs=_weak_signs(p)
    )


def _red_cell_probes(p: Said) -> str:
    if p["rebuffed"]:
        return gettext(
            N_(
                "the red cell probes a coalition that shows no weakness and is rebuffed: "
                "it gives ground"
            )
        )
    return p.say(N_("the red cell probes: {signs}"), signs=_weak_signs(p))


# What a bot (and `legal_red_moves`) says when its move needs words: stored in English
# in the game, like every rule's words, and said in the reader's language.
RED_CELL_DEFAULT_WORDS: dict[str, str] = {
    "signal": N_("Any further step by the coalition will be answered."),
    "offer_talks": N_("We are ready to talk, without preconditions."),
    "accept_terms": N_("We accept the coalition's terms."),
}


# The leader the rules name when a government falls and nobody is named to succeed it:
# stored in English in the game, said in the reader's language.
NEW_GOVERNMENT = N_("new government ({number})")
_NEW_GOVERNMENT = re.compile(r"new government \((\d+)\)")


def new_government(number: int) -> str:
    """The rules' name for a nation's `number`th government (as the game stores it)."""
    return NEW_GOVERNMENT.format(number=number)


def leader_said(leader: str) -> str:
    """A leader's name as the reader reads it: the rules' own names translated."""
    found = _NEW_GOVERNMENT.fullmatch(leader)
    return gettext(NEW_GOVERNMENT).format(number=found.group(1)) if found else leader


# The brief of a government the scenario names no successor for: stored in English in the
# game's log, said in the reader's language (with the nation's name as the reader reads it).
DEFAULT_BRIEF = N_(
    "A new government takes office in {nation} after support fell to {support}. It promises "
    "to bring costs under control."
)
DEFAULT_BRIEF_NO_COMBAT = N_(
    "A new government takes office in {nation} after support fell to {support}. It promises "
    "to bring costs under control and forbids combat operations (a new national caveat)."
)
_DEFAULT_BRIEF = re.compile(
    r"A new government takes office in (?P<nation>.+) after support fell to (?P<support>-?\d+)\. "
    r"It promises to bring costs under control(?P<no_combat> and forbids combat operations "
    r"\(a new national caveat\))?\."
)


def default_brief(nation: str, support: int, no_combat: bool) -> str:
    """The rules' brief for a default government (as the game stores it)."""
    brief = DEFAULT_BRIEF_NO_COMBAT if no_combat else DEFAULT_BRIEF
    return brief.format(nation=nation, support=support)


def brief_said(brief: str, names: Mapping[str, str]) -> str:
    """A new government's brief as the reader reads it: the rules' own brief translated
    (``names``: the nations' stored names and the reader's), a scenario's as it is."""
    found = _DEFAULT_BRIEF.fullmatch(brief)
    if found is None:
        return brief
    said = gettext(DEFAULT_BRIEF_NO_COMBAT if found["no_combat"] else DEFAULT_BRIEF)
    return said.format(nation=names.get(found["nation"], found["nation"]), support=found["support"])


def red_cell_said(text: str) -> str:
    """The red cell's words as the reader reads them: a bot's default words translated,
    a person's as they were written."""
    return gettext(text) if text in RED_CELL_DEFAULT_WORDS.values() else text


def _red_cell_words(before: str, quoting: str) -> Words:
    """The red cell's move (`before`), or, with its words, `quoting` ({text} is them)."""

    def said(p: Said) -> str:
        return p.say(quoting, text=red_cell_said(p["text"])) if p["text"] else gettext(before)

    return said


def _backs_down(p: Said) -> str:
    if p["deterred"] and p["ops"]:
        how = p.say(N_("the coalition deterred as one and {ops:names} succeeded"))
    elif p["deterred"]:
        how = gettext(N_("the coalition deterred as one"))
    else:
        how = p.say(N_("{ops:names} succeeded")) if p["ops"] else ""
    said = p.say(
        N_(
            "the adversary backs down and the crisis ends: escalation {level}, at or below "
            "{at}, and {how}"
        ),
        how=how,
    )
    if p.get("mixed"):
        said += gettext(N_("; mandated force beside relief that worked gave it a way out"))
    return said


def _cohesion_drift(p: Said) -> str:
    said = p.say(
        N_(
            "towards {target:.0f}: trust {trust:.0f}, alignment {alignment:.0f}, "
            "fairness {fairness:.0f}, {structure} command {command}"
        ),
        structure=term(p["command_structure"]),
    )
    if p["unmandated"]:
        said += gettext(N_("; hard power without a mandate divides members"))
    if p["swing"]:
        said += p.say(N_("; results {swing:+d}"))
    return said


# A member's grievance factors (`cohesion.grievances`), in words.
_GRIEVANCE_WORDS = {
    "burden": N_("carrying more than its fair share"),
    "pledges": N_("pledges not kept"),
    "unilateral": N_("partners using force against the coalition's decisions"),
    "free_riding": N_("partners free riding"),
    "distrust": N_("distrust of its partners"),
    "divergence": N_("divergent interests"),
    "command": N_("divided command"),
    "cohesion": N_("a coalition coming apart"),
    "alliance": N_("committed to the alliance"),
}


def _grievance(p: Said) -> str:
    factors = ", ".join(
        f"{gettext(_GRIEVANCE_WORDS[name]) if name in _GRIEVANCE_WORDS else name.replace('_', ' ')}"
        f" {value:+g}"
        for name, value in dict(p["factors"]).items()
    )
    return p.say(
        N_("its grievance {grievance:.0f} reached the limit of {limit} ({factors})"),
        factors=factors,
    )


def _operation_result(p: Said) -> str:
    if "strength" in p and p["result"] != "failure" and p["of"]:
        return p.say(
            N_(
                "{result:term} of {op:operation} (strength {strength} of {of}; credit scales "
                "with the share, up to an even one)"
            )
        )
    return p.say(N_("{result:term} of {op:operation}"))


def _casualties(p: Said) -> str:
    if "losses" not in p:  # games stored before issue 15's domestic politics
        return p.say(N_("casualties in {op:operation}"))
    return p.say(N_("{losses} casualties in {op:operation} ({each} each)"))


def _cost_of_operations(p: Said) -> str:
    if "capacity" in p:
        share = p["spent"] / p["capacity"] if p["capacity"] else 1.0
        return p.say(
            N_(
                "cost of operations: {spent} spent, {share:.0%} of the nation's capacity of "
                "{capacity} (felt in whole points)"
            ),
            share=share,
        )
    if "means" not in p:
        return gettext(N_("cost of operations"))
    # Games stored before costs were measured against the nation's capacity.
    share = p["spent"] / p["means"] if p["means"] else 1.0
    return p.say(
        N_("cost of operations: {spent} spent of the {means} the treasury held ({share:.0%})"),
        share=share,
    )


def _new_government(p: Said) -> str:
    if "fallen" not in p:
        return gettext(N_("a new government"))
    return p.say(
        N_(
            "a new government: support fell to {fallen}, under the threshold of {threshold}; "
            "its successor starts {honeymoon} above the threshold"
        )
    )


# What a council weighs in a turn, stored in the reason as "<count> <what>"
# (app/rules/resolution/opinion.py); said in the reader's language.
CIVILIAN_HARM = N_("civilian harm (-5 each)")
UNLAWFUL_FORCE = N_("offensive operations without a mandate (-2 each)")
RELIEF_WORKED = N_("relief that worked (+1 each)")
_COUNCIL_WEIGHS = frozenset({CIVILIAN_HARM, UNLAWFUL_FORCE, RELIEF_WORKED})


def _council_judges(p: Said) -> str:
    why = []
    for item in p.get("why") or ():
        count, _, what = str(item).partition(" ")
        why.append(f"{count} {gettext(what)}" if what in _COUNCIL_WEIGHS else str(item))
    return p.say(N_("{council:actor} judges the turn: {why:list}"), why=why)


def _defection(p: Said) -> str:
    if "grievance" not in p:  # games stored before grievances: the least trusting walked out
        return p.say(N_("{defector} defects: it trusts its partners least ({loyalty:.0f})"))
    return p.say(N_("{defector:nation} defects: {why}"), why=_grievance(p))


def _collapses(p: Said) -> str:
    if "lead" in p:
        return p.say(
            N_("{coalition:coalition} collapses: its lead, {lead:nation}, walks out; {why}"),
            why=_grievance(p),
        )
    if "cohesion" in p:
        return p.say(
            N_("{coalition:coalition} collapses: cohesion {cohesion} is under {threshold}")
        )
    return p.say(N_("{coalition:coalition} collapses"))


def _shortfalls(p: Said) -> str:
    short = zip(p["capabilities"], p["supplied"], p["required"], strict=True)
    return p.say(
        N_("short of the requirement: {shortfalls}"),
        shortfalls=", ".join(f"{c} {s:g}/{r}" for c, s, r in short),
    )


def _standards(p: Said) -> str:
    standards = p["standards"]
    said = p.say(
        N_("{count} among contributors ({standards})"),
        count=plural(len(standards), "standard"),
        standards=", ".join(p.state.standard_name(t) if p.state else t for t in standards),
    )
    if p.get("mismatched"):
        said += p.say(N_(", {mismatched:.0%} of the strength off the main one"))
        if p.get("cooperation"):
            said += p.say(N_("; a history of cooperation of {cooperation:g} narrows the gap"))
    if p["sharing"]:
        said += p.say(
            N_("; {agreements} help"), agreements=plural(p["sharing"], _INTELLIGENCE_SHARING)
        )
        if "bridged" in p:
            said += p.say(N_(" (+{bridged:.3f}, at most half the gap)"))
    if p.get("withheld"):
        said += p.say(
            N_("; distrust withholds {agreements}"),
            agreements=plural(p["withheld"], _INTELLIGENCE_SHARING),
        )
    return said


_INTELLIGENCE_SHARING = "intelligence-sharing agreement"


def _command(p: Said) -> str:
    nations = plural(p["nations"], "nation")
    if p["coalition"]:
        said = p.say(
            N_("{nations} under {coalition:coalition}'s {structure} command"),
            nations=nations,
            structure=term(p["structure"]),
        )
    else:
        said = p.say(N_("{nations} under parallel national command"), nations=nations)
    if p["cohesion"] is not None:
        said += p.say(N_(", cohesion {cohesion}"))
    if p.get("trust") is not None:
        said += p.say(N_(", mutual trust {trust:g}"))
    if p.get("coordinated"):
        said += gettext(N_(", coordinated in the coalition's channel"))
    return said


def _lift(p: Said) -> str:
    said = (
        gettext(N_("no strategic lift needed"))
        if p["needed"] == 0
        else p.say(N_("lift {lift} of {needed} needed"))
    )
    if p["based"]:
        said += p.say(N_("; basing rights for {based:names}"))
    if p.get("refused"):
        said += p.say(N_("; a distrustful host keeps {refused:names} off its bases"))
    return said


def _legitimacy(p: Said) -> str:
    mandate = a_mandate(p["mandate"])
    host = p.say(N_("host nation {host:names}")) if p["host"] else gettext(N_("no host nation"))
    said = f"{mandate}; {host}"
    if p["regional"]:
        said += p.say(N_("; regional partners {regional:names}"))
    return said


def _local(p: Said) -> str:
    return p.say(N_("; local knowledge from {local:names}")) if p.get("local") else ""


def _rolled(p: Said) -> str:
    if "column" not in p:  # an outcome rolled before the results table
        return p.say(
            N_(
                "{op:operation}: {result:term} (roll {roll:.2f} against {success:.0%} success, "
                "{partial:.0%} partial; effectiveness {effectiveness:.2f})."
            )
        )
    return p.say(
        N_(
            "{op:operation}: {result:term} (effectiveness {effectiveness:.2f} x force ratio "
            "{force_ratio:.2f} = {score:.2f}: column {column}, {success:.0%} success, "
            "{partial:.0%} partial; roll {roll:.2f})."
        )
    )


def _no_effect(p: Said) -> str:
    if p["capability"] < p["min_capability"]:
        why = p.say(
            N_("capability match {capability:.2f} is under the minimum {min_capability:.2f}")
        )
    elif p["force_ratio"] < p["min_force_ratio"]:
        why = p.say(N_("force ratio {force_ratio:.2f} is under the minimum {min_force_ratio:.2f}"))
    else:
        why = p.say(
            N_(
                "effectiveness {effectiveness:.2f} x force ratio {force_ratio:.2f} = "
                "{score:.2f} is under column 1 ({min_score:.2f})"
            )
        )
    return p.say(
        N_(
            "{op:operation}: failure, no effect ({why}: column {column}, no chance of "
            "progress; roll {roll:.2f})."
        ),
        why=why,
    )


def _adjudicated_summary(p: Said) -> str:
    # The rules' summary (its code and parameters ride along), then control's word on it.
    before = p["summary"]
    rules_words = p["text"] if before == TEXT else WORDS[before]
    said = rules_words(p) if callable(rules_words) else p.say(rules_words)
    return said + p.say(
        N_(" Control adjudicated it a {result:term}: {why}"), result=p["adjudicated"]
    )


WORDS: dict[str, Words] = {
    ChangeReason.OPERATION_RESULT: _operation_result,
    ChangeReason.CASUALTIES: _casualties,
    ChangeReason.NO_MANDATE: lambda p: p.say(
        N_("{op:operation} has no mandate")
        if "ops" not in p  # games stored before legitimacy was judged once a turn
        else N_("hard power without a mandate this turn ({ops}; once a turn)"),
        ops=_and(p, p.get("ops", [])),
    ),
    ChangeReason.MANDATED: lambda p: p.say(
        N_("{op:operation} has a mandate: the public backs it")
        if "ops" not in p
        else N_("its hard power this turn had a mandate ({ops}): the public backs it"),
        ops=_and(p, p.get("ops", [])),
    ),
    ChangeReason.CIVILIAN_HARM: N_("civilian harm during {op:operation}"),
    ChangeReason.COST_OF_OPERATIONS: _cost_of_operations,
    ChangeReason.BURDEN_AT_HOME: N_(
        "carried {share:.0%} of {coalition:coalition}'s costs this "
        "turn against a fair share of {fair:.0%} (its capacity's; {slack:.0%} is tolerated)"
    ),
    ChangeReason.FAIR_BURDEN: N_(
        "carried {share:.0%} of {coalition:coalition}'s costs this turn against a fair share "
        "of {fair:.0%} (its capacity's): its part of a shared effort"
    ),
    ChangeReason.CRISIS_PAST_THRESHOLD: N_("the crisis is past its threshold"),
    ChangeReason.GROUND_EFFECTS: N_("what the operations did on the ground"),
    ChangeReason.PRESS_LEAK: lambda p: p.say(
        N_("the press reports private talks with {members}"), members=_and(p, p["members"])
    ),
    ChangeReason.NEW_GOVERNMENT: _new_government,
    ChangeReason.COSTS_SHARED_PAID: N_(
        "pays {share:percent} of {partner:nation}'s costs on {op:operation}"
    ),
    ChangeReason.COSTS_SHARED_RECEIVED: N_(
        "{payer:nation} pays {share:percent} of its costs on {op:operation}"
    ),
    ChangeReason.COST_OF_FORCES: N_("cost of committed forces"),
    ChangeReason.PLEDGE_HONOURED: N_(
        "{nation:nation} honoured its pledge of {strength} to "
        "{op:operation} (delivered {delivered})"
    ),
    ChangeReason.PLEDGE_BROKEN: N_(
        "{nation:nation} broke its pledge of {strength} to {op:operation} (delivered {delivered})"
    ),
    ChangeReason.FREE_RIDING: N_(
        "{rider:nation} carried {share:.0%} of {coalition:coalition}'s "
        "costs against a fair share of {fair:.0%}"
    ),
    ChangeReason.INTELLIGENCE_SHARED: N_("intelligence shared"),
    ChangeReason.INTELLIGENCE_LEAKED: N_(
        "intelligence shared by {nations:names} leaks to the press "
        "(roll {roll:.2f} under a chance of {chance:.3f}; history of cooperation {cooperation:g})"
    ),
    ChangeReason.COMBINED_EXERCISE: N_("a combined exercise of {nations:names}"),
    ChangeReason.LIAISON_OFFICERS: N_("liaison officers exchanged among {nations:names}"),
    ChangeReason.COOPERATION_AT_LIMIT: N_("a history of cooperation cannot go beyond {limit}"),
    ChangeReason.JOINT_SUCCESS: lambda p: (
        p.say(N_("a joint success at {op:operation}"))
        if p.get("op")
        else gettext(N_("a joint success"))
    ),
    ChangeReason.UNILATERAL_HARD_POWER: N_(
        "unilateral hard power at {op:operation}, outside {coalition:coalition}'s agreed operations"
    ),
    ChangeReason.RED_CARD: lambda p: p.say(
        N_("red card on the tasking of {unit_name}"), unit_name=_unit_name(p, p["unit"])
    ),
    ChangeReason.OPERATION_ACCOMPLISHED: N_("{op:operation} accomplished"),
    ChangeReason.OPERATION_OUT_OF_TIME: N_("{op:operation} ran out of time"),
    ChangeReason.HARD_POWER_PRESSURE: N_("hard power at {op:operation}"),
    ChangeReason.RELIEF_WORKED: N_("relief that worked at {op:operation}"),
    ChangeReason.DETERRENCE: _deterrence,
    ChangeReason.THRESHOLD_CROSSED: N_("the crisis crosses its threshold ({rung})"),
    ChangeReason.ADVERSARY_ANSWERS: _adversary_answers,
    ChangeReason.RED_LINE_CROSSED: _red_line,
    ChangeReason.ADVERSARY_PROBES: _adversary_probes,
    ChangeReason.NOBODY_ACTS: N_("the adversary presses on while nobody acts"),
    ChangeReason.CRISIS_MOMENTUM: N_("the crisis grows by itself until it is relieved"),
    ChangeReason.MISCALCULATION: N_(
        "the adversary miscalculates (roll {roll:.2f} under {chance:.2f})"
    ),
    ChangeReason.ADVERSARY_BACKS_DOWN: _backs_down,
    ChangeReason.RED_CELL_ESCALATES: N_("the red cell escalates: a deliberate step up the ladder"),
    ChangeReason.RED_CELL_PROBES: _red_cell_probes,
    ChangeReason.RED_CELL_SIGNALS: _red_cell_words(
        N_("the red cell signals"), N_("the red cell signals: \u201c{text}\u201d")
    ),
    ChangeReason.RED_CELL_OFFERS_TALKS: _red_cell_words(
        N_("the red cell offers talks"), N_("the red cell offers talks: \u201c{text}\u201d")
    ),
    ChangeReason.RED_CELL_ACCEPTS_TERMS: _red_cell_words(
        N_("the red cell accepts the coalition's terms and the crisis ends"),
        N_("the red cell accepts the coalition's terms and the crisis ends: \u201c{text}\u201d"),
    ),
    ChangeReason.COHESION_DRIFT: _cohesion_drift,
    ChangeReason.COALITION_COLLAPSES: _collapses,
    ChangeReason.DEFECTION: _defection,
    ChangeReason.NEW_CAVEAT: N_("new national caveat '{caveat:term}'"),
    ChangeReason.NEW_BRIEF: N_("a new government with a new brief"),
    ChangeReason.OPERATION_OPENS: N_("{op:operation} becomes possible"),
    ChangeReason.MANDATE_GIVEN: N_("{coalition:coalition} receives {mandate:a_mandate}"),
    ChangeReason.MANDATE_GRANTED: lambda p: p.say(
        N_(
            "{council:actor} grants {coalition:coalition} {what:a_mandate} (its attitude "
            "{attitude}): force it uses is now lawful in the world's eyes"
        ),
        what="un" if p["mandate"] == "un" else "regional",
    ),
    ChangeReason.MANDATE_VETOED: N_("{council:actor} gives no mandate: {by} vetoes it"),
    ChangeReason.MANDATE_DOUBTED: N_(
        "{council:actor} gives no mandate: its attitude to the "
        "coalition effort is {attitude}, it needs {needed} (civilian harm and offensive force "
        "without a mandate lower it; relief that works raises it)"
    ),
    ChangeReason.MANDATE_TOO_FEW: N_(
        "{council:actor} gives no mandate to a coalition of "
        "{members:count:member}: it needs {needed}"
    ),
    ChangeReason.MANDATE_HARM: N_(
        "{council:actor} gives no mandate while forces of "
        "{nations:names} have just harmed civilians"
    ),
    ChangeReason.COUNCIL_ATTITUDE: _council_judges,
    ChangeReason.ACTING_AGAINST_COALITION: N_(
        "hard power at {op:operation} against "
        "{coalition:coalition}'s decision (it has not adopted the operation)"
    ),
    ChangeReason.INTERVENING_UNILATERALLY: N_(
        "hard power at {op:operation} outside {coalition:coalition}, which runs it"
    ),
    ChangeReason.AGREEMENT_SIGNED: _agreement_signed,
    ChangeReason.COALITION_LEFT: _coalition_left,
    ChangeReason.TRUST_AT_LIMIT: N_("trust cannot go beyond {limit}"),
    ChangeReason.SUPPORT_AT_LIMIT: N_("support cannot go beyond {limit}"),
    ChangeReason.ROUNDED: N_("support is kept in whole points"),
    ChangeReason.PRESSURE_TO_LEVEL: lambda p: p.say(
        N_("accumulated pressure moves the crisis up {rungs}")
        if p["steps"] > 0
        else N_("accumulated pressure moves the crisis down {rungs}"),
        rungs=plural(abs(p["steps"]), "rung"),
    ),
    ChangeReason.PRESSURE_AT_LADDER_END: N_(
        "pressure does not build beyond the ends of the ladder"
    ),
    ChangeReason.INCOME: N_("the treasury's allowance for the turn"),
    FactorName.CAPABILITY_MATCH: N_("capability match"),
    FactorName.INTEROPERABILITY: N_("interoperability"),
    FactorName.COMMAND_UNITY: N_("command unity"),
    FactorName.NATIONAL_CAVEATS: N_("national caveats"),
    FactorName.LOGISTICS: N_("logistics"),
    FactorName.INTELLIGENCE: N_("intelligence"),
    FactorName.LOCAL_COOPERATION: N_("local cooperation"),
    FactorName.FORCE_RATIO: N_("force ratio"),
    FactorName.LEGITIMACY: N_("legitimacy"),
    FactorName.CONTROL_ADJUDICATION: N_("control's adjudication"),
    FactorReason.REQUIREMENTS_MET: N_("all requirements met"),
    FactorReason.REQUIREMENTS_SHORT: _shortfalls,
    FactorReason.STANDARDS: _standards,
    FactorReason.COMMAND: _command,
    FactorReason.NO_CAVEAT: N_("no caveat restricts the committed forces"),
    FactorReason.CAVEATS_REDUCE: N_("caveats reduce usable strength from {raw} to {effective:g}"),
    FactorReason.LIFT: _lift,
    FactorReason.ISR: lambda p: (
        p.say(N_("ISR and cyber strength {isr}"))
        + (gettext(N_("; shared intelligence")) if p["shared"] else "")
        + _local(p)
    ),
    FactorReason.POPULATION: lambda p: (
        p.say(N_("local population attitude {attitude}"))
        + (gettext(N_("; coordinated with NGOs")) if p["ngos"] else "")
        + _local(p)
    ),
    FactorReason.LEGITIMACY: _legitimacy,
    FactorReason.STRENGTH_AGAINST_DIFFICULTY: lambda p: (
        p.say(N_("committed strength {strength} against difficulty {difficulty}"))
        + (gettext(N_(" (raised by the crisis)")) if p["raised"] else "")
    ),
    FactorReason.CONTROL_ADJUDICATED: N_("{result:term}: {text}"),
    OutcomeReason.NOT_ATTEMPTED: N_("{op:operation}: no forces were committed."),
    OutcomeReason.ROLLED: _rolled,
    OutcomeReason.NO_EFFECT: _no_effect,
    OutcomeReason.ADJUDICATED: _adjudicated_summary,
    Judgement.PROGRESS: _progress,
    Judgement.PEAK_ESCALATION: N_("peak escalation {peak} (limit {limit:g})"),
    Judgement.LOWEST_SUPPORT: N_("lowest support {support} (need {need:g})"),
    Judgement.SUPPORT: N_("support {support} (need {need:g})"),
    Judgement.BUDGET: N_("budget {budget} left (need {need:g})"),
    Judgement.COALITIONS: lambda p: (
        p.say(N_("coalitions: {coalitions:names}"))
        if p["coalitions"]
        else gettext(N_("coalitions: none"))
    ),
    Judgement.INSIDE: N_("in {coalitions:names}"),
    Judgement.OUTSIDE: N_("outside"),
    Judgement.COHESION: N_("cohesion {cohesion} (need {need:g})"),
    Judgement.DISSOLVED: N_("dissolved"),
    Judgement.STILL_STANDING: N_("still standing"),
    Judgement.BURDEN_SHARE: _burden_share,
    Judgement.HARD_POWER_USED: N_("used hard power"),
    Judgement.HARD_POWER_ORDERED: N_("hard power in this turn's orders"),
    Judgement.NO_HARD_POWER: N_("no hard power used"),
    Judgement.TRUST: N_("trust {trust} (need {need:g})"),
    Judgement.FAIR_SHARE: N_("carried {share:.0%} of the crisis's costs (need {need:.0%})"),
    Judgement.CRISIS: N_("collective objectives {met} of {available} points (need {need:g})"),
    Judgement.UNKNOWN_OBJECTIVE: N_("unknown objective"),
    Leaving.TRUST: N_("{members:names} would trust you less: {drop} each."),
    Leaving.NEW_LEAD: N_("The lead would pass to {lead:nation}."),
    Leaving.DISSOLVES: N_("{coalition:coalition} would dissolve: too few members would remain."),
    Leaving.UNITS_HOME: N_(
        "{units:count:unit} under its command would come home, their taskings ended."
    ),
    Leaving.CHANNEL: N_("Its members' channel would no longer be yours to read or write in."),
}

CODES: tuple[str, ...] = (
    *ChangeReason,
    *FactorName,
    *FactorReason,
    *OutcomeReason,
    *Judgement,
    *Leaving,
)
