"""Articles and names: one helper (`app.rules.wording.base`) says every kind of agreement
with the right article, in every feed line that names one, and opens a sentence without
lower-casing an initialism."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from app import rules
from app.rules.agreements import AGREEMENTS
from app.rules.feed import feed_line
from app.rules.wording import words
from app.rules.wording.base import a_deal, a_mandate, mid_sentence, sentence_start
from app.rules.wording.feed import FeedLine
from tests.rules.test_events import SCENARIO_IDS, played

PROPOSAL_EVENTS = [
    rules.EventKind.PROPOSAL_MADE,
    rules.EventKind.PROPOSAL_COUNTERED,
    rules.EventKind.PROPOSAL_SIGNED,
    rules.EventKind.PROPOSAL_REJECTED,
    rules.EventKind.PROPOSAL_WITHDRAWN,
    rules.EventKind.AGREEMENT_SIGNED,
]
# "a" before a vowel sound, "an" before a consonant sound: never either.
WRONG_ARTICLE = re.compile(r"\ba [aeioAEIO]|\ban [bcdgjkpqtvwyzBCDGJKPQTVWYZ]")


@pytest.mark.parametrize("kind", sorted(AGREEMENTS))
def test_every_agreement_kind_has_its_article(kind: str) -> None:
    label = AGREEMENTS[kind].label
    phrase = a_deal(label)
    assert not WRONG_ARTICLE.search(phrase), phrase
    assert sentence_start(label)[0].isupper()
    assert sentence_start(label)[1:] == label[1:]  # "NGO coordination", not "Ngo ..."


def test_the_helper_on_the_words_that_went_wrong() -> None:
    assert a_deal("aid") == "an aid agreement"
    assert a_deal("intelligence sharing") == "an intelligence sharing agreement"
    assert a_deal("NGO coordination") == "an NGO coordination agreement"
    assert a_deal("force pledge") == "a force pledge"
    assert a_mandate("un") == "a UN mandate"
    assert sentence_start("NGO coordination") == "NGO coordination"
    assert mid_sentence("The Fenwick Isles") == "the Fenwick Isles"
    assert mid_sentence("Arvenia and The Fenwick Isles") == "Arvenia and the Fenwick Isles"
    assert mid_sentence("Theodoria") == "Theodoria"


# Lines whose text is a player's, a bot's or a scenario's own words, quoted as written.
FREE_TEXT = {
    FeedLine.MESSAGE_SENT,
    FeedLine.INJECT,
    FeedLine.PRIVATE_INJECT,
    FeedLine.INJECT_BY_CONTROL,
    FeedLine.INJECT_BY_TRIGGER,
    FeedLine.CONTROL_FEEDBACK,
}


@pytest.mark.parametrize("scenario_id", SCENARIO_IDS)
def test_every_feed_line_names_a_nation_with_its_article_in_place(scenario_id: str) -> None:
    """Every nation renamed "The ...": each line that names one says "the ..." inside a
    sentence ("Signed by the Fenwick Isles") and "The ..." only where a sentence opens."""
    log = played(scenario_id)
    renamed = [replace(n, name=f"The {n.name}") for n in log.state.nations]
    state = replace(log.state, nations=tuple(renamed))
    viewers = [rules.Viewer.control(), *(rules.Viewer.of_nation(n.id) for n in renamed)]
    named = set()
    for viewer in viewers:
        for event in log.events:
            line = feed_line(state, event, viewer)
            if line is None or line.code in FREE_TEXT:
                continue
            text = words(line, state)
            for nation in renamed:
                bare = nation.name.removeprefix("The ")
                # (A channel's or coalition's own name, stored when it was made, is its own.)
                for found in re.finditer(rf"\b([Tt]he) {re.escape(bare)}\b", text):
                    named.add(line.code)
                    before = text[: found.start()]
                    opens = not before.strip() or re.search(r"[.!?]\s+$", before)
                    assert found.group(1) == ("The" if opens else "the"), (line.code, text)
    assert named, "no line named a nation"


@pytest.mark.parametrize("event_kind", PROPOSAL_EVENTS)
@pytest.mark.parametrize("kind", sorted(AGREEMENTS))
def test_every_feed_line_naming_an_agreement_reads_right(
    game: rules.GameState, event_kind: rules.EventKind, kind: str
) -> None:
    parties = ["aurora", "borealis"]
    event = rules.Event(
        event_kind,
        "aurora",
        {"agreement_id": "ag-1", "agreement": kind, "parties": parties, "terms": {}},
    )
    line = feed_line(game, event, rules.Viewer.of_nation("aurora"))
    if line is None:
        pytest.skip(f"{event_kind} is not told in the feed")
    text = words(line, game)
    assert not WRONG_ARTICLE.search(text), text
    assert AGREEMENTS[kind].label in text


def test_a_deal_signed_by_one_party_is_not_between_one(game: rules.GameState) -> None:
    event = rules.Event(
        rules.EventKind.AGREEMENT_SIGNED,
        "aurora",
        {
            "agreement_id": "ag-1",
            "agreement": "ngo_coordination",
            "parties": ["aurora"],
            "terms": {},
        },
    )
    line = feed_line(game, event, rules.Viewer.of_nation("aurora"))
    assert line is not None
    assert words(line, game) == "Signed: NGO coordination agreement by Aurora."


def test_each_command_structure_is_explained_with_the_rules_numbers() -> None:
    from app.rules.resolution.tuning import COMMAND_FLOOR, COMMAND_PENALTY
    from app.rules.wording.command import command_explained

    for structure in ("integrated", "lead_nation", "parallel"):
        said = command_explained(structure)
        assert f"loses {COMMAND_PENALTY[structure]:.0%} for each nation" in said
        assert f"never below {COMMAND_FLOOR[structure]:.0%}" in said
    assert command_explained("nonsense") == ""
