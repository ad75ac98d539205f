"""Kept pages written in worker processes give the very same extract as written here."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pymupdf
import pypdfium2 as pdfium

from redactor.pipeline import make_plan
from redactor.render.extract import render_extract
from redactor.render.pages import PARALLEL_FROM
from tests.builders import paragraph, write_rules

PAGES = PARALLEL_FROM + 16


def _source(path: Path) -> Path:
    doc = pymupdf.open()
    for number in range(1, PAGES + 1):
        page = doc.new_page()
        y = paragraph(page, 100, [f"{number}. Section heading of page {number}"], size=14, font="hebo")
        y = paragraph(page, y, [f"Released paragraph of page {number} that anyone may read in full."])
        paragraph(page, y, [f"Withheld paragraph naming agent KESTREL{number} on page {number}."])
    doc.save(path)
    return path


def test_the_extract_is_the_same_whatever_the_number_of_workers(tmp_path: Path) -> None:
    source = _source(tmp_path / "source.pdf")
    rules = write_rules(tmp_path, "- {id: all, release: {pages: '1-end'}}\n- {id: k, withhold: {block: KESTREL}}")
    plan = make_plan(source, rules)
    assert sum(p.disposition == "kept" for p in plan.pages) >= PARALLEL_FROM
    serial = render_extract(plan, str(source), jobs=1).pdf
    parallel = render_extract(plan, str(source), jobs=2).pdf
    assert hashlib.sha256(serial).hexdigest() == hashlib.sha256(parallel).hexdigest()
    doc = pdfium.PdfDocument(parallel)
    text = "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    assert "KESTREL" not in text
    assert all(f"Released paragraph of page {n} that anyone may read in full." in text for n in (1, PAGES))
