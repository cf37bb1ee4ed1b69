"""`ledger doc …`: the articles, statements and posts that carry claims."""

from __future__ import annotations

from pathlib import Path

import typer

from ledger.cli.app import new_app, parse_id, settings
from ledger.cli.output import csv_flag, emit, json_flag, nl_flag, style_of
from ledger.errors import InputError

app = new_app("Documents: where claims were published (an article, a statement, a tweet).")


@app.command("add")
def add(
    ctx: typer.Context,
    outlet: str = typer.Option(..., "--outlet", metavar="SOURCE", help="The publishing source, by name or alias."),
    published: str = typer.Option(..., "--published", help="Publication date, YYYY-MM-DD, or with the time and its offset: 2022-01-22T14:05+03:00."),
    url: str = typer.Option(None, "--url", help="Where it was published online."),
    title: str = typer.Option(None, "--title", help="Its headline or title."),
    file: Path = typer.Option(None, "--file", help="The document's full text (UTF-8); stored with its sha256 so quotes can be checked."),
    as_json: bool = typer.Option(False, "--json", help="Print the new document as JSON."),
):
    """Record a document and print its id.

    Example:

        ledger doc add --outlet "Al Jazeera" --published 2022-01-22 --file seeds/hasaka-prison-2022.txt
    """
    from ledger.reports import render
    from ledger.dates import parse_moment

    day, moment = parse_moment("--published", published)
    body = None
    if file is not None:
        try:
            body = file.read_bytes().decode("utf-8")  # as it is: read_text would turn CRLF into LF and change its sha256
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError("--file", str(file), f"cannot be read ({exc.__class__.__name__})", "give a readable UTF-8 text file") from None
    doc = settings(ctx).open().add_document(outlet, day, url=url, title=title, text=body, published_at=moment)
    typer.echo(render.to_json(render.document_dict(doc)) if as_json else str(doc.id))


@app.command("list")
def list_(ctx: typer.Context, as_json: bool = json_flag(), as_csv: bool = csv_flag("one document per row"), as_nl: bool = nl_flag()):
    """List documents with outlet, date and text hash.

    Example: ledger doc list --nl | jq .url
    """
    from ledger.reports import render

    style = style_of(as_json, as_csv, as_nl)
    docs = settings(ctx).open().list_documents()
    rows = [[d.id, d.outlet, d.published, d.title or "", d.url or "", (d.sha256 or "")[:12]] for d in docs]
    emit(style, (render.document_dict(d) for d in docs),
         lambda: render.table(rows, ["id", "outlet", "published", "title", "url", "sha256"]))


@app.command("show")
def show(
    ctx: typer.Context,
    document_id: int = typer.Argument(..., metavar="ID", parser=parse_id, help="The document's id (`ledger doc list`)."),
    as_json: bool = json_flag("the document as a JSON object, with the ids of the claims citing it"),
    as_csv: bool = csv_flag("a header and the document's row"),
    as_nl: bool = nl_flag(),
):
    """Show one document: outlet, date, title, address, text hash and the claims that cite it.

    Example: ledger doc show 1
    """
    from ledger.reports import render

    style = style_of(as_json, as_csv, as_nl)
    book = settings(ctx).open()
    doc = book.get_document(document_id)
    citing = [c.id for c in book.list_claims() if c.document_id == doc.id]
    data = {**render.document_dict(doc), "published_at": doc.published_at,
            "characters": len(doc.text) if doc.text is not None else None, "claims": citing}
    shown = {**data, "claims": " ".join(map(str, citing)) or "(none)"}
    emit(style, data, lambda: render.table([[k, "" if v is None else v] for k, v in shown.items()], ["field", "value"], fmt="plain"))


@app.command("remove")
def remove(
    ctx: typer.Context,
    document_id: int = typer.Argument(..., metavar="ID", parser=parse_id, help="The document's id (`ledger doc list`)."),
    reason: str = typer.Option(..., "--reason", help="Why it goes (a duplicate, the wrong file); kept in the history."),
):
    """Remove a document no claim cites; the history keeps its record and the reason.

    Refused while any claim cites it, retracted claims included: point them at another
    document first (`ledger claim correct N --doc ID` or `--clear doc`).

    Example: ledger doc remove 4 --reason "duplicate of document 3"
    """
    doc = settings(ctx).open().remove_document(document_id, reason)
    typer.echo(f"document {doc.id} removed ({doc.outlet}, {doc.published})")
