"""The live panels: which panels each kind of event can change, and which viewers share one.

Both tables let the live pages skip work; both are checked here against the panels
themselves, rendered before and after real actions, for every viewer."""

from __future__ import annotations

import dataclasses
import itertools
import random
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal, get_args

import pytest
from jinja2 import Undefined, pass_context, pass_environment, pass_eval_context
from markupsafe import Markup, escape

from app import i18n, rules
from app.i18n import use_language
from app.rules import red_cell
from app.rules.action_types import RedMove
from app.rules.agreements.common import adjust_trust_many
from app.rules.seats import set_controller
from app.rules.state import RED_CELL_SEAT
from app.rules.views import LazyView
from app.scenarios.build import opening_state
from app.scenarios.loader import load_scenario
from app.scenarios.models import Caveat
from app.services.game_results import LoggedEvent, Snapshot
from app.web.rendering import (
    ALL_PANELS,
    MARKED_FOR_NATIONS,
    PANELS_BY_EVENT,
    PUBLIC,
    SHARED_WITH_OBSERVERS,
    TERMS,
    TIMED_PANELS,
    Later,
    PageRenderer,
    card_orders_key,
    card_top_key,
    caveat_label,
    css_string,
    escaped_output,
    feed_entries,
    finish_marks,
    flat_key,
    forces_row_key,
    fragments_for,
    make_templates,
    panels_touched,
    panels_touched_for,
    printable_output,
    relation_rows,
    situation_keys,
    theatre_keys,
)

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
NOW = 1_000_000.0
SEQ = 7


@pytest.fixture(scope="module")
def renderer() -> PageRenderer:
    return PageRenderer(make_templates())


def _opening(name: str) -> rules.GameState:
    state, _ = opening_state(load_scenario(SCENARIOS / f"{name}.yaml"), seed=3, now=NOW)
    return state


def _after_a_turn(state: rules.GameState) -> rules.GameState:
    """Every nation commits what it can (one unit per operation), then the turn resolves:
    a state with outcomes, records and commitments to hide."""
    for nation in state.nations:
        used: set[str] = set()
        for action in rules.legal_actions(state, nation.id):
            if isinstance(action, rules.CommitUnit) and action.operation_id not in used:
                result = rules.apply(state, nation.id, action)
                if isinstance(result, rules.Accepted):
                    state = result.state
                    used.add(action.operation_id)
    state, _ = rules.resolve_turn(state, NOW + 10)
    return state


@pytest.fixture(scope="module")
def states() -> list[rules.GameState]:
    # Meridian with a student red cell playing Teskar (its own viewer and moves).
    seated = red_cell.seat_red_cell(_opening("meridian-strait"), "human")
    assert isinstance(seated, rules.Accepted)
    meridian = seated.state
    gulf = _after_a_turn(_opening("gulf-1990"))
    return [
        dataclasses.replace(state, fog=fog)
        for state, fog in itertools.product((meridian, _after_a_turn(meridian), gulf), FOGS)
    ]


FOGS: tuple[Literal["open", "standard", "strict"], ...] = ("open", "standard", "strict")


def _viewers(state: rules.GameState) -> list[rules.Viewer]:
    nations = [rules.Viewer.of_nation(n.id) for n in state.nations]
    red = [rules.Viewer.red_cell()] if state.red_cell is not None else []
    return [*nations, *red, rules.Viewer.observer(), rules.Viewer.control()]


def _rendered(
    renderer: PageRenderer,
    state: rules.GameState,
    viewer: rules.Viewer,
    names: frozenset[str] = ALL_PANELS,
) -> dict[str, str]:
    """The viewer's live panels `names` (default: all its page has), from its own view."""
    context = renderer.context(Snapshot("g", "Game", SEQ, state), viewer, now=NOW)
    return {
        name: renderer.fragment(name, context, oob=True)
        for name in fragments_for(viewer)
        if name in names
    }


def test_every_kind_of_event_names_the_panels_it_can_change() -> None:
    assert set(PANELS_BY_EVENT) == set(rules.EventKind)
    for kind, panels in PANELS_BY_EVENT.items():
        assert panels and panels <= ALL_PANELS, kind


def test_a_kind_missing_from_the_table_changes_every_panel() -> None:
    ready = rules.Event(rules.EventKind.READY_CHANGED, "x", {"nation_id": "x", "ready": True})
    stranger = rules.Event(rules.EventKind.READY_CHANGED, "x", {"nation_id": "x", "ready": True})
    object.__setattr__(stranger, "kind", "a_kind_from_a_newer_version")
    assert panels_touched([ready]) == {"clock", "ready", "nations"}
    assert panels_touched([stranger]) == ALL_PANELS
    assert panels_touched([ready, stranger]) == ALL_PANELS


def _moves(state: rules.GameState) -> Iterator[tuple[rules.GameState, tuple[rules.Event, ...]]]:
    """A few of every kind of action each nation may take now (talks included), and seats
    changing hands, each as the state after it and the events it told."""
    for nation in state.nations:
        actions: list[rules.Action] = []
        per_kind: dict[str, int] = {}
        for action in rules.legal_actions(state, nation.id):
            per_kind[action.kind] = per_kind.get(action.kind, 0) + 1
            if per_kind[action.kind] <= 2:
                actions.append(action)
        for channel in state.channels:
            actions.append(rules.SendMessage(channel.id, "Hold the line."))
        for agreement in state.agreements:
            if agreement.status == "open" and agreement.proposer != nation.id:
                actions.append(rules.Counter(agreement.id, dict(agreement.terms)))
        others = [n.id for n in state.nations if n.id != nation.id]
        actions.append(rules.OpenChannel((nation.id, others[0]), "back room"))
        for action in actions:
            result = rules.apply(state, nation.id, action)
            if isinstance(result, rules.Accepted):
                yield result.state, tuple(result.events)
    if state.red_cell is not None:
        for move in (RedMove("signal", "Hold the line."), RedMove("escalate")):
            result = rules.apply(state, RED_CELL_SEAT, move)
            if isinstance(result, rules.Accepted):
                yield result.state, tuple(result.events)
    nation_id = state.nations[0].id
    for controller, kind in (
        ("bot", rules.EventKind.SEAT_HANDED_TO_BOT),
        ("human", rules.EventKind.SEAT_TAKEN_BACK),
        ("vacant", rules.EventKind.SEAT_JOINED),
    ):
        seat = rules.Event(kind, None, {"nation_id": nation_id})
        yield set_controller(state, nation_id, controller), (seat,)


# Moves after which another is worth trying: a unit to withdraw, a proposal to answer.
OPENERS = {
    rules.EventKind.UNIT_COMMITTED,
    rules.EventKind.AUTHORITY_TRANSFERRED,
    rules.EventKind.PROPOSAL_MADE,
}


def test_an_action_changes_no_panel_its_events_do_not_name_for_the_viewer(
    renderer: PageRenderer, states: list[rules.GameState]
) -> None:
    checked: dict[rules.EventKind, int] = {}
    # Each state once (strict fog once), then what follows a move that opens another.
    frontier = [(state, 0) for state in states[1::3] + states[2::3][:1]]
    while frontier:
        state, depth = frontier.pop()
        before: dict[rules.Viewer, dict[str, str]] = {}
        openers: set[rules.EventKind] = set()
        for after, events in _moves(state):
            kinds = {e.kind for e in events}
            if depth == 0 and kinds & OPENERS - openers:
                openers |= kinds & OPENERS
                frontier.append((after, 1))
            touched = panels_touched(events)
            if touched == ALL_PANELS or all(checked.get(k, 0) >= 6 for k in kinds):
                continue
            for kind in kinds:
                checked[kind] = checked.get(kind, 0) + 1
            for viewer in _viewers(state):
                if viewer not in before:
                    before[viewer] = _rendered(renderer, state, viewer)
                # What the viewer's page re-renders: no more than the kinds name.
                seen = panels_touched_for(after, events, viewer)
                assert seen <= touched
                now = _rendered(renderer, after, viewer, ALL_PANELS - seen)
                for name, html in now.items():
                    assert html == before[viewer][name], (
                        f"{sorted(kinds)} changed #{name} for {viewer.key}"
                    )
    narrowed = {kind for kind, panels in PANELS_BY_EVENT.items() if panels != ALL_PANELS}
    # Every narrowed kind a nation's action or a seat change tells was exercised (a
    # relinked seat changes no state at all).
    assert narrowed - checked.keys() <= {rules.EventKind.SEAT_RELINKED}, narrowed - checked.keys()


def test_a_shared_panel_is_exactly_what_each_viewer_sharing_it_would_see(
    renderer: PageRenderer, states: list[rules.GameState]
) -> None:
    shared = 0
    for state in states:
        public = _rendered(renderer, state, PUBLIC)
        for viewer in _viewers(state):
            own = _rendered(renderer, state, viewer)
            for name in own:
                if renderer.sight(state, name, viewer) == PUBLIC:
                    shared += 1
                    assert own[name] == public[name], f"#{name} differs for {viewer.key}"
    assert shared > len(states) * 2  # the clock for everyone, and more


def test_viewers_of_a_shared_panel_hold_one_copy_and_a_private_one_their_own(
    states: list[rules.GameState],
) -> None:
    renderer = PageRenderer(make_templates())
    state = states[1]  # meridian's opening, standard fog: nobody has committed a unit
    snapshot = Snapshot("g", "Game", SEQ, state)
    first_nation, second_nation = state.nations[:2]
    a, b = rules.Viewer.of_nation(first_nation.id), rules.Viewer.of_nation(second_nation.id)
    ready = rules.Event(
        rules.EventKind.READY_CHANGED, a.nation_id, {"nation_id": first_nation.id, "ready": True}
    )
    first = {f.panel: f.html for f in renderer.panels(snapshot, a)}
    second = {f.panel: f.html for f in renderer.panels(snapshot, b)}
    assert first["clock"] is second["clock"]
    assert first["theatre"] is second["theatre"]  # no forces committed yet: no "yours"
    assert first["situation"] != second["situation"]
    # Only the panels the event names are rendered for a change.
    delta = renderer.delta(snapshot, [LoggedEvent(SEQ, 1, ready)], a)
    assert {f.panel for f in delta if f.panel} == {"clock", "ready", "nations"}
    assert set(SHARED_WITH_OBSERVERS) <= ALL_PANELS


def test_every_panel_a_page_gets_is_what_its_viewer_s_own_view_renders(
    states: list[rules.GameState],
) -> None:
    """Shared, marked or the viewer's own: each viewer's copy of each panel is exactly
    the panel rendered from its own view, in every fog."""
    renderer = PageRenderer(make_templates())
    marked = 0
    for index, state in enumerate(states):
        snapshot = Snapshot("g", "Game", SEQ + index, state)
        for viewer in _viewers(state):
            context = renderer.context(snapshot, viewer, now=NOW)
            own = {n: renderer.fragment(n, context, oob=True) for n in fragments_for(viewer)}
            got = {f.panel: f.html for f in renderer.panels(snapshot, viewer)}
            for name, html in own.items():
                if name in TIMED_PANELS:
                    continue  # the time left as of now, not as of NOW
                assert got[name] == html, f"#{name} differs for {viewer.key} ({state.fog})"
                marked += name in MARKED_FOR_NATIONS and MARKED_FOR_NATIONS[name](state, viewer)
    assert marked > len(states)  # the nations table, outside strict fog


_MARKED = re.compile(r"<!--if:([^>]*)-->(.*?)<!--fi-->", re.DOTALL)


def test_a_marked_panel_s_shared_copy_holds_only_the_observers_view_and_the_marks(
    states: list[rules.GameState],
) -> None:
    """The copy the nations share is the observers' panel with, between comments, only
    the template's own marks (a row's class, "(you)", the footnote): no nation's data."""
    renderer = PageRenderer(make_templates())
    for index, state in enumerate(states):
        snapshot = Snapshot("g", "Game", SEQ + index, state)  # "g", as `_rendered`
        for name, shares in MARKED_FOR_NATIONS.items():
            nations = [rules.Viewer.of_nation(n.id) for n in state.nations]
            if not all(shares(state, v) for v in nations):
                # Strict fog: a nation's own count is its own, so each has its own copy.
                assert state.fog == "strict"
                for viewer in nations:
                    html = renderer.panels(snapshot, viewer, [name])[0].html
                    assert "<!--" not in html
                continue
            assert state.fog != "strict"
            shared = renderer._panel(snapshot, name, PUBLIC, "marked", extra={"marks": True})
            marks = _MARKED.findall(shared)
            assert {whose for whose, _ in marks} == {n.id for n in state.nations} | (
                {"*"} if state.phase == rules.Phase.ORDERS else set()
            )
            kept = {"mine", ' <span class="muted">(you)</span>'}
            for whose, text in marks:
                if whose == "*":
                    assert text.startswith('<p class="small muted">The turn resolves')
                else:
                    assert text in kept
            public = _rendered(renderer, state, PUBLIC, frozenset({name}))[name]
            assert finish_marks(shared, None) == public
            assert "<!--" not in public


def test_a_message_re_renders_its_channel_s_line_only_and_each_page_its_own_marks(
    states: list[rules.GameState],
) -> None:
    renderer = PageRenderer(make_templates())
    state = states[1]  # meridian's opening, standard fog
    snapshot = Snapshot("g", "Game", SEQ, state)
    public = next(c for c in state.channels if c.kind == "public")
    nation = state.nations[0]
    sent = rules.apply(state, nation.id, rules.SendMessage(public.id, "Hold."))
    assert isinstance(sent, rules.Accepted)
    after = Snapshot("g", "Game", SEQ + 1, sent.state)
    logged = [LoggedEvent(SEQ + 1, state.turn, e) for e in sent.events]
    feeds = []
    for viewer in (*(rules.Viewer.of_nation(n.id) for n in state.nations), PUBLIC):
        delta = renderer.delta(after, logged, viewer)
        assert not [f.panel for f in delta if f.panel]  # no whole panel: the channel's line
        lines = [f for f in delta if f.patches == "negotiation"]
        assert len(lines) == (0 if viewer == PUBLIC else 1)
        # The feed's new line: the viewer's own, rendered once for all who read the same.
        entries = renderer.feed_of(after, logged, viewer)
        template = renderer.templates.get_template("fragments/feed.html")
        (feed,) = (f.html for f in delta if f.panel is None and f.patches is None)
        assert feed == template.render({"entries": entries, "mode": "prepend"})
        assert "Hold." in feed
        feeds.append(feed)
    assert all(feed is feeds[0] for feed in feeds)
    # The nations table: one copy per nation, the observers and control one between them.
    a, b = (rules.Viewer.of_nation(n.id) for n in state.nations[:2])
    copies = {
        v: renderer.panels(snapshot, v, ["nations"])[0].html
        for v in (a, b, PUBLIC, rules.Viewer.control())
    }
    assert copies[PUBLIC] is copies[rules.Viewer.control()]
    assert copies[a] is renderer.panels(snapshot, a, ["nations"])[0].html
    assert copies[a] != copies[b] != copies[PUBLIC]
    assert '<tr class="mine"><td>' + state.nations[0].name + " <span" in copies[a]
    assert "mine" not in copies[PUBLIC] and "(you)" not in copies[PUBLIC]


@pytest.mark.parametrize("fog", FOGS)
def test_a_feed_line_kept_for_one_page_is_only_given_to_pages_that_read_the_same(
    fog: Literal["open", "standard", "strict"], states: list[rules.GameState]
) -> None:
    """Feed lines are worded once per game, seq and line: after an order, which the
    nation that gave it reads in full and the others (under fog) read less or not at all,
    and after a message, every page's entries are what its own wording gives, whichever
    page asked first."""
    gulf = dataclasses.replace(states[-1], fog=fog)
    nation = next(n for n in gulf.nations if n.units)
    commit = next(
        a for a in rules.legal_actions(gulf, nation.id) if isinstance(a, rules.CommitUnit)
    )
    ordered = rules.apply(gulf, nation.id, commit)
    assert isinstance(ordered, rules.Accepted)
    public = next(c for c in ordered.state.channels if c.kind == "public")
    said = rules.apply(ordered.state, nation.id, rules.SendMessage(public.id, "Hold."))
    assert isinstance(said, rules.Accepted)
    renderer = PageRenderer(make_templates())
    for seq, result in ((SEQ + 1, ordered), (SEQ + 2, said)):
        snapshot = Snapshot("g", "Game", seq, result.state)
        logged = [LoggedEvent(seq, result.state.turn, e) for e in result.events]
        viewers = _viewers(result.state)
        # The nation that acted first (it reads the most), then the others, then again.
        for viewer in (rules.Viewer.of_nation(nation.id), *viewers, *reversed(viewers)):
            expected = feed_entries(result.state, logged, viewer)
            assert renderer.feed_of(snapshot, logged, viewer) == expected, viewer.key
    texts = {
        v.key: [e["text"] for e in feed_entries(ordered.state, [logged_order], v)]
        for v in _viewers(ordered.state)
        for logged_order in [LoggedEvent(SEQ + 1, gulf.turn, ordered.events[0])]
    }
    # Under fog the order reads differently on different pages: the cache kept both.
    assert fog == "open" or len({tuple(t) for t in texts.values()}) > 1


def test_a_kept_channel_line_is_only_given_to_pages_whose_line_reads_the_same(
    states: list[rules.GameState],
) -> None:
    """The channels list keeps each channel's line by what it shows (the seat's links,
    whom the channel is with, its count): every page's list, rendered after the others'
    with the lines they kept, and again after a message, is its own render without any."""
    shared = PageRenderer(make_templates())
    state = states[-1]  # the gulf after a turn: public, coalition, bilateral channels
    public = next(c for c in state.channels if c.kind == "public")
    said = rules.apply(state, state.nations[0].id, rules.SendMessage(public.id, "Hold."))
    assert isinstance(said, rules.Accepted)
    nations = [rules.Viewer.of_nation(n.id) for n in state.nations]
    for now in (state, said.state):
        for viewer in (*nations, *reversed(nations)):
            kept = _rendered(shared, now, viewer, frozenset({"negotiation"}))
            alone = _rendered(
                PageRenderer(make_templates()), now, viewer, frozenset({"negotiation"})
            )
            assert kept == alone, viewer.key
            assert f"/nations/{viewer.nation_id}/talks/channels/" in kept["negotiation"]


def test_kept_refusals_and_leave_warnings_are_only_given_to_pages_that_read_the_same(
    states: list[rules.GameState],
) -> None:
    """A nation's orders (`legal`) keep the words of its refusals and of what leaving would
    do across orders and pages: every page's, in either language, after an order and
    after trust falls, is what a renderer that kept nothing gives."""
    gulf = states[-1]
    nation = next(n for n in gulf.nations if n.units)
    commit = next(
        a for a in rules.legal_actions(gulf, nation.id) if isinstance(a, rules.CommitUnit)
    )
    ordered = rules.apply(gulf, nation.id, commit)
    assert isinstance(ordered, rules.Accepted)
    coalition = next(c for c in gulf.coalitions if nation.id in c.members)
    distrusted = adjust_trust_many(
        ordered.state, {(m, nation.id): -100 for m in coalition.members if m != nation.id}
    )
    shared = PageRenderer(make_templates())
    said: dict[tuple[str, int], list[str]] = {}
    for language in ("en", "fr"):
        with use_language(language):
            for seq, state in enumerate((gulf, ordered.state, distrusted)):
                for viewer in (rules.Viewer.of_nation(n.id) for n in state.nations):
                    kept = shared.context(Snapshot("g", "Game", seq, state), viewer)["legal"]
                    alone = PageRenderer(make_templates()).context(
                        Snapshot("g", "Game", seq, state), viewer
                    )["legal"]
                    assert kept == alone, (language, seq, viewer.key)
                    if viewer.nation_id == nation.id:
                        said[(language, seq)] = kept["leave"][coalition.id]
                        assert kept["blocked"]
    # The words change with the trust that falls and the language, not with an order.
    assert said[("en", 0)] == said[("en", 1)] != said[("en", 2)]
    assert said[("en", 0)] != said[("fr", 0)]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_message_s_delta_is_its_channel_s_line_to_every_page_that_sees_it_and_nothing_else(
    language: str, states: list[rules.GameState]
) -> None:
    """A message changes one line of the channels list: each page whose list shows its
    channel gets that line alone (the one its whole list, rendered for the same state,
    holds, byte for byte, but for the attribute that swaps it in), to replace the line of
    that channel; a page that does not see the channel gets nothing of it."""
    state = states[-1]  # the gulf after a turn: public, coalition and bilateral channels
    kinds = {c.kind: c for c in state.channels}
    assert {"public", "coalition", "bilateral"} <= kinds.keys()
    renderer = PageRenderer(make_templates())
    for seq, channel in enumerate(kinds.values(), SEQ + 1):
        said = rules.apply(state, channel.members[0], rules.SendMessage(channel.id, "Hold."))
        assert isinstance(said, rules.Accepted)
        snapshot = Snapshot("g", "Game", seq, said.state)
        logged = [LoggedEvent(seq, state.turn, e) for e in said.events]
        seeing = 0
        with use_language(language):
            for viewer in _viewers(said.state):
                delta = renderer.delta(snapshot, logged, viewer)
                assert not [f for f in delta if f.panel is not None], viewer.key
                lines = [f for f in delta if f.patches is not None]
                whole = _rendered(renderer, said.state, viewer, frozenset({"negotiation"}))
                item = f'<li data-channel="{channel.id}" '
                if item not in whole.get("negotiation", ""):
                    assert lines == [], viewer.key  # not its channel: not its line
                    assert all(channel.id not in f.html for f in delta), viewer.key
                    continue
                seeing += 1
                (line,) = lines
                assert line.patches == "negotiation"
                selector = f"morph:#negotiation li[data-channel=&#34;{channel.id}&#34;]"
                assert f' hx-swap-oob="{selector}">' in line.html
                own = line.html.replace(f' hx-swap-oob="{selector}"', "", 1)
                assert own.count("<li ") == 1 and own.count("</li>") == 1
                assert own in whole["negotiation"], viewer.key
                start = whole["negotiation"].index(item)
                assert own.strip() == whole["negotiation"][start:].split("</li>")[0] + "</li>"
                assert f'data-channel-total="{said.state.message_counts[channel.id]}"' in own
        assert seeing == (len(state.nations) if channel.kind == "public" else len(channel.members))
        assert seeing < len(state.nations) or channel.kind == "public"


def test_a_change_with_more_than_messages_in_standing_channels_sends_the_whole_list(
    states: list[rules.GameState],
) -> None:
    """A channel opened, even with a message in it in the same change, or a message with a
    proposal: every page that sees them gets its whole channels list, as before."""
    state = states[-1]
    renderer = PageRenderer(make_templates())
    a, b = state.nations[0].id, state.nations[-1].id
    opened = rules.apply(state, a, rules.OpenChannel((b,), "Back room"))
    assert isinstance(opened, rules.Accepted)
    channel = opened.state.channels[-1]
    said = rules.apply(opened.state, a, rules.SendMessage(channel.id, "Hold."))
    assert isinstance(said, rules.Accepted)
    events = [*opened.events, *said.events]
    snapshot = Snapshot("g", "Game", SEQ + 2, said.state)
    logged = [LoggedEvent(SEQ + 1 + i, state.turn, e) for i, e in enumerate(events)]
    for viewer in (rules.Viewer.of_nation(a), rules.Viewer.of_nation(b)):
        delta = renderer.delta(snapshot, logged, viewer)
        assert [f.panel for f in delta if f.panel] == ["negotiation"]
        assert not [f for f in delta if f.patches is not None]
        assert "Back room" in delta[0].html and "1 message" in delta[0].html


def test_a_css_string_names_any_id_as_it_is() -> None:
    assert css_string("ch-12_b") == '"ch-12_b"'
    assert css_string('a"b\\c d,é<') == '"a\\22 b\\5c c\\20 d\\2c \\e9 \\3c "'


def _first_commit(state: rules.GameState) -> tuple[str, rules.Accepted]:
    """The first nation and the state after its first legal commit."""
    nation = state.nations[0].id
    commit = next(a for a in rules.legal_actions(state, nation) if isinstance(a, rules.CommitUnit))
    committed = rules.apply(state, nation, commit)
    assert isinstance(committed, rules.Accepted)
    return nation, committed


def test_a_kept_nation_row_is_only_given_to_pages_whose_row_reads_the_same(
    states: list[rules.GameState],
) -> None:
    """The nations table keeps each row by what it shows (the marks or whose page it is,
    the nation's name, seat, units committed, readiness): every page's table, rendered
    after the others' with the rows they kept, and again after an order and a nation
    ready, is its own render without any, in every fog."""
    shared = PageRenderer(make_templates())
    panel = frozenset({"nations"})
    for index, state in enumerate(states):
        nation, committed = _first_commit(state)
        ready = rules.apply(committed.state, nation, rules.SetReady(True))
        assert isinstance(ready, rules.Accepted)
        for seq, now in enumerate((state, committed.state, ready.state)):
            snapshot = Snapshot("g", "Game", SEQ + 10 * index + seq, now)
            viewers = _viewers(now)
            for viewer in (*viewers, *reversed(viewers)):
                got = shared.panels(snapshot, viewer, panel)[0].html
                alone = _rendered(PageRenderer(make_templates()), now, viewer, panel)
                assert got == alone["nations"], (viewer.key, now.fog)


def _keeping_nothing() -> PageRenderer:
    """A renderer whose `kept` keeps no part: each rendered for its page alone."""
    templates = make_templates()

    def kept(key: Any, macro: Any, *args: Any, seat_url: str | None = None) -> Markup:
        return Markup(macro(*args) if seat_url is None else macro(*args, seat_url))

    templates.env.globals["kept"] = kept
    return PageRenderer(templates)


@pytest.mark.parametrize("name", ["situation", "operations", "theatre"])
def test_a_kept_relation_row_or_card_top_is_only_given_to_pages_that_read_the_same(
    name: str, states: list[rules.GameState]
) -> None:
    """The situation panel keeps each row of a nation's relations table by every value it
    shows (`relation_rows`), its stats, brief, coalitions and each unit's row
    (`situation_keys`, `forces_row_key`), the operations panel each card's top and orders
    (`card_top_key`, `card_orders_key`), the theatre its regions and operations
    (`theatre_keys`): every page's panel, rendered after the others' with the parts they
    kept, and again after an order, its withdrawal and a turn resolved (strength
    committed, choices, progress, trust and support move, with their badges), in each
    language, is its own render without any."""
    shared, alone = PageRenderer(make_templates()), _keeping_nothing()
    panel = frozenset({name})
    for index, state in enumerate(states):
        nation, committed = _first_commit(state)
        commitment = next(c for c in committed.state.commitments if c.nation_id == nation)
        withdrawn = rules.apply(committed.state, nation, rules.WithdrawUnit(commitment.unit_id))
        assert isinstance(withdrawn, rules.Accepted)
        resolved, _ = rules.resolve_turn(committed.state, NOW + 10)
        for seq, now in enumerate((state, committed.state, withdrawn.state, resolved)):
            snapshot = Snapshot("g", "Game", SEQ + 10 * index + seq, now)
            viewers = _viewers(now)
            for language, viewer in itertools.product(("en", "fr"), (*viewers, *reversed(viewers))):
                with use_language(language):
                    got = shared.panels(snapshot, viewer, panel)[0].html
                    own = _rendered(alone, now, viewer, panel)
                assert got == own[name], (viewer.key, now.fog, language)
    if name != "situation":
        return
    # Each value a row shows is in its key, by its type: a badge alone tells rows apart.
    me = {"id": "a", "trust_in": {}, "trusted_by": {}, "alignment": {}, "cooperation": {}}
    nations = [{"id": n, "name": n, "leadership_changes": 0, "leader": "L"} for n in "ab"]
    changes: list[dict[str, float]] = [
        {},
        {"trust:a>b": 1},
        {"trust:a>b": 1.0},
        {"trust:b>a": 1},
        {"cooperation:a>b": 1},
    ]
    keys = {relation_rows(me, nations, c)[0][0] for c in changes}
    assert len(keys) == len(changes) and None not in keys


def _each_changed(base: dict[str, Any], changes: dict[str, list[Any]]) -> list[dict[str, Any]]:
    """`base`, and `base` with each of its values changed as `changes` lists, one at a time."""
    return [base] + [{**base, name: v} for name, values in changes.items() for v in values]


def _all_apart(keys: list[Any]) -> None:
    assert None not in keys and len(set(keys)) == len(keys), keys


def test_a_flat_key_tells_apart_values_that_read_differently() -> None:
    values: list[Any] = [1, 1.0, True, "1", Markup("1"), 0.0, -0.0, None, "", 0]
    _all_apart([flat_key("k", ["a", v]) for v in values])
    assert flat_key("k", [0.0]) != flat_key("k", [-0.0])
    assert flat_key("k", [[1]]) is None and flat_key("k", [object()]) is None
    assert flat_key("k", [1]) != flat_key("j", [1])


def test_an_operation_card_s_kept_parts_change_with_every_value_they_show() -> None:
    """Each value an operation card's top or orders read (`card_top_key`,
    `card_orders_key`) is in its key: changing any one gives another key."""
    op = {
        "id": "op",
        "name": "Op",
        "power": "hard",
        "status": "open",
        "open": True,
        "opens_turn": 1,
        "difficulty": 3,
        "risk": 0.25,
        "coalition_id": None,
        "progress": 0,
        "duration": 2,
        "description": "D",
        "requirements": {"land": 4},
        "committed_strength": {"by_capability": {"land": 2}, "all_seen": False},
        "committed_nations": ["a", "b"],
        "commitments": [{"nation_id": "a", "unit_id": "u1"}, {"nation_id": "b", "unit_id": "x"}],
        "my_units": ["u1"],
    }
    ops = _each_changed(
        op,
        {
            "id": ["op2"],
            "name": ["Op 2"],
            "power": ["soft"],
            "status": ["completed"],
            "open": [False],
            "opens_turn": [2],
            "difficulty": [4, 3.0],
            "risk": [0.5],
            "coalition_id": ["c"],
            "progress": [1, 0.0],
            "duration": [3],
            "description": ["E"],
            "requirements": [{"land": 5}, {"air": 4}, {"land": 4, "air": 1}],
            "committed_strength": [
                {"by_capability": {"land": 3}, "all_seen": False},
                {"by_capability": {"land": 2}, "all_seen": True},
                {"by_capability": {}, "all_seen": False},
            ],
        },
    )
    tops = [card_top_key(o, "R", None, True) for o in ops]
    _all_apart([*tops, card_top_key(op, "S", None, True), card_top_key(op, "R", "C", True)])
    assert card_top_key(op, "R", None, True) != card_top_key(op, "R", None, False)

    unit = {"name": "U", "capability": "land", "strength": 2, "cost": 3}
    units = {"u1": unit, "u2": {**unit, "name": "V"}, "t": {**unit, "name": "T (B)"}}
    base = {
        "op": op,
        "me": {"id": "a"},
        "units": units,
        "tasked": [],
        "choices": ["u2"],
        "phase": "orders",
        "turn": 1,
        "blocked": {},
        "nation_names": {"a": "A", "b": "B", "c": "C"},
    }
    other = {**units, "u2": {**unit, "name": "V"}}
    cases = _each_changed(
        base,
        {
            "op": [
                {**op, "id": "op2"},
                {**op, "name": "Op 2"},
                {**op, "status": "failed"},
                {**op, "committed_nations": ["a"], "commitments": op["commitments"][:1]},
                {**op, "committed_nations": None},
                {**op, "commitments": [*op["commitments"], {"nation_id": "b", "unit_id": "y"}]},
                {**op, "my_units": []},
                {**op, "my_units": ["u1", "u2"]},
            ],
            "me": [None, {"id": "b"}],
            "units": [
                {**other, "u1": {**unit, "name": "W"}},
                {**other, "u1": {**unit, "capability": "air"}},
                {**other, "u1": {**unit, "strength": 3}},
                {**other, "u2": {**unit, "name": "X"}},
                {**other, "u2": {**unit, "name": "V", "cost": 4}},
                {**other, "u2": {**unit, "name": "V", "strength": 1}},
            ],
            "tasked": [[{"unit_id": "t"}]],
            "choices": [[], ["u2", "u1"]],
            "phase": ["negotiation"],
            "turn": [2],
            "blocked": [{"op": "Blocked."}, {"op": "Other."}],
            "nation_names": [{"a": "A", "b": "Bee", "c": "C"}],
        },
    )
    _all_apart([card_orders_key(**case) for case in cases])


def test_the_theatre_s_kept_parts_change_with_every_value_they_show() -> None:
    region = {"id": "r", "name": "R", "x": 100, "y": 100, "adjacent": ["s"]}
    regions = [region, {**region, "id": "s", "name": "S", "adjacent": ["r"]}]
    op = {
        "id": "op",
        "name": "Op",
        "region": "r",
        "power": "hard",
        "status": "open",
        "open": True,
        "opens_turn": 1,
        "my_units": ["u"],
    }
    changed_regions = [
        [{**region, "name": "Q"}, regions[1]],
        [{**region, "x": 101}, regions[1]],
        [{**region, "y": 100.0}, regions[1]],
        [{**region, "adjacent": []}, regions[1]],
        [region],
    ]
    keys = [theatre_keys(regions, [op], {"id": "a"})]
    keys += [theatre_keys(r, [op], {"id": "a"}) for r in changed_regions]
    _all_apart([k[0] for k in keys])
    ops = _each_changed(
        op,
        {
            "id": ["op2"],
            "name": ["Op 2"],
            "region": ["s"],
            "power": ["soft"],
            "status": ["failed"],
            "open": [False],
            "opens_turn": [3],
            "my_units": [[], ["u", "v"]],
        },
    )
    keys += [theatre_keys(regions, [o], {"id": "a"}) for o in ops[1:]]
    keys += [theatre_keys(regions, [op], None), theatre_keys(regions, [op, op], {"id": "a"})]
    _all_apart([k[1] for k in keys])
    # The regions alone: an order (the operations) does not change their key.
    assert theatre_keys(regions, [op], {"id": "a"})[0] == theatre_keys(regions, [], None)[0]


def test_a_nation_s_kept_situation_parts_change_with_every_value_they_show() -> None:
    """Each value the stats, brief, coalitions and a unit's row of a nation's situation
    read (`situation_keys`, `forces_row_key`) is in their keys."""
    objective = {"met": False, "secret": False, "text": "T", "points": 2, "detail": "d"}
    me = {
        "id": "a",
        "name": "A",
        "leader": "L",
        "budget_left": 5,
        "budget": 10,
        "domestic_support": 60,
        "score": 3,
        "leadership_changes": 0,
        "standard": "S",
        "caveats": ["no-combat"],
        "income": 1,
        "casualties": 0,
        "public_objective": "P",
        "secret_objective": "Q",
        "objectives": [objective],
    }
    coalition = {
        "id": "c",
        "name": "C",
        "active": True,
        "members": ["a", "b"],
        "lead": "a",
        "command": "parallel",
        "mandate": "none",
        "cohesion": 60,
    }
    game = {"turn": 1, "records": [], "phase": "orders", "coalitions": [coalition]}
    legal: dict[str, Any] = {"mandates": {}, "leave": {}}
    base = {
        "me": me,
        "game": game,
        "changes": {},
        "legal": legal,
        "leadership_threshold": 30,
        "defection_threshold": 35,
        "nation_names": {"a": "A", "b": "B"},
    }
    stats = _each_changed(
        base,
        {
            "me": [
                {**me, "name": "Z"},
                {**me, "leader": "M"},
                {**me, "budget_left": 4},
                {**me, "budget": 11},
                {**me, "domestic_support": 61},
                {**me, "score": 4},
            ],
            "changes": [{"support:a": 1}, {"support:a": 1.0}],
        },
    )
    _all_apart([situation_keys(**case)["stats"] for case in stats])
    briefs = _each_changed(
        base,
        {
            "me": [
                {**me, "leadership_changes": 1},
                {**me, "leader": "M"},
                {**me, "standard": "T"},
                {**me, "caveats": []},
                {**me, "caveats": ["no-night-ops"]},
                {**me, "income": 2},
                {**me, "casualties": 1},
                {**me, "public_objective": "P2"},
                {**me, "secret_objective": "Q2"},
                {**me, "objectives": []},
                *(
                    {**me, "objectives": [{**objective, field: value}]}
                    for field, value in (
                        ("met", True),
                        ("secret", True),
                        ("text", "U"),
                        ("points", 3),
                        ("detail", "e"),
                    )
                ),
            ],
            "game": [{**game, "turn": 2}],  # the briefing's hint: the first turn's only
            "leadership_threshold": [31, 30.0, Undefined()],
        },
    )
    keys = [situation_keys(**case)["brief"] for case in briefs]
    assert keys[-1] is None  # no threshold in the context: rendered each time
    _all_apart(keys[:-1])
    coalitions = _each_changed(
        base,
        {
            "me": [{**me, "id": "b"}, {**me, "name": "Z"}],
            "game": [
                {**game, "coalitions": []},
                {**game, "phase": "negotiation"},
                {**game, "turn": 2},
                *(
                    {**game, "coalitions": [{**coalition, field: value}]}
                    for field, value in (
                        ("id", "d"),
                        ("name", "D"),
                        ("members", ["a"]),
                        ("lead", "b"),
                        ("command", "integrated"),
                        ("mandate", "un"),
                        ("cohesion", 61),
                    )
                ),
            ],
            "changes": [{"cohesion:c": -1}],
            "legal": [
                {**legal, "mandates": {"c": [{"actor_id": "un", "name": "UN"}]}},
                {**legal, "mandates": {"c": [{"actor_id": "un", "name": "ONU"}]}},
                {**legal, "leave": {"c": []}},
                {**legal, "leave": {"c": ["Trust falls."]}},
            ],
            "defection_threshold": [40],
            "nation_names": [{"a": "A", "b": "Bee"}, {"a": "Ay", "b": "B"}],
        },
    )
    _all_apart([situation_keys(**case)["coalitions"] for case in coalitions])
    # A coalition it left or that dissolved shows as none (its part reads only its own).
    ended = {**game, "coalitions": [{**coalition, "active": False}]}
    assert (
        situation_keys(**{**base, "game": ended})["coalitions"]
        == (situation_keys(**{**base, "game": {**game, "coalitions": []}})["coalitions"])
    )

    unit = {
        "id": "u",
        "name": "U",
        "capability": "land",
        "strength": 2,
        "cost": 3,
        "operation_id": "op",
    }
    action = {"kind": "transfer", "coalition_id": "c", "label": "Place"}
    row = {
        "unit": unit,
        "commanded": [],
        "operation_names": {"op": "Op", "op2": "Op 2"},
        "unit_actions": {"u": [action]},
        "phase": "orders",
        "turn": 1,
    }
    rows = _each_changed(
        row,
        {
            "unit": [
                {**unit, "id": "v"},
                {**unit, "name": "V"},
                {**unit, "capability": "air"},
                {**unit, "strength": 3},
                {**unit, "cost": 4},
                {**unit, "operation_id": None},
                {**unit, "operation_id": "op2"},
            ],
            "commanded": [["u"]],
            "operation_names": [{"op": "Op 1"}],
            "unit_actions": [
                {},
                {"u": [{**action, "kind": "reclaim"}]},
                {"u": [{**action, "coalition_id": "d"}]},
                {"u": [{**action, "label": "Put"}]},
                {"u": [action, {"kind": "red_card", "label": "Red"}]},
            ],
            "phase": ["review"],
            "turn": [2],
        },
    )
    _all_apart([forces_row_key(**case)[0] for case in rows])


def test_a_feed_line_s_key_tells_apart_values_that_word_differently() -> None:
    keys = [i18n.text_key({"n": v}) for v in (1, 1.0, True, "1", 0.0, -0.0, [1], (1,))]
    assert None not in keys and len(set(keys)) == len(keys)
    assert i18n.text_key({"n": object()}) is None and i18n.text_key({"n": [{"a": {1, 2}}]}) is None


def test_a_fallen_government_shows_on_the_nations_page_and_to_the_others(
    renderer: PageRenderer,
) -> None:
    # Cardosa's support falls under the threshold; its scenario names a successor.
    state = _opening("meridian-strait")
    cardosa = state.nation("cardosa")
    assert cardosa is not None and cardosa.successor is not None
    state = state.replace_nation(dataclasses.replace(cardosa, domestic_support=10))
    state, _ = rules.resolve_turn(state, NOW + 10)
    own = _rendered(renderer, state, rules.Viewer.of_nation("cardosa"), frozenset({"situation"}))
    threshold = state.leadership_threshold
    assert f"Government falls under</span> {threshold}% support" in own["situation"]
    assert (
        f'<span class="label">New government</span> {cardosa.successor.leader} took office '
        f"after support fell under {threshold}%"
    ) in own["situation"]
    assert cardosa.successor.brief.split(".")[0] in own["situation"]  # its brief, to it
    other = _rendered(renderer, state, rules.Viewer.of_nation("arvenia"), frozenset({"situation"}))
    assert ">new leader</span>" in other["situation"]
    assert cardosa.successor.brief.split(".")[0] not in other["situation"]
    watching = _rendered(renderer, state, rules.Viewer.observer(), frozenset({"situation"}))
    assert "new government" in watching["situation"]


def _random_move(
    state: rules.GameState, rng: random.Random
) -> tuple[rules.GameState, tuple[rules.Event, ...]]:
    """One random legal move of a random nation (orders, command, talks), or the red
    cell's; now and then the turn resolves."""
    if rng.random() < 0.05:
        return rules.resolve_turn(state, NOW + 10)
    nation = rng.choice(state.nations)
    actions: list[rules.Action] = list(rules.legal_actions(state, nation.id))
    actions += [rules.SendMessage(c.id, "Hold.") for c in state.channels]
    actions += [rules.WithdrawUnit(c.unit_id) for c in state.commitments]
    for action in rng.sample(actions, len(actions)):
        result = rules.apply(state, nation.id, action)
        if isinstance(result, rules.Accepted):
            return result.state, tuple(result.events)
    return state, ()


def _random_message(
    state: rules.GameState, rng: random.Random
) -> tuple[rules.GameState, tuple[rules.Event, ...]]:
    """A message of a random nation in one of its channels, at random."""
    nation = rng.choice(state.nations)
    channel = rng.choice([c for c in state.channels if nation.id in c.members])
    result = rules.apply(state, nation.id, rules.SendMessage(channel.id, "Hold."))
    assert isinstance(result, rules.Accepted), result
    return result.state, tuple(result.events)


@pytest.mark.parametrize("fog", FOGS)
def test_every_page_patched_by_its_deltas_equals_a_fresh_render(
    fog: Literal["open", "standard", "strict"], states: list[rules.GameState]
) -> None:
    """A live page holds its snapshot patched by each delta since: after random moves
    (one, or several at once as a page catching up gets them), every viewer's panels must
    be what a fresh render of the latest state shows, so no change is ever lost."""
    rng = random.Random(f"pages-{fog}")
    renderer = PageRenderer(make_templates())
    lines = 0  # pages patched by a channel's line alone
    for game_id, state in enumerate(dataclasses.replace(s, fog=fog) for s in states[::6]):
        seq = SEQ
        viewers = _viewers(state)
        pages = {
            v: {
                f.panel: f.html
                for f in renderer.panels(Snapshot(str(game_id), "Game", seq, state), v)
            }
            for v in viewers
        }
        narrowed = 0
        for _ in range(12):
            logged: list[LoggedEvent] = []
            # A third of the changes messages alone (a channel's line), rare among moves.
            move = _random_message if rng.random() < 0.3 else _random_move
            for _ in range(rng.choice((1, 1, 2, 3))):
                state, events = move(state, rng)
                logged += [LoggedEvent(seq + i + 1, state.turn, e) for i, e in enumerate(events)]
                seq += len(events)
            snapshot = Snapshot(str(game_id), "Game", seq, state)
            for viewer in viewers:
                for fragment in renderer.delta(snapshot, logged, viewer):
                    if fragment.panel is not None:
                        pages[viewer][fragment.panel] = fragment.html
                    elif fragment.patches is not None:
                        panel = pages[viewer][fragment.patches]
                        pages[viewer][fragment.patches] = _with_line(panel, fragment.html)
                        lines += 1
                # The time left as the live pages show it: the clock's (past the deadline).
                context = renderer.context(snapshot, viewer, now=None)
                fresh = {n: renderer.fragment(n, context, oob=True) for n in fragments_for(viewer)}
                assert pages[viewer] == fresh, f"{viewer.key}: {[e.event.kind for e in logged]}"
                kinds = panels_touched(e.event for e in logged)
                narrowed += panels_touched_for(state, (e.event for e in logged), viewer) != kinds
        # The pages were patched with less than every panel the events name, and held.
        assert fog == "open" or narrowed > 0
    assert lines > 0


_OOB_LINE = re.compile(r' hx-swap-oob="morph:#negotiation li\[data-channel=&#34;(.*?)&#34;\]"')


def _with_line(panel: str, line: str) -> str:
    """The channels list `panel` with a channel's line sent alone in place of its own, as
    the page swaps it in: the line its attribute names, found by its channel."""
    found = _OOB_LINE.search(line)
    assert found is not None, line
    line = _OOB_LINE.sub("", line, count=1)
    start = panel.index(f'<li data-channel="{found.group(1)}" ')
    end = panel.index("</li>", start) + len("</li>")
    new = line.strip()
    assert new.startswith("<li ") and new.endswith("</li>") and new.count("</li>") == 1
    return panel[:start] + new + panel[end:]


def test_a_caveat_reads_as_words_in_the_reader_s_language_and_an_unknown_one_stays_readable() -> (
    None
):
    with use_language("fr"):
        assert caveat_label("no-combat") == "pas d'opérations de combat"
        assert caveat_label("no-sea-ops") == "no sea ops"
    with use_language("en"):
        assert caveat_label("home-region-only") == "home region only"
    # Every caveat the scenarios may give has its words.
    assert set(get_args(Caveat)) == set(TERMS["caveat"])


def test_a_template_reads_a_dict_s_keys_and_methods_as_jinja_does() -> None:
    env = make_templates().env
    template = env.from_string(
        "{{ d.name }}|{{ d.items is callable }}|{{ d.missing is undefined }}|"
        "{{ v.turn }}|{{ v._parts is undefined }}|{{ l.a }}|{{ l.get('a') }}|{{ n.x is undefined }}"
    )
    state = _opening("meridian-strait")
    view = LazyView(state, rules.Viewer.observer())
    later = Later(lambda: {"a": 1})
    page = template.render(d={"name": "N", "items": "x"}, v=view, l=later, n=None)
    # A key named as a dict's method stays the method, as with Jinja's own lookup.
    assert page == "N|True|True|1|False|1|1|True"


def test_a_text_a_page_writes_is_made_printable_and_a_printable_one_kept_as_it_is() -> None:
    clean, marked = "Quiet talks", Markup("<b>Quiet</b>")
    assert printable_output(clean) is clean and printable_output(marked) is marked
    assert printable_output("Quiet \x00 talks") == "Quiet \ufffd talks"
    unprintable = printable_output(Markup("<b>\ud800</b>"))
    assert isinstance(unprintable, Markup) and unprintable == Markup("<b>\ufffd</b>")
    env = make_templates().env
    page = env.from_string("{{ a }}|{{ b }}|{{ n }}").render(
        a="x\x07", b=Markup("<i>\x07</i>"), n=3
    )
    assert page == "x\ufffd|<i>\ufffd</i>|3"
    # A kept part is written as it is (`KeptHTML`): each value in it was made printable.
    kept = env.from_string(
        "{% macro part(v, url) %}<p>{{ v }}</p><a href='{{ url }}'>{% endmacro %}"
        "{% for i in 'ab' %}{{ kept(('part', v), part, v, seat_url=url) }}{% endfor %}"
    )
    page = kept.render(v="x\x07", url="/s\x07")
    assert page == "<p>x\ufffd</p><a href='/s\ufffd'>" * 2


def test_a_page_writes_each_value_as_jinja_escaping_and_finalizing_it_would() -> None:
    values = [
        "a <b> & 'c' \"d\"",
        "x\x07<",
        Markup("<i>ok</i>"),
        Markup("<i>\x07</i>"),
        3,
        -0.5,
        True,
        None,
        Undefined(),
        ["<a>"],
        {"k": "<v>"},
    ]
    for value in values:
        assert escaped_output(value) == escape(printable_output(value)), value
    env = make_templates().env
    # A block kept with `{% set %}` and a macro's output stay Markup: not escaped twice.
    page = env.from_string(
        "{% macro m(x) %}<b>{{ x }}</b>{% endmacro %}{% set s %}<i>{{ a }}</i>{% endset %}"
        "{{ s }}|{{ m(a) }}|{{ a }}|{{ [a] }}{% autoescape false %}|{{ a }}{% endautoescape %}"
    ).render(a="<&>")
    escaped = "&lt;&amp;&gt;"
    assert page == f"<i>{escaped}</i>|<b>{escaped}</b>|{escaped}|[&#39;{escaped}&#39;]|<&>"


def test_a_template_calls_a_function_with_what_it_asks_for() -> None:
    env = make_templates().env

    @pass_context
    def in_context(context: object, x: int) -> str:
        return f"context {x}"

    @pass_eval_context
    def in_eval_context(eval_ctx: object, x: int) -> str:
        return f"eval {eval_ctx.autoescape} {x}"  # type: ignore[attr-defined]

    @pass_environment
    def in_environment(environment: object, x: int) -> str:
        return f"environment {environment is env} {x}"

    def stops() -> None:
        raise StopIteration

    page = env.from_string(
        "{% for i in [1] %}{{ c(i) }}|{{ e(i) }}|{{ n(i) }}|{{ p(i) }}|{{ d.get('k', i) }}"
        "|{{ s() is undefined }}{% endfor %}"
    ).render(c=in_context, e=in_eval_context, n=in_environment, p=lambda x: x + 1, d={}, s=stops)
    assert page == "context 1|eval True 1|environment True 1|2|1|True"
