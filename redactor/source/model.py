"""The document as the rules see it: frozen values, 1-based pages, PDF points top-left.

Built once by :mod:`redactor.source.load`; read by the planner, ``inspect`` and the renderers.
Atoms (the units that get a verdict) are words, images and drawings (line art); ids are
indexes into ``Document.words`` / ``Document.images`` / ``Document.drawings``.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field

from redactor.geometry import Rect


@dataclass(frozen=True, slots=True)
class Word:
    """One word: the smallest unit of text that gets a verdict.

    Its box lives in the document's shared coordinate array (four doubles per word, at
    ``4 * id``) rather than as a Rect of four float objects: a 5,000-page document has
    millions of words, and that alone halves their memory.
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


def words_box(words: Sequence[Word], ids: Sequence[int]) -> Rect:
    """The box around the given words (at least one), read from their shared coordinate array.

    No Rect per word: the planner asks for one per line of every withheld run, and a
    thousand pages hold a million words.
    """
    c = words[ids[0]].coords
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
    word_ids: tuple[int, ...]
    furniture: bool


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph, heading or table cell, with its whitespace-normalised text."""

    id: int
    page: int
    rect: Rect
    line_ids: tuple[int, ...]
    word_ids: tuple[int, ...]
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
    words: tuple[Word, ...]
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
