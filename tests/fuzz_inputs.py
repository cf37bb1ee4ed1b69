"""Hostile values for tests/test_fuzz_cli.py: per-field pools mixed with text meant to break things.

Each field draws from the values a user would type (so commands also succeed
and their read-back is checked) and from hostile ones: empty, blank, control
characters, NUL, lone surrogates (what a shell hands Python for invalid UTF-8
in argv), bidi marks, 100,000 characters, SQL, huge and negative numbers,
impossible and extreme dates, names differing only by case, spacing,
diacritics or Unicode normal form. Paths and database URLs are ``Made``
values, resolved inside each example's own folder.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from hypothesis import strategies as st

OMIT = None  # a parameter left off the command line

SEED_TEXT = (Path(__file__).resolve().parent.parent / "seeds" / "hasaka-prison-2022.txt").read_text(encoding="utf-8")
SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"
QUOTE_IN_SEED = "45 fighters from the “Islamic State” organization"

ODD_CHARS = [
    "\x00", "\x01", "\x1b", "\x7f", "\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\udcff", "\ud800",
    "\u202e", "\u200f", "\u200e", "\u2066", "\u061c", "\ufeff", "\u200b", "\u0301", "\u00a0", "\u3000", "\U0001F600",
    "\uffff", "\U0010ffff", "ß", "İ", "ı", "ﬁ", "Å", "A\u030a", "'", '"', "`", ";", "%", "_", "\\", "|", ",", "..",
]
HOSTILE = [
    "", " ", "\t\n ", "\x00", "\udcff", "\ud800\udc00", "\u202eevil", "\u200fSOHR\u200f", "'; DROP TABLE claim; --",
    'x" OR "1"="1', "Robert'); DROP TABLE source;--", "%", "_", "\\", "NULL", "null", "None", "-", "--", "-5",
    "--json", "0", "-1", str(2**63), str(2**64), "9" * 30, "1e309", "NaN", "inf", "1_000", "٣", "x" * 100_000,
    "é" * 50_000, "\u202e" * 10, "\n".join(["line"] * 3), "a\r\nb", "{}", "[]", "$(id)", "../../etc/passwd",
]


def _mangle(pool: list[str]) -> st.SearchStrategy[str]:
    """A usual value with an odd character before, after or inside it."""
    def put(value: str, char: str, where: int) -> str:
        at = (0, len(value), len(value) // 2)[where]
        return value[:at] + char + value[at:]

    return st.builds(put, st.sampled_from(pool), st.sampled_from(ODD_CHARS), st.integers(0, 2))


ANY_CHAR = st.characters(blacklist_categories=())  # surrogates included


@dataclass(frozen=True)
class Field:
    """A parameter's values: ``usual`` ones a user would type, and ``odd`` ones meant to break the command.

    An example draws one or two parameters from ``odd`` and the rest from
    ``usual``, so that commands also succeed and the read-back is checked.
    """

    usual: st.SearchStrategy
    odd: st.SearchStrategy


def odd_text(usual: list[str], odd: list[str] = ()) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from([*odd, *HOSTILE]), _mangle(usual), st.text(ANY_CHAR, max_size=12))


def text(usual: list[str], odd: list[str] = ()) -> Field:
    return Field(st.sampled_from(usual), odd_text(usual, odd))


def optional(f: Field) -> Field:
    """Mostly left off; an odd value is always given."""
    return Field(st.one_of(st.just(OMIT), st.just(OMIT), f.usual), f.odd)


def required(f: Field) -> Field:
    """Always given, except as one of its odd values."""
    return Field(f.usual, st.one_of(f.odd, f.odd, f.odd, st.just(OMIT)))


def repeated(f: Field) -> Field:
    return Field(st.lists(f.usual, max_size=2), st.lists(st.one_of(f.usual, f.odd), min_size=1, max_size=3))


FLAG = Field(st.booleans(), st.booleans())


def nfd(value: str) -> str:
    return unicodedata.normalize("NFD", value)


# -- the template ledger's names, and names near them ---------------------------------

KNOWN_SOURCES = ["SOHR", "sohr", "  Sohr  ", "Syrian Observatory for Human Rights", "Al Jazeera", "AL-JAZEERA",
                 "al   jazeera", "Reuters", "OSDH", "local sources", "Ṣabāḥ News", "ṣabāḥ news"]
NEW_SOURCES = ["Reutérs", "Ｒｅｕｔｅｒｓ", "Reuters\u200b", "ＳＯＨＲ", nfd("Ṣabāḥ News"), "Sabah News", "SOHR\u00a0",
               "Kurdistan 24", "المرصد السوري", "מקור מקומי", "New Source", "Ghweran Witness", "O'Brien; DROP TABLE source"]
KINDS = ["ngo", "media", "government", "armed-group", "person", "anonymous", "other"]
GRADES = ["A", "B", "F", "a", " b "]
EVENTS = ["Ghweran prison attack", "ghweran  PRISON attack", "Ghwayran prison attack", "Hasakah clashes", "A"]
METRICS = ["killed", "injured", "arrested", "KILLED", "at-large", "held", "escaped"]
GROUPS = ["ISIS fighters", "civilians", "SDF", "isis  FIGHTERS"]
FIGURES = ["45", "47", "more than 70", "dozens", "between 40 and 50", "none", "  45  ", "٤٥", "1,000,000", "several"]
ODD_FIGURES = ["all", "0", "-5", "1e309", "9" * 400, "½", "10^1000", "45\x00", "\u202e45", "ninety-nine", "a lot of",
               "45 or 46", "100 million billion", "at least 1" + "0" * 30, "between 50 and 40", "nan"]
DAYS = ["2022-01-22", "2022-01-20", " 2022-01-22 ", "2024-02-29", "2022-01-22T14:05+03:00", "2022-01-22T14:05Z"]
ODD_DAYS = ["2022-02-30", "0000-01-01", "0001-01-01", "9999-12-31", "2022-02-29", "20220122", "2022-W03-6",
            "２０２２-01-22", "2022-1-2", "2022-01-22\n", "22/01/2022", "2022-01-22 14:05+0300", "0001-01-01T00:00+01:00",
            "9999-12-31T23:59-01:00", "0001-01-01T00:30Z", "2022-01-22T14:05", "2022-01-22T25:00Z",
            "2022-01-22T14:05+24:00", "2022-01-22T14:05+99:99", "2022-01-22T14:05:00.123456789+03:00"]
PERIODS = ["2022-01-20..2022-01-22", "2022-01-20..2022-01-20", "2021-12-01..2022-01-20"]
ODD_PERIODS = ["2022-01-22..2022-01-20", "..", "2022-01-20..", "0001-01-01..9999-12-31", "2022-01-20...2022-01-22",
               " 2022-01-20 .. 2022-01-22 ", "2022-02-30..2022-03-01", "2022-01-20T10:00Z..2022-01-22"]
IDS = ["1", "2", "3"]
ODD_IDS = ["4", "99", "0", "-1", "+1", " 2 ", str(2**63 - 1), str(2**63), "1" * 25, "x", "1.0", "١", "1_0", "0x1", "1e3"]
CREDIBILITY = ["1", "3", "6"]
ODD_CREDIBILITY = ["0", "7", "-1", str(2**63), "3.0", "٣", " 2 ", "x", "1_0", "1" * 5000]
QUOTES = [QUOTE_IN_SEED, "more than 70 people", "45 fighters"]
ODD_QUOTES = [QUOTE_IN_SEED.replace("“", '"').replace("”", '"'), "nowhere in the text at all", "45", SEED_TEXT[:2000],
              "x" * 100_000, QUOTE_IN_SEED.upper(), SEED_TEXT]
PLACES = ["Hasakah", "Ghweran neighborhood, Hasakah", "الحسكة"]
REASONS = ["SOHR update", "misread", "same organisation"]
URLS = ["https://www.aljazeera.net/news/2022/1/22/hasaka", "https://例え.jp/パス?q=' OR 1=1"]
ODD_URLS = ["javascript:alert(1)", "http://", "file:///etc/passwd"]
USERS = ["tester", "Zeynep", "ZEYNEP", "مراسل"]


def dates() -> Field:
    return text(DAYS, ODD_DAYS)


# -- files and databases, made inside each example's folder ----------------------------


@dataclass(frozen=True)
class Made:
    """A path made for one example: ``kind`` says what sits there (see ``Workspace.path``)."""

    kind: str
    data: bytes = b""
    name: str = "input.txt"

    def __repr__(self) -> str:  # hypothesis prints this in a falsifying example
        shown = self.data if len(self.data) <= 300 else self.data[:300] + b"..."
        return f"Made({self.kind!r}, {shown!r}, name={self.name!r})"


@dataclass
class Workspace:
    """One example's folder: the ledger under test and the files and databases around it."""

    root: Path
    ledger: Path
    foreign: Path  # another application's SQLite file
    notes: Path  # a plain text file that is not a database

    def path(self, value: Made) -> str:
        kind = value.kind
        if kind == "ledger":
            return str(self.ledger)
        if kind == "ledger-url":
            return f"sqlite:///{self.ledger}"
        if kind == "foreign":
            return str(self.foreign)
        if kind == "notes":
            return str(self.notes)
        if kind == "fresh":
            return str(self.root / "fresh.db")
        if kind == "missing":
            return str(self.root / "no-such-dir" / value.name)
        if kind == "missing-file":
            return str(self.root / value.name)
        if kind == "dir":
            return str(self.root)
        if kind == "empty":
            return ""
        if kind == "nul-path":
            return str(self.root / "a\x00b.txt")
        if kind == "devnull":
            return "/dev/null"
        if kind == "loop":
            loop = self.root / "loop.txt"
            loop.symlink_to(loop)
            return str(loop)
        if kind == "secret-url":
            return "postgresql+psycopg://reporter:s3cret-pw@127.0.0.1:1/ledger"
        if kind == "file":
            target = self.root / value.name
            target.write_bytes(value.data)
            return str(target)
        if kind == "seeds":
            return str(self._seeds(value))
        raise AssertionError(f"unknown Made kind {kind!r}")

    def _seeds(self, value: Made) -> Path:
        """A seeds folder: the real one, an empty one, or one whose seed file is ``value.data``."""
        if value.name == "real":
            return SEEDS_DIR
        folder = self.root / "seeds-made"
        folder.mkdir(exist_ok=True)
        if value.name != "empty":
            (folder / "seed.json").write_bytes(value.data)
            (folder / "hasaka-prison-2022.txt").write_bytes(b"\xff\xfe not utf-8" if value.name == "bad-text" else SEED_TEXT.encode())
        return folder


def _file(data: st.SearchStrategy[bytes], names=("input.txt",)) -> st.SearchStrategy[Made]:
    return st.builds(Made, st.just("file"), data, st.sampled_from(list(names)))


def _encoded(texts: st.SearchStrategy[str]) -> st.SearchStrategy[bytes]:
    """Text as UTF-8, with a BOM, as Latin-1, as UTF-16, or with its surrogates passed through as invalid UTF-8."""
    def encode(value: str, how: str) -> bytes:
        if how == "utf-8-sig":
            return b"\xef\xbb\xbf" + value.encode("utf-8", "surrogatepass")
        if how in ("latin-1", "utf-16"):
            return value.encode(how, "replace")
        return value.encode("utf-8", "surrogatepass")

    return st.builds(encode, texts, st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16"]))


PATH_TROUBLE = st.sampled_from([Made("missing"), Made("missing-file"), Made("dir"), Made("empty"), Made("nul-path"),
                                Made("devnull"), Made("loop"), Made("foreign"), Made("ledger")])


def article_file() -> Field:
    """``doc add --file``: the seed article; or texts with CRLF, NUL, a BOM, odd encodings, random bytes, odd paths."""
    texts = st.one_of(st.just(SEED_TEXT.replace("\n", "\r\n")), st.just("line\rline\r\n"), st.text(ANY_CHAR, max_size=40),
                      st.just("x" * 1_000_000), st.just(""), st.just("\x00" * 10))
    return Field(st.one_of(st.just(OMIT), st.just(Made("file", SEED_TEXT.encode(), "article.txt"))),
                 st.one_of(_file(_encoded(texts)), _file(st.binary(max_size=64)), PATH_TROUBLE))


# -- import files ---------------------------------------------------------------------

def _json_odd(odd: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(odd, st.sampled_from([None, True, False, 0, -1, 2**63, 2**64, -(2**63) - 1, 1.5, float("nan"),
                                           float("inf"), [], {}, ["SOHR"], [1], {"a": 1}, "", " "]))


def _row_fields(as_json: bool) -> dict[str, Field]:
    def j(f: Field) -> Field:
        return Field(f.usual, _json_odd(f.odd)) if as_json else f

    flags = Field(st.sampled_from(["true", "false"] if not as_json else [True, False]),
                  st.sampled_from(["yes", "", "maybe", "1", "TRUE"]))
    via = repeated(text(KNOWN_SOURCES, NEW_SOURCES))
    if not as_json:
        via = Field(st.builds("|".join, via.usual), st.builds("|".join, via.odd))
    return {
        "event": j(text(EVENTS)), "metric": j(text(METRICS)), "value": j(text(FIGURES, ODD_FIGURES)),
        "said_by": j(text(KNOWN_SOURCES, NEW_SOURCES)), "group": j(optional(text(GROUPS))), "via": j(via),
        "doc": j(optional(text(["1"], ODD_IDS))), "published": j(optional(dates())), "as_of": j(optional(dates())),
        "period": j(optional(text(PERIODS, ODD_PERIODS))), "location": j(optional(text(PLACES))),
        "quote": j(optional(text(QUOTES, ODD_QUOTES))), "quote_original": j(Field(st.just(OMIT), odd_text(QUOTES))),
        "unverified_quote": j(flags), "credibility": j(optional(text(CREDIBILITY, ODD_CREDIBILITY))),
        "retracted": j(flags), "published_at": j(Field(st.just(OMIT), odd_text(DAYS, ODD_DAYS))),
        "bogus": Field(st.just(OMIT), odd_text(["x"])),
    }


@st.composite
def claim_row(draw, as_json: bool, odd_fields: int) -> dict:
    fields = _row_fields(as_json)
    odd = draw(st.sets(st.sampled_from(sorted(fields)), max_size=odd_fields))
    row = {name: draw(f.odd if name in odd else f.usual) for name, f in fields.items()}
    return {k: v for k, v in row.items() if v is not OMIT}


RAW_JSONL = ["[" * 100_000, "{" * 5000, "{", "null", "[]", '"x"', "{}", "\x00", '{"record":"source","name":"SOHR"}',
             '{"record":"source","name":"Imported Source","kind":"ngo","aliases":["IS2","is2"]}',
             '{"record":"document","id":1,"outlet":"Reuters","published":"2022-01-22","text":"45 killed"}',
             '{"record":"document","id":9223372036854775808,"outlet":"Reuters","published":"2022-01-22"}',
             '{"record":"nope"}', '{"event":"A","metric":"killed","value":"5","said_by":"SOHR","doc":1e400}',
             '{"event":"A","metric":"killed","value":"5","said_by":"SOHR","doc":' + "9" * 5000 + "}",
             '{"event":"A","metric":"killed","value":"5","said_by":"SOHR","credibility":NaN}',
             '{"event":"A","event":"B","metric":"killed","value":"5","said_by":"SOHR"}']


def _jsonl(rows: st.SearchStrategy[list[str]], encodings: st.SearchStrategy[str]) -> st.SearchStrategy[bytes]:
    return st.builds(lambda lines, how: "\n".join(lines).encode(how, "surrogatepass"), rows, encodings)


def _csv_text(header: list[str], rows: list[dict], raw: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column.strip().replace("-", "_"), "") for column in header])
    return out.getvalue() + "\n".join(raw)


CSV_HEADER = ["event", "metric", "group", "value", "said_by", "via", "doc", "published", "as_of", "period", "location",
              "quote", "unverified_quote", "credibility", "retracted"]
ODD_CSV_HEADERS = [["event", "metric", "value", "said-by", "bogus"], ["event", "metric", "value"],
                   ["event", "metric", "value", "said_by", "value"], [" event ", "METRIC", "value", "said_by"], []]


def import_file() -> Field:
    """A clean CSV or JSONL file of usual rows; or rows with odd fields, junk lines, odd encodings, odd paths."""
    dumps = lambda row: json.dumps(row, ensure_ascii=False)  # noqa: E731
    usual = st.one_of(
        _file(st.builds(lambda rows: _csv_text(CSV_HEADER, rows, []).encode(), st.lists(claim_row(False, 0), min_size=1, max_size=3)),
              ["rows.csv"]),
        _file(_jsonl(st.lists(st.builds(dumps, claim_row(True, 0)), min_size=1, max_size=3), st.just("utf-8")), ["rows.jsonl"]),
    )
    odd_line = st.one_of(st.builds(json.dumps, claim_row(True, 2), ensure_ascii=st.booleans()), st.sampled_from(RAW_JSONL))
    odd_csv = st.builds(_csv_text, st.sampled_from([CSV_HEADER + ["quote_original", "published_at", "as_of_at"], *ODD_CSV_HEADERS]),
                        st.lists(claim_row(False, 2), max_size=3),
                        st.lists(st.sampled_from(['"unterminated', "\x00", "a,b", ",,,", "A,killed,5,SOHR,x,y,z", "\r"]), max_size=2))
    odd = st.one_of(
        _file(_jsonl(st.lists(st.one_of(st.builds(dumps, claim_row(True, 0)), odd_line), min_size=1, max_size=4),
                     st.sampled_from(["utf-8", "utf-16"])), ["rows.jsonl", "rows", "rows.json"]),
        _file(_encoded(odd_csv), ["rows.csv", "ROWS.CSV", "rows\n.csv", "\u202evsc.rows", "rows.csv.jsonl"]),
        _file(st.binary(max_size=64), ["rows.csv", "rows.jsonl"]), PATH_TROUBLE,
    )
    return Field(usual, odd)


# -- databases and seeds folders --------------------------------------------------------

LEDGER = Made("ledger")
DB_TROUBLE = [Made("fresh"), Made("foreign"), Made("notes"), Made("dir"), Made("missing", name="x.db"), Made("empty"),
              Made("secret-url")]
ROOT_DB = Field(st.sampled_from([LEDGER, Made("ledger-url")]), st.sampled_from(DB_TROUBLE))
DEMO_DB = Field(st.sampled_from([OMIT, Made("fresh")]), st.sampled_from([LEDGER, *DB_TROUBLE]))

SEED_JSON = (SEEDS_DIR / "hasaka-prison-2022.json").read_text(encoding="utf-8")
BAD_SEEDS = [b"{", b"[]", b"{}", b'{"sources": [{"name": ""}], "document": {}, "claims": []}',
             SEED_JSON.replace('"value": "45"', '"value": "a lot of"').encode(),
             SEED_JSON.replace('"published": "2022-01-22"', '"published": "2022-02-30"').encode(),
             SEED_JSON.replace('"said_by": "SOHR"', '"said_by": "Nobody"').encode(),
             SEED_JSON.replace('"file": "hasaka-prison-2022.txt"', '"file": "missing.txt"').encode(),
             SEED_JSON.replace('"file": "hasaka-prison-2022.txt"', '"file": 7').encode(),
             SEED_JSON.encode("utf-16")]
SEEDS = Field(st.sampled_from([OMIT, Made("seeds", name="real")]),
              st.sampled_from([Made("seeds", name="empty"), Made("seeds", SEED_JSON.encode(), name="bad-text"),
                               *(Made("seeds", data, name="bad") for data in BAD_SEEDS), Made("missing"), Made("notes"),
                               Made("empty")]))
