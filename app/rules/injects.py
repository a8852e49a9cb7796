"""The scenario's master events list: injects fired at the start of a turn.

An inject fires once, when its trigger holds at the start of a turn (a scheduled turn,
or a threshold crossed: escalation, a nation's support, a coalition's cohesion, a failed
operation, the population's attitude). Its effects are applied in order and explained.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from app.rules.events import EventKind, Inject, InjectFiredBy
from app.rules.ledger import Ledger
from app.rules.outcomes import Event
from app.rules.reasons import because, in_words
from app.rules.state import Effect, GameState, ScriptedEvent, Trigger
from app.rules.wording.changes import ChangeReason, new_government


def triggered(state: GameState, trigger: Trigger) -> bool:
    kind, target, value = trigger.kind, trigger.target, trigger.value
    if kind == "turn":
        return state.turn >= value
    if kind == "escalation_at_least":
        return state.escalation.level >= value
    if kind == "support_below":
        nation = state.nation(target)
        return nation is not None and nation.domestic_support < value
    if kind == "cohesion_below":
        coalition = state.coalition(target)
        return coalition is not None and coalition.active and coalition.cohesion < value
    if kind == "operation_failed":
        return any(o.operation_id == target and o.result == "failure" for o in state.outcomes) or (
            op is not None and op.status == "failed" if (op := state.operation(target)) else False
        )
    if kind == "population_below":
        actor = state.actor(target)
        return actor is not None and actor.attitude < value
    return False


def _clamp(value: float, low: int = 0, high: int = 100) -> int:
    return round(max(low, min(high, value)))


def apply_effect(state: GameState, effect: Effect, source: str, ledger: Ledger) -> GameState:
    kind, target, value = effect.kind, effect.target, effect.value
    reason = in_words(effect.text or source)  # the scenario's own words for it
    if kind == "escalation":
        old = state.escalation
        level = _clamp(old.level + value, 0, old.max)
        ledger.add("escalation", level - old.level, reason)
        return replace(state, escalation=replace(old, level=level, peak=max(old.peak, level)))
    if kind in ("support", "budget"):
        for nation in state.nations:
            if target not in ("*", nation.id):
                continue
            if kind == "support":
                new = _clamp(nation.domestic_support + value)
                ledger.add(f"support:{nation.id}", new - nation.domestic_support, reason)
                state = state.replace_nation(replace(nation, domestic_support=new))
            else:
                new = max(0, round(nation.budget + value))
                # A budget is its nation's own to know (views.py).
                ledger.add(f"budget:{nation.id}", new - nation.budget, reason, (nation.id,))
                state = state.replace_nation(replace(nation, budget=new))
        return state
    if kind == "trust":
        pairs = (
            [(a.id, b.id) for a in state.nations for b in state.nations if a.id != b.id]
            if target == "*"
            else [tuple(target.split(">", 1))]
        )
        for a, b in pairs:
            ledger.trust_change(a, b, round(value), reason)
        return ledger.settle_trust(state)  # each pair listed, the truster's and trusted's
    if kind == "difficulty":
        for operation in state.operations:
            if target in ("*", operation.id):
                new = max(1, round(operation.difficulty + value))
                state = state.replace_operation(replace(operation, difficulty=new))
                ledger.add(f"difficulty:{operation.id}", new - operation.difficulty, reason)
        return state
    if kind == "population":
        actor = state.actor(target)
        if actor is not None:
            new = _clamp(actor.attitude + value)
            ledger.add(f"attitude:{actor.id}", new - actor.attitude, reason)
            state = replace(
                state,
                actors=tuple(
                    replace(a, attitude=new) if a.id == actor.id else a for a in state.actors
                ),
            )
        return state
    if kind == "cohesion":
        for coalition in state.coalitions:
            if coalition.active and target in ("*", coalition.id):
                new = _clamp(coalition.cohesion + value)
                ledger.add(f"cohesion:{coalition.id}", new - coalition.cohesion, reason)
                state = state.replace_coalition(replace(coalition, cohesion=new))
        return state
    if kind == "caveat":
        found = state.nation(target)
        if found is not None and effect.text and effect.text not in found.caveats:
            state = state.replace_nation(replace(found, caveats=(*found.caveats, effect.text)))
            ledger.add(
                f"caveat:{found.id}", 1, because(ChangeReason.NEW_CAVEAT, caveat=effect.text)
            )
        return state
    if kind == "leadership_change":
        leader = state.nation(target)
        if leader is not None:
            state = state.replace_nation(
                replace(
                    leader,
                    leader=new_government(leader.leadership_changes + 2),
                    leadership_changes=leader.leadership_changes + 1,
                    secret_objective=effect.text or leader.secret_objective,
                )
            )
            ledger.add(f"leader:{leader.id}", 1, because(ChangeReason.NEW_BRIEF), (leader.id,))
        return state
    if kind == "open_operation":
        opened = state.operation(target)
        if opened is not None:
            state = state.replace_operation(replace(opened, opens_turn=state.turn))
            ledger.add(
                f"operation:{opened.id}", 1, because(ChangeReason.OPERATION_OPENS, op=opened.id)
            )
        return state
    if kind == "mandate":
        mandate = effect.text if effect.text in ("un", "regional") else "un"
        for coalition in state.coalitions:
            if coalition.active and target in ("*", coalition.id):
                state = state.replace_coalition(replace(coalition, mandate=mandate))  # type: ignore[arg-type]
                ledger.add(
                    f"mandate:{coalition.id}",
                    1,
                    because(ChangeReason.MANDATE_GIVEN, coalition=coalition.id, mandate=mandate),
                )
        return state
    return state


def audience(event: ScriptedEvent) -> list[str]:
    """Who learns of a private inject: the nations its effects name."""
    names: list[str] = []
    for effect in event.effects:
        for part in effect.target.replace(">", " ").split():
            if part not in names and part != "*":
                names.append(part)
    return names


def fire(state: GameState, ledger: Ledger) -> tuple[GameState, tuple[str, ...], list[Event]]:
    fired: list[str] = []
    events: list[Event] = []
    for scripted in state.events:
        if scripted.id in state.fired or scripted.id in fired:
            continue
        if not triggered(state, scripted.trigger):
            continue
        state, event = fire_one(state, scripted, ledger)
        fired.append(scripted.id)
        events.append(event)
    return replace(state, fired=(*state.fired, *fired)), tuple(fired), events


def fire_one(
    state: GameState,
    scripted: ScriptedEvent,
    ledger: Ledger,
    fired_by: InjectFiredBy = "trigger",
) -> tuple[GameState, Event]:
    """Apply one scripted event's effects (its trigger is the caller's business: control
    may fire an event by hand, and says so in `fired_by`). Does not mark it fired. What a
    private event changes is recorded for its audience only, as the event itself is."""
    first = len(ledger.changes)
    for effect in scripted.effects:
        state = apply_effect(state, effect, scripted.name, ledger)
    if not scripted.public:
        # An event no nation is told of (effects on everyone, say) is control's to see.
        told = tuple(audience(scripted)) or ("control",)
        ledger.changes[first:] = [
            replace(c, visible_to=tuple(v for v in c.visible_to if v in told) or ("control",))
            if c.visible_to
            else replace(c, visible_to=told)
            for c in ledger.changes[first:]
        ]
    # An operation made harder or easier: the news says which and by how much.
    operations = [
        {
            "operation_id": operation.id,
            "difficulty": operation.difficulty,
            "change": change.delta,
        }
        for change in ledger.changes[first:]
        if change.subject.startswith("difficulty:")
        and change.delta
        and (operation := state.operation(change.subject.split(":", 1)[1])) is not None
    ]
    data: Inject = {
        "event_id": scripted.id,
        "name": scripted.name,
        "text": scripted.text,
        "public": scripted.public,
        "audience": audience(scripted),
        "briefs": {
            e.target: e.text for e in scripted.effects if e.kind == "leadership_change" and e.text
        },
        "fired_by": fired_by,
    }
    if operations:
        data["operations"] = operations
    return state, Event(EventKind.INJECT, None, data)


def fired_by(data: Mapping[str, Any]) -> InjectFiredBy:
    """Who fired a logged inject: its trigger or control. An inject logged before events
    said so was control's if control wrote it (a `live-` id), else its trigger's."""
    if "fired_by" in data:
        return "control" if data["fired_by"] == "control" else "trigger"
    return "control" if str(data.get("event_id", "")).startswith("live-") else "trigger"
