"""Sources whose fonts PyMuPDF embedded (insert_font) go through ligature decomposition."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pypdfium2
from typer.testing import CliRunner

from redactor.cli.app import app
from redactor.render.ligatures import _read_ranges
from tests.builders import write_rules

DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def test_five_digit_targets_are_code_points_not_a_crash() -> None:
    mapping: dict[bytes, str] = {}
    _read_ranges([b"<160d>", b"<160e>", b"<1ee24>"], mapping)
    assert mapping == {b"160D": "\U0001ee24", b"160E": "\U0001ee25"}
    _read_ranges([b"<0041>", b"<0042>", b"<0041>"], mapping)
    assert mapping[b"0041"] == "A" and mapping[b"0042"] == "B"


def test_a_source_with_fonts_embedded_by_pymupdf_is_released(tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_font(fontname="dejavu", fontfile=DEJAVU)
    page.insert_text((72, 100), "Public paragraph alpha released to all.", fontname="dejavu", fontsize=11)
    page.insert_text(
        (72, 200), "Secret paragraph \u0394\u03b5\u03bb\u03c4\u03b1 kept back.", fontname="dejavu", fontsize=11
    )
    source = tmp_path / "embedded.pdf"
    doc.save(source)
    rules = write_rules(tmp_path, "- id: public\n  release: {block: '^Public'}\n")
    out = tmp_path / "out.pdf"
    result = CliRunner().invoke(app, ["apply", str(source), str(rules), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    pdf = pypdfium2.PdfDocument(str(out))
    text = " ".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    assert "Public paragraph alpha released to all." in text and "Secret" not in text
