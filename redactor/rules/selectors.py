"""Selector kinds: what each key of a ``release:``/``withhold:`` selector picks out.

Each kind is one class that owns everything about its keys: their schema (the pydantic
fields the rule file may give), their validation and compilation at parse time, their
precedence level, whether they need a text layer, the regexes lint and the no-match hint
read, and ``select``. Adding a kind is one new class in :data:`KINDS` plus its tests.

Several kinds in one selector narrow each other (the intersection). Furniture words are
outside the reach of page, section and block selectors (they are not content) but span
selectors (``text``, ``region``) reach them.

Selectors live with the rule language but read the document model: a selector is the rule
file's name for a set of atoms of a document (``rules`` sits above ``source``).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from array import array
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal, Protocol, TypeVar

from pydantic import Field
from typing_extensions import override

from redactor.errors import RuleError
from redactor.geometry import Rect
from redactor.pageranges import parse_pages
from redactor.rules.patterns import RulePattern
from redactor.source.model import Document
from redactor.source.normalise import HARD_HYPHENS, ZERO_WIDTH
from redactor.source.outline import Outline

# --------------------------------------------------------------------------- what selectors read and return


@dataclass
class Selection:
    """Atoms picked by a selector: word ids, image ids, and explicit areas per page."""

    #: a set while selectors combine selections; the planner keeps it as a sorted array of ids
    #: (see :meth:`compact`): a range of pages selects every word of those pages
    words: set[int] | array[int] = field(default_factory=set)
    images: set[int] = field(default_factory=set)
    areas: dict[int, list[Rect]] = field(default_factory=dict)  # page -> region rectangles

    def narrow(self, other: Selection) -> Selection:
        """Keep only the atoms both select; a region's explicit areas are kept as they are."""
        return Selection(
            _as_set(self.words) & _as_set(other.words), self.images & other.images, self.areas or other.areas
        )

    def compact(self) -> Selection:
        """The same selection with its word ids in an array: 4 bytes a word instead of about 60."""
        return Selection(array("i", sorted(self.words)), self.images, self.areas)

    @property
    def empty(self) -> bool:
        """True when nothing at all is selected."""
        return not self.words and not self.images


def _as_set(ids: set[int] | array[int]) -> set[int]:
    """The ids as a set (selectors combine sets; only the planner's kept copy is an array)."""
    return ids if isinstance(ids, set) else set(ids)


@dataclass(frozen=True)
class Context:
    """What selectors read: the document, its outline, and derived indexes."""

    document: Document
    outline: Outline
    image_block: dict[int, int]  # image id -> the content block it sits under (reading order)
    #: block id -> its text with line-end hyphens kept, and where they stand (see hyphen_readings)
    hyphen_kept: dict[int, tuple[str, tuple[int, ...]]] = field(default_factory=dict)

    @classmethod
    def of(cls, document: Document, outline: Outline) -> Context:
        """The context of a document and its outline, image anchors and hyphen readings derived."""
        return cls(document, outline, image_anchors(document), hyphen_readings(document))

    def content_words_of_blocks(self, block_ids: set[int]) -> set[int]:
        """Word ids of the given blocks, furniture excluded."""
        doc = self.document
        return {w for b in block_ids for w in doc.blocks[b].word_ids if not doc.blocks[b].furniture}

    def images_of_blocks(self, block_ids: set[int]) -> set[int]:
        """Images anchored under the given blocks."""
        return {i for i, b in self.image_block.items() if b in block_ids}

    def section_blocks(self, pattern: RulePattern, level: int | None) -> set[int]:
        """Blocks of every section whose heading matches (of the given level, if any)."""
        blocks: set[int] = set()
        for section in self.outline.sections:
            if pattern.search(section.heading.text) and (level is None or section.heading.level == level):
                blocks.update(section.block_ids)
        return blocks


def hyphen_readings(document: Document) -> dict[int, tuple[str, tuple[int, ...]]]:
    """Blocks where a hard hyphen at a line end joins two words: their text with it kept.

    The matching text joins "Night-" / "Jar" into ``NightJar`` (a name broken by hyphenation
    must match as written whole), but "Client-" / "Specified" is the compound
    "Client-Specified", where ``Client`` must match too. Text rules search both readings.
    Returns, per such block, the other reading and the positions of the hyphens in it.
    """
    readings: dict[int, tuple[str, tuple[int, ...]]] = {}
    words = document.words
    lines, starts, ends, texts = words.lines, words.starts, words.ends, words.texts
    for block in document.blocks:
        joins = []
        for a in block.word_ids[:-1]:  # each word and the next (a block's words are consecutive)
            if lines[a] != lines[a + 1] and ends[a] == starts[a + 1] and _hard_hyphen_end(texts[a]):
                joins.append(ends[a])
        if joins:
            parts, previous = [], 0
            for join in joins:
                parts += [block.text[previous:join], "-"]
                previous = join
            parts.append(block.text[previous:])
            readings[block.id] = ("".join(parts), tuple(join + k for k, join in enumerate(joins)))
    return readings


def _hard_hyphen_end(text: str) -> bool:
    """True for a word ending in a hyphen that is written (not the soft hyphen)."""
    return text.rstrip(ZERO_WIDTH).endswith(HARD_HYPHENS)


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


# --------------------------------------------------------------------------- parsing support


class PartInput(Protocol):
    """What a kind reads while parsing: the given values, compiled regexes, positioned errors."""

    @property
    def rule_id(self) -> str:
        """The id of the rule being parsed, for messages."""
        ...

    @property
    def values(self) -> Mapping[str, Any]:
        """Schema field name -> value, only the keys given."""
        ...

    def regex(self, name: str) -> RulePattern:
        """The named field compiled (rule flags applied, folded like the text), or a positioned RuleError."""
        ...

    def error(self, message: str, name: str | None, hint: str) -> RuleError:
        """A RuleError at the named field (or the selector itself)."""
        ...


class SelectorPart(ABC):
    """One kind of selector key (or pair of keys) with its compiled parameters."""

    #: Schema field name -> (type, pydantic Field) for the rule file model.
    fields: ClassVar[dict[str, tuple[Any, Any]]]
    #: Precedence level: 1 pages, 2 section, 3 block, 4 span; 0 only narrows.
    level: ClassVar[int]
    #: True when the kind matches text, so it cannot work on a page without a text layer.
    needs_text: ClassVar[bool] = False
    #: Which texts a typo in its pattern is compared with for the no-match hint.
    candidates: ClassVar[Literal["headings", "blocks"] | None] = None

    @classmethod
    @abstractmethod
    def parse(cls, given: PartInput) -> SelectorPart | None:
        """The part for the given values, None when none of its keys is given."""

    @abstractmethod
    def select(self, ctx: Context, selector: Selector) -> Selection:
        """The atoms this part picks (``selector`` is the whole selector, for cross-kind reads)."""

    def patterns(self) -> Iterator[tuple[str, RulePattern]]:
        """The regexes of this part, by their YAML key."""
        return iter(())


def _given(given: PartInput, *names: str) -> bool:
    return any(n in given.values for n in names)


def _regex(given: PartInput, name: str) -> RulePattern:
    """The named pattern, folded like the text it is matched against (see source.normalise)."""
    return given.regex(name)


@dataclass(frozen=True)
class Pages(SelectorPart):
    """``pages: "3-6, 9, 107-end"``: whole pages (content only unless a span kind narrows)."""

    spec: str
    fields: ClassVar[dict[str, tuple[Any, Any]]] = {"pages": (str | int | None, None)}
    level: ClassVar[int] = 1

    @classmethod
    @override
    def parse(cls, given: PartInput) -> Pages | None:
        return cls(str(given.values["pages"])) if _given(given, "pages") else None

    @override
    def select(self, ctx: Context, selector: Selector) -> Selection:
        doc = ctx.document
        pages = set(parse_pages(self.spec, doc.page_count))
        blocks = {b for p in pages for b in doc.pages[p - 1].block_ids}
        words = {w for b in blocks for w in doc.blocks[b].word_ids}
        if selector.get(Text) is None:
            words = {w for w in words if not doc.lines[doc.words.lines[w]].furniture}
        images = {i for p in pages for i in doc.pages[p - 1].image_ids}
        return Selection(words, images)


@dataclass(frozen=True)
class Section(SelectorPart):
    """``section: REGEX`` (+ ``level: N``): a heading and everything up to the next of its level."""

    pattern: RulePattern
    heading_level: int | None
    fields: ClassVar[dict[str, tuple[Any, Any]]] = {
        "section": (str | None, None),
        "level": (int | None, Field(default=None, ge=1, le=9)),
    }
    level: ClassVar[int] = 2
    needs_text: ClassVar[bool] = True
    candidates: ClassVar[Literal["headings", "blocks"] | None] = "headings"

    @classmethod
    @override
    def parse(cls, given: PartInput) -> Section | None:
        if _given(given, "level") and not _given(given, "section"):
            raise given.error(
                f"rule '{given.rule_id}' gives level without section.",
                "level",
                "level narrows a section: selector to headings of that level.",
            )
        if not _given(given, "section"):
            return None
        return cls(_regex(given, "section"), given.values.get("level"))

    @override
    def select(self, ctx: Context, selector: Selector) -> Selection:
        blocks = ctx.section_blocks(self.pattern, self.heading_level)
        return Selection(ctx.content_words_of_blocks(blocks), ctx.images_of_blocks(blocks))

    @override
    def patterns(self) -> Iterator[tuple[str, RulePattern]]:
        yield "section", self.pattern


@dataclass(frozen=True)
class Block(SelectorPart):
    """``block: REGEX``: every text block (paragraph, table cell) whose text matches."""

    pattern: RulePattern
    fields: ClassVar[dict[str, tuple[Any, Any]]] = {"block": (str | None, None)}
    level: ClassVar[int] = 3
    needs_text: ClassVar[bool] = True
    candidates: ClassVar[Literal["headings", "blocks"] | None] = "blocks"

    @classmethod
    @override
    def parse(cls, given: PartInput) -> Block | None:
        return cls(_regex(given, "block")) if _given(given, "block") else None

    @override
    def select(self, ctx: Context, selector: Selector) -> Selection:
        blocks = {b.id for b in ctx.document.content_blocks() if self.pattern.search(b.text)}
        return Selection(ctx.content_words_of_blocks(blocks), set())

    @override
    def patterns(self) -> Iterator[tuple[str, RulePattern]]:
        yield "block", self.pattern


@dataclass(frozen=True)
class FromTo(SelectorPart):
    """``from: REGEX, to: REGEX``: the blocks from the first match of ``from`` through ``to``."""

    start: RulePattern
    end: RulePattern
    fields: ClassVar[dict[str, tuple[Any, Any]]] = {
        "from_": (str | None, Field(default=None, alias="from")),
        "to": (str | None, None),
    }
    level: ClassVar[int] = 3
    needs_text: ClassVar[bool] = True
    candidates: ClassVar[Literal["headings", "blocks"] | None] = "blocks"

    @classmethod
    @override
    def parse(cls, given: PartInput) -> FromTo | None:
        has_from, has_to = _given(given, "from_"), _given(given, "to")
        if has_from != has_to:
            present, missing = ("from", "to") if has_from else ("to", "from")
            raise given.error(
                f"rule '{given.rule_id}' gives {present} without {missing}.", None, "from: and to: go together."
            )
        return cls(_regex(given, "from_"), _regex(given, "to")) if has_from else None

    @override
    def select(self, ctx: Context, selector: Selector) -> Selection:
        chosen: set[int] = set()
        inside = False
        for block in ctx.document.content_blocks():
            if not inside and self.start.search(block.text):
                inside = True
            if inside:
                chosen.add(block.id)
                if self.end.search(block.text):
                    inside = False
        return Selection(ctx.content_words_of_blocks(chosen), set())

    @override
    def patterns(self) -> Iterator[tuple[str, RulePattern]]:
        yield "from", self.start
        yield "to", self.end


@dataclass(frozen=True)
class Text(SelectorPart):
    """``text: REGEX``: exactly the matched characters, widened to whole words."""

    pattern: RulePattern
    fields: ClassVar[dict[str, tuple[Any, Any]]] = {"text": (str | None, None)}
    level: ClassVar[int] = 4
    needs_text: ClassVar[bool] = True
    candidates: ClassVar[Literal["headings", "blocks"] | None] = "blocks"

    @classmethod
    @override
    def parse(cls, given: PartInput) -> Text | None:
        return cls(_regex(given, "text")) if _given(given, "text") else None

    @override
    def select(self, ctx: Context, selector: Selector) -> Selection:
        doc = ctx.document
        words: set[int] = set()
        for block in doc.blocks:
            spans = [(m.start(), m.end()) for m in self.pattern.finditer(block.text)]
            if block.id in ctx.hyphen_kept:  # the other reading, offsets brought back to block.text
                text, hyphens = ctx.hyphen_kept[block.id]
                for m in self.pattern.finditer(text):
                    before = [h for h in hyphens if h < m.start()], [h for h in hyphens if h < m.end()]
                    spans.append((m.start() - len(before[0]), m.end() - len(before[1])))
            starts, ends = doc.words.starts, doc.words.ends
            for start, end in spans:
                if end == start:
                    continue
                for wid in block.word_ids:
                    if starts[wid] < end and start < max(ends[wid], starts[wid] + 1):
                        words.add(wid)
        return Selection(words, set())

    @override
    def patterns(self) -> Iterator[tuple[str, RulePattern]]:
        yield "text", self.pattern


@dataclass(frozen=True)
class Region(SelectorPart):
    """``region: [x0, y0, x1, y1]`` with ``pages:``: all inside the rectangle (points, top-left)."""

    rect: tuple[float, float, float, float]
    pages: str
    fields: ClassVar[dict[str, tuple[Any, Any]]] = {
        "region": (list[float] | None, Field(default=None, min_length=4, max_length=4)),
    }
    level: ClassVar[int] = 4

    @classmethod
    @override
    def parse(cls, given: PartInput) -> Region | None:
        if not _given(given, "region"):
            return None
        if not _given(given, "pages"):
            raise given.error(
                f"rule '{given.rule_id}' gives region without pages.",
                "region",
                'say which pages the rectangle applies to, e.g. pages: "3".',
            )
        x0, y0, x1, y1 = given.values["region"]
        if x1 <= x0 or y1 <= y0:
            raise given.error(
                f"region {given.values['region']} is empty or inverted.",
                "region",
                "write [x0, y0, x1, y1] in points, top-left origin, with x0 < x1 and y0 < y1.",
            )
        return cls((x0, y0, x1, y1), str(given.values["pages"]))

    @override
    def select(self, ctx: Context, selector: Selector) -> Selection:
        area = Rect.of(self.rect)
        doc = ctx.document
        pages = set(parse_pages(self.pages, doc.page_count))
        words = {
            w for p in pages for b in doc.pages[p - 1].block_ids for w in doc.blocks[b].word_ids
            if area.contains_point(*doc.words.rect(w).center)
        }  # fmt: skip
        images = {i.id for i in doc.images if i.page in pages and i.rect.intersects(area)}
        return Selection(words, images, {p: [area] for p in pages})


@dataclass(frozen=True)
class Images(SelectorPart):
    """``images: true``: images (narrowed by ``pages:``/``section:``)."""

    fields: ClassVar[dict[str, tuple[Any, Any]]] = {"images": (bool | None, None)}
    level: ClassVar[int] = 4

    @classmethod
    @override
    def parse(cls, given: PartInput) -> Images | None:
        if given.values.get("images") is False:
            raise given.error("images: false selects nothing.", "images", "write images: true, or drop the key.")
        return cls() if _given(given, "images") else None

    @override
    def select(self, ctx: Context, selector: Selector) -> Selection:
        return Selection(set(), {i.id for i in ctx.document.images})


@dataclass(frozen=True)
class Within(SelectorPart):
    """``within: REGEX``: narrows any selector to a section; decides no level of its own."""

    pattern: RulePattern
    fields: ClassVar[dict[str, tuple[Any, Any]]] = {"within": (str | None, None)}
    level: ClassVar[int] = 0
    needs_text: ClassVar[bool] = True
    candidates: ClassVar[Literal["headings", "blocks"] | None] = "headings"

    @classmethod
    @override
    def parse(cls, given: PartInput) -> Within | None:
        return cls(_regex(given, "within")) if _given(given, "within") else None

    @override
    def select(self, ctx: Context, selector: Selector) -> Selection:
        blocks = ctx.section_blocks(self.pattern, None)
        return Selection(ctx.content_words_of_blocks(blocks), ctx.images_of_blocks(blocks))

    @override
    def patterns(self) -> Iterator[tuple[str, RulePattern]]:
        yield "within", self.pattern


#: The registry, in the order of the rule language's documentation; hints follow this order.
KINDS: tuple[type[SelectorPart], ...] = (Pages, Section, Block, FromTo, Text, Region, Images, Within)


def schema_fields() -> dict[str, tuple[Any, Any]]:
    """Every selector key's pydantic field, for the rule file schema."""
    return {name: spec for kind in KINDS for name, spec in kind.fields.items()}


# --------------------------------------------------------------------------- the selector

P = TypeVar("P", bound=SelectorPart)


@dataclass(frozen=True)
class Selector:
    """A validated selector: the parts its keys give, in registry order."""

    parts: tuple[SelectorPart, ...]

    def get(self, kind: type[P]) -> P | None:
        """The part of the given kind, if the selector has one."""
        return next((p for p in self.parts if isinstance(p, kind)), None)

    @property
    def level(self) -> int:
        """Precedence level: the most specific kind's (1 pages, 2 section, 3 block, 4 span)."""
        return max([1, *(p.level for p in self.parts)])

    @property
    def needs_text(self) -> bool:
        """True when any part matches text."""
        return any(p.needs_text for p in self.parts)

    @property
    def pages(self) -> str | None:
        """The ``pages:`` range as written, if given."""
        part = self.get(Pages)
        return part.spec if part is not None else None

    def patterns(self) -> list[tuple[str, RulePattern]]:
        """Every regex of the selector, by YAML key."""
        return [kp for part in self.parts for kp in part.patterns()]

    def first_pattern(self) -> tuple[RulePattern, Literal["headings", "blocks"]] | None:
        """The pattern a typo hint compares with candidates, and which candidates."""
        for part in self.parts:
            found = next(part.patterns(), None)
            if found is not None and part.candidates is not None:
                return found[1], part.candidates
        return None

    def select(self, ctx: Context) -> Selection:
        """Every atom the selector picks: the intersection over its parts."""
        result: Selection | None = None
        for part in self.parts:
            if isinstance(part, Pages) and self.get(Region) is not None:
                continue  # region resolves its own pages
            chosen = part.select(ctx, self)
            result = chosen if result is None else result.narrow(chosen)
        return result or Selection()


def parse_selector(given: PartInput) -> Selector:
    """The selector of a rule: every kind reads its keys; an empty selector is an error."""
    if all(value is False for value in given.values.values()):
        raise given.error(
            f"rule '{given.rule_id}' has an empty selector.",
            None,
            "give at least one of pages, section, block, from/to, text, region, images.",
        )
    parts = tuple(part for kind in KINDS if (part := kind.parse(given)) is not None)
    return Selector(parts)
