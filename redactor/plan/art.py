"""Line art's verdicts: a drawing is released only where it belongs to released content.

Paths and shadings carry no text a rule could match, yet they can carry the secret itself
(a drawn signature, a name set as outlines, a chart) or betray it (a box drawn over a
withheld word, its underline). So a drawing is an atom like a word: the planner gives it a
verdict, and the writer keeps a path only inside the released line-art area.

On a page that is not dropped, in this order:

1. a drawing that overlaps withheld text or a withheld image (a thin rule: that comes
   within ``WITHHELD_REACH`` of it, such as its underline) is withheld with that atom's
   verdict; one that overlaps a ``withhold`` region, with that rule's;
2. one inside the union of ``release`` regions is released by that rule (a ``release: {pages:
   …}`` rule makes the whole page such a region: a map or a logo on a released page stays);
3. one inside the extent of released blocks (their boxes grown by ``ART_REACH``), one that
   overlaps released text or images (a background, a frame, a table's grid), and a thin
   rule within ``LINE_REACH`` of released content (cell borders, separators) is released
   with the verdict of that content;
4. a rule line that touches released line art joins it (the outer rulings of a table);
5. anything else is withheld by ``default``: a signature or a chart beside released text
   is released only by a region rule.

The released line-art area (:func:`art_plan`) is the union of released drawings and release
regions minus withheld text, images and regions. A drawing that area covers is released
whatever steps 1-5 said, and one it does not cover is withheld: the writer keeps exactly what
the area covers, and the plan must say what the writer will keep.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from redactor.geometry import Area, Rect, subtract_all
from redactor.pageranges import PageRangeError, page_spans
from redactor.plan.precedence import DEFAULT_VERDICT, Verdict, prevails
from redactor.rules.model import Rule
from redactor.rules.selectors import Selection
from redactor.source.model import Document

#: A drawing within this distance of a released block's box belongs to that block.
ART_REACH = 3.0
#: A drawing no wider or taller than this is a rule line (border, underline, separator).
THIN = 3.0
#: A rule line this close to released content belongs to it (table borders, separators).
LINE_REACH = 24.0
#: A rule line this close to withheld text belongs to it (its underline, strike-through).
WITHHELD_REACH = 4.0
#: Rule lines join released line art through at most this many others (a grid is a few deep).
MAX_JOIN_PASSES = 16
#: Slack between the plan's boxes and the boxes MuPDF computes while filtering.
ART_TOLERANCE = 0.5


@dataclass(frozen=True)
class ArtPlan:
    """One page's line art: each drawing's verdict, and the area where paths survive."""

    verdicts: tuple[Verdict, ...]  # aligned with Page.drawing_ids
    keep: tuple[Rect, ...]  # the released line-art area (writer: keep a path inside it)


def art_plan(
    doc: Document,
    number: int,
    verdicts: Sequence[Verdict],
    image_verdicts: Sequence[Verdict],
    selections: Sequence[tuple[Rule, Selection]],
) -> ArtPlan:
    """Verdicts of one page's drawings and its released line-art area (see module docstring)."""
    page = doc.pages[number - 1]
    if not page.drawing_ids:
        return ArtPlan((), ())
    word_ids = [w for b in page.block_ids for w in doc.blocks[b].word_ids]
    withheld = [(doc.words.rect(w), verdicts[w]) for w in word_ids if verdicts[w].withheld]
    withheld += [(doc.images[i].rect, image_verdicts[i]) for i in page.image_ids if image_verdicts[i].withheld]
    released = [(doc.words.rect(w), verdicts[w]) for w in word_ids if not verdicts[w].withheld]
    released += [(doc.images[i].rect, image_verdicts[i]) for i in page.image_ids if not image_verdicts[i].withheld]
    zones: list[tuple[Rect, Verdict]] = []
    for b in page.block_ids:
        block = doc.blocks[b]
        first = next((verdicts[w] for w in block.word_ids if not verdicts[w].withheld), None)
        if first is not None:
            zones.append((block.rect.expanded(ART_REACH), first))
    withhold_regions: list[tuple[Rect, Verdict]] = []
    release_regions: list[tuple[Rect, Verdict]] = []
    span = page.mediabox.union(page.cropbox)
    for rule, selection in selections:
        by_rule = Verdict("withhold" if rule.action == "withhold" else "release", rule.id, rule.level)
        for rect in selection.areas.get(number, ()):
            (withhold_regions if by_rule.withheld else release_regions).append((rect, by_rule))
        if not by_rule.withheld and _releases_whole_page(rule, number, doc.page_count):
            release_regions.append((span, by_rule))  # the page itself is the released region

    withheld_area = Area(r for r, _ in withheld)
    released_area = Area(r for r, _ in released)
    zone_area = Area(r for r, _ in zones)
    withhold_region_area = Area(r for r, _ in withhold_regions)
    release_region_area = Area(r for r, _ in release_regions)

    decided: list[Verdict] = []
    for d in page.drawing_ids:
        box = doc.drawings[d].rect
        thin = min(box.width, box.height) <= THIN
        probe = box.expanded(WITHHELD_REACH) if thin else box
        verdict: Verdict | None = _strongest(withheld, withheld_area.hits(probe))
        verdict = verdict or _strongest(withhold_regions, withhold_region_area.hits(box))
        if verdict is None and release_region_area.covers(box):
            verdict = _strongest(release_regions, release_region_area.hits(box))
        if verdict is None and zone_area.covers(box):
            verdict = zones[zone_area.hits(box)[0]][1]
        if verdict is None:
            near = released_area.hits(box.expanded(LINE_REACH) if thin else box)
            verdict = released[near[0]][1] if near else None
        decided.append(verdict or DEFAULT_VERDICT)
    _join_rulings(doc, page.drawing_ids, decided)

    sources = [(doc.drawings[d].rect, v) for d, v in zip(page.drawing_ids, decided, strict=True) if not v.withheld]
    sources += release_regions
    holes = [r for r, _ in withheld] + [r for r, _ in withhold_regions]
    keep = subtract_all([r for r, _ in sources], holes)
    settled = _settled(doc, page.drawing_ids, decided, keep, sources, withheld, withheld_area)
    return ArtPlan(settled, tuple(keep))


def released_as_page(rules: Iterable[Rule], number: int, page_count: int) -> bool:
    """True when a ``release: {pages: …}`` rule names this page and no ``withhold: {pages: …}`` does.

    Such a page is released as a page even when it holds only running furniture or line art
    (the reviewer named it; nothing else could decide it).
    """
    rules = list(rules)
    return any(r.action == "release" and _names_whole_page(r, number, page_count) for r in rules) and not any(
        r.action == "withhold" and _names_whole_page(r, number, page_count) for r in rules
    )


def _releases_whole_page(rule: Rule, number: int, page_count: int) -> bool:
    """A ``release: {pages: …}`` rule (nothing else in its selector) covering this page."""
    return rule.action != "withhold" and _names_whole_page(rule, number, page_count)


def _names_whole_page(rule: Rule, number: int, page_count: int) -> bool:
    """A rule whose selector is ``pages`` alone, covering this page."""
    selector = rule.selector
    if selector.pages is None or len(selector.parts) != 1:
        return False
    try:
        return any(first <= number <= last for first, last in page_spans(selector.pages, page_count))
    except PageRangeError:
        return False


def _join_rulings(doc: Document, drawing_ids: Sequence[int], decided: list[Verdict]) -> None:
    """A rule line withheld only by default joins released line art it touches.

    Table rulings are drawn as separate lines, and the outer ones can lie far from any text
    of a wide cell; they are released with the grid they belong to. Only thin lines join,
    and only lines that no withheld atom decided: a drawing cannot join its way over
    withheld text.
    """
    pending = [
        i
        for i, (d, v) in enumerate(zip(drawing_ids, decided, strict=True))
        if v is DEFAULT_VERDICT and min(doc.drawings[d].rect.width, doc.drawings[d].rect.height) <= THIN
    ]
    for _ in range(MAX_JOIN_PASSES):
        if not pending:
            return
        released = [i for i, v in enumerate(decided) if not v.withheld]
        area = Area(doc.drawings[drawing_ids[i]].rect.expanded(ART_TOLERANCE) for i in released)
        joined = []
        for i in pending:
            hits = area.hits(doc.drawings[drawing_ids[i]].rect)
            if hits:
                decided[i] = decided[released[hits[0]]]
                joined.append(i)
        if not joined:
            return
        taken = set(joined)
        pending = [i for i in pending if i not in taken]


def _strongest(candidates: Sequence[tuple[Rect, Verdict]], indexes: Sequence[int]) -> Verdict | None:
    """The verdict that prevails among the candidates hit (the earliest among equals)."""
    best: Verdict | None = None
    for i in indexes:
        verdict = candidates[i][1]
        if best is None or prevails(verdict, best):
            best = verdict
    return best


def _settled(
    doc: Document,
    drawing_ids: Sequence[int],
    decided: list[Verdict],
    keep: list[Rect],
    sources: Sequence[tuple[Rect, Verdict]],
    withheld: Sequence[tuple[Rect, Verdict]],
    withheld_area: Area,
) -> tuple[Verdict, ...]:
    """Verdicts brought in line with the area the writer will keep (see module docstring)."""
    area = Area(keep, ART_TOLERANCE)
    source_area = Area(r for r, _ in sources)
    settled: list[Verdict] = []
    for d, verdict in zip(drawing_ids, decided, strict=True):
        box = doc.drawings[d].rect
        covered = area.covers(box)
        if covered and verdict.withheld:
            hits = source_area.hits(box.expanded(ART_TOLERANCE))
            verdict = sources[hits[0]][1] if hits else verdict
        elif not covered and not verdict.withheld:
            verdict = _strongest(withheld, withheld_area.hits(box)) or DEFAULT_VERDICT
        settled.append(verdict)
    return tuple(settled)
