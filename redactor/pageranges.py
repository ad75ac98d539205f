"""Page ranges as reviewers write them: ``"3-6, 9, 107-end"`` (1-based, source numbering).

A range is kept as its (first, last) pair and checked arithmetically: ``1-1000000000`` costs
no more than ``1-3``. Page numbers are only listed one by one once the ranges are known to
lie inside a document, so a listing is never longer than the document.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_PART = re.compile(r"^\s*(\d+|end)\s*(?:-\s*(\d+|end)\s*)?$")
#: Digits beyond this many make a number no document reaches (and ``int()`` slow or refused).
_MAX_DIGITS = 18


class PageRangeError(ValueError):
    """A range that does not parse or lies outside the document."""


def _number(token: str, page_count: int | None) -> int | None:
    """The page a token names; ``end`` is None while the page count is unknown."""
    if token == "end":
        return page_count
    if len(token.lstrip("0")) > _MAX_DIGITS:
        raise PageRangeError(f"page {token[:_MAX_DIGITS]}... is not a page number any document reaches")
    return int(token)


def _span(part: str, page_count: int | None) -> tuple[int | None, int | None]:
    """One comma-separated part as (first, last), checked; None stands for an unknown ``end``."""
    m = _PART.match(part)
    if not m:
        raise PageRangeError(f"'{part.strip()}' is not a page or a range like '3-6' or '107-end'")
    first = _number(m.group(1), page_count)
    last = _number(m.group(2), page_count) if m.group(2) else first
    if first is not None and first < 1:
        raise PageRangeError("pages are numbered from 1")
    if first is not None and last is not None and last < first:
        raise PageRangeError(f"range '{part.strip()}' runs backwards")
    if page_count is not None and last is not None and last > page_count:
        raise PageRangeError(f"page {last} is beyond the document's {page_count} pages")
    return first, last


def _spans(spec: str | int, page_count: int | None) -> list[tuple[int | None, int | None]]:
    text = str(spec).strip()
    if not text:
        raise PageRangeError("empty page range")
    return [_span(part, page_count) for part in text.split(",")]


def check_pages(spec: str | int) -> None:
    """Raise PageRangeError unless ``spec`` is a valid range, without knowing the document.

    ``end`` is then unknown, so only what holds for every document is checked: the syntax,
    pages from 1, ranges that do not run backwards. Nothing is listed.
    """
    _spans(spec, None)


def page_spans(spec: str | int, page_count: int) -> list[tuple[int, int]]:
    """The ranges of ``spec`` as sorted, merged (first, last) runs inside a document of ``page_count`` pages.

    ``end`` is the last page; a page beyond the document is an error.
    """
    pairs = sorted((first, last) for first, last in _spans(spec, page_count) if first is not None and last is not None)
    merged: list[tuple[int, int]] = []
    for first, last in pairs:
        if merged and first <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def parse_pages(spec: str | int, page_count: int) -> tuple[int, ...]:
    """The sorted distinct page numbers in ``spec``, in a document of ``page_count`` pages.

    The ranges are checked against the document first, so the listing is at most
    ``page_count`` long; :func:`check_pages` checks a range without a document.
    """
    return tuple(page for first, last in page_spans(spec, page_count) for page in range(first, last + 1))


def runs(pages: Iterable[int]) -> list[tuple[int, int]]:
    """Consecutive page numbers grouped into (first, last) runs."""
    result: list[tuple[int, int]] = []
    for p in sorted(set(pages)):
        if result and p == result[-1][1] + 1:
            result[-1] = (result[-1][0], p)
        else:
            result.append((p, p))
    return result


def format_pages(pages: Iterable[int]) -> str:
    """The inverse of :func:`parse_pages` (without ``end``)."""
    return ", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in runs(pages))
