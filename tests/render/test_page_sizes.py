"""Generated pages fit every source: the source's size when usual, A4 otherwise."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pypdfium2
import pytest
from typer.testing import CliRunner

from redactor.cli.app import app
from redactor.render.cover import A4, generated_page_size
from tests.builders import write_rules


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ((595.0, 842.0), (595.0, 842.0)),  # A4
        ((612.0, 792.0), (612.0, 792.0)),  # Letter
        ((420.0, 595.0), (420.0, 595.0)),  # A5
        ((842.0, 595.0), A4),  # landscape
        ((720.0, 540.0), A4),  # slides
        ((100.0, 100.0), A4),  # a label
        ((206.66, 172.02), A4),  # a figure
        ((226.0, 600.0), A4),  # a receipt
    ],
)
def test_generated_page_size(size: tuple[float, float], expected: tuple[float, float]) -> None:
    assert generated_page_size(*size) == expected


@pytest.mark.parametrize("size", [(100.0, 100.0), (720.0, 540.0), (251.92, 405.53)])
def test_small_and_wide_sources_are_released(tmp_path: Path, size: tuple[float, float]) -> None:
    doc = pymupdf.open()
    for number in (1, 2, 3):
        page = doc.new_page(width=size[0], height=size[1])
        page.insert_text((10, size[1] * 0.35), f"Public line {number} here.", fontsize=7)
        page.insert_text((10, size[1] * 0.65), f"Secret line {number} there.", fontsize=7)
    source = tmp_path / "small.pdf"
    doc.save(source)
    rules = write_rules(tmp_path, "- id: p\n  release: {block: '^Public line [13]'}\n")
    out = tmp_path / "out.pdf"
    result = CliRunner().invoke(app, ["apply", str(source), str(rules), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    pdf = pypdfium2.PdfDocument(str(out))
    sizes = [tuple(round(v) for v in pdf[i].get_size()) for i in range(len(pdf))]
    assert sizes[0] == (595, 842)  # the cover on A4
    assert (round(size[0]), round(size[1])) in sizes  # kept pages keep their own size
    text = " ".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    assert "Public line 1 here." in text and "Secret" not in text
