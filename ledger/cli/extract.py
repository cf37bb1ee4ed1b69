"""`ledger extract FILE`: the claims an article states, proposed for review, recorded when accepted."""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path

import typer

from ledger.cli.app import parse_id, settings
from ledger.cli.output import csv_flag, emit, nl_flag, style_of
from ledger.errors import InputError

_QUOTE_SHOWN = 70  # characters of the quote in the table


def register(app: typer.Typer) -> None:
    app.command("extract")(extract)


def extract(
    ctx: typer.Context,
    file: Path = typer.Argument(..., metavar="FILE", help="The article: UTF-8 text, an HTML page, or a PDF with a text layer."),
    doc: int = typer.Option(None, "--doc", metavar="ID", parser=parse_id,
                            help="The recorded document FILE is (`ledger doc list`): its date resolves relative dates, "
                                 "its outlet speaks figures nobody else is said to state."),
    outlet: str = typer.Option(None, "--outlet", metavar="SOURCE",
                               help="Without --doc: the publishing source; recording makes a document of FILE under it."),
    published: str = typer.Option(None, "--published", metavar="DATE",
                                  help="Without --doc: the publication date, YYYY-MM-DD, which 'yesterday' and 'last year' are read against."),
    title: str = typer.Option(None, "--title", help="Without --doc: the document's title, when recording makes it."),
    url: str = typer.Option(None, "--url", help="Without --doc: where the document was published, when recording makes it."),
    archive_url: str = typer.Option(None, "--archive-url", metavar="URL",
                                    help="Without --doc: an archive's copy of the page, when recording makes the document."),
    retrieved: str = typer.Option(None, "--retrieved", metavar="DATE",
                                  help="Without --doc: when FILE was fetched, YYYY-MM-DD or with the time and its offset."),
    event: str = typer.Option(None, "--event", "-e", help="The event the recorded claims are about (needed to record)."),
    accept_all: bool = typer.Option(False, "--accept-all", help="Record every candidate that has a metric, without asking."),
    review: bool = typer.Option(False, "--review", help="Walk the candidates one by one: (a)ccept, (e)dit group, metric, "
                                                                    "speaker, relays and period, (s)kip or (q)uit."),
    as_json: bool = typer.Option(False, "--json", help="Print the candidates (or, when recording, the claims recorded) as JSON."),
    as_csv: bool = csv_flag("one candidate per row (candidates only: not with --accept-all or --review)"),
    as_nl: bool = nl_flag(),
):
    """Propose the claims an article states: figure, metric, group, speaker, relays, quote and date.

    Speakers are matched to the ledger's sources; unknown ones are proposed as new.
    Nothing is recorded unless --accept-all or --review says so; recorded claims are
    marked as extracted (shown by `ledger audit`; `ledger report --extracted` filters them).

    Example:

        ledger extract seeds/hasaka-prison-2022.txt --doc 1 --event "Ghweran prison attack" --review
    """
    from ledger.api.extraction import propose, read_article, record
    from ledger.dates import parse_date, parse_moment

    if accept_all and review:
        raise _OptionError("--review", "cannot be combined with --accept-all", "give one of them")
    if doc is not None:
        for option, given in (("--outlet", outlet), ("--published", published), ("--title", title), ("--url", url),
                              ("--archive-url", archive_url), ("--retrieved", retrieved)):
            if given is not None:
                raise InputError(option, given, "cannot be combined with --doc", "the document already has it")
    recording = accept_all or review
    style = style_of(as_json, as_csv, as_nl)
    if recording and style in ("csv", "nl"):
        raise _OptionError(f"--{style}", "lists candidates, not what was recorded", "give --json, or leave --accept-all/--review out")
    if recording and (event is None or not event.strip()):
        raise InputError("--event", event or "", "is missing", "name the event the claims are about, e.g. --event 'Ghweran prison attack'")
    day = parse_date("--published", published) if published is not None else None
    fetched = parse_moment("--retrieved", retrieved) if retrieved is not None else None
    text = read_article(file)
    ledger = settings(ctx).open(existing=not recording)  # listing candidates reads; only recording may make a ledger
    document = _document(ledger, doc) if doc is not None else None
    if document is not None:
        if document.text is not None and document.text != text:
            raise InputError("--doc", doc, f"holds another text than {file}", "give the document FILE was recorded from, or leave --doc out")
        day, outlet = document.published, document.outlet
    elif outlet is not None:
        outlet = ledger.get_source(outlet, "--outlet").name
    elif recording:
        raise InputError("--outlet", "", "is missing", "give --doc ID, or --outlet and --published to record FILE as a document")
    retrieved_at = (fetched[1] or fetched[0]) if fetched else None
    described = dict(outlet=outlet, published=day, url=url, title=title, archive_url=archive_url, retrieved=retrieved_at)
    if document is None:
        document = _recorded_before(ledger, file, text, described)
        if document is not None:
            day, outlet = document.published, document.outlet
    if recording and day is None:
        raise InputError("--published", "", "is missing", "give the publication date, YYYY-MM-DD")
    if recording and fetched is not None:  # refused now, not at the first claim accepted
        from ledger.provenance.versions import check_retrieved

        check_retrieved("--retrieved", retrieved_at, day, None)
    proposals = propose(ledger, text, day, outlet)
    if document is not None:
        from ledger.api.extraction import with_recorded

        proposals = with_recorded(ledger, proposals, document.id)
    already = sum(p.recorded_as is not None for p in proposals)
    if not recording:
        _show(proposals, style)
        return
    target = _Target(ledger, document, {**described, "text": text})  # made from them only when no document was found
    recorded = (partial(_review, err=as_json) if review else _record_all)(
        lambda p, how: record(ledger, p, event.strip(), target.id(), file.name, how), proposals)
    _report(recorded, target.document.id if target.document else None, len(proposals), as_json, already)


class _OptionError(InputError):
    """A flag given where it cannot be: it has no value to quote, so the line is the flag, the problem and the hint."""

    def __init__(self, flag: str, problem: str, hint: str):
        super().__init__(flag, True, problem, hint)
        self.args = (f"{flag}: {problem}; {hint}",)


def _recorded_before(ledger, file: Path, text: str, given: dict):
    """The document FILE's text was recorded as before (``same_document``), said on stderr, or None."""
    from ledger.api.extraction import same_document

    document = same_document(ledger, text, **given)
    if document is not None:
        typer.echo(f"{file.name} is document {document.id} already ({document.outlet}, {document.published}): "
                   f"using it, as --doc {document.id} would", err=True)
    return document


class _Target:
    """The document claims are recorded on: the one given, or FILE made one when the first claim is accepted,
    so a run that records nothing leaves the ledger as it was."""

    def __init__(self, ledger, document, new: dict):
        self.ledger, self.document, self.new = ledger, document, new

    def id(self) -> int:
        if self.document is None:
            self.document = self.ledger.add_document(**self.new)
        return self.document.id


def _document(ledger, document_id: int):
    try:
        return ledger.get_document(document_id)
    except InputError as exc:  # named by --doc here, not by a command's ID argument
        raise type(exc)("--doc", exc.value, exc.problem, exc.hint) from None


def _show(proposals, style: str) -> None:
    from ledger.reports import render

    if style == "table" and not proposals:
        typer.echo("no figures found")
        return
    rows = [[p.number, p.candidate.text, p.metric or "?", p.group or "", _speaker(p), " → ".join(p.via),
             p.period.label() if p.period else "", _short(p.candidate.quote)] for p in proposals]
    headers = ["#", "figure", "metric", "group", "said by", "via", "period", "quote"]
    if any(p.recorded_as is not None for p in proposals):
        headers.append("recorded")
        for row, p in zip(rows, proposals):
            row.append(f"claim {p.recorded_as}" if p.recorded_as is not None else "")
    emit(style, [p.to_dict() for p in proposals], lambda: render.table(rows, headers))


def _speaker(proposal) -> str:
    if proposal.said_by is None:
        return "(the outlet)"
    return proposal.said_by + {"new": " (new)", "outlet": " (outlet)"}.get(proposal.said_by_is, "")


def _short(quote: str) -> str:
    return quote if len(quote) <= _QUOTE_SHOWN else quote[:_QUOTE_SHOWN - 1] + "…"


def _record_all(record, proposals) -> list:
    recorded = []
    for proposal in proposals:
        if proposal.recorded_as is not None:
            typer.echo(f"skipped #{proposal.number} {proposal.candidate.text!r}: already recorded as claim {proposal.recorded_as}",
                       err=True)
            continue
        if not proposal.metric:
            typer.echo(f"skipped #{proposal.number} {proposal.candidate.text!r}: no metric found (use --review to give one)", err=True)
            continue
        try:
            recorded.append((proposal, record(proposal, "accepted (--accept-all)")))
        except InputError as exc:
            if getattr(exc, "existing_id", None) is None:  # only a claim already recorded is passed over
                raise
            typer.echo(f"skipped #{proposal.number} {proposal.candidate.text!r}: {exc.problem}", err=True)
    return recorded


def _review(record, proposals, err: bool = False) -> list:
    """Ask about each proposal; the conversation goes to stderr when ``err`` (stdout is for --json)."""
    recorded = []
    for proposal in proposals:
        _describe(proposal, len(proposals), err)
        # a figure already recorded is skipped unless the reviewer says otherwise
        choices = ("s", "a", "e", "q") if proposal.recorded_as is not None else ("a", "e", "s", "q")
        answer = _ask(f"accept, edit, skip or quit? [{'/'.join(choices)}]", choices, err)
        if answer == "q":
            break
        if answer == "s":
            continue
        how = "accepted"
        if answer == "e":
            try:
                proposal = _edit(proposal, err)
            except typer.Abort:  # the input ended in the middle of an edit: nothing more is recorded
                typer.echo(err=err)
                break
            how = "edited and accepted"
        try:
            claim = record(proposal, how)
        except InputError as exc:  # a claim already recorded, a figure the edited metric cannot take
            typer.echo(f"  not recorded: {exc}", err=err)
            continue
        typer.echo(f"  recorded as claim {claim.id}", err=err)
        recorded.append((proposal, claim))
    return recorded


def _describe(proposal, total: int, err: bool = False) -> None:
    c = proposal.candidate
    typer.echo(f"\n[{proposal.number}/{total}] {c.text!r} — {proposal.metric or '? (no metric found)'}"
               f"{' of ' + proposal.group if proposal.group else ''}", err=err)
    typer.echo(f"  said by: {_speaker(proposal)}" + (f"; via {' → '.join(proposal.via)}" if proposal.via else ""), err=err)
    if proposal.period:
        typer.echo(f"  period: {proposal.period.label()} (\"{c.date.text}\")", err=err)
    typer.echo(f"  quote: {c.quote}", err=err)
    for note in c.notes:
        typer.echo(f"  note: {note}", err=err)
    if proposal.recorded_as is not None:
        typer.echo(f"  already recorded as claim {proposal.recorded_as} (`ledger claim show {proposal.recorded_as}`): skip is the default", err=err)


def _ask(question: str, choices: tuple[str, ...], err: bool = False) -> str:
    while True:
        try:
            answer = _prompt(question, choices[0], err).strip().lower()[:1]
        except typer.Abort:  # the end of the input: stop as (q)uit does, keeping what was accepted
            typer.echo(err=err)
            return "q"
        if answer in choices:
            return answer
        typer.echo(f"  answer one of: {', '.join(choices)}", err=err)


def _edit(proposal, err: bool = False):
    """Ask for each field the reviewer may change, the proposal's own as the default (Enter keeps it)."""
    from ledger.api.extraction import edited

    group = _prompt("group (- for none)", proposal.group or "-", err).strip()
    metric = _non_empty("metric", proposal.metric, err)
    said_by = _non_empty("said by", proposal.said_by, err)
    via = _prompt("via (relays from the speaker outwards, → or , between; - for none)", " → ".join(proposal.via) or "-", err)
    return edited(proposal, metric=metric, group=None if group in ("-", "") else group, said_by=said_by,
                  via=tuple(name.strip() for name in re.split(r"→|,|->", via) if name.strip() not in ("", "-")),
                  period=_period(proposal.period, err))


def _period(current, err: bool = False):
    """The period as the reviewer gives it: a day (as of), START..END, or - for none; asked again until it reads."""
    from ledger.dates import parse_date, parse_period
    from ledger.model import Period

    shown = "-" if current is None else current.end.isoformat() if current.start is None else current.label()
    while True:
        answer = _prompt("period (YYYY-MM-DD as of, START..END, - for none)", shown, err).strip().removeprefix("as of ")
        try:
            if answer in ("", "-"):
                return None
            return parse_period("--period", answer) if ".." in answer else Period(None, parse_date("--period", answer))
        except InputError as exc:
            typer.echo(f"  {exc}", err=err)


def _non_empty(what: str, current: str | None, err: bool = False) -> str:
    while True:
        answer = _prompt(what, current or "", err).strip()
        if answer:
            return answer
        typer.echo(f"  {what} cannot be empty", err=err)


def _prompt(question: str, default: str, err: bool) -> str:
    """The reviewer's answer; asked on stderr when ``err`` (typer's prompt then still writes a space to stdout,
    in the middle of the JSON). typer.Abort at the end of the input, as typer's prompt raises it."""
    if not err:
        return typer.prompt(question, default=default)
    typer.echo(f"{question} [{default}]: " if default else f"{question}: ", nl=False, err=True)
    line = typer.get_text_stream("stdin").readline()
    if not line:
        raise typer.Abort()
    return line.rstrip("\r\n") or default


def _report(recorded: list, document_id: int | None, proposed: int, as_json: bool, already: int = 0) -> None:
    from ledger.reports import render

    if as_json:
        typer.echo(render.to_json({"document": document_id, "claims": [
            {"id": claim.id, "number": proposal.number, "figure": proposal.candidate.text} for proposal, claim in recorded]}))
        return
    for proposal, claim in recorded:
        typer.echo(f"claim {claim.id}: #{proposal.number} {claim.metric} {claim.value.text!r} said by {claim.said_by}")
    where = f" on document {document_id}" if document_id is not None else "; no document made"
    if document_id is not None and not recorded and already:
        where += f"; nothing new: {already} already recorded"
    typer.echo(f"recorded {len(recorded)} of {proposed} candidate{'s' if proposed != 1 else ''}{where}")
