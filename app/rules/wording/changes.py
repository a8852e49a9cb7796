"""Words for why a number moved (ledger changes), what each factor of an operation
measured, how an operation went, and how an objective stands."""

from __future__ import annotations

from enum import StrEnum

from app.rules.reasons import TEXT
from app.rules.wording.base import Said, Words, name_of, plural


class ChangeReason(StrEnum):
    """Why a number in the ledger moved."""

    OPERATION_RESULT = "operation_result"
    CASUALTIES = "casualties"
    NO_MANDATE = "no_mandate"
    CIVILIAN_HARM = "civilian_harm"
    COST_OF_OPERATIONS = "cost_of_operations"
    CRISIS_PAST_THRESHOLD = "crisis_past_threshold"
    GROUND_EFFECTS = "ground_effects"
    PRESS_LEAK = "press_leak_reported"
    NEW_GOVERNMENT = "new_government"
    BURDEN_AT_HOME = "burden_at_home"
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
    names = [name_of(p.state, str(i)) for i in ids]
    return names[0] if len(names) < 2 else ", ".join(names[:-1]) + " and " + names[-1]


def _agreement_signed(p: Said) -> str:
    terms = p["terms"]
    parties = _and(p, p["parties"])
    if p["agreement"] == "aid":
        return p.say(
            "aid signed: {giver:nation} gives {amount} of its budget to {receiver:nation}",
            giver=terms.get("from"),
            receiver=terms.get("to"),
            amount=terms.get("amount"),
        )
    if p["agreement"] == "coalition_membership":
        if "coalition_id" in terms:
            return p.say(
                "{all} sign to join {coalition:coalition}",
                all=parties,
                coalition=terms["coalition_id"],
            )
        return p.say("{all} found {name}", all=parties, name=terms.get("name", "a coalition"))
    kind = str(p["agreement"]).replace("_", " ")
    return p.say("{kind} signed by {all}", kind=kind, all=parties)


def _coalition_left(p: Said) -> str:
    how = {"defection": "defects from", "collapse": "is left by the collapse of"}.get(
        str(p["why"]), "leaves"
    )
    return p.say("{nation:nation} {how} {coalition:coalition}", how=how)


def _progress(p: Said) -> str:
    if p["progress"] is None:
        return "progress ?"
    return p.say("progress {progress:g}/{duration}")


def _burden_share(p: Said) -> str:
    shown = "no coalition" if p["share"] is None else p.say("{share:.0%}")
    return p.say("burden share {shown} (at most {limit:.0%})", shown=shown)


def _unit_name(said: Said, unit_id: str) -> str:
    unit = said.state.unit(unit_id) if said.state is not None else None
    return unit.name if unit is not None else unit_id


def _deterrence(p: Said) -> str:
    how = "in the field" if p["in_field"] else "with one voice"
    how += ", defensively" if p["defensive"] else ""
    return p.say("{coalition:coalition} deters {how}", how=how)


def _adversary_answers(p: Said) -> str:
    return p.say(
        "the adversary answers {op:operation}: force size {size:g} (strength {strength} "
        "against difficulty {difficulty}, at most 2) x {rate:g} ({posture}) x {scale:g} "
        "(a {result})"
    )


def _red_line(p: Said) -> str:
    said = p.say("red line crossed at {op:operation}: {line}")
    if p.get("level") is not None:
        said += p.say(" (answered by climbing to level {level} at least)")
    return said


def _adversary_probes(p: Said) -> str:
    signs = []
    if p["soft_only"]:
        signs.append("soft power only")
    if p["divided"]:
        signs.append(f"no coalition at cohesion {p['below']} or more")
    if p["undeterred"]:
        signs.append("nobody deterring as one")
    return "the adversary probes a coalition that looks weak: " + ", ".join(signs)


def _red_cell_probes(p: Said) -> str:
    if p["rebuffed"]:
        return (
            "the red cell probes a coalition that shows no weakness and is rebuffed: "
            "it gives ground"
        )
    return "the red cell probes: " + _adversary_probes(p).split(": ", 1)[1]


def _red_cell_words(before: str) -> Words:
    def said(p: Said) -> str:
        return f"{before}: \u201c{p['text']}\u201d" if p["text"] else before

    return said


def _backs_down(p: Said) -> str:
    how = ["the coalition deterred as one"] if p["deterred"] else []
    if p["ops"]:
        how.append(p.say("{ops:names} succeeded"))
    return p.say(
        "the adversary backs down and the crisis ends: escalation {level}, at or below "
        "{at}, and {how}",
        how=" and ".join(how),
    )


def _cohesion_drift(p: Said) -> str:
    said = p.say(
        "towards {target:.0f}: trust {trust:.0f}, alignment {alignment:.0f}, "
        "fairness {fairness:.0f}, {structure} command {command}",
        structure=str(p["command_structure"]).replace("_", "-"),
    )
    if p["unmandated"]:
        said += "; hard power without a mandate divides members"
    if p["swing"]:
        said += p.say("; results {swing:+d}")
    return said


# A member's grievance factors (`cohesion.grievances`), in words.
_GRIEVANCE_WORDS = {
    "burden": "carrying more than its fair share",
    "pledges": "pledges not kept",
    "unilateral": "partners using force against the coalition's decisions",
    "free_riding": "partners free riding",
    "distrust": "distrust of its partners",
    "divergence": "divergent interests",
    "command": "divided command",
    "cohesion": "a coalition coming apart",
    "alliance": "committed to the alliance",
}


def _grievance(p: Said) -> str:
    factors = ", ".join(
        f"{_GRIEVANCE_WORDS.get(name, name.replace('_', ' '))} {value:+g}"
        for name, value in dict(p["factors"]).items()
    )
    return p.say(
        "its grievance {grievance:.0f} reached the limit of {limit} ({factors})", factors=factors
    )


def _operation_result(p: Said) -> str:
    said = p.say("{result} of {op:operation}")
    if "strength" in p and p["result"] != "failure" and p["of"]:
        said += p.say(
            " (strength {strength} of {of}; credit scales with the share, up to an even one)"
        )
    return said


def _casualties(p: Said) -> str:
    if "losses" not in p:  # games stored before issue 15's domestic politics
        return p.say("casualties in {op:operation}")
    return p.say("{losses} casualties in {op:operation} ({each} each)")


def _cost_of_operations(p: Said) -> str:
    if "means" not in p:
        return "cost of operations"
    share = p["spent"] / p["means"] if p["means"] else 1.0
    return p.say(
        "cost of operations: {spent} spent of the {means} the treasury held ({share:.0%})",
        share=share,
    )


def _new_government(p: Said) -> str:
    if "fallen" not in p:
        return "a new government"
    return p.say(
        "a new government: support fell to {fallen}, under the threshold of {threshold}; its "
        "successor starts {honeymoon} above the threshold"
    )


def _defection(p: Said) -> str:
    if "grievance" not in p:  # games stored before grievances: the least trusting walked out
        return p.say("{defector} defects: it trusts its partners least ({loyalty:.0f})")
    return p.say("{defector:nation} defects: ") + _grievance(p)


def _collapses(p: Said) -> str:
    said = p.say("{coalition:coalition} collapses")
    if "lead" in p:
        return said + p.say(": its lead, {lead:nation}, walks out; ") + _grievance(p)
    if "cohesion" in p:
        return said + p.say(": cohesion {cohesion} is under {threshold}")
    return said


def _shortfalls(p: Said) -> str:
    short = zip(p["capabilities"], p["supplied"], p["required"], strict=True)
    return "short of the requirement: " + ", ".join(f"{c} {s:g}/{r}" for c, s, r in short)


def _standards(p: Said) -> str:
    standards = p["standards"]
    said = f"{plural(len(standards), 'standard')} among contributors ({', '.join(standards)})"
    if p.get("mismatched"):
        said += p.say(", {mismatched:.0%} of the strength off the main one")
        if p.get("cooperation"):
            said += p.say("; a history of cooperation of {cooperation:g} narrows the gap")
    if p["sharing"]:
        said += f"; {plural(p['sharing'], 'intelligence-sharing agreement')} help"
        if "bridged" in p:
            said += p.say(" (+{bridged:.3f}, at most half the gap)")
    if p.get("withheld"):
        said += f"; distrust withholds {plural(p['withheld'], 'intelligence-sharing agreement')}"
    return said


def _command(p: Said) -> str:
    where = (
        p.say(
            "{coalition:coalition}'s {structure} command",
            structure=p["structure"].replace("_", "-"),
        )
        if p["coalition"]
        else "parallel national command"
    )
    said = f"{plural(p['nations'], 'nation')} under {where}"
    if p["cohesion"] is not None:
        said += f", cohesion {p['cohesion']}"
    if p.get("trust") is not None:
        said += p.say(", mutual trust {trust:g}")
    if p.get("coordinated"):
        said += ", coordinated in the coalition's channel"
    return said


def _lift(p: Said) -> str:
    said = (
        "no strategic lift needed" if p["needed"] == 0 else p.say("lift {lift} of {needed} needed")
    )
    if p["based"]:
        said += p.say("; basing rights for {based:names}")
    if p.get("refused"):
        said += p.say("; a distrustful host keeps {refused:names} off its bases")
    return said


def _legitimacy(p: Said) -> str:
    mandate = {"un": "a UN mandate", "regional": "a regional mandate"}.get(
        p["mandate"], "no mandate"
    )
    said = f"{mandate}; " + (p.say("host nation {host:names}") if p["host"] else "no host nation")
    if p["regional"]:
        said += p.say("; regional partners {regional:names}")
    return said


def _local(p: Said) -> str:
    return p.say("; local knowledge from {local:names}") if p.get("local") else ""


def _rolled(p: Said) -> str:
    if "column" not in p:  # an outcome rolled before the results table
        return p.say(
            "{op:operation}: {result} (roll {roll:.2f} against {success:.0%} success, "
            "{partial:.0%} partial; effectiveness {effectiveness:.2f})."
        )
    return p.say(
        "{op:operation}: {result} (effectiveness {effectiveness:.2f} x force ratio "
        "{force_ratio:.2f} = {score:.2f}: column {column}, {success:.0%} success, "
        "{partial:.0%} partial; roll {roll:.2f}).",
        result=str(p["result"]).replace("_", " "),
    )


def _no_effect(p: Said) -> str:
    if p["capability"] < p["min_capability"]:
        why = p.say("capability match {capability:.2f} is under the minimum {min_capability:.2f}")
    elif p["force_ratio"] < p["min_force_ratio"]:
        why = p.say("force ratio {force_ratio:.2f} is under the minimum {min_force_ratio:.2f}")
    else:
        why = p.say(
            "effectiveness {effectiveness:.2f} x force ratio {force_ratio:.2f} = {score:.2f} "
            "is under column 1 ({min_score:.2f})"
        )
    return p.say(
        "{op:operation}: failure, no effect ({why}: column {column}, no chance of "
        "progress; roll {roll:.2f}).",
        why=why,
    )


def _adjudicated_summary(p: Said) -> str:
    # The rules' summary (its code and parameters ride along), then control's word on it.
    before = p["summary"]
    rules_words = p["text"] if before == TEXT else WORDS[before]
    said = rules_words(p) if callable(rules_words) else p.say(rules_words)
    result = str(p["adjudicated"]).replace("_", " ")
    return said + p.say(" Control adjudicated it a {result}: {why}", result=result)


WORDS: dict[str, Words] = {
    ChangeReason.OPERATION_RESULT: _operation_result,
    ChangeReason.CASUALTIES: _casualties,
    ChangeReason.NO_MANDATE: "{op:operation} has no mandate",
    ChangeReason.CIVILIAN_HARM: "civilian harm during {op:operation}",
    ChangeReason.COST_OF_OPERATIONS: _cost_of_operations,
    ChangeReason.BURDEN_AT_HOME: "carried {share:.0%} of {coalition:coalition}'s costs this "
    "turn against a fair share of {fair:.0%} (its capacity's; {slack:.0%} is tolerated)",
    ChangeReason.CRISIS_PAST_THRESHOLD: "the crisis is past its threshold",
    ChangeReason.GROUND_EFFECTS: "what the operations did on the ground",
    ChangeReason.PRESS_LEAK: lambda p: (
        "the press reports private talks with "
        + " and ".join(name_of(p.state, m) for m in p["members"])
    ),
    ChangeReason.NEW_GOVERNMENT: _new_government,
    ChangeReason.COSTS_SHARED_PAID: "pays {share}% of {partner:nation}'s costs on {op:operation}",
    ChangeReason.COSTS_SHARED_RECEIVED: "{payer:nation} pays {share}% of its costs on "
    "{op:operation}",
    ChangeReason.COST_OF_FORCES: "cost of committed forces",
    ChangeReason.PLEDGE_HONOURED: "{nation:nation} honoured its pledge of {strength} to "
    "{op:operation} (delivered {delivered})",
    ChangeReason.PLEDGE_BROKEN: "{nation:nation} broke its pledge of {strength} to "
    "{op:operation} (delivered {delivered})",
    ChangeReason.FREE_RIDING: "{rider:nation} carried {share:.0%} of {coalition:coalition}'s "
    "costs against a fair share of {fair:.0%}",
    ChangeReason.INTELLIGENCE_SHARED: "intelligence shared",
    ChangeReason.INTELLIGENCE_LEAKED: "intelligence shared by {nations:names} leaks to the press "
    "(roll {roll:.2f} under a chance of {chance:.3f}; history of cooperation {cooperation:g})",
    ChangeReason.COMBINED_EXERCISE: "a combined exercise of {nations:names}",
    ChangeReason.LIAISON_OFFICERS: "liaison officers exchanged among {nations:names}",
    ChangeReason.COOPERATION_AT_LIMIT: "a history of cooperation cannot go beyond {limit}",
    ChangeReason.JOINT_SUCCESS: lambda p: (
        p.say("a joint success at {op:operation}") if p.get("op") else "a joint success"
    ),
    ChangeReason.UNILATERAL_HARD_POWER: "unilateral hard power at {op:operation}, outside "
    "{coalition:coalition}'s agreed operations",
    ChangeReason.RED_CARD: lambda p: "red card on the tasking of " + _unit_name(p, p["unit"]),
    ChangeReason.OPERATION_ACCOMPLISHED: "{op:operation} accomplished",
    ChangeReason.OPERATION_OUT_OF_TIME: "{op:operation} ran out of time",
    ChangeReason.HARD_POWER_PRESSURE: "hard power at {op:operation}",
    ChangeReason.RELIEF_WORKED: "relief that worked at {op:operation}",
    ChangeReason.DETERRENCE: _deterrence,
    ChangeReason.THRESHOLD_CROSSED: "the crisis crosses its threshold ({rung})",
    ChangeReason.ADVERSARY_ANSWERS: _adversary_answers,
    ChangeReason.RED_LINE_CROSSED: _red_line,
    ChangeReason.ADVERSARY_PROBES: _adversary_probes,
    ChangeReason.NOBODY_ACTS: "the adversary presses on while nobody acts",
    ChangeReason.CRISIS_MOMENTUM: "the crisis grows by itself until it is relieved",
    ChangeReason.MISCALCULATION: "the adversary miscalculates (roll {roll:.2f} under {chance:.2f})",
    ChangeReason.ADVERSARY_BACKS_DOWN: _backs_down,
    ChangeReason.RED_CELL_ESCALATES: "the red cell escalates: a deliberate step up the ladder",
    ChangeReason.RED_CELL_PROBES: _red_cell_probes,
    ChangeReason.RED_CELL_SIGNALS: _red_cell_words("the red cell signals"),
    ChangeReason.RED_CELL_OFFERS_TALKS: _red_cell_words("the red cell offers talks"),
    ChangeReason.RED_CELL_ACCEPTS_TERMS: _red_cell_words(
        "the red cell accepts the coalition's terms and the crisis ends"
    ),
    ChangeReason.COHESION_DRIFT: _cohesion_drift,
    ChangeReason.COALITION_COLLAPSES: _collapses,
    ChangeReason.DEFECTION: _defection,
    ChangeReason.NEW_CAVEAT: "new national caveat '{caveat}'",
    ChangeReason.NEW_BRIEF: "a new government with a new brief",
    ChangeReason.OPERATION_OPENS: "{op:operation} becomes possible",
    ChangeReason.MANDATE_GIVEN: "{coalition:coalition} receives a {mandate} mandate",
    ChangeReason.MANDATE_GRANTED: lambda p: p.say(
        "{council:actor} grants {coalition:coalition} a {what} mandate (its attitude "
        "{attitude}): force it uses is now lawful in the world's eyes",
        what="UN" if p["mandate"] == "un" else "regional",
    ),
    ChangeReason.MANDATE_VETOED: "{council:actor} gives no mandate: {by} vetoes it",
    ChangeReason.MANDATE_DOUBTED: "{council:actor} gives no mandate: its attitude to the "
    "coalition effort is {attitude}, it needs {needed} (civilian harm and offensive force "
    "without a mandate lower it; relief that works raises it)",
    ChangeReason.MANDATE_TOO_FEW: "{council:actor} gives no mandate to a coalition of "
    "{members:count:member}: it needs {needed}",
    ChangeReason.MANDATE_HARM: "{council:actor} gives no mandate while forces of "
    "{nations:names} have just harmed civilians",
    ChangeReason.COUNCIL_ATTITUDE: "{council:actor} judges the turn: {why:list}",
    ChangeReason.ACTING_AGAINST_COALITION: "hard power at {op:operation} against "
    "{coalition:coalition}'s decision (it has not adopted the operation)",
    ChangeReason.INTERVENING_UNILATERALLY: "hard power at {op:operation} outside "
    "{coalition:coalition}, which runs it",
    ChangeReason.AGREEMENT_SIGNED: _agreement_signed,
    ChangeReason.COALITION_LEFT: _coalition_left,
    ChangeReason.TRUST_AT_LIMIT: "trust cannot go beyond {limit}",
    ChangeReason.SUPPORT_AT_LIMIT: "support cannot go beyond {limit}",
    ChangeReason.ROUNDED: "support is kept in whole points",
    ChangeReason.PRESSURE_TO_LEVEL: lambda p: (
        "accumulated pressure moves the crisis "
        + ("up " if p["steps"] > 0 else "down ")
        + plural(abs(p["steps"]), "rung")
    ),
    ChangeReason.PRESSURE_AT_LADDER_END: "pressure does not build beyond the ends of the ladder",
    ChangeReason.INCOME: "the treasury's allowance for the turn",
    FactorName.CAPABILITY_MATCH: "capability match",
    FactorName.INTEROPERABILITY: "interoperability",
    FactorName.COMMAND_UNITY: "command unity",
    FactorName.NATIONAL_CAVEATS: "national caveats",
    FactorName.LOGISTICS: "logistics",
    FactorName.INTELLIGENCE: "intelligence",
    FactorName.LOCAL_COOPERATION: "local cooperation",
    FactorName.FORCE_RATIO: "force ratio",
    FactorName.LEGITIMACY: "legitimacy",
    FactorName.CONTROL_ADJUDICATION: "control's adjudication",
    FactorReason.REQUIREMENTS_MET: "all requirements met",
    FactorReason.REQUIREMENTS_SHORT: _shortfalls,
    FactorReason.STANDARDS: _standards,
    FactorReason.COMMAND: _command,
    FactorReason.NO_CAVEAT: "no caveat restricts the committed forces",
    FactorReason.CAVEATS_REDUCE: "caveats reduce usable strength from {raw} to {effective:g}",
    FactorReason.LIFT: _lift,
    FactorReason.ISR: lambda p: (
        p.say("ISR and cyber strength {isr}")
        + ("; shared intelligence" if p["shared"] else "")
        + _local(p)
    ),
    FactorReason.POPULATION: lambda p: (
        p.say("local population attitude {attitude}")
        + ("; coordinated with NGOs" if p["ngos"] else "")
        + _local(p)
    ),
    FactorReason.LEGITIMACY: _legitimacy,
    FactorReason.STRENGTH_AGAINST_DIFFICULTY: lambda p: (
        p.say("committed strength {strength} against difficulty {difficulty}")
        + (" (raised by the crisis)" if p["raised"] else "")
    ),
    FactorReason.CONTROL_ADJUDICATED: "{result}: {text}",
    OutcomeReason.NOT_ATTEMPTED: "{op:operation}: no forces were committed.",
    OutcomeReason.ROLLED: _rolled,
    OutcomeReason.NO_EFFECT: _no_effect,
    OutcomeReason.ADJUDICATED: _adjudicated_summary,
    Judgement.PROGRESS: _progress,
    Judgement.PEAK_ESCALATION: "peak escalation {peak} (limit {limit:g})",
    Judgement.LOWEST_SUPPORT: "lowest support {support} (need {need:g})",
    Judgement.SUPPORT: "support {support} (need {need:g})",
    Judgement.BUDGET: "budget {budget} left (need {need:g})",
    Judgement.COALITIONS: lambda p: (
        "coalitions: " + (p.say("{coalitions:names}") if p["coalitions"] else "none")
    ),
    Judgement.INSIDE: "in {coalitions:names}",
    Judgement.OUTSIDE: "outside",
    Judgement.COHESION: "cohesion {cohesion} (need {need:g})",
    Judgement.DISSOLVED: "dissolved",
    Judgement.STILL_STANDING: "still standing",
    Judgement.BURDEN_SHARE: _burden_share,
    Judgement.HARD_POWER_USED: "used hard power",
    Judgement.HARD_POWER_ORDERED: "hard power in this turn's orders",
    Judgement.NO_HARD_POWER: "no hard power used",
    Judgement.TRUST: "trust {trust} (need {need:g})",
    Judgement.FAIR_SHARE: "carried {share:.0%} of the crisis's costs (need {need:.0%})",
    Judgement.CRISIS: "collective objectives {met} of {available} points (need {need:g})",
    Judgement.UNKNOWN_OBJECTIVE: "unknown objective",
    Leaving.TRUST: "{members:names} would trust you less: {drop} each.",
    Leaving.NEW_LEAD: "The lead would pass to {lead:nation}.",
    Leaving.DISSOLVES: "{coalition:coalition} would dissolve: too few members would remain.",
    Leaving.UNITS_HOME: "{units:count:unit} under its command would come home, their taskings "
    "ended.",
    Leaving.CHANNEL: "Its members' channel would no longer be yours to read or write in.",
}

CODES: tuple[str, ...] = (
    *ChangeReason,
    *FactorName,
    *FactorReason,
    *OutcomeReason,
    *Judgement,
    *Leaving,
)
