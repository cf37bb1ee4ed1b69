"""Articles as HTML pages and PDFs: their text read for `ledger extract` and `ledger doc add --file`, quotes found in it again."""

from __future__ import annotations

import pytest

from ledger.extract.files import HTML, PDF, TEXT, Unreadable, html_text, kind_of, pdf_text

PAGE = b"""<!doctype html><html><head><title>T</title><script>var killed = 5;</script><style>p{}</style></head>
<body><nav><a href="/">Home</a> 99 links</nav><header>Site 12</header>
<article><h1>Clashes continue</h1><p>Local sources told Al-Jazeera that <b>more than 70</b> people died.</p>
<div><p>The observatory stated that the clashes led to the killing of 28 members,<br>and 5 civilians.</p></div>
<ul><li>The SDF said 3 were arrested.</li></ul></article><footer>\xc2\xa9 2022, 40 staff</footer></body></html>"""


def pdf_with_text(lines: list[str]) -> bytes:
    """A one-page PDF whose text layer holds ``lines`` (Helvetica), built by hand: objects, xref, trailer."""
    def escape(s: str) -> str:
        return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = "BT /F1 12 Tf 72 720 Td 14 TL " + " ".join(f"({escape(line)}) Tj T*" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


@pytest.mark.parametrize("name, data, kind", [
    ("a.pdf", b"%PDF-1.4 ...", PDF), ("a.bin", b"%PDF-1.7", PDF), ("a.html", b"plain words", HTML),
    ("a.txt", b"  <!DOCTYPE html><p>x</p>", HTML), ("a.txt", b"<HTML><p>x", HTML), ("a.txt", b"45 were killed", TEXT),
])
def test_the_kind_of_file_by_signature_extension_or_markup(name, data, kind):
    assert kind_of(name, data) == kind


def test_a_page_keeps_its_article_one_block_a_paragraph_and_drops_scripts_and_navigation():
    assert html_text(PAGE) == ("Clashes continue\n\nLocal sources told Al-Jazeera that more than 70 people died.\n\n"
                               "The observatory stated that the clashes led to the killing of 28 members, and 5 civilians.\n\n"
                               "The SDF said 3 were arrested.")


def test_a_page_with_no_blocks_is_its_body_text():
    assert html_text("<html><body>Five <i>were</i> killed</body></html>") == "Five were killed"


def test_a_pdf_text_layer_is_read():
    assert pdf_text(pdf_with_text(["Local sources said more than 70 died.", "SOHR said (again) 28."])) == (
        "Local sources said more than 70 died.\nSOHR said (again) 28.")


@pytest.mark.parametrize("data, problem", [
    (pdf_with_text([]), "no text layer"), (b"%PDF-1.4\nnonsense", "not a readable PDF"),
])
def test_a_pdf_with_no_text_or_damaged_is_unreadable(data, problem):
    with pytest.raises(Unreadable, match=problem):
        pdf_text(data)


def test_extract_records_an_html_article_and_its_quotes_verify(seeded, tmp_path):
    page = tmp_path / "article.html"
    page.write_bytes(PAGE)
    seeded.run("extract", str(page), "--outlet", "Al Jazeera", "--published", "2022-01-22",
               "--event", "Ghweran prison attack", "--accept-all")
    claims = seeded.json("claim", "list")
    assert [c["value"]["text"] for c in claims] == ["more than 70", "28", "5", "3"]
    assert all(c["quote_verified"] for c in claims)
    assert seeded.json("doc", "show", "1")["characters"] == len(html_text(PAGE))


def test_extract_reads_a_pdf_and_refuses_a_scan_in_one_line(seeded, tmp_path):
    pdf = tmp_path / "statement.pdf"
    pdf.write_bytes(pdf_with_text(["The observatory stated that 28 members were killed."]))
    proposals = seeded.json("extract", str(pdf), "--outlet", "Al Jazeera", "--published", "2022-01-22")
    assert [(p["figure"], p["said_by"]) for p in proposals] == [("28", "Syrian Observatory for Human Rights")]
    pdf.write_bytes(pdf_with_text([]))
    result = seeded.run("extract", str(pdf), code=2)
    assert result.stdout == "" and result.stderr.count("\n") == 1
    assert "is a PDF with no text layer" in result.stderr


ARTICLE = ("--outlet", "Al Jazeera", "--published", "2022-01-22")
EVENT = ("--event", "Ghweran prison attack")


def test_doc_add_stores_a_pages_text_so_extract_on_it_records_quotes_that_verify(seeded, tmp_path):
    page = tmp_path / "page.html"
    page.write_bytes(PAGE)
    assert seeded.run("doc", "add", *ARTICLE, "--file", str(page)).stdout == "1\n"
    assert seeded.json("doc", "show", "1")["characters"] == len(html_text(PAGE))  # the article's words, not its markup
    done = seeded.run("extract", str(page), "--doc", "1", *EVENT, "--accept-all")
    assert "recorded 4 of 4 candidates on document 1" in done.stdout
    claims = seeded.json("claim", "list")
    assert [c["value"]["text"] for c in claims] == ["more than 70", "28", "5", "3"]
    assert all(c["quote_verified"] and c["document_id"] == 1 for c in claims)
    quote = seeded.json("audit", str(claims[0]["id"]))["quote"]
    assert quote["verified"] and quote["text"] == "Local sources told Al-Jazeera that more than 70 people died."
    assert seeded.run("verify").stdout.startswith("ok: ")


def test_doc_add_stores_a_pdfs_text_layer_and_a_text_file_as_it_is(seeded, tmp_path):
    import hashlib

    pdf = tmp_path / "statement.pdf"
    pdf.write_bytes(pdf_with_text(["The observatory stated that 28 members were killed."]))
    seeded.run("doc", "add", *ARTICLE, "--file", str(pdf))
    assert seeded.json("doc", "show", "1")["characters"] == len("The observatory stated that 28 members were killed.")
    seeded.run("extract", str(pdf), "--doc", "1", *EVENT, "--accept-all")
    assert [(c["value"]["text"], c["quote_verified"]) for c in seeded.json("claim", "list")] == [("28", True)]
    text = tmp_path / "crlf.txt"
    text.write_bytes("SOHR said 28 were killed.\r\nThe SDF said 3 were arrested.\r\n".encode())
    seeded.run("doc", "add", *ARTICLE, "--file", str(text))  # byte for byte: CRLF kept, the file's own sha256
    assert seeded.json("doc", "show", "2")["sha256"] == hashlib.sha256(text.read_bytes()).hexdigest()


@pytest.mark.parametrize("data, problem", [
    (b"", "is empty"), (b" \n\t\n", "is empty"), (pdf_with_text([]), "is a PDF with no text layer"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "is binary, not text"), ("Hasaké".encode("latin-1"), "is not UTF-8 text"),
])
def test_doc_add_refuses_a_file_extract_could_not_read_in_one_line_and_adds_nothing(seeded, tmp_path, data, problem):
    path = tmp_path / "article.txt"
    path.write_bytes(data)
    history = seeded.json("log")
    result = seeded.run("doc", "add", *ARTICLE, "--file", str(path), code=2)
    assert result.stdout == "" and result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"error: --file: {str(path)!r} {problem}")
    assert seeded.json("doc", "list") == [] and seeded.json("log") == history
