"""`ledger event …`, `ledger group …`, `ledger place …`: the names the report files claims under, and rulings on them.

One factory makes the three nouns: each has list, alias, merge and split, and
edit with the facts that kind of name has (an event's date and place; a
group's or place's larger whole).
"""

from __future__ import annotations

import json

import typer

from ledger.cli.app import new_app, parse_id, read_clear, settings
from ledger.cli.output import csv_flag, emit, json_flag, nl_flag, style_of
from ledger.errors import InputError

NOUNS = {
    "event": ("Events: what happened. Join spellings the matcher missed, keep incidents apart, give an event its date and place.",
              "Ghweran prison attack", "Ghwayran prison break"),
    "group": ("Groups: whose dead, arrested… Join spellings and acronyms, keep groups apart, say which group is part of which.",
              "Syrian Democratic Forces", "SDF fighters"),
    "place": ("Places: where the counted events happened (a claim's --location). Join spellings, say which place is in which.",
              "Al-Hasakah", "Hasaka city"),
}


def _facts_text(view) -> str:
    facts = [f"{fact} {getattr(view, fact)}" for fact in ("date", "place", "within") if getattr(view, fact)]
    return "; ".join(facts)


def name_app(kind: str) -> typer.Typer:
    help_text, example, variant = NOUNS[kind]
    app = new_app(help_text)

    @app.command("list")
    def list_(ctx: typer.Context, as_json: bool = json_flag(), as_csv: bool = csv_flag(f"one {kind} per row"),
              as_nl: bool = nl_flag()):
        from ledger.reports import render

        style = style_of(as_json, as_csv, as_nl)
        views = settings(ctx).open(existing=True).names(kind)
        if style == "csv":  # spellings are data, not fields: one cell of JSON ({"Ghwayran": 1}), not a column each
            emit(style, ({**v.to_dict(), "spellings": json.dumps(v.spellings, ensure_ascii=False)} for v in views), str)
            return
        if style != "table":
            emit(style, (v.to_dict() for v in views), str)
            return
        rows = [[v.name, v.claims, ", ".join(f"{s} ({n})" for s, n in sorted(v.spellings.items()) if s != v.name),
                 _facts_text(v)] for v in views]
        typer.echo(render.table(rows, [kind, "claims", "also written", "facts"]))
        questions = [m for v in views for m in v.possible_matches if v.name < m["name"]]
        if questions:
            width = render.terminal_width()
            typer.echo("")
            typer.echo("\n".join(render.fit_lines([f"Possibly the same {kind} (not joined; run the command if they are):"], width)))
            for match in questions:  # a command too long for the terminal goes on with " \\": it still runs pasted
                command = f"  {match['command']}"
                typer.echo(command if width is None or len(command) <= width else "\n".join(render.fit_command(command, width, "  ")))

    list_.__doc__ = f"""List the {kind} names the report uses, with the spellings filed under each.

    Possible matches the matcher would not join are listed with the exact `ledger {kind} merge` command.

    Example: ledger {kind} list --json
    """

    @app.command("merge")
    def merge(
        ctx: typer.Context,
        from_name: str = typer.Argument(..., metavar="FROM", help=f"The {kind} to fold in, by any spelling (`ledger {kind} list`)."),
        into_name: str = typer.Argument(..., metavar="INTO", help=f"The {kind} it is; its name is kept."),
        reason: str = typer.Option(None, "--reason", help="Why they are one (kept in the history)."),
    ):
        ruling = settings(ctx).open().merge_names(kind, from_name, into_name, reason)
        typer.echo(f"{kind} {ruling.name!r} is now filed under {ruling.other!r}")

    merge.__doc__ = f"""Rule that two {kind} names are one: FROM's claims are filed under INTO.

    Nothing is rewritten: the ruling is a history entry, and `ledger {kind} split` undoes it.

    Example: ledger {kind} merge "{variant}" "{example}" --reason "same incident, other transliteration"
    """

    @app.command("alias")
    def alias(
        ctx: typer.Context,
        alias_name: str = typer.Argument(..., metavar="ALIAS", help="Another spelling, used on claims yet or not."),
        name: str = typer.Argument(..., metavar="NAME", help=f"The {kind} name in use it means."),
        reason: str = typer.Option(None, "--reason", help="Why (kept in the history)."),
    ):
        ruling = settings(ctx).open().alias_name(kind, alias_name, name, reason)
        typer.echo(f"{kind} {ruling.name!r} is now an alias of {ruling.other!r}")

    alias.__doc__ = f"""Rule that ALIAS is another spelling of NAME, before or after any claim uses it.

    Example: ledger {kind} alias "{variant}" "{example}"
    """

    @app.command("split")
    def split(
        ctx: typer.Context,
        name: str = typer.Argument(..., metavar="NAME", help=f"The {kind} to split, by any spelling."),
        as_name: str = typer.Option(None, "--as", metavar="NEW", help=f"The new {kind} the chosen claims move to."),
        claim: list[int] = typer.Option([], "--claim", metavar="ID", parser=parse_id, help="A claim to move (repeatable)."),
        since: str = typer.Option(None, "--from", metavar="DATE", help="Move the claims dated from this day (YYYY-MM-DD)."),
        until: str = typer.Option(None, "--to", metavar="DATE", help="Move the claims dated up to this day (YYYY-MM-DD)."),
        spelling: str = typer.Option(None, "--spelling", help="Keep this spelling (and its claims) apart instead of moving claims."),
        reason: str = typer.Option(None, "--reason", help="Why (kept in the history, and on each moved claim)."),
        as_json: bool = typer.Option(False, "--json", help="Print the ruling and the moved claims' ids as JSON."),
    ):
        from ledger.dates import parse_moment
        from ledger.reports import render

        start = parse_moment("--from", since)[0] if since is not None else None
        end = parse_moment("--to", until)[0] if until is not None else None
        if start and end and start > end:
            raise InputError("--from", since, f"is after --to {end.isoformat()}", "give --from before --to")
        ruling, moved = settings(ctx).open().split_name(kind, name, as_name, claim, start, end, spelling, reason)
        if as_json:
            typer.echo(render.to_json({"name": ruling.name, "apart_from": ruling.other, "claims": moved}))
        elif moved:
            typer.echo(f"claim{'s' * (len(moved) > 1)} {', '.join(map(str, moved))} moved to {kind} {ruling.name!r}, kept apart from {ruling.other!r}")
        else:
            typer.echo(f"{kind} {ruling.name!r} kept apart from {ruling.other!r}")

    split.__doc__ = f"""Take claims off {'an' if kind == 'event' else 'a'} {kind} to a new one, or keep one spelling apart; never joined again automatically.

    Each moved claim gets a correction entry; the new name is ruled apart from the old.

    Examples:

        ledger {kind} split "{example}" --from 2023-01-01 --as "{example} (2023)"

        ledger {kind} split "{example}" --spelling "{variant}"
    """

    if kind == "event":
        @app.command("edit")
        def edit_event(
            ctx: typer.Context,
            name: str = typer.Argument(..., metavar="NAME", help="The event, by any spelling."),
            date: str = typer.Option(None, "--date", help="The day it happened, YYYY-MM-DD."),
            place: str = typer.Option(None, "--place", help="Where it happened (a town, a district)."),
            clear: list[str] = typer.Option([], "--clear", metavar="FACT", help="Withdraw a fact: date or place (repeatable)."),
            reason: str = typer.Option(None, "--reason", help="Why (kept in the history)."),
        ):
            """Give an event its date and place: events with different dates or places are never joined.

            Two incidents with one name (a second attack on the same prison) stay two reports.

            Example: ledger event edit "Ghweran prison attack" --date 2022-01-20 --place Hasakah
            """
            _edit(ctx, kind, name, {"date": date, "place": place}, clear, reason)
    else:
        @app.command("edit")
        def edit_part(
            ctx: typer.Context,
            name: str = typer.Argument(..., metavar="NAME", help=f"The {kind}, by any spelling."),
            within: str = typer.Option(None, "--within", metavar="WHOLE", help=f"The larger {kind} this one is part of."),
            clear: list[str] = typer.Option([], "--clear", metavar="FACT", help="Withdraw a fact: within."),
            reason: str = typer.Option(None, "--reason", help="Why (kept in the history)."),
        ):
            _edit(ctx, kind, name, {"within": within}, clear, reason)

        whole = '"Syria"' if kind == "place" else '"all combatants"'
        edit_part.__doc__ = f"""Say which larger {kind} this one is part of: a part is held below its whole and never summed beside it.

        Example: ledger {kind} edit "{example}" --within {whole}
        """
    return app


def register(root: typer.Typer) -> None:
    for kind in NOUNS:
        root.add_typer(name_app(kind), name=kind)


def _edit(ctx: typer.Context, kind: str, name: str, given: dict, clear: list[str], reason: str | None) -> None:
    from ledger.api.names import a
    from ledger.dates import parse_moment

    changes = {fact: parse_moment("--date", value)[0] if fact == "date" else value
               for fact, value in given.items() if value is not None}
    changes.update(dict.fromkeys(read_clear(clear, tuple(given), f"is not a fact of {a(kind)}", set(changes))))
    settings(ctx).open().edit_name(kind, name, reason, **changes)
    typer.echo(f"{kind} {name!r}: " + "; ".join(f"{k} {'withdrawn' if v is None else v}" for k, v in changes.items()))
