"""A withheld span at the end of a justified line: the released words leave no stretch behind.

Each case is a justified paragraph whose first line ends in a withheld name, built twice
with names of different widths and the line justified to the same column each time (by
word spacing, by offsets between words, or by placing each word). The extracts are read
with pikepdf and PDFium, never with PyMuPDF (which wrote them): the kept page's content
must be the same bytes whatever the name's width, hold no word spacing of that line, and
still show the released words, at natural spacing from the line's start.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pikepdf
import pymupdf
import pypdfium2  # type: ignore[import-untyped]
import pytest
from typer.testing import CliRunner

from redactor.cli.app import app
from redactor.pipeline import make_plan
from tests.builders import helvetica_pdf, write_rules

runner = CliRunner()
SIZE = 11.0
LEFT, RIGHT = 72.0, 300.0
TOP = 742.0
LEADING = 14.0
FIRST = "The minister met with".split()
REST = [
    "and the delegation of the other states for".split(),
    "some hours about the matters of the day in".split(),
    "Brussels last week.".split(),
]


def _width(text: str) -> float:
    return float(pymupdf.get_text_length(text, fontname="helv", fontsize=SIZE))


def _line_ops(words: list[str], y: float, style: str, justified: bool) -> bytes:
    """One line set to fill LEFT..RIGHT (unless the paragraph's last line) in one style."""
    space = _width(" ")
    gaps = len(words) - 1
    natural = sum(_width(w) for w in words) + gaps * space
    extra = (RIGHT - LEFT - natural) / gaps if justified and gaps else 0.0
    assert extra >= 0
    if style == "Tw":
        text = " ".join(words)
        return f"{extra:.4f} Tw 1 0 0 1 {LEFT} {y} Tm ({text}) Tj".encode("cp1252")
    if style == "TJ":
        step = -(space + extra) * 1000 / SIZE
        items = f" {step:.3f} ".join(f"({w})" for w in words)
        return f"0 Tw 1 0 0 1 {LEFT} {y} Tm [{items}] TJ".encode("cp1252")
    # one positioned show per word
    parts, x = [], LEFT
    for word in words:
        parts.append(f"1 0 0 1 {x:.4f} {y} Tm ({word}) Tj")
        x += _width(word) + space + extra
    return ("0 Tw " + " ".join(parts)).encode("cp1252")


def _source(folder: Path, style: str, name: str) -> Path:
    lines = [FIRST + name.split(), *REST]
    ops = [_line_ops(words, TOP - i * LEADING, style, justified=i < len(lines) - 1) for i, words in enumerate(lines)]
    return _source_with(folder, b"BT /F1 11 Tf " + b" ".join(ops) + b" ET")


def _source_with(folder: Path, content: bytes) -> Path:
    return helvetica_pdf(folder / "source.pdf", content)


def _extract(folder: Path, style: str, name: str) -> Path:
    folder.mkdir()
    source = _source(folder, style, name)
    rules = write_rules(
        folder, f"- {{id: p, release: {{block: 'minister'}}}}\n- {{id: n, withhold: {{text: '{name}'}}}}"
    )
    out = folder / "extract.pdf"
    result = runner.invoke(app, ["apply", str(source), str(rules), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    return out


def _kept_content(path: Path) -> bytes:
    """The kept page's content, its streams joined (the cover sheet comes first)."""
    with pikepdf.open(path) as pdf:
        page = pdf.pages[-1]
        page.contents_coalesce()
        return bytes(page.Contents.read_bytes())


def _operands(path: Path, operator: str) -> list[list[object]]:
    with pikepdf.open(path) as pdf:
        return [list(i.operands) for i in pikepdf.parse_content_stream(pdf.pages[-1]) if str(i.operator) == operator]


def _last_page(path: Path) -> pypdfium2.PdfPage:
    document = pypdfium2.PdfDocument(str(path))
    return document[len(document) - 1]


def _char_x(path: Path) -> tuple[str, list[float]]:
    textpage = _last_page(path).get_textpage()
    text = textpage.get_text_range()
    xs = [textpage.get_charbox(i)[0] for i in range(len(text))]
    return text, xs


@pytest.mark.parametrize("style", ["Tw", "TJ", "Td"])
def test_the_extract_does_not_depend_on_the_width_of_a_line_end_span(tmp_path: Path, style: str) -> None:
    wide = _extract(tmp_path / "wide", style, "Colonel Smithson")
    narrow = _extract(tmp_path / "narrow", style, "Li Wu")

    contents = [_kept_content(p) for p in (wide, narrow)]
    assert contents[0] == contents[1]

    (text, xs), (text_narrow, xs_narrow) = _char_x(wide), _char_x(narrow)
    assert text == text_narrow and xs == pytest.approx(xs_narrow, abs=0.01)
    assert "The minister met with" in text
    for withheld in ("Colonel", "Smithson", "Li Wu"):
        assert withheld not in text
    assert "NOT DECLASSIFIED" in text


@pytest.mark.parametrize("style", ["Tw", "TJ", "Td"])
def test_a_line_end_span_leaves_no_word_spacing_and_natural_gaps(tmp_path: Path, style: str) -> None:
    out = _extract(tmp_path / "case", style, "Colonel Smithson")
    spacings = {round(float(operands[0]), 3) for operands in _operands(out, "Tw")}  # type: ignore[arg-type]
    source_spacing = (RIGHT - LEFT - _width(" ".join(FIRST + ["Colonel", "Smithson"]))) / 5
    if style == "Tw":
        assert round(source_spacing, 3) not in spacings

    # the released words of the first line stand as if set at natural spacing from its start
    natural = tmp_path / "natural.pdf"
    reference = pymupdf.open()
    reference.new_page(width=595, height=842).insert_text(
        (LEFT, 842 - TOP), " ".join(FIRST), fontname="helv", fontsize=SIZE
    )
    reference.save(natural)
    text, xs = _char_x(out)
    ref_text, ref_xs = _char_x(natural)
    at, ref_at = text.index("The minister"), ref_text.index("The minister")
    span = len("The minister met with")
    assert xs[at : at + span] == pytest.approx(ref_xs[ref_at : ref_at + span], abs=0.05)
    # the other, fully released lines keep their place
    and_at = text.index("and the delegation")
    assert xs[and_at] == pytest.approx(LEFT, abs=1.0)
    brussels = text.index("Brussels")
    assert xs[brussels] == pytest.approx(LEFT, abs=1.0)


def _plan_of(folder: Path, first: list[str], name: str, withheld: str) -> tuple[Any, list[Any]]:
    """The plan of a paragraph whose first line is ``first`` + ``name`` (Td style)."""
    folder.mkdir()
    lines = [first + name.split(), *REST]
    ops = [_line_ops(words, TOP - i * LEADING, "Td", justified=i < len(lines) - 1) for i, words in enumerate(lines)]
    source = _source_with(folder, b"BT /F1 11 Tf " + b" ".join(ops) + b" ET")
    rules = write_rules(
        folder, f"- {{id: p, release: {{block: 'delegation'}}}}\n- {{id: n, withhold: {{text: '{withheld}'}}}}"
    )
    plan = make_plan(source, rules)
    rows = list(plan.pages[0].respaced)
    return plan, rows


def test_a_list_marker_keeps_its_indent_and_a_withheld_gap_its_width(tmp_path: Path) -> None:
    plan, rows = _plan_of(
        tmp_path / "list", ["•", "The", "Li", "minister", "met"], "Colonel Smithson", "Li|Colonel Smithson"
    )
    assert len(rows) == 1
    words = {plan.document.words[w.word_id].text: w for w in rows[0].words}
    assert list(words) == ["•", "The", "minister", "met"]
    assert words["•"].shift == 0 and words["The"].shift == 0  # the marker's tab stop stays
    # "minister" follows a withheld word: that gap keeps its width, so it moves only by
    # what "The" moved (nothing); "met" closes up to natural spacing after it.
    assert words["minister"].shift == 0
    assert words["met"].shift < -1
    assert all(w.shift <= 0 for w in rows[0].words)


def test_a_row_ending_in_released_words_is_not_respaced(tmp_path: Path) -> None:
    _plan, rows = _plan_of(tmp_path / "mid", ["The", "minister", "met"], "Colonel Smithson here", "Colonel Smithson")
    assert rows == []
