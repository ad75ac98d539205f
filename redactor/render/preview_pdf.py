"""The PDF review copy: the source pages, nothing removed, with the plan drawn over them.

Each page keeps all its content and gets translucent boxes: red over every withheld area,
green over released content. A column added to the right of the page labels each red box
with its area number and deciding rule id(s) (or ``default``), tied to it by a leader line;
on a dense page the column widens and the labels shrink (never below 5 pt), and a page
with more labels than one column holds gets further columns, so every label stays inside
the page (:func:`layout_labels`). Dropped pages carry the placeholder wording that
replaces them in the extract, condensed ranges are framed, and marking words the extract
rewrites are boxed in orange.
Every page is stamped as still classified: this copy must never be mistaken for the
extract. The boxes and labels sit in an optional-content layer a viewer can switch off;
the stamp does not. The file is saved whole (no incremental update).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from redactor.geometry import Rect
from redactor.plan.model import OutputItem, PagePlan, Plan, WithheldArea
from redactor.plan.precedence import LEVEL_NAMES
from redactor.progress import Progress, no_progress
from redactor.source.load import open_pdf

STAMP = "REVIEW COPY — STILL CLASSIFIED — NOT FOR RELEASE"
#: Widths tried for the label column added to the right of a page (points): the narrowest
#: whose labels fit in the page's height at a legible size is used.
COLUMN_WIDTHS = (170.0, 250.0, 340.0)
#: The column's narrowest width (the column of a page with no label or few).
LABEL_COLUMN = COLUMN_WIDTHS[0]
#: Label sizes tried, largest first; no label is drawn smaller than the last.
LABEL_SIZES = (6.5, 6.0, 5.5, 5.0)
MIN_LABEL_SIZE = LABEL_SIZES[-1]
LEADING = 1.2  # line height per point of label size
LABEL_GAP = 1.0  # between two labels (points)
#: Opacity of the overlay boxes: the text under them must stay readable.
BOX_OPACITY = 0.22
MIN_TEXT_SIZE = 3.0
FONT_NAME = "RvwSans"
STAMP_SIZE = 8.0
STAMP_BAND = STAMP_SIZE + 4  # height of the stamp's bands at the top and bottom of a page
WITHHELD = (0.85, 0.08, 0.08)
RELEASED = (0.05, 0.6, 0.2)
CONDENSED = (0.1, 0.3, 0.85)
MARKING = (0.95, 0.55, 0.0)  # released marking words the extract rewrites
METADATA_KEYS = ("author", "subject", "keywords", "creator", "producer", "creationDate", "modDate")


def area_label(area: WithheldArea) -> str:
    """The margin label of a withheld area: its number, rule ids, level and reasons."""
    reasons = f" · {', '.join(area.reasons)}" if area.reasons else ""
    return f"#{area.id} {', '.join(area.rules)} ({LEVEL_NAMES.get(area.level, area.level)}){reasons}"


@dataclass(frozen=True)
class Label:
    """A label for the column: its text, and the point of its box the leader line starts from."""

    y: float  # top of the box
    right: float  # right edge of the box
    text: str
    rgb: tuple[float, float, float] = WITHHELD


@dataclass(frozen=True)
class LabelLayout:
    """Where a page's labels go: the column's width, their size, and per label its lines and place."""

    width: float  # of one column
    size: float
    columns: int
    placed: tuple[tuple[Label, int, float, tuple[str, ...]], ...]  # label, column, top, lines

    @property
    def extra(self) -> float:
        """The width the page is widened by."""
        return self.width * self.columns


class Measure:
    """Widths of text in one font, one character's advance looked up once (``Font.text_length`` is slow)."""

    def __init__(self, font: Any) -> None:
        self.font = font
        self.advances: dict[str, float] = {}

    def __call__(self, text: str, size: float) -> float:
        """The width of ``text`` at ``size`` points."""
        advances = self.advances
        total = 0.0
        for char in text:
            advance = advances.get(char)
            if advance is None:
                advance = advances[char] = self.font.text_length(char, fontsize=1.0)
            total += advance
        return total * size


def wrap(text: str, measure: Measure, size: float, width: float) -> list[str]:
    """``text`` broken into lines no wider than ``width`` (at spaces; a longer word is cut)."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if measure(candidate, size) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = word
        while measure(line, size) > width and len(line) > 1:
            cut = len(line) - 1
            while cut > 1 and measure(line[:cut], size) > width:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
    lines.append(line)
    return lines


def _place(tops: list[float], heights: list[float], top: float, bottom: float) -> list[float]:
    """Each label as near its box's top as the others allow, all between ``top`` and ``bottom``.

    Pushed down past the previous label, then, where the last runs past ``bottom``, pulled up
    again from the bottom: the labels (in order) fit whenever their heights do.
    """
    placed: list[float] = []
    cursor = top
    for want, height in zip(tops, heights, strict=True):
        placed.append(max(want, cursor))
        cursor = placed[-1] + height + LABEL_GAP
    limit = bottom
    for i in range(len(placed) - 1, -1, -1):
        placed[i] = max(top, min(placed[i], limit - heights[i]))
        limit = placed[i] - LABEL_GAP
    return placed


def layout_labels(labels: list[Label], measure: Measure, top: float, bottom: float) -> LabelLayout:
    """The labels laid out in the column between ``top`` and ``bottom``, every one inside the page.

    The narrowest column and then the largest size at which all labels fit one above the
    other is chosen; a page with more than that takes further columns of the widest width
    at the smallest size (it is widened by as many), so no label leaves the page and none
    is smaller than :data:`MIN_LABEL_SIZE`.
    """
    ordered = sorted(labels, key=lambda label: (label.y, label.right))
    room = bottom - top
    for width in COLUMN_WIDTHS:
        for size in LABEL_SIZES:
            lines = [wrap(label.text, measure, size, width - 10) for label in ordered]
            heights = [len(text) * size * LEADING for text in lines]
            if sum(heights) + LABEL_GAP * max(len(heights) - 1, 0) <= room:
                tops = _place([label.y for label in ordered], heights, top, bottom)
                placed = tuple((label, 0, y, tuple(text)) for label, y, text in zip(ordered, tops, lines, strict=True))
                return LabelLayout(width, size, 1, placed)
    # Too many for one column: fill columns in order, each laid out on its own.
    width, size = COLUMN_WIDTHS[-1], MIN_LABEL_SIZE
    columns: list[list[tuple[Label, list[str], float]]] = [[]]
    used = 0.0
    for label in ordered:
        text = wrap(label.text, measure, size, width - 10)
        height = min(len(text) * size * LEADING, room)
        if columns[-1] and used + LABEL_GAP + height > room:
            columns.append([])
            used = 0.0
        used += (LABEL_GAP if columns[-1] else 0.0) + height
        columns[-1].append((label, text[: max(1, int(room // (size * LEADING)))], height))
    rows: list[tuple[Label, int, float, tuple[str, ...]]] = []
    for index, column in enumerate(columns):
        tops = _place([label.y for label, _, _ in column], [h for _, _, h in column], top, bottom)
        rows += [(label, index, y, tuple(text)) for (label, text, _), y in zip(column, tops, strict=True)]
    return LabelLayout(width, size, len(columns), tuple(rows))


def _widen(page: Any, pymupdf: Any, extra: float = LABEL_COLUMN) -> tuple[float, float]:
    """Add ``extra`` points on the right, keeping the page's coordinates (cropbox top-left) as they are."""
    width, height = page.cropbox.width, page.cropbox.height
    mb, cb = page.mediabox, page.cropbox
    page.set_mediabox(pymupdf.Rect(mb.x0, mb.y0, max(mb.x1, cb.x1) + extra, mb.y1))
    page.set_cropbox(pymupdf.Rect(cb.x0, cb.y0, cb.x1 + extra, cb.y1))
    return width, height


class _Painter:
    """Draws on one page with one font: boxes, text, and the label column."""

    def __init__(self, page: Any, pymupdf: Any, font: Any, layer: int, width: float) -> None:
        self.page, self.pymupdf, self.layer, self.width = page, pymupdf, layer, width
        page.insert_font(fontname=FONT_NAME, fontbuffer=font.buffer)  # embedded: the stamp's dashes need it

    def boxes(self, rects: list[Rect], rgb: tuple[float, float, float]) -> None:
        """Translucent filled boxes with a thin border."""
        if not rects:
            return
        shape = self.page.new_shape()
        for r in rects:
            shape.draw_rect(self.pymupdf.Rect(r.as_tuple()))
        shape.finish(color=rgb, fill=rgb, width=0.4, fill_opacity=BOX_OPACITY, stroke_opacity=0.6, oc=self.layer)
        shape.commit()

    def text(
        self,
        box: tuple[float, float, float, float],
        text: str,
        rgb: tuple[float, float, float],
        size: float,
        align: int = 0,
        layered: bool = True,
    ) -> float:
        """Text wrapped in ``box`` (in the overlay layer unless ``layered`` is False); returns its height.

        ``insert_textbox`` writes nothing when the text does not fit, so the size shrinks until it does.
        (PyMuPDF's TextWriter is not used: it misplaces text on pages whose crop box is offset.)
        """
        rect = self.pymupdf.Rect(box)
        while True:
            spare = self.page.insert_textbox(
                rect, text, fontname=FONT_NAME, fontsize=size, color=rgb, align=align, oc=self.layer if layered else 0
            )
            if spare >= 0 or size <= MIN_TEXT_SIZE:
                return rect.height - max(spare, 0.0)
            size *= 0.85

    def labels(self, layout: LabelLayout) -> None:
        """Every label in its column, each tied to its box by a leader line (one shape for them all)."""
        if not layout.placed:
            return
        size, pymupdf = layout.size, self.pymupdf
        shape = self.page.new_shape()
        for label, column, top, _lines in layout.placed:
            x0 = self.width + column * layout.width + 6
            shape.draw_line(pymupdf.Point(label.right, label.y + 1), pymupdf.Point(x0 - 1, top + size * 0.6))
            shape.finish(color=label.rgb, width=0.3, stroke_opacity=0.7, oc=self.layer)
        for label, column, top, lines in layout.placed:
            x0 = self.width + column * layout.width + 6
            shape.insert_text(
                pymupdf.Point(x0, top + size * 0.9), list(lines), fontname=FONT_NAME, fontsize=size,
                lineheight=LEADING, color=label.rgb, oc=self.layer,
            )  # fmt: skip
        shape.commit()


def _stamp(painter: _Painter, height: float, extra: float) -> None:
    page_width = painter.width + extra
    shape = painter.page.new_shape()
    shape.draw_line(painter.pymupdf.Point(painter.width, 0), painter.pymupdf.Point(painter.width, height))
    shape.finish(color=(0.5, 0.5, 0.5), width=0.5)
    shape.commit()
    band = STAMP_BAND
    for y in (0.0, height - band):  # a band at the top and one at the bottom
        shape = painter.page.new_shape()
        shape.draw_rect(painter.pymupdf.Rect(0, y, page_width, y + band))
        shape.finish(color=None, fill=(1, 1, 1), fill_opacity=0.85)
        shape.commit()
        painter.text((4, y + 1, page_width - 4, y + band + 4), STAMP, WITHHELD, STAMP_SIZE, align=1, layered=False)


def page_labels(plan: Plan, page_plan: PagePlan, width: float, height: float) -> list[Label]:
    """The column's labels of a page: one per withheld area, or one for a dropped page."""
    if page_plan.disposition == "withheld":
        rules = page_rules(plan, page_plan.number)
        return [Label(height * 0.4, width, f"page withheld: {', '.join(rules) or 'furniture only'}")]
    return [
        Label(min(r.y0 for r in area.rects), max(r.x1 for r in area.rects), area_label(area))
        for area in page_plan.areas
    ]


def _page(painter: _Painter, plan: Plan, page_plan: PagePlan, item: OutputItem | None, height: float) -> None:
    """The boxes and notes over the page itself (the labels are drawn by :meth:`_Painter.labels`)."""
    width = painter.width
    if page_plan.disposition == "withheld":
        painter.boxes([Rect(0, 0, width, height)], WITHHELD)
        wording = (item.text + (f" {item.tail_page}" if item.tail_page else "")) if item else ""
        shape = painter.page.new_shape()
        shape.draw_rect(painter.pymupdf.Rect(30, height * 0.4 - 6, width - 30, height * 0.4 + 64))
        shape.finish(color=WITHHELD, fill=(1, 1, 1), width=1, fill_opacity=0.9, oc=painter.layer)
        shape.commit()
        painter.text(
            (40, height * 0.4, width - 40, height * 0.4 + 60),
            f"PAGE WITHHELD — in the extract: {wording}",
            WITHHELD,
            14,
            align=1,
        )
        return
    painter.boxes(list(page_plan.keep_rects), RELEASED)
    doc = plan.document
    painter.boxes([doc.words.rect(w) for w in sorted(page_plan.rewritten)], MARKING)
    if page_plan.disposition == "condensed" and item is not None:
        shape = painter.page.new_shape()
        shape.draw_rect(painter.pymupdf.Rect(2, 14, width - 2, height - 14))
        shape.finish(color=CONDENSED, width=2, dashes="[6 3] 0", oc=painter.layer)
        shape.commit()
        painter.text((6, 15, width - 6, 40), f"CONDENSED in the extract: {item.text}", CONDENSED, 9)
    painter.boxes([r for area in page_plan.areas for r in area.rects], WITHHELD)


def page_rules(plan: Plan, number: int) -> list[str]:
    """The rules that decided a page's content (its words outside furniture, its images)."""
    doc = plan.document
    page = doc.pages[number - 1]
    words = [w for b in page.block_ids for w in doc.blocks[b].word_ids if not doc.lines[doc.words.lines[w]].furniture]
    verdicts = [plan.verdicts[w] for w in words] + [plan.image_verdicts[i] for i in page.image_ids]
    return list(dict.fromkeys(v.rule for v in verdicts))


def item_of_page(plan: Plan) -> dict[int, OutputItem]:
    """Source page -> the extract item it belongs to (kept page, placeholder page or condensed range)."""
    return {n: item for item in plan.sequence for n in range(item.first, item.last + 1)}


def render_review_pdf(plan: Plan, source: str, password: str | None = None, progress: Progress = no_progress) -> bytes:
    """The review copy's bytes: every source page, overlays and labels added, stamped."""
    import pymupdf

    doc = open_pdf(source, password)
    try:
        layer = doc.add_ocg("Review overlay (redactor)", on=True)
        font = pymupdf.Font("helv")
        measure = Measure(font)
        items = item_of_page(plan)
        for page_plan in plan.pages:
            page = doc[page_plan.number - 1]
            width, height = page.cropbox.width, page.cropbox.height
            labels = page_labels(plan, page_plan, width, height)
            layout = layout_labels(labels, measure, STAMP_BAND + 2, height - STAMP_BAND - 2)
            _widen(page, pymupdf, layout.extra)
            painter = _Painter(page, pymupdf, font, layer, width)
            _page(painter, plan, page_plan, items.get(page_plan.number), height)
            painter.labels(layout)
            _stamp(painter, height, layout.extra)
            progress(1)
        kept = {k: v for k, v in (doc.metadata or {}).items() if k in METADATA_KEYS and v}
        doc.set_metadata({**kept, "title": STAMP})
        return doc.tobytes(garbage=3, deflate=True)
    finally:
        doc.close()
