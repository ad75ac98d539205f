"""The plan's data: frozen values every rendering reads (PDF points, top-left origin; pages 1-based).

Built by :func:`redactor.plan.decide.decide`; nothing downstream of it decides what is withheld.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from redactor.geometry import Rect
from redactor.plan.precedence import Verdict
from redactor.plan.respace import RespacedLine
from redactor.rules.model import RuleSet
from redactor.source.model import Document
from redactor.source.outline import Outline


@dataclass(frozen=True)
class DrawnText:
    """Text the writer draws after removal: a placeholder or a marking's replacement."""

    kind: Literal["placeholder", "marking"]
    text: str
    origin: tuple[float, float]  # baseline start, PDF points top-left
    size: float
    bold: bool


@dataclass(frozen=True)
class WithheldArea:
    """One withheld run: the unit of removal, of placeholders and of audit entries."""

    id: int
    page: int
    rects: tuple[Rect, ...]
    word_ids: range | tuple[int, ...]  # a run of consecutive words is a range (no int object per word)
    image_ids: tuple[int, ...]
    block_ids: tuple[int, ...]
    rules: tuple[str, ...]  # deciding rule ids, first occurrence order
    level: int  # highest deciding level
    reasons: tuple[str, ...]
    section: int | None  # innermost section of the run's first block
    placeholder: DrawnText | None
    furniture: bool  # a run inside running headers/footers
    drawing_ids: tuple[int, ...] = ()  # withheld line art of the run (or the area's only content)


@dataclass(frozen=True)
class PagePlan:
    """What happens to one source page."""

    number: int
    disposition: Literal["kept", "withheld", "condensed"]
    areas: tuple[WithheldArea, ...]
    keep_rects: tuple[Rect, ...]  # released text: a glyph survives only inside their union
    drawn: tuple[DrawnText, ...]
    rewritten: frozenset[int]  # released words replaced by a marking rewrite
    keep_art: tuple[Rect, ...] = ()  # released line art: a path or shading survives only inside
    keep_images: tuple[Rect, ...] = ()  # released image pixels: only these survive, and only if visible
    drawing_verdicts: tuple[Verdict, ...] = ()  # per Page.drawing_ids
    respaced: tuple[RespacedLine, ...] = ()  # lines ending in withheld words: released words set again


@dataclass(frozen=True)
class CondensedRow:
    """A row of a condensed range: cell texts, or one placeholder row."""

    cells: tuple[str, ...]
    placeholder: bool
    heading_level: int | None  # a released heading laid out as a heading


@dataclass(frozen=True)
class OutputItem:
    """One step of the extract after the cover: a kept page, a placeholder page or a condensed range.

    A withheld run shows a page note ("Pages 78 through 90: NOT DECLASSIFIED"), the tail note,
    or, when ``inline``, the inline placeholder alone, as the rules in ``rules`` asked
    (``placeholder: inline``): the run stood for something the released text introduces, an
    attachment or a table, and the public version marks it like any withheld paragraph.
    """

    kind: Literal["page", "withheld_pages", "condensed"]
    first: int
    last: int
    text: str  # placeholder wording, or the condensed note
    tail: bool  # a withheld run that reaches the end of the document
    tail_page: str
    rows: tuple[CondensedRow, ...] = ()
    inline: bool = False  # a withheld run shown as the inline placeholder, without a page note
    rules: tuple[str, ...] = ()  # of an inline run: the ``placeholder: inline`` rules covering it


@dataclass(frozen=True)
class OutlineEntry:
    """A released heading, for the rebuilt bookmarks and the text rendition."""

    level: int
    title: str
    page: int  # source page


@dataclass(frozen=True)
class Decisions:
    """Every atom's verdict and every page's plan: what the output sequence is read from."""

    document: Document
    ruleset: RuleSet
    outline: Outline
    verdicts: tuple[Verdict, ...]  # per word
    pages: tuple[PagePlan, ...]
    rewrites: dict[int, str]  # first word of a rewritten marking -> replacement text

    def word_text(self, word_id: int) -> str | None:
        """The text a released word shows in the extract: None when withheld or folded into a rewrite."""
        return shown_text(self, word_id)


def shown_text(decided: Decisions | Plan, word_id: int) -> str | None:
    """The text a released word shows in the extract: None when withheld or folded into a rewrite."""
    if decided.verdicts[word_id].withheld:
        return None
    if word_id in decided.rewrites:
        return decided.rewrites[word_id]
    page = decided.pages[decided.document.words.pages[word_id] - 1]
    if word_id in page.rewritten:
        return None
    return decided.document.words.texts[word_id]


@dataclass(frozen=True)
class Plan:
    """The decision, and everything every rendering needs to know about it."""

    document: Document
    ruleset: RuleSet
    outline: Outline
    verdicts: tuple[Verdict, ...]  # per word
    image_verdicts: tuple[Verdict, ...]  # per image
    pages: tuple[PagePlan, ...]
    sequence: tuple[OutputItem, ...]
    released_headings: tuple[OutlineEntry, ...]
    rewrites: dict[int, str]  # first word of a rewritten marking -> replacement text
    collateral: frozenset[int]  # words withheld only because `conceal: line` hid their line
    rule_hits: dict[str, int]  # rule id -> atoms whose verdict it decided

    @property
    def withholds_anything(self) -> bool:
        """True when any content atom is withheld (partial declassification)."""
        return any(p.areas or p.disposition == "withheld" for p in self.pages)

    def word_text(self, word_id: int) -> str | None:
        """The text a released word shows in the extract: None when withheld or folded into a rewrite."""
        return shown_text(self, word_id)

    def areas(self) -> Iterable[WithheldArea]:
        """Every withheld area of every page, in page order."""
        for page in self.pages:
            yield from page.areas
