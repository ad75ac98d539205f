"""Rectangles in PDF points, top-left origin (PyMuPDF's page space, unrotated).

The one place that knows about rectangle arithmetic, including the complement of the
released areas that the writer removes. PyMuPDF's ``Rect`` stays out of the plan so the
plan is plain, hashable data.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

#: How far beyond the media box the writer removes content: text placed off-page must go.
OFF_PAGE_MARGIN = 10_000.0

#: Gap kept between a released box and a removal area. A glyph is removed when its box
#: touches a removal area, so removal areas stop just short of released words.
KEEP_CLEARANCE = 0.25


@dataclass(frozen=True, order=True)
class Rect:
    """An axis-aligned rectangle; x grows right, y grows down (PDF points)."""

    x0: float
    y0: float
    x1: float
    y1: float

    def __post_init__(self) -> None:
        if self.x1 < self.x0 or self.y1 < self.y0:
            raise ValueError(f"inverted rectangle {self.as_tuple()}")

    @classmethod
    def of(cls, values: Sequence[float]) -> Rect:
        """Build from any 4-sequence (a PyMuPDF Rect, a tuple, a YAML list)."""
        x0, y0, x1, y1 = (float(v) for v in values[:4])
        return cls(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))

    def as_tuple(self) -> tuple[float, float, float, float]:
        """The four coordinates, for PyMuPDF and JSON."""
        return (self.x0, self.y0, self.x1, self.y1)

    @property
    def width(self) -> float:
        """Horizontal extent in points."""
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        """Vertical extent in points."""
        return self.y1 - self.y0

    @property
    def is_empty(self) -> bool:
        """True when the rectangle encloses no area."""
        return self.x1 <= self.x0 or self.y1 <= self.y0

    @property
    def center(self) -> tuple[float, float]:
        """The midpoint."""
        return ((self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2)

    def union(self, other: Rect) -> Rect:
        """The smallest rectangle holding both."""
        return Rect(
            min(self.x0, other.x0),
            min(self.y0, other.y0),
            max(self.x1, other.x1),
            max(self.y1, other.y1),
        )

    def intersects(self, other: Rect) -> bool:
        """True when the two share some area."""
        return self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1

    def contains(self, other: Rect) -> bool:
        """True when ``other`` lies wholly inside (edges may touch)."""
        return self.x0 <= other.x0 and self.y0 <= other.y0 and other.x1 <= self.x1 and other.y1 <= self.y1

    def contains_point(self, x: float, y: float) -> bool:
        """True when (x, y) lies inside or on the border."""
        return self.x0 <= x <= self.x1 and self.y0 <= y <= self.y1

    def expanded(self, by: float) -> Rect:
        """Grown by ``by`` points on every side."""
        return Rect(self.x0 - by, self.y0 - by, self.x1 + by, self.y1 + by)

    def rounded(self, digits: int = 2) -> Rect:
        """Coordinates rounded, for stable output (audit, JSON)."""
        return Rect(*(round(v, digits) for v in self.as_tuple()))


def subtract(rect: Rect, hole: Rect, clearance: float = 0.0) -> list[Rect]:
    """``rect`` minus ``hole`` (grown by ``clearance``), as up to four rectangles."""
    h = hole.expanded(clearance)
    if not rect.intersects(h):
        return [rect]
    pieces = [
        Rect(rect.x0, rect.y0, rect.x1, max(rect.y0, h.y0)),  # above
        Rect(rect.x0, min(rect.y1, h.y1), rect.x1, rect.y1),  # below
        Rect(rect.x0, max(rect.y0, h.y0), max(rect.x0, h.x0), min(rect.y1, h.y1)),  # left
        Rect(min(rect.x1, h.x1), max(rect.y0, h.y0), rect.x1, min(rect.y1, h.y1)),  # right
    ]
    return [p for p in pieces if not p.is_empty]


def subtract_all(rects: Iterable[Rect], holes: Iterable[Rect], clearance: float = 0.0) -> list[Rect]:
    """Every rectangle minus every hole (each hole grown by ``clearance``)."""
    grown = [h.expanded(clearance) for h in holes]
    result: list[Rect] = []
    for rect in rects:
        pieces = [rect]
        for h in grown:
            if not (rect.x0 < h.x1 and h.x0 < rect.x1 and rect.y0 < h.y1 and h.y0 < rect.y1):
                continue  # the common case, kept cheap: this hole misses the whole rectangle
            pieces = [piece for p in pieces for piece in subtract(p, h)]
        result.extend(pieces)
    return result


def bounding(rects: Iterable[Rect]) -> Rect | None:
    """The union of all rectangles, or None for none."""
    result: Rect | None = None
    for r in rects:
        result = r if result is None else result.union(r)
    return result


def complement(area: Rect, keep: Iterable[Rect]) -> list[Rect]:
    """Few rectangles, possibly overlapping, that together cover ``area`` minus ``keep``.

    Redaction time grows with the number of areas, so the free space is covered greedily
    with large rectangles: the page is cut into horizontal bands at every keep edge, each
    free interval of a band is grown up and down through the bands where it stays free,
    and the largest of these are taken until every free interval is covered. A column of
    paragraphs then costs one rectangle per margin and per gap between paragraphs.
    """
    kept = [k for k in keep if not k.is_empty and k.intersects(area)]
    ys = sorted({area.y0, area.y1, *(max(area.y0, min(area.y1, v)) for k in kept for v in (k.y0, k.y1))})
    bands = [(y0, y1) for y0, y1 in zip(ys, ys[1:], strict=False) if y1 > y0]
    free: list[list[tuple[float, float]]] = []
    for y0, y1 in bands:
        spans = sorted((k.x0, k.x1) for k in kept if k.y0 < y1 and k.y1 > y0)
        gaps: list[tuple[float, float]] = []
        cursor = area.x0
        for x0, x1 in spans:
            if x0 > cursor:
                gaps.append((cursor, min(x0, area.x1)))
            cursor = max(cursor, x1)
        if cursor < area.x1:
            gaps.append((cursor, area.x1))
        free.append([g for g in gaps if g[1] > g[0]])

    def fits(band: int, x0: float, x1: float) -> bool:
        return any(g0 <= x0 and x1 <= g1 for g0, g1 in free[band])

    candidates: list[tuple[float, int, int, int, tuple[float, float]]] = []
    for index, gaps in enumerate(free):
        for x0, x1 in gaps:
            top, bottom = index, index
            while top > 0 and fits(top - 1, x0, x1):
                top -= 1
            while bottom < len(free) - 1 and fits(bottom + 1, x0, x1):
                bottom += 1
            size = (x1 - x0) * (bands[bottom][1] - bands[top][0])
            candidates.append((size, index, top, bottom, (x0, x1)))
    covered: set[tuple[int, tuple[float, float]]] = set()
    result: list[Rect] = []
    for _, index, top, bottom, (x0, x1) in sorted(candidates, key=lambda c: (-c[0], c[1], c[4])):
        if (index, (x0, x1)) in covered:
            continue
        result.append(Rect(x0, bands[top][0], x1, bands[bottom][1]))
        for band in range(top, bottom + 1):
            covered.update((band, g) for g in free[band] if x0 <= g[0] and g[1] <= x1)
    return sorted(result, key=lambda r: (r.y0, r.x0))


#: Bucket size of :class:`Area`'s index, in points.
_GRID = 64.0
#: A box over more index cells than this is tested against every rectangle instead.
_MAX_CELLS = 256
#: Beyond this a coordinate is treated as unbounded (an unclipped shading): never covered.
_FAR = 1e6


class Area:
    """A union of rectangles that answers "does it cover this box?" in a few lookups.

    The planner and the writer ask the same question with the same class, so what the
    plan releases and what the writer keeps cannot drift apart. Coverage is of the
    union, not of one rectangle: a box lying across the seam of two adjacent rectangles
    is covered, whatever way the rectangles were cut or ordered.
    """

    def __init__(self, rects: Iterable[Rect], grow: float = 0.0) -> None:
        self.rects = [r.expanded(grow) for r in rects if not r.is_empty]
        self._tuples = [r.as_tuple() for r in self.rects]
        self._grid: dict[tuple[int, int], list[int]] = {}
        self._big: list[int] = []  # rectangles over too many cells: checked for every box
        for i, r in enumerate(self.rects):
            cells = _cells(r)
            if cells is None:
                self._big.append(i)
            for key in cells or ():
                self._grid.setdefault(key, []).append(i)

    def _candidates(self, box: Rect) -> list[int]:
        cells = _cells(box)
        if cells is None:  # a page-sized box: scanning every rectangle is cheaper
            return list(range(len(self.rects)))
        seen: set[int] = set(self._big)
        for key in cells:
            seen.update(self._grid.get(key, ()))
        return sorted(seen)

    def covers(self, box: Rect) -> bool:
        """True when the union of the rectangles holds all of ``box``."""
        return self.covers_box(box.x0, box.y0, box.x1, box.y1)

    def covers_box(self, x0: float, y0: float, x1: float, y1: float) -> bool:
        """:meth:`covers` for plain coordinates."""
        return bool(self.keeps(x0, y0, x1, y1))

    def keeps(self, x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float] | bool:
        """The rectangle that holds the box alone; else True when the union holds it; else False.

        One pass over the nearby rectangles: the writer asks once per glyph and subpath, and
        caches the rectangle it gets back (the next glyph of a line usually lies in it too).
        """
        if not (-_FAR < x0 and x1 < _FAR and -_FAR < y0 and y1 < _FAR):
            return False
        gx0, gy0, gx1, gy1 = int(x0 // _GRID), int(y0 // _GRID), int(x1 // _GRID), int(y1 // _GRID)
        tuples = self._tuples
        if gx0 == gx1 and gy0 == gy1:  # the common case: one cell
            candidates: Iterable[int] = (*self._grid.get((gx0, gy0), ()), *self._big)
        elif (gx1 - gx0 + 1) * (gy1 - gy0 + 1) > _MAX_CELLS:
            candidates = range(len(tuples))
        else:
            found = set(self._big)
            for gx in range(gx0, gx1 + 1):
                for gy in range(gy0, gy1 + 1):
                    found.update(self._grid.get((gx, gy), ()))
            candidates = sorted(found)
        near: list[int] = []
        for i in candidates:
            r = tuples[i]
            if r[0] < x1 and x0 < r[2] and r[1] < y1 and y0 < r[3]:
                if r[0] <= x0 and r[1] <= y0 and x1 <= r[2] and y1 <= r[3]:
                    return r
                near.append(i)
        if not near:
            return False
        return not subtract_all([Rect(x0, y0, x1, y1)], [self.rects[i] for i in near])

    def free_band(self, x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
        """A box around one that meets no rectangle, grown left and right as far as is free.

        Its height is the box's own and it stays within the box's index cell, so only that
        cell's rectangles need looking at. The writer caches it: the next glyphs of a
        withheld word lie in it and are dropped without a lookup.
        """
        gx, gy = int(x0 // _GRID), int(y0 // _GRID)
        if gx != int(x1 // _GRID) or gy != int(y1 // _GRID):
            return (x0, y0, x1, y1)
        left, right = gx * _GRID, (gx + 1) * _GRID
        tuples = self._tuples
        for i in (*self._grid.get((gx, gy), ()), *self._big):
            r = tuples[i]
            if r[1] < y1 and y0 < r[3]:  # beside the box on its line
                if r[2] <= x0:
                    left = max(left, r[2])
                elif r[0] >= x1:
                    right = min(right, r[0])
                else:  # overlaps the box: nothing is free
                    return (x0, y0, x1, y1)
        return (left, y0, right, y1)

    def hits(self, box: Rect) -> list[int]:
        """Indexes of the rectangles that overlap ``box`` (touching edges do not count)."""
        candidates = self._candidates(box) if _bounded(box) else range(len(self.rects))
        return [i for i in candidates if self.rects[i].intersects(box)]


def _bounded(box: Rect) -> bool:
    return all(abs(v) < _FAR for v in box.as_tuple())


def _cells(box: Rect) -> list[tuple[int, int]] | None:
    """The index cells a box touches; None when unbounded or over too many cells."""
    if not _bounded(box):
        return None
    xs = range(int(box.x0 // _GRID), int(box.x1 // _GRID) + 1)
    ys = range(int(box.y0 // _GRID), int(box.y1 // _GRID) + 1)
    if len(xs) * len(ys) > _MAX_CELLS:
        return None
    return [(x, y) for x in xs for y in ys]
