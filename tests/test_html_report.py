"""`ledger report --format html -o FILE`: one self-contained page, the JSON report's findings charted, each claim's
provenance in it, every string escaped; and `-o` for every format, written whole or not at all.

The page is read back with the standard library's HTML parser, as a browser would read its elements
(tests/test_html_browser.py opens it in a real one)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from ledger.errors import LedgerError
from ledger.reports.html import render_html


class Page(HTMLParser):
    """The elements of a page: every tag's attributes, the marks of each finding's chart, the text of each
    provenance article and of the table's reason cells."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.marks: dict[str, list[tuple[str, str]]] = {}  # finding section id → (data-claim, class) in order
        self.articles: dict[str, str] = {}
        self.reasons: list[str] = []
        self.scripts: list[str] = []
        self._section = None
        self._article = None
        self._text: list[str] | None = None
        self._in = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "section" and (attrs.get("id") or "").startswith("finding-"):
            self._section = attrs["id"]
            self.marks[self._section] = []
        if "data-claim" in attrs:
            self.marks.setdefault(self._section, []).append((attrs["data-claim"], attrs.get("class", "")))
        if tag == "article" and "data-for" in attrs:
            self._article, self._text = attrs["data-for"], []
        if (tag == "td" and attrs.get("class") == "reason") or tag == "script":
            self._in, self._cell = tag, []

    def handle_endtag(self, tag):
        if tag == "section" and self._article is None:
            self._section = None
        if tag == "article" and self._article is not None:
            self.articles[self._article] = " ".join("".join(self._text).split())
            self._article = self._text = None
        if tag == self._in:
            (self.reasons if tag == "td" else self.scripts).append("".join(self._cell))
            self._in = None

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)
        if self._in is not None:
            self._cell.append(data)


def key(claim: dict) -> str:
    return "+".join(map(str, claim["parts"])) if claim["derived"] else str(claim["id"])


@pytest.fixture
def demo(cli):
    cli.run("demo")
    return cli


def html_report(cli, *args: str, name: str = "report.html") -> tuple[str, Page]:
    result = cli.run("report", "--format", "html", "-o", name, *args)
    assert result.stdout == ""
    text = Path(name).read_text(encoding="utf-8")
    return text, Page(text)


def test_the_page_is_one_file_that_loads_nothing(demo):
    text, page = html_report(demo)
    assert text.startswith("<!DOCTYPE html>") and text.endswith("</html>\n")
    for tag, attrs in page.tags:
        assert "src" not in attrs, f"<{tag}> loads {attrs['src']}"
        if tag != "a":  # a link to a claim's document is a plain anchor; nothing else may point outside
            assert not re.match(r"(https?:)?//", attrs.get("href") or ""), f"<{tag}> loads {attrs['href']}"
            assert not re.match(r"https?://", attrs.get("xlink:href") or "")
    assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", text)
    csp = next(attrs["content"] for tag, attrs in page.tags if attrs.get("http-equiv") == "Content-Security-Policy")
    assert csp.startswith("default-src 'none';")
    assert [attrs.get("rel") for tag, attrs in page.tags if tag == "link"] == ["icon"]  # data:, so no favicon fetch


def test_one_mark_per_claim_of_each_contested_quantity_in_the_reports_order(demo):
    findings = demo.json("report")["findings"]
    text, page = html_report(demo)
    assert len(findings) == 2
    assert list(page.marks) == [f"finding-{n}" for n in range(1, len(findings) + 1)]
    for n, finding in enumerate(findings, 1):
        assert [claim for claim, _ in page.marks[f"finding-{n}"]] == [key(c) for c in finding["claims"]]
    assert page.reasons == [f["reason"] for f in findings]
    shapes = dict(page.marks["finding-2"])
    assert "open" in shapes["1"] and "stated" in shapes["1"]  # "more than 70": open-ended
    assert "derived" in shapes["2+3+4"] and "exact" in shapes["2+3+4"]  # SOHR's 28 + 45 + 5, summed by ledger
    assert "interval" in dict(page.marks["finding-1"])["6"]  # "dozens": 24–99


def test_each_mark_has_its_claims_provenance(demo):
    _, page = html_report(demo)
    audit = demo.json("audit", "6")
    six = page.articles["6"]
    assert audit["quote"]["text"] in six and "verified" in six
    assert "Syrian Observatory for Human Rights" in six and "Al Jazeera" in six  # origin, then the outlet
    assert audit["document"]["title"] in six and '"dozens"' not in six and "dozens" in six
    derived = page.articles["2+3+4"]
    for part in (2, 3, 4):  # a derived total shows each part's own quote
        assert demo.json("audit", str(part))["quote"]["text"] in derived
    assert set(page.articles) == {key(c) for f in demo.json("report")["findings"] for c in f["claims"]}


def test_the_page_states_the_history_head_when_it_was_made_and_its_filters(demo):
    head = demo.json("log", "-n", "1")[0]
    text, _ = html_report(demo)
    assert f"entry {head['seq']}, hash <span class=\"hash\">{head['hash']}</span>" in text
    assert re.search(r"<dt>made</dt><dd>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC</dd>", text)
    assert "every event" in text and "left out" in text
    text, page = html_report(demo, "--event", "Ghwayran prison attack", "--all")
    assert "Ghwayran prison attack" in text and "included (--all)" in text and "every event" not in text
    assert len(page.marks) == len(demo.json("report", "--event", "Ghwayran prison attack", "--all")["findings"])



def test_extracted_keeps_the_page_to_the_extracted_claims_or_leaves_them_out_and_says_so(seeded, tmp_path):
    seed = Path(__file__).resolve().parent.parent / "seeds" / "hasaka-prison-2022.txt"
    next_day = tmp_path / "next-day.txt"  # SOHR's 28 become 31: a revision among the extracted claims alone
    next_day.write_text(seed.read_text(encoding="utf-8").replace(" 28 ", " 31 "), encoding="utf-8")
    event = ("--event", "Ghweran prison attack")
    seeded.run("claim", "add", *event, "-m", "killed", "-g", "civilians", "--value", "7", "-s", "SOHR")
    seeded.run("claim", "add", *event, "-m", "killed", "-g", "civilians", "--value", "9", "-s", "local sources")
    for path, day in ((seed, "2022-01-22"), (next_day, "2022-01-23")):
        seeded.run("extract", str(path), "--outlet", "Al Jazeera", "--published", day, *event, "--accept-all")
    quotes = {c["id"]: " ".join(c["quote"].split()) for c in seeded.json("claim", "list") if c["quote"]}
    assert len(quotes) == 16 and not {1, 2} & set(quotes)  # the two typed in have no quote

    def on_page(page: Page) -> set[int]:
        return {int(part) for mark in page.articles for part in mark.split("+")}

    def report_keys(*args: str) -> set[str]:
        return {key(c) for f in seeded.json("report", *args)["findings"] for c in f["claims"]}

    text, page = html_report(seeded, "--extracted", "only", name="only.html")
    assert set(page.articles) == report_keys("--extracted", "only")
    assert on_page(page) and on_page(page) <= set(quotes)
    for claim_id in on_page(page):  # a derived total's article shows each part's quote
        assert any(quotes[claim_id] in article and "✔ verified" in article for article in page.articles.values())
    assert ('<dt>extracted claims</dt><dd>only the claims <code>ledger extract</code> recorded are in this report '
            '<span class="muted">(--extracted only)</span></dd>') in text

    text, page = html_report(seeded, "--extracted", "exclude", name="exclude.html")
    assert set(page.articles) == report_keys("--extracted", "exclude") == {"1", "2"}
    assert not any(quote in article for quote in quotes.values() for article in page.articles.values())
    assert ("<dt>extracted claims</dt><dd>left out: the claims <code>ledger extract</code> recorded are not in this "
            'report <span class="muted">(--extracted exclude)</span></dd>') in text

    text, page = html_report(seeded, name="every.html")
    assert {1, 2} < on_page(page) and on_page(page) & set(quotes) and "extracted claims" not in text


def test_a_sources_revision_is_a_line_through_its_figures(demo):
    demo.run("source", "add", "Agence France-Presse", "--alias", "AFP", "--kind", "media")
    demo.run("claim", "add", "--event", "Ghwayran prison attack", "--metric", "killed", "--value", "136",
             "--said-by", "SOHR", "--as-of", "2022-01-23T18:00+03:00", "--via", "AFP")
    findings = demo.json("report")["findings"]
    text, page = html_report(demo)
    assert [f["verdict"] for f in findings] == ["contradiction", "divergence", "revision"]
    section = text.split('id="finding-3"')[1].split("</section>")[0]
    paths = re.findall(r'<polyline class="revision" points="([^"]+)"', section)
    assert len(paths) == 1 and len(paths[0].split()) == 2  # SOHR: its 78 of the 22nd, then 136 of the 23rd
    assert "2022-01-23" in section and [k for k, _ in page.marks["finding-3"]] == ["2+3+4", "12"]
    assert 'class="revision"' not in text.split('id="finding-2"')[1].split("</section>")[0]  # two sources: no path


def test_strings_from_the_ledger_are_escaped(demo):
    hostile = '<script>alert("source")</script> & <img src=x onerror=alert(1)>'
    demo.run("source", "add", hostile, "--kind", "other")
    demo.run("doc", "add", "--outlet", "Al Jazeera", "--published", "2022-01-24", "--url", "javascript:alert(2)",
             "--title", "</title><script>alert(3)</script>")
    event = "<i>raid</i> on </style>"
    demo.run("claim", "add", "--event", event, "--metric", "killed", "--value", "300", "--said-by", hostile,
             "--doc", "2", "--quote", "300 </script><b>killed</b>", "--unverified-quote")
    demo.run("claim", "add", "--event", event, "--metric", "killed", "--value", "fewer than 20", "--said-by", "SOHR",
             "--published", "2022-01-25")
    text, page = html_report(demo)
    assert len(page.scripts) == 1 and "alert" not in page.scripts[0]  # the page's own script, and no other
    assert [tag for tag, _ in page.tags].count("img") == 0 and "<b>" not in text and "<i>" not in text
    assert not any((attrs.get("href") or "").startswith("javascript:") for _, attrs in page.tags)
    assert "&lt;script&gt;alert(&quot;source&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;" in text
    assert not any(name.startswith("on") for _, attrs in page.tags for name in attrs)
    claim = next(c for f in demo.json("report")["findings"] for c in f["claims"] if c["said_by"] == hostile)
    assert "300 </script><b>killed</b>" in page.articles[str(claim["id"])]  # shown as the words it is
    assert "javascript:alert(2)" in page.articles[str(claim["id"])]  # as text, not as a link


def test_html_needs_a_file_and_is_no_json(demo):
    for args, problem in [((), "is a page to open in a browser"), (("-o", "r.html", "--json"), "conflicts with --json")]:
        result = demo.run("report", "--format", "html", *args, code=2)
        assert result.stderr.startswith("error: --format: 'html' ") and problem in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert not Path("r.html").exists()
    stdout = demo.run("report", "--format", "html", "-o", "-").stdout
    assert stdout.startswith("<!DOCTYPE html>") and 'data-claim="2+3+4"' in stdout


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown"])
def test_output_writes_any_format_as_printed(demo, fmt):
    printed = demo.run("report", "-f", fmt).stdout
    assert demo.run("report", "-f", fmt, "-o", "out.txt").stdout == ""
    assert Path("out.txt").read_text(encoding="utf-8") == printed
    assert demo.run("report", "-f", fmt, "-o", "-").stdout == printed


def test_a_bad_output_is_one_error_line_and_writes_nothing(demo, tmp_path):
    before = sorted(p.name for p in tmp_path.iterdir())
    for args, problem in [(("-o", "no-such-dir/report.html"), "is in a folder that does not exist"),
                          (("-o", str(tmp_path)), "is a folder"),
                          (("-o", "report.html", "--event", "nothing like it"), "matches no event")]:
        result = demo.run("report", "--format", "html", *args, code=2)
        assert result.stderr.startswith("error: ") and problem in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no report.html, no temporary file left


def test_a_failure_while_making_the_page_leaves_the_old_file_as_it_was(demo, tmp_path, monkeypatch):
    Path("report.html").write_text("the report sent yesterday\n", encoding="utf-8")
    before = sorted(p.name for p in tmp_path.iterdir())

    def fails(*args, **kwargs):
        raise LedgerError("the page could not be made")

    monkeypatch.setattr("ledger.reports.html.render_html", fails)
    result = demo.run("report", "--format", "html", "-o", "report.html", code=1)
    assert result.stderr == "error: the page could not be made\n"
    assert Path("report.html").read_text(encoding="utf-8") == "the report sent yesterday\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == before


# -- the renderer alone, on plain data ---------------------------------------------------


def figure(claim_id, said_by, text, low, high, as_of="2022-01-22", **extra):
    return {"id": claim_id, "said_by": said_by, "via": [], "outlet": None, "derived": False, "grade": "F6",
            "value": {"text": text, "low": low, "high": high, "kind": "exact", "best": None},
            "published": as_of, "as_of": as_of, **extra}


def finding(*claims, verdict="divergence"):
    return {"quantity": {"event": "E", "metric": "killed", "group": None, "place": None}, "verdict": verdict,
            "reason": "they differ", "envelope": {"low": 1, "high": None}, "consensus": None, "claims": list(claims)}


STAMP = {"head_seq": 0, "head_hash": None, "made_at": "2026-01-01 00:00:00 UTC", "event": None, "include_agreement": False}


def test_no_findings_is_a_page_that_says_so():
    text = render_html([], {}, STAMP, "0 claims, 0 quantities: no discrepancies")
    assert "No discrepancies found." in text and "empty history" in text and Page(text).marks == {}


def test_undated_figures_and_missing_provenance_still_chart():
    findings = [finding(figure(1, "A", "5", 5, 5, as_of=None, published=None), figure(2, "A", "about 9", 8, 10),
                        figure(3, "B", "more than 3", 4, None, as_of="2022-02-01"))]
    page = Page(render_html(findings, {}, STAMP))
    assert [claim for claim, _ in page.marks["finding-1"]] == ["1", "2", "3"]
    assert "provenance not available" in page.articles["1"]
    text = render_html(findings, {}, STAMP)
    assert "no date" in text and text.count('class="revision"') == 1  # A's two figures, the undated one first
