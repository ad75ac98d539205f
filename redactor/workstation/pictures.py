"""The pictures the workstation shows: source pages, thumbnails and the extract's pages.

A source page does not change while the workstation runs, so its picture is made once
(the last pages looked at are kept). The extract's page is the kept page written exactly as
``apply`` writes it (:func:`redactor.render.pages.write_page`: removal by keep-list, then
placeholders and markings drawn) and rasterised; it is cached with the page plan it was
made from, so after a change only the pages whose plan changed are written again.
Placeholder pages are text, shown as such; condensed ranges are laid out as ``apply``
lays them out.

PyMuPDF is not thread-safe: every method is called with the session's lock held.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from redactor.geometry import Rect
from redactor.plan.model import OutputItem, PagePlan, Plan
from redactor.render.condensed import render_condensed
from redactor.render.cover import generated_page_size
from redactor.render.pages import page_jobs, write_page
from redactor.source.load import open_pdf

#: Resolution of the page pictures: small print stays legible at the usual zoom.
PAGE_DPI = 100
#: Resolution of the thumbnails in the page strip.
THUMB_DPI = 12
#: Source page pictures kept in memory (the extract's pages are kept per page plan).
KEPT_PAGES = 48


@dataclass(frozen=True)
class Shown:
    """How a page is displayed: its size once rotated, and the matrices to and from plan space."""

    width: float
    height: float
    to_shown: tuple[float, float, float, float, float, float]
    from_shown: tuple[float, float, float, float, float, float]

    def box(self, rect: Rect) -> list[float]:
        """``rect`` (plan space) as [left, top, width, height] in percent of the shown page."""
        corners = [self._apply(self.to_shown, x, y) for x, y in ((rect.x0, rect.y0), (rect.x1, rect.y1))]
        (ax, ay), (bx, by) = corners
        x0, x1, y0, y1 = min(ax, bx), max(ax, bx), min(ay, by), max(ay, by)
        return [round(100 * x0 / self.width, 3), round(100 * y0 / self.height, 3),
                round(100 * (x1 - x0) / self.width, 3), round(100 * (y1 - y0) / self.height, 3)]  # fmt: skip

    def rect(self, fractions: tuple[float, float, float, float]) -> Rect:
        """A rectangle drawn on the shown page (fractions of its width and height) in plan space."""
        fx0, fy0, fx1, fy1 = fractions
        a = self._apply(self.from_shown, fx0 * self.width, fy0 * self.height)
        b = self._apply(self.from_shown, fx1 * self.width, fy1 * self.height)
        return Rect(min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1]))

    @staticmethod
    def _apply(m: tuple[float, float, float, float, float, float], x: float, y: float) -> tuple[float, float]:
        a, b, c, d, e, f = m
        return (a * x + c * y + e, b * x + d * y + f)


class Pictures:
    """The open source and the pictures made from it."""

    def __init__(self, source: str, password: str | None) -> None:
        self._source, self._password = source, password
        self._src: Any = open_pdf(source, password)
        self._pages: OrderedDict[int, bytes] = OrderedDict()
        self._thumbs: dict[int, bytes] = {}
        self._shown: dict[int, Shown] = {}
        self._extract: dict[int, tuple[Any, list[bytes]]] = {}

    def close(self) -> None:
        """Close the source."""
        self._src.close()

    def shown(self, number: int) -> Shown:
        """The page's displayed size and matrices (rotation applied)."""
        if number not in self._shown:
            page = self._src[number - 1]
            to, back = page.rotation_matrix, page.derotation_matrix
            self._shown[number] = Shown(
                page.rect.width, page.rect.height, (to.a, to.b, to.c, to.d, to.e, to.f),
                (back.a, back.b, back.c, back.d, back.e, back.f),
            )  # fmt: skip
        return self._shown[number]

    def page(self, number: int) -> bytes:
        """The source page as a PNG."""
        if number in self._pages:
            self._pages.move_to_end(number)
            return self._pages[number]
        data = bytes(self._src[number - 1].get_pixmap(dpi=PAGE_DPI).tobytes("png"))
        self._pages[number] = data
        while len(self._pages) > KEPT_PAGES:
            self._pages.popitem(last=False)
        return data

    def thumb(self, number: int) -> bytes:
        """The source page as a small PNG for the page strip."""
        if number not in self._thumbs:
            self._thumbs[number] = bytes(self._src[number - 1].get_pixmap(dpi=THUMB_DPI).tobytes("png"))
        return self._thumbs[number]

    def extract(self, plan: Plan, item: OutputItem, number: int) -> list[bytes]:
        """The extract's page(s) showing source page ``number``: a kept page, or a condensed range."""
        import pymupdf

        key: Any = plan.pages[number - 1] if item.kind == "page" else item
        cached = self._extract.get(number)
        if cached is not None and cached[0] == key:
            return cached[1]
        if item.kind == "page":
            assert isinstance(key, PagePlan)
            pdf = write_page(self._src, page_jobs(plan, [number], None)[0])
        else:
            rect = self._src[item.first - 1].rect
            pdf = render_condensed(item, generated_page_size(rect.width, rect.height))
        with pymupdf.open("pdf", pdf) as doc:
            pictures = [bytes(p.get_pixmap(dpi=PAGE_DPI).tobytes("png")) for p in doc]
        self._extract[number] = (key, pictures)
        return pictures
