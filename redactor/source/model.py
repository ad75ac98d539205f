"""The document as the rules see it: frozen values, 1-based pages, PDF points top-left.

Built once by :mod:`redactor.source.load`; read by the planner, ``inspect`` and the renderers.
Atoms (the units that get a verdict) are words, images and drawings (line art); ids are
indexes into ``Document.words`` / ``Document.images`` / ``Document.drawings``.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import overload

from redactor.geometry import Rect


@dataclass(frozen=True, slots=True)
class Word:
    """One word: the smallest unit of text that gets a verdict.

    A view of one row of the document's :class:`WordTable`, made when asked for: the
    table holds the words column by column. Its box lives in the table's coordinate array
    (four doubles per word, at ``4 * id``).
    """

    id: int
    page: int  # 1-based
    block: int  # Document.blocks index
    line: int  # Document.lines index
    text: str  # as extracted (a trailing hyphen, ligatures, soft hyphens kept)
    start: int  # offset of the word in its block's normalised text (Block.text)
    end: int  # end offset (exclusive); excludes a line-break hyphen (end - start may differ from len(text))
    size: float  # font size in points
    bold: bool
    coords: array[float] = field(compare=False, repr=False)

    @property
    def rect(self) -> Rect:
        """The word's box (PDF points, top-left origin)."""
        i = 4 * self.id
        c = self.coords
        return Rect(c[i], c[i + 1], c[i + 2], c[i + 3])


class WordTable(Sequence[Word]):
    """Every word of a document, column by column; indexing it gives :class:`Word` views.

    A 10,000-page document has about four million words. As objects they took about 300
    bytes each (the object, its own int and float objects, and the ids in its line's and
    block's tuples): most of a release's memory. Here a word takes about 70 bytes: one
    reference to its (interned) text, five 32-bit ints, a double, a byte and its four
    coordinates. Code that runs over every word reads the columns directly.
    """

    __slots__ = ("bold", "blocks", "coords", "ends", "lines", "pages", "sizes", "starts", "texts")

    def __init__(self) -> None:
        self.texts: list[str] = []  # as extracted, interned
        self.pages: array[int] = array("i")  # 1-based
        self.blocks: array[int] = array("i")  # Document.blocks index
        self.lines: array[int] = array("i")  # Document.lines index
        self.starts: array[int] = array("i")  # offsets in the block's text, see Word
        self.ends: array[int] = array("i")
        self.sizes: array[float] = array("d")  # font size in points
        self.bold = bytearray()
        self.coords: array[float] = array("d")  # four per word: x0, y0, x1, y1

    def extend(
        self,
        page: int,
        blocks: Sequence[int],
        lines: Sequence[int],
        texts: Sequence[str],
        starts: Sequence[int],
        ends: Sequence[int],
        sizes: Sequence[float],
        bold: Sequence[bool],
    ) -> None:
        """Add one page's words, column by column (their boxes go to ``coords``, four values each)."""
        self.texts.extend(texts)
        self.pages.extend(array("i", [page]) * len(texts))
        self.blocks.extend(blocks)
        self.lines.extend(lines)
        self.starts.extend(starts)
        self.ends.extend(ends)
        self.sizes.extend(sizes)
        self.bold.extend(bold)

    def __len__(self) -> int:
        return len(self.texts)

    @overload
    def __getitem__(self, index: int) -> Word: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Word, ...]: ...

    def __getitem__(self, index: int | slice) -> Word | tuple[Word, ...]:
        if isinstance(index, slice):
            return tuple(self._word(i) for i in range(*index.indices(len(self))))
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self.texts):
            raise IndexError(f"word {index} out of range ({len(self.texts)} words)")
        return self._word(index)

    def __iter__(self) -> Iterator[Word]:
        return map(self._word, range(len(self.texts)))

    def rect(self, i: int) -> Rect:
        """Word ``i``'s box, without making its :class:`Word`."""
        c = self.coords
        return Rect(c[4 * i], c[4 * i + 1], c[4 * i + 2], c[4 * i + 3])

    def _word(self, i: int) -> Word:
        return Word(
            i, self.pages[i], self.blocks[i], self.lines[i], self.texts[i],
            self.starts[i], self.ends[i], self.sizes[i], bool(self.bold[i]), self.coords,
        )  # fmt: skip

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, WordTable):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in self.__slots__)

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self) -> tuple[object, ...]:
        return (_table, tuple(getattr(self, name) for name in self.__slots__))


def _table(*columns: object) -> WordTable:
    table = WordTable()
    for name, column in zip(WordTable.__slots__, columns, strict=True):
        setattr(table, name, column)
    return table


def words_box(words: WordTable, ids: Sequence[int]) -> Rect:
    """The box around the given words (at least one), read from the table's coordinates.

    No Rect per word: the planner asks for one per line of every withheld run, and a
    thousand pages hold a million words.
    """
    c = words.coords
    return Rect(
        min(c[4 * i] for i in ids),
        min(c[4 * i + 1] for i in ids),
        max(c[4 * i + 2] for i in ids),
        max(c[4 * i + 3] for i in ids),
    )


@dataclass(frozen=True, slots=True)
class Line:
    """One text line; furniture lines repeat in the page margins."""

    id: int
    page: int
    block: int
    rect: Rect
    word_ids: range  # words are numbered line by line: a line's are consecutive
    furniture: bool


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph, heading or table cell, with its whitespace-normalised text."""

    id: int
    page: int
    rect: Rect
    line_ids: tuple[int, ...]
    word_ids: range  # consecutive, see Line
    text: str  # as read, what rules match: see source.normalise (NFKC, joins, single spaces)
    furniture: bool  # every line is furniture
    size: float  # dominant font size
    bold: bool  # every word bold


@dataclass(frozen=True, slots=True)
class Image:
    """An image placement on a page."""

    id: int
    page: int
    rect: Rect
    xref: int  # 0 for inline images
    digest: str  # hex md5 of the decoded pixels, as PyMuPDF reports it


@dataclass(frozen=True, slots=True)
class Drawing:
    """Line art: one filled or stroked path, or a smooth shading, as MuPDF paints it.

    Only its box is kept: the planner decides line art by where it lies relative to
    released and withheld text, and the writer keeps or drops each path by that box.
    """

    id: int
    page: int
    rect: Rect
    kind: str  # "fill", "stroke" or "shading"


@dataclass(frozen=True, slots=True)
class Page:
    """One source page."""

    number: int  # 1-based
    width: float
    height: float
    mediabox: Rect  # in text coordinates (origin: the crop box's top-left corner)
    cropbox: Rect  # in text coordinates: (0, 0, width, height) unrotated
    rotation: int
    block_ids: tuple[int, ...]  # reading order
    image_ids: tuple[int, ...]
    has_text_layer: bool
    drawing_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Document:
    """Pages > blocks > lines > words, plus images and drawings; headings are derived in outline.py."""

    path: str
    pages: tuple[Page, ...]
    blocks: tuple[Block, ...]
    lines: tuple[Line, ...]
    words: WordTable
    images: tuple[Image, ...]
    body_size: float  # the most common font size of non-furniture text
    fingerprint: str  # sha256 of the source bytes (the original file's, also when read from a repair)
    drawings: tuple[Drawing, ...] = ()
    #: What opening the source took, one plain sentence each: a repair (the file was read
    #: from qpdf's rewrite, with the page counts each reader saw) or decryption without a
    #: password. Empty for a well-formed file. Facts about the source, for stderr and the audit.
    repairs: tuple[str, ...] = ()

    @property
    def page_count(self) -> int:
        """Number of pages."""
        return len(self.pages)

    def content_blocks(self) -> list[Block]:
        """Non-furniture blocks in reading order across pages."""
        return [self.blocks[b] for p in self.pages for b in p.block_ids if not self.blocks[b].furniture]
