"""The typer app: global options, one error style, and the command groups hung on it.

Every command parses options, calls the library (``ledger.api``), renders.

Only typer is imported at start-up; the storage layer (sqlmodel, alembic) is
imported by the commands that need it, so ``ledger --help`` stays quick.
"""

from __future__ import annotations

from dataclasses import dataclass

import typer
from typer.core import TyperGroup

from ledger.errors import LedgerError


class LedgerGroup(TyperGroup):
    """Turns LedgerError anywhere below into one ``error: …`` line and its exit code."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except LedgerError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except Exception as exc:
            if type(exc).__module__.startswith("sqlalchemy"):
                typer.echo(f"error: database: {str(exc).splitlines()[0]}", err=True)
                raise typer.Exit(1) from None
            raise


def new_app(help_text: str) -> typer.Typer:
    return typer.Typer(cls=LedgerGroup, help=help_text, no_args_is_help=True, add_completion=False,
                       context_settings={"help_option_names": ["-h", "--help"]})


app = new_app(
    "Record who said what about a violent event, find where the figures disagree, and audit where each came from.\n\n"
    "Start with `ledger demo` to see a report built from the bundled seed article."
)


@dataclass
class Settings:
    db: str | None
    user: str | None

    def open(self):
        from ledger.api import open_ledger

        return open_ledger(self.db, self.user)


def settings(ctx: typer.Context) -> Settings:
    root = ctx.find_root()
    return root.obj if isinstance(root.obj, Settings) else Settings(None, None)


def db_url(value: str | None) -> str | None:
    """Accept a SQLAlchemy URL, or a plain file path for SQLite."""
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
    by: str = typer.Option(None, "--by", envvar="LEDGER_USER", help="Who is recording, for the history. Default: the OS user."),
):
    ctx.obj = Settings(db_url(db), by)


def _register() -> None:
    from ledger.cli import claims, documents, provenance, reports, sources, transfer

    app.add_typer(sources.app, name="source")
    app.add_typer(documents.app, name="doc")
    app.add_typer(claims.app, name="claim")
    reports.register(app)
    provenance.register(app)
    transfer.register(app)


_register()


def main() -> None:
    app(prog_name="ledger")
