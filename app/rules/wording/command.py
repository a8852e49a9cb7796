"""What each command structure means for a coalition, in a sentence a student reads where
the structure is chosen and shown; the numbers are the rules' own (resolution/tuning.py)."""

from __future__ import annotations

from app.rules.resolution.tuning import COMMAND_FLOOR, COMMAND_PENALTY, GRIEVANCE_COMMAND

_WHO_COMMANDS = {
    "integrated": "One multinational headquarters commands every contributor's forces",
    "lead_nation": "One nation commands; the others put their forces under its plan",
    "parallel": "Each nation keeps command of its own forces; they only coordinate",
}


def command_explained(structure: str) -> str:
    """`structure` ("integrated", "lead_nation", "parallel") in words, with its effect."""
    who = _WHO_COMMANDS.get(structure)
    if who is None:
        return ""
    penalty = COMMAND_PENALTY[structure]
    floor = COMMAND_FLOOR[structure]
    grievance = GRIEVANCE_COMMAND[structure]
    cohesion = (
        "no member holds the command against it"
        if grievance == 0
        else f"divided command adds {grievance} to each member's grievance"
    )
    return (
        f"{who}. An operation's effectiveness loses {penalty:.0%} for each nation beyond the "
        f"first (never below {floor:.0%}); {cohesion}."
    )
