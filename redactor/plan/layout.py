"""Text fitting for what the writer draws: placeholders and marking replacements.

Placeholders are Helvetica-Bold (a base-14 font, nothing to embed), all at one size per
document; marking replacements keep the original's size unless they would run into text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache

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


@lru_cache(maxsize=4096)
def text_width(text: str, size: float, bold: bool = True) -> float:
    """Width of ``text`` in points in Helvetica(-Bold) at ``size`` (the same few texts recur)."""
    import pymupdf

    return float(pymupdf.get_text_length(text, fontname=PLACEHOLDER_FONT if bold else BODY_FONT, fontsize=size))


def place_placeholder(
    text: str,
    rects: list[Rect],
    size: float,
    page_width: float,
    released: Callable[[], Sequence[Rect]] = tuple,
) -> tuple[float, float]:
    """Where a run's placeholder starts (its baseline origin), at the document's one size.

    In the first rectangle of the run wide enough to hold it; otherwise on a line of its own
    near the run: below its first line, above it, then further below and above, in the free
    stretch nearest the run (a stretch is free when it covers none of ``released()``, the
    released text boxes, asked for only then: a placeholder is not drawn over released words). When nothing
    near is free, below the first line. A placeholder is never shrunk to the gap it stands
    in: its size would give the withheld text's width away.
    """
    width = text_width(text, size) + PLACEHOLDER_MARGIN
    for rect in rects:
        if rect.width >= width:
            return rect.x0, rect.y0 + min(rect.height, size * LINE_HEIGHT) * BASELINE_SHARE
    height = size * LINE_HEIGHT
    first = rects[0]
    occupied = released()
    tops = [first.y1, first.y0 - height]
    for step in range(1, NEARBY_LINES + 1):
        tops += [first.y1 + step * height, first.y0 - (step + 1) * height]
    for top in tops:
        x = _free_x(first.x0, width, page_width, [r for r in occupied if r.y0 < top + height and top < r.y1])
        if x is not None:
            return x, top + height * BASELINE_SHARE
    return _fit_x(first.x0, width, page_width), first.y1 + height * BASELINE_SHARE


def placeholder_box(text: str, origin: tuple[float, float], size: float) -> Rect:
    """The box a placeholder drawn at ``origin`` takes (with its margin)."""
    height = size * LINE_HEIGHT
    top = origin[1] - height * BASELINE_SHARE
    return Rect(origin[0], top, origin[0] + text_width(text, size) + PLACEHOLDER_MARGIN, top + height)


#: How many placeholder lines above and below a run its placeholder may move to.
NEARBY_LINES = 3


def _free_x(near: float, width: float, page_width: float, blocking: Sequence[Rect]) -> float | None:
    """The start of a free stretch of ``width`` nearest ``near`` and at most ``width`` from it, or None."""
    lo, hi = PLACEHOLDER_MARGIN, page_width - PLACEHOLDER_MARGIN
    edges = sorted((max(r.x0, lo), min(r.x1, hi)) for r in blocking if r.x1 > lo and r.x0 < hi)
    gaps: list[tuple[float, float]] = []
    start = lo
    for x0, x1 in edges:
        if x0 > start:
            gaps.append((start, x0))
        start = max(start, x1)
    gaps.append((start, hi))
    best: float | None = None
    for g0, g1 in gaps:
        if g1 - g0 < width:
            continue
        x = min(max(near, g0), g1 - width)
        if abs(x - near) > width:
            continue  # too far from its gap to read as standing for it
        if best is None or abs(x - near) < abs(best - near):
            best = x
    return best


def _fit_x(x: float, width: float, page_width: float) -> float:
    """``x`` moved left as far as needed for ``width`` to stay on the page."""
    return max(PLACEHOLDER_MARGIN, min(x, page_width - width - PLACEHOLDER_MARGIN))


def placeholder_size(body_size: float) -> float:
    """The document's one placeholder size: its body text size, within legible bounds."""
    return round(max(COMFORTABLE_SIZE, min(MAX_PLACEHOLDER_SIZE, body_size or MAX_PLACEHOLDER_SIZE)), 2)


def marking_size(text: str, size: float, room: float, bold: bool) -> float:
    """A replacement marking's size: the original's, shrunk if it would run into released text."""
    width = text_width(text, size, bold)
    if width <= room or room <= 0:
        return size
    return round(max(MIN_SIZE, size * room / width), 2)
