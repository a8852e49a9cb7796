"""The wording of reasons: every code has its words, no words lack a code, stored
sentences still read, and the format specs turn ids into names."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter

from app.rules import GameState, wording
from app.rules.reasons import TEXT, Reason, StoredReason, because, in_words
from app.rules.wording import CODES, WORDS, UnknownReason, words
from app.rules.wording.base import Words


def test_every_code_has_words_and_every_word_a_code() -> None:
    assert len(CODES) == len(set(CODES)), "a code is used by two reason enums"
    assert set(CODES) == set(WORDS)


def test_an_unknown_code_is_an_error_not_a_default() -> None:
    with pytest.raises(UnknownReason):
        words(Reason("no_such_reason"))


def test_a_sentence_stored_before_reason_codes_loads_as_its_own_words() -> None:
    stored = TypeAdapter(StoredReason).validate_python("Sanctions bite")
    assert stored == in_words("Sanctions bite") and stored.code == TEXT
    assert words(stored) == "Sanctions bite"


def test_format_specs_name_ids_count_and_sign(
    monkeypatch: pytest.MonkeyPatch, game: GameState
) -> None:
    state = game
    nation = state.nations[0]
    operation = state.operations[0]
    table: dict[str, Words] = {
        "probe": "{n:nation} on {op:operation}: {k:count:unit}, {one:count:unit}, {d:signed}"
        " {d:signed:.1f}, {ids:names}; {items:list}",
    }
    monkeypatch.setattr(wording, "WORDS", {**WORDS, **table})
    said = words(
        because(
            "probe",
            n=nation.id,
            op=operation.id,
            k=3,
            one=1,
            d=0.5,
            ids=[nation.id, "nobody"],
            items=["air 2/3", "isr 0/1"],
        ),
        state,
    )
    assert said == (
        f"{nation.name} on {operation.name}: 3 units, 1 unit, +0.5 +0.5, "
        f"{nation.name}, nobody; air 2/3, isr 0/1"
    )
    # Without a state (a log line read alone) ids stay ids.
    assert words(because("probe", n="x", op="y", k=2, one=1, d=-1, ids=[], items=[])) == (
        "x on y: 2 units, 1 unit, -1 -1.0, ; "
    )
