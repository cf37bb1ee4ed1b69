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
    url: str = typer.Option(None, "--url", metavar="URL",
                            help="Where it was published online. Already recorded with another text: this is a new version of it."),
    archive_url: str = typer.Option(None, "--archive-url", metavar="URL",
                                    help="A copy kept by an archive (Wayback Machine, archive.today), for when the page changes or goes."),
    retrieved: str = typer.Option(None, "--retrieved", metavar="DATE",
                                  help="When the text was fetched: YYYY-MM-DD, or with the time and its offset: 2024-03-01T10:05+01:00."),
    title: str = typer.Option(None, "--title", help="Its headline or title."),
    file: Path = typer.Option(None, "--file",
                              help="The document's full text: UTF-8 text, an HTML page or a PDF with a text layer, read as "
                                   "`ledger extract` reads it; stored with its sha256 so quotes can be checked."),
    as_json: bool = typer.Option(False, "--json", help="Print the new document as JSON."),
):
    """Record a document and print its id.

    Versions: a --url already recorded with another text is recorded as a new version that
    replaces the newest one there (standard error says which); claims keep citing the version
    they were read from. The same --url with the same text (or, without --file, no text
    again) is refused as already recorded, naming the document, whatever --retrieved says:
    nothing changed, so a re-fetch is not a new version.

    Example:

        ledger doc add --outlet "Al Jazeera" --published 2022-01-22 --file seeds/hasaka-prison-2022.txt \
            --url https://www.aljazeera.net/news/2022/1/22/hasaka --retrieved 2022-01-23
    """
    from ledger.reports import render
    from ledger.dates import parse_moment

    day, moment = parse_moment("--published", published)
    fetched = _retrieved(retrieved)
    body = None if file is None else _read_file(file)
    book = settings(ctx).open()
    doc = book.add_document(outlet, day, url=url, title=title, text=body, published_at=moment, archive_url=archive_url,
                            retrieved=fetched)
    if doc.previous_id is not None:
        versions = [v.id for v in book.document_versions(doc.id)]
        typer.echo(f"document {doc.id} is version {versions.index(doc.id) + 1} of {doc.url}, replacing document {doc.previous_id}",
                   err=True)
    typer.echo(render.to_json(_document_dict(doc, {})) if as_json else str(doc.id))


def _read_file(path: Path) -> str:
    """The text ``ledger extract`` reads from ``path`` (``read_article``: text as it is, CRLF kept, so its sha256 is
    the file's; an HTML page's article text; a PDF's text layer), so quotes taken from either verify against it."""
    from ledger.api.extraction import read_article

    try:
        return read_article(path)
    except InputError as exc:  # named for `ledger extract`'s argument: here it is an option
        raise InputError("--file", exc.value, exc.problem, exc.hint) from None


def _retrieved(text: str | None):
    """``--retrieved`` as a day, or an aware moment when a time was given."""
    from ledger.dates import parse_moment

    if text is None:
        return None
    day, moment = parse_moment("--retrieved", text)
    return moment or day


def _document_dict(doc, later: dict[int, int]) -> dict:
    """A document as listings print it: ``render.document_dict`` and where it stands among its address's versions."""
    from ledger.provenance.versions import retrieved_text
    from ledger.reports import render

    return {**render.document_dict(doc), "archive_url": doc.archive_url, "retrieved": retrieved_text(doc.retrieved),
            "previous_id": doc.previous_id, "replaced_by": later.get(doc.id)}


@app.command("list")
def list_(ctx: typer.Context, as_json: bool = json_flag(), as_csv: bool = csv_flag("one document per row"), as_nl: bool = nl_flag()):
    """List documents with outlet, date and text hash; a version a later one replaces is marked "replaced by N".

    Example: ledger doc list --nl | jq .url
    """
    from ledger.provenance.versions import later_versions
    from ledger.reports import render

    style = style_of(as_json, as_csv, as_nl)
    book = settings(ctx).open(existing=True)
    docs = book.list_documents()
    later = later_versions({d.id: d.previous_id for d in docs})
    rows = [[d.id, d.outlet, d.published, d.title or "", d.url or "", (d.sha256 or "")[:12],
             f"replaced by {later[d.id]}" if d.id in later else ""] for d in docs]
    emit(style, (_document_dict(d, later) for d in docs),
         lambda: render.table(rows, ["id", "outlet", "published", "title", "url", "sha256", "version"]))


@app.command("show")
def show(
    ctx: typer.Context,
    document_id: int = typer.Argument(..., metavar="ID", parser=parse_id, help="The document's id (`ledger doc list`)."),
    as_json: bool = json_flag("the document as a JSON object, with the ids of the claims citing it"),
    as_csv: bool = csv_flag("a header and the document's row"),
    as_nl: bool = nl_flag(),
):
    """Show one document: outlet, date, title, address, archive copy, when it was fetched, text hash,
    its versions (the documents with earlier and later texts of its address) and the claims that cite it.

    Example: ledger doc show 1
    """
    from ledger.reports import render

    style = style_of(as_json, as_csv, as_nl)
    book = settings(ctx).open(existing=True)
    doc = book.get_document(document_id)
    versions = [v.id for v in book.document_versions(doc.id)]
    at = versions.index(doc.id)
    citing = book.claims_citing(doc.id)
    data = {**_document_dict(doc, dict(zip(versions, versions[1:]))), "published_at": doc.published_at,
            "characters": len(doc.text) if doc.text is not None else None, "version": at + 1, "versions": versions,
            "earlier": versions[:at], "later": versions[at + 1:], "claims": citing}
    shown = {**data, "claims": " ".join(map(str, citing)) or "(none)",
             "version": f"{at + 1} of {len(versions)}" + (" (the newest)" if at + 1 == len(versions) > 1 else ""),
             **{k: " ".join(map(str, data[k])) or "(none)" for k in ("versions", "earlier", "later")}}
    emit(style, data, lambda: render.table([[k, "" if v is None else v] for k, v in shown.items()], ["field", "value"], fmt="plain"))


@app.command("remove")
def remove(
    ctx: typer.Context,
    document_id: int = typer.Argument(..., metavar="ID", parser=parse_id, help="The document's id (`ledger doc list`)."),
    reason: str = typer.Option(..., "--reason", help="Why it goes (a duplicate, the wrong file); kept in the history."),
):
    """Remove a document no claim cites; the history keeps its record and the reason.

    Refused while any claim cites it, retracted claims included: point them at another
    document first (`ledger claim correct N --doc ID` or `--clear doc`); refused too while a
    later version replaces it (remove that one first).

    Example: ledger doc remove 4 --reason "duplicate of document 3"
    """
    doc = settings(ctx).open().remove_document(document_id, reason)
    typer.echo(f"document {doc.id} removed ({doc.outlet}, {doc.published})")
