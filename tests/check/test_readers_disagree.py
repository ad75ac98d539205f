"""Where PyMuPDF (which plans) and PDFium (which checks) read the same glyphs differently."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pymupdf
import pypdfium2

from redactor.check.verify import PageMap, verify_pdf
from redactor.pipeline import make_plan
from redactor.render.extract import render_extract
from tests.builders import write_rules


def test_fake_bold_word_read_twice_by_one_reader_and_once_by_the_other(tmp_path: Path) -> None:
    """Bold faked by drawing a line twice, 0.35 pt apart: PyMuPDF reads every word twice,
    PDFium once. Both copies must go, and the check must agree with the extract."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), "Public paragraph alpha released to all.", fontsize=11)
    for dx in (0.0, 0.35):
        page.insert_text((72 + dx, 200), "Director Zulubravo signed.", fontsize=11, fontname="hebo")
    source = tmp_path / "bold.pdf"
    doc.save(source)
    source_text = pypdfium2.PdfDocument(str(source))[0].get_textpage().get_text_range()
    assert source_text.count("Zulubravo") == 1  # PDFium folds the copies into one
    assert [w[4] for w in pymupdf.open(source)[0].get_text("words")].count("Zulubravo") == 2

    rules = "- id: page\n  release: {pages: '1'}\n- id: name\n  withhold: {text: 'Zulubravo'}\n"
    plan = make_plan(source, write_rules(tmp_path, rules))
    assert all(plan.verdicts[w.id].withheld for w in plan.document.words if w.text == "Zulubravo")
    extract = render_extract(plan, str(source))

    pdf = pypdfium2.PdfDocument(extract.pdf)
    texts = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    assert not any("Zulubravo" in t for t in texts)
    assert any("Director" in t and "signed." in t for t in texts)  # released around it, both copies
    report = verify_pdf(extract.pdf, plan, PageMap(extract.cover_pages, extract.item_pages))
    assert not report.leaks, report.text()


def test_a_copy_the_planner_did_not_see_is_caught_by_position(tmp_path: Path) -> None:
    """A third copy planted in the withheld place: invisible to the plan, found by PDFium."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), "Public paragraph alpha released to all.", fontsize=11)
    page.insert_text((72, 200), "Director Zulubravo signed.", fontsize=11, fontname="hebo")
    source = tmp_path / "plain.pdf"
    doc.save(source)
    rules = "- id: page\n  release: {pages: '1'}\n- id: name\n  withhold: {text: 'Zulubravo'}\n"
    plan = make_plan(source, write_rules(tmp_path, rules))
    extract = render_extract(plan, str(source))
    area = next(a for a in plan.pages[0].areas if a.word_ids)
    x0, y0, _x1, y1 = area.rects[0].as_tuple()
    with pikepdf.open(io.BytesIO(extract.pdf)) as qpdf:
        target = qpdf.pages[extract.item_pages[0][0]]
        font = qpdf.make_indirect(
            pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name("/Helvetica"))
        )
        target.Resources.Font = target.Resources.get("/Font", pikepdf.Dictionary())
        target.Resources.Font.Fzz = font
        height = float(target.mediabox[3])
        planted = f"BT /Fzz 7 Tf {x0 + 1:.2f} {height - y1 + 3:.2f} Td (Zul) Tj ET".encode()
        target.contents_add(qpdf.make_stream(planted))
        buffer = io.BytesIO()
        qpdf.save(buffer)
    report = verify_pdf(buffer.getvalue(), plan, PageMap(extract.cover_pages, extract.item_pages))
    glyphs = [f for f in report.leaks if f.kind == "glyph"]
    assert glyphs and all(f.rules == ("name",) and f.source_page == 1 for f in glyphs), report.text()
