"""Top-level commands about where figures came from and whether the record holds: verify, audit, log."""

from __future__ import annotations

import json

import typer

from ledger.cli.app import parse_count, parse_id, parse_seq, settings
from ledger.cli.output import csv_flag, emit, emit_many, json_flag, nl_flag, style_of


def register(app: typer.Typer) -> None:
    app.command("verify")(verify)
    app.command("audit")(audit)
    app.command("log")(log)


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def verify(
    ctx: typer.Context,
    head: str = typer.Option(None, "--head", metavar="HASH", help="A head hash kept elsewhere (8+ hex digits): it must still be in the history."),
    as_json: bool = json_flag("a JSON object: ok, counts, head, problems"),
    as_csv: bool = csv_flag("one row per problem beside the counts and head (one row, ok True, when all is well)"),
    as_nl: bool = nl_flag(),
):
    """Check that nothing was altered: the hash chain, every table row against the history, every document's text.

    Prints one line per problem and exits 1, or `ok: …` with the head hash and exits 0.
    Keep the head hash somewhere else (a report, an e-mail): removing the last entries
    or rewriting the whole history can only be caught against such a copy, with --head.

    Example: ledger verify --head 3fa94c1d
    """
    from ledger.cli.progress import TerminalProgress

    style = style_of(as_json, as_csv, as_nl)
    with TerminalProgress("verifying", "entries and rows") as bar:
        # off a terminal there is no bar, and verify need not count the rows for it
        result = settings(ctx).open(existing=True).verify(head, progress=bar if bar.enabled else None)
    checked = f"{_count(result.entries, 'entry', 'entries')}, {_count(result.claims, 'claim')}, {_count(result.documents, 'document')}"
    problems = [{"seq": p.seq, "kind": p.kind, "message": p.message} for p in result.problems]
    summary = {"ok": result.ok, "entries": result.entries, "sources": result.sources, "documents": result.documents,
               "claims": result.claims, "head": result.head, "head_seq": result.head_seq, "kept_head_seq": result.kept_head_seq}
    if style == "csv":  # as `audit --csv`: a row per problem beside what --json says of the whole, always a row
        emit(style, [{**summary, "problem": p} for p in problems] or
             [{**summary, "problem": dict.fromkeys(("seq", "kind", "message"))}], str)
    elif style != "table":
        emit(style, {**summary, "problems": problems}, str)
    elif result.ok:
        kept = f"; --head is entry {result.kept_head_seq}" if result.kept_head_seq is not None else ""
        _say(f"ok: {checked} verified; head {result.head or '(empty history)'}{kept}", "ok", fg="green")
    else:
        for problem in result.problems:
            _say(problem.message)
        _say(f"FAILED: {_count(len(result.problems), 'problem')} in {checked}; head {result.head or '(empty history)'}",
             "FAILED", fg="red", bold=True)
    if not result.ok:
        raise typer.Exit(1)


def _say(text: str, label: str = "", **style) -> None:
    """A line of ``text`` wrapped to the terminal (``render.terminal_width``), its first word ``label`` in ``style``
    when colour is wanted (``ledger.cli.colour``)."""
    from ledger.cli import colour
    from ledger.reports.render import terminal_width

    lines = _fitted(text, terminal_width())
    if label:
        lines[0] = typer.style(label, **style) + lines[0][len(label):]
    colour.echo("\n".join(lines))


def audit(
    ctx: typer.Context,
    claim_id: int = typer.Argument(..., metavar="ID", parser=parse_id, help="The claim's id (`ledger claim list`)."),
    as_json: bool = json_flag("the audit as a JSON object"),
    as_csv: bool = csv_flag("one row per history entry of the claim, beside the claim's fields"),
    as_nl: bool = nl_flag(),
):
    """Show a claim's full provenance: its path of sources with grades, its document and quote, its history and verdicts.

    Example: ledger audit 3
    """
    from ledger.provenance.audit import format_audit

    style = style_of(as_json, as_csv, as_nl)
    view = settings(ctx).open(existing=True).audit(claim_id)
    if style == "csv":  # a row per entry of its history, each with the claim, path and document it concerns
        common = {key: value for key, value in view.items() if key != "history"}
        emit(style, [{**common, "entry": entry} for entry in view.get("history") or [{}]], str)
    elif style == "table":
        from ledger.cli import colour

        text = _fitted_facts(format_audit(view))
        colour.echo(colour.verdicts(text) if colour.wanted() else text)  # the verdicts table in colour, as report's
    else:
        emit(style, view, str)


def _fitted_facts(text: str) -> str:
    """An audit's text with its labelled lines (all before the history) wrapped to the terminal, each line's
    rest under its label; its tables fit already (``render.table``)."""
    from ledger.reports.render import terminal_width

    width = terminal_width()
    if width is None:
        return text
    facts, history, tables = text.partition("\n\nhistory:\n")
    return "\n".join(wrapped for line in facts.split("\n") for wrapped in _fitted(line, width)) + history + tables


def _fitted(line: str, width: int | None) -> list[str]:
    """A labelled line wrapped to ``width`` between words, its rest indented under the label; as it is without one."""
    from ledger.reports.render import fit_paragraph

    return fit_paragraph(line, width, "  ") if width and len(line) > width else [line]


def log(
    ctx: typer.Context,
    since: int = typer.Option(0, "--since", metavar="SEQ", parser=parse_seq, help="Only entries after this seq number."),
    limit: int = typer.Option(None, "-n", "--limit", metavar="N", parser=parse_count, help="Show at most N entries (the newest, or the oldest with --reverse)."),
    reverse: bool = typer.Option(False, "--reverse", help="Oldest first, as the history was written."),
    as_json: bool = json_flag("a JSON list with every field and the parsed payload"),
    as_csv: bool = csv_flag("one entry per row, its payload as JSON in one cell"),
    as_nl: bool = nl_flag(),
):
    """List the history: every change, newest first, with who made it and its hash.

    Entries are read in batches, so `ledger log -n 10` is quick on any ledger.

    Example: ledger log -n 10        (the last ten changes)
             ledger log --since 40 --reverse
    """
    style = style_of(as_json, as_csv, as_nl)
    chosen = settings(ctx)
    if chosen.verbose:  # says which ledger and its head, so open it as every command does
        entries = chosen.open(existing=True).log(since, limit=limit, newest_first=not reverse)
    else:
        from ledger.api import read_log

        entries = read_log(chosen.db, since, limit=limit, newest_first=not reverse, existing=True)
    headers = ["seq", "time (UTC)", "user", "action", "subject", "hash"]
    # streamed a block at a time (`ledger log | head`); in CSV a payload's fields differ by action: one JSON cell
    emit_many(style, entries, (lambda e: {**_entry_dict(e), "payload": e.payload}) if style == "csv" else _entry_dict,
              lambda block: ([[e.seq, e.recorded_at[:19].replace("T", " "), e.user, e.action, e.subject, e.hash[:12]]
                              for e in block], headers))


def _entry_dict(entry) -> dict:
    try:
        payload = json.loads(entry.payload)
    except ValueError:  # tampered: show it as stored; `ledger verify` names the problem
        payload = entry.payload
    return {
        "seq": entry.seq, "recorded_at": entry.recorded_at, "user": entry.user, "action": entry.action,
        "subject": entry.subject, "payload": payload, "prev_hash": entry.prev_hash, "hash": entry.hash,
    }
