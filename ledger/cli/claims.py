"""`ledger claim …`: recording, listing, correcting, retracting and restoring figures."""

from __future__ import annotations

import typer

from ledger.cli import completion
from ledger.cli.app import new_app, parse_count, parse_id, read_clear, settings
from ledger.cli.output import csv_flag, emit, emit_many, json_flag, nl_flag, style_of
from ledger.errors import InputError

app = new_app("Claims: one figure asserted by one source, with the path it travelled.")


def read_value(text: str, metric: str | None, field: str = "--value"):
    from ledger.figures import parse_quantity

    try:
        return parse_quantity(text, metric=metric)
    except InputError as exc:
        raise InputError(field, exc.value, exc.problem, exc.hint) from None


def read_credibility(value: int | None) -> int | None:
    if value is not None and not 1 <= value <= 6:
        raise InputError("--credibility", value, "is out of range", "1 (confirmed) to 6 (cannot be judged)")
    return value


@app.command("add")
def add(
    ctx: typer.Context,
    event: str = typer.Option(..., "--event", "-e", autocompletion=completion.events, help="What happened, e.g. 'Ghweran prison attack'."),
    metric: str = typer.Option(..., "--metric", "-m", autocompletion=completion.metrics, help="What is counted: killed, injured, arrested, escaped, at-large, held…"),
    value: str = typer.Option(..., "--value", help="The figure in the source's words: '78', 'more than 70', 'dozens'."),
    said_by: str = typer.Option(..., "--said-by", "-s", metavar="SOURCE", autocompletion=completion.sources, help="Who first said it (origin), by name or alias."),
    group: str = typer.Option(None, "--group", "-g", help="Whose dead/arrested etc. (SDF, ISIS fighters, civilians); leave out for the total."),
    via: list[str] = typer.Option([], "--via", metavar="SOURCE", autocompletion=completion.sources, help="A relay it travelled through, in order from the origin (repeatable)."),
    doc: int = typer.Option(None, "--doc", metavar="ID", parser=parse_id, help="Id of the document that published it (`ledger doc list`)."),
    published: str = typer.Option(None, "--published", help="When it was published, YYYY-MM-DD or 2022-01-22T14:05+03:00 (default: the document's)."),
    as_of: str = typer.Option(None, "--as-of", help="The figure holds up to this date, YYYY-MM-DD, or moment, 2022-01-22T14:05+03:00: two updates of one day are ordered by their times."),
    period: str = typer.Option(None, "--period", help="The period the figure covers, START..END."),
    location: str = typer.Option(None, "--location", help="Where the counted events took place, e.g. 'Hasakah'."),
    quote: str = typer.Option(None, "--quote", help="The verbatim words; checked against the document's text when it has one, and for the figure."),
    quote_original: str = typer.Option(None, "--quote-original", help="The same words in the language the source spoke, when --quote is a translation (or the reverse); the document is checked for either."),
    unverified_quote: bool = typer.Option(False, "--unverified-quote", help="Keep a quote that is not in the document's text, marked unverified."),
    credibility: int = typer.Option(None, "--credibility", help="Admiralty information credibility, 1 (confirmed) to 6 (cannot be judged)."),
    create_sources: bool = typer.Option(False, "--create-sources", help="Record unknown source names instead of refusing them."),
    again: bool = typer.Option(False, "--again", help="Record it even if the same claim is already recorded: the source said it a second time."),
    as_json: bool = typer.Option(False, "--json", help="Print the new claim as JSON."),
):
    """Record a claim and print its id.

    The same claim twice (same event, metric, group, words of the figure,
    source, relays, document, dates, place and quote) is refused with the id
    of the first, unless --again.

    Example (SOHR's figure, as carried by Al Jazeera):

        ledger claim add --event "Ghweran prison attack" --metric killed --group "ISIS fighters" \\
            --value 45 --said-by SOHR --via "Al Jazeera" --doc 1 --as-of 2022-01-22
    """
    from ledger.dates import parse_moment, parse_period
    from ledger.model import ClaimInput, Period
    from ledger.reports import render

    if as_of is not None and period is not None:
        raise InputError("--as-of", as_of, "cannot be combined with --period", "give one: --as-of DATE or --period START..END")
    if quote_original is not None and quote is None:
        raise InputError("--quote-original", quote_original, "needs --quote", "give the words as the document prints them, or their translation, as --quote")
    quantity = read_value(value, metric)
    covered = parse_period("--period", period) if period is not None else None
    as_of_at = None
    if as_of is not None:
        end, as_of_at = parse_moment("--as-of", as_of)
        covered = Period(start=None, end=end)
    day, published_at = parse_moment("--published", published) if published is not None else (None, None)
    claim_input = ClaimInput(
        event=event, metric=metric, value=quantity, said_by=said_by, group=group, via=tuple(via), document_id=doc,
        published=day, published_at=published_at, period=covered, as_of_at=as_of_at, location=location,
        quote=quote, quote_original=quote_original, unverified_quote=unverified_quote,
        credibility=read_credibility(credibility),
    )
    claim = settings(ctx).open().add_claim(claim_input, create_sources=create_sources, again=again)
    typer.echo(render.to_json(render.claim_dict(claim)) if as_json else str(claim.id))


@app.command("list")
def list_(
    ctx: typer.Context,
    event: str = typer.Option(None, "--event", "-e", autocompletion=completion.events, help="Only claims about this event (case and spacing ignored)."),
    source: str = typer.Option(None, "--source", "-s", metavar="SOURCE", autocompletion=completion.sources, help="Only claims this source said, relayed or published."),
    metric: str = typer.Option(None, "--metric", "-m", autocompletion=completion.metrics, help="Only claims counting this (its synonyms too: dead lists killed)."),
    search: str = typer.Option(None, "--search", metavar="WORDS", help="Only claims with these words in the quote, figure, event, group, place, metric or speaker's names."),
    since: str = typer.Option(None, "--since", metavar="DATE", help="Only claims published on or after this day, YYYY-MM-DD."),
    limit: int = typer.Option(None, "-n", "--limit", metavar="N", parser=parse_count, help="Show at most N claims (the first, or the newest with --reverse)."),
    reverse: bool = typer.Option(False, "--reverse", help="Newest first."),
    as_json: bool = json_flag("a JSON list, each claim with its quantity"),
    as_csv: bool = csv_flag("one claim per row"),
    as_nl: bool = nl_flag(),
):
    """List claims, oldest first, with the quantity the report files each under.

    Example: ledger claim list -n 10 --reverse      (the last ten recorded)
             ledger claim list --metric dead --since 2022-01-21 --search SOHR
    """
    from ledger.dates import parse_date
    from ledger.reports import render

    style = style_of(as_json, as_csv, as_nl)
    day = parse_date("--since", since) if since is not None else None
    chosen = settings(ctx)
    listing = None
    if event is None and source is None and metric is None and search is None and since is None and not chosen.verbose:
        from ledger.api import quick_listing  # names as the last report kept them, read without opening the ledger

        listing = quick_listing(chosen.db, limit, newest_first=reverse)
    if listing is not None:
        claims, quantity_of = listing.claims, listing.quantity_of
    else:
        book = chosen.open(existing=True)
        claims = book.iter_claims(event=event, source=source, limit=limit, newest_first=reverse, metric=metric,
                                  search=search, since=day)
        quantity_of = book.quantity_keys()  # from the names' counts: the claims stream past, a block at a time
    try:
        emit_many(style, claims,
                  lambda c: {**render.claim_dict(c), "quantity": dict(zip(("event", "metric", "group", "place"), quantity_of(c)))},
                  lambda block: render.claim_rows(block, {c.id: quantity_of(c) for c in block}),
                  more_columns=("as_of", "as_of_at", "period.start", "period.end"))
    finally:
        if listing is not None:
            listing.close()


@app.command("show")
def show(
    ctx: typer.Context,
    claim_id: int = typer.Argument(..., metavar="ID", parser=parse_id, help="The claim's id (`ledger claim list`)."),
    as_json: bool = json_flag("the claim as a JSON object"),
    as_csv: bool = csv_flag("a header and the claim's row"),
    as_nl: bool = nl_flag(),
):
    """Show one claim in full.

    Example: ledger claim show 3
    """
    from ledger.reports import render

    style = style_of(as_json, as_csv, as_nl)
    claim = settings(ctx).open(existing=True).get_claim(claim_id)
    data = render.claim_dict(claim)

    def table() -> str:
        shown = {**data, "value": f"{claim.value.text} ({claim.value.kind}, {claim.value.interval_label()})",
                 "path": render.path_label(claim), "via": ", ".join(claim.via),
                 "corrections": "; ".join(q.text for q in claim.corrections),
                 **({"period": claim.period.label()} if "period" in data else {})}  # not its dict's repr
        return render.table([[k, "" if v is None else v] for k, v in shown.items()], ["field", "value"], fmt="plain")

    emit(style, data, table)


# --clear FIELD → the ClaimInput fields it empties.
CLEARABLE = {
    "group": ("group",), "via": ("via",), "doc": ("document_id",), "published": ("published", "published_at"),
    "as-of": ("period", "as_of_at"), "period": ("period", "as_of_at"), "location": ("location",),
    "quote": ("quote", "quote_original"), "quote-original": ("quote_original",), "credibility": ("credibility",),
}


def _changes(ledger, claim_id, value, event, metric, group, said_by, via, doc, published, as_of, period, location, quote,
             quote_original, unverified_quote, credibility, clear) -> dict:
    """The fields the options change, in ``ClaimInput`` shape; ``--clear`` empties optional ones."""
    from ledger.dates import parse_moment, parse_period
    from ledger.model import Period

    if as_of is not None and period is not None:
        raise InputError("--as-of", as_of, "cannot be combined with --period", "give one: --as-of DATE or --period START..END")
    given = {"event": event, "metric": metric, "group": group, "said_by": said_by, "document_id": doc,
             "location": location, "quote": quote, "quote_original": quote_original, "credibility": read_credibility(credibility)}
    setting = {field for field, v in given.items() if v is not None} | ({"via"} if via else set())
    setting |= {"published"} if published is not None else set()
    setting |= {"period"} if as_of is not None or period is not None else set()
    changes: dict = {}
    for name in read_clear(clear, tuple(CLEARABLE), "is not a field that can be cleared",
                           {name for name, fields in CLEARABLE.items() if setting & set(fields)}):
        changes.update(dict.fromkeys(CLEARABLE[name]))
    changes.update({field: v for field, v in given.items() if v is not None})
    if via:
        changes["via"] = tuple(via)
    if value is not None:
        changes["value"] = read_value(value, metric or ledger.get_claim(claim_id).metric)
    if published is not None:
        changes["published"], changes["published_at"] = parse_moment("--published", published)
    if as_of is not None:
        end, changes["as_of_at"] = parse_moment("--as-of", as_of)
        changes["period"] = Period(start=None, end=end)
    elif period is not None:
        changes["period"], changes["as_of_at"] = parse_period("--period", period), None
    if unverified_quote:
        changes["unverified_quote"] = True
    if not changes or set(changes) == {"unverified_quote"}:
        raise InputError("ID", claim_id, "names no change", "give the corrected field, e.g. --value, --group, --said-by or --clear group")
    return changes


def _what_changed(before: dict, after: dict) -> str:
    from ledger.reports import render

    skip = frozenset({"recorded_at", "quote_span", "quote_verified", "quote_states_figure", "retracted", "corrections", "outlet"})
    lines = render.changed_fields(before, after, skip, {"document_id": "doc"})
    if after.get("quote") and before.get("quote_verified") != after.get("quote_verified"):
        lines.append("quote now " + ("verified against the document" if after.get("quote_verified") else "UNVERIFIED"))
    return "; ".join(lines)


@app.command("correct")
def correct(
    ctx: typer.Context,
    claim_id: int = typer.Argument(..., metavar="ID", parser=parse_id, help="The claim's id (`ledger claim list`)."),
    value: str = typer.Option(None, "--value", help="The corrected figure, in words."),
    event: str = typer.Option(None, "--event", "-e", autocompletion=completion.events, help="The event it is about."),
    metric: str = typer.Option(None, "--metric", "-m", autocompletion=completion.metrics, help="What is counted."),
    group: str = typer.Option(None, "--group", "-g", help="Whose dead/arrested etc. (--clear group for the total)."),
    said_by: str = typer.Option(None, "--said-by", "-s", metavar="SOURCE", autocompletion=completion.sources, help="Who first said it."),
    via: list[str] = typer.Option([], "--via", metavar="SOURCE", autocompletion=completion.sources, help="The relays, in order from the origin (repeatable; replaces them all)."),
    doc: int = typer.Option(None, "--doc", metavar="ID", parser=parse_id, help="The document that published it."),
    published: str = typer.Option(None, "--published", help="When it was published, YYYY-MM-DD or a moment."),
    as_of: str = typer.Option(None, "--as-of", help="The figure holds up to this date or moment."),
    period: str = typer.Option(None, "--period", help="The period the figure covers, START..END."),
    location: str = typer.Option(None, "--location", help="Where the counted events took place."),
    quote: str = typer.Option(None, "--quote", help="The verbatim words (checked against the document again)."),
    quote_original: str = typer.Option(None, "--quote-original", help="The same words in the language the source spoke."),
    unverified_quote: bool = typer.Option(False, "--unverified-quote", help="Keep a quote that is not in the document, marked unverified."),
    credibility: int = typer.Option(None, "--credibility", help="Admiralty information credibility, 1 to 6."),
    clear: list[str] = typer.Option([], "--clear", metavar="FIELD", help="Empty an optional field: " + ", ".join(CLEARABLE) + " (repeatable)."),
    reason: str = typer.Option(None, "--reason", help="Why (a misreading, a later statement…); kept in the history."),
    create_sources: bool = typer.Option(False, "--create-sources", help="Record unknown source names instead of refusing them."),
    as_json: bool = typer.Option(False, "--json", help="Print the corrected claim as JSON."),
):
    """Correct any field of a claim; the earlier values stay in the history (`ledger audit ID`).

    Every field given is changed in one history entry, with the reason.
    The quote is checked again when it, the document or the figure changes.

    Examples:

        ledger claim correct 3 --value "more than 70" --reason "misread the article"

        ledger claim correct 3 --group "Syrian Democratic Forces" --said-by SOHR --via "Al Jazeera"

        ledger claim correct 3 --clear group --reason "the figure is the total"
    """
    from ledger.reports import render

    ledger = settings(ctx).open()
    changes = _changes(ledger, claim_id, value, event, metric, group, said_by, via, doc, published, as_of, period,
                       location, quote, quote_original, unverified_quote, credibility, clear)
    before = render.claim_dict(ledger.get_claim(claim_id))
    updated = ledger.correct_claim(claim_id, reason=reason, create_sources=create_sources, **changes)
    after = render.claim_dict(updated)
    if as_json:
        typer.echo(render.to_json(after))
        return
    typer.echo(f"claim {updated.id}: {_what_changed(before, after)}")


@app.command("retract")
def retract(
    ctx: typer.Context,
    claim_id: int = typer.Argument(..., metavar="ID", parser=parse_id, help="The claim's id (`ledger claim list`)."),
    reason: str = typer.Option(..., "--reason", help="Why the claim no longer stands."),
):
    """Retract a claim: it stays in the ledger and its history, but reports leave it out.

    Example: ledger claim retract 4 --reason "SOHR withdrew the figure on 23 January"
    """
    claim = settings(ctx).open().retract_claim(claim_id, reason)
    typer.echo(f"claim {claim.id} retracted")


@app.command("restore")
def restore(
    ctx: typer.Context,
    claim_id: int = typer.Argument(..., metavar="ID", parser=parse_id, help="The retracted claim's id (`ledger claim list`)."),
    reason: str = typer.Option(..., "--reason", help="Why the claim stands again."),
):
    """Undo a retraction: the claim counts in reports again; both steps stay in the history.

    Example:

        ledger claim restore 7 --reason "retracted by mistake: SOHR never withdrew it"
    """
    claim = settings(ctx).open().restore_claim(claim_id, reason)
    typer.echo(f"claim {claim.id} restored")
