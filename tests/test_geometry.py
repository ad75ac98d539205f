"""Page ranges and rectangle arithmetic, as properties."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from redactor.geometry import Rect, complement, subtract
from redactor.pageranges import format_pages, parse_pages, runs

coords = st.floats(min_value=0, max_value=600, allow_nan=False, allow_infinity=False)


@st.composite
def rects(draw: st.DrawFn) -> Rect:
    x0, x1 = sorted((draw(coords), draw(coords)))
    y0, y1 = sorted((draw(coords), draw(coords)))
    return Rect(x0, y0, x1 + 1, y1 + 1)


@given(st.sets(st.integers(min_value=1, max_value=300), min_size=1))
def test_page_ranges_round_trip(pages: set[int]) -> None:
    assert parse_pages(format_pages(pages), 300) == tuple(sorted(pages))


@given(st.sets(st.integers(min_value=1, max_value=300)))
def test_runs_partition_pages(pages: set[int]) -> None:
    covered = [p for a, b in runs(pages) for p in range(a, b + 1)]
    assert covered == sorted(pages)


def _free(point: tuple[float, float], keep: list[Rect]) -> bool:
    return not any(k.x0 < point[0] < k.x1 and k.y0 < point[1] < k.y1 for k in keep)


@settings(max_examples=150, deadline=None)
@given(st.lists(rects(), max_size=12), st.lists(st.tuples(coords, coords), min_size=1, max_size=40))
def test_complement_covers_exactly_the_free_space(keep: list[Rect], points: list[tuple[float, float]]) -> None:
    area = Rect(0, 0, 601, 601)
    cover = complement(area, keep)
    for r in cover:
        # never inside a kept rectangle
        for k in keep:
            assert not (r.x0 < k.x1 and k.x0 < r.x1 and r.y0 < k.y1 and k.y0 < r.y1)
    for point in points:
        on_edge = any(point[0] in (k.x0, k.x1) or point[1] in (k.y0, k.y1) for k in keep)
        if _free(point, keep) and not on_edge:
            assert any(r.x0 <= point[0] <= r.x1 and r.y0 <= point[1] <= r.y1 for r in cover), point


def test_complement_of_a_text_column_is_few_rectangles() -> None:
    lines = [Rect(72, 100 + 14 * i, 520 if i % 5 != 4 else 300, 114 + 14 * i) for i in range(40)]
    cover = complement(Rect(-100, -100, 700, 950), lines)
    assert len(cover) <= 12, len(cover)


def test_subtract_leaves_the_rest() -> None:
    pieces = subtract(Rect(0, 0, 100, 100), Rect(40, 40, 60, 60))
    assert sum(p.width * p.height for p in pieces) == 100 * 100 - 20 * 20
