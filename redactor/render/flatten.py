"""Flattened kept pages: one picture of the redacted page plus an invisible layer of released words.

For the most sensitive releases (``apply --flatten``). A kept page that has a withheld area
is, after the usual removal (:mod:`redactor.render.redact`), rendered to pixels; every
withheld area is painted white in the picture (grown by :data:`AREA_MARGIN`), except for
the ink of the plan's drawn texts (placeholders, rewritten markings), which stay visible.
The page is then rebuilt from nothing: the picture (Flate, grey when the page has no
colour) and, in text render mode 3 (invisible), each released word at its own box and
size, so the page can still be searched and copied. Nothing else of the source page
(fonts, line art, images, structure) survives on it.

Coordinates are those of the plan: PDF points, top-left origin, unrotated page; the page
is rendered unrotated and the new page gets the source's rotation back.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from typing import Any

from redactor.geometry import Rect
from redactor.plan.model import DrawnText, PagePlan, Plan

#: Default resolution of flattened pages (dots per inch).
DEFAULT_DPI = 150
#: Resolutions accepted: below 72 dpi small print is unreadable, above 600 pages grow huge.
MIN_DPI = 72
MAX_DPI = 600
#: zlib level of the pictures: 9 takes eight times as long for 3% less.
FLATE_LEVEL = 6
#: Withheld areas are painted this much larger on every side (points): anti-aliased edges too.
AREA_MARGIN = 1.0
#: The invisible text's font: Base-14 Helvetica (WinAnsi) for words it can encode ...
FONT = "helv"
#: ... and the same design embedded (subset) for words with other characters.
UNICODE_FONT = "helvu"

#: A released word on the page: its text, its box (points, top-left, unrotated), its font size.
PlacedWord = tuple[str, Rect, float]


def released_words(plan: Plan, number: int) -> list[PlacedWord]:
    """The released words of source page ``number`` in reading order, as the extract shows them.

    A rewritten marking's first word carries the replacement text, placed where the plan
    draws it; withheld words and the other words of a rewritten marking are left out.
    """
    doc = plan.document
    markings = [d for d in plan.pages[number - 1].drawn if d.kind == "marking"]
    placed: list[PlacedWord] = []
    for block_id in doc.pages[number - 1].block_ids:
        for word_id in doc.blocks[block_id].word_ids:
            text = plan.word_text(word_id)
            if not text or not text.strip():
                continue
            word = doc.words[word_id]
            if word_id in plan.rewrites:
                placed.append(_marking_box(markings, text, word.rect, word.size))
            else:
                placed.append((text, word.rect, word.size))
    return placed


def _marking_box(markings: list[DrawnText], text: str, rect: Rect, size: float) -> PlacedWord:
    """A marking's replacement at its drawn position and size (the drawing nearest the word)."""
    import pymupdf

    same = [d for d in markings if d.text == text]
    if not same:  # not drawn: at the marking's first word, at its natural width
        width = pymupdf.Font(FONT).text_length(text, fontsize=size)
        return (text, Rect(rect.x0, rect.y0, rect.x0 + width, rect.y1), size)
    drawn = min(same, key=lambda d: abs(d.origin[0] - rect.x0) + abs(d.origin[1] - rect.y1))
    font = pymupdf.Font("hebo" if drawn.bold else FONT)
    x, y = drawn.origin
    right = x + font.text_length(text, fontsize=drawn.size)
    return (text, Rect(x, y - font.ascender * drawn.size, right, y - font.descender * drawn.size), drawn.size)


def flatten_page(single: Any, page_plan: PagePlan, words: list[PlacedWord], dpi: int = DEFAULT_DPI) -> None:
    """Replace page 0 of the one-page document ``single`` by its flattened version, in place.

    ``single`` holds the page with the plan's removal already done and its texts drawn;
    ``words`` are the page's released words (see :func:`released_words`).
    """
    import pymupdf

    if not MIN_DPI <= dpi <= MAX_DPI:
        raise ValueError(f"flatten resolution {dpi} dpi is outside {MIN_DPI}-{MAX_DPI}")
    page = single[0]
    rotation = page.rotation
    if rotation:
        page.set_rotation(0)
    width, height = page.rect.width, page.rect.height
    picture = page.get_pixmap(dpi=dpi, annots=False)
    _paint_areas(picture, page_plan, (width, height), dpi)

    new = pymupdf.open()
    try:
        target = new.new_page(width=width, height=height)
        encoded = _encoded(picture)
        image = target.insert_image(target.rect, pixmap=encoded, keep_proportion=False)
        # The device colour space, not MuPDF's ICC profile: the profile's own text has no place here.
        new.xref_set_key(image, "ColorSpace", "/DeviceGray" if encoded.n == 1 else "/DeviceRGB")
        # Compressed now, not when the extract is saved: the extract holds every picture until then.
        new.update_stream(image, zlib.compress(encoded.samples, FLATE_LEVEL), compress=False)
        new.xref_set_key(image, "Filter", "/FlateDecode")
        _invisible_text(new, target, words)
        if rotation:
            target.set_rotation(rotation)
        single.insert_pdf(new)
    finally:
        new.close()
    single.delete_page(0)


def _paint_areas(picture: Any, page_plan: PagePlan, size: tuple[float, float], dpi: int) -> None:
    """Every withheld rectangle white in ``picture`` but for drawn-text ink.

    Each is painted grown by the margin, then released text the margin reached is put back,
    then the rectangle itself is painted again: the margin never eats into released words.
    """
    import pymupdf

    scale = pymupdf.Matrix(dpi / 72, dpi / 72)
    ink = _drawn_texts_picture(page_plan.drawn, size, dpi) if page_plan.drawn else None
    rects = [r for area in page_plan.areas for r in area.rects]
    grown = [_grown(r, AREA_MARGIN) for r in rects]
    original = pymupdf.Pixmap(picture, 0)  # a copy (without alpha, like the picture)
    for rect in grown:
        _paint(picture, _pixels(rect, scale, picture), ink)
    for keep in page_plan.keep_rects:
        if any(keep.intersects(g) for g in grown):
            picture.copy(original, _pixels(keep, scale, picture))
    for rect in rects:
        _paint(picture, _pixels(rect, scale, picture), ink)


def _grown(rect: Rect, margin: float) -> Rect:
    return Rect(rect.x0 - margin, rect.y0 - margin, rect.x1 + margin, rect.y1 + margin)


def _pixels(rect: Rect, scale: Any, picture: Any) -> Any:
    """The pixels a rectangle (points) touches in ``picture``."""
    import pymupdf

    return (pymupdf.Rect(rect.as_tuple()) * scale).irect & picture.irect


def _paint(picture: Any, pixels: Any, ink: Any | None) -> None:
    """White over ``pixels``, or the drawn texts' picture there."""
    if pixels.is_empty:
        return
    if ink is None:
        picture.set_rect(pixels, (255,) * picture.n)
    else:
        picture.copy(ink, pixels)


def _drawn_texts_picture(drawn: Iterable[DrawnText], size: tuple[float, float], dpi: int) -> Any:
    """The plan's drawn texts alone on a white page of the same size, rendered like the page."""
    import pymupdf

    with pymupdf.open() as doc:
        page = doc.new_page(width=size[0], height=size[1])
        shape = page.new_shape()
        for text in drawn:
            shape.insert_text(
                pymupdf.Point(*text.origin),
                text.text,
                fontname="hebo" if text.bold else "helv",
                fontsize=text.size,
            )
        shape.commit()
        return page.get_pixmap(dpi=dpi, annots=False)


def _encoded(picture: Any) -> Any:
    """The picture to embed: grey when every pixel is neutral (a third of the data), else as is."""
    import pymupdf

    samples = picture.samples
    if picture.n == 3 and samples[0::3] == samples[1::3] == samples[2::3]:
        return pymupdf.Pixmap(pymupdf.csGRAY, picture.width, picture.height, samples[0::3], False)
    return picture


def _invisible_text(doc: Any, page: Any, words: list[PlacedWord]) -> None:
    """Each word in render mode 3 at its own box, sized to fit its box's width.

    One text object written directly (a word each ``Tf Tm Tj``): PyMuPDF's ``insert_text``
    costs about a millisecond a word. Base-14 Helvetica takes WinAnsi codes; the embedded
    Helvetica, only inserted when a word needs it, takes glyph ids (Identity-H).
    """
    import pymupdf

    metrics = pymupdf.Font(FONT)
    middle = (metrics.ascender + metrics.descender) / 2
    height = page.rect.height
    page.insert_font(fontname=FONT)
    unicode_font = False
    ops = ["q BT 3 Tr"]
    for text, rect, size in words:
        codes = _winansi(text)
        if codes is None and not unicode_font:
            page.insert_font(fontname=UNICODE_FONT, fontbuffer=metrics.buffer)
            unicode_font = True
        natural = sum(_advance(metrics, c) for c in text) * size
        fontsize = size if natural <= rect.width or natural <= 0 else max(size * rect.width / natural, 0.5)
        baseline = (rect.y0 + rect.y1) / 2 + middle * fontsize
        if codes is not None:
            font, shown = FONT, codes.hex()
        else:
            font, shown = UNICODE_FONT, "".join(f"{metrics.has_glyph(ord(c)):04x}" for c in text)
        ops.append(f"/{font} {_num(fontsize)} Tf 1 0 0 1 {_num(rect.x0)} {_num(height - baseline)} Tm <{shown}> Tj")
    ops.append("ET Q")
    (contents,) = page.get_contents()
    doc.update_stream(contents, page.read_contents() + "\n".join(ops).encode() + b"\n")
    if unicode_font:
        doc.subset_fonts()


def _advance(metrics: Any, char: str) -> float:
    """The character's advance width in Helvetica (em), measured once."""
    width = _ADVANCES.get(char)
    if width is None:
        width = _ADVANCES[char] = metrics.glyph_advance(ord(char))
    return width


_ADVANCES: dict[str, float] = {}


def _num(value: float) -> str:
    """A number for the content stream: three decimals at most, no trailing zeros."""
    return f"{value:.3f}".rstrip("0").rstrip(".") or "0"


def _winansi(text: str) -> bytes | None:
    """``text`` in the Base-14 font's WinAnsi encoding (Windows-1252), or None."""
    try:
        return text.encode("cp1252")
    except UnicodeEncodeError:
        return None
