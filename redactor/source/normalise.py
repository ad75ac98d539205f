"""Text as a reader reads it: what every rule pattern is matched against.

A PDF's extracted text can differ from what a reader sees on the page: ligature glyphs
(U+FB00..FB06, kept by the extraction), soft hyphens and zero-width characters inside a
word, a word split by a hyphen at a line end, or a word drawn one letter at a time. A
pattern must match the word as read, or a withheld name is released. This module holds
the rules of that reading: the normalisation of one piece of text, the joining of a
block's words into the text rules search, and the same normalisation of a pattern.

Each word's offsets point into the block text built here from the normalised words, so a
match maps back to the words it covers even where normalising changes a word's length
(NFKC turns "ﬃ" into "ffi").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import NamedTuple

#: Zero-width characters: no glyph, no width, nothing a reader sees.
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
SOFT_HYPHEN = "\u00ad"
#: Characters dropped from the matching text: the soft hyphen and the zero-width characters.
INVISIBLE = SOFT_HYPHEN + ZERO_WIDTH
#: Hyphens written to be seen: at a line end they may belong to a compound ("Client-Specified").
HARD_HYPHENS = ("-", "\u2010")
#: Hyphens that, at the end of a line and followed by a letter, join a word split across it.
LINE_HYPHENS = (*HARD_HYPHENS, SOFT_HYPHEN)
_DROP = {ord(c): None for c in INVISIBLE}
_REGEX_SYNTAX = frozenset("\\.^$*+?{}[]|()")


def visible(text: str) -> str:
    """``text`` without its invisible characters (soft hyphens, zero-width characters)."""
    return text.translate(_DROP)


def normalise_for_matching(text: str) -> str:
    """``text`` as rules match it: invisible characters removed, NFKC, whitespace collapsed.

    NFKC folds compatibility characters into what they read as: ligatures ("ﬁ" -> "fi"),
    full-width forms, superscript digits, the no-break space.
    """
    if not text.isascii():
        text = unicodedata.normalize("NFKC", visible(text))
    return " ".join(text.split())


def normalise_pattern(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """A rule pattern folded like the text it searches, so "Ofﬁce" in a rule matches too.

    A character that NFKC would turn into regex syntax (a full-width parenthesis, say) is
    folded into its escaped literal, so folding never changes what the pattern means.
    """
    source = pattern.pattern
    if source.isascii():
        return pattern
    protected = "".join(_literal(ch) for ch in visible(source))
    folded_source = unicodedata.normalize("NFKC", protected)
    if folded_source == source:
        return pattern
    try:
        return re.compile(folded_source, pattern.flags)
    except re.error:  # pragma: no cover - folding keeps the syntax; kept as written if not
        return pattern


def _literal(ch: str) -> str:
    """``ch`` for a pattern: its NFKC form escaped when that is regex syntax, else as it is."""
    if ch.isascii():
        return ch
    folded = unicodedata.normalize("NFKC", ch)
    return re.escape(folded) if _REGEX_SYNTAX.intersection(folded) else ch


class Piece(NamedTuple):
    """One extracted word as the block text reads it."""

    text: str  # as extracted
    line: int  # the line it is on (a change of line allows hyphenation to join)
    tight: bool  # drawn against the previous word with no space: one word drawn in pieces


def _hyphen_stem(piece: Piece, previous: str) -> str | None:
    """The word without its line-end hyphen when it may join the next line, else None.

    ``previous`` is the matching text of the word before (for a hyphen drawn on its own
    as the last letter of a word drawn letter by letter).
    """
    text = piece.text.rstrip(ZERO_WIDTH)
    if not text.endswith(LINE_HYPHENS):
        return None
    stem = text[:-1]
    core = visible(stem)
    before = core[-1:] if core else (previous[-1:] if piece.tight else "")
    return stem if before.isalpha() else None


def reading_text(pieces: Sequence[Piece]) -> tuple[str, list[tuple[int, int]]]:
    """The matching text of a block and each word's (start, end) offsets in it.

    Words are normalised (:func:`normalise_for_matching`) and joined by single spaces; a
    word drawn tight against the previous one joins it with no space; a word ending in a
    hyphen at a line end, after a letter, joins the next line's first word when that
    starts with a letter, the hyphen dropped (its offsets then exclude the hyphen). A word
    that normalises to nothing gets an empty span where it stands.
    """
    shown = [normalise_for_matching(p.text) for p in pieces]
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    length = 0
    glue = False  # the last word shown ended in a line-break hyphen
    last = ""
    for i, piece in enumerate(pieces):
        text = shown[i]
        nxt = i + 1 < len(pieces) and pieces[i + 1].line != piece.line and shown[i + 1][:1].isalpha()
        stem = _hyphen_stem(piece, last) if nxt else None
        if stem is not None:
            text = normalise_for_matching(stem)
        if text and length and not glue and not piece.tight:
            parts.append(" ")
            length += 1
        spans.append((length, length + len(text)))
        parts.append(text)
        length += len(text)
        if text or stem is not None:
            glue = stem is not None
            last = text or last
    return "".join(parts), spans
