"""Load a source PDF into the :class:`~redactor.source.model.Document` the rules are matched on.

PyMuPDF is imported lazily so ``redactor --help`` stays instant. Text is extracted
without clipping to the media box, so text placed off the page is seen (and, not being
visible, can never be released by a page rule: see plan.py). Optional-content layers are
all switched on first so hidden-layer text is seen too. Each block's text, the one rules
match, is the text as read (see :mod:`redactor.source.normalise`). The file is opened by
:mod:`redactor.source.opening`, which repairs it through qpdf when MuPDF alone would read it
wrong, and refuses it when the readers disagree on its pages.
"""

from __future__ import annotations

import hashlib
import re
import sys
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from redactor.geometry import Rect
from redactor.interrupts import held
from redactor.processes import ordered_map, worker_pool
from redactor.progress import LOADING, Phase, Progress, no_phases
from redactor.source.model import Block, Document, Drawing, Image, Line, Page, WordTable
from redactor.source.normalise import Piece, reading_text, visible
from redactor.source.opening import open_pdf as open_pdf
from redactor.source.opening import open_source

#: Share of the page height at top and bottom where running headers/footers live.
FURNITURE_MARGIN = 0.09
#: A margin line is furniture when its shape (digits folded) repeats on this share of pages.
FURNITURE_REPEAT_SHARE = 0.5
#: Blocks whose top edges differ by less than this are on one row (read left to right).
ROW_TOLERANCE = 2.0
#: Lines of one MuPDF block this far apart horizontally, sharing no extent, are table cells.
COLUMN_GAP = 12.0
#: Glyphs that mark list items, and how far the item's text may start after one.
BULLETS = frozenset("\u2022\u2023\u25aa\u25cf\u25e6\u2043\u2013-*\uf0b7")
BULLET_GAP = 36.0
#: Single-letter words on one line this close (share of the font size) are one word drawn
#: letter by letter, when no typed space separates them (MuPDF splits at ~0.15 x size).
TIGHT_GAP = 0.25
_DIGITS = re.compile(r"\d+")
#: A roman numeral standing alone (a page number such as "iv" or "- XII -").
_ROMAN = re.compile(
    r"(?<![\w#])(?=[ivxlcdm]{1,7}(?![\w#]))"
    r"(?:m{0,3})(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})(?![\w#])",
    re.IGNORECASE,
)
#: What MuPDF's box log calls the painting operations that make line art, and our names.
_ART_KINDS = {"fill-path": "fill", "stroke-path": "stroke", "fill-shade": "shading"}


def show_all_layers(doc: Any) -> None:
    """Switch every optional-content group on, so hidden layers are extracted too.

    A file whose optional-content configuration MuPDF cannot switch (a damaged /OCProperties)
    is read as it is: text of a layer left hidden is then not in the model, so no rule can
    release it, and the keep-list writer drops it with everything else not released.
    """
    ocgs = doc.get_ocgs() or {}
    if ocgs:
        try:
            doc.set_layer(-1, on=list(ocgs))
        except ValueError:  # "bad config number": no default configuration to switch
            pass


def _shape(text: str) -> str:
    """A line's text with its numbers (digit runs, lone roman numerals) folded to ``#``."""
    return _ROMAN.sub("#", _DIGITS.sub("#", " ".join(text.split())))


def _numbers(text: str) -> list[int]:
    """The values of the numbers :func:`_shape` folds, in order (roman numerals read)."""
    text = " ".join(text.split())
    found = [(m.start(), int(m.group())) for m in _DIGITS.finditer(text)]
    found += [(m.start(), _roman_value(m.group())) for m in _ROMAN.finditer(_DIGITS.sub("#", text))]
    return [value for _, value in sorted(found)]


def _roman_value(token: str) -> int:
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
    digits = [values[c] for c in token.lower()]
    return sum(-d if i + 1 < len(digits) and d < digits[i + 1] else d for i, d in enumerate(digits))


#: Pages from which loading is shared among worker processes (below, starting them costs more).
PARALLEL_FROM = 200
#: Pages a worker reads per task.
CHUNK = 25


def load_document(path: str | Path, password: str | None = None, phase: Phase = no_phases, jobs: int = 1) -> Document:
    """Read the source once and build the Document model, reporting each page read to ``phase``.

    With ``jobs`` > 1 and a long source read as it is (no repair), pages are read in that
    many worker processes, each opening the file once; the model is the same either way.
    """

    path = Path(path)
    doc, repairs = open_source(path, password)
    try:
        show_all_layers(doc)
        data = path.read_bytes()  # the original bytes, also when the model is read from a repair
        progress = phase(LOADING, doc.page_count)
        fingerprint = hashlib.sha256(data).hexdigest()
        count = doc.page_count
        if jobs > 1 and count >= parallel_from() and not repairs:
            parts = _read_in_workers(str(path), password, count, jobs, progress)
        else:
            parts = _read_here(doc, progress)
        return _assemble(parts, str(path), fingerprint, repairs)
    finally:
        doc.close()


def parallel_from() -> int:
    """Pages from which loading uses workers (read at each call: tests lower it)."""
    return PARALLEL_FROM


def _read_here(doc: Any, progress: Progress) -> Iterator[PageParts]:
    for index in range(doc.page_count):
        yield read_page(doc[index], index + 1)
        progress(1)


def _read_in_workers(path: str, password: str | None, count: int, jobs: int, progress: Progress) -> Iterator[PageParts]:
    """Pages read in ``jobs`` spawned processes, chunk by chunk, in page order."""
    chunks = [(first, min(first + CHUNK, count)) for first in range(0, count, CHUNK)]
    workers = min(jobs, len(chunks))
    with worker_pool(workers, _open_in_worker, path, password) as pool:
        for parts in ordered_map(pool, _read_chunk, chunks, 1, workers):
            yield from parts
            progress(len(parts))


_WORKER_DOC: Any = None  # a worker's open source


def _open_in_worker(path: str, password: str | None) -> None:
    global _WORKER_DOC
    _WORKER_DOC = open_pdf(path, password)
    show_all_layers(_WORKER_DOC)


def _read_chunk(chunk: tuple[int, int]) -> list[PageParts]:
    return [read_page(_WORKER_DOC[i], i + 1) for i in range(*chunk)]


class _TypedSpaces:
    """Where a page's text has typed spaces, read from its characters only when first asked.

    MuPDF splits a word wherever it sees a gap, adding a space of its own (``synthetic``);
    a space the PDF itself draws is typed. Single letters with only MuPDF's spaces between
    them are one word drawn letter by letter; a typed space is a real word break.
    """

    def __init__(self, textpage: Any) -> None:
        self._textpage = textpage
        self._lines: dict[tuple[int, int], list[float]] | None = None

    def between(self, key: tuple[int, int], x0: float, x1: float) -> bool:
        """True when line ``key`` (block, line) has a typed space centred in [x0, x1]."""
        if self._lines is None:
            self._lines = {}
            raw = [b for b in self._textpage.extractRAWDICT()["blocks"] if b.get("type", 0) == 0]
            for bno, block in enumerate(raw):
                for lno, line in enumerate(block["lines"]):
                    self._lines[(bno, lno)] = [
                        (c["bbox"][0] + c["bbox"][2]) / 2
                        for span in line["spans"]
                        for c in span["chars"]
                        if c["c"].isspace() and not c.get("synthetic", False)
                    ]
        return any(x0 - 0.5 <= x <= x1 + 0.5 for x in self._lines.get(key, ()))


def _tight(
    before: tuple[Any, ...], word: tuple[Any, ...], size: float, raw_line: dict[str, Any], spaces: _TypedSpaces
) -> bool:
    """True when two single-letter words of a horizontal line are one word drawn letter by letter."""
    if len(visible(before[4])) != 1 or len(visible(word[4])) != 1:
        return False
    dx, dy = raw_line.get("dir", (1.0, 0.0))
    if dx <= 0 or abs(dy) > 1e-3 or raw_line.get("wmode", 0):
        return False
    if word[0] - before[2] >= TIGHT_GAP * size:
        return False
    return not spaces.between((word[5], word[6]), before[2], word[0])


@dataclass(frozen=True)
class PageParts:
    """One page as read, with page-local numbering: what a worker process sends back.

    Plain tuples, cheap to pickle; :func:`_assemble` numbers them across the document.
    """

    number: int
    width: float
    height: float
    mediabox: Rect
    cropbox: Rect
    rotation: int
    #: (text, line, start, end, size, bold); ``line`` indexes ``lines``
    words: list[tuple[str, int, int, int, float, bool]]
    boxes: array[float]  # x0, y0, x1, y1 of each word
    #: (block, word indexes, box, text); ``block`` indexes ``blocks``; a line's words are consecutive
    lines: list[tuple[int, range, tuple[float, float, float, float], str]]
    #: (line indexes, word indexes, text, box, size, bold), in reading order
    blocks: list[tuple[tuple[int, ...], range, str, tuple[float, float, float, float], float, bool]]
    images: list[tuple[Rect, int, str]]  # box, xref, digest
    drawings: list[tuple[Rect, str]]  # box, kind


def read_page(page: Any, number: int) -> PageParts:
    """Words, lines, blocks (reading order), images and line art of one page.

    Interrupts wait for the page's end: MuPDF calls back into Python here (see
    :mod:`redactor.interrupts`).
    """
    with held():
        return _read_page(page, number)


def _read_page(page: Any, number: int) -> PageParts:
    import pymupdf

    # ligatures and whitespace as drawn (see source.normalise)
    tp = page.get_textpage(flags=pymupdf.TEXT_PRESERVE_LIGATURES | pymupdf.TEXT_PRESERVE_WHITESPACE)
    stext = tp.extractDICT()
    raw_blocks = [b for b in stext["blocks"] if b.get("type", 0) == 0]
    page_words = _aligned_words(tp.extractWORDS(), raw_blocks)
    typed_spaces = _TypedSpaces(tp)
    by_line: dict[tuple[int, int], list[tuple[Any, ...]]] = {}
    for w in page_words:
        by_line.setdefault((w[5], w[6]), []).append(w)
    order = sorted(
        range(len(raw_blocks)),
        key=lambda i: (round(raw_blocks[i]["bbox"][1] / ROW_TOLERANCE), raw_blocks[i]["bbox"][0]),
    )
    words: list[tuple[str, int, int, int, float, bool]] = []
    boxes: array[float] = array("d")
    lines: list[tuple[int, range, tuple[float, float, float, float], str]] = []
    blocks: list[tuple[tuple[int, ...], range, str, tuple[float, float, float, float], float, bool]] = []
    cells = [[(bno, lno) for lno in cell] for bno in order for cell in _cells(raw_blocks[bno], by_line, bno)]
    for cell in _join_bullets(cells, by_line):
        pieces: list[Piece] = []
        pending: list[tuple[tuple[Any, ...], int, float, bool]] = []
        line_ids: list[int] = []
        for bno, lno in cell:
            raw_line = raw_blocks[bno]["lines"][lno]
            lwords = sorted(by_line.get((bno, lno), []), key=lambda w: w[7])
            if not lwords:
                continue
            line_id = len(lines) + len(line_ids)
            line_ids.append(line_id)
            fonts = _fonts_of(raw_line["spans"])
            for i, w in enumerate(lwords):
                size, bold = _font_of(w, fonts)
                tight = i > 0 and _tight(lwords[i - 1], w, min(size, pending[-1][2]), raw_line, typed_spaces)
                pending.append((w, line_id, size, bold))
                pieces.append(Piece(w[4], line_id, tight))
        if not pending:
            continue
        text, offsets = reading_text(pieces)
        block_id = len(blocks)
        first_word = len(words)
        for (w, line_id, size, bold), (start, end) in zip(pending, offsets, strict=True):
            words.append((w[4], line_id, start, end, size, bold))
            boxes.extend((w[0], w[1], max(w[0], w[2]), max(w[1], w[3])))
        block_words = range(first_word, len(words))
        for line_id in line_ids:  # pending holds the words line by line: a line's are consecutive
            held = [i for i in block_words if words[i][1] == line_id]
            ids = range(held[0], held[-1] + 1)
            lines.append((block_id, ids, _box(boxes, ids), " ".join(words[i][0] for i in ids)))
        sizes = Counter(round(words[i][4] * 2) / 2 for i in block_words)
        blocks.append(
            (
                tuple(line_ids),
                block_words,
                text,
                _box(boxes, block_words),
                sizes.most_common(1)[0][0],
                all(words[i][5] for i in block_words),
            )
        )
    images: list[tuple[Rect, int, str]] = []
    for info in page.get_image_info(xrefs=True) if page.get_images() else ():
        bbox = Rect.of(info["bbox"])
        if not bbox.is_empty:
            images.append((bbox, int(info.get("xref") or 0), (info.get("digest") or b"").hex()))
    drawings = [(Rect.of(box), _ART_KINDS[kind]) for kind, box in page.get_bboxlog() if kind in _ART_KINDS]
    return PageParts(
        number=number,
        width=page.rect.width,
        height=page.rect.height,
        mediabox=_in_text_space(page.mediabox, page.cropbox),
        cropbox=_in_text_space(page.cropbox, page.cropbox),
        rotation=page.rotation,
        words=words,
        boxes=boxes,
        lines=lines,
        blocks=blocks,
        images=images,
        drawings=drawings,
    )


def _box(boxes: array[float], ids: Sequence[int]) -> tuple[float, float, float, float]:
    """The box around some of a page's words (``boxes``: four coordinates per word)."""
    return (
        min(boxes[4 * i] for i in ids),
        min(boxes[4 * i + 1] for i in ids),
        max(boxes[4 * i + 2] for i in ids),
        max(boxes[4 * i + 3] for i in ids),
    )


def _assemble(parts: Iterable[PageParts], path: str, fingerprint: str, repairs: tuple[str, ...] = ()) -> Document:
    """The Document from its pages, numbered across it, running headers and footers found."""
    pages: list[Page] = []
    blocks: list[Block] = []
    lines: list[Line] = []
    words = WordTable()
    images: list[Image] = []
    drawings: list[Drawing] = []
    raw_lines: list[tuple[int, int, str, float, float]] = []  # line id, page, text, y, h
    for part in parts:
        number = part.number
        w0, l0, b0 = len(words), len(lines), len(blocks)
        block_of_line = [b0 + line[0] for line in part.lines]
        words.coords.extend(part.boxes)
        if part.words:
            texts, of_line, starts, ends, sizes, bolds = zip(*part.words, strict=True)
            words.extend(
                number,
                blocks=array("i", [block_of_line[line] for line in of_line]),
                lines=array("i", [l0 + line for line in of_line]),
                texts=[sys.intern(text) for text in texts],  # repeated words share one string
                starts=starts,
                ends=ends,
                sizes=sizes,
                bold=bolds,
            )
        for i, (block, ids, box, text) in enumerate(part.lines):
            rect = Rect(*box)
            raw_lines.append((l0 + i, number, text, rect.center[1], part.height))
            lines.append(Line(l0 + i, number, b0 + block, rect, range(w0 + ids.start, w0 + ids.stop), furniture=False))
        for i, (line_ids, ids, text, box, size, bold) in enumerate(part.blocks):
            blocks.append(
                Block(
                    id=b0 + i,
                    page=number,
                    rect=Rect(*box),
                    line_ids=tuple(l0 + j for j in line_ids),
                    word_ids=range(w0 + ids.start, w0 + ids.stop),
                    text=text,
                    furniture=False,
                    size=size,
                    bold=bold,
                )
            )
        i0, d0 = len(images), len(drawings)
        images += [Image(i0 + i, number, box, xref, digest) for i, (box, xref, digest) in enumerate(part.images)]
        drawings += [Drawing(d0 + i, number, box, kind) for i, (box, kind) in enumerate(part.drawings)]
        pages.append(
            Page(
                number=number,
                width=part.width,
                height=part.height,
                mediabox=part.mediabox,
                cropbox=part.cropbox,
                rotation=part.rotation,
                block_ids=tuple(range(b0, len(blocks))),
                image_ids=tuple(range(i0, len(images))),
                has_text_layer=len(blocks) > b0,
                drawing_ids=tuple(range(d0, len(drawings))),
            )
        )

    furniture = _furniture_lines(raw_lines, len(pages))
    if furniture:
        lines = [
            Line(ln.id, ln.page, ln.block, ln.rect, ln.word_ids, furniture=True) if ln.id in furniture else ln
            for ln in lines
        ]
        blocks = [
            Block(
                b.id,
                b.page,
                b.rect,
                b.line_ids,
                b.word_ids,
                b.text,
                furniture=all(lid in furniture for lid in b.line_ids),
                size=b.size,
                bold=b.bold,
            )
            for b in blocks
        ]
    furniture_line = [ln.furniture for ln in lines]
    body = Counter(
        round(size * 2) / 2 for size, line in zip(words.sizes, words.lines, strict=True) if not furniture_line[line]
    ).most_common(1)
    return Document(
        path=path,
        pages=tuple(pages),
        blocks=tuple(blocks),
        lines=tuple(lines),
        words=words,
        images=tuple(images),
        body_size=body[0][0] if body else 11.0,
        fingerprint=fingerprint,
        drawings=tuple(drawings),
        repairs=repairs,
    )


def _aligned_words(words: list[tuple[Any, ...]], raw_blocks: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """The words with block numbers that index ``raw_blocks`` (the text blocks of the page's dict).

    MuPDF numbers the words' blocks counting blocks its dict leaves out (text wholly outside
    the crop box has an empty box and is dropped there), so on such a page the numbers
    point at the wrong blocks. Each word's block is then found again by the line that holds
    it; a word that no line holds keeps its number only if that block exists.
    """

    def inside(w: tuple[Any, ...], box: Any) -> bool:
        cx, cy = (w[0] + w[2]) / 2, (w[1] + w[3]) / 2
        return box[0] - 1 <= cx <= box[2] + 1 and box[1] - 1 <= cy <= box[3] + 1

    first_of_block = {w[5]: w for w in reversed(words)}  # one word per block is enough to tell
    if all(b < len(raw_blocks) and inside(w, raw_blocks[b]["bbox"]) for b, w in first_of_block.items()):
        return words
    result = []
    for w in words:
        found = next(
            (
                (bno, lno)
                for bno, block in enumerate(raw_blocks)
                if inside(w, block["bbox"])
                for lno, line in enumerate(block["lines"])
                if inside(w, line["bbox"])
            ),
            None,
        )
        if found is not None:
            result.append((*w[:5], found[0], found[1], w[7]))
        elif w[5] < len(raw_blocks):
            result.append(w)
    return result


def _in_text_space(box: Any, cropbox: Any) -> Rect:
    """A page box in the coordinates of the page's text (origin: the crop box's top-left corner).

    PyMuPDF gives page boxes from the media box's top-left corner but text from the crop
    box's: on a page whose crop box does not start at the media box's origin, comparing the
    two unconverted would put released text "outside the crop box".
    """
    return Rect(box.x0 - cropbox.x0, box.y0 - cropbox.y0, box.x1 - cropbox.x0, box.y1 - cropbox.y0)


def _cells(raw: dict[str, Any], by_line: dict[tuple[int, int], list[tuple[Any, ...]]], bno: int) -> list[list[int]]:
    """Split a MuPDF block whose lines stand in separate columns (table cells) into cells.

    MuPDF may put the cells of one table row into a single block; lines that share no
    horizontal extent and are at least COLUMN_GAP apart are different cells. Each cell is
    a list of line indexes of the raw block, cells ordered left to right.
    """
    extents: list[tuple[float, float, int]] = []
    for lno, _ in enumerate(raw["lines"]):
        words = by_line.get((bno, lno), [])
        if words:
            extents.append((min(w[0] for w in words), max(w[2] for w in words), lno))
    if len(extents) < 2:
        return [[e[2] for e in extents]]
    extents.sort()
    cells: list[list[int]] = []
    right = -1e9
    for x0, x1, lno in extents:
        if cells and x0 < right + COLUMN_GAP:
            cells[-1].append(lno)
            right = max(right, x1)
        else:
            cells.append([lno])
            right = x1
    return [sorted(cell) for cell in cells]


def _join_bullets(
    cells: list[list[tuple[int, int]]], by_line: dict[tuple[int, int], list[tuple[Any, ...]]]
) -> list[list[tuple[int, int]]]:
    """A lone bullet glyph joins the text beside it: MuPDF makes the glyph a block of its own.

    Otherwise a list item would be two blocks, and a withheld item two placeholders.
    """

    def words(cell: list[tuple[int, int]]) -> list[tuple[Any, ...]]:
        return [w for key in cell for w in by_line.get(key, [])]

    result: list[list[tuple[int, int]]] = []
    for cell in cells:
        previous = words(result[-1]) if result else []
        current = words(cell)
        if previous and current and len(previous) == 1 and previous[0][4] in BULLETS:
            bullet = previous[0]
            beside = [w for w in current if w[1] < bullet[3] and bullet[1] < w[3]]
            if beside and 0 <= min(w[0] for w in beside) - bullet[2] <= BULLET_GAP:
                result[-1] = result[-1] + cell
                continue
        result.append(cell)
    return result


def _fonts_of(spans: list[dict[str, Any]]) -> list[tuple[float, float, float, bool]]:
    """Each span's horizontal extent, size and weight (read once per line, not per word)."""
    result = []
    for span in spans:
        font = span.get("font", "").lower()
        bold = bool(span.get("flags", 0) & 16) or "bold" in font or font.endswith(("-bd", ",bold"))
        result.append((span["bbox"][0], span["bbox"][2], float(span.get("size", 0.0)), bold))
    return result


def _font_of(word: tuple[Any, ...], fonts: list[tuple[float, float, float, bool]]) -> tuple[float, bool]:
    """Size and weight of the span under the word's horizontal centre (the line's first if none)."""
    cx = (word[0] + word[2]) / 2
    for x0, x1, size, bold in fonts:
        if x0 - 0.5 <= cx <= x1 + 0.5:
            return size, bold
    return fonts[0][2], fonts[0][3]


def _furniture_lines(raw_lines: list[tuple[int, int, str, float, float]], page_count: int) -> set[int]:
    """Lines in the top/bottom margins that repeat across pages apart from the page number.

    Lines are grouped by their text with numbers folded. A group is furniture when it is
    on enough pages and every number that changes from page to page counts the pages
    (its value minus the page number is the same on every page: "5", "- 5 -", "5/115",
    "iv", an offset numbering). Any other changing number ("account 4471-2231: 1,204,331
    EUR") makes the lines content, which page, section and block rules withhold like any text.
    """
    if page_count < 2:
        return set()
    in_margin = [r for r in raw_lines if r[3] < r[4] * FURNITURE_MARGIN or r[3] > r[4] * (1 - FURNITURE_MARGIN)]
    groups: dict[str, list[tuple[int, int, list[int]]]] = {}
    for line_id, page, text, _, _ in in_margin:
        groups.setdefault(_shape(text), []).append((line_id, page, _numbers(text)))
    needed = max(2, int(page_count * FURNITURE_REPEAT_SHARE))
    furniture: set[int] = set()
    for shape, lines in groups.items():
        if len({page for _, page, _ in lines}) < needed and shape != "#":
            continue
        counted = _page_counted(lines)
        furniture.update(line_id for line_id, _, _ in counted)
    return furniture


def _page_counted(lines: list[tuple[int, int, list[int]]]) -> list[tuple[int, int, list[int]]]:
    """The lines of a group whose changing numbers all count pages with the group's offset."""
    width = min(len(numbers) for _, _, numbers in lines)
    if any(len(numbers) != width for _, _, numbers in lines):
        return []
    kept = list(lines)
    for k in range(width):
        values = {numbers[k] for _, _, numbers in kept}
        if len(values) <= 1:
            continue  # the same on every page: part of the running text
        offsets = Counter(numbers[k] - page for _, page, numbers in kept)
        offset, count = offsets.most_common(1)[0]
        if count < 2:
            return []
        kept = [line for line in kept if line[2][k] - line[1] == offset]
    return kept
