"""What each command structure means for a coalition, in a sentence a student reads where
the structure is chosen and shown; the numbers are the rules' own (resolution/tuning.py)."""

from __future__ import annotations

from app.rules.resolution.tuning import COMMAND_FLOOR, COMMAND_PENALTY, GRIEVANCE_COMMAND
from app.rules.wording.base import N_, gettext, say

_WHO_COMMANDS = {
    "integrated": N_("One multinational headquarters commands every contributor's forces"),
    "lead_nation": N_("One nation commands; the others put their forces under its plan"),
    "parallel": N_("Each nation keeps command of its own forces; they only coordinate"),
}


def command_explained(structure: str) -> str:
    """`structure` ("integrated", "lead_nation", "parallel") in words, with its effect."""
    who = _WHO_COMMANDS.get(structure)
    if who is None:
        return ""
    grievance = GRIEVANCE_COMMAND[structure]
    cohesion = (
        gettext(N_("no member holds the command against it"))
        if grievance == 0
        else gettext(N_("divided command adds {grievance} to each member's grievance")).format(
            grievance=grievance
        )
    )
    return say(
        N_(
            "{who}. An operation's effectiveness loses {penalty:.0%} for each nation beyond "
            "the first (never below {floor:.0%}); {cohesion}."
        ),
        {
            "who": gettext(who),
            "penalty": COMMAND_PENALTY[structure],
            "floor": COMMAND_FLOOR[structure],
            "cohesion": cohesion,
        },
        None,
    )
