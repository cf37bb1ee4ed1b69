"""The typer app: global options, one error style, and the command groups hung on it.

Every command parses options, calls the library (``ledger.api``), renders.
Every mistake, whether the library refuses it (``LedgerError``) or the parser
does (a click usage error: unknown option, missing argument, malformed id),
ends as one ``error: FIELD: …`` line on stderr and an exit code; the parser's
boxed messages never show.

Only typer is imported at start-up; the storage layer (sqlmodel, alembic) is
imported by the commands that need it, so ``ledger --help`` stays quick.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from difflib import get_close_matches

import typer
from typer._click.exceptions import (
    BadOptionUsage, BadParameter, ClickException, MissingParameter, NoArgsIsHelpError, NoSuchOption, UsageError,
)
from typer.exceptions import Abort, Exit
from typer.core import TyperGroup

from ledger.errors import InputError, LedgerError


def _command_line(ctx) -> str:
    """The command as the user typed it (``ledger claim show``), whatever name the program was run under."""
    names = []
    while ctx is not None:
        names.append(ctx.info_name if ctx.parent is not None else "ledger")
        ctx = ctx.parent
    return " ".join(reversed(names))


def _param_label(param) -> str:
    """A parameter as help shows it: an argument's metavar, an option's long name."""
    if param.param_type_name == "argument":
        return param.metavar or param.name
    return max(param.opts, key=len)


def _usage_line(exc: UsageError, command_line: str | None = None) -> str:
    """A click usage error as one ``FIELD: problem`` line, with the closest valid choice and where help is.

    ``command_line`` names the command when the parser raised without a context (an option's missing value).
    """
    if isinstance(exc, MissingParameter) and exc.param is not None:
        parts = [f"{_param_label(exc.param)}: is missing"]
    elif isinstance(exc, BadParameter) and exc.param is not None:
        parts = [f"{_param_label(exc.param)}: {exc.message}"]
    elif isinstance(exc, NoSuchOption):
        parts = [f"{exc.option_name}: is not an option"]
        closest = get_close_matches(exc.option_name, exc.possibilities or [], n=1, cutoff=0)
        if closest:  # click offers every option near it; the nearest is the one meant
            parts[0] += f"; did you mean {closest[0]}?"
    elif isinstance(exc, BadOptionUsage):
        problem = exc.message.replace(f"Option {exc.option_name!r} requires an argument.", "needs a value")
        parts = [f"{exc.option_name}: {problem}"]
    elif exc.message.rstrip(".") == "Missing command":
        parts = ["COMMAND: is missing"]
    elif exc.message.startswith("Got unexpected extra argument"):  # click: "… argument(s) (2 3)"
        extra = exc.message.partition("(s) (")[2].removesuffix(")")
        parts = [f"ARGUMENTS: {extra!r} is more than the command takes"]
    else:
        parts = [exc.message.rstrip(".")]
    if exc.ctx is not None:
        command_line = _command_line(exc.ctx)
    if command_line:
        parts.append(f"see `{command_line} --help`")
    return (" " if parts[0].endswith("?") else "; ").join(parts)


class LedgerGroup(TyperGroup):
    """Turns LedgerError and click's usage errors anywhere below into one ``error: …`` line and its exit code.

    A command's own parsing happens inside its group's ``invoke``; the root's
    options are parsed in ``make_context``, so both are caught.
    """

    def make_context(self, info_name, args, parent=None, **extra):
        _placeholders(self)
        if parent is None:
            completing = extra.get("resilient_parsing", False)  # a Tab: never an error, the line is half typed
            if not completing:
                _refuse_undecodable(args)
            args = self.hoist_global_options(list(args), completing)
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except NoArgsIsHelpError as exc:  # `ledger` or `ledger claim` alone: its help, and success
            _help_and_exit(exc)
        except UsageError as exc:
            command_line = f"{_command_line(parent)} {info_name}" if parent is not None else "ledger"
            _fail(_usage_line(exc, command_line), exc.exit_code)

    def hoist_global_options(self, args: list[str], completing: bool = False) -> list[str]:
        """``ledger report --db x.db`` means ``ledger --db x.db report``: ``--db``, ``--by`` and ``-v`` after
        the command move in front of it, unless the command has an option of that name itself (``demo --db``).

        The command's own options are read as its parser will read them, so the value of one
        (``--reason --db``) is never taken for a global option.
        """
        group, i, hoisted = self, 0, []
        command_at = len(args)  # where the root's own options end: hoisted ones go there, after them, to win

        def placed(tokens: list[str]) -> list[str]:
            return tokens[:command_at] + hoisted + tokens[command_at:]

        while i < len(args) and isinstance(group, TyperGroup):
            token = args[i]
            if token in _GLOBAL_FLAGS and group is not self:
                hoisted.append(token)
                del args[i]
            elif token.split("=", 1)[0] in _GLOBAL_OPTIONS and group is not self:  # `ledger claim --db x list`
                taken = [token] if "=" in token else args[i:i + 2]
                hoisted += taken
                del args[i:i + len(taken)]
            elif token in _GLOBAL_OPTIONS:
                i += 2
            elif token.startswith("-"):
                i += 1
            else:
                if group is self:
                    command_at = i
                group, i = group.get_command(None, token), i + 1
                if group is None:
                    return placed(args)
        if group is None or isinstance(group, TyperGroup):
            return placed(args)
        takes_value = {opt for param in group.params if param.param_type_name == "option" and not param.is_flag
                       for opt in param.opts}
        own = {opt for param in group.params for opt in param.opts}
        head, rest, j = args[:i], [], i
        while j < len(args):
            token = args[j]
            name = token.split("=", 1)[0]
            if token == "--":
                rest += args[j:]
                break
            if name in _GLOBAL_FLAGS and name not in own:
                hoisted.append(token)
                j += 1
                continue
            if name in _GLOBAL_OPTIONS and name not in own:
                if "=" not in token and j + 1 == len(args) and completing:  # `ledger audit --db <Tab>`
                    rest.append(token)
                    break
                if "=" not in token and j + 1 == len(args):
                    _fail(f"{name}: needs a value; see `ledger {' '.join(args[:i]).strip()} --help`", 2)
                taken = [token] if "=" in token else args[j:j + 2]
                hoisted += taken  # in the order given: the last --db wins, as it would before the command
                j += len(taken)
                continue
            rest.append(token)
            if token in takes_value and j + 1 < len(args):
                rest.append(args[j + 1])
                j += 1
            j += 1
        return placed(head + rest)

    def resolve_command(self, ctx, args):
        try:
            name, command, rest = super().resolve_command(ctx, args)
            _placeholders(command)
            return name, command, rest
        except UsageError as exc:
            if type(exc) is not UsageError or not args or self.get_command(ctx, args[0]) is not None:
                raise
            problem = f"COMMAND: {args[0]!r} is not a command of `{_command_line(ctx)}`"
            closest = get_close_matches(args[0], self.list_commands(ctx))
            if closest:
                problem += "; did you mean " + " or ".join(repr(name) for name in closest) + "?"
            raise UsageError(problem, ctx) from None

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except NoArgsIsHelpError as exc:
            _help_and_exit(exc)
        except UsageError as exc:  # raised while parsing the subcommand's own arguments
            command_line = " ".join(filter(None, (_command_line(ctx), ctx.invoked_subcommand)))
            _fail(_usage_line(exc, command_line), exc.exit_code)
        except LedgerError as exc:
            _fail(str(exc), exc.exit_code)
        except KeyboardInterrupt:  # Ctrl-C: one line like any other stop, and 130 as a shell reports SIGINT
            _fail("interrupted", 130)
        except BrokenPipeError:  # `ledger claim list | head`: click stops quietly, as `cat` would
            raise
        except Exception as exc:
            if type(exc).__module__.startswith("sqlalchemy"):
                _fail(f"database: {str(exc).splitlines()[0]}", 1)
            if isinstance(exc, (Exit, Abort, ClickException)) or (isinstance(ctx.obj, Settings) and ctx.obj.verbose):
                raise
            # A user sees one line, not a traceback: most often a row edited outside ledger into a value
            # of a type it never writes, which `verify` names row by row.
            first_line = (str(exc).splitlines() or [""])[0]
            _fail(f"unexpected {type(exc).__name__}: {first_line}; if the ledger was changed outside ledger, "
                  f"`ledger verify` names the rows; rerun with -v for the traceback", 1)


def _placeholders(command) -> None:
    """Help shows a flag alone (``--json``, not ``--json <bool>``) and a value by what it is (``--event EVENT``,
    not ``--event <str>``), unless the option names its placeholder itself (``--db URL``)."""
    if command is None or getattr(command, "_placeholders_set", False):
        return
    from ledger.cli.completion import offer_names
    command._placeholders_set = True
    for described in (command, *getattr(command, "commands", {}).values()):  # a group lists its commands' help too
        if described.help and not getattr(described, "_reflowed", False):
            described.help, described._reflowed = _reflowed(described.help), True
    for param in getattr(command, "params", ()):
        if param.param_type_name == "argument":  # `ledger audit ID`, as click writes it, not `{ID}` and `<int>`
            param.display_type_rich = lambda ctx: None
            param._usage_display_name = lambda p=param: (p.display_name_raw if p.required else f"[{p.display_name_raw}]") + (
                "..." if p.nargs != 1 else "")
            continue
        offer_names(param)
        if param.metavar is not None:
            continue
        if param.is_flag:
            param.metavar = ""
        else:
            name = max(param.opts, key=len).lstrip("-").replace("-", "_").upper()
            param.metavar = _WHAT_IT_TAKES.get(name, name)
    made = command.get_help_option  # click makes --help anew for each context

    def help_option(ctx):
        option = made(ctx)
        if option is not None:
            option.metavar = ""
        return option

    command.get_help_option = help_option


def _reflowed(text: str) -> str:
    """A docstring's paragraphs as one line each, for the help to wrap at the terminal's width (typer's rich help
    keeps every line break); a paragraph with an indented line (examples, lists) keeps its lines."""
    import inspect

    paragraphs = inspect.cleandoc(text).split("\n\n")
    return "\n\n".join(p if any(line[:1].isspace() for line in p.splitlines()[1:]) or p.lstrip().startswith(("- ", "* "))
                        else " ".join(line.strip() for line in p.splitlines()) for p in paragraphs)


# Placeholders that say what a value is where the option's own name would not (``--as-of DATE``, not AS_OF).
_WHAT_IT_TAKES = {"AS_OF": "DATE", "PUBLISHED": "DATE", "RETRIEVED": "DATE", "CREDIBILITY": "1-6", "QUOTE": "TEXT",
                  "QUOTE_ORIGINAL": "TEXT", "FAIL_ON": "VERDICT", "OUTPUT": "FILE", "SEEDS": "DIR", "PERIOD": "START..END",
                  "REASON": "TEXT", "TITLE": "TEXT"}
_GLOBAL_OPTIONS = ("--db", "--by")  # the root's options that take a value, accepted after any command too
_GLOBAL_FLAGS = ("-v", "--verbose")  # and its flags


def _undecodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: bytes that were not UTF-8, as a shell passes $'\xff'
        return True
    return False


def _refuse_undecodable(args: list[str]) -> None:
    """Every argument and ledger variable must be UTF-8 text: a name stored from broken bytes could never be matched."""
    import os

    for position, arg in enumerate(args):
        if _undecodable(arg):
            before = args[position - 1] if position and args[position - 1].startswith("-") else "ARGUMENT"
            shown = arg.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
            _fail(f"{before}: {shown!r} is not valid UTF-8 text; give the name or words in UTF-8", 2)
    for variable in ("LEDGER_DB", "LEDGER_USER"):
        if _undecodable(os.environ.get(variable, "")):
            _fail(f"{variable}: is not valid UTF-8 text; set it in UTF-8", 2)


def _help_and_exit(exc: NoArgsIsHelpError):
    """A group run with nothing after it asked for nothing wrong: print its help, exit 0 (as git and llm do)."""
    typer.echo(exc.ctx.get_help())
    raise typer.Exit(0)


def _fail(message: str, code: int):
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code) from None


# Ids are SQLite INTEGER / PostgreSQL BIGINT keys, and every record's starts at 1.
def parse_id(text: str) -> int:
    """An id argument or option (``parser=parse_id``): a whole number from 1 to 2^63-1, or one clear error."""
    return _whole_number(text, 1, "an id")


def parse_seq(text: str) -> int:
    """A history seq number (``parser=parse_seq``): a whole number from 0 to 2^63-1."""
    return _whole_number(text, 0, "a seq number")


def parse_count(text: str) -> int:
    """How many to show (``parser=parse_count``): a whole number from 0 to 2^63-1."""
    return _whole_number(text, 0, "a count")


def _whole_number(text: str, low: int, what: str) -> int:
    from ledger.model import MAX_ID

    if isinstance(text, int):  # a default, already a number
        value = text
    else:
        stripped = text.strip()
        digits = stripped[1:] if stripped[:1] in "+-" else stripped
        # isdecimal: int() would also take "1_000"; and past 19 digits is past any id (int() refuses 4,300)
        if not digits.isdecimal():
            raise BadParameter(f"{text!r} is not a whole number; {what} is a whole number from {low} to {MAX_ID}")
        if len(digits) > 19:
            shown = stripped if len(stripped) <= 40 else stripped[:40] + "…"
            raise BadParameter(f"{shown} is out of range; {what} is a whole number from {low} to {MAX_ID}")
        value = int(stripped)
    if not low <= value <= MAX_ID:
        problem = "is negative" if value < 0 else "is out of range"
        raise BadParameter(f"{value} {problem}; {what} is a whole number from {low} to {MAX_ID}")
    return value


def non_blank(text: str) -> str:
    """A name argument (``parser=non_blank``): refuses one that is empty or only spaces."""
    if not text.strip():
        raise BadParameter(f"{text!r} is empty; give a name")
    return text


def read_clear(values: list[str], choices: tuple[str, ...], problem: str, given: set[str] | frozenset = frozenset()) -> list[str]:
    """The ``--clear`` values, each one of ``choices`` (else an error naming the closest) and none also given a
    new value in the same command (``given``)."""
    cleared = []
    for raw in values:
        wanted = raw.strip().lower().lstrip("-")
        if wanted not in choices:
            closest = get_close_matches(wanted, choices, n=1)
            raise InputError("--clear", raw, problem, (f"did you mean {closest[0]!r}? " if closest else "") + "one of: " + ", ".join(choices))
        if wanted in given:
            raise InputError("--clear", raw, "also has a new value in this command", "give either the new value or --clear, not both")
        cleared.append(wanted)
    return cleared


def new_app(help_text: str, completion: bool = False) -> typer.Typer:
    return typer.Typer(cls=LedgerGroup, help=help_text, no_args_is_help=True, add_completion=completion,
                       context_settings={"help_option_names": ["-h", "--help"]})


# Only the root offers --install-completion and --show-completion (bash, zsh, fish, PowerShell).
app = new_app(completion=True, help_text=
    "Record who said what about a violent event, find where the figures disagree, and audit where each came from.\n\n"
    "Start with `ledger demo`: it builds ./ledger.db from the bundled seed article and prints its report.\n\n"
    "--db and --by may also follow the command (`ledger report --db team.db`)."
)


@dataclass
class Settings:
    db: str | None
    user: str | None
    verbose: bool = False

    def open(self, existing: bool = False):
        """The ledger; ``existing`` for a command that only reads, which must not make an empty ledger of a typo."""
        from ledger.api import mask_url, open_ledger

        book = open_ledger(self.db, self.user, existing=existing)
        if self.verbose:
            newest = next(iter(book.log(limit=1, newest_first=True)), None)
            typer.echo(f"ledger: {mask_url(book.url)}, history head {newest.seq if newest else 0}", err=True)
        return book


def settings(ctx: typer.Context) -> Settings:
    root = ctx.find_root()
    return root.obj if isinstance(root.obj, Settings) else Settings(None, None)


def db_url(value: str | None, field: str = "--db") -> str | None:
    """Accept a SQLAlchemy URL, or a plain file path for SQLite; refuse an empty one, which SQLite would read as memory."""
    if value is not None and not value.strip():
        raise InputError(field, value, "is empty", "give a ledger file (ledger.db) or a URL (sqlite:///ledger.db)")
    if value is None or "://" in value:
        return value
    return f"sqlite:///{value}"


@app.callback()
def main_options(
    ctx: typer.Context,
    db: str = typer.Option(
        None, "--db", envvar="LEDGER_DB", metavar="URL",
        help="Database URL (sqlite:///path.db or postgresql+psycopg://…) or a SQLite file path. Default: sqlite:///ledger.db",
    ),
    by: str = typer.Option(None, "--by", envvar="LEDGER_USER", metavar="NAME", help="Who is recording, for the history. Default: the OS user."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Say on stderr which ledger is used (password hidden), how long the command took, and the traceback of an unexpected failure."),
    version: bool = typer.Option(False, "--version", is_eager=True, callback=lambda value: _print_version(value),
                                 help="Print ledger's version and exit."),
):
    if db is None and os.environ.get("LEDGER_DB") == "":  # click reads an empty variable as unset
        db_url("", "LEDGER_DB")
    ctx.obj = Settings(db_url(db), by, verbose=verbose)
    if verbose:
        import time

        started = time.perf_counter()
        ctx.call_on_close(lambda: typer.echo(f"ledger: {time.perf_counter() - started:.2f} s", err=True))


def _print_version(asked: bool) -> None:
    if asked:
        from importlib.metadata import PackageNotFoundError, version

        try:
            typer.echo(f"ledger {version('ledger')}")
        except PackageNotFoundError:  # run from a checkout that was never installed
            typer.echo("ledger (not installed; run from a checkout)")
        raise typer.Exit(0)


def _register() -> None:
    from ledger.cli import claims, documents, extract, ledger_settings, names, provenance, reports, sources, transfer

    app.add_typer(sources.app, name="source")
    app.add_typer(documents.app, name="doc")
    app.add_typer(ledger_settings.app, name="setting")
    app.add_typer(claims.app, name="claim")
    names.register(app)
    reports.register(app)
    provenance.register(app)
    transfer.register(app)
    extract.register(app)


_register()


def main() -> None:
    from ledger import interrupts

    interrupts.finish_after_commit()  # a Ctrl-C after a commit must not say "interrupted": see ledger.interrupts
    app(prog_name="ledger")
