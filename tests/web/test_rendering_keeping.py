"""What the live pages' rendering keeps between changes and pages: each kept value must
change with every input it is made from, and never be another page's."""

from __future__ import annotations

import dataclasses
import os
import random
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from app import rules
from app.i18n import use_language
from app.rules.feed import feed_line
from app.rules.reasons import Reason
from app.rules.wording import words
from app.scenarios.build import opening_state
from app.scenarios.loader import load_scenario
from app.web import rendering
from app.web.rendering import TEMPLATES_DIR, PageRenderer, finish_marks, make_templates

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
_MARK = re.compile(r"<!--if:([^>]*)-->(.*?)<!--fi-->", re.DOTALL)


def _finished_by_regex(html: str, nation_id: str | None) -> str:
    """A marked copy finished as before its pieces were kept: one regex pass."""

    def keep(match: re.Match[str]) -> str:
        kept = nation_id is not None and match.group(1) in ("*", nation_id)
        return match.group(2) if kept else ""

    return _MARK.sub(keep, html)


def test_a_marked_copy_cut_once_finishes_for_each_page_as_one_regex_pass_would() -> None:
    rng = random.Random(7)
    whose = ["a", "b", "c", "*"]
    for _ in range(200):
        pieces = []
        for _ in range(rng.randrange(6)):
            pieces.append(rng.choice(["<td>", "x", "", "\n  ", "<!--", "-->"]))
            if rng.random() < 0.7:
                inner = rng.choice(["mine", "", " <span>(you)</span>", "a\nb"])
                pieces.append(f"<!--if:{rng.choice(whose)}-->{inner}<!--fi-->")
        html = "".join(pieces)
        cut = rendering.marked_pieces(html)
        for nation_id in ["a", "b", "c", "d", None]:
            expected = _finished_by_regex(html, nation_id)
            assert finish_marks(html, nation_id) == expected
            assert finish_marks(html, nation_id, cut) == expected


def _gulf_order() -> tuple[rules.GameState, Reason]:
    state, _ = opening_state(load_scenario(SCENARIOS / "gulf-1990.yaml"), seed=3, now=0.0)
    nation = state.nations[0]
    commit = next(
        a for a in rules.legal_actions(state, nation.id) if isinstance(a, rules.CommitUnit)
    )
    result = rules.apply(state, nation.id, commit)
    assert isinstance(result, rules.Accepted)
    line = feed_line(result.state, result.events[0], rules.Viewer.of_nation(nation.id))
    assert line is not None
    return result.state, line


def _renamed(state: rules.GameState, part: str) -> rules.GameState:
    """`state` with `part` (a part of the state a line's words name things from) changed:
    each of its items renamed, or for the standards one more named."""
    if part == "standards":
        return dataclasses.replace(state, standards={**state.standards, "new-tag": "New"})
    items = getattr(state, part)
    assert items, part
    renamed: dict[str, Any] = {
        part: tuple(dataclasses.replace(item, name=f"{item.name} II") for item in items)
    }
    return dataclasses.replace(state, **renamed)


def test_a_feed_line_worded_at_one_seq_is_kept_only_while_what_it_names_is_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A line is worded once for the parts of the state its words name things from; at a
    later seq it is worded again when any of them changed, and reads as its state says."""
    state, line = _gulf_order()
    worded: list[rules.GameState] = []

    def counted(reason: Reason, at: rules.GameState | None = None) -> str:
        worded.append(at)  # type: ignore[arg-type]
        return words(reason, at)

    monkeypatch.setattr(rendering, "words", counted)
    renderer = PageRenderer(make_templates())
    assert renderer._line("g", 1, line, state) == words(line, state)
    # Another change that leaves every named part as it was (the clock, who is ready).
    later = dataclasses.replace(state, ready=frozenset({state.nations[1].id}))
    assert renderer._line("g", 2, line, later) == words(line, state)
    assert len(worded) == 1
    seq = 3
    for part in ("nations", "operations", "coalitions", "actors", "channels", "standards"):
        changed = _renamed(state, part)
        assert renderer._line("g", seq, line, changed) == words(line, changed), part
        assert worded[-1] is changed, part  # worded again for it, not given the old line
        seq += 1
    # The renamed nation and operation read in the line as they now are.
    assert "II" in words(line, _renamed(state, "nations"))
    assert "II" in words(line, _renamed(state, "operations"))
    # In another language, another line.
    with use_language("fr"):
        assert renderer._line("g", seq, line, state) == words(line, state)
    assert worded[-1] is state


def test_a_kept_part_writes_each_page_s_own_seat_url_as_a_template_would() -> None:
    templates = make_templates()
    kept: Any = templates.env.globals["kept"]
    macro = templates.env.from_string(
        '{% macro link(u) %}<a href="{{ u }}/orders">go</a>{% endmacro %}'
    ).module.link  # type: ignore[attr-defined]
    urls = ["/games/g/nations/a&b", "/games/g/nations/c", "/games/g/observe", "", "/x\x00y"]
    for url in [*urls, *reversed(urls), urls[0], urls[0], urls[1]]:
        assert str(kept(("link",), macro, seat_url=url)) == str(macro(url)), url


def _template_dir(tmp_path: Path) -> Path:
    copy = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, copy)
    return copy


@pytest.mark.parametrize("reload", [False, True])
def test_a_template_is_kept_once_loaded_unless_templates_are_reloaded(
    tmp_path: Path, reload: bool
) -> None:
    directory = _template_dir(tmp_path)
    renderer = PageRenderer(make_templates(directory, reload=reload))
    before = renderer.connection_status("live")
    assert renderer.template("fragments/connection.html") is renderer.template(
        "fragments/connection.html"
    )
    source = directory / "fragments" / "connection.html"
    source.write_text(source.read_text() + "<!-- edited -->")
    stat = source.stat()
    os.utime(source, (stat.st_atime + 10, stat.st_mtime + 10))
    after = renderer.connection_status("live")
    assert ("<!-- edited -->" in after) if reload else (after == before)
