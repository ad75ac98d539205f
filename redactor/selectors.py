"""Selectors: what each key of a ``release:``/``withhold:`` selector picks out.

One function per key, each returning the atoms it selects as a :class:`Selection`;
several keys in one selector narrow each other (the intersection). Furniture words are
outside the reach of page, section and block selectors (they are not content) but span
selectors (``text``, ``region``) reach them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from redactor.geometry import Rect
from redactor.model import Document
from redactor.outline import Outline
from redactor.pageranges import parse_pages
from redactor.rules import Selector


@dataclass
class Selection:
    """Atoms picked by a selector: word ids, image ids, and explicit areas per page."""

    words: set[int] = field(default_factory=set)
    images: set[int] = field(default_factory=set)
    areas: dict[int, list[Rect]] = field(default_factory=dict)  # page -> region rectangles

    def narrow(self, other: Selection) -> Selection:
        """Keep only the atoms both select; a region's explicit areas are kept as they are."""
        return Selection(self.words & other.words, self.images & other.images, self.areas or other.areas)

    @property
    def empty(self) -> bool:
        """True when nothing at all is selected."""
        return not self.words and not self.images


@dataclass(frozen=True)
class Context:
    """What selectors read: the document, its outline, and derived indexes."""

    document: Document
    outline: Outline
    image_block: dict[int, int]  # image id -> the content block it sits under (reading order)

    def content_words_of_blocks(self, block_ids: set[int]) -> set[int]:
        """Word ids of the given blocks, furniture excluded."""
        doc = self.document
        return {w for b in block_ids for w in doc.blocks[b].word_ids if not doc.blocks[b].furniture}

    def images_of_blocks(self, block_ids: set[int]) -> set[int]:
        """Images anchored under the given blocks."""
        return {i for i, b in self.image_block.items() if b in block_ids}


def _pages(ctx: Context, sel: Selector) -> Selection:
    pages = set(parse_pages(sel.pages or "", ctx.document.page_count))
    doc = ctx.document
    blocks = {b for p in pages for b in doc.pages[p - 1].block_ids}
    words = {w.id for b in blocks for w in (doc.words[i] for i in doc.blocks[b].word_ids)}
    if sel.text is None and sel.region is None:
        words = {w for w in words if not doc.lines[doc.words[w].line].furniture}
    images = {i for p in pages for i in doc.pages[p - 1].image_ids}
    return Selection(words, images)


def _sections(ctx: Context, pattern: re.Pattern[str], level: int | None) -> set[int]:
    blocks: set[int] = set()
    for section in ctx.outline.sections:
        if pattern.search(section.heading.text) and (level is None or section.heading.level == level):
            blocks.update(section.block_ids)
    return blocks


def _section(ctx: Context, sel: Selector) -> Selection:
    assert sel.section is not None
    blocks = _sections(ctx, sel.section, sel.level)
    return Selection(ctx.content_words_of_blocks(blocks), ctx.images_of_blocks(blocks))


def _within(ctx: Context, sel: Selector) -> Selection:
    assert sel.within is not None
    blocks = _sections(ctx, sel.within, None)
    return Selection(ctx.content_words_of_blocks(blocks), ctx.images_of_blocks(blocks))


def _block(ctx: Context, sel: Selector) -> Selection:
    assert sel.block is not None
    blocks = {b.id for b in ctx.document.content_blocks() if sel.block.search(b.text)}
    return Selection(ctx.content_words_of_blocks(blocks), set())


def _from_to(ctx: Context, sel: Selector) -> Selection:
    assert sel.from_ is not None and sel.to is not None
    chosen: set[int] = set()
    inside = False
    for block in ctx.document.content_blocks():
        if not inside and sel.from_.search(block.text):
            inside = True
        if inside:
            chosen.add(block.id)
            if sel.to.search(block.text):
                inside = False
    return Selection(ctx.content_words_of_blocks(chosen), set())


def _text(ctx: Context, sel: Selector) -> Selection:
    assert sel.text is not None
    doc = ctx.document
    words: set[int] = set()
    for block in doc.blocks:
        for m in sel.text.finditer(block.text):
            if m.end() == m.start():
                continue
            for wid in block.word_ids:
                w = doc.words[wid]
                if w.start < m.end() and m.start() < max(w.end, w.start + 1):
                    words.add(wid)
    return Selection(words, set())


def _region(ctx: Context, sel: Selector) -> Selection:
    assert sel.region is not None
    area = Rect.of(sel.region)
    doc = ctx.document
    pages = set(parse_pages(sel.pages or "1-end", doc.page_count))
    words = {w.id for w in doc.words if w.page in pages and area.contains_point(*w.rect.center)}
    images = {i.id for i in doc.images if i.page in pages and i.rect.intersects(area)}
    return Selection(words, images, {p: [area] for p in pages})


def _images(ctx: Context, sel: Selector) -> Selection:
    return Selection(set(), {i.id for i in ctx.document.images})


#: The selector registry: key -> function. Order matters only for error messages.
SELECTORS: dict[str, Callable[[Context, Selector], Selection]] = {
    "pages": _pages,
    "section": _section,
    "block": _block,
    "from_": _from_to,
    "text": _text,
    "region": _region,
    "images": _images,
    "within": _within,
}


def select(ctx: Context, sel: Selector) -> Selection:
    """Every atom the selector picks: the intersection over the keys it gives."""
    result: Selection | None = None
    for key, fn in SELECTORS.items():
        value = getattr(sel, key)
        if value is None or value is False:
            continue
        if key == "pages" and sel.region is not None:
            continue  # region resolves its own pages
        part = fn(ctx, sel)
        result = part if result is None else result.narrow(part)
    return result or Selection()


def image_anchors(document: Document) -> dict[int, int]:
    """Each image's anchor: the last content block starting above it on its page."""
    anchors: dict[int, int] = {}
    for page in document.pages:
        content = [b for b in page.block_ids if not document.blocks[b].furniture]
        for image_id in page.image_ids:
            top = document.images[image_id].rect.y0
            above = [b for b in content if document.blocks[b].rect.y0 <= top]
            if above:
                anchors[image_id] = above[-1]
            elif content:
                anchors[image_id] = content[0]
    return anchors
