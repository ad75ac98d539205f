"""Kept pages written in worker processes give the very same extract as written here."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pymupdf
import pypdfium2 as pdfium
import pytest

from redactor.pipeline import make_plan
from redactor.render import pages
from redactor.render.extract import render_extract
from tests.builders import paragraph, write_rules

#: Workers start from this many kept pages in these tests (far fewer than by default).
LOW = 24
PAGES = LOW + 16


@pytest.fixture(autouse=True)
def _workers_from_few_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pages, "PARALLEL_FROM", LOW)


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
    assert sum(p.disposition == "kept" for p in plan.pages) >= pages.parallel_from()
    serial = render_extract(plan, str(source), jobs=1).pdf
    parallel = render_extract(plan, str(source), jobs=2).pdf
    assert hashlib.sha256(serial).hexdigest() == hashlib.sha256(parallel).hexdigest()
    doc = pdfium.PdfDocument(parallel)
    text = "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    assert "KESTREL" not in text
    assert all(f"Released paragraph of page {n} that anyone may read in full." in text for n in (1, PAGES))


def test_apply_jobs_gives_the_same_file(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from redactor.cli.app import app

    source = _source(tmp_path / "source.pdf")
    rules = write_rules(tmp_path, "- {id: all, release: {pages: '1-end'}}\n- {id: k, withhold: {block: KESTREL}}")
    digests = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out-{jobs}.pdf"
        result = CliRunner().invoke(app, ["apply", str(source), str(rules), "-o", str(out), "-q", "--jobs", jobs])
        assert result.exit_code == 0, result.output
        digests.append(hashlib.sha256(out.read_bytes()).hexdigest())
    assert digests[0] == digests[1]
