"""Furniture is what repeats apart from the page number; other numbers in the margins are content."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from redactor.pipeline import make_plan
from redactor.source.load import load_document
from tests.builders import write_rules

PAGES = 6


def _source(path: Path, footer: str) -> Path:
    doc = pymupdf.open()
    for number in range(1, PAGES + 1):
        page = doc.new_page()
        page.insert_text((72, 40), "RESTREINT UE/EU RESTRICTED", fontsize=9)
        page.insert_text((72, 100), f"Body paragraph of page {number} with its own words.", fontsize=11)
        page.insert_text((72, 815), footer.format(n=number, r=_roman(number), a=4471 + 37 * number), fontsize=9)
    doc.save(path)
    return path


def _roman(n: int) -> str:
    return ["i", "ii", "iii", "iv", "v", "vi"][n - 1]


@pytest.mark.parametrize(
    "footer", ["{n}", "- {n} -", "{n}/115", "Page {n} of 6", "{r}", "Annex {n} page {n}", "TEST 1/26 JV/fm {n}"]
)
def test_page_numbers_make_a_line_furniture(tmp_path: Path, footer: str) -> None:
    document = load_document(_source(tmp_path / "s.pdf", footer))
    bottom = [line for line in document.lines if line.rect.y0 > 780]
    assert len(bottom) == PAGES and all(line.furniture for line in bottom)


@pytest.mark.parametrize("footer", ["Carried forward from account {a}-2231: 1,204,331 EUR", "Balance {a} EUR"])
def test_other_numbers_make_it_content(tmp_path: Path, footer: str) -> None:
    source = _source(tmp_path / "s.pdf", footer)
    document = load_document(source)
    bottom = [line for line in document.lines if line.rect.y0 > 780]
    assert len(bottom) == PAGES and not any(line.furniture for line in bottom)
    plan = make_plan(
        source, write_rules(tmp_path, "- id: p\n  withhold: {pages: '2-6'}\n- id: one\n  release: {pages: '1'}\n")
    )
    for line in bottom:
        withheld = all(plan.verdicts[w].withheld for w in line.word_ids)
        assert withheld == (line.page != 1)  # withheld with their page, like any text
