"""ledger as a library: the surface docs/python-api.md documents, used as a notebook would."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from pathlib import Path

import pytest

import ledger as ledger_package
from ledger import ClaimInput, InputError, NotFoundError, Period, open_ledger, parse_quantity

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = (ROOT / "seeds" / "hasaka-prison-2022.txt").read_text(encoding="utf-8")


@pytest.fixture
def ledger(tmp_path):
    book = open_ledger(f"sqlite:///{tmp_path / 'api.db'}", user="analyst")
    book.add_source("Syrian Observatory for Human Rights", aliases=["SOHR"], kind="ngo", grade="B")
    book.add_source("Al Jazeera", kind="media", grade="B")
    book.add_source("local sources", kind="anonymous")
    return book


def _claim(book, value: str, said_by: str, **fields):
    return book.add_claim(ClaimInput(event="Ghweran prison attack", metric="killed", value=parse_quantity(value),
                                     said_by=said_by, **fields))


def test_the_documented_example_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)  # the example opens seeds/… relative to the checkout
    text = (ROOT / "docs" / "python-api.md").read_text(encoding="utf-8")
    example = re.search(r"```python\n(.*?)```", text, re.S).group(1)
    example = example.replace("sqlite:///hasaka.db", f"sqlite:///{tmp_path / 'hasaka.db'}")
    scope: dict = {}
    exec(compile(example, "docs/python-api.md", "exec"), scope)  # noqa: S102
    assert scope["claim"].quote_verified is True
    assert scope["claim"].quote_span is not None
    assert scope["ledger"].verify().ok


def test_record_list_and_read_back(ledger):
    doc = ledger.add_document("Al Jazeera", date(2022, 1, 22), title="Clashes", text=ARTICLE)
    claim = _claim(ledger, "45", "SOHR", group="ISIS fighters", via=("Al Jazeera",), document_id=doc.id,
                   period=Period(date(2022, 1, 20), date(2022, 1, 22)),
                   quote='45 fighters from the "Islamic State" organization')
    assert (claim.said_by, claim.via, claim.outlet, claim.value.low, claim.value.high) == (
        "Syrian Observatory for Human Rights", ("Al Jazeera",), "Al Jazeera", 45, 45)
    assert claim.quote_verified and ARTICLE[claim.quote_span.start:claim.quote_span.end].startswith("45 fighters")
    assert ledger.get_claim(claim.id) == claim
    assert ledger.list_claims(event="ghweran  PRISON attack") == [claim]
    assert ledger.list_claims(source="Al Jazeera") == [claim]
    assert [s.name for s in ledger.list_sources()] == ["Al Jazeera", "Syrian Observatory for Human Rights", "local sources"]
    assert ledger.get_source("sohr").aliases == ("SOHR",)
    assert ledger.get_document(doc.id).sha256 == doc.sha256 and ledger.list_documents() == [doc]
    assert ledger.user == "analyst" and ledger.url.endswith("api.db")


def test_corrections_retractions_and_the_log(ledger):
    claim = _claim(ledger, "70", "local sources")
    corrected = ledger.correct_claim(claim.id, parse_quantity("more than 70"), reason="misread")
    assert corrected.value.low == 71 and [q.text for q in corrected.corrections] == ["70"]
    assert ledger.retract_claim(claim.id, "withdrawn").retracted is True
    actions = [entry.action for entry in ledger.log()]
    assert actions[-3:] == ["claim.add", "claim.correct", "claim.retract"]
    assert [entry.seq for entry in ledger.log(since=len(actions) - 1)] == [len(actions)]


def test_report_resolve_audit_and_verify(ledger):
    _claim(ledger, "more than 70", "local sources")
    low = _claim(ledger, "28", "SOHR")
    report = ledger.report()
    assert [f.verdict for f in report.findings] == ["contradiction"]
    assert "28" in report.findings[0].reason and "more than 70" in report.findings[0].reason
    out = io.StringIO()
    tally = ledger.write_report(out.write, fmt="json")
    written = json.loads(out.getvalue())
    assert [f["verdict"] for f in written["findings"]] == ["contradiction"]
    assert written["ledger"]["history_seq"] == len(list(ledger.log())) and written["ledger"]["filters"] == {}
    assert tally.verdicts == {"contradiction": 1}
    assert ledger.resolve("Ghwayran prison attack").canonical == "Ghweran prison attack"
    view = ledger.audit(low.id)
    assert view["claim"]["id"] == low.id and view["verdicts"][0]["verdict"] == "contradiction"
    result = ledger.verify()
    assert result.ok and result.claims == 2 and result.head


def test_export_and_import_round_trip(ledger, tmp_path):
    _claim(ledger, "dozens", "SOHR")
    exported = "".join(ledger.export("jsonl"))
    other = open_ledger(f"sqlite:///{tmp_path / 'other.db'}")
    result = other.import_records(io.StringIO(exported), "jsonl", "export.jsonl")
    assert (result.restored["claim"], result.restored["source"]) == (1, 3)
    assert result.head == list(ledger.log())[-1].hash
    assert "".join(other.export("jsonl")) == exported


def test_mistakes_raise_one_error_family_and_change_nothing(ledger):
    head = list(ledger.log())[-1].hash
    with pytest.raises(NotFoundError, match="closest known: SOHR"):
        _claim(ledger, "5", "SOHRR")
    with pytest.raises(InputError, match="--kind"):
        ledger.add_source("Reuters", kind="wire")
    with pytest.raises(InputError):
        parse_quantity("a lot")
    assert list(ledger.log())[-1].hash == head


@pytest.mark.parametrize("ident", [0, -1, 2**63, 10**30])
def test_ids_no_table_can_hold_are_not_found(ledger, ident):
    """An id past SQLite's 64-bit keys would overflow the driver; the library says "not found" instead."""
    _claim(ledger, "5", "SOHR")
    for lookup in (ledger.get_claim, ledger.get_document, ledger.audit):
        with pytest.raises(NotFoundError, match=str(ident)):
            lookup(ident)
    with pytest.raises(NotFoundError):
        ledger.correct_claim(ident, parse_quantity("6"))
    with pytest.raises(NotFoundError):
        _claim(ledger, "5", "SOHR", document_id=ident)


def test_unknown_names_are_attribute_errors():
    with pytest.raises(AttributeError, match="no attribute 'open_leger'"):
        ledger_package.open_leger  # noqa: B018
