"""An article's text from the file it came in: plain text, an HTML page or a PDF with a text layer.

HTML is read with beautifulsoup4 (its own parser, no compiled one): scripts,
styles, navigation, headers, footers and asides go; the ``<article>`` (or
``<main>``, or the body) is kept as one paragraph per block (``<p>``, headings,
list items, quotes), blank lines between, whitespace collapsed, so each quote
taken from it is found in it again. A PDF's text layer is read with pypdf, page
by page; a scan with no text layer is refused, as is anything else that is not
text. The libraries are imported only when a file needs them.
"""

from __future__ import annotations

import io
import re

TEXT, HTML, PDF = "text", "html", "pdf"
_BLOCKS = ["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote", "pre", "figcaption", "dt", "dd", "td", "th"]
_DROPPED = ["script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "svg", "button"]


class Unreadable(ValueError):
    """The file's content cannot be read as its kind; the message says why, for a one-line error."""


def kind_of(name: str, data: bytes) -> str:
    """PDF by its signature, HTML by its extension or its opening markup, else plain text."""
    if data.startswith(b"%PDF-"):
        return PDF
    head = data[:1024].lstrip().lower()
    if name.lower().endswith((".html", ".htm", ".xhtml")) or head.startswith((b"<!doctype html", b"<html")):
        return HTML
    return TEXT


def html_text(data: bytes | str) -> str:
    """The readable text of an HTML page, one block per paragraph (see the module's docstring)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(data, "html.parser")
    for tag in soup(_DROPPED):
        tag.decompose()
    for br in soup("br"):
        br.replace_with("\n")
    root = soup.find("article") or soup.find("main") or soup.body or soup
    blocks = []
    for element in root.find_all(_BLOCKS):
        if element.find(_BLOCKS):
            continue  # a block holding blocks: its inner ones are taken
        text = " ".join(element.get_text("").split())
        if text:
            blocks.append(text)
    if not blocks:
        blocks = [" ".join(root.get_text(" ").split())]
    return "\n\n".join(b for b in blocks if b)


def pdf_text(data: bytes) -> str:
    """The text layer of a PDF, pages separated by a blank line."""
    import logging
    import warnings

    from pypdf import PdfReader

    log = logging.getLogger("pypdf")
    level, log.level = log.level, logging.CRITICAL  # its complaints about a damaged file are the one error line's
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                raise Unreadable("is an encrypted PDF")
            pages = [page.extract_text() or "" for page in reader.pages]
    except Exception as exc:  # a damaged file fails in many ways inside the parser; each means it cannot be read
        if isinstance(exc, Unreadable):
            raise
        raise Unreadable(f"is not a readable PDF ({exc.__class__.__name__})") from None
    finally:
        log.setLevel(level)
    text = "\n\n".join(re.sub(r"[ \t]+\n", "\n", page).strip() for page in pages if page.strip())
    if not text:
        raise Unreadable("is a PDF with no text layer (a scan?)")
    return text
