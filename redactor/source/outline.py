"""Headings and the sections they open.

Headings are found from font size and weight relative to the body text, and may be
declared in the rule file (``headings:``) where that is not enough; a declared pattern
wins over detection. A section runs from its heading, across pages, up to the next
heading of the same or a higher level (a lower or equal level number).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from redactor.source.model import Block, Document

#: A heading is a short block: at most this many words...
HEADING_MAX_WORDS = 30
#: ...and at most this many lines.
HEADING_MAX_LINES = 3
#: Text this much larger than the body size reads as a heading even when not bold.
HEADING_SIZE_STEP = 1.5


class HeadingPattern(Protocol):
    """What a declared heading needs of its pattern (an ``re.Pattern`` or a rule's time-limited one)."""

    def search(self, text: str, /) -> object:
        """A match in ``text``, or None."""
        ...


@dataclass(frozen=True)
class DeclaredHeading:
    """A rule-file heading declaration: blocks matching ``pattern`` are level ``level``."""

    pattern: HeadingPattern
    level: int


@dataclass(frozen=True)
class Heading:
    """A heading block and its level (1 is the highest)."""

    block: int
    level: int
    text: str
    page: int
    declared: bool


@dataclass(frozen=True)
class Section:
    """A heading and every content block up to the next heading of the same or higher level."""

    id: int
    heading: Heading
    block_ids: tuple[int, ...]  # the heading block first
    parent: int | None  # enclosing section id


@dataclass(frozen=True)
class Outline:
    """The document's headings in reading order and the sections they open."""

    headings: tuple[Heading, ...]
    sections: tuple[Section, ...]
    section_of_block: dict[int, int]  # block id -> innermost section id

    def path(self, section_id: int | None) -> tuple[str, ...]:
        """Heading texts from the outermost section down to ``section_id``."""
        titles: list[str] = []
        while section_id is not None:
            section = self.sections[section_id]
            titles.append(section.heading.text)
            section_id = section.parent
        return tuple(reversed(titles))


def _is_heading_candidate(block: Block, body_size: float, beside: bool) -> bool:
    if block.furniture or not block.text.strip() or beside:
        return False
    if len(block.word_ids) > HEADING_MAX_WORDS or len(block.line_ids) > HEADING_MAX_LINES:
        return False
    if not any(ch.isalpha() for ch in block.text):
        return False
    return block.bold or block.size >= body_size + HEADING_SIZE_STEP


def _blocks_with_neighbours(blocks: list[Block]) -> set[int]:
    """Blocks sharing their row with another block of the page: table cells, not headings."""
    by_page: dict[int, list[Block]] = {}
    for block in blocks:
        by_page.setdefault(block.page, []).append(block)
    result: set[int] = set()
    for page_blocks in by_page.values():
        ordered = sorted(page_blocks, key=lambda b: b.rect.y0)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                if b.rect.y0 >= a.rect.y1:
                    break
                overlap = min(a.rect.y1, b.rect.y1) - max(a.rect.y0, b.rect.y0)
                if overlap > 0.5 * min(a.rect.height, b.rect.height):
                    result.update((a.id, b.id))
    return result


def detect_headings(document: Document, declared: tuple[DeclaredHeading, ...] = ()) -> list[Heading]:
    """Headings in reading order: declared patterns first, then font-based detection."""
    content = document.content_blocks()
    beside = _blocks_with_neighbours(content)
    candidates = [b for b in content if _is_heading_candidate(b, document.body_size, b.id in beside)]
    sizes = sorted({b.size for b in candidates if b.size >= document.body_size + HEADING_SIZE_STEP}, reverse=True)
    level_of_size = {size: i + 1 for i, size in enumerate(sizes)}
    bold_level = len(sizes) + 1
    candidate_ids = {b.id for b in candidates}
    headings: list[Heading] = []
    for block in content:
        declared_level = next((d.level for d in declared if d.pattern.search(block.text)), None)
        if declared_level is not None:
            headings.append(Heading(block.id, declared_level, block.text, block.page, True))
        elif block.id in candidate_ids:
            level = level_of_size.get(block.size, bold_level)
            headings.append(Heading(block.id, level, block.text, block.page, False))
    return headings


def build_outline(document: Document, declared: tuple[DeclaredHeading, ...] = ()) -> Outline:
    """Headings and sections of ``document``."""
    headings = detect_headings(document, declared)
    heading_at = {h.block: h for h in headings}
    content_ids = [b.id for b in document.content_blocks()]
    sections: list[Section] = []
    members: list[list[int]] = []
    stack: list[int] = []  # open section ids, outermost first
    section_of_block: dict[int, int] = {}
    for block_id in content_ids:
        heading = heading_at.get(block_id)
        if heading is not None:
            while stack and sections[stack[-1]].heading.level >= heading.level:
                stack.pop()
            sid = len(sections)
            sections.append(Section(sid, heading, (), stack[-1] if stack else None))
            members.append([])
            stack.append(sid)
        for sid in stack:
            members[sid].append(block_id)
        if stack:
            section_of_block[block_id] = stack[-1]
    final = tuple(Section(s.id, s.heading, tuple(members[s.id]), s.parent) for s in sections)
    return Outline(tuple(headings), final, section_of_block)
