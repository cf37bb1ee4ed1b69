"""The one description of every record's fields, from which each shape of the record derives.

A claim exists in four shapes: what a user types (``ClaimInput``), what the
ledger hands back (``Claim``), the row storage keeps (``ledger.storage.tables``)
and the line a file carries (``ledger.transfer.ClaimRecord`` and the export
columns). Each :class:`Field` below says once what the field holds, which
shapes have it, the database columns that keep it and the keys files use for
it; the shapes are built from these descriptions, never written again. This is
SQLModel's base / table / create pattern, kept pure: nothing here imports a
database library, and storage builds its table classes from :data:`TABLES`.

The order of ``fields`` is the order of the table's columns and of a file's
columns. A record class takes its required fields first, then the optional
ones, each in that order: the positional order records have always had.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date



class _Required:
    """The default of a field that has none: the record cannot be built without it."""

    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED = _Required()

# The shapes a field can have: the record handed back, the user's input, a file's row.
READ, INPUT, TRANSFER = "read", "input", "transfer"
ALL_SHAPES = frozenset({READ, INPUT, TRANSFER})


@dataclass(frozen=True)
class Column:
    """One database column."""

    name: str
    type: type  # int, str, bool or date
    nullable: bool = True
    primary_key: bool = False
    generated: bool = False  # a primary key the database assigns on insert
    unique: bool = False
    index: bool = False
    references: str | None = None  # "table.column"


@dataclass(frozen=True)
class Field:
    """One field of a record: its Python type, the shapes that carry it, its columns and file keys."""

    name: str
    annotation: object
    default: object = REQUIRED
    help: str = ""
    columns: tuple[Column, ...] = ()  # () : kept elsewhere (another table) or derived when read
    keys: tuple[str, ...] = ()  # its keys in import/export rows, in order
    shapes: frozenset[str] = ALL_SHAPES

    @property
    def required(self) -> bool:
        return self.default is REQUIRED


@dataclass(frozen=True)
class Record:
    """A table and the record shapes built from its fields."""

    table: str
    fields: tuple[Field, ...]

    def shape(self, shape: str) -> tuple[Field, ...]:
        """The fields one shape carries: required first, then optional, each in description order."""
        own = [f for f in self.fields if shape in f.shapes]
        return tuple([f for f in own if f.required] + [f for f in own if not f.required])

    @property
    def columns(self) -> tuple[Column, ...]:
        return tuple(column for f in self.fields for column in f.columns)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    @property
    def keys(self) -> tuple[str, ...]:
        """A file row's keys (CSV columns, JSONL keys), in order."""
        return tuple(key for f in self.fields if TRANSFER in f.shapes for key in f.keys)

    def record_class(self, name: str, shape: str, doc: str, module: str, first: tuple[Field, ...] = (),
                     slots: bool = False) -> type:
        """A frozen dataclass with the fields of ``shape`` (after ``first``), in their positional order."""
        specs = [(f.name, f.annotation, dataclasses.field() if f.required else dataclasses.field(default=f.default))
                 for f in (*first, *self.shape(shape))]
        return dataclasses.make_dataclass(name, specs, frozen=True, slots=slots,
                                          namespace={"__doc__": doc, "__module__": module})


def _id(table: str) -> Field:
    return Field("id", int, help=f"The {table}'s number in this ledger.",
                 columns=(Column("id", int, nullable=False, primary_key=True, generated=True),), shapes=frozenset({READ}))


def _ref(table: str) -> str:
    return f"{table}.id"


SOURCE = Record("source", (
    _id("source"),
    Field("name", str, help="The source's usual name.", columns=(Column("name", str, nullable=False, unique=True),),
          keys=("name",)),
    Field("kind", str, "other", help="ngo, media, government, armed-group, person, anonymous or other.",
          columns=(Column("kind", str, nullable=False),), keys=("kind",)),
    Field("aliases", tuple[str, ...], (), help="Other names it goes by (kept in the source_name table).",
          keys=("aliases",)),
    Field("affiliation", "str | None", None, help="The source this one belongs to, by name.",
          columns=(Column("affiliation_id", int, references=_ref("source")),), keys=("affiliation",)),
    Field("grade", "str | None", None, help="Admiralty reliability, A–F.", columns=(Column("grade", str),),
          keys=("grade",)),
    Field("merged_into", "int | None", None, help="The source this one was merged into.",
          columns=(Column("merged_into_id", int, references=_ref("source")),), shapes=frozenset()),
))

SOURCE_NAME = Record("source_name", (
    _id("name"),
    Field("source_id", int, columns=(Column("source_id", int, nullable=False, index=True, references=_ref("source")),)),
    Field("name", str, columns=(Column("name", str, nullable=False),)),
    Field("name_key", str, help="Casefolded, whitespace-collapsed: the lookup key.",
          columns=(Column("name_key", str, nullable=False, index=True),)),
    Field("is_alias", bool, True, columns=(Column("is_alias", bool, nullable=False),)),
))

DOCUMENT = Record("document", (
    Field("id", int, help="The document's number in this ledger (in a file: the number its claims' doc name).",
          columns=(Column("id", int, nullable=False, primary_key=True, generated=True),), keys=("id",), shapes=frozenset({READ, TRANSFER})),
    Field("outlet", str, help="The publishing source, by name.",
          columns=(Column("outlet_id", int, nullable=False, index=True, references=_ref("source")),), keys=("outlet",)),
    Field("published", date, help="Publication date.", columns=(Column("published", date, nullable=False),),
          keys=("published",)),
    Field("published_at", "datetime | None", None, help="The moment of publication in UTC, when a time of day is known.",
          columns=(Column("published_at", str),), keys=("published_at",)),
    Field("url", "str | None", None, help="Where it was published online; a changed text at the same address is a new version.",
          columns=(Column("url", str, index=True),), keys=("url",)),
    Field("archive_url", "str | None", None, help="A copy kept by an archive (the Wayback Machine, archive.today).",
          columns=(Column("archive_url", str),), keys=("archive_url",)),
    Field("retrieved", "date | datetime | None", None,
          help="When the text was fetched: a day, or a moment in UTC (stored as ISO text, either way).",
          columns=(Column("retrieved", str),), keys=("retrieved",)),
    Field("title", "str | None", None, columns=(Column("title", str),), keys=("title",)),
    Field("text", "str | None", None, help="The full text, which quotes are checked against.",
          columns=(Column("text", str),), keys=("text",)),
    Field("sha256", "str | None", None, help="SHA-256 of the text as recorded.", columns=(Column("sha256", str),),
          shapes=frozenset({READ})),
    Field("previous_id", "int | None", None,
          help="The version this one replaces (the same address, another text); None for a first version. "
               "In a file: the id of an earlier document line.",
          columns=(Column("previous_id", int, index=True, references=_ref("document")),), keys=("previous",)),
))

CLAIM = Record("claim", (
    _id("claim"),
    Field("event", str, help="What happened, e.g. 'Ghweran prison attack'.",
          columns=(Column("event", str, nullable=False), Column("event_key", str, nullable=False, index=True)),
          keys=("event",)),
    Field("metric", str, help="What is counted: killed, injured, arrested, escaped, at-large, held…",
          columns=(Column("metric", str, nullable=False),), keys=("metric",)),
    Field("group", "str | None", None, help="Whose dead, arrested etc.; None for the total.",
          columns=(Column("group_name", str),), keys=("group",)),
    Field("value", "Quantity", help="The figure: its words and the interval they mean.",
          columns=(Column("value_text", str, nullable=False), Column("value_low", int, nullable=False),
                   Column("value_high", int), Column("value_kind", str, nullable=False), Column("value_best", int)),
          keys=("value",)),
    Field("said_by", str, help="Who first said it (the origin), by name.",
          columns=(Column("said_by_id", int, nullable=False, index=True, references=_ref("source")),),
          keys=("said_by",)),
    Field("via", tuple[str, ...], (), help="The relays it travelled through, from the origin outwards (claim_relay table).",
          keys=("via",)),
    Field("document_id", "int | None", None, help="The document that published it.",
          columns=(Column("document_id", int, index=True, references=_ref("document")),), keys=("doc",)),
    Field("outlet", "str | None", None, help="The document's outlet.", shapes=frozenset({READ})),
    Field("published", "date | None", None, help="When it was published.", columns=(Column("published", date),),
          keys=("published",)),
    Field("published_at", "datetime | None", None,
          help="The moment it was published in UTC, when a time of day is known: two updates of one day are ordered by it.",
          columns=(Column("published_at", str),), keys=("published_at",)),
    Field("period", "Period | None", None, help="The time the figure covers.",
          columns=(Column("period_start", date), Column("period_end", date)), keys=("as_of", "period")),
    Field("as_of_at", "datetime | None", None, help="The moment the figure holds up to in UTC, when --as-of gave a time of day.",
          columns=(Column("as_of_at", str),), keys=("as_of_at",)),
    Field("location", "str | None", None, columns=(Column("location", str),), keys=("location",)),
    Field("quote", "str | None", None, help="The verbatim words.", columns=(Column("quote", str),), keys=("quote",)),
    Field("quote_span", "QuoteSpan | None", None, help="Where the quote stands in the document's text.",
          columns=(Column("quote_start", int), Column("quote_end", int)), shapes=frozenset({READ})),
    Field("quote_verified", bool, False, help="The quote was found in the document's text.",
          columns=(Column("quote_verified", bool, nullable=False),), shapes=frozenset({READ})),
    Field("quote_original", "str | None", None,
          help="The same words in the language the source spoke, when the quote is a translation (or the reverse); "
               "the document is checked for either.",
          columns=(Column("quote_original", str),), keys=("quote_original",)),
    Field("quote_states_figure", "bool | None", None,
          help="Some phrase in the quote reads to the figure; False: the quote does not state it; None: no quote.",
          columns=(Column("quote_states_figure", bool),), shapes=frozenset({READ})),
    Field("unverified_quote", bool, False, help="Keep a quote that is not in the document's text, marked unverified.",
          keys=("unverified_quote",), shapes=frozenset({INPUT, TRANSFER})),
    Field("credibility", "int | None", None, help="Admiralty information credibility, 1–6.",
          columns=(Column("credibility", int),), keys=("credibility",)),
    Field("recorded_at", "datetime | None", None, help="When the ledger recorded it (UTC).",
          columns=(Column("recorded_at", str, nullable=False),), shapes=frozenset({READ})),
    Field("retracted", bool, False, columns=(Column("retracted", bool, nullable=False),), keys=("retracted",),
          shapes=frozenset({READ, TRANSFER})),
    Field("corrections", "tuple[Quantity, ...]", (), help="Earlier values, oldest first (from the history).",
          shapes=frozenset({READ})),
    Field("notes", tuple[str, ...], (), shapes=frozenset({READ})),
))

CLAIM_RELAY = Record("claim_relay", (
    Field("claim_id", int, columns=(Column("claim_id", int, nullable=False, primary_key=True, references=_ref("claim")),)),
    Field("position", int, columns=(Column("position", int, nullable=False, primary_key=True),)),
    Field("source_id", int, columns=(Column("source_id", int, nullable=False, index=True, references=_ref("source")),)),
))

HISTORY = Record("history", (
    Field("seq", int, help="1, 2, 3, … with no gaps.", columns=(Column("seq", int, nullable=False, primary_key=True),)),
    Field("recorded_at", str, help="ISO 8601, UTC.", columns=(Column("recorded_at", str, nullable=False),)),
    Field("user", str, columns=(Column("user", str, nullable=False),)),
    Field("action", str, help='"claim.add", "claim.correct", …', columns=(Column("action", str, nullable=False),)),
    Field("subject", str, help='"claim:12", "source:5", "document:3"',
          columns=(Column("subject", str, nullable=False, index=True),)),
    Field("payload", str, help="Canonical JSON.", columns=(Column("payload", str, nullable=False),)),
    Field("prev_hash", str, help="The previous entry's hash; GENESIS for seq 1.",
          columns=(Column("prev_hash", str, nullable=False),)),
    Field("hash", str, columns=(Column("hash", str, nullable=False),)),
))

NAME_RULE = Record("name_rule", (
    _id("name_rule"),
    Field("kind", str, help="event, group or place.", columns=(Column("kind", str, nullable=False),)),
    Field("rule", str, help="same (NAME is OTHER), apart (never one), within (NAME is part of OTHER), date or place "
                            "(an event's).", columns=(Column("rule", str, nullable=False),)),
    Field("name", str, help="The name as the researcher gave it.", columns=(Column("name", str, nullable=False),)),
    Field("name_key", str, help="Casefolded, whitespace-collapsed: rulings apply to every spelling with this key.",
          columns=(Column("name_key", str, nullable=False, index=True),)),
    Field("other", str, help="The other name; for date an ISO date, for place a place name.",
          columns=(Column("other", str, nullable=False),)),
    Field("reason", "str | None", None, help="Why, as the researcher said it.", columns=(Column("reason", str),)),
))

# Every table of the ledger, in the order they are created.
TABLES = (SOURCE, SOURCE_NAME, DOCUMENT, CLAIM, CLAIM_RELAY, HISTORY, NAME_RULE)
# Each table's columns, by table name, in the order above.
TABLE_COLUMNS = {record.table: record.column_names for record in TABLES}
