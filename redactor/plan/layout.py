"""Text fitting for what the writer draws: placeholders and marking replacements.

Placeholders are Helvetica-Bold (a base-14 font, nothing to embed), all at one size per
document; marking replacements keep the original's size unless they would run into text.
"""

from __future__ import annotations

from redactor.geometry import Rect

#: Placeholders are never drawn larger than this, whatever the withheld text's size.
MAX_PLACEHOLDER_SIZE = 12.0
#: Placeholders are never drawn smaller than this, whatever the body text's size.
COMFORTABLE_SIZE = 7.0
#: Height of a line of placeholder text as a multiple of its size, and its baseline's share of it.
LINE_HEIGHT = 1.38
BASELINE_SHARE = 0.78
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


def place_placeholder(text: str, rects: list[Rect], size: float, page_width: float) -> tuple[float, float]:
    """Where a run's placeholder starts (its baseline origin), at the document's one size.

    In the first rectangle of the run wide enough to hold it; otherwise below the run's
    first line, moved left if it would run off the page. A placeholder is never shrunk to
    the gap it stands in: its size would give the withheld text's width away.
    """
    width = text_width(text, size) + PLACEHOLDER_MARGIN
    for rect in rects:
        if rect.width >= width:
            return rect.x0, rect.y0 + min(rect.height, size * LINE_HEIGHT) * BASELINE_SHARE
    first = rects[0]
    x = max(PLACEHOLDER_MARGIN, min(first.x0, page_width - width - PLACEHOLDER_MARGIN))
    return x, first.y1 + size * LINE_HEIGHT * BASELINE_SHARE


def placeholder_size(body_size: float) -> float:
    """The document's one placeholder size: its body text size, within legible bounds."""
    return round(max(COMFORTABLE_SIZE, min(MAX_PLACEHOLDER_SIZE, body_size or MAX_PLACEHOLDER_SIZE)), 2)


def marking_size(text: str, size: float, room: float, bold: bool) -> float:
    """A replacement marking's size: the original's, shrunk if it would run into released text."""
    width = text_width(text, size, bold)
    if width <= room or room <= 0:
        return size
    return round(max(MIN_SIZE, size * room / width), 2)
