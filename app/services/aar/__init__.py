"""After-action review: a game's whole record, as control sees it, ready to export, and
the review itself (timeline, series for the charts, scorecards, turn-by-turn replay) and
the comparison of an exercise's syndicates.

Every row carries the turn it belongs to. Control sees everything (secret objectives,
every channel, every order), so these exports and reviews are for instructors only.

The review is assembled by pure functions over states and events (`build_review`,
`game_points`, `timeline`, ...); `AarService` only reads them from the store. One module
per concern: `export` (datasets as JSON/CSV), `series` (per-turn values for the charts),
`timeline`, `scorecards`, `review` (the whole review and its replay), `comparison` (an
exercise's syndicates), `words` (ids in words) and `service`.
"""

from app.services.aar.comparison import Comparison, SyndicateSummary, build_comparison, summarise
from app.services.aar.export import DATASETS, ORDER_EVENTS, Dataset, Export, to_csv
from app.services.aar.review import (
    Debrief,
    GameHeader,
    NotEnded,
    Replay,
    Review,
    build_debrief,
    build_review,
    replay,
)
from app.services.aar.scorecards import (
    Scorecard,
    Standing,
    agreements_in_force,
    collective_card,
    scorecards,
    standings,
)
from app.services.aar.series import (
    END,
    Burden,
    Line,
    Point,
    Series,
    burden,
    cohesion_series,
    escalation_series,
    game_points,
    point_of_record,
    point_of_state,
    support_series,
    trust_series,
)
from app.services.aar.service import AarService
from app.services.aar.timeline import (
    CATEGORIES,
    OVERRIDE_FACTOR,
    TIMELINE_EVENTS,
    Entry,
    OutcomeRow,
    Resolution,
    TurnTimeline,
    timeline,
)

__all__ = [
    "CATEGORIES",
    "DATASETS",
    "END",
    "ORDER_EVENTS",
    "OVERRIDE_FACTOR",
    "TIMELINE_EVENTS",
    "AarService",
    "Burden",
    "Comparison",
    "Dataset",
    "Debrief",
    "Entry",
    "Export",
    "GameHeader",
    "Line",
    "NotEnded",
    "OutcomeRow",
    "Point",
    "Replay",
    "Resolution",
    "Review",
    "Scorecard",
    "Series",
    "Standing",
    "SyndicateSummary",
    "TurnTimeline",
    "agreements_in_force",
    "build_comparison",
    "build_debrief",
    "build_review",
    "burden",
    "cohesion_series",
    "collective_card",
    "escalation_series",
    "game_points",
    "point_of_record",
    "point_of_state",
    "replay",
    "scorecards",
    "standings",
    "summarise",
    "support_series",
    "timeline",
    "to_csv",
    "trust_series",
]
