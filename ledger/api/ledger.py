"""The ledger as a library: everything the CLI does, as methods on one object.

    >>> from ledger import open_ledger
    >>> ledger = open_ledger("sqlite:///ledger.db")
    >>> ledger.add_source("Syrian Observatory for Human Rights", aliases=["SOHR"], kind="ngo")

This is the layer between the faces (the CLI, a notebook) and the rest: it
opens the store, hands records to storage and claims to the pure core, and
returns plain records (``ledger.model``), reports (``ledger.reconcile.Report``)
and views. Storage and the core stay behind it; nothing here prints.
``docs/python-api.md`` documents every method with an example.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from ledger.errors import InputError, LedgerError
from ledger.model import Claim, ClaimInput, Document, Source

if TYPE_CHECKING:  # the storage and core types, imported only by the methods that use them
    from ledger.figures import Quantity
    from ledger.names import Resolution
    from ledger.provenance.chain import Entry
    from ledger.reconcile import Report
    from ledger.reports import Tally
    from ledger.storage.store import Store
    from ledger.storage.importer import ImportResult
    from ledger.storage.verify import Verification


def open_ledger(url: str | None = None, user: str | None = None, field: str = "--db", existing: bool = False) -> Ledger:
    """Open (and on first use create) the ledger at ``url``; with ``existing``, refuse a SQLite file that is not there.

    ``url`` is a SQLAlchemy URL (``sqlite:///ledger.db``, ``postgresql+psycopg://…``);
    without one, ``LEDGER_DB``, then ``sqlite:///ledger.db``. ``user`` is who is
    recording, for the history (default: ``LEDGER_USER``, then the OS user).
    ``field`` is the option a refusal names (``--to`` for ``ledger copy``'s target).
    """
    from ledger.storage.quick_read import missing_file
    from ledger.storage.store import open_store

    if existing and (missing := missing_file(url)) is not None:  # `--db typo.db verify` must not answer "ok"
        raise InputError(field, str(missing), "is not a ledger: there is no such file",
                         "check the path; a command that records creates it, `ledger demo` one from the seeds")
    try:
        return Ledger(open_store(url, user))
    except InputError as exc:
        if exc.field != "--db" or field == "--db":
            raise
        raise InputError(field, exc.value, exc.problem, exc.hint) from None


class Ledger:
    """A ledger of sources, documents and claims, with its hash-chained history."""


    def __init__(self, store: Store):
        self.store = store
        self._keys = None  # (history head seq, QuantityKeys) of the last listing

    @property
    def url(self) -> str:
        return self.store.url

    @property
    def user(self) -> str:
        return self.store.user

    # -- recording ----------------------------------------------------------------

    def add_source(self, name: str, kind: str = "other", aliases: Sequence[str] = (),
                   affiliation: str | None = None, grade: str | None = None) -> Source:
        """Record a source (a speaker or a publisher) with the other names it goes by."""
        return self.store.add_source(name, kind=kind, aliases=aliases, affiliation=affiliation, grade=grade)

    def merge_sources(self, from_name: str, into_name: str, reason: str | None = None) -> tuple[Source, Source]:
        """Record that two sources are one: FROM's names become names of INTO. Returns both, as they read now."""
        return self.store.merge_sources(from_name, into_name, reason)

    def edit_source(self, name: str, reason: str | None = None, **changes) -> Source:
        """Change a source's ``kind``, ``grade`` or ``affiliation`` (None clears those two), or add ``aliases``.

        One ``source.edit`` history entry holds the fields before and after, with the reason.
        """
        return self.store.edit_source(name, changes, reason)

    def add_document(self, outlet: str, published: date, url: str | None = None, title: str | None = None,
                     text: str | None = None, published_at: datetime | None = None, archive_url: str | None = None,
                     retrieved: date | datetime | None = None) -> Document:
        """Record a document; with its ``text``, quotes of its claims are checked against it.

        ``published_at``: the moment of publication (aware), when a time of day is known; ``retrieved``: the day
        or moment its text was fetched. A ``url`` already recorded with another text makes this a new version
        (``previous_id``: the newest one there); with the same text it is refused (``DuplicateDocument``).
        """
        return self.store.add_document(outlet, published, url=url, title=title, text=text, published_at=published_at,
                                       archive_url=archive_url, retrieved=retrieved)

    def add_claim(self, claim: ClaimInput, create_sources: bool = False, again: bool = False) -> Claim:
        """Record a claim; unknown source names are refused unless ``create_sources``.

        The same claim already recorded, and not retracted, is refused with its id
        (``DuplicateClaim``, an ``InputError``) unless ``again``: the source said it a second time.
        """
        return self.store.add_claim(claim, create_sources=create_sources, again=again)

    def correct_claim(self, claim_id: int, value: Quantity | None = None, reason: str | None = None,
                      create_sources: bool = False, **changes) -> Claim:
        """Correct any of a claim's fields in one history entry; the earlier values stay in the history.

        ``value`` is the figure (its earlier one also stays in ``Claim.corrections``); ``changes``
        are other fields by their ``ClaimInput`` names (``event``, ``group``, ``said_by``, ``via``,
        ``document_id``, ``published``, ``period``, ``location``, ``quote``…), None to clear an optional one.
        """
        if value is not None:
            changes["value"] = value
        return self.store.edit_claim(claim_id, changes, reason, create_sources=create_sources)

    def restore_claim(self, claim_id: int, reason: str) -> Claim:
        """Undo a retraction: the claim counts in reports again; both stay in the history."""
        return self.store.restore_claim(claim_id, reason)

    def retract_claim(self, claim_id: int, reason: str) -> Claim:
        """Retract a claim: kept with its history, left out of reports."""
        return self.store.retract_claim(claim_id, reason)

    def import_records(self, stream: Iterable[str], fmt: str, file: str, create_sources: bool = False,
                       dry_run: bool = False, progress: Callable[[int], None] | None = None,
                       column_map: dict[str, str] | None = None, date_format: str | None = None,
                       warn: Callable[[str], object] | None = None,
                       digest: Callable[[], str] | None = None) -> ImportResult:
        """Import a CSV or JSONL stream in one transaction: every record, or none (``ImportRejected`` lists why).

        The import ends with one ``import`` history entry naming the file by ``digest()``, its sha256 (the CLI
        hashes the bytes it reads); without ``digest``, the sha256 of the lines read, as UTF-8.

        For CSV saved from a spreadsheet: ``column_map`` names the field a header means (``{"Figure": "value"}``),
        ``date_format`` ("day-first", "month-first") reads dates such as 06/05/2009, and ``warn`` receives one
        line naming the columns that are no claim field (ignored).
        """
        from ledger.storage.importer import import_records
        from ledger.transfer import read_records
        from ledger.transfer.spreadsheet import DATE_FORMATS, column_fields

        if date_format is not None and date_format not in DATE_FORMATS:
            raise InputError("--date-format", date_format, "is not a date format", "one of: " + ", ".join(DATE_FORMATS))
        mapping = column_fields(column_map or {})
        if digest is None:
            from ledger.api.lines import hashed_lines

            stream, digest = hashed_lines(stream)
        records = read_records(stream, fmt, file, mapping, date_format, warn or (lambda text: None))
        return import_records(self.store, records, file, create_sources=create_sources, dry_run=dry_run,
                              progress=progress, digest=digest)

    # -- reading ------------------------------------------------------------------

    def list_sources(self) -> list[Source]:
        return self.store.list_sources()

    def get_source(self, name: str, field: str = "SOURCE") -> Source:
        """The source a name or alias means (``NotFoundError`` naming ``field`` and the closest names if none)."""
        return self.store.get_source(name, field)

    def list_documents(self) -> list[Document]:
        return self.store.list_documents()

    def get_document(self, document_id: int) -> Document:
        return self.store.get_document(document_id)

    def claims_citing(self, document_id: int) -> list[int]:
        """The ids of the claims (retracted ones too) that cite a document, through the document index."""
        return self.store.claims_citing(document_id)

    def document_versions(self, document_id: int) -> list[Document]:
        """Every version of a document's address, oldest first, the document among them."""
        from ledger.provenance.versions import chain_of

        self.store.get_document(document_id)  # NotFoundError for an unknown id
        return [self.store.get_document(i) for i in chain_of(document_id, self.store.document_links())]

    def remove_document(self, document_id: int, reason: str) -> Document:
        """Delete a document that no claim cites (retracted ones included); returns it as it was.

        The history keeps its ``document.add`` entry and gains a ``document.remove`` one with the reason.
        """
        return self.store.remove_document(document_id, reason)

    def list_claims(self, event: str | None = None, source: str | None = None, limit: int | None = None,
                    newest_first: bool = False, metric: str | None = None, search: str | None = None,
                    since: date | None = None) -> list[Claim]:
        """``iter_claims`` as a list."""
        return list(self.iter_claims(event, source, limit, newest_first, metric, search, since))

    def iter_claims(self, event: str | None = None, source: str | None = None, limit: int | None = None,
                    newest_first: bool = False, metric: str | None = None, search: str | None = None,
                    since: date | None = None) -> Iterator[Claim]:
        """Claims, oldest first (or ``newest_first``), at most ``limit``, streamed; ``source`` by any of its names.

        ``event`` means what it means in the report: the event as the
        reconciler resolves it, so "Ghwayran prison attack" lists the claims
        filed under "Ghweran prison attack" too. ``metric`` likewise takes its
        synonyms ("dead" lists "killed"); ``search`` finds words in the quote,
        figure, event, group, place or metric (case ignored); ``since`` keeps
        claims published on or after that date.
        """
        from ledger.storage.readers import Narrowing

        if limit is not None and limit < 0:
            raise InputError("--limit", limit, "is negative", "give how many claims to show, e.g. 10")
        events = None
        if event is not None:
            keys = self.quantity_keys()
            filed = {written: keys.event(written) for written in self.store.event_names()}  # retracted claims' too
            from ledger.api.names import resolved_event

            wanted = resolved_event(event, sorted(set(filed.values())))
            events = [written for written, canonical in filed.items() if canonical == wanted]
        narrowing = Narrowing(self._metric_spellings(metric) if metric is not None else None,
                              search if search else None, since)
        return self.store.iter_claims(source=source, events=events, limit=limit, newest_first=newest_first,
                                      narrowing=narrowing)

    def _metric_spellings(self, metric: str) -> tuple[str, ...]:
        from ledger.api.names import metric_spellings

        return metric_spellings(metric, self.store.metric_names())

    def quantities(self, claims: Sequence[Claim]) -> dict[int, tuple[str, str, str | None, str | None]]:
        """Claim id → the quantity the report files it under: (event, metric, group, place), names resolved."""
        key = self.quantity_keys()
        return {c.id: key(c) for c in claims}

    def quantity_keys(self):
        """A ``ledger.reconcile.QuantityKeys``: claim → its quantity, names resolved over the whole ledger
        as the report resolves them: as the last report kept them if nothing changed since, else from how
        often each name is used (not the claims)."""
        from ledger.api.names import quantity_keys

        head = self.store.head_seq()
        if self._keys is None or self._keys[0] != head:  # every change is a history entry: a new head, new names
            self._keys = (head, quantity_keys(self.store))
        return self._keys[1]

    def get_claim(self, claim_id: int) -> Claim:
        return self.store.get_claim(claim_id)

    def log(self, since: int = 0, limit: int | None = None, newest_first: bool = False) -> Iterator[Entry]:
        """History entries after seq ``since``, oldest first (or ``newest_first``), at most ``limit`` of them."""
        from ledger.storage.audit import iter_log

        return iter_log(self.store, since, limit=limit, newest_first=newest_first)

    # -- names -------------------------------------------------------------------

    def _name_book(self, kind: str):
        from ledger.api.names import NameBook

        claims, sources = self.store.claims_for_report()
        return NameBook(claims, sources, self.store.name_rulings(), _kind(kind))

    def names(self, kind: str) -> list:
        """Every ``kind`` ("event", "group", "place") name the report uses: a ``NameView`` each, by name."""
        return self._name_book(kind).views()

    def merge_names(self, kind: str, name: str, into: str, reason: str | None = None):
        """Rule that ``name`` (and every spelling filed under it) is ``into``; the report files them as one."""
        self._name_book(kind).check_merge(name, into)
        return self.store.add_ruling(kind, "same", name, into, reason)

    def alias_name(self, kind: str, alias: str, name: str, reason: str | None = None):
        """Rule that ``alias``, used yet or not, is another spelling of ``name``, a name in use."""
        book = self._name_book(kind)
        target, _ = book.find(name, "NAME")
        try:
            book.find(alias, "ALIAS")
        except InputError:
            pass  # not used yet: nothing it could clash with
        else:
            book.check_merge(alias, target, ("ALIAS", "NAME"))  # in use: the same checks as a merge
        return self.store.add_ruling(kind, "same", alias, target, reason)

    def split_name(self, kind: str, name: str, as_name: str | None = None, claim_ids: Sequence[int] = (),
                   since: date | None = None, until: date | None = None, spelling: str | None = None,
                   reason: str | None = None) -> tuple:
        """Take claims (by id or date) off ``name`` to ``as_name``, or one ``spelling`` apart; never joined again.

        Returns the ruling and the ids of the claims moved.
        """
        import shlex

        from ledger.names.rulings import ruling_key

        book = self._name_book(kind)
        canonical, spellings = book.find(name, "NAME")
        if spelling is not None:
            if claim_ids or since or until or as_name:
                raise InputError("--spelling", spelling, "cannot be combined with --claim, --from, --to or --as",
                                 "a spelling is split off with its claims, as written")
            written = next((w for w in spellings if ruling_key(w) == ruling_key(spelling)), None)
            if written is None or len(spellings) < 2:
                raise InputError("--spelling", spelling, f"is not one of the spellings filed under {canonical!r}",
                                 "spellings: " + ", ".join(map(repr, spellings)) if len(spellings) > 1 else "it has only one")
            # Apart from the name the researcher split, or, splitting a name from itself, from every other spelling.
            others = [name] if ruling_key(name) != ruling_key(written) else [w for w in spellings if w != written]
            return self.store.add_rulings([(kind, "apart", written, other) for other in others], reason)[0], []
        if not as_name:
            raise InputError("--as", as_name, "is missing", f"name the new {kind}: --as 'Ghweran prison attack (2023)'")
        if not (claim_ids or since or until):
            raise InputError("--claim", "", "is missing", "give --claim ID (repeatable) or --from/--to dates, or --spelling NAME")
        if ruling_key(as_name) == ruling_key(canonical):
            raise InputError("--as", as_name, "is the name being split", f"give the new {kind} another name")
        ids = book.claims_to_split(canonical, claim_ids, since, until)
        if not ids:
            option, value = ("--from", since) if since else ("--to", until)
            raise InputError(option, value.isoformat(), f"selects no live claim filed under {canonical!r}",
                             f"see their dates: `ledger claim list --event {shlex.quote(canonical)}`" if kind == "event" else "see `ledger claim list`")
        return self.store.split_claims(kind, ids, canonical, as_name, reason), ids

    def edit_name(self, kind: str, name: str, reason: str | None = None, **facts) -> list:
        """Set ``date`` or ``place`` (events) or ``within`` (groups, places) of a name; None withdraws it."""
        from ledger.api.names import a
        from ledger.names.rulings import ruling_key

        kind = _kind(kind)
        allowed = {"event": ("date", "place"), "group": ("within",), "place": ("within",)}[kind]
        unknown = sorted(set(facts) - set(allowed))
        if unknown:
            raise InputError("field", unknown[0], f"is not a fact of {a(kind)}", "one of: " + ", ".join(allowed))
        _, spellings = self._name_book(kind).find(name, "NAME")
        if not facts:
            raise InputError("NAME", name, "names no change", "give " + ", ".join(f"--{f}" for f in allowed) + " or --clear")
        # On the spelling the researcher gave: two spellings the matcher joined may be two incidents.
        written = next((w for w in spellings if ruling_key(w) == ruling_key(name)), spellings[0])
        facts = {k: v.isoformat() if isinstance(v, date) else v for k, v in facts.items()}
        return self.store.set_facts(kind, written, facts, reason)

    # -- checking -----------------------------------------------------------------

    def report(self, include_agreement: bool = False, extracted: str | None = None) -> Report:
        """Reconcile every live claim: the findings, worst first, each with a verdict and a reason.
        ``extracted``: "exclude" leaves out the claims ``ledger extract`` recorded, "only" keeps only them."""
        from ledger.reconcile import reconcile

        claims, sources = self.store.claims_for_report()
        if extracted is not None:
            from ledger.storage.audit import extraction_marks

            marked, keep = extraction_marks(self.store), extracted == "only"
            claims = [c for c in claims if (c.id in marked) == keep]
        return reconcile(claims, sources, include_agreement=include_agreement, rulings=self.store.name_rulings())

    def write_report(self, write: Callable[[str], object], fmt: str = "table", event: str | None = None,
                     include_agreement: bool = False, progress: Callable[[int, int], None] | None = None,
                     extracted: str | None = None, kept: bool = True, width: int | None = None) -> Tally:
        """Write the report in ``fmt`` (table, json, csv, markdown, nl) as it is made; return its tally.

        Streams: fit for a million claims; ``event`` keeps one event's findings (name variants included).
        ``fmt="html"``: one self-contained page with charts and provenance, built whole: for an editor.
        ``kept=False``: judge every claim again, neither using nor keeping the results kept beside the ledger.
        ``width``: a table's, to fit a terminal (``reports.render.terminal_width``); None: a file's full table."""
        if fmt == "html":
            from ledger.api.html_report import write_html_report
            return write_html_report(self, write, event, include_agreement, extracted=extracted, progress=progress)
        from ledger.api.report import write_report

        return write_report(self.store, write, fmt=fmt, event=event, include_agreement=include_agreement,
                            extracted=extracted, progress=progress, kept=kept, width=width)

    def forget_kept_results(self) -> bool:
        """Drop the report results kept beside the ledger (``ledger.storage.kept``): the next report judges
        everything. False when the ledger may only be read: pass ``kept=False`` to ``write_report`` instead."""
        from ledger.storage.kept import forget

        return forget(self.store)

    def resolve(self, name: str) -> Resolution:
        """What a name means among the ledger's event, group and source names, with runner-up candidates."""
        from ledger.reconcile import name_index

        claims, sources = self.store.claims_for_report()
        return name_index(claims, sources, self.store.name_rulings()).resolve(name)

    def audit(self, claim_id: int) -> dict:
        """A claim's full provenance: path of sources with grades, document, quote, history, verdicts."""
        from ledger.provenance.audit import build_audit
        from ledger.storage.audit import audit_records

        return build_audit(**audit_records(self.store, claim_id))

    def verify(self, head: str | None = None, progress: Callable[[int, int], None] | None = None) -> Verification:
        """Check the hash chain, every row against the history and every document's text.

        ``head``: a head hash kept elsewhere (8+ hex digits); it must still be in the history.
        ``progress(done, total)``: told after each batch of history entries and table rows.
        """
        from ledger.storage.verify import verify

        return verify(self.store, kept_head=head, progress=progress)

    def export(self, fmt: str = "jsonl", progress: Callable[[int, int], None] | None = None) -> Iterator[str]:
        """The ledger in ``fmt`` (jsonl, csv, claimreview, prov-json) as text chunks, streamed;
        ``progress(done, total)`` as jsonl and csv write their claims."""
        from ledger.api.export import export_chunks

        return export_chunks(self.store, fmt, progress)

    def settings(self) -> dict[str, str]:
        """The ledger's settings that have a value (``ledger.settings.SETTINGS`` lists every one)."""
        from ledger.storage.settings_store import read_settings

        return read_settings(self.store)

    def set_setting(self, key: str, value: str | None) -> str | None:
        """Set a setting, checked (review.url needs {id}), or unset it with None: one history entry."""
        from ledger.storage.settings_store import write_setting

        return write_setting(self.store, key, value)

    def copy_to(self, url: str, progress: Callable[[int], None] | None = None) -> ImportResult:
        """Copy the whole ledger, every table row and the history chain as they are, into the empty ledger at
        ``url`` (any backend: SQLite ↔ PostgreSQL), then verify it there: same history head, or nothing kept.

        Streams the JSONL export straight into the target's restore, so no file is written in between.
        """
        from ledger.storage.urls import mask_url

        if not self.store.head_seq():
            raise InputError("--from", mask_url(self.url), "is an empty ledger", "nothing to copy")
        target = open_ledger(url, self.user, field="--to")
        if target.store.head_seq() or target.store.list_sources():
            raise InputError("--to", mask_url(url), "already holds a ledger", "copy fills an empty ledger; give a new one")
        from ledger.api.lines import as_lines

        result = target.import_records(as_lines(self.export("jsonl")), "jsonl", f"<copy of {mask_url(self.url)}>",
                                       progress=progress)
        if not result.restored:  # the export always begins with its rows: a restore, or a bug
            raise LedgerError(f"the copy into {mask_url(url)} was not a whole-ledger restore")
        return result


def _kind(kind: str) -> str:
    from ledger.names.rulings import KINDS

    if kind not in KINDS:
        raise InputError("kind", kind, "is not a kind of name", "one of: " + ", ".join(KINDS))
    return kind
