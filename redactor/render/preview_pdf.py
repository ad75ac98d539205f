"""The PDF review copy: the source pages, nothing removed, with the plan drawn over them.

Each page keeps all its content and gets translucent boxes: red over every withheld area,
green over released content. A column added to the right of the page labels each red box
with its area number and deciding rule id(s) (or ``default``); dropped pages carry the
placeholder wording that replaces them in the extract, condensed ranges are framed, and
marking words the extract rewrites are boxed in orange.
Every page is stamped as still classified: this copy must never be mistaken for the
extract. The boxes and labels sit in an optional-content layer a viewer can switch off;
the stamp does not. The file is saved whole (no incremental update).
"""

from __future__ import annotations

from typing import Any

from redactor.geometry import Rect
from redactor.plan.model import OutputItem, PagePlan, Plan, WithheldArea
from redactor.plan.precedence import LEVEL_NAMES
from redactor.progress import Progress, no_progress
from redactor.source.load import open_pdf

STAMP = "REVIEW COPY — STILL CLASSIFIED — NOT FOR RELEASE"
#: Width of the label column added to the right of every page (points).
LABEL_COLUMN = 170.0
#: Opacity of the overlay boxes: the text under them must stay readable.
BOX_OPACITY = 0.22
LABEL_SIZE = 6.5
MIN_TEXT_SIZE = 3.0
FONT_NAME = "RvwSans"
STAMP_SIZE = 8.0
WITHHELD = (0.85, 0.08, 0.08)
RELEASED = (0.05, 0.6, 0.2)
CONDENSED = (0.1, 0.3, 0.85)
MARKING = (0.95, 0.55, 0.0)  # released marking words the extract rewrites
METADATA_KEYS = ("author", "subject", "keywords", "creator", "producer", "creationDate", "modDate")


def area_label(area: WithheldArea) -> str:
    """The margin label of a withheld area: its number, rule ids, level and reasons."""
    reasons = f" · {', '.join(area.reasons)}" if area.reasons else ""
    return f"#{area.id} {', '.join(area.rules)} ({LEVEL_NAMES.get(area.level, area.level)}){reasons}"


def _widen(page: Any, pymupdf: Any) -> tuple[float, float]:
    """Add the label column on the right, keeping the page's coordinates (cropbox top-left) as they are."""
    width, height = page.cropbox.width, page.cropbox.height
    mb, cb = page.mediabox, page.cropbox
    page.set_mediabox(pymupdf.Rect(mb.x0, mb.y0, max(mb.x1, cb.x1) + LABEL_COLUMN, mb.y1))
    page.set_cropbox(pymupdf.Rect(cb.x0, cb.y0, cb.x1 + LABEL_COLUMN, cb.y1))
    return width, height


class _Painter:
    """Draws on one page with one font, collecting label positions so labels never overlap."""

    def __init__(self, page: Any, pymupdf: Any, font: Any, layer: int, width: float) -> None:
        self.page, self.pymupdf, self.layer, self.width = page, pymupdf, layer, width
        page.insert_font(fontname=FONT_NAME, fontbuffer=font.buffer)  # embedded: the stamp's dashes need it
        self.cursor = 0.0

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

    def label(self, y: float, right: float, text: str, rgb: tuple[float, float, float]) -> None:
        """A label in the column, at ``y`` or below the previous one, tied to its box by a line."""
        top = max(y, self.cursor)
        x0 = self.width + 6
        used = self.text((x0, top, self.width + LABEL_COLUMN - 4, top + 200), text, rgb, LABEL_SIZE)
        shape = self.page.new_shape()
        shape.draw_line(self.pymupdf.Point(right, y + 1), self.pymupdf.Point(x0 - 1, top + LABEL_SIZE * 0.8))
        shape.finish(color=rgb, width=0.3, stroke_opacity=0.7, oc=self.layer)
        shape.commit()
        self.cursor = top + used + 2


def _stamp(painter: _Painter, height: float) -> None:
    page_width = painter.width + LABEL_COLUMN
    shape = painter.page.new_shape()
    shape.draw_line(painter.pymupdf.Point(painter.width, 0), painter.pymupdf.Point(painter.width, height))
    shape.finish(color=(0.5, 0.5, 0.5), width=0.5)
    shape.commit()
    band = STAMP_SIZE + 4
    for y in (0.0, height - band):  # a band at the top and one at the bottom
        shape = painter.page.new_shape()
        shape.draw_rect(painter.pymupdf.Rect(0, y, page_width, y + band))
        shape.finish(color=None, fill=(1, 1, 1), fill_opacity=0.85)
        shape.commit()
        painter.text((4, y + 1, page_width - 4, y + band + 4), STAMP, WITHHELD, STAMP_SIZE, align=1, layered=False)


def _page(painter: _Painter, plan: Plan, page_plan: PagePlan, item: OutputItem | None, height: float) -> None:
    width = painter.width
    if page_plan.disposition == "withheld":
        painter.boxes([Rect(0, 0, width, height)], WITHHELD)
        rules = page_rules(plan, page_plan.number)
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
        painter.label(height * 0.4, width, f"page withheld: {', '.join(rules) or 'furniture only'}", WITHHELD)
        return
    painter.boxes(list(page_plan.keep_rects), RELEASED)
    doc = plan.document
    painter.boxes([doc.words[w].rect for w in sorted(page_plan.rewritten)], MARKING)
    if page_plan.disposition == "condensed" and item is not None:
        shape = painter.page.new_shape()
        shape.draw_rect(painter.pymupdf.Rect(2, 14, width - 2, height - 14))
        shape.finish(color=CONDENSED, width=2, dashes="[6 3] 0", oc=painter.layer)
        shape.commit()
        painter.text((6, 15, width - 6, 40), f"CONDENSED in the extract: {item.text}", CONDENSED, 9)
    for area in page_plan.areas:
        painter.boxes(list(area.rects), WITHHELD)
        top = min(r.y0 for r in area.rects)
        right = max(r.x1 for r in area.rects)
        painter.label(top, right, area_label(area), WITHHELD)


def page_rules(plan: Plan, number: int) -> list[str]:
    """The rules that decided a page's content (its words outside furniture, its images)."""
    doc = plan.document
    page = doc.pages[number - 1]
    words = [w for b in page.block_ids for w in doc.blocks[b].word_ids if not doc.lines[doc.words[w].line].furniture]
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
        items = item_of_page(plan)
        for page_plan in plan.pages:
            page = doc[page_plan.number - 1]
            width, height = _widen(page, pymupdf)
            painter = _Painter(page, pymupdf, font, layer, width)
            _page(painter, plan, page_plan, items.get(page_plan.number), height)
            _stamp(painter, height)
            progress(1)
        kept = {k: v for k, v in (doc.metadata or {}).items() if k in METADATA_KEYS and v}
        doc.set_metadata({**kept, "title": STAMP})
        return doc.tobytes(garbage=3, deflate=True)
    finally:
        doc.close()
