"""Small PDFs built in the tests, with PyMuPDF, and rule-file text helpers."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pymupdf

HEADER = "RESTREINT UE/EU RESTRICTED"
NUMBER = "TEST 1/26"

RULES_HEAD = """\
version: 1
document: {number: "TEST 1/26", dated: 2026-01-05, classification: "RESTREINT UE/EU RESTRICTED", subject: "Test"}
release: {extract: 1, date: 2026-02-01, place: Brussels, issuer: "TEST ISSUER"}
markings:
  - {find: "RESTREINT UE/EU RESTRICTED", replace: ""}
  - {find: "TEST 1/26", replace: "TEST 1/26 EXT 1 (01.02.2026)"}
reasons:
  sec: "Regulation (EC) No 1049/2001, Article 4(1)(a)"
"""


#: Rules for the document ``build_document`` makes: sections released, blocks and names withheld.
SAMPLE_RULES = """
- id: intro
  release: {section: '^1\\. Introduction'}
- id: background
  withhold: {block: 'background paragraph'}
  reason: sec
- id: names
  withhold: {text: 'Operation [A-Z][a-z]+'}
  reason: sec
- id: summary
  release: {section: '^2\\.1 Public summary'}
- id: secret-delta
  withhold: {block: 'SECRETDELTA'}
- id: secret-echo
  withhold: {block: 'SECRETECHO'}
"""


def rules_text(rules: str, head: str = RULES_HEAD) -> str:
    """A complete rule file: the common head plus the given ``rules:`` body."""
    return head + "rules:\n" + textwrap.indent(textwrap.dedent(rules).strip("\n"), "  ") + "\n"


def write_rules(folder: Path, rules: str, name: str = "rules.yaml") -> Path:
    path = folder / name
    path.write_text(rules_text(rules), encoding="utf-8")
    return path


def page_with_furniture(doc: pymupdf.Document, number: int) -> pymupdf.Page:
    page = doc.new_page()
    page.insert_text((72, 40), HEADER, fontsize=9)
    page.insert_text((72, 815), f"{NUMBER}", fontsize=9)
    page.insert_text((520, 815), f"{number}", fontsize=9)
    return page


def paragraph(page: pymupdf.Page, y: float, lines: list[str], size: float = 11, font: str = "helv") -> float:
    """Lines at 13 pt spacing from baseline y; returns the y after a paragraph gap."""
    for line in lines:
        page.insert_text((72, y), line, fontsize=size, fontname=font)
        y += size * 1.25
    return y + 18


def build_document(path: Path) -> Path:
    """A 6-page document: sections across pages, a hyphenated word, names, a withheld run of pages.

    p1: heading "1. Introduction" + paragraphs; p2-4: section "2. Operations" spanning three
    pages with a released heading "2.1 Public summary" inside; p5-6: "3. Annex" (secret).
    """
    doc = pymupdf.open()
    p = page_with_furniture(doc, 1)
    y = paragraph(p, 100, ["1. Introduction"], size=14, font="hebo")
    y = paragraph(
        p,
        y,
        [
            "The introduction is public and mentions Operation Nightjar by name.",
            "It continues with an implemen-",
            "tation detail that is released.",
        ],
    )
    y = paragraph(p, y, ["Secret background paragraph SECRETALPHA that stays withheld."])
    paragraph(p, y, ["Closing public words of the introduction page."])
    p = page_with_furniture(doc, 2)
    y = paragraph(p, 100, ["2. Operations"], size=14, font="hebo")
    y = paragraph(p, y, ["Operations paragraph one holds SECRETBRAVO details."])
    paragraph(p, y, ["Operations paragraph two holds SECRETCHARLIE details."])
    p = page_with_furniture(doc, 3)
    y = paragraph(p, 100, ["2.1 Public summary"], size=12, font="hebo")
    y = paragraph(p, y, ["The public summary of operations is released."])
    paragraph(p, y, ["Operations paragraph three holds SECRETDELTA details."])
    p = page_with_furniture(doc, 4)
    paragraph(p, 100, ["Operations paragraph four holds SECRETECHO details."])
    for n in (5, 6):
        p = page_with_furniture(doc, n)
        y = paragraph(p, 100, [f"{n - 2}. Annex part {n}"], size=14, font="hebo")
        paragraph(p, y, [f"Annex paragraph with SECRETFOXTROT{n} content."])
    doc.set_metadata({"title": "SECRETMETA title", "keywords": "SECRETKEYWORD"})
    doc.set_toc([[1, "1. Introduction", 1], [1, "SECRETOUTLINE operations", 2]])
    doc.save(path)
    return path


def text_of(pdf: Path | bytes) -> str:
    """All page text by pdfminer.six (independent of PyMuPDF)."""
    import io

    from pdfminer.high_level import extract_text

    data = pdf.read_bytes() if isinstance(pdf, Path) else pdf
    return " ".join(extract_text(io.BytesIO(data)).split())


def pages_text(pdf: Path) -> list[str]:
    """Per-page text by pdfminer.six."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTTextContainer

    result = []
    for layout in extract_pages(str(pdf)):
        result.append(" ".join(" ".join(e.get_text() for e in layout if isinstance(e, LTTextContainer)).split()))
    return result


def all_bytes_text(pdf: Path) -> str:
    """Every object and decompressed stream by pikepdf, as one string."""
    import pikepdf

    chunks: list[str] = []
    with pikepdf.open(pdf) as p:
        for obj in p.objects:
            try:
                if isinstance(obj, pikepdf.Stream):
                    chunks.append(obj.read_bytes().decode("latin-1"))
                chunks.append(repr(obj))
            except Exception:
                continue
        chunks.append(repr(p.trailer))
        chunks.append(repr(p.docinfo))
    return "\n".join(chunks)


def helvetica_pdf(path: Path, content: bytes) -> Path:
    """A one-page A4 PDF whose content stream is ``content``, with Helvetica (WinAnsi) as /F1.

    Written with pikepdf, so the operators are exactly the ones given (PyMuPDF writes its own).
    """
    import pikepdf

    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type1,
            BaseFont=pikepdf.Name.Helvetica,
            Encoding=pikepdf.Name.WinAnsiEncoding,
        )  # fmt: skip
    )
    page = pikepdf.Dictionary(
        Type=pikepdf.Name.Page,
        MediaBox=[0, 0, 595, 842],
        Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)),
        Contents=pdf.make_stream(content),
    )
    pdf.pages.append(pikepdf.Page(page))
    pdf.save(path)
    return path
