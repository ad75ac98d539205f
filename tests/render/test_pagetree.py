"""The extract's page tree: folded into nodes as pages arrive, every page in its place."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pymupdf
import pypdfium2 as pdfium
import pytest

from redactor.pipeline import make_plan
from redactor.render import pagetree
from redactor.render.extract import render_extract
from redactor.render.pagetree import ShallowPageTree
from tests.builders import paragraph, write_rules


def _page(number: int) -> bytes:
    with pymupdf.open() as one:
        one.new_page(width=200, height=200).insert_text((20, 100), f"Page number {number}", fontsize=12)
        return bytes(one.tobytes())


def _grown(count: int) -> bytes:
    out = pymupdf.open()
    tree = ShallowPageTree(out)
    for number in range(1, count + 1):
        with pymupdf.open("pdf", _page(number)) as one:
            out.insert_pdf(one, links=0, annots=0, widgets=0)
        tree.fold()
    data = bytes(out.tobytes(garbage=4, deflate=True))
    out.close()
    return data


def test_pages_appended_one_by_one_stay_in_order_in_nodes_of_fanout_pages() -> None:
    count = 3 * pagetree.FANOUT + 7
    data = _grown(count)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root.Pages
        kids = list(root.Kids)
        nodes = [k for k in kids if k.Type == pikepdf.Name.Pages]
        assert len(nodes) == 3 and all(len(n.Kids) == n.Count == pagetree.FANOUT for n in nodes)
        assert all(k.Parent.objgen == root.objgen for k in kids)
        assert all(p.Parent.objgen == n.objgen for n in nodes for p in n.Kids)
        assert len(kids) == 3 + 7 and int(root.Count) == count == len(pdf.pages)
        assert not pdf.check_pdf_syntax()  # qpdf finds nothing wrong
    doc = pdfium.PdfDocument(data)
    assert len(doc) == count
    texts = [doc[i].get_textpage().get_text_range().strip() for i in range(count)]
    assert texts == [f"Page number {n}" for n in range(1, count + 1)]


def test_a_short_document_keeps_a_flat_tree() -> None:
    with pikepdf.open(io.BytesIO(_grown(pagetree.FANOUT))) as pdf:
        assert all(k.Type == pikepdf.Name.Page for k in pdf.Root.Pages.Kids)


def test_the_extract_reads_the_same_with_small_nodes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Kept, placeholder and condensed pages folded four at a time: same pages, same text."""
    doc = pymupdf.open()
    for number in range(1, 31):
        page = doc.new_page()
        y = paragraph(page, 100, [f"{number}. Heading of page {number}"], size=14, font="hebo")
        paragraph(page, y, [f"Paragraph of page {number}, naming KESTREL{number} when withheld."])
    doc.save(tmp_path / "source.pdf")
    rules = write_rules(
        tmp_path,
        "- {id: all, release: {pages: '1-end'}}\n"
        "- {id: w, withhold: {pages: '5-7'}}\n"
        "- {id: c, condense: {pages: '12-20'}}\n"
        "- {id: k, withhold: {block: 'KESTREL2'}}",
    )
    plan = make_plan(tmp_path / "source.pdf", rules)
    flat = render_extract(plan, str(tmp_path / "source.pdf")).pdf
    monkeypatch.setattr(pagetree, "FANOUT", 4)
    folded = render_extract(plan, str(tmp_path / "source.pdf")).pdf
    with pikepdf.open(io.BytesIO(folded)) as pdf:
        assert any(k.Type == pikepdf.Name.Pages for k in pdf.Root.Pages.Kids)
    a, b = pdfium.PdfDocument(flat), pdfium.PdfDocument(folded)
    assert len(a) == len(b)
    for i in range(len(a)):
        assert a[i].get_textpage().get_text_range() == b[i].get_textpage().get_text_range()
        assert a[i].get_size() == b[i].get_size()
    text = "\n".join(b[i].get_textpage().get_text_range() for i in range(len(b)))
    assert "KESTREL2 when" not in text  # the withheld paragraph of page 2
    assert "Paragraph of page 1, naming KESTREL1 when withheld." in text
    assert "NOT DECLASSIFIED" in text
