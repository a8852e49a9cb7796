"""The rules' words in French: every reason code reads in French, with no English message
left untranslated and every placeholder kept; the grammar that depends on the language
(plurals, lists, articles, percentages) follows the reader's."""

from __future__ import annotations

import re
import string
from collections.abc import Iterator, Mapping
from typing import Any

import pytest
from babel.messages.pofile import read_po

from app.i18n import catalogue_path, translations, use_language
from app.rules.agreements import AGREEMENTS, Names
from app.rules.reasons import TEXT, because
from app.rules.wording import CODES, WORDS, words
from app.rules.wording.base import speaking
from app.rules.wording.changes import ChangeReason, FactorReason, Judgement, OutcomeReason
from app.rules.wording.feed import FeedLine
from app.rules.wording.rejections import RejectionReason as R

_FIELD = re.compile(r"\{([a-z_]+)[^{}]*\}")

# A value for each kind of placeholder (its format spec), for words given as a template.
_BY_SPEC: dict[str, Any] = {
    "names": ["aurora", "borealis"],
    "nations": ["aurora", "borealis", "caldera"],
    "list": ["air 2/3", "isr 0/1"],
    "a_deal": "force pledge",
    "the_deal": "aid",
    "deal": "joint statement",
    "term": "partial",
    "a_mandate": "un",
    "percent": 25,
    "signed": 2,
    "minutes": 90,
    "personality": "profile",
}


def _value(spec: str, conversion: str | None) -> Any:
    kind = spec.partition(":")[0]
    if kind in _BY_SPEC:
        return _BY_SPEC[kind]
    if kind == "count":
        return 3
    if spec.endswith("d"):
        return 2
    if spec:  # a number's format: ".0%", ".2f", "g"...
        return 0.5
    return "an-id" if conversion else "Aurora"


def _template_params(template: str) -> dict[str, Any]:
    return {
        name: _value(spec or "", conversion)
        for _, name, spec, conversion in string.Formatter().parse(template)
        if name
    }


_GRIEVANCE = {"grievance": 61.0, "limit": 60, "factors": {"burden": 12.0, "command": 8.0}}
_WEAK = {"soft_only": True, "divided": True, "below": 50, "undeterred": True}
_ROLL = {"op": "hammerfall", "roll": 0.42, "success": 0.5, "partial": 0.3}
_TABLE = {"effectiveness": 0.8, "force_ratio": 1.1, "score": 0.88, "column": 3}

# Representative parameters for the words that are functions of them (their richest form).
CALLABLE_PARAMS: dict[str, dict[str, Any]] = {
    R.BAD_TEXT: {"where": "name", "fault": R.TEXT_TOO_LONG, "fault_params": {"limit": 80}},
    R.UNDER_COALITION_COMMAND: {"unit": "Falcon Wing", "coalition": "Shield"},
    R.BAD_CHANNEL_NAME: {"fault": R.TEXT_NOT_ONE_LINE, "fault_params": {}},
    R.NO_LONGER_POSSIBLE: {"fault": R.AID_TO_ITSELF, "fault_params": {}},
    R.MOMENT_ENDED: {"at_turn": 2, "at_phase": "orders", "shown_turn": 3, "shown_phase": None},
    R.MOMENT_NOT_BEGUN: {
        "at_turn": 4,
        "at_phase": "adjudication",
        "shown_turn": 3,
        "shown_phase": "orders",
    },
    ChangeReason.OPERATION_RESULT: {
        "result": "partial",
        "op": "hammerfall",
        "strength": 6,
        "of": 12,
    },
    ChangeReason.CASUALTIES: {"losses": 2, "op": "hammerfall", "each": -3},
    ChangeReason.COST_OF_OPERATIONS: {"spent": 12, "capacity": 40},
    ChangeReason.NO_MANDATE: {"ops": ["hammerfall", "wellspring"]},
    ChangeReason.MANDATED: {"ops": ["hammerfall"]},
    ChangeReason.PRESS_LEAK: {"members": ["aurora", "borealis"]},
    ChangeReason.NEW_GOVERNMENT: {"fallen": 28, "threshold": 30, "honeymoon": 10},
    ChangeReason.JOINT_SUCCESS: {"op": "wellspring"},
    ChangeReason.RED_CARD: {"unit": "aur-jets"},
    ChangeReason.DETERRENCE: {"coalition": "c1", "in_field": True, "defensive": True},
    ChangeReason.ADVERSARY_ANSWERS: {
        "op": "hammerfall",
        "size": 1.5,
        "strength": 9,
        "difficulty": 6,
        "rate": 0.5,
        "posture": "offensive",
        "scale": 1.0,
        "result": "success",
    },
    ChangeReason.RED_LINE_CROSSED: {"op": "hammerfall", "line": "no strikes", "level": 4},
    ChangeReason.ADVERSARY_PROBES: _WEAK,
    ChangeReason.ADVERSARY_BACKS_DOWN: {
        "deterred": True,
        "ops": ["hammerfall"],
        "level": 2,
        "at": 2,
    },
    ChangeReason.RED_CELL_PROBES: {**_WEAK, "rebuffed": False},
    ChangeReason.RED_CELL_SIGNALS: {"text": "Hold your fire."},
    ChangeReason.RED_CELL_OFFERS_TALKS: {"text": "Let us talk."},
    ChangeReason.RED_CELL_ACCEPTS_TERMS: {"text": "We accept."},
    ChangeReason.COHESION_DRIFT: {
        "target": 60.0,
        "trust": 55.0,
        "alignment": 70.0,
        "fairness": 50.0,
        "command_structure": "lead_nation",
        "command": -5,
        "unmandated": True,
        "swing": 3,
    },
    ChangeReason.COALITION_COLLAPSES: {"coalition": "c1", "lead": "aurora", **_GRIEVANCE},
    ChangeReason.DEFECTION: {"defector": "borealis", **_GRIEVANCE},
    # What a council weighs, as the resolution stores it: "<count> <what>".
    ChangeReason.COUNCIL_ATTITUDE: {
        "council": "un-council",
        "why": ["1 civilian harm (-5 each)", "2 relief that worked (+1 each)"],
    },
    ChangeReason.MANDATE_GRANTED: {
        "council": "un-council",
        "coalition": "c1",
        "mandate": "un",
        "attitude": 60,
    },
    ChangeReason.AGREEMENT_SIGNED: {
        "agreement": "force_pledge",
        "parties": ["aurora", "borealis", "caldera"],
        "terms": {},
    },
    ChangeReason.COALITION_LEFT: {"nation": "caldera", "coalition": "c1", "why": "defection"},
    ChangeReason.PRESSURE_TO_LEVEL: {"steps": 2},
    FactorReason.REQUIREMENTS_SHORT: {
        "capabilities": ["air", "isr"],
        "supplied": [2, 0],
        "required": [3, 1],
    },
    FactorReason.STANDARDS: {
        "standards": ["aurora-link", "boreal-net"],
        "mismatched": 0.4,
        "cooperation": 2.0,
        "sharing": 1,
        "bridged": 0.05,
        "withheld": 2,
    },
    FactorReason.COMMAND: {
        "nations": 2,
        "coalition": "c1",
        "structure": "integrated",
        "cohesion": 70,
        "trust": 60.0,
        "coordinated": True,
    },
    FactorReason.LIFT: {"needed": 6, "lift": 4, "based": ["aurora"], "refused": ["borealis"]},
    FactorReason.ISR: {"isr": 3, "shared": True, "local": ["caldera"]},
    FactorReason.POPULATION: {"attitude": 40, "ngos": True, "local": ["caldera"]},
    FactorReason.LEGITIMACY: {
        "mandate": "regional",
        "host": ["caldera"],
        "regional": ["borealis"],
    },
    FactorReason.STRENGTH_AGAINST_DIFFICULTY: {"strength": 9, "difficulty": 7, "raised": True},
    OutcomeReason.ROLLED: {**_ROLL, **_TABLE, "result": "partial"},
    OutcomeReason.NO_EFFECT: {
        **_ROLL,
        **_TABLE,
        "capability": 0.2,
        "min_capability": 0.3,
        "min_force_ratio": 0.5,
        "min_score": 0.3,
    },
    OutcomeReason.ADJUDICATED: {
        "summary": OutcomeReason.NOT_ATTEMPTED,
        "op": "hammerfall",
        "adjudicated": "success",
        "why": "the students argued it well",
    },
    Judgement.PROGRESS: {"progress": 2.0, "duration": 3},
    Judgement.COALITIONS: {"coalitions": ["c1"]},
    Judgement.BURDEN_SHARE: {"share": 0.3, "limit": 0.4},
    FeedLine.MANDATE_ANSWERED: {
        "lead": "aurora",
        "council": "un-council",
        "coalition": "c1",
        "answer": {
            "code": ChangeReason.MANDATE_VETOED,
            "params": {"council": "un-council", "by": "Kalmar"},
        },
    },
    FeedLine.TURN_RESOLVED: {
        "turn": 2,
        "operations": ["hammerfall", "wellspring"],
        "results": ["partial", "failure"],
        "escalation_from": 3,
        "escalation_to": 4,
        "adversary": {
            "name": "Kalmar",
            "moves": ["answer", "probe", "back_down"],
            "pressure": 0.75,
            "said": ["Enough."],
            "ended": True,
        },
    },
    FeedLine.LEADERSHIP_CHANGE: {
        "who": "borealis",
        "leader": "A. Nord",
        "support": 28,
        "threshold": 30,
        "withdrawn": ["c1", "c2"],
    },
    FeedLine.INJECT: {
        "name": "Storm",
        "text": "A storm hits.",
        "operations": [{"operation_id": "hammerfall", "difficulty": 12, "change": 2}],
    },
    FeedLine.PRIVATE_INJECT: {"name": "Cable", "text": "Your cable.", "operations": []},
    FeedLine.INJECT_BY_CONTROL: {"name": "Storm", "text": "A storm hits."},
    FeedLine.INJECT_BY_TRIGGER: {"name": "Storm", "text": "A storm hits."},
    FeedLine.AGREEMENT_SIGNED: {"label": "NGO coordination", "parties": ["aurora", "borealis"]},
}


def _params(code: str) -> Mapping[str, Any]:
    said = WORDS[code]
    template = said if isinstance(said, str) else getattr(said, "template", None)
    if template is not None:
        return _template_params(template)
    return CALLABLE_PARAMS[code]


class _Asked:
    """The French catalogue's translation, noting each message asked for that it lacks."""

    def __init__(self) -> None:
        with catalogue_path("fr").open("rb") as source:
            self.entries = read_po(source, locale="fr")
        self.missing: list[str] = []

    def __call__(self, message: str) -> str:
        entry = self.entries.get(message)
        if entry is None or not entry.string or entry.fuzzy:
            self.missing.append(message)
        return translations("fr").gettext(message)


@pytest.fixture
def in_french() -> Iterator[_Asked]:
    asked = _Asked()
    with speaking("fr", asked):
        yield asked


@pytest.mark.parametrize("code", [c for c in CODES if c != TEXT])
def test_every_reason_code_reads_in_french(code: str, in_french: _Asked) -> None:
    params = _params(code)
    french = words(because(code, **params))
    with speaking("en", lambda message: message):
        english = words(because(code, **params))
    assert not in_french.missing, f"untranslated for {code}: {in_french.missing}"
    assert french and french != english
    assert "{" not in french and "}" not in french


def _fields(template: str) -> set[str]:
    return set(_FIELD.findall(template))


def test_every_french_template_keeps_its_placeholders() -> None:
    catalogue = translations("fr")
    templates = [
        str(message) for code in CODES for message in _templates_of(WORDS[code]) if _fields(message)
    ]
    assert len(templates) > 150  # the templates are found, not an empty check
    for template in templates:
        assert _fields(catalogue.gettext(template)) == _fields(template), template


def _templates_of(said: object) -> list[str]:
    if isinstance(said, str):
        return [said]
    template = getattr(said, "template", None)
    return [template] if isinstance(template, str) else []


def test_french_grammar_counts_lists_and_articles(
    in_french: _Asked, monkeypatch: pytest.MonkeyPatch
) -> None:
    def said(template: str, **params: Any) -> str:
        monkeypatch.setitem(WORDS, "probe", template)
        return words(because("probe", **params))

    assert said("{n:count:unit}", n=1) == "1 unité"
    assert said("{n:count:unit}", n=0) == "0 unité"  # French counts none in the singular
    assert said("{n:count:unit}", n=2) == "2 unités"
    assert said("{x:a_deal}/{x:the_deal}", x="force pledge") == (
        "une promesse de forces/la promesse de forces"
    )
    assert said("{x:the_deal}", x="aid") == "l'accord d'aide"
    assert said("{x:percent}", x=20) == "20\u202f%"
    assert said("{x:.2f}, {y:.0%}, {z:signed:.1f}", x=0.5, y=0.25, z=1.5) == (
        "0,50, 25\u202f%, +1,5"
    )
    line = words(
        because(FeedLine.PROPOSAL_SIGNED, who="aurora", label="aid", parties=["a", "b", "c"])
    )
    assert line == "aurora signe l'accord d'aide (a, b et c)."
    # A name that opens with a vowel takes the elision its template could not write.
    assert said("{u} / {v}", u="de Arvenia", v="de Lindmark") == "d'Arvenia / de Lindmark"
    assert words(because(ChangeReason.RED_CARD, unit="Air Wing")) == (
        "carton rouge sur l'emploi d'Air Wing"
    )
    with speaking("en", lambda message: message):
        assert said("{n:count:unit}", n=0) == "0 units"
        assert said("{x:a_deal}", x="aid") == "an aid agreement"
        assert said("{x:percent}", x=20) == "20%"
        assert said("{x:.2f}, {y:.0%}", x=0.5, y=0.25) == "0.50, 25%"
        assert said("{u}", u="de Arvenia") == "de Arvenia"


def test_the_language_chosen_for_a_person_is_the_rules_language() -> None:
    reason = because(R.GIVE_MESSAGE)
    with use_language("fr"):
        assert words(reason) == "Indiquez un message."
        with use_language("en"):
            assert words(reason) == "Give a message."
    assert words(reason) == "Give a message."


# Representative terms of each kind of agreement, for its description.
_TERMS: dict[str, dict[str, Any]] = {
    "aid": {"from": "aurora", "to": "borealis", "amount": 5},
    "basing": {"host": "aurora", "region": "north"},
    "coalition_membership": {"name": "Shield", "lead": "aurora", "operations": "hammerfall"},
    "command_arrangement": {
        "coalition_id": "c1",
        "command": "integrated",
        "lead": "borealis",
        "operations": "hammerfall,wellspring",
    },
    "cost_sharing": {"payer": "aurora", "share": 30, "operation_id": "hammerfall"},
    "force_pledge": {"nation": "aurora", "strength": 4, "operation_id": "hammerfall", "turn": 2},
    "joint_statement": {"text": "Together."},
    "ngo_coordination": {"ngo": "relief"},
}


@pytest.mark.parametrize("kind", sorted(AGREEMENTS))
def test_every_agreement_kind_is_labelled_explained_and_described_in_french(
    kind: str, in_french: _Asked
) -> None:
    spec = AGREEMENTS[kind]
    names = Names(
        {"aurora": "Aurora", "borealis": "Borealis"},
        {"hammerfall": "Hammerfall", "wellspring": "Wellspring"},
        {"north": "North Shelf"},
        {"c1": "Shield"},
        {"relief": "Relief Without Borders"},
    )
    label, help_text = in_french(spec.label), in_french(spec.help)
    described = spec.describe(_TERMS.get(kind, {}), names)
    assert not in_french.missing, in_french.missing
    with speaking("en", lambda message: message):
        assert spec.describe(_TERMS.get(kind, {}), names) != described
    assert label and help_text != spec.help and "{" not in described
