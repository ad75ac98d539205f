"""Rules for what a reviewer points at: a block, a run of words, a rectangle, pages, a search.

Each function returns a :class:`~redactor.authoring.rulefile.NewRule` that selects what was
pointed at and that lint accepts: it matches (it is built from the document's own text),
its regexes match literally, and it decides what it selects. Selectors name text, not
coordinates, wherever the rule language allows, so a rule still matches when the source is
exported again with another layout: a block by the shortest prefix of its text that no
other block starts with (as :mod:`redactor.authoring.skeleton` does), a span by its words
narrowed to its page. Only a rectangle is coordinates, because that is what it is.

The level of a block rule follows the precedence rule (:mod:`redactor.plan.precedence`): a
``block:`` rule (level 3) when that is enough to give the block the verdict asked for, a
``text:`` rule over the whole block (level 4) when a block-level withhold would otherwise
win over the release, or a span-level release over the withhold; span rules are also the
only ones that reach running headers and footers.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from redactor.authoring.rulefile import Action, NewRule
from redactor.authoring.yamltext import regex_literal, unique_prefix
from redactor.geometry import Rect
from redactor.pageranges import format_pages
from redactor.plan.model import Plan
from redactor.plan.precedence import OFF_PAGE, Verdict, prevails
from redactor.source.model import Block, Document

Target = Literal["release", "withhold"]
PAGE_LEVEL = 1
BLOCK_LEVEL = 3
SPAN_LEVEL = 4
#: Occurrences of a search listed one by one (all are counted, and a rule selects all).
LISTED = 200


@dataclass(frozen=True)
class Span:
    """A run of words inside one block: what a selection of words on the page becomes."""

    page: int
    block: int
    first: int  # word ids, in the block's order
    last: int
    text: str  # as the rules read it (the block's normalised text)


@dataclass(frozen=True)
class Occurrence:
    """One match of a search: where, and the words it covers."""

    page: int
    block: int
    word_ids: tuple[int, ...]
    excerpt: str


@dataclass(frozen=True)
class _Texts:
    """Sorted block texts of one document, to find unique prefixes among them."""

    content: list[str]  # of content blocks: what block: rules search
    every: list[str]  # of every block, furniture too: what text: rules search


_TEXTS: dict[int, tuple[Document, _Texts]] = {}


def _texts(document: Document) -> _Texts:
    """The document's sorted block texts, made once per document (the last one is kept)."""
    cached = _TEXTS.get(id(document))
    if cached is None or cached[0] is not document:
        _TEXTS.clear()
        texts = _Texts(sorted(b.text for b in document.content_blocks()), sorted(b.text for b in document.blocks))
        cached = _TEXTS[id(document)] = (document, texts)
    return cached[1]


def _wins(level: int, action: Target, verdict: Verdict) -> bool:
    """Would a rule of ``level`` and ``action`` decide an atom that has ``verdict`` now (the planner's precedence)."""
    return prevails(Verdict(action, "", level), verdict)


def _opposed(plan: Plan, block: Block, action: Target) -> list[Verdict]:
    """Verdicts of the block's words that differ from ``action`` and some rule could change."""
    verdicts = (plan.verdicts[w] for w in block.word_ids)
    return [v for v in verdicts if v.action != action and v.rule != OFF_PAGE]


def block_level_needed(plan: Plan, block: Block, action: Target) -> int | None:
    """The level a rule needs to give the block ``action``: 3, 4, or None when nothing would change.

    A release cannot beat a span-level withhold (withhold wins at equal level), so those
    words are left out of the reckoning: they stay withheld whatever the block's rule.
    """
    opposed = _opposed(plan, block, action)
    if action == "release":
        opposed = [v for v in opposed if not (v.withheld and v.level >= SPAN_LEVEL)]
    if not opposed:
        return None
    if not block.furniture and all(_wins(BLOCK_LEVEL, action, v) for v in opposed):
        return BLOCK_LEVEL
    return SPAN_LEVEL


def block_rule(plan: Plan, block_id: int, action: Target, reason: str | None = None) -> NewRule | None:
    """A rule giving the block ``action`` by a prefix of its text; None when it has it already."""
    doc = plan.document
    block = doc.blocks[block_id]
    level = block_level_needed(plan, block, action)
    if level is None:
        return None
    texts = _texts(doc)
    key = "block" if level == BLOCK_LEVEL else "text"
    regex, matches = unique_prefix(block.text, texts.content if key == "block" else texts.every)
    if key == "text" and not regex.endswith("$"):
        regex += ".*"  # the whole block from its prefix on: a span rule over the block
    selector: dict[str, object] = {key: regex}
    if matches > 1:  # the text repeats elsewhere (a running line, a repeated heading)
        selector["pages"] = str(block.page)
    return NewRule(action, selector, f"p{block.page}-block", _reason(action, reason))


def block_selectors(document: Document, block_id: int) -> list[dict[str, object]]:
    """The selectors :func:`block_rule` may write for a block (to find an earlier rule about it)."""
    block = document.blocks[block_id]
    texts = _texts(document)
    found = []
    for key, ordered in (("block", texts.content), ("text", texts.every)):
        regex, matches = unique_prefix(block.text, ordered)
        if key == "text" and not regex.endswith("$"):
            regex += ".*"
        selector: dict[str, object] = {key: regex}
        if matches > 1:
            selector["pages"] = str(block.page)
        found.append(selector)
    return found


def words_in(document: Document, page: int, rect: Rect) -> Span | None:
    """The words a rectangle drawn over a page touches, as one run of the first block it touches."""
    touched = [
        w
        for b in document.pages[page - 1].block_ids
        for w in document.blocks[b].word_ids
        if document.words.rect(w).intersects(rect)
    ]
    if not touched:
        return None
    block = document.blocks[document.words.blocks[touched[0]]]
    inside = [w for w in touched if document.words.blocks[w] == block.id]
    return span(document, block.id, min(inside), max(inside))


def span(document: Document, block_id: int, first: int, last: int) -> Span:
    """The run of words ``first``..``last`` of a block, with its text as rules read it."""
    block = document.blocks[block_id]
    if not (first in block.word_ids and last in block.word_ids and first <= last):
        raise ValueError("the words are not a run of the block")
    text = block.text[document.words.starts[first] : document.words.ends[last]]
    return Span(block.page, block_id, first, last, text)


def span_rule(chosen: Span, action: Target, reason: str | None = None) -> NewRule:
    """A ``text:`` rule for the words, on their page only (the same words elsewhere are not meant)."""
    selector = {"text": regex_literal(chosen.text), "pages": str(chosen.page)}
    return NewRule(action, selector, f"p{chosen.page}-span", _reason(action, reason))


def region_rule(page: int, rect: Rect, action: Target, reason: str | None = None) -> NewRule:
    """A ``region:`` rule (points, top-left origin, rounded to a tenth) on one page."""
    box = [round(v, 1) for v in rect.as_tuple()]
    return NewRule(action, {"region": box, "pages": str(page)}, f"p{page}-region", _reason(action, reason))


def pages_rule(plan: Plan, first: int, last: int, action: Action, reason: str | None = None) -> NewRule:
    """A rule for a run of pages, made as large as the pages when a page rule would not be enough.

    ``pages:`` alone is level 1: on pages where a section, block or span rule (or another
    page rule that withholds) decides otherwise, it would change nothing. Then the rule adds
    a ``region`` as large as the pages, which is level 4 and so decides everything on them
    (a release still leaves span-level withholds withheld: at equal level, withhold wins).
    """
    spec = format_pages(range(first, last + 1))
    name = f"p{first}" if first == last else f"pp{first}-{last}"
    if action == "condense":
        return NewRule(action, {"pages": spec}, name, None)
    doc = plan.document
    numbers = range(first, last + 1)
    verdicts = [
        plan.verdicts[w]
        for n in numbers
        for b in doc.pages[n - 1].block_ids
        if not doc.blocks[b].furniture
        for w in doc.blocks[b].word_ids
    ] + [plan.image_verdicts[i] for n in numbers for i in doc.pages[n - 1].image_ids]
    opposed = [v for v in verdicts if v.action != action and v.rule != OFF_PAGE]
    if action == "release":
        opposed = [v for v in opposed if v.level < SPAN_LEVEL]
    selector: dict[str, object] = {"pages": spec}
    if any(not _wins(PAGE_LEVEL, action, v) for v in opposed):
        width = max(doc.pages[n - 1].width for n in numbers)
        height = max(doc.pages[n - 1].height for n in numbers)
        selector["region"] = [0, 0, float(int(width) + 1), float(int(height) + 1)]
    return NewRule(action, selector, name, _reason(action, reason))


def _fold(text: str) -> str:
    """A search as rules read text: NFKC and single spaces (see source.normalise)."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def search_pattern(query: str, ignore_case: bool) -> re.Pattern[str] | None:
    """The literal search as a compiled pattern; None for an empty one."""
    folded = _fold(query)
    if not folded:
        return None
    return re.compile(regex_literal(folded), re.IGNORECASE if ignore_case else 0)


def search(document: Document, query: str, ignore_case: bool = False) -> tuple[int, list[Occurrence]]:
    """Every occurrence of ``query`` in the blocks' text: the count, and the first :data:`LISTED`."""
    pattern = search_pattern(query, ignore_case)
    if pattern is None:
        return 0, []
    count = 0
    listed: list[Occurrence] = []
    for block in document.blocks:
        for m in pattern.finditer(block.text):
            count += 1
            if len(listed) >= LISTED:
                continue
            words = tuple(w for w in block.word_ids if _overlaps(document, w, m.start(), m.end()))
            excerpt = block.text[max(0, m.start() - 40) : m.end() + 40]
            listed.append(Occurrence(block.page, block.id, words, excerpt))
    return count, listed


def _overlaps(document: Document, word: int, start: int, end: int) -> bool:
    """True when the word touches the characters ``start``..``end`` of its block (as ``text:`` widens)."""
    w = document.words[word]
    return w.start < end and start < max(w.end, w.start + 1)


def search_rule(query: str, ignore_case: bool, action: Target, reason: str | None = None) -> NewRule:
    """A ``text:`` rule for every occurrence of the search, across the document."""
    pattern = search_pattern(query, ignore_case)
    if pattern is None:
        raise ValueError("an empty search selects nothing")
    return NewRule(action, {"text": pattern.pattern}, "search", _reason(action, reason), ignore_case=ignore_case)


def _reason(action: Target, reason: str | None) -> str | None:
    return reason if action == "withhold" else None
