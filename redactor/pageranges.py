"""Page ranges as reviewers write them: ``"3-6, 9, 107-end"`` (1-based, source numbering)."""

from __future__ import annotations

import re
from collections.abc import Iterable

_PART = re.compile(r"^\s*(\d+|end)\s*(?:-\s*(\d+|end)\s*)?$")


class PageRangeError(ValueError):
    """A range that does not parse or lies outside the document."""


def _number(token: str, page_count: int | None) -> int:
    if token == "end":
        if page_count is None:
            raise PageRangeError("'end' needs the document's page count")
        return page_count
    return int(token)


def parse_pages(spec: str | int, page_count: int | None = None) -> tuple[int, ...]:
    """The sorted distinct page numbers in ``spec``.

    With ``page_count`` given, ``end`` is resolved and pages beyond it are an error; without
    it only the syntax is checked (``end`` then stands for a very large number).
    """
    text = str(spec).strip()
    if not text:
        raise PageRangeError("empty page range")
    pages: set[int] = set()
    for part in text.split(","):
        m = _PART.match(part)
        if not m:
            raise PageRangeError(f"'{part.strip()}' is not a page or a range like '3-6' or '107-end'")
        limit = page_count if page_count is not None else 10**9
        first = _number(m.group(1), limit)
        last = _number(m.group(2), limit) if m.group(2) else first
        if first < 1:
            raise PageRangeError("pages are numbered from 1")
        if last < first:
            raise PageRangeError(f"range '{part.strip()}' runs backwards")
        if page_count is not None and last > page_count:
            raise PageRangeError(f"page {last} is beyond the document's {page_count} pages")
        pages.update(range(first, last + 1))
    return tuple(sorted(pages))


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
