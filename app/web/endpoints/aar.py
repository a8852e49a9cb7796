"""The after-action review pages of the white cell.

Every route depends on `require_instructor` (control sees everything, secret objectives
included); every route only reads.

- ``GET /control/games/{game_id}/aar[?turn=N|end]``     the review of one game, with the
  replay at the start of turn N (or at the end)
- ``GET /control/exercises/{exercise_id}/compare``      the syndicates of one exercise
- ``GET /control/games/{game_id}/export/{dataset}.{fmt}``  a dataset of the game's record
  (events, messages, orders, outcomes) as JSON or CSV
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal, cast

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from app.i18n import N_, _, current_language, format_moment, format_number
from app.rules import GameState
from app.rules.text import printable
from app.services.aar import DATASETS, END, Comparison, Review, Series
from app.services.errors import NotFound
from app.web.charts import Plot, Reference, line_chart, share_chart
from app.web.deps import ContainerDep, InstructorDep, csrf_token, require_instructor

router = APIRouter(prefix="/control", dependencies=[Depends(require_instructor)])

EXPORTS = (
    ("events", N_("Event log")),
    ("messages", N_("Messages")),
    ("orders", N_("Orders")),
    ("outcomes", N_("Explained outcomes")),
)
X_TITLE = N_("Start of turn")


def printed_on() -> str:
    """Today's date, for a printed report's cover, as the reader's language writes it."""
    return format_moment(datetime.now(UTC), "d MMMM y")


def _whole(value: float) -> str:
    return format_number(value)


def _tenths(value: float) -> str:
    return format_number(value, 1)


def _when(snapshots: bool) -> str:
    return (
        _("Values as each turn opened, and when the game ended.")
        if snapshots
        else _("This game predates stored turn states: values after each turn's resolution.")
    )


def public_charts(
    state: GameState, escalation: Series, cohesion: Series, support: Series, snapshots: bool
) -> dict[str, Markup]:
    """The charts of what every nation may see (a seat's debrief has these only)."""
    style = {n.id: i for i, n in enumerate(state.nations)}
    when = _when(snapshots)
    charts: dict[str, Markup] = {}
    ladder = state.escalation
    charts["escalation"] = line_chart(
        chart_id="chart-escalation",
        title=_("Escalation"),
        note=f"{when} " + _("The dashed line is the threshold of the escalation ladder."),
        x_labels=escalation.labels,
        x_names=escalation.names,
        x_title=_(X_TITLE),
        y_title=_("Level on the ladder"),
        plots=[Plot(_("Escalation level"), escalation.lines[0].values)],
        y_max=ladder.max,
        y_step=1 if ladder.max <= 12 else 2,
        references=[
            Reference(ladder.threshold, _("threshold (%(level)s)", level=ladder.threshold))
        ],
        fmt=_whole,
        table_fmt=lambda v: f"{format_number(v)} — {ladder.rung(round(v))}",
    )
    charts["cohesion"] = line_chart(
        chart_id="chart-cohesion",
        title=_("Coalition cohesion"),
        note=f"{when} "
        + _(
            "Below the upper dashed line members may defect; below the lower one "
            "a coalition dissolves."
        ),
        x_labels=cohesion.labels,
        x_names=cohesion.names,
        x_title=_(X_TITLE),
        y_title=_("Cohesion (0–100)"),
        plots=[Plot(line.name, line.values, i) for i, line in enumerate(cohesion.lines)],
        references=[
            Reference(
                state.defection_threshold,
                _("defection (%(level)s)", level=state.defection_threshold),
            ),
            Reference(
                state.collapse_threshold, _("collapse (%(level)s)", level=state.collapse_threshold)
            ),
        ],
        fmt=_whole,
        empty=_("No coalition existed in this game."),
    )
    threshold = state.leadership_threshold
    charts["support"] = line_chart(
        chart_id="chart-support",
        title=_("Domestic support"),
        note=f"{when} " + _("Below the dashed line a government falls."),
        x_labels=support.labels,
        x_names=support.names,
        x_title=_(X_TITLE),
        y_title=_("Domestic support (0–100)"),
        plots=[Plot(line.name, line.values, style[line.key]) for line in support.lines],
        references=[Reference(threshold, _("government falls (%(level)s)", level=threshold))],
        fmt=_whole,
    )
    return charts


def review_charts(review: Review) -> dict[str, Markup]:
    """The review's charts, each a figure with its legend and data table."""
    state = review.state
    style = {n.id: i for i, n in enumerate(state.nations)}
    when = _when(review.snapshots)
    charts = public_charts(
        state, review.escalation, review.cohesion, review.support, review.snapshots
    )

    trust = review.trust
    charts["trust"] = line_chart(
        chart_id="chart-trust",
        title=_("Trust received"),
        note=f"{when} " + _("For each nation, the mean of every other nation's trust in it."),
        x_labels=trust.labels,
        x_names=trust.names,
        x_title=_(X_TITLE),
        y_title=_("Mean trust (0–100)"),
        plots=[Plot(line.name, line.values, style[line.key]) for line in trust.lines],
        fmt=_whole,
        table_fmt=_tenths,
    )

    burden = review.burden
    charts["burden"] = share_chart(
        chart_id="chart-burden",
        title=_("Burden share"),
        note=_(
            "Each nation's share of what all nations spent on operations in each resolved "
            "turn (after cost-sharing). The table gives the amounts and each nation's fair "
            "share, in proportion to its economic capacity."
        ),
        x_labels=[_("T%(turn)s", turn=t) for t in burden.turns],
        x_names=[_("Turn %(turn)s", turn=t) for t in burden.turns],
        x_title=_("Turn resolved"),
        y_title=_("Share of the turn's costs"),
        parts=[
            Plot(name, [s.get(nation_id, 0) for s in burden.spent], style[nation_id])
            for nation_id, name in burden.nations
        ],
        reference_row=(
            _("Fair share (by economic capacity)"),
            [burden.fair[nation_id] for nation_id, _name in burden.nations],
        ),
        empty=_("No turn has been resolved yet."),
    )
    return charts


def comparison_chart(comparison: Comparison) -> Markup:
    escalation = comparison.escalation
    return line_chart(
        chart_id="chart-compare-escalation",
        title=_("Escalation per syndicate"),
        note=_(
            "The escalation level as each turn opened, and when the game ended, one line "
            "per syndicate."
        )
        + " "
        + _("The dashed line is the threshold of the escalation ladder."),
        x_labels=escalation.labels,
        x_names=escalation.names,
        x_title=_(X_TITLE),
        y_title=_("Level on the ladder"),
        plots=[Plot(line.name, line.values, i) for i, line in enumerate(escalation.lines)],
        y_max=comparison.max_level,
        y_step=1 if comparison.max_level <= 12 else 2,
        references=[
            Reference(comparison.threshold, _("threshold (%(level)s)", level=comparison.threshold))
        ],
        fmt=_whole,
    )


@router.get("/games/{game_id}/aar", response_class=HTMLResponse)
async def review_page(
    game_id: str,
    request: Request,
    container: ContainerDep,
    instructor: InstructorDep,
    turn: str | None = None,
) -> Response:
    """The after-action review: scorecards, charts, timeline and the replay of `turn`."""
    review = await run_in_threadpool(container.aar.review, game_id, turn, current_language())
    state = review.state
    estimates = await run_in_threadpool(container.estimates.hindsight, game_id, state)
    return container.renderer.templates.TemplateResponse(
        request,
        "aar/review.html",
        {
            "csrf_token": csrf_token(request),
            "instructor": instructor,
            "r": review,
            "state": state,
            "charts": review_charts(review),
            "names": {n.id: n.name for n in state.nations},
            "exports": EXPORTS,
            "end": END,
            "estimates": estimates,
            "operation_names": {o.id: o.name for o in state.operations},
            "printed_on": printed_on(),
        },
    )


@router.get("/exercises/{exercise_id}/compare", response_class=HTMLResponse)
async def compare_page(
    exercise_id: str, request: Request, container: ContainerDep, instructor: InstructorDep
) -> Response:
    """The syndicates of one exercise side by side."""
    comparison = await run_in_threadpool(container.aar.comparison, exercise_id, current_language())
    return container.renderer.templates.TemplateResponse(
        request,
        "aar/compare.html",
        {
            "csrf_token": csrf_token(request),
            "instructor": instructor,
            "c": comparison,
            "chart": comparison_chart(comparison),
            "best": _best(comparison),
        },
    )


def _best(comparison: Comparison) -> dict[str, set[str]]:
    """Per measure, the syndicates (game ids) with the best value, when they differ."""
    measures: dict[str, dict[str, float]] = {
        "collective": {s.game_id: s.collective for s in comparison.syndicates},
        "peak": {s.game_id: -s.escalation_peak for s in comparison.syndicates},
        "operations": {s.game_id: s.operations_completed for s in comparison.syndicates},
        "cohesion": {
            s.game_id: s.mean_cohesion for s in comparison.syndicates if s.mean_cohesion is not None
        },
    }
    for nation_id, _name in comparison.nations:
        measures[f"nation:{nation_id}"] = {
            s.game_id: s.scores[nation_id] for s in comparison.syndicates if nation_id in s.scores
        }
    best = {}
    for key, values in measures.items():
        if len(set(values.values())) > 1:
            top = max(values.values())
            best[key] = {g for g, v in values.items() if v == top}
        else:
            best[key] = set()
    return best


@router.get("/games/{game_id}/export/{dataset}.{fmt}")
async def export(game_id: str, dataset: str, fmt: str, container: ContainerDep) -> Response:
    """The event log, messages, orders or explained outcomes as JSON or CSV, every row
    with its turn (for spreadsheets and the debrief)."""
    if dataset not in DATASETS or fmt not in ("json", "csv"):
        raise NotFound(
            _(
                "No export %(name)s: choose events, messages, orders or outcomes, as json or csv.",
                name=f"{dataset}.{fmt}",
            )
        )
    exported = await run_in_threadpool(
        container.aar.export, game_id, dataset, cast(Literal["json", "csv"], fmt)
    )
    return Response(
        printable(exported.body),  # a CSV row of stored text must not fail the download
        media_type=exported.media_type,
        headers={"Content-Disposition": f'attachment; filename="{exported.filename}"'},
    )
