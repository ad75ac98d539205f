"""One-page PDFs whose text is coded unlike how it reads: ligatures, invisible characters, letters drawn one by one."""

from __future__ import annotations

import os
from pathlib import Path

import pymupdf
import pytest

#: A font with glyphs for the ligatures (U+FB00..FB06) and the zero-width characters.
_FONTS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
)
SIZE = 11.0
LINE = SIZE * 1.25


def full_font() -> str:
    """The path of a font that draws every character of these cases (fails when there is none: .ci/run installs it).

    The built-in base-14 fonts cannot: they draw a ligature or a zero-width character as
    "·" and a soft hyphen as "-", and that is what gets extracted.
    """
    found = next((p for p in _FONTS if os.path.exists(p)), None)
    if found is None:  # pragma: no cover - depends on the machine's fonts
        pytest.fail("no font with ligature and zero-width glyphs: install fonts-dejavu-core (.ci/run does)")
    return found


def one_page(path: Path, lines: list[str], font: str | None = None) -> Path:
    """A one-page PDF of the given lines, one paragraph, in ``font`` (a file) or Helvetica."""
    doc = pymupdf.open()
    page = doc.new_page()
    name = "helv"
    if font is not None:
        page.insert_font(fontname="F0", fontfile=font)
        name = "F0"
    for i, line in enumerate(lines):
        page.insert_text((72, 100 + i * LINE), line, fontsize=SIZE, fontname=name)
    doc.save(path)
    return path


def letter_by_letter(path: Path, words: list[str], gap: float, lead: str = "", tail: str = "") -> Path:
    """Each letter of ``words`` drawn on its own (one text object each), ``gap`` x size apart.

    ``lead`` and ``tail`` are ordinary text before and after, on the same line.
    """
    doc = pymupdf.open()
    page = doc.new_page()
    font = pymupdf.Font("helv")
    x = 72.0
    if lead:
        page.insert_text((x, 100), lead, fontsize=SIZE)
        x += font.text_length(lead + " ", fontsize=SIZE)
    for word in words:
        for ch in word:
            page.insert_text((x, 100), ch, fontsize=SIZE)
            x += font.text_length(ch, fontsize=SIZE) + gap * SIZE
        x += font.text_length(" ", fontsize=SIZE)
    if tail:
        page.insert_text((x, 100), tail, fontsize=SIZE)
    doc.save(path)
    return path
