"""An instructor who writes no YAML authors a scenario in the browser (issue 19): the
guided forms and the map build it, a broken copy shows every error at once, the preview
shows it before saving, a check by simulation plays it, and it is saved."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer
from tests.browser.helpers import sign_in


def _form(page: Page, kind: str) -> Any:
    page.click(f"[data-guided={kind}]")
    form = page.locator(f"#guided-{kind}")
    expect(form).to_be_visible()
    return form


def _add(form: Any, kind: str) -> None:
    form.locator(f"[data-insert={kind}]").click()
    expect(form.locator("[data-done]")).to_have_text("Added to the text.")


def test_a_new_author_builds_checks_previews_simulates_and_saves_a_scenario(
    live_server: LiveServer, open_context: Callable[[], Any]
) -> None:
    page = open_context().new_page()
    sign_in(page)
    page.goto("/control/scenarios/new")
    check = page.locator("#check-result")

    # A nation with its first unit.
    form = _form(page, "nation")
    form.locator("#g-n-id").fill("veskland")
    form.locator("#g-n-name").fill("Veskland")
    form.locator("#g-n-public").fill("Keep the sea lanes open.")
    form.locator("#g-n-secret").fill("Win the election: at any cost")  # a colon: quoted
    form.locator("#g-u-id").fill("vesk-navy")
    form.locator("#g-u-name").fill("Coastal flotilla")
    form.locator("#g-u-capability").select_option("maritime")
    _add(form, "nation")
    expect(check).to_contain_text("3 nations")

    # A unit for a nation already in the text (offered in the list).
    form = _form(page, "unit")
    form.locator("#g-unit-nation").fill("north")
    form.locator("#g-unit-id").fill("north-air")
    form.locator("#g-unit-name").fill("Air wing")
    form.locator("#g-unit-capability").select_option("air")
    _add(form, "unit")

    # A region placed on the map by dragging, linked to the coast by two clicks.
    form = _form(page, "map")
    form.locator("#g-r-id").fill("port")
    form.locator("#g-r-name").fill("The Port")
    _add(form, "region")
    port = page.locator("circle[data-region=port]")
    port.click()
    page.locator("circle[data-region=coast]").click()
    expect(page.locator("#map-status")).to_have_text("3 regions.")
    box = port.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + 200, box["y"] + 120, steps=4)
    page.mouse.up()
    expect(check).to_contain_text("3 regions")
    text = page.locator("#source").input_value()
    assert "adjacent: [capital, port]" in text and "adjacent: [coast]" in text
    assert "x: 500\n" not in text  # dragged away from where it was added

    # An operation in the new region, an event and an objective.
    form = _form(page, "operation")
    form.locator("#g-o-id").fill("hold-port")
    form.locator("#g-o-name").fill("Hold the port")
    form.locator("#g-o-region").fill("port")
    form.locator("#g-o-capability").select_option("maritime")
    form.locator("#g-o-description").fill("Keep the port open to shipping.")
    _add(form, "operation")
    form = _form(page, "event")
    form.locator("#g-e-id").fill("storm")
    form.locator("#g-e-name").fill("A winter storm")
    form.locator("#g-e-text").fill("A storm closes the coast road.")
    form.locator("#g-e-trigger").select_option("turn")
    form.locator("#g-e-trigger-value").fill("2")
    form.locator("#g-e-effect").select_option("support")
    form.locator("#g-e-effect-target").fill("veskland")
    form.locator("#g-e-effect-value").fill("-5")
    _add(form, "event")
    form = _form(page, "objective")
    form.locator("#g-j-nation").fill("veskland")
    form.locator("#g-j-id").fill("port-held")
    form.locator("#g-j-text").fill("The port is held.")
    form.locator("#g-j-kind").select_option("operation_succeeds")
    form.locator("#g-j-target").fill("hold-port")
    _add(form, "objective")
    expect(check).to_contain_text("Valid")
    expect(check).to_contain_text("2 operations, 1 scripted events")
    built = page.locator("#source").input_value()

    # The field under the cursor is described beside the editor.
    at = built.index("capability: maritime") + 3
    page.locator("#source").evaluate(
        "(area, at) => { area.focus(); area.setSelectionRange(at, at); area.click(); }", at
    )
    expect(page.locator("#field-help")).to_contain_text("nations.units.capability")
    expect(page.locator("#field-help")).to_contain_text("maritime")

    # A copy with four kinds of mistake: every error at once, named by ids.
    broken = (
        built.replace("turns: 4", "turns: many")
        .replace("strength: 3", "strength: 99", 1)
        .replace("region: port", "region: harbour")
        .replace("id: south\n", "id: north\n")
    )
    page.locator("#source").fill(broken)
    page.locator("#source").press("End")
    expect(check).to_contain_text("4 errors")
    for place in ("turns", ".strength", "nations[2].id", "operations[hold-port].region"):
        expect(check).to_contain_text(place)
    page.locator("#source").fill(built)
    page.locator("#source").press("End")
    expect(check).to_contain_text("Valid")

    # The preview of the unsaved text, then a check by simulation.
    page.click("button:text-is('Preview')")
    preview = page.locator("#draft-preview")
    expect(preview).to_contain_text("Veskland")
    expect(preview).to_contain_text("A winter storm")
    expect(preview.locator("svg.theatre circle")).not_to_have_count(0)
    page.fill("#sim-runs", "4")
    page.click("#simulate-button")
    result = page.locator("#simulation-result")
    expect(result).to_contain_text("Played 4 games", timeout=60_000)
    expect(result).to_contain_text("turn 2 ×4")  # the storm, every game, on turn 2
    expect(result).to_contain_text("Hold the port")

    page.click("text=Save as new version")
    expect(page).to_have_url(re.compile(r"/control/scenarios/my-scenario/versions/1\?saved=1"))
    expect(page.locator(".flash")).to_contain_text("Stored as version 1")
