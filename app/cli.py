"""The `entente` command: serve, migrate, validate scenarios, create a demo game,
simulate a scenario with bots, export and import a game."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.config import Settings, get_settings
from app.i18n import N_, _, current_language, translations, use_language
from app.observability import configure_logging, log_config

if TYPE_CHECKING:  # the commands import what they use when they run
    from app.services.accounts import AccountService, Instructor

DEMO_SCENARIO = "meridian-strait"


def _cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    from app.realtime.compression import LiveWebSocketProtocol
    from app.web.app import create_app

    host = args.host or settings.host
    port = args.port or settings.port
    settings = settings.model_copy(update={"host": host, "port": port})
    app = create_app(settings)
    # What is alive now (modules, scenarios, the app) lives as long as the process: frozen,
    # out of the collector's sight, so a full collection walks only what came since (one
    # mid-game took some 110 ms with them, 9 ms without: a pause for every page).
    gc.collect()
    gc.freeze()
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_config=log_config(settings),
        # Forwarded headers only from the proxies named: uvicorn's own default trusts
        # 127.0.0.1, which let any local client choose its address (and throttle key).
        proxy_headers=bool(settings.trusted_proxy_list),
        forwarded_allow_ips=settings.trusted_proxy_list,
        # Open pages are closed with 1012 at once and reconnect (to another replica, behind
        # a proxy); requests in flight get this long to finish.
        timeout_graceful_shutdown=settings.shutdown_grace_seconds,
        # permessage-deflate that keeps no zlib state on an idle page (see the module).
        ws=LiveWebSocketProtocol,
    )
    return 0


def _cmd_db_upgrade(settings: Settings, args: argparse.Namespace) -> int:
    from app.store.migrations import upgrade

    upgrade(settings.database_url, args.revision)
    print(
        _(
            "Database at %(url)s is at revision %(revision)s.",
            url=_redacted(settings.database_url),
            revision=args.revision,
        )
    )
    return 0


def _cmd_scenario_validate(settings: Settings, args: argparse.Namespace) -> int:
    from app.scenarios.loader import validate_paths

    paths = [Path(p) for p in args.paths] or [settings.scenarios_dir]
    missing = [p for p in paths if not p.exists()]
    for path in missing:
        print(_("%(path)s: no such file or directory", path=path), file=sys.stderr)
    errors = validate_paths([p for p in paths if p.exists()])
    for error in errors:
        print(error, file=sys.stderr)
    if errors or missing:
        print(_("%(count)s error(s).", count=len(errors) + len(missing)), file=sys.stderr)
        return 1
    print(_("All scenarios are valid."))
    return 0


def _cmd_scenario_load(settings: Settings, args: argparse.Namespace) -> int:
    from app.services.scenarios import ScenarioService
    from app.store.database import Database

    database = Database(settings.database_url)
    report = ScenarioService(database).sync_directory(settings.scenarios_dir)
    for error in report.errors:
        print(error, file=sys.stderr)
    print(
        _(
            "Scenarios: %(added)s new version(s) stored, %(unchanged)s unchanged, "
            "%(errors)s error(s).",
            added=len(report.added),
            unchanged=len(report.unchanged),
            errors=len(report.errors),
        )
    )
    database.dispose()
    return 1 if report.errors else 0


def _cmd_user_create(settings: Settings, args: argparse.Namespace) -> int:
    """An instructor account. The password comes from a prompt (typed twice) or, for
    scripts, from standard input with --password-stdin; never from the command line,
    where other users of the machine could read it."""
    from app.services.accounts import AccountService
    from app.store.database import Database

    password = _read_new_password(args)
    if password is None:
        return 1
    database = Database(settings.database_url)
    try:
        instructor = AccountService(database).create(args.email, args.name or args.email, password)
    finally:
        database.dispose()
    print(_("Instructor account created for %(email)s.", email=instructor.email))
    print(_("Sign in at %(url)s", url=f"{settings.base_url}/login"))
    return 0


def _read_new_password(args: argparse.Namespace) -> str | None:
    """A new password from a prompt (typed twice) or, with --password-stdin, standard
    input; never from the command line, where other users of the machine could read it.
    None if the two typed differ."""
    import getpass

    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password = getpass.getpass(_("Password (at least 10 characters): "))
    if getpass.getpass(_("The same password again: ")) != password:
        print("entente: " + _("the two passwords differ; nothing was changed."), file=sys.stderr)
        return None
    return password


def _cmd_user_list(settings: Settings, args: argparse.Namespace) -> int:
    from app.services.accounts import AccountService
    from app.store.database import Database

    database = Database(settings.database_url)
    try:
        for instructor in AccountService(database).instructors():
            print(f"{instructor.email}\t{instructor.display_name}")
    finally:
        database.dispose()
    return 0


def _on_account(
    settings: Settings, email: str, act: Callable[[AccountService, Instructor], str | None]
) -> int:
    """Run `act` on the account of `email`: what it prints, or 1 with why not."""
    from app.services.accounts import AccountService
    from app.services.errors import ServiceError
    from app.store.database import Database

    database = Database(settings.database_url)
    try:
        accounts = AccountService(database)
        instructor = accounts.by_email(email)
        if instructor is None:
            print(
                "entente: " + _("there is no instructor account for %(email)s.", email=email),
                file=sys.stderr,
            )
            return 1
        try:
            said = act(accounts, instructor)
        except ServiceError as refused:
            print(f"entente: {refused.message}", file=sys.stderr)
            return 1
    finally:
        database.dispose()
    if said is None:
        return 1
    print(said)
    return 0


def _cmd_user_password(settings: Settings, args: argparse.Namespace) -> int:
    """Reset an instructor's forgotten password (every session of theirs ends)."""

    def reset(accounts: AccountService, instructor: Instructor) -> str | None:
        password = _read_new_password(args)
        if password is None:
            return None
        accounts.reset_password(None, instructor.id, password)
        return _(
            "The password of %(email)s is reset; their sessions are ended.",
            email=instructor.email,
        )

    return _on_account(settings, args.email, reset)


def _cmd_user_remove(settings: Settings, args: argparse.Namespace) -> int:
    """Remove an instructor account (never the last one)."""

    def remove(accounts: AccountService, instructor: Instructor) -> str:
        accounts.remove(None, instructor.id, instructor.email)
        return _("The account of %(email)s is removed.", email=instructor.email)

    return _on_account(settings, args.email, remove)


def _cmd_demo(settings: Settings, args: argparse.Namespace) -> int:
    from app.services.access import observer_token
    from app.services.games import GameService
    from app.services.scenarios import ScenarioService
    from app.store.database import Database

    database = Database(settings.database_url)
    ScenarioService(database).sync_directory(settings.scenarios_dir)
    games = GameService(database)
    existing = games.list_games() if args.reuse else []
    if existing:
        game_id, name = existing[0].game_id, existing[0].name
        seats = games.seat_links(game_id)
        print(_("Demo game '%(name)s' is already running (%(game)s).", name=name, game=game_id))
    else:
        # The clock waits for the first player, as an exercise's waits for control.
        created = games.create_game(
            args.scenario, name=args.name, seed=args.seed, starts_on_first_seat=True
        )
        game_id, seats = created.game_id, created.seats
        print(_("Demo game '%(name)s' created (%(game)s).", name=created.name, game=game_id))
    print(_("Join links — give each player one; each opens that nation's seat:"))
    for seat in seats:
        print(f"  {seat.nation_name:<20} {settings.base_url}/join/{seat.token}")
    codes = ", ".join(f"{s.nation_name} {s.grouped_code}" for s in seats if s.code)
    print(
        _(
            "Or type a join code under '%(join)s' at %(url)s: %(codes)s",
            join=_("Join with a code"),
            url=f"{settings.base_url}/",
            codes=codes,
        )
    )
    token = observer_token(settings.resolved_secret_key(), game_id)
    print(_("Observer link (read-only, public view):"))
    print(f"  {settings.base_url}/observe/{game_id}/{token}")
    database.dispose()
    return 0


def _cmd_export(settings: Settings, args: argparse.Namespace) -> int:
    """One game as a JSON document, to a file (written whole or not at all) or stdout."""
    from app.services.transfer import TransferService
    from app.store.database import Database

    database = Database(settings.database_url)
    try:
        document = TransferService(database).export_game(args.game_id)
    finally:
        database.dispose()
    text = document.to_json()
    if args.output is None:
        sys.stdout.write(text)
        return 0
    partial = args.output.with_name(f".{args.output.name}.partial")
    try:
        partial.write_text(text, encoding="utf-8")
        partial.replace(args.output)
    except OSError as error:
        partial.unlink(missing_ok=True)
        print(
            "entente: "
            + _(
                "cannot write %(path)s: %(error)s",
                path=args.output,
                error=error.strerror or error,
            ),
            file=sys.stderr,
        )
        return 1
    print(
        _(
            "Game '%(name)s' (%(game)s) exported to %(path)s: %(events)s events, turn "
            "%(turn)s, scenario %(scenario)s v%(version)s.",
            name=document.game.name,
            game=document.game.id,
            path=args.output,
            events=len(document.events),
            turn=document.game.state.get("turn"),
            scenario=document.scenario.id,
            version=document.scenario.version,
        )
    )
    return 0


def _cmd_import(settings: Settings, args: argparse.Namespace) -> int:
    """Restore a game from `entente export`; exit 2, nothing written, if it is refused."""
    from app.services.games import GameService
    from app.services.transfer import ImportRefused, TransferService
    from app.store.database import Database

    try:
        data = sys.stdin.buffer.read() if str(args.file) == "-" else args.file.read_bytes()
    except OSError as error:
        print(
            "entente: "
            + _("cannot read %(path)s: %(error)s", path=args.file, error=error.strerror or error),
            file=sys.stderr,
        )
        return 2
    database = Database(settings.database_url)
    try:
        imported = TransferService(database).import_json(data, new_id=args.new_id)
        seats = GameService(database).seat_links(imported.game_id)
    except ImportRefused as refused:
        print(f"entente: {args.file}: {refused.message}", file=sys.stderr)
        return 2
    finally:
        database.dispose()
    stored = (
        _("stored as a new library version") if imported.scenario_stored else _("already stored")
    )
    print(
        _(
            "Game '%(name)s' imported as %(game)s: %(events)s events; scenario %(scenario)s "
            "v%(version)s (%(stored)s).",
            name=imported.name,
            game=imported.game_id,
            events=imported.events,
            scenario=imported.scenario_id,
            version=imported.scenario_version,
            stored=stored,
        )
    )
    if imported.paused:
        print(
            _(
                "It was running: its clock is paused, a full orders phase ahead. "
                "Resume it on its console when the players are back."
            )
        )
    print(_("Join links:"))
    for seat in seats:
        print(f"  {seat.nation_name:<20} {settings.base_url}/join/{seat.token}")
    return 0


def _library_scenario(settings: Settings, scenario_id: str) -> tuple[Any, str] | None:
    """The latest version of a scenario stored in the library (the browser editor's
    scenarios are there), or None when the library has none or cannot be read."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError

    from app.services.errors import NotFound
    from app.services.scenarios import ScenarioService
    from app.store.database import Database

    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite" and not Path(url.database or "").is_file():
        return None  # no library yet (and opening it would create an empty file)
    try:
        database = Database(settings.database_url)
    except SQLAlchemyError:
        return None
    try:
        stored, scenario = ScenarioService(database).latest_scenario(scenario_id)
    except (NotFound, SQLAlchemyError):
        return None
    finally:
        database.dispose()
    return scenario, f"library: {stored.scenario_id} version {stored.version}"


def _find_scenario(settings: Settings, name: str) -> tuple[Any, str]:
    """The scenario a file path or an id (in the scenarios folder) names, and where it was
    found; raises ScenarioInvalid for a bad file and LookupError when there is none."""
    from app.scenarios.loader import SCENARIO_SUFFIXES, load_directory, load_scenario

    path = Path(name)
    if path.is_file():
        return load_scenario(path), str(path)
    if path.suffix.lower() in SCENARIO_SUFFIXES or len(path.parts) > 1:
        raise LookupError(f"{name}: no such file")
    stored = _library_scenario(settings, name)
    if stored is not None:
        return stored
    directory = settings.scenarios_dir
    for suffix in SCENARIO_SUFFIXES:  # the usual layout: <id>.yaml
        candidate = directory / f"{name}{suffix}"
        if candidate.is_file():
            scenario = load_scenario(candidate)
            if scenario.id == name:
                return scenario, str(candidate)
    try:
        found = [(p, s) for p, s in load_directory(directory) if s.id == name]
    except OSError as error:
        raise LookupError(
            f"no scenario {name!r}: {name} is not a file, and the scenarios folder "
            f"{directory} cannot be read ({error.strerror or error})"
        ) from None
    if not found:
        raise LookupError(
            f"no scenario {name!r}: not a file, and no scenario with that id in {directory}"
        )
    return found[-1][1], str(found[-1][0])


def _cmd_simulate(settings: Settings, args: argparse.Namespace) -> int:
    import time

    from app.bots import simulate as sim
    from app.bots.report import format_summary, write_csv
    from app.bots.scenario_check import check_runs, format_check
    from app.scenarios.loader import ScenarioInvalid
    from app.scenarios.texts import translated

    try:
        scenario, where = _find_scenario(settings, args.scenario)
    except ScenarioInvalid as invalid:
        for error in invalid.errors:
            print(error, file=sys.stderr)
        print(
            "entente: " + _("%(scenario)s is not a valid scenario.", scenario=args.scenario),
            file=sys.stderr,
        )
        return 1
    except LookupError as error:
        print(f"entente: {error}", file=sys.stderr)
        return 1
    # Its texts (names, objectives, events) in the CLI's language; the rules read the same.
    scenario = translated(scenario, current_language())
    state = sim.opening_state(scenario, seed=args.seed)
    try:
        plan = sim.strategy_for(scenario, args.strategy, state)
    except sim.UnknownStrategy as error:
        print(f"entente: {scenario.id}: {error}", file=sys.stderr)
        return 1
    started = time.perf_counter()
    finals: list[Any] = []
    results = sim.simulate(
        state, plan, args.runs, args.seed, checks=sim.historical_checks(scenario), finals=finals
    )
    elapsed = time.perf_counter() - started
    outcome = getattr(scenario, "historical_outcome", None)
    table = format_summary(
        sim.summarise(results, plan.id),
        state,
        plan,
        title=f"{scenario.title} ({scenario.id})",
        source=where,
        seed=args.seed,
        elapsed=elapsed,
        historical=getattr(outcome, "summary", None),
    )
    check = check_runs(scenario, finals, asked=args.runs, strategy=plan.name)
    try:
        print(table, flush=True)
        print("\n" + format_check(check), flush=True)
    except BrokenPipeError:  # `entente simulate ... | head`: the reader has had enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    if args.csv is not None:
        try:
            with args.csv.open("w", encoding="utf-8", newline="") as out:
                write_csv(results, out)
        except OSError as error:
            print(
                "entente: "
                + _(
                    "cannot write %(path)s: %(error)s", path=args.csv, error=error.strerror or error
                ),
                file=sys.stderr,
            )
            return 1
        print("\n" + _("One row per run written to %(path)s.", path=args.csv))
    return 0


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("%(text)s is not a whole number", text=repr(text))
        ) from None
    if value < 1:
        raise argparse.ArgumentTypeError(_("must be at least 1"))
    return value


def _redacted(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


class _HelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, _("usage: ") if prefix is None else prefix)


ARGPARSE_MESSAGES = (
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("not allowed with argument %s"),
    N_("one of the arguments %s is required"),
)
"""argparse's own messages (its errors) that `entente` says from its catalogue."""


def _argparse_gettext(message: str) -> str:
    return translations(current_language()).gettext(message)


def _argparse_ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current_language()).ngettext(singular, plural, n)


class _Parser(argparse.ArgumentParser):
    """argparse speaking the CLI's language: its own words ("usage", "options", "-h") come
    from argparse's gettext domain, which has no French, so they are said here from ours;
    so are its errors (`ARGPARSE_MESSAGES`), while it parses."""

    def parse_args(self, *args: Any, **kwargs: Any) -> Any:
        # argparse reads its module's `_` and `ngettext` when it words an error.
        said = argparse.__dict__["_"], argparse.__dict__["ngettext"]
        setattr(argparse, "_", _argparse_gettext)  # noqa: B010 (not in argparse's stubs)
        setattr(argparse, "ngettext", _argparse_ngettext)  # noqa: B010
        try:
            return super().parse_args(*args, **kwargs)
        finally:
            setattr(argparse, "_", said[0])  # noqa: B010
            setattr(argparse, "ngettext", said[1])  # noqa: B010

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _HelpFormatter)
        kwargs["add_help"] = False  # its own "-h", with words from our catalogue, below
        super().__init__(*args, **kwargs)
        # The two default groups' titles: argparse keeps them in these attributes.
        self._positionals.title = _("positional arguments")
        self._optionals.title = _("options")
        self.add_argument("-h", "--help", action="help", help=_("show this help message and exit"))


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="entente",
        description=_(
            "The entente command: serve, migrate, validate scenarios, create a demo game, "
            "simulate a scenario with bots, export and import a game."
        ),
    )
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help=_("run the web server"))
    serve.add_argument("--host", help=_("address to bind (default ENTENTE_HOST or 127.0.0.1)"))
    serve.add_argument("--port", type=int, help=_("port (default ENTENTE_PORT or 8000)"))
    serve.set_defaults(handler=_cmd_serve)

    db = commands.add_parser("db", help=_("database schema")).add_subparsers(
        dest="db_command", required=True
    )
    db_upgrade = db.add_parser("upgrade", help=_("apply the migrations"))
    db_upgrade.add_argument("revision", nargs="?", default="head")
    db_upgrade.set_defaults(handler=_cmd_db_upgrade)

    scenario = commands.add_parser("scenario", help=_("scenario files")).add_subparsers(
        dest="scenario_command", required=True
    )
    validate = scenario.add_parser(
        "validate", help=_("check scenario files; non-zero exit on any error")
    )
    validate.add_argument("paths", nargs="*", help=_("files or folders (default: scenarios/)"))
    validate.set_defaults(handler=_cmd_scenario_validate)
    load = scenario.add_parser("load", help=_("store new versions of scenarios/ in the database"))
    load.set_defaults(handler=_cmd_scenario_load)

    user = commands.add_parser("user", help=_("instructor accounts"))
    user_commands = user.add_subparsers(dest="user_command", required=True)
    user_create = user_commands.add_parser("create", help=_("create an instructor account"))
    user_create.add_argument("email", help=_("the address the instructor signs in with"))
    user_create.add_argument("--name", default="", help=_("display name (default: the address)"))
    user_create.add_argument(
        "--password-stdin", action="store_true", help=_("read the password from standard input")
    )
    user_create.set_defaults(handler=_cmd_user_create)
    user_list = user_commands.add_parser("list", help=_("list the instructor accounts"))
    user_list.set_defaults(handler=_cmd_user_list)
    user_password = user_commands.add_parser(
        "password", help=_("reset an instructor's forgotten password")
    )
    user_password.add_argument("email", help=_("the address the instructor signs in with"))
    user_password.add_argument(
        "--password-stdin", action="store_true", help=_("read the password from standard input")
    )
    user_password.set_defaults(handler=_cmd_user_password)
    user_remove = user_commands.add_parser(
        "remove", help=_("remove an instructor account (never the last)")
    )
    user_remove.add_argument("email", help=_("the address the instructor signs in with"))
    user_remove.set_defaults(handler=_cmd_user_remove)

    demo = commands.add_parser("demo", help=_("create a demo game and print its join links"))
    demo.add_argument("--scenario", default=DEMO_SCENARIO)
    demo.add_argument("--name", default=None)
    demo.add_argument("--seed", type=int, default=None)
    demo.add_argument(
        "--reuse",
        action="store_true",
        help=_("print the links of the newest running game instead, if any"),
    )
    demo.set_defaults(handler=_cmd_demo)

    simulate = commands.add_parser(
        "simulate",
        help=_("play a scenario many times with bots and summarise the outcomes (Monte Carlo)"),
    )
    simulate.add_argument(
        "scenario",
        help=_(
            "a scenario file, or the id of a scenario: its latest version in the library "
            "(where the browser editor saves), else in the scenarios folder"
        ),
    )
    simulate.add_argument("--runs", type=_positive_int, default=100, help=_("games (default 100)"))
    simulate.add_argument(
        "--seed",
        type=int,
        default=1,
        help=_("seed of the first run; run i uses seed+i (default 1)"),
    )
    simulate.add_argument(
        "--strategy",
        default=None,
        help=_(
            "a strategy id of the scenario, a personality for every nation (cooperative, "
            "free_rider, hawk, dove, spoiler) or 'profile' (each nation's political profile); "
            "default: 'historical' if the scenario has it, else cooperative"
        ),
    )
    simulate.add_argument("--csv", type=Path, default=None, help=_("write one row per run here"))
    simulate.set_defaults(handler=_cmd_simulate)

    export = commands.add_parser(
        "export", help=_("write one game (with its scenario text) as a JSON document")
    )
    export.add_argument("game_id", help=_("the game's id (as on its console's address)"))
    export.add_argument(
        "-o", "--output", type=Path, default=None, help=_("write here (default: standard output)")
    )
    export.set_defaults(handler=_cmd_export)

    import_ = commands.add_parser("import", help=_("restore a game written by 'entente export'"))
    import_.add_argument(
        "file", type=Path, help=_("the exported JSON document ('-': standard input)")
    )
    import_.add_argument(
        "--new-id",
        action="store_true",
        help=_("import as a copy: a fresh game id and fresh join links"),
    )
    import_.set_defaults(handler=_cmd_import)
    return parser


def environment_language() -> str | None:
    """The language the environment's locale asks for (LC_ALL, then LC_MESSAGES, then
    LANG, as gettext reads them): `entente` speaks it if the interface does."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return value.split(".")[0]
    return None


def main(argv: list[str] | None = None) -> int:
    with use_language(environment_language()):
        return _main(argv)


def _main(argv: list[str] | None) -> int:
    args = build_parser().parse_args(argv)
    settings = get_settings()
    configure_logging(settings)
    from app.services.errors import ServiceError

    try:
        return int(args.handler(settings, args))
    except ServiceError as error:
        print(f"entente: {error.message}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
