"""`ledger source …`: the speakers and publishers claims come from."""

from __future__ import annotations

import typer

from ledger.cli.app import new_app, read_clear, settings
from ledger.cli.output import csv_flag, emit, json_flag, nl_flag, style_of

app = new_app("Sources: who speaks (SOHR, a commander, 'local sources') and who publishes (Al Jazeera).")

KINDS_HELP = "ngo, media, government, armed-group, person, anonymous or other"


@app.command("add")
def add(
    ctx: typer.Context,
    name: str = typer.Argument(..., metavar="NAME", help="The source's usual name."),
    alias: list[str] = typer.Option([], "--alias", "-a", help="Another name it goes by (repeatable)."),
    kind: str = typer.Option("other", "--kind", "-k", help=KINDS_HELP),
    affiliation: str = typer.Option(None, "--affiliation", metavar="SOURCE", help="A known source this one belongs to (Mazloum Abdi → SDF)."),
    grade: str = typer.Option(None, "--grade", help="Admiralty reliability grade, A (reliable) to F (cannot be judged)."),
    as_json: bool = typer.Option(False, "--json", help="Print the new source as JSON."),
):
    """Record a source with its aliases.

    Example:

        ledger source add "Syrian Observatory for Human Rights" --alias SOHR --alias "the observatory" --kind ngo --grade B
    """
    from ledger.reports import render

    source = settings(ctx).open().add_source(name, kind=kind, aliases=alias, affiliation=affiliation, grade=grade)
    typer.echo(render.to_json(render.source_dict(source)) if as_json else str(source.id))


@app.command("list")
def list_(ctx: typer.Context, as_json: bool = json_flag(), as_csv: bool = csv_flag("one source per row"), as_nl: bool = nl_flag()):
    """List sources with their aliases, kinds, affiliations and grades.

    Example: ledger source list --csv > sources.csv
    """
    from ledger.reports import render

    style = style_of(as_json, as_csv, as_nl)
    sources = settings(ctx).open(existing=True).list_sources()
    rows = [[s.id, s.name, s.kind, ", ".join(s.aliases), s.affiliation or "", s.grade or ""] for s in sources]
    emit(style, (render.source_dict(s) for s in sources),
         lambda: render.table(rows, ["id", "name", "kind", "aliases", "affiliation", "grade"]) + _grade_legend(sources))


def _grade_legend(sources) -> str:
    """A line under the table spelling out the grades, when a source has one."""
    from ledger.provenance.audit import RELIABILITY
    from ledger.reports import render

    if not any(s.grade for s in sources):
        return ""
    legend = ("Grades (Admiralty code, the source's reliability): "
              + ", ".join(f"{letter} {meaning}" for letter, meaning in RELIABILITY.items()) + "; empty: not graded.")
    return "\n\n" + "\n".join(render.fit_lines([legend], render.terminal_width()))


@app.command("merge")
def merge(
    ctx: typer.Context,
    from_name: str = typer.Argument(..., metavar="FROM", help="The source to fold in, by name or alias."),
    into_name: str = typer.Argument(..., metavar="INTO", help="The source it is the same as."),
    reason: str = typer.Option(None, "--reason", help="Why they are the same (kept in the history)."),
):
    """Record that two sources are one: FROM's names become names of INTO.

    New claims under FROM's names are INTO's, and `ledger audit` shows FROM's earlier claims
    as INTO's ("recorded as FROM"). Nothing is rewritten; the merge is a history entry.

    Example:

        ledger source merge "SOHR Syria" "Syrian Observatory for Human Rights" --reason "same organisation"
    """
    source, target = settings(ctx).open().merge_sources(from_name, into_name, reason)
    typer.echo(f"source {source.id} {source.name!r} merged into source {target.id} {target.name!r}")


# --clear FIELD → the edit it stands for.
SOURCE_CLEARABLE = ("grade", "affiliation")


@app.command("edit")
def edit(
    ctx: typer.Context,
    name: str = typer.Argument(..., metavar="NAME", help="The source, by name or alias."),
    kind: str = typer.Option(None, "--kind", "-k", help=KINDS_HELP),
    grade: str = typer.Option(None, "--grade", help="Admiralty reliability grade, A (reliable) to F (cannot be judged)."),
    affiliation: str = typer.Option(None, "--affiliation", metavar="SOURCE", help="A known source this one speaks for (a spokesperson → the ministry)."),
    alias: list[str] = typer.Option([], "--alias", "-a", help="Another name it goes by, added (repeatable)."),
    clear: list[str] = typer.Option([], "--clear", metavar="FIELD", help="Empty grade or affiliation (repeatable)."),
    reason: str = typer.Option(None, "--reason", help="Why (kept in the history)."),
    as_json: bool = typer.Option(False, "--json", help="Print the source as it reads now, as JSON."),
):
    """Change a source's kind, grade or affiliation, or add names it goes by.

    Each edit is one history entry with the fields before and after. To say that two
    recorded sources are one, use `ledger source merge`.

    Examples:

        ledger source edit SOHR --grade B --reason "long record of accurate counts"

        ledger source edit "Farhad Shami" --affiliation SDF --alias "SDF spokesman"
    """
    from ledger.errors import InputError
    from ledger.reports import render

    given = {"kind": kind, "grade": grade, "affiliation": affiliation}
    changes: dict = dict.fromkeys(read_clear(clear, SOURCE_CLEARABLE, "is not a field that can be cleared",
                                             {k for k, v in given.items() if v is not None}))
    changes.update({k: v for k, v in given.items() if v is not None})
    if alias:
        changes["aliases"] = tuple(alias)
    if not changes:
        raise InputError("NAME", name, "names no change", "give --kind, --grade, --affiliation, --alias or --clear grade")
    book = settings(ctx).open()
    before = render.source_dict(book.get_source(name, field="NAME"))
    source = book.edit_source(name, reason=reason, **changes)
    after = render.source_dict(source)
    if as_json:
        typer.echo(render.to_json(after))
        return
    typer.echo(f"source {source.id}: " + "; ".join(render.changed_fields(before, after)))
