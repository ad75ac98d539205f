"""Build the synthetic RESTREINT UE source ``samples/16014-12-add1-rev2.pdf``.

The sample reproduces the page layout of Council document 16014/12 ADD 1 REV 2 (cover note
pp. 1-2, eight annexes from pp. 3, 14, 37, 59, 72, 77, 91 and 106, 115 A4 pages) as far as
its public extract (EXT 1) reveals it: every released sentence verbatim, in place and order,
and invented text wherever the extract says NOT DECLASSIFIED. See ``layout.md`` for the map.

Usage::

    python samples/make_sample.py            # rebuild the PDF and the lists/map in samples/
    python samples/make_sample.py OUT.pdf    # write the PDF only, to OUT.pdf

The output is reproducible byte for byte: fixed metadata dates, seeded random numbers,
base-14 fonts (nothing embedded) and ``save(garbage=4, deflate=True, no_new_id=True)``.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pymupdf
import sample_text as st

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "16014-12-add1-rev2.pdf"
PAGE_COUNT = 115
PAGE_W, PAGE_H = 595.0, 842.0  # A4 in points

# Body frame
LEFT, RIGHT = 70.0, 525.0
TOP, BOTTOM = 80.0, 770.0
WIDTH = RIGHT - LEFT
LEAD = 1.25  # line height / font size
GAP = 8.0  # space after a paragraph
FOOTNOTE_TOP = BOTTOM - 31  # top of the footnote area on the page that has one

# Running furniture (identical on every page except the page number)
HEADER_BASELINE = 40.0
FOOTER_BASELINES = (806.0, 818.0)
FOOTER_CODE_X = 290.0
FOOTER_INITIALS = "JV/fm"
FOOTER_DG = "DG D 2C"
FOOTER_LANG = "EN"

RELEASED, WITHHELD, MIXED = "released", "withheld", "mixed"

# --------------------------------------------------------------------------------------
# Text primitives
# --------------------------------------------------------------------------------------

_FONTS = {name: pymupdf.Font(name) for name in ("tiro", "tibo", "tiit", "tibi")}


# Glyph advances at size 1 of every character the base-14 fonts can show (WinAnsi).
_WINANSI = [bytes([b]).decode("cp1252", errors="ignore") for b in range(32, 256)]
_ADVANCE = {
    name: {c: font.text_length(c, 1.0) for c in _WINANSI if c}
    for name, font in _FONTS.items()
}


def text_width(font: str, size: float, text: str) -> float:
    """Advance width of ``text`` in points (base-14 fonts: no kerning, glyph advances add)."""
    return size * sum(map(_ADVANCE[font].__getitem__, text))


@dataclass(frozen=True)
class Style:
    """Font, size and baseline rise of a run of text (base-14 Times fonts)."""

    font: str = "tiro"
    size: float = 11.0
    rise: float = 0.0

    def width(self, text: str) -> float:
        """Advance width of ``text`` in points."""
        return text_width(self.font, self.size, text)


BODY = Style("tiro", 11)
BOLD = Style("tibo", 11)
ITALIC = Style("tiit", 11)
H1 = Style("tibo", 14)  # priority statements, "Drivers Report October 2012"
H1_ITALIC = Style("tibi", 14)
H2 = Style("tibo", 12)  # sub-headings
H3 = Style("tibo", 11)  # third-level headings (bold, body size)
CELL = Style("tiro", 10)
CELL_BOLD = Style("tibo", 10)
SMALL = Style("tiro", 9)
SMALL_BOLD = Style("tibo", 10)
SUPER = Style("tiro", 7, rise=4.0)
SUPER_SMALL = Style("tiro", 6, rise=3.5)

Span = tuple[str, Style]
_TOKEN = re.compile(r"\s+|\S+")


def pdf_text(text: str) -> str:
    """Text as the single-byte WinAnsi codes the base-14 fonts are written with."""
    return text.encode("cp1252").decode("latin-1")


@dataclass
class Line:
    """One laid-out line: pieces of uniformly styled text and their x offsets."""

    pieces: list[tuple[float, str, Style]]
    width: float
    height: float
    size: float


def _words(spans: Sequence[Span]) -> list[tuple[list[Span], Style | None]]:
    """Split spans into unbreakable words; each with the style of the space after it."""
    words: list[tuple[list[Span], Style | None]] = []
    current: list[Span] = []
    for text, style in spans:
        for m in _TOKEN.finditer(text):
            token = m.group()
            if token[0].isspace():
                if current:
                    words.append((current, style))
                    current = []
            else:
                current.append((token, style))
    if current:
        words.append((current, None))
    return words


def wrap(spans: Sequence[Span], width: Callable[[int], float]) -> list[Line]:
    """Greedy line breaking of styled spans; ``width(i)`` is the measure of line ``i``."""
    words = _words(spans)
    lines: list[Line] = []
    i = 0
    while i < len(words):
        limit = width(len(lines))
        used = 0.0
        j = i
        while j < len(words):
            pieces, _ = words[j]
            w = sum(style.width(t) for t, style in pieces)
            space = 0.0
            if j > i:
                prev_space = words[j - 1][1] or pieces[0][1]
                space = prev_space.width(" ")
            if j > i and used + space + w > limit:
                break
            used += space + w
            j += 1
        lines.append(_make_line(words[i:j]))
        i = j
    return lines


def _make_line(words: Sequence[tuple[list[Span], Style | None]]) -> Line:
    merged: list[list] = []  # [text, style]
    for k, (pieces, space_style) in enumerate(words):
        for text, style in pieces:
            if merged and merged[-1][1] == style:
                merged[-1][0] += text
            else:
                merged.append([text, style])
        if k < len(words) - 1:
            style = space_style or merged[-1][1]
            if merged[-1][1] == style:
                merged[-1][0] += " "
            else:
                merged.append([" ", style])
    x = 0.0
    out: list[tuple[float, str, Style]] = []
    for text, style in merged:
        out.append((x, text, style))
        x += style.width(text)
    size = max((s.size for _, _, s in out if s.rise == 0), default=11.0)
    return Line(out, x, size * LEAD, size)


# --------------------------------------------------------------------------------------
# Drawing surface and layout record
# --------------------------------------------------------------------------------------


@dataclass
class Placed:
    """Where a piece of content went (for the page map and the checks)."""

    page: int
    kind: str  # heading, para, bullet, cell, image, footnote, furniture
    role: str  # released, withheld, mixed
    text: str
    rect: tuple[float, float, float, float]
    size: float
    font: str
    released_text: str = ""


class Canvas:
    """Drawing on one page: a single content stream for text and line art."""

    def __init__(self, sample: Sample, pno: int) -> None:
        self.sample = sample
        self.pno = pno
        self.page = sample.doc[pno - 1]
        self.shape = self.page.new_shape()
        self.images: list[tuple[pymupdf.Rect, pymupdf.Pixmap]] = []

    def text(self, x: float, baseline: float, text: str, style: Style) -> None:
        """Write one run of text with its baseline at ``baseline``."""
        if not text.strip():
            return
        self.shape.insert_text(
            (x, baseline - style.rise),
            pdf_text(text),
            fontname=style.font,
            fontsize=style.size,
            color=(0, 0, 0),
        )

    def line(self, x0: float, y0: float, x1: float, y1: float, width: float = 0.5) -> None:
        """A stroked straight line."""
        self.shape.draw_line((x0, y0), (x1, y1))
        self.shape.finish(width=width, color=(0, 0, 0))

    def shade(self, r: tuple[float, float, float, float], grey: float) -> None:
        """A filled rectangle without border (cell background)."""
        self.shape.draw_rect(pymupdf.Rect(*r))
        self.shape.finish(width=0, color=None, fill=(grey, grey, grey))

    def record(self, **kw) -> None:
        """Note a placed item in the sample's layout record."""
        self.sample.placed.append(Placed(page=self.pno, **kw))

    def commit(self) -> None:
        """Write the page content (line art below text) and any images."""
        self.shape.commit()
        for rect, pix in self.images:
            self.page.insert_image(rect, pixmap=pix)
        self.sample.done.add(self.pno)


def draw_lines(
    cv: Canvas, lines: Sequence[Line], x: float, y: float, width: float, align: str = "left"
) -> float:
    """Draw laid-out lines from top ``y``; return the y below the last line."""
    for line in lines:
        dx = 0.0
        if align == "center":
            dx = (width - line.width) / 2
        elif align == "right":
            dx = width - line.width
        baseline = y + line.size * 0.98
        for off, text, style in line.pieces:
            cv.text(x + dx + off, baseline, text, style)
        y += line.height
    return y


def span_text(spans: Iterable[Span]) -> str:
    """Plain text of styled spans."""
    return "".join(t for t, _ in spans)


# --------------------------------------------------------------------------------------
# Flowables: paragraphs, fills, figures, tables
# --------------------------------------------------------------------------------------


@dataclass
class Para:
    """A paragraph (or heading, or list item) of one or more styled spans."""

    spans: list[Span]
    role: str = RELEASED
    kind: str = "para"
    indent: float = 0.0
    gap: float = GAP
    align: str = "left"
    bullet: str | None = None
    released_text: str = ""  # for MIXED paragraphs: the released lead
    figure: pymupdf.Pixmap | None = None  # floated at the top right, text wraps around it
    figure_size: tuple[float, float] = (0.0, 0.0)

    def __post_init__(self) -> None:
        if self.bullet and self.kind == "para":
            self.kind = "bullet"

    def _measure(self, i: int) -> float:
        w = WIDTH - self.indent
        if self.figure is not None:
            fw, fh = self.figure_size
            first = self.spans[0][1]
            if i < math.ceil((fh + 6) / (first.size * LEAD)):
                w -= fw + 12
        return w

    def lines(self) -> list[Line]:
        """The paragraph broken into lines."""
        return wrap(self.spans, self._measure)

    def height(self) -> float:
        """Height including the space after."""
        return sum(line.height for line in self.lines()) + self.gap

    def draw(self, cv: Canvas, y: float) -> float:
        """Draw at top ``y``; return the top of the next item."""
        lines = self.lines()
        x = LEFT + self.indent
        bottom = draw_lines(cv, lines, x, y, WIDTH - self.indent, self.align)
        if self.bullet:
            first = lines[0]
            cv.text(x - 16, y + first.size * 0.98, self.bullet, self.spans[0][1])
        if self.figure is not None:
            fw, fh = self.figure_size
            rect = pymupdf.Rect(RIGHT - fw, y + 3, RIGHT, y + 3 + fh)
            cv.images.append((rect, self.figure))
            cv.record(
                kind="image",
                role=self.role,
                text=f"{self.figure.width}x{self.figure.height} px raster",
                rect=tuple(rect),
                size=0.0,
                font="",
            )
        widths = [line.width for line in lines]
        x0 = x + (min((WIDTH - self.indent - w) / 2 for w in widths) if self.align == "center"
                  else 0.0)
        cv.record(
            kind=self.kind,
            role=self.role,
            text=span_text(self.spans),
            rect=(x0, y, x + max(widths), bottom),
            size=self.spans[0][1].size,
            font=self.spans[0][1].font,
            released_text=self.released_text,
        )
        return bottom + self.gap


@dataclass
class Space:
    """Vertical white space."""

    h: float

    def height(self) -> float:
        return self.h

    def draw(self, cv: Canvas, y: float) -> float:
        return y + self.h


@dataclass
class Fill:
    """A withheld paragraph of invented text sized to the room left on the page.

    ``lead`` makes it a MIXED paragraph: released spans followed by the invented tail.
    ``weight`` shares the free height between the fills of a page; ``lines`` fixes the
    length instead.
    """

    weight: float = 1.0
    lines: int | None = None
    lead: list[Span] | None = None
    joiner: str = ""  # invented words that continue the released lead's sentence
    style: Style = BODY
    indent: float = 0.0
    bullet: str | None = None
    gap: float = GAP
    min_lines: int = 2
    figure: pymupdf.Pixmap | None = None
    figure_size: tuple[float, float] = (0.0, 0.0)

    def fixed_height(self) -> float | None:
        """Height if the length is fixed, else None."""
        if self.lines is None:
            return None
        return self.lines * self.style.size * LEAD + self.gap

    def resolve(self, inventor: st.Inventor, budget: float) -> Para:
        """Generate text until the paragraph fills ``budget`` points (or ``lines`` lines)."""
        lh = self.style.size * LEAD
        max_lines = self.lines or int((budget - self.gap) // lh)
        if max_lines < self.min_lines:
            raise LayoutError(f"no room for a withheld paragraph ({budget:.0f} pt)")
        lead = list(self.lead or [])
        # Draw enough sentences, keep the longest prefix that fits, then try to top the
        # paragraph up with a few more sentences (a shorter one may still fit).
        room = max_lines * (WIDTH - self.indent) / self.style.width("n")
        pool: list[str] = []
        while sum(len(t) + 1 for t in pool) < room * 1.2:
            pool.append(inventor.sentence())
        lo, hi = 0, len(pool)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if len(self._para(lead, pool[:mid]).lines()) <= max_lines:
                lo = mid
            else:
                hi = mid - 1
        sentences = pool[:lo]
        for _ in range(4):
            candidate = sentences + [inventor.sentence()]
            if len(self._para(lead, candidate).lines()) <= max_lines:
                sentences = candidate
        if not sentences:
            raise LayoutError("withheld paragraph came out empty")
        return self._para(lead, sentences)

    def _para(self, lead: list[Span], sentences: list[str]) -> Para:
        tail = " ".join([self.joiner, *sentences] if self.joiner else sentences)
        spans = list(lead)
        if lead:
            spans.append((" " + tail, self.style))
        else:
            spans.append((tail, self.style))
        return Para(
            spans,
            role=MIXED if lead else WITHHELD,
            indent=self.indent,
            gap=self.gap,
            bullet=self.bullet,
            released_text=span_text(lead),
            figure=self.figure,
            figure_size=self.figure_size,
        )


class LayoutError(RuntimeError):
    """Content does not fit where the page plan puts it."""


@dataclass
class Cell:
    """A table cell: styled spans and whether it is released."""

    spans: list[Span]
    role: str = WITHHELD


@dataclass
class Row:
    """A table row; a single cell spans the full width."""

    cells: list[Cell]
    kind: str = "row"  # header, goal, row
    shade: float | None = None
    heights: dict[tuple[float, ...], float] = field(default_factory=dict, repr=False)


PAD = 3.0


def row_height(row: Row, widths: Sequence[float]) -> float:
    """Height of a table row with padding."""
    key = tuple(widths)
    if key not in row.heights:
        row.heights[key] = _row_height(row, widths)
    return row.heights[key]


def _row_height(row: Row, widths: Sequence[float]) -> float:
    cols = [sum(widths)] if len(row.cells) == 1 else list(widths)
    tallest = 0.0
    for cell, w in zip(row.cells, cols, strict=True):
        lines = wrap(cell.spans, lambda _i, w=w: w - 2 * PAD)
        tallest = max(tallest, sum(line.height for line in lines))
    return tallest + 2 * PAD


@dataclass
class TableBlock:
    """Rows of a ruled table drawn on one page (borders as vector lines)."""

    widths: list[float]
    rows: list[Row]
    gap: float = GAP

    def height(self) -> float:
        return sum(row_height(r, self.widths) for r in self.rows) + self.gap

    def draw(self, cv: Canvas, y: float) -> float:
        right = LEFT + sum(self.widths)
        cv.line(LEFT, y, right, y)
        for row in self.rows:
            h = row_height(row, self.widths)
            cols = [sum(self.widths)] if len(row.cells) == 1 else self.widths
            if row.shade is not None:
                cv.shade((LEFT, y, right, y + h), row.shade)
            x = LEFT
            cv.line(x, y, x, y + h)
            for w in cols:
                cv.line(x + w, y, x + w, y + h)
                x += w
            cv.line(LEFT, y + h, right, y + h)
            x = LEFT
            for cell, w in zip(row.cells, cols, strict=True):
                lines = wrap(cell.spans, lambda _i, w=w: w - 2 * PAD)
                if max(line.width for line in lines) > w - 2 * PAD + 0.01:
                    raise LayoutError(f"word too wide for its cell: {span_text(cell.spans)!r}")
                draw_lines(cv, lines, x + PAD, y + PAD, w - 2 * PAD)
                if span_text(cell.spans).strip():
                    cv.record(
                        kind=f"cell:{row.kind}",
                        role=cell.role,
                        text=span_text(cell.spans),
                        rect=(x, y, x + w, y + h),
                        size=cell.spans[0][1].size,
                        font=cell.spans[0][1].font,
                    )
                x += w
            y += h
        return y + self.gap


Item = Para | Space | Fill | TableBlock


# --------------------------------------------------------------------------------------
# The sample
# --------------------------------------------------------------------------------------


class Sample:
    """The document being built."""

    def __init__(self) -> None:
        self.doc = pymupdf.open()
        for _ in range(PAGE_COUNT):
            self.doc.new_page(width=PAGE_W, height=PAGE_H)
        self.inv = st.Inventor()
        self.placed: list[Placed] = []
        self.done: set[int] = set()
        self.notes: dict[int, str] = {}

    def canvas(self, pno: int) -> Canvas:
        """A fresh canvas for page ``pno`` (1-based); furniture is drawn on it."""
        if pno in self.done:
            raise LayoutError(f"page {pno} composed twice")
        cv = Canvas(self, pno)
        draw_furniture(cv)
        return cv

    def page(
        self,
        pno: int,
        items: Sequence[Item],
        *,
        fill: float = 1.0,
        top: float = TOP,
        bottom: float = BOTTOM,
        note: str = "",
        footnote: Callable[[Canvas], float] | None = None,
    ) -> None:
        """Compose one page from a list of items; fills share the free height.

        ``fill`` is the fraction of the body height the page should use. ``footnote`` draws
        a footnote at the foot of the body (after the text, so it comes last in reading
        order) and returns its top; the body then ends above it.
        """
        cv = self.canvas(pno)
        if footnote is not None:
            bottom = min(bottom, FOOTNOTE_TOP - 6)
        available = (bottom - top) * fill
        fixed = 0.0
        weights = 0.0
        for it in items:
            if isinstance(it, Fill):
                fh = it.fixed_height()
                if fh is None:
                    weights += it.weight
                else:
                    fixed += fh
            else:
                fixed += it.height()
        free = available - fixed
        y = top
        for it in items:
            if isinstance(it, Fill):
                budget = it.fixed_height() or free * it.weight / weights
                it = it.resolve(self.inv, budget)
            y = it.draw(cv, y)
        if y - GAP > bottom + 0.5:
            raise LayoutError(f"page {pno} overflows by {y - GAP - bottom:.1f} pt")
        if footnote is not None:
            footnote(cv)
        if note:
            self.notes[pno] = note
        cv.commit()


def draw_furniture(cv: Canvas) -> None:
    """Running header (classification) and footer (number, initials, page, DG, language)."""
    marking = st.MARKING
    w = SMALL_BOLD.width(marking)
    cv.text((PAGE_W - w) / 2, HEADER_BASELINE, marking, SMALL_BOLD)
    cv.record(
        kind="furniture",
        role="furniture",
        text=marking,
        rect=((PAGE_W - w) / 2, HEADER_BASELINE - 9, (PAGE_W + w) / 2, HEADER_BASELINE + 2),
        size=SMALL_BOLD.size,
        font=SMALL_BOLD.font,
    )
    b1, b2 = FOOTER_BASELINES
    number = str(cv.pno)
    cv.text(LEFT, b1, st.DOC_NUMBER, SMALL)
    cv.text(FOOTER_CODE_X, b1, FOOTER_INITIALS, SMALL)
    cv.text(RIGHT - SMALL.width(number), b1, number, SMALL)
    cv.text(FOOTER_CODE_X, b2, FOOTER_DG, SMALL)
    cv.text(RIGHT - SMALL.width(FOOTER_LANG), b2, FOOTER_LANG, SMALL)
    for text, baseline in (
        (f"{st.DOC_NUMBER} {FOOTER_INITIALS} {number}", b1),
        (f"{FOOTER_DG} {FOOTER_LANG}", b2),
    ):
        cv.record(
            kind="furniture",
            role="furniture",
            text=text,
            rect=(LEFT, baseline - 7, RIGHT, baseline + 2),
            size=SMALL.size,
            font=SMALL.font,
        )


# --------------------------------------------------------------------------------------
# Building blocks shared by the annexes
# --------------------------------------------------------------------------------------


def priority(annex: int, align: str = "left") -> Para:
    """The 'EU crime priority X (Empact ...): "..."' statement that opens an annex."""
    prefix, name, statement = st.PRIORITY[annex]
    spans = [(prefix, H1), (name, H1), ("): ", H1), (statement, H1_ITALIC)]
    return Para(spans, kind="heading", gap=12, align=align)


def drivers(annex: int) -> list[Para]:
    """'Driver: XX' and 'Co-driver: YY'."""
    driver, co_driver = st.DRIVERS[annex]
    return [Para([(driver, BODY)], gap=6), Para([(co_driver, BODY)], gap=GAP + 2)]


def heading(text: str, style: Style = H2, role: str = RELEASED, gap: float = 8.0) -> Para:
    """A one-style heading."""
    return Para([(text, style)], role=role, kind="heading", gap=gap)


def body(text: str, style: Style = BODY, **kw) -> Para:
    """A released body paragraph."""
    return Para([(text, style)], **kw)


def report_title() -> Para:
    """'Drivers Report October 2012'."""
    return heading(st.DRIVERS_REPORT, H1, gap=12)


def invented_heading(sample: Sample, style: Style = H2, text: str | None = None) -> Para:
    """A withheld heading from the invented vocabulary."""
    return heading(text or sample.inv.heading(), style, role=WITHHELD)


# --------------------------------------------------------------------------------------
# Tables spread over a fixed page range
# --------------------------------------------------------------------------------------


def paginate(rows: Sequence[Row], widths: Sequence[float], top: float) -> list[list[Row]]:
    """Split rows into pages; a goal row is kept with the row after it."""
    pages: list[list[Row]] = [[]]
    y = top
    for i, row in enumerate(rows):
        h = row_height(row, widths)
        need = h
        if row.kind == "goal" and i + 1 < len(rows):
            need += row_height(rows[i + 1], widths)
        if y + need > BOTTOM and pages[-1]:
            pages.append([])
            y = TOP
        pages[-1].append(row)
        y += h
    return pages


def fit_table(
    header: Row,
    groups: Sequence[tuple[Row | None, list[Row]]],
    widths: Sequence[float],
    n_pages: int,
    top: float = TOP,
) -> list[list[Row]]:
    """Choose how many rows of each group's pool to use so the table fills ``n_pages``.

    Rows are taken round-robin from the groups' pools; the largest count that still ends on
    the last page of the range wins, so every page but the last is full.
    """
    g = len(groups)
    best: list[list[Row]] | None = None
    max_n = sum(len(pool) for _, pool in groups)
    for n in range(g, max_n + 1):
        rows = [header]
        for k, (goal, pool) in enumerate(groups):
            take = n // g + (1 if k < n % g else 0)
            if goal is not None:
                rows.append(goal)
            rows += pool[:take]
        pages = paginate(rows, widths, top)
        if len(pages) == n_pages:
            best = pages
        elif len(pages) > n_pages:
            break
    if best is None:
        raise LayoutError(f"table cannot be made to fill {n_pages} pages")
    return best


def table_pages(
    sample: Sample,
    first: int,
    pages: list[list[Row]],
    widths: Sequence[float],
    lead: Sequence[Item] = (),
    note: str = "",
) -> None:
    """Draw a paginated table from page ``first`` on; ``lead`` items go above it."""
    for k, rows in enumerate(pages):
        items: list[Item] = list(lead) if k == 0 else []
        items.append(TableBlock(list(widths), rows, gap=0))
        sample.page(first + k, items, note=note if k == 0 else "table continued")


def action_row(sample: Sample, number: str, kinds: Sequence[str]) -> Row:
    """A withheld table row of invented cells."""
    cells = [Cell([(number, CELL)])]
    cells += [Cell([(sample.inv.phrase(kind), CELL)]) for kind in kinds]
    return Row(cells)


def header_row(titles: Sequence[str]) -> Row:
    """Column titles (withheld like the rest of the table except the goal cells)."""
    return Row([Cell([(t, CELL_BOLD)]) for t in titles], kind="header", shade=0.85)


# --------------------------------------------------------------------------------------
# Withheld pages
# --------------------------------------------------------------------------------------


def withheld_pages(
    sample: Sample,
    first: int,
    last: int,
    *,
    title: str | None = None,
    headings: dict[int, str] | None = None,
    tables: Iterable[int] = (),
    lists: Iterable[int] = (),
    last_fill: float = 0.55,
) -> None:
    """Pages of invented content only: headings, paragraphs, lists and small tables."""
    headings = headings or {}
    tables, lists = set(tables), set(lists)
    for pno in range(first, last + 1):
        rng = random.Random(pno * 7919)
        items: list[Item] = []
        if pno == first and title:
            items.append(invented_heading(sample, H1, title))
        if pno in headings:
            items.append(invented_heading(sample, H2, headings[pno]))
        elif rng.random() < 0.6:
            items.append(invented_heading(sample, H2 if rng.random() < 0.6 else H3))
        n = rng.randint(2, 4)
        items += [Fill(weight=rng.uniform(0.6, 1.4)) for _ in range(n)]
        if pno in lists:
            at = rng.randint(1, len(items) - 1)
            bullets = [invented_bullet(sample) for _ in range(rng.randint(3, 5))]
            items[at:at] = bullets
        if pno in tables:
            items.insert(rng.randint(1, len(items) - 1), small_table(sample, rng))
        fill = last_fill if pno == last else rng.uniform(0.9, 1.0)
        sample.page(pno, items, fill=fill)


def invented_bullet(sample: Sample) -> Para:
    """A withheld list item: an invented action and its status."""
    action = sample.inv.phrase("action")
    status = sample.inv.phrase("status")
    text = f"{action}: {status[0].lower()}{status[1:]};"
    return Para([(text, BODY)], role=WITHHELD, kind="bullet", indent=30, bullet="\u2022", gap=5)


def small_table(sample: Sample, rng: random.Random) -> TableBlock:
    """A short invented table of figures."""
    widths = [140.0, 105.0, 105.0, 105.0]
    rows = [header_row(["Item", "Quarter 3", "Quarter 4", "Remarks"])]
    for _ in range(rng.randint(3, 5)):
        op = sample.inv.pick("op")
        rows.append(
            Row(
                [
                    Cell([(op, CELL)]),
                    Cell([(f"{rng.randint(3, 140)} kg", CELL)]),
                    Cell([(f"{rng.randint(3, 140)} kg", CELL)]),
                    Cell([(sample.inv.phrase("status"), CELL)]),
                ]
            )
        )
    return TableBlock(widths, rows)


def org_chart() -> pymupdf.Pixmap:
    """An 80x40 RGB raster of a made-up organisation chart (deterministic pixels)."""
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 80, 40), False)
    pix.clear_with(255)
    navy, teal, grey = (30, 50, 110), (20, 130, 120), (120, 120, 120)
    pix.set_rect(pymupdf.IRect(28, 2, 52, 12), navy)  # head of the cell
    pix.set_rect(pymupdf.IRect(39, 12, 41, 20), grey)
    pix.set_rect(pymupdf.IRect(10, 19, 70, 21), grey)
    for x in (4, 31, 58):
        pix.set_rect(pymupdf.IRect(x + 7, 21, x + 9, 26), grey)
        pix.set_rect(pymupdf.IRect(x, 26, x + 18, 36), teal)
        pix.set_rect(pymupdf.IRect(x + 3, 30, x + 15, 32), (230, 230, 230))
    return pix


# --------------------------------------------------------------------------------------
# Cover note (pp. 1-2)
# --------------------------------------------------------------------------------------


def cover_note(s: Sample) -> None:
    """Pages 1-2: the Presidency note, codes, subject, four paragraphs and the annex list."""
    cv = s.canvas(1)
    issuer = Style("tibo", 14)
    right = 330.0
    y = 100.0
    for line in st.COVER_ISSUER:
        cv.text(LEFT, y, line, issuer)
        y += 17
    cv.record(kind="heading", role=RELEASED, text=" ".join(st.COVER_ISSUER),
              rect=(LEFT, 88, 230, y - 12), size=14, font="tibo")
    entries: list[tuple[str, Style, float]] = [
        (st.COVER_DATE, BODY, 100.0),
        (st.COVER_LABEL, Style("tibo", 12), 124.0),
        (st.DOC_NUMBER, Style("tibo", 12), 142.0),
        (st.MARKING, Style("tibo", 11), 158.0),
    ]
    for text, style, base in entries:
        cv.text(right, base, text, style)
        cv.record(kind="para", role=RELEASED, text=text,
                  rect=(right, base - style.size, right + style.width(text), base + 3),
                  size=style.size, font=style.font)
    y = 182.0
    for code in st.COVER_CODES:
        cv.text(right, y, code, BOLD)
        y += 13
    cv.record(kind="para", role=RELEASED, text="\n".join(st.COVER_CODES),
              rect=(right, 171, right + 100, y - 10), size=11, font="tibo")
    note = Style("tibo", 14)
    cv.text((PAGE_W - note.width(st.COVER_TYPE)) / 2, 386, st.COVER_TYPE, note)
    cv.record(kind="heading", role=RELEASED, text=st.COVER_TYPE, rect=(280, 374, 316, 390),
              size=14, font="tibo")
    indent = BODY.width("To : ")
    rows = [
        (404.0, [(st.COVER_FROM, 0.0)]),
        (442.0, [(st.COVER_TO, 0.0), (st.COVER_TO_2, indent)]),
        (494.0, [(st.COVER_PREV, 0.0)]),
        (530.0, [(st.COVER_SUBJECT, 0.0)]),
    ]
    cv.line(LEFT, 392, RIGHT, 392)
    for top, lines in rows:
        base = top + 14
        for text, dx in lines:
            style = BOLD if text is st.COVER_SUBJECT else BODY
            cv.text(LEFT + dx, base, text, style)
            cv.record(kind="para", role=RELEASED, text=text,
                      rect=(LEFT + dx, base - 11, LEFT + dx + style.width(text), base + 3),
                      size=11, font=style.font)
            base += 14
        rule_y = top + 26 if len(lines) == 1 else base + 4
        cv.line(LEFT, rule_y, RIGHT, rule_y)
    y = 580.0
    for text in st.COVER_PARAGRAPHS[:3]:
        y = Para([(text, BODY)], gap=10).draw(cv, y)
    s.notes[1] = "cover note: issuer, date, number, marking, codes, NOTE, from/to, subject"
    cv.commit()

    cv = s.canvas(2)
    y = Para([(st.COVER_PARAGRAPHS[3], BODY)], gap=24).draw(cv, TOP)
    for label, title, page in st.ANNEX_LIST:
        base = y + 11
        for x, text in ((LEFT, label), (LEFT + 70, title), (LEFT + 300, f"p. {page}")):
            cv.text(x, base, text, BODY)
            cv.record(kind="para", role=RELEASED, text=text,
                      rect=(x, base - 11, x + BODY.width(text), base + 3), size=11,
                      font="tiro")
        y += 20
    s.notes[2] = "cover note, last paragraph and the annex list"
    cv.commit()


# --------------------------------------------------------------------------------------
# Annexes
# --------------------------------------------------------------------------------------


def annex1(s: Sample) -> None:
    """West Africa: pp. 3-6 report, pp. 7-13 strategic-goal table."""
    s.page(3, [priority(1), *drivers(1), Fill()], fill=0.85,
           note="ANNEX 1 starts; priority A, driver, co-driver, 1 withheld paragraph")
    s.page(4, [report_title(), Fill(lead=[(st.A1_EMPACT, BODY)], min_lines=8)], fill=0.82,
           note="report heading; first sentence released, rest of paragraph withheld")
    s.page(5, [Fill(lead=[(st.A1_PLETHORA, BODY)], weight=1.0), Fill(weight=1.2),
               Fill(weight=0.9)], fill=0.97,
           note="paragraph with released opening, then 2 withheld paragraphs")
    s.page(6, [heading(st.A1_FUTURE), Fill(lead=[(st.A1_DRAFT_OAP, BODY)], weight=1.0),
               Fill(weight=1.3)], fill=0.8,
           note="'The Future'; paragraph with released opening, 1 withheld paragraph")

    widths = [36.0, 132.0, 58.0, 80.0, 47.0, 102.0]
    kinds = ("action", "leader", "partners", "deadline", "status")
    header = header_row(["No.", "Action", "Leader", "Participants", "Deadline",
                         "Status / comments"])
    groups = []
    for g, (label, statement) in enumerate(st.A1_GOALS, start=1):
        goal = Row([Cell([(label, CELL_BOLD), (" " + statement, CELL)], role=RELEASED)],
                   kind="goal", shade=0.92)
        pool = [action_row(s, f"{g}.{k}", kinds) for k in range(1, 25)]
        groups.append((goal, pool))
    pages = fit_table(header, groups, widths, 7)
    table_pages(s, 7, pages, widths, note="strategic-goal table (condense range 7-13)")


def annex2(s: Sample) -> None:
    """Western Balkans: pp. 14-16 report, pp. 17-22 table, pp. 23-36 withheld."""
    s.page(14, [priority(2), *drivers(2), Fill()], fill=0.85,
           note="ANNEX 2 starts; priority B, driver, co-drivers, 1 withheld paragraph")
    s.page(15, [Space(200), Para([(st.DRIVERS_REPORT, H1)], kind="heading", align="center")],
           note="report title page")
    items: list[Item] = [body(st.A2_DURING, gap=10)]
    for text in st.A2_BULLETS:
        items.append(Para([(text, BODY)], indent=36, bullet="\u2022", gap=6))
    items.append(Space(6))
    items.append(body(st.A2_AMONG))
    s.page(16, items, note="released summary, bullets; table starts on a new page")

    widths = [40.0, 170.0, 65.0, 70.0, 110.0]
    header = header_row(["No.", "Activity", "Leader", "Status", "Remarks"])
    groups = []
    for g, text in enumerate(st.A2_GOALS, start=1):
        goal = Row([Cell([(text, CELL)], role=RELEASED)], kind="goal", shade=0.92)
        pool = [action_row(s, f"WB {g}.{k}", ("action", "leader", "deadline", "status"))
                for k in range(1, 25)]
        groups.append((goal, pool))
    pages = fit_table(header, groups, widths, 6)
    table_pages(s, 17, pages, widths, note="strategic-goal table (condense range 17-22)")

    withheld_pages(
        s, 23, 36,
        title="Activity sheets of " + s.inv.pick("proj"),
        headings={25: st.WITHHELD_OUTLINE[0][0]},
        tables=(24, 29, 33), lists=(27, 31), last_fill=0.5,
    )


def annex3(s: Sample) -> None:
    """Illegal immigration: pp. 37-46 one page per strategic goal, pp. 47-58 withheld."""
    s.page(37, [Space(150), priority(3)], note="ANNEX 3 opening page")
    s.page(38, [*drivers(3), Fill()], fill=0.8,
           note="driver, co-driver, 1 withheld paragraph")
    s.page(39, [Space(200), Para([(st.DRIVERS_REPORT, H1)], kind="heading", align="center")],
           note="report title page")
    rng = random.Random(37)
    for k, (head, quote, n_withheld) in enumerate(st.A3_GOALS):
        pno = 40 + k
        items: list[Item] = [heading(head), Para([(quote, ITALIC)], gap=10)]
        items += [Fill(weight=rng.uniform(0.7, 1.3)) for _ in range(n_withheld)]
        s.page(pno, items, fill=rng.uniform(0.75, 0.95),
               note=f"{head} heading + quote; {n_withheld} withheld paragraph(s)")
    withheld_pages(
        s, 47, 58,
        title="Operational follow-up under " + s.inv.pick("proj"),
        headings={49: st.WITHHELD_OUTLINE[1][0]},
        tables=(50, 55), lists=(48, 53), last_fill=0.6,
    )


def annex4(s: Sample) -> None:
    """Synthetic drugs: pp. 59-60, then pp. 61-71 withheld."""
    s.page(59, [priority(4), *drivers(4), Fill()], fill=0.85,
           note="ANNEX 4 starts; priority D, drivers, 1 withheld paragraph")
    s.page(60, [report_title(), body(st.A4_BEARING, gap=GAP), Fill()], fill=0.85,
           note="report heading, released lead-in, withheld recommendations (1 paragraph)")
    withheld_pages(s, 61, 71, tables=(63, 68), lists=(62, 66, 70), last_fill=0.5)


def annex5(s: Sample) -> None:
    """Container smuggling: pp. 72-73, then pp. 74-76 withheld."""
    s.page(72, [priority(5), *drivers(5), Fill(), body(st.A5_QUOTE, BOLD, gap=10),
                body(st.A5_IN_ORDER)], fill=0.95,
           note="ANNEX 5 starts; 1 withheld paragraph, then released text")
    s.page(73, [body(st.A5_SG3, BOLD), body(st.A5_APPEARED), body(st.A5_CUSTOMS),
                Fill(lead=[(st.A5_ALL_THESE, BODY)], weight=1.0), body(st.A5_SG4, BOLD),
                Fill(lead=[(st.A5_PARTLY, BODY)], weight=1.0,
                     joiner=f"areas, notably the {s.inv.pick('proj')} manifests and the "
                            f"{s.inv.pick('sys')} entries.")], fill=0.95,
           note="strategic goals 3 and 4; two paragraphs with a withheld tail")
    withheld_pages(s, 74, 76, tables=(75,), last_fill=0.45)


def annex6(s: Sample) -> None:
    """Trafficking in human beings: p. 77, then the attached OAP pp. 78-90 (withheld)."""
    before, sup, after = st.A6_OAP
    oap = Para([(before, BODY), (sup, SUPER), (after, BODY)])
    s.page(77, [priority(6), *drivers(6),
                Fill(figure=org_chart(), figure_size=(80.0, 40.0)),
                report_title(), oap], fill=0.92,
           note="ANNEX 6 starts; withheld paragraph with the raster image; released report")

    widths = [36.0, 140.0, 62.0, 82.0, 45.0, 90.0]
    kinds = ("action", "leader", "partners", "deadline", "status")
    header = header_row(["Ref.", "Operational action", "Leader", "Partners", "Timing",
                         "Delivery"])
    groups = []
    for g in range(1, 8):
        goal = Row([Cell([(f"Target {g}: " + s.inv.sentence(), CELL_BOLD)])], kind="goal",
                   shade=0.92)
        pool = [action_row(s, f"{g}.{k}", kinds) for k in range(1, 30)]
        groups.append((goal, pool))
    lead = [invented_heading(s, H2, "Delivery record of " + s.inv.pick("proj"))]
    pages = fit_table(header, groups, widths, 13, top=TOP + lead[0].height())
    table_pages(s, 78, pages, widths, lead=lead, note="attached updated OAP (withheld table)")


def annex7(s: Sample) -> None:
    """MOCG: pp. 91-94 and 102-105 report, pp. 95-101 table of the 8 activities (withheld)."""
    s.page(91, [priority(7), Fill(weight=0.8), *drivers(7), Fill(weight=1.2)], fill=0.95,
           note="ANNEX 7 starts; withheld paragraph after the priority and after the drivers")
    items: list[Item] = [
        report_title(),
        heading(st.A7_PROJECT, H2, gap=4),
        heading(st.A7_REPORTING, H2, gap=4),
        body(st.A7_DATE, gap=12),
        heading(st.A7_H1, H2),
        *[body(t) for t in st.A7_CONTEXT],
        heading(st.A7_H2, H2),
        heading(st.A7_H21, H3, gap=6),
        body(st.A7_FIRST_YEAR),
        Fill(lead=[(st.A7_ISSUES[0], BOLD)], joiner="\u2013", indent=30, bullet="\u2022",
             min_lines=3),
    ]
    s.page(92, items, fill=1.0, note="report title block, section 1, section 2.1")

    items = [
        Fill(lead=[(st.A7_ISSUES[1], BOLD)], joiner="\u2013", indent=30, bullet="\u2022",
             min_lines=3),
        Para([(st.A7_H22, H3), ("1", SUPER)], kind="heading", gap=6),
        body(st.A7_WORKSHOP),
        *[Para([(t, BODY)], indent=30, bullet="\u2022", gap=5) for t in st.A7_GOALS],
    ]
    s.page(93, items, fill=1.0, footnote=footnote_a7,
           note="second bullet, section 2.2 with footnote 1")

    s.page(94, [heading(st.A7_H3, H2), body(st.A7_MEETING), heading(st.A7_EIGHT, H3, gap=6),
                Fill()], fill=0.97,
           note="section 3; '8 Operational activities' heading, 1 withheld paragraph")

    widths = [40.0, 150.0, 70.0, 95.0, 100.0]
    header = header_row(["No.", "Operational activity", "Leader", "Participants", "Progress"])
    groups = []
    for g in range(1, 9):
        goal = Row([Cell([(f"Activity {g}: " + s.inv.pick("op"), CELL_BOLD)])],
                   kind="goal", shade=0.92)
        pool = [action_row(s, f"A{g}.{k}", ("action", "leader", "partners", "status"))
                for k in range(1, 25)]
        groups.append((goal, pool))
    pages = fit_table(header, groups, widths, 7)
    table_pages(s, 95, pages, widths, note="table of the 8 operational activities (withheld)")

    s.page(102, [heading(st.A7_H4, H2), heading(st.A7_H41, H3, gap=6),
                 Fill(lead=[(st.A7_SITUATION, BODY)])], fill=0.75,
           note="section 4, 4.1 with withheld tail")
    s.page(103, [heading(st.A7_H42, H3, gap=6), Fill(weight=1.1), Fill(weight=0.9)], fill=0.9,
           note="4.2 heading, 2 withheld paragraphs")
    s.page(104, [heading(st.A7_H43, H3, gap=6), Fill(lead=[(st.A7_LOOPHOLES, BODY)])],
           fill=0.7, note="4.3 with withheld tail")
    s.page(105, [heading(st.A7_H44, H3, gap=6), *[body(t) for t in st.A7_METHODOLOGY]],
           note="4.4, three released paragraphs; end of annex 7")


def footnote_a7(cv: Canvas) -> float:
    """Footnote 1 at the foot of the body on p. 93; returns the top of the footnote area."""
    top = FOOTNOTE_TOP
    base1 = top + 16
    base2 = base1 + 11
    cv.line(LEFT, top + 4, LEFT + 140, top + 4)
    cv.text(LEFT, base1, "1", SUPER_SMALL)
    x = LEFT + SUPER_SMALL.width("1") + 1.5
    cv.text(x, base1, st.A7_FOOTNOTE[0], SMALL)
    cv.text(x, base2, st.A7_FOOTNOTE[1], SMALL)
    cv.record(kind="footnote", role=RELEASED, text="1 " + " ".join(st.A7_FOOTNOTE),
              rect=(LEFT, base1 - 9, RIGHT, base2 + 3), size=9, font="tiro")
    return top


def annex8(s: Sample) -> None:
    """Cybercrime: p. 106, then pp. 107-115 withheld to the end."""
    s.page(106, [priority(8), *drivers(8), Fill(weight=1.0), report_title(), Fill(weight=0.8)],
           fill=0.92, note="ANNEX 8 starts; withheld paragraph, report heading, withheld")
    withheld_pages(
        s, 107, 115,
        title="Cyber strand of " + s.inv.pick("op"),
        headings={110: st.WITHHELD_OUTLINE[2][0]},
        tables=(108, 110, 113), lists=(109, 114), last_fill=0.4,
    )


# --------------------------------------------------------------------------------------
# Document-level data
# --------------------------------------------------------------------------------------

PDF_DATE = "D:20121123093000+01'00'"
XMP_DATE = "2012-11-23T09:30:00+01:00"


def set_document_data(doc: pymupdf.Document) -> None:
    """Information dictionary, XMP packet and outline (all to be scrubbed by the tool)."""
    doc.set_metadata(
        {
            "title": st.DOC_NUMBER,
            "author": "General Secretariat",
            "subject": f"{st.MARKING} - EU Policy Cycle: Implementation Monitoring",
            "keywords": f"JAI 778, COSI 107, ENFOPOL 361, {st.META_CANARY}",
            "creator": "Council document production",
            "producer": "redactor sample builder",
            "creationDate": PDF_DATE,
            "modDate": PDF_DATE,
            "trapped": "",
        }
    )
    doc.set_xml_metadata(
        '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:xmp="http://ns.adobe.com/xap/1.0/">\n'
        f"<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{st.DOC_NUMBER}</rdf:li>"
        "</rdf:Alt></dc:title>\n"
        "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">"
        f"{st.MARKING}; working file {st.XMP_CANARY}</rdf:li></rdf:Alt></dc:description>\n"
        f"<xmp:CreateDate>{XMP_DATE}</xmp:CreateDate>\n"
        f"<xmp:ModifyDate>{XMP_DATE}</xmp:ModifyDate>\n"
        "</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    )
    toc: list[list] = [[1, "Note", 1]]
    withheld = sorted(st.WITHHELD_OUTLINE, key=lambda t: t[1])
    for label, title, page in st.ANNEX_LIST:
        toc.append([1, f"{label} {title.rstrip('.')}", page])
        nxt = next((p for _, _, p in st.ANNEX_LIST if p > page), PAGE_COUNT + 1)
        toc += [[2, t, p] for t, p in withheld if page <= p < nxt]
    doc.set_toc(toc)


def build() -> Sample:
    """Compose all 115 pages."""
    s = Sample()
    cover_note(s)
    for annex in (annex1, annex2, annex3, annex4, annex5, annex6, annex7, annex8):
        annex(s)
    missing = sorted(set(range(1, PAGE_COUNT + 1)) - s.done)
    if missing:
        raise LayoutError(f"pages not composed: {missing}")
    set_document_data(s.doc)
    return s


def save(s: Sample, out: Path) -> None:
    """Write the PDF reproducibly (via a temporary file in the same directory)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    s.doc.save(tmp, garbage=4, deflate=True, no_new_id=True)
    os.replace(tmp, out)


# --------------------------------------------------------------------------------------
# Lists and page map written next to the sample
# --------------------------------------------------------------------------------------


def annex_of(pno: int) -> str:
    """'cover note' or 'annex N' for a page number."""
    current = "cover note"
    for k, (_, _, page) in enumerate(st.ANNEX_LIST, start=1):
        if pno >= page:
            current = f"annex {k}"
    return current


def write_lists(s: Sample) -> None:
    """``withheld-canaries.txt`` and ``released-passages.txt``."""
    (HERE / "withheld-canaries.txt").write_text("\n".join(st.canaries()) + "\n", encoding="utf-8")
    lines = [p.replace("\n", " ") for p in st.released_passages()]
    (HERE / "released-passages.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _short(text: str, n: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 3] + "..."


def write_layout(s: Sample) -> None:
    """``layout.md``: the generated page-by-page map of the sample."""
    by_page: dict[int, list[Placed]] = {}
    for p in s.placed:
        by_page.setdefault(p.page, []).append(p)
    out = [
        "# Page map of `16014-12-add1-rev2.pdf`",
        "",
        "Generated by `make_sample.py` (do not edit by hand). One section per page: what is",
        "on it, top to bottom. `R` released (seed text, verbatim), `W` withheld (invented),",
        "`R+W` a paragraph whose opening is released and whose tail is invented. `y` is the",
        "top of the item in points from the top of the page; size/font of its first run.",
        "Running furniture (header/footer) is on every page and not listed.",
        "See `README.md` for the overview and notes for the rule-file author.",
        "",
    ]
    mark = {RELEASED: "R", WITHHELD: "W", MIXED: "R+W"}
    for pno in range(1, PAGE_COUNT + 1):
        items = [p for p in by_page.get(pno, []) if p.kind != "furniture"]
        n_r = sum(p.role == RELEASED for p in items)
        n_w = sum(p.role == WITHHELD for p in items)
        n_m = sum(p.role == MIXED for p in items)
        state = "fully withheld" if n_r + n_m == 0 else "kept"
        note = s.notes.get(pno, "")
        out.append(f"## p. {pno} ({annex_of(pno)}, {state}){': ' + note if note else ''}")
        out.append("")
        cells_w = 0
        for p in items:
            if p.kind.startswith("cell") and p.role == WITHHELD:
                cells_w += 1
                continue
            tag = mark.get(p.role, p.role)
            desc = _short(p.released_text if p.role == MIXED else p.text)
            if p.role == MIXED:
                desc = f"{desc} + invented tail"
            font = {"tiro": "regular", "tibo": "bold", "tiit": "italic", "tibi": "bold italic"}
            style = f"{p.size:g} pt {font.get(p.font, p.font)}" if p.size else ""
            out.append(f"- `{tag}` {p.kind}, y {p.rect[1]:.0f}, {style}: {desc}".replace(
                ", : ", ": "))
        if cells_w:
            out.append(f"- `W` {cells_w} table cells of invented content")
        out.append(f"- totals: {n_r} released, {n_m} mixed, {n_w} withheld items")
        out.append("")
    (HERE / "layout.md").write_text("\n".join(out), encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", nargs="?", type=Path, help=f"output PDF (default {DEFAULT_OUT.name};"
                    " without it the lists and layout.md in samples/ are rewritten too)")
    args = ap.parse_args(argv)
    s = build()
    out = args.out or DEFAULT_OUT
    save(s, out)
    if args.out is None:
        write_lists(s)
        write_layout(s)
    print(f"wrote {out} ({PAGE_COUNT} pages)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
