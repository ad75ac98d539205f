"""Lines whose released words are set again at natural spacing: a withheld span at the line end.

On a justified line the words are spread to fill the column, by word spacing (``Tw``),
by offsets between words or by placing each word. When the line ends with withheld
words, that stretch tells where the withheld span began, and the column edge (read off
any other line) tells where it ended: its width follows. Such a line's released words
are therefore set again from the line's start with the paragraph's natural gap between
them (never wider than the gap they had); a gap that held withheld words mid-line keeps
its width (the measurable trace ``docs/limitations.md`` names).

The planner computes the new positions here; the writer applies them and ``verify``
accepts released glyphs at either place. Nothing here changes what is withheld.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median

import regex

from redactor.geometry import Rect
from redactor.plan.precedence import Verdict
from redactor.source.model import Block, Document

#: The natural gap between words, as a share of the font size, when the paragraph has no
#: line of its own to read it from, and the bounds it is kept within.
DEFAULT_GAP = 0.25
MIN_GAP, MAX_GAP = 0.15, 0.5
#: Words whose vertical centres differ by more than this share of their height are not on
#: one horizontal line (rotated or vertical text is left as it is).
SAME_BASELINE = 0.3
#: A list marker starting a row ("•", "-", "1.", "(a)", "iv)"): the gap after it is an
#: indent to a tab stop, not stretch, and keeps its width.
LIST_MARKER = regex.compile(r"[•◦▪‣·*\-–—]|\(?(?:\d{1,3}|[ivxlcdm]{1,5}|[a-z])[.)]", regex.IGNORECASE)


@dataclass(frozen=True)
class RespacedWord:
    """A released word of a respaced line: where it was and how far it moves (left, in points)."""

    word_id: int
    rect: Rect  # in the source
    shift: float  # <= 0: new x = rect.x0 + shift


@dataclass(frozen=True)
class RespacedLine:
    """A row of a paragraph whose released words the writer sets again at natural spacing."""

    line_ids: tuple[int, ...]  # the reader's lines making the row (it splits a line at wide gaps)
    rect: Rect  # the row's box in the source
    words: tuple[RespacedWord, ...]  # left to right
    end: float  # where the released words end once respaced (x, points)
    gap: float  # the natural gap used (points)
    size: float  # font size of its words (points)


def respaced_lines(
    doc: Document, rows_by_block: dict[int, list[list[int]]], verdicts: Sequence[Verdict]
) -> tuple[RespacedLine, ...]:
    """Every row that ends in withheld words after released ones, respaced.

    ``rows_by_block`` holds the :func:`visual_rows` of the page's blocks that have withheld
    words (the planner reads them once, for the released text area too).
    """
    result: list[RespacedLine] = []
    for block_id, rows in rows_by_block.items():
        trailing = [row for row in rows if _ends_withheld(row, verdicts)]
        if not trailing:
            continue
        gap = _natural_gap(doc, doc.blocks[block_id], [row for row in rows if row not in trailing])
        for row in trailing:
            if (line := _respaced(doc, row, verdicts, gap)) is not None:
                result.append(line)
    return tuple(result)


def visual_rows(doc: Document, block: Block) -> list[list[int]]:
    """The block's words by visual row, left to right.

    The reader splits a line where a gap is wide (a justified line with few words, words
    placed one by one): such pieces on one baseline are one row of the paragraph.
    """
    rows: list[list[int]] = []
    for line_id in block.line_ids:
        ids = list(doc.lines[line_id].word_ids)
        if not ids:
            continue
        box = doc.lines[line_id].rect
        for row in rows:
            other = doc.words.rect(row[0])
            if abs(other.center[1] - box.center[1]) <= SAME_BASELINE * max(other.height, box.height):
                row.extend(ids)
                row.sort(key=lambda w: doc.words.rect(w).x0)
                break
        else:
            rows.append(ids)
    return rows


def _ends_withheld(row: list[int], verdicts: Sequence[Verdict]) -> bool:
    """True when the row's last word is withheld and a released word comes before it."""
    return verdicts[row[-1]].withheld and any(not verdicts[w].withheld for w in row)


def _natural_gap(doc: Document, block: Block, others: list[list[int]]) -> float:
    """The paragraph's narrowest typical gap between words, read on its other rows.

    The last line of a justified paragraph is set at natural spacing, so the smallest
    median gap of the block's rows is close to the font's space. The respaced rows
    themselves are not read: their gaps are what must not be told.
    """
    size = block.size or 10.0
    medians = []
    for row in others:
        rects = [doc.words.rect(w) for w in row]
        gaps = [b.x0 - a.x1 for a, b in zip(rects, rects[1:], strict=False) if b.x0 > a.x1]
        if gaps:
            medians.append(median(gaps))
    gap = min(medians) if medians else DEFAULT_GAP * size
    return max(MIN_GAP * size, min(MAX_GAP * size, gap))


def _respaced(doc: Document, row: list[int], verdicts: Sequence[Verdict], gap: float) -> RespacedLine | None:
    """New places of one row's released words: each right after the one before, at ``gap``."""
    last_released = max(i for i, w in enumerate(row) if not verdicts[w].withheld)
    rects = [doc.words.rect(w) for w in row]
    if not _horizontal(rects):
        return None
    words: list[RespacedWord] = []
    x = 0.0  # the new start of the word in hand
    after_withheld = False
    for i, word_id in enumerate(row[: last_released + 1]):
        rect = rects[i]
        if verdicts[word_id].withheld:
            after_withheld = True
            continue
        if not words:  # the first released word stays where it is
            x = rect.x0
        else:
            previous = doc.words.rect(words[-1].word_id)
            had = rect.x0 - previous.x1
            # A gap that held withheld words keeps its width: narrowing it would not hide
            # the span (the released words after it show where it ends) and would leave no
            # room for its placeholder.
            kept = after_withheld or (len(words) == 1 and LIST_MARKER.fullmatch(doc.words.texts[words[0].word_id]))
            x += previous.width + (had if kept else max(0.0, min(had, gap)))
        words.append(RespacedWord(word_id, rect, min(0.0, x - rect.x0)))
        x = rect.x0 + words[-1].shift
        after_withheld = False
    last = words[-1]
    end = last.rect.x1 + last.shift
    size = median(doc.words.sizes[w.word_id] for w in words) or 10.0
    box = rects[0]
    for r in rects[1:]:
        box = box.union(r)
    lines = tuple(dict.fromkeys(doc.words.lines[w] for w in row))
    return RespacedLine(lines, box, tuple(words), end, gap, size)


def _horizontal(rects: Sequence[Rect]) -> bool:
    """True when the boxes run left to right on one baseline (upright text)."""
    for a, b in zip(rects, rects[1:], strict=False):
        if b.x0 < a.x0 or abs(a.center[1] - b.center[1]) > SAME_BASELINE * max(a.height, b.height):
            return False
    return True
