"""Text fitting for what the writer draws: placeholders and marking replacements.

Placeholders are Helvetica-Bold (a base-14 font, nothing to embed); sizes are chosen so
the text fits the removed area, since PyMuPDF silently drops overlay text that does not fit.
"""

from __future__ import annotations

from redactor.geometry import Rect

#: Placeholders are never drawn larger than this, whatever the withheld text's size.
MAX_PLACEHOLDER_SIZE = 12.0
#: Below this size a placeholder is moved to a wider rectangle of the run, if it has one.
COMFORTABLE_SIZE = 7.0
#: Never smaller than this: a placeholder must stay legible.
MIN_SIZE = 4.0
#: Room left after a placeholder so it does not run into the next released word.
PLACEHOLDER_MARGIN = 3.0
PLACEHOLDER_FONT = "hebo"
BODY_FONT = "helv"


def text_width(text: str, size: float, bold: bool = True) -> float:
    """Width of ``text`` in points in Helvetica(-Bold) at ``size``."""
    import pymupdf

    return float(pymupdf.get_text_length(text, fontname=PLACEHOLDER_FONT if bold else BODY_FONT, fontsize=size))


def fit_placeholder(text: str, rects: list[Rect], word_size: float) -> tuple[Rect, float]:
    """The rectangle of a run to draw its placeholder in, and the font size.

    The run's first rectangle when the text fits there at a comfortable size; otherwise the
    first rectangle where it does; otherwise the widest, with the text shrunk to fit.
    """
    base = max(MIN_SIZE, min(MAX_PLACEHOLDER_SIZE, word_size or MAX_PLACEHOLDER_SIZE))
    unit = text_width(text, 1.0) or 1.0
    for rect in rects:
        size = min(base, (rect.width - PLACEHOLDER_MARGIN) / unit)
        if size >= min(base, COMFORTABLE_SIZE):
            return rect, round(size, 2)
    widest = max(rects, key=lambda r: r.width)
    return widest, round(max(MIN_SIZE, min(base, (widest.width - PLACEHOLDER_MARGIN) / unit)), 2)


def marking_size(text: str, size: float, room: float, bold: bool) -> float:
    """A replacement marking's size: the original's, shrunk if it would run into released text."""
    width = text_width(text, size, bold)
    if width <= room or room <= 0:
        return size
    return round(max(MIN_SIZE, size * room / width), 2)
