"""Cases met on real-world PDFs (tests/corpus), rebuilt small: each failed before its fix.

Outputs are read with PDFium (text, positions, pixels) and pdfminer.six, never with the
engine that wrote them.
"""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pypdfium2 as pdfium
from typer.testing import CliRunner

from redactor.cli.app import app
from redactor.pipeline import make_plan
from tests.builders import pages_text, write_rules
from tests.corpus.harness import CORPUS

runner = CliRunner()


def _apply(source: Path, rules: Path, out: Path) -> None:
    result = runner.invoke(app, ["apply", str(source), str(rules), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output


def _chars(pdf: Path, index: int) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Characters of one page by PDFium, with boxes in top-left coordinates."""
    doc = pdfium.PdfDocument(str(pdf))
    page = doc[index]
    height = page.get_height()
    textpage = page.get_textpage()
    chars = []
    for i in range(textpage.count_chars()):
        left, bottom, right, top = textpage.get_charbox(i)
        chars.append((textpage.get_text_range(i, 1), (left, height - top, right, height - bottom)))
    return chars


def test_a_crop_box_away_from_the_media_box_origin_keeps_released_text(tmp_path: Path) -> None:
    """Text is placed from the crop box's corner, page boxes from the media box's: both must agree."""
    doc = pymupdf.open()
    page = doc.new_page(width=680, height=800)
    page.insert_text((130, 160), "Many of the designations used here are released.", fontsize=11)
    page.insert_text((130, 200), "The codename HAWTHORN stays withheld.", fontsize=11)
    page.set_cropbox(pymupdf.Rect(112, 77, 562, 725))
    doc.save(tmp_path / "cropped.pdf")
    rules = write_rules(tmp_path, "- {id: p, release: {pages: '1'}}\n- {id: w, withhold: {text: 'HAWTHORN'}}")
    out = tmp_path / "out.pdf"
    _apply(tmp_path / "cropped.pdf", rules, out)
    text = pages_text(out)[1]
    assert "Many of the designations used here are released." in text
    assert "HAWTHORN" not in text and "The codename" in text


def test_a_page_released_by_number_keeps_a_page_of_running_text_only(tmp_path: Path) -> None:
    """A pages rule on pages holding only furniture is not "matches nothing": the pages are kept."""
    doc = pymupdf.open()
    for number in range(1, 5):
        doc.new_page().insert_text((72, 60), f"Page {number}", fontsize=10)
    doc.save(tmp_path / "numbers.pdf")
    rules = write_rules(tmp_path, "- {id: odd, release: {pages: '1, 3'}}")
    out = tmp_path / "out.pdf"
    _apply(tmp_path / "numbers.pdf", rules, out)
    texts = pages_text(out)
    assert any("Page 1" in t for t in texts) and any("Page 3" in t for t in texts)
    assert not any("Page 2" == t.strip() for t in texts)


def test_a_withheld_word_under_the_box_of_angled_released_text_is_removed(tmp_path: Path) -> None:
    """Released text set at 45 degrees has a large upright box; it must not shelter a withheld word."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((300, 100), "Hello Gopher!", fontsize=24)
    # The box of "two" (released, in a block partly withheld) covers most of "Gopher!".
    page.insert_text((300, 230), "Line two Hidden", fontsize=60, morph=(pymupdf.Point(300, 230), pymupdf.Matrix(45)))
    doc.save(tmp_path / "angled.pdf")
    body = "- {id: p, release: {pages: '1'}}\n- {id: w, withhold: {text: 'Gopher'}}\n- {id: h, withhold: {text: Hid}}"
    rules = write_rules(tmp_path, body)
    out = tmp_path / "out.pdf"
    _apply(tmp_path / "angled.pdf", rules, out)
    shown = "".join(c for c, _ in _chars(out, 1))
    assert "Hello" in shown and "Line" in shown
    assert not any(part in shown for part in ("Go", "op", "ph", "he", "er")), shown
    assert "Hid" not in shown, shown


def test_a_placeholder_that_does_not_fit_its_gap_is_not_drawn_over_released_words(tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = doc.new_page()
    lines = [
        "Adobe recommends using Adobe Reader or Adobe Acrobat version 8 or later to work with",
        "documents contained within a PDF Package. By updating to the newest version, you enjoy",
        "the following benefits that this line lists in full for everyone to read.",
    ]
    for i, line in enumerate(lines):
        page.insert_text((40, 100 + 14 * i), line, fontsize=11)
    doc.save(tmp_path / "dense.pdf")
    rules = write_rules(tmp_path, "- {id: p, release: {pages: '1'}}\n- {id: w, withhold: {text: 'Reader'}}")
    out = tmp_path / "out.pdf"
    _apply(tmp_path / "dense.pdf", rules, out)
    text = pages_text(out)[1]
    assert "documents contained within a PDF Package. By updating to the newest version, you enjoy" in text
    assert "the following benefits that this line lists in full for everyone to read." in text
    chars = _chars(out, 1)
    joined = "".join(c for c, _ in chars)
    start = joined.index("NOT DECLASSIFIED")
    placeholder = [box for _, box in chars[start : start + len("NOT DECLASSIFIED")] if box[2] > box[0]]
    released = [box for c, box in chars[:start] + chars[start + len("NOT DECLASSIFIED") :] if c.strip()]
    def overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
        return a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5

    assert not [(p, r) for p in placeholder for r in released if overlap(p, r)]


def test_a_coarse_released_image_shows_no_pixel_in_a_withheld_words_hole(tmp_path: Path) -> None:
    """A scan whose pixels are 10 pt wide: a pixel reaching into a withheld word's hole goes too."""
    doc = pymupdf.open()
    page = doc.new_page()
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 60, 80), False)
    pix.set_rect(pix.irect, (120, 120, 120))
    page.insert_image(page.rect, pixmap=pix)
    page.insert_text((72, 100), "Public scan words and SCANSECRET here.", fontsize=11, render_mode=3)
    doc.save(tmp_path / "scan.pdf")
    rules = write_rules(tmp_path, "- {id: p, release: {pages: '1'}}\n- {id: t, withhold: {text: 'SCANSECRET'}}")
    out = tmp_path / "out.pdf"
    _apply(tmp_path / "scan.pdf", rules, out)
    plan = make_plan(tmp_path / "scan.pdf", rules)
    (area,) = plan.pages[0].areas
    box = area.rects[0]
    scale = 2.0
    grey = pdfium.PdfDocument(str(out))[1].render(scale=scale, grayscale=True).to_numpy()
    grey = grey if grey.ndim == 2 else grey[..., :3].min(axis=-1)
    hole = grey[int(box.y0 * scale) + 1 : int(box.y1 * scale) - 1, int(box.x0 * scale) + 1 : int(box.x1 * scale) - 1]
    assert (hole == 120).sum() == 0  # no pixel of the scan's grey left inside the word's box
    outside = grey[int(150 * scale) : int(300 * scale), int(100 * scale) : int(400 * scale)]
    assert (abs(outside.astype(int) - 120) <= 2).mean() > 0.99  # the released scan is still there


def test_text_whose_tounicode_map_is_empty_stays_extractable(tmp_path: Path) -> None:
    """A CID font with an empty ToUnicode: readers use the font's cmap, which subsetting renumbers."""
    source = CORPUS / "pdfbox__pdfbox__src__test__resources__input__PDFBOX-4322-Empty-ToUnicode-reduced.pdf"
    assert "Justin" in pdfium.PdfDocument(str(source))[0].get_textpage().get_text_range()
    rules = write_rules(tmp_path, "- {id: p, release: {pages: '1'}}")
    out = tmp_path / "out.pdf"
    _apply(source, rules, out)
    assert "Justin" in pdfium.PdfDocument(str(out))[1].get_textpage().get_text_range()
