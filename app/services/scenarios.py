"""Use cases on scenarios: load the library from disk into the store, and the instructors'
scenario library (list, preview, check, upload, edit, duplicate, download).

How stored versions are numbered: every text stored for a scenario id gets the next
*library version*, kept in ``ScenarioVersion.version``::

    stored version = max(the file's own `version:` field, highest stored version + 1)

so the numbers of one scenario always go up (1, 2, 3...) in the order the texts were
stored, whether they came from ``scenarios/`` (``entente scenario load``), an upload or
the browser editor, and whether or not the author bumped ``version:``; an author who does
bump it (say to 5) gets that number. The stored text is kept exactly as given (only line
endings are made ``\\n``), so its ``version:`` field may lag behind the library's number;
the preview shows both. A text identical to one already stored for the same id is not
stored again. Games keep pointing at the exact row they started from
(``Game.scenario_version_id``); a new game starts from the latest version.

`opening_state` lives in `app.scenarios.build`; it is re-exported here for older imports.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import logging
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import yaml

from app import rules
from app.bots.scenario_check import SimulationCheck, check_runs, play_runs
from app.i18n import _, current_language, gettext, ngettext
from app.scenarios.build import opening_state
from app.scenarios.follow_on import follow_on
from app.scenarios.loader import (
    ScenarioError,
    ScenarioInvalid,
    cannot_read,
    not_utf8,
    parse_scenario,
    validate_paths,
)
from app.scenarios.reference import Reference, build_reference
from app.scenarios.schema import Scenario
from app.scenarios.texts import translated
from app.services.errors import Invalid, NotFound, ServiceError
from app.store.database import Database
from app.store.models import ScenarioVersion
from app.store.repositories.games import GameRepository
from app.store.repositories.scenarios import GameOnVersion, ScenarioRepository

__all__ = [
    "MAX_SOURCE_BYTES",
    "AlreadyStored",
    "Checked",
    "Draft",
    "LibraryEntry",
    "ScenarioRejected",
    "ScenarioService",
    "ScenarioSummary",
    "StoredVersion",
    "SyncReport",
    "VersionDetail",
    "opening_state",
]

log = logging.getLogger(__name__)

MAX_SIMULATION_RUNS = 50
"""The most bot games one check by simulation from the editor plays."""
SIMULATION_SECONDS = 20.0
"""A check by simulation stops after this long and reports the games it played."""

MAX_SOURCE_BYTES = 512 * 1024
"""The largest scenario text the library accepts (the biggest shipped one is ~30 KB)."""

DOCUMENT = "(document)"
_SLUG_LENGTH = 64
_TITLE_LENGTH = 120


class ScenarioRejected(Invalid):
    """A scenario text that cannot be stored; ``errors`` lists every problem found."""

    code = "scenario_invalid"

    def __init__(self, errors: list[ScenarioError]) -> None:
        count = len(errors)
        super().__init__(
            ngettext("The scenario has %(num)d error.", "The scenario has %(num)d errors.", count)
        )
        self.errors = errors


class AlreadyStored(ServiceError):
    """The exact text is already stored for that scenario id: nothing to save."""

    status_code = 409
    code = "already_stored"

    def __init__(self, scenario_id: str, version: int) -> None:
        super().__init__(
            _(
                "Nothing saved: this exact text is already stored as %(scenario)s version "
                "%(version)s.",
                scenario=scenario_id,
                version=version,
            )
        )
        self.scenario_id = scenario_id
        self.version = version


@dataclass(frozen=True)
class ScenarioSummary:
    """One scenario of the library, as its latest stored version describes it."""

    scenario_id: str
    title: str
    summary: str
    version: int
    nations: list[tuple[str, str]]  # (id, name)
    turns: int
    orders_seconds: int


@dataclass(frozen=True)
class SyncReport:
    added: list[str]
    unchanged: list[str]
    errors: list[ScenarioError]


@dataclass(frozen=True)
class StoredVersion:
    """One stored text of a scenario, without the text."""

    id: int
    scenario_id: str
    version: int
    title: str
    sha256: str
    created_at: datetime

    @classmethod
    def of(cls, row: ScenarioVersion) -> StoredVersion:
        return cls(row.id, row.scenario_id, row.version, row.title, row.sha256, row.created_at)

    @property
    def filename(self) -> str:
        return f"{self.scenario_id}-v{self.version}.yaml"


@dataclass(frozen=True)
class LibraryEntry:
    """A scenario of the library: its latest version, how many are stored, its games."""

    scenario_id: str
    title: str
    latest: StoredVersion
    versions: int
    nations: list[str]
    turns: int | None
    games: list[GameOnVersion]
    problem: str | None = None  # the latest stored text no longer validates


@dataclass(frozen=True)
class VersionDetail:
    """Everything about one stored version, for the instructor's preview."""

    version: StoredVersion
    source: str
    scenario: Scenario | None  # None if the stored text no longer validates
    errors: list[ScenarioError]
    versions: list[StoredVersion]  # every version of this scenario, oldest first
    games: list[GameOnVersion]  # every game of this scenario, newest first
    next_version: int  # the number the next text saved under this id gets (at least)


@dataclass(frozen=True)
class Checked:
    """A scenario text checked before storing: its errors, or what saving it would do."""

    source: str
    scenario: Scenario | None
    errors: list[ScenarioError]
    next_version: int | None = None  # the library version saving would store it as
    new_scenario: bool = False  # no version of this id is stored yet
    identical: StoredVersion | None = None  # this exact text is already stored

    @property
    def valid(self) -> bool:
        return self.scenario is not None and not self.errors


@dataclass(frozen=True)
class Draft:
    """A text for the browser editor, and where it came from."""

    source: str
    based_on: StoredVersion | None = None
    duplicate: bool = False
    notices: list[str] = field(default_factory=list)


def normalise_source(text: str) -> str:
    """Line endings as ``\\n`` (browsers send a textarea's with ``\\r\\n``), no BOM."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _digest(source: str) -> str:
    return hashlib.sha256(source.encode()).hexdigest()


def _next_number(repository: ScenarioRepository, scenario: Scenario) -> int:
    highest = repository.highest_version(scenario.id) or 0
    return max(scenario.version, highest + 1)


def _named_after(games: list[GameOnVersion], title: str, shown: str) -> list[GameOnVersion]:
    """Games named after their scenario (as most are) take its title in the reader's
    language (`shown`); a name control gave one is its own."""
    return [dataclasses.replace(g, name=shown) if g.name == title else g for g in games]


def _too_large(source: str, filename: str) -> ScenarioError | None:
    size = len(source.encode("utf-8"))
    if size <= MAX_SOURCE_BYTES:
        return None
    return ScenarioError(
        filename,
        0,
        0,
        DOCUMENT,
        gettext(
            "the text is %(size)s KB; a scenario may be at most %(most)s KB",
            size=size // 1024,
            most=MAX_SOURCE_BYTES // 1024,
        ),
    )


def _yaml_scalar(text: str) -> str:
    """``text`` as a YAML value on one line: plain if it reads back the same, else quoted."""
    try:
        if yaml.safe_load(f"k: {text}") == {"k": text}:
            return text
    except yaml.YAMLError:
        pass
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a double-quoted YAML one


def _set_top_level(source: str, key: str, value: str) -> str:
    """Replace the first top-level ``key: ...`` line (a comment on it goes too)."""
    pattern = re.compile(rf"^{re.escape(key)}:[^\n]*$", re.MULTILINE)
    return pattern.sub(lambda _: f"{key}: {value}", source, count=1)


NEW_SCENARIO = """\
# Entente scenario, format 1: every field is described at /scenarios/reference.
format: 1
id: my-scenario
version: 1
title: My scenario
summary: One line that says what the scenario is about.
briefing: |
  ## Situation

  What has happened, in **Markdown**. Every player reads this.
turns: 4
orders_seconds: 600
escalation:
  start: 2
  max: 10
  threshold: 7
map:
  regions:
    - id: capital
      name: The Capital
      x: 300
      y: 300
      adjacent: [coast]
    - id: coast
      name: The Coast
      x: 700
      y: 300
      adjacent: [capital]
nations:
  - id: north
    name: Northland
    budget: 100
    domestic_support: 60
    interoperability: alliance
    public_objective: Restore order on the coast.
    secret_objective: Keep our own losses low.
    units:
      - {id: north-inf, name: 1st Infantry, capability: land, strength: 3, cost: 5}
  - id: south
    name: Southland
    budget: 80
    domestic_support: 55
    interoperability: alliance
    public_objective: Protect the capital.
    secret_objective: Be seen to lead.
    units:
      - {id: south-med, name: Field Hospital, capability: medical, strength: 2, cost: 3}
operations:
  - id: secure-coast
    name: Secure the coast
    region: coast
    power: hard
    difficulty: 4
    requirements: {land: 2}
    description: Clear the coast road so that aid can arrive.
"""


@functools.cache
def _reference_from(directory: Path, language: str) -> Reference:
    """``language`` is a key only: the reference is written in the current one."""
    documents: list[object] = []
    try:
        files = sorted(directory.glob("*.yaml"))
    except OSError:
        files = []
    for file in files:
        try:
            documents.append(yaml.safe_load(file.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue  # an example less; `entente scenario validate` reports the file
    return build_reference(documents)


def field_reference(examples: Path) -> Reference:
    """The scenario field reference in the reader's language, with examples from the
    scenarios shipped in ``examples`` (built once per directory and language)."""
    return _reference_from(examples, current_language())


def simulate_scenario_check(
    scenario: Scenario,
    runs: int,
    *,
    seconds: float = SIMULATION_SECONDS,
    clock: Callable[[], float] = time.monotonic,
) -> SimulationCheck:
    """Play ``scenario`` with bots ``runs`` times (capped) within ``seconds``, and count."""
    asked = max(1, min(runs, MAX_SIMULATION_RUNS))
    strategy, games = play_runs(scenario, asked)
    deadline = clock() + seconds

    def within_time() -> Iterator[rules.GameState]:
        for final in games:
            yield final
            if clock() > deadline:
                return

    return check_runs(scenario, within_time(), asked=asked, strategy=strategy)


class ScenarioService:
    def __init__(self, database: Database) -> None:
        self.database = database

    # --- the directory ----------------------------------------------------------------

    def sync_directory(self, directory: Path) -> SyncReport:
        """Store every valid scenario file whose exact text is not stored yet, as the next
        library version of its scenario."""
        errors = validate_paths([directory])
        bad_files = {e.file for e in errors}
        added: list[str] = []
        unchanged: list[str] = []
        paths = sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")])
        with self.database.write() as session:
            repository = ScenarioRepository(session)
            for path in paths:
                if str(path) in bad_files:
                    continue
                source = path.read_text(encoding="utf-8")
                scenario = parse_scenario(source, str(path))
                if repository.by_sha(scenario.id, _digest(source)) is not None:
                    unchanged.append(scenario.id)
                    continue
                self._store(repository, scenario, source)
                added.append(scenario.id)
        for error in errors:
            log.warning("scenario not loaded: %s", error)
        return SyncReport(added, unchanged, errors)

    def _store(
        self, repository: ScenarioRepository, scenario: Scenario, source: str
    ) -> ScenarioVersion:
        row = ScenarioVersion(
            scenario_id=scenario.id,
            version=_next_number(repository, scenario),
            title=scenario.title,
            source=source,
            sha256=_digest(source),
        )
        repository.add(row)
        return row

    def load_version(self, version: ScenarioVersion) -> Scenario:
        return parse_scenario(version.source, f"{version.scenario_id} v{version.version}")

    def catalogue(self) -> list[ScenarioSummary]:
        """The latest version of every stored scenario, by title."""
        with self.database.read() as session:
            versions = ScenarioRepository(session).list_latest()
            summaries = []
            for version in versions:
                scenario = self.load_version(version)
                shown = translated(scenario, current_language())  # its texts, as read
                summaries.append(
                    ScenarioSummary(
                        scenario_id=scenario.id,
                        title=shown.title,
                        summary=shown.summary,
                        version=version.version,
                        nations=[(n.id, n.name) for n in shown.nations],
                        turns=scenario.turns,
                        orders_seconds=scenario.orders_seconds,
                    )
                )
        return sorted(summaries, key=lambda s: s.title)

    # --- the library --------------------------------------------------------------------

    def library(self) -> list[LibraryEntry]:
        """Every stored scenario by title (in the reader's language, where the scenario
        has it): its latest version, how many versions are stored, and the games started
        from any of them."""
        with self.database.read() as session:
            repository = ScenarioRepository(session)
            counts = repository.version_counts()
            games = repository.games_by_scenario()
            entries = []
            for row in repository.list_latest():
                nations: list[str] = []
                turns: int | None = None
                problem = None
                title = row.title
                played = games.get(row.scenario_id, [])
                try:
                    scenario = translated(self.load_version(row), current_language())
                    nations, turns = [n.name for n in scenario.nations], scenario.turns
                    title = scenario.title
                    played = _named_after(played, row.title, title)
                except ScenarioInvalid as invalid:
                    problem = ngettext(
                        "the stored text no longer validates (%(num)d error)",
                        "the stored text no longer validates (%(num)d errors)",
                        len(invalid.errors),
                    )
                entries.append(
                    LibraryEntry(
                        scenario_id=row.scenario_id,
                        title=title,
                        latest=StoredVersion.of(row),
                        versions=counts.get(row.scenario_id, 1),
                        nations=nations,
                        turns=turns,
                        games=played,
                        problem=problem,
                    )
                )
        return sorted(entries, key=lambda e: (e.title.casefold(), e.scenario_id))

    def _row(
        self, repository: ScenarioRepository, scenario_id: str, number: int
    ) -> ScenarioVersion:
        row = repository.version(scenario_id, number)
        if row is None:
            raise NotFound(
                _(
                    "There is no version %(version)s of scenario %(scenario)s.",
                    version=number,
                    scenario=repr(scenario_id),
                )
            )
        return row

    def latest_version(self, scenario_id: str) -> StoredVersion:
        with self.database.read() as session:
            row = ScenarioRepository(session).latest(scenario_id)
            if row is None:
                raise NotFound(
                    _(
                        "There is no scenario %(scenario)s in the library.",
                        scenario=repr(scenario_id),
                    )
                )
            return StoredVersion.of(row)

    def version_detail(self, scenario_id: str, number: int) -> VersionDetail:
        with self.database.read() as session:
            repository = ScenarioRepository(session)
            row = self._row(repository, scenario_id, number)
            scenario: Scenario | None = None
            errors: list[ScenarioError] = []
            try:
                scenario = self.load_version(row)
            except ScenarioInvalid as invalid:
                errors = invalid.errors
            games = repository.games_using(scenario_id)
            if scenario is not None:
                shown = translated(scenario, current_language()).title
                games = _named_after(games, scenario.title, shown)
            return VersionDetail(
                version=StoredVersion.of(row),
                source=row.source,
                scenario=scenario,
                errors=errors,
                versions=[StoredVersion.of(r) for r in repository.versions_of(scenario_id)],
                games=games,
                next_version=(repository.highest_version(scenario_id) or 0) + 1,
            )

    def version_source(self, scenario_id: str, number: int) -> tuple[StoredVersion, str]:
        """A stored version and its exact text (for a download)."""
        with self.database.read() as session:
            row = self._row(ScenarioRepository(session), scenario_id, number)
            return StoredVersion.of(row), row.source

    # --- checking and storing texts -------------------------------------------------------

    def check_source(self, source: str, filename: str = "editor") -> Checked:
        """Validate a scenario text and say what saving it would do; never stores."""
        source = normalise_source(source)
        too_large = _too_large(source, filename)
        if too_large is not None:
            return Checked(source, None, [too_large])
        try:
            scenario = parse_scenario(source, filename)
        except ScenarioInvalid as invalid:
            return Checked(source, None, invalid.errors)
        with self.database.read() as session:
            repository = ScenarioRepository(session)
            same = repository.by_sha(scenario.id, _digest(source))
            return Checked(
                source,
                scenario,
                [],
                next_version=_next_number(repository, scenario),
                new_scenario=repository.latest(scenario.id) is None,
                identical=StoredVersion.of(same) if same is not None else None,
            )

    def simulate_source(
        self, source: str, runs: int, filename: str = "editor"
    ) -> tuple[Checked, SimulationCheck | None]:
        """Check an (unsaved) text by simulation: play it ``runs`` times with bots (at most
        :data:`MAX_SIMULATION_RUNS`, for at most :data:`SIMULATION_SECONDS`); an invalid
        text is not played (its errors are in the ``Checked``)."""
        checked = self.check_source(source, filename)
        if checked.scenario is None:
            return checked, None
        return checked, simulate_scenario_check(checked.scenario, runs)

    def latest_scenario(self, scenario_id: str) -> tuple[StoredVersion, Scenario]:
        """The latest stored version of a scenario, validated (raises NotFound, or
        ScenarioInvalid if the stored text no longer validates)."""
        with self.database.read() as session:
            row = ScenarioRepository(session).latest(scenario_id)
            if row is None:
                raise NotFound(
                    _(
                        "There is no scenario %(scenario)s in the library.",
                        scenario=repr(scenario_id),
                    )
                )
            return StoredVersion.of(row), self.load_version(row)

    def save_source(self, source: str, filename: str = "editor") -> StoredVersion:
        """Store a valid scenario text as the next library version of its scenario id (a
        new scenario if the id is new). Raises :class:`ScenarioRejected` with every error
        if the text is invalid, :class:`AlreadyStored` if that exact text is stored."""
        source = normalise_source(source)
        too_large = _too_large(source, filename)
        if too_large is not None:
            raise ScenarioRejected([too_large])
        try:
            scenario = parse_scenario(source, filename)
        except ScenarioInvalid as invalid:
            raise ScenarioRejected(invalid.errors) from None
        with self.database.write() as session:
            repository = ScenarioRepository(session)
            same = repository.by_sha(scenario.id, _digest(source))
            if same is not None:
                raise AlreadyStored(same.scenario_id, same.version)
            row = self._store(repository, scenario, source)
            stored = StoredVersion.of(row)
        log.info(
            "scenario %s version %d stored from %s", stored.scenario_id, stored.version, filename
        )
        return stored

    def save_upload(self, data: bytes, filename: str) -> StoredVersion:
        """Store an uploaded scenario file (UTF-8 YAML); see :meth:`save_source`."""
        if len(data) > MAX_SOURCE_BYTES:
            raise ScenarioRejected(
                [
                    ScenarioError(
                        filename,
                        0,
                        0,
                        DOCUMENT,
                        gettext(
                            "the file is %(size)s KB; a scenario may be at most %(most)s KB",
                            size=len(data) // 1024,
                            most=MAX_SOURCE_BYTES // 1024,
                        ),
                    )
                ]
            )
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            reason = not_utf8(exc)
            raise ScenarioRejected(
                [ScenarioError(filename, 0, 0, DOCUMENT, cannot_read(reason))]
            ) from None
        return self.save_source(text, filename)

    # --- texts for the editor -------------------------------------------------------------

    def new_draft(self) -> Draft:
        return Draft(NEW_SCENARIO)

    def edit_draft(self, scenario_id: str, number: int) -> Draft:
        """A stored version's text to edit; its ``version:`` is set to the number saving
        it will get, so the text and the library agree."""
        with self.database.read() as session:
            repository = ScenarioRepository(session)
            row = self._row(repository, scenario_id, number)
            following = (repository.highest_version(scenario_id) or 0) + 1
            source = _set_top_level(row.source, "version", str(following))
            return Draft(source, based_on=StoredVersion.of(row))

    def duplicate_draft(self, scenario_id: str, number: int) -> Draft:
        """A stored version's text under a new, unused id (``<id>-copy``) and title, as
        version 1 of a new scenario; nothing is stored until the instructor saves it."""
        with self.database.read() as session:
            repository = ScenarioRepository(session)
            row = self._row(repository, scenario_id, number)
            taken = set(repository.version_counts())
            new_id = _free_id(scenario_id, taken)
            title = f"{row.title[: _TITLE_LENGTH - len(' (copy)')]} (copy)"
            source = _set_top_level(row.source, "id", new_id)
            source = _set_top_level(source, "title", _yaml_scalar(title))
            source = _set_top_level(source, "version", "1")
            based_on = StoredVersion.of(row)
        notices = []
        try:
            copied = parse_scenario(source, "copy")
        except ScenarioInvalid:
            copied = None
        if copied is None or copied.id != new_id:
            notices.append(
                _(
                    "The id could not be changed automatically: set id to a new value "
                    "(for example %(new_id)s) before saving, or the text is saved as a new "
                    "version of %(scenario)s.",
                    new_id=new_id,
                    scenario=scenario_id,
                )
            )
        elif copied.title != title:
            notices.append(
                _("The title could not be changed automatically: give the copy its own.")
            )
        return Draft(source, based_on=based_on, duplicate=True, notices=notices)

    def follow_on_draft(self, game_id: str) -> Draft:
        """A follow-on scenario of a game's scenario version, carried forward to where the
        game stands now (`app.scenarios.follow_on`), for the editor."""
        with self.database.read() as session:
            game = GameRepository(session).get(game_id)
            if game is None:
                raise NotFound(_("There is no game %(game)s.", game=repr(game_id)))
            row = ScenarioRepository(session).get(game.scenario_version_id)
            if row is None:
                raise NotFound(_("The game's scenario version is no longer stored."))
            state = rules.state_from_dict(game.state)
            source = follow_on(row.source, state, game_name=game.name)
            based_on = StoredVersion.of(row)
        return Draft(
            source,
            based_on=based_on,
            duplicate=True,
            notices=[
                _(
                    "A follow-on of %(game)s as it stands at turn %(turn)s. Budgets, support, "
                    "trust, coalitions, escalation and the events still to come are carried "
                    "over; read the briefing's new last section and adjust before saving.",
                    game=game.name,
                    turn=state.turn,
                )
            ],
        )


def _free_id(scenario_id: str, taken: set[str]) -> str:
    """``<id>-copy``, ``<id>-copy-2``... the first not taken, at most 64 characters."""
    number = 1
    while True:
        suffix = "-copy" if number == 1 else f"-copy-{number}"
        candidate = scenario_id[: _SLUG_LENGTH - len(suffix)] + suffix
        if candidate not in taken:
            return candidate
        number += 1
