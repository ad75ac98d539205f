"""One source page in the plan: what is kept, what is withheld, where placeholders go.

What is kept is the released content (released word segments, released images and
release regions, cut around withheld words and rewritten markings); the writer keeps only
that, so text the document model never saw (clipped, off-page, in patterns) goes too. Withheld words are
grouped in reading order into runs, cut at block boundaries (or merged, ``per: run``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from redactor.geometry import KEEP_CLEARANCE, OFF_PAGE_MARGIN, Rect, bounding, complement, subtract_all
from redactor.plan.art import ArtPlan, art_plan, released_as_page
from redactor.plan.layout import marking_size, place_placeholder, placeholder_box, placeholder_size
from redactor.plan.model import DrawnText, PagePlan, WithheldArea
from redactor.plan.precedence import Verdict
from redactor.plan.respace import RespacedLine, respaced_lines, visual_rows
from redactor.rules.model import Rule, RuleSet
from redactor.rules.selectors import Context, Selection
from redactor.source.model import Document, words_box


@dataclass(frozen=True)
class PageInputs:
    """What every page's plan reads: the atoms' verdicts and the rules' selections."""

    ctx: Context
    ruleset: RuleSet
    verdicts: tuple[Verdict, ...]  # per word, after ``conceal: line``
    image_verdicts: tuple[Verdict, ...]  # per image
    selections: tuple[tuple[Rule, Selection], ...]
    condensed: tuple[tuple[int, int, Rule], ...]  # (first, last, rule) of each condensed range


def page_plan(inputs: PageInputs, number: int, first_area_id: int) -> tuple[PagePlan, dict[int, str]]:
    """The plan of one page: disposition, withheld areas, keep and remove rectangles, drawn texts.

    Its withheld areas are numbered from ``first_area_id`` in reading order.
    """
    ctx, ruleset, verdicts, image_verdicts = inputs.ctx, inputs.ruleset, inputs.verdicts, inputs.image_verdicts
    selections, condensed = inputs.selections, inputs.condensed
    doc = ctx.document
    page = doc.pages[number - 1]
    content = [b for b in page.block_ids if not doc.blocks[b].furniture]
    released = any(not verdicts[w].withheld for b in content for w in doc.blocks[b].word_ids)
    released = released or any(not image_verdicts[i].withheld for i in page.image_ids)
    whole_page = released_as_page((rule for rule, _ in selections), number, doc.page_count)
    released = released or whole_page
    in_condensed = any(first <= number <= last for first, last, _ in condensed)
    if not released:
        return PagePlan(number, "withheld", (), (), (), frozenset()), {}

    # A fully released block is kept as one box (few boxes make few removal areas, and
    # redaction time grows with their number); a partly released one line segment by segment.
    keep: list[Rect] = []
    broad: list[Rect] = []
    rows_by_block: dict[int, list[list[int]]] = {}  # blocks with withheld words, by visual row
    for block_id in page.block_ids:
        block = doc.blocks[block_id]
        if not any(verdicts[w].withheld for w in block.word_ids):
            broad.append(block.rect)
            continue
        # By visual row: the reader splits a justified line at wide gaps, and the spaces
        # between its released words must stay (MuPDF's filter drops a removed space's
        # advance when word spacing is set, and the words would run together).
        rows_by_block[block_id] = visual_rows(doc, block)
        for row in rows_by_block[block_id]:
            keep.extend(_released_segments(doc, row, verdicts))
    # Blocks, released images and release regions are large: they must not shelter withheld
    # words lying over them (an OCR layer over a scan, a name inside a released figure).
    broad.extend(doc.images[i].rect for i in page.image_ids if not image_verdicts[i].withheld)
    regions_withheld: list[Rect] = []
    for rule, selection in selections:
        if number in selection.areas:
            (broad if rule.action == "release" else regions_withheld).extend(selection.areas[number])
    if whole_page:  # glyphs no word accounts for (a Type3 font without Unicode) go with their page
        broad.append(page.cropbox)
    withheld_boxes = [doc.words.rect(w) for b in page.block_ids for w in doc.blocks[b].word_ids if verdicts[w].withheld]
    # Line segments too: a released word's box can cover a withheld word of another line
    # (text set at an angle has large upright boxes that overlap their neighbours). Only the
    # middle half of each withheld box is cut out: boxes of neighbouring lines overlap by
    # their ascent and descent, and cutting that would drop released glyphs next door,
    # while any glyph of the withheld word still crosses the middle and is dropped.
    keep = subtract_all(keep, [_middle(box) for box in withheld_boxes])
    keep.extend(subtract_all(broad, withheld_boxes + regions_withheld, KEEP_CLEARANCE))

    rewritten, rewrites, marking_drawn, marking_rects = _markings(doc, ruleset, page.block_ids, verdicts, keep)
    keep = subtract_all(keep, marking_rects, KEEP_CLEARANCE)
    padded = [k.expanded(KEEP_CLEARANCE) for k in keep]
    placed = _Occupied(doc, number, verdicts)  # what a placeholder moved off its gap must avoid
    respaced = respaced_lines(doc, rows_by_block, verdicts)
    placed.respaced = {i: line for line in respaced for i in line.line_ids}
    areas = _runs(ctx, ruleset, page.block_ids, verdicts, padded, first_area_id, placed)
    areas = _with_images(ctx, ruleset, areas, page.image_ids, image_verdicts, first_area_id + len(areas))
    art = art_plan(doc, number, verdicts, image_verdicts, selections)
    areas = _with_drawings(ctx, ruleset, areas, page.drawing_ids, art, first_area_id + len(areas))
    keep_images = _image_keep(inputs, number, withheld_boxes)
    drawn = tuple(a.placeholder for a in areas if a.placeholder is not None) + tuple(marking_drawn)
    disposition: Literal["kept", "condensed"] = "condensed" if in_condensed else "kept"
    return PagePlan(
        number,
        disposition,
        tuple(areas),
        tuple(keep),
        drawn,
        frozenset(rewritten),
        keep_art=art.keep,
        keep_images=tuple(keep_images),
        drawing_verdicts=art.verdicts,
        respaced=respaced,
    ), rewrites


#: Points by which a withheld word's hole in a released image is grown (see _image_keep).
IMAGE_HOLE_CLEARANCE = 1.5


def _image_keep(inputs: PageInputs, number: int, withheld_words: list[Rect]) -> list[Rect]:
    """Where image pixels may survive: released images and release regions, less withheld atoms."""
    doc = inputs.ctx.document
    page = doc.pages[number - 1]
    released = [doc.images[i].rect for i in page.image_ids if not inputs.image_verdicts[i].withheld]
    if not released and not any(number in s.areas for r, s in inputs.selections if r.action == "release"):
        return []  # no image pixel may stay: nothing to cut holes in
    # Word holes are grown: a viewer resamples the image, and the pixels around a hole blur
    # into it (JPEG ringing too), which would read as ink left in the withheld area.
    holes = [w.expanded(IMAGE_HOLE_CLEARANCE) for w in withheld_words]
    holes += [doc.images[i].rect for i in page.image_ids if inputs.image_verdicts[i].withheld]
    for rule, selection in inputs.selections:
        rects = selection.areas.get(number, ())
        (released if rule.action == "release" else holes).extend(rects)
    return subtract_all(released, holes)


def _with_drawings(
    ctx: Context,
    ruleset: RuleSet,
    areas: list[WithheldArea],
    drawing_ids: tuple[int, ...],
    art: ArtPlan,
    next_id: int,
) -> list[WithheldArea]:
    """Withheld line art joins the run it lies over; the rest is one area per deciding rule.

    Line art alone gets no placeholder: it is recorded (audit, preview), not announced.
    """
    doc = ctx.document
    result = list(areas)
    alone: dict[str, list[int]] = {}
    verdict_of: dict[str, Verdict] = {}
    # Each run's reach, found once (a page has hundreds of drawings; joining one keeps the run's rectangles)
    reach = [_reach(a.rects) if a.word_ids else None for a in result]
    for drawing_id, verdict in zip(drawing_ids, art.verdicts, strict=True):
        if not verdict.withheld:
            continue
        rect = doc.drawings[drawing_id].rect
        host = next((i for i, box in enumerate(reach) if box is not None and rect.intersects(box)), None)
        if host is None:
            alone.setdefault(verdict.rule, []).append(drawing_id)
            verdict_of.setdefault(verdict.rule, verdict)
            continue
        area = result[host]
        result[host] = replace(
            area, drawing_ids=(*area.drawing_ids, drawing_id), rules=tuple(dict.fromkeys((*area.rules, verdict.rule)))
        )
    reasons_by_rule = {r.id: r.reason for r in ruleset.rules}
    for offset, (rule_id, ids) in enumerate(alone.items()):
        verdict = verdict_of[rule_id]
        reason = reasons_by_rule.get(rule_id)
        result.append(
            WithheldArea(
                id=next_id + offset,
                page=doc.drawings[ids[0]].page,
                rects=tuple(doc.drawings[d].rect for d in ids),
                word_ids=(),
                image_ids=(),
                block_ids=(),
                rules=(rule_id,),
                level=verdict.level,
                reasons=(reason,) if reason else (),
                section=None,
                placeholder=None,
                furniture=False,
                drawing_ids=tuple(ids),
            )
        )
    return result


def removal_rects(document: Document, page_plan: PagePlan) -> list[Rect]:
    """Rectangles covering everything on the page but its released text, page edges included.

    Nothing in the pipeline needs them (the writer keeps what the plan releases); they are
    what a subtractive redaction of the same decision would remove, for comparison (the
    benchmark's floor). Computed on demand: covering the free space takes quadratic time.
    """
    page = document.pages[page_plan.number - 1]
    span = page.mediabox.union(page.cropbox).expanded(OFF_PAGE_MARGIN)
    return complement(span, [k.expanded(KEEP_CLEARANCE) for k in page_plan.keep_rects])


class _Occupied:
    """What a page's placeholders must not cover: its released words (found once, when first
    asked) and the placeholders placed so far."""

    def __init__(self, doc: Document, number: int, verdicts: Sequence[Verdict]) -> None:
        self.doc, self.number, self.verdicts = doc, number, verdicts
        self.words: list[Rect] | None = None
        self.placeholders: list[Rect] = []
        self.respaced: dict[int, RespacedLine] = {}  # by line id

    def boxes(self) -> list[Rect]:
        """Released word boxes and placed placeholders."""
        if self.words is None:
            doc = self.doc
            self.words = [
                doc.words.rect(w)
                for b in doc.pages[self.number - 1].block_ids
                for w in doc.blocks[b].word_ids
                if not self.verdicts[w].withheld
            ]
        return self.words + self.placeholders


def _compact(ids: list[int]) -> range | tuple[int, ...]:
    """Word ids as a range when consecutive, as runs of withheld words in reading order are."""
    if ids and ids == list(run := range(ids[0], ids[0] + len(ids))):
        return run
    return tuple(ids)


def _middle(box: Rect) -> Rect:
    """The middle half of a box, top to bottom (its full width)."""
    quarter = box.height / 4
    return Rect(box.x0, box.y0 + quarter, box.x1, box.y1 - quarter)


def _released_segments(doc: Document, word_ids: Sequence[int], verdicts: Sequence[Verdict]) -> list[Rect]:
    """Boxes of consecutive released words on one line (inter-word gaps included)."""
    segments: list[Rect] = []
    current: Rect | None = None
    for wid in word_ids:
        if verdicts[wid].withheld:
            if current is not None:
                segments.append(current)
                current = None
            continue
        r = doc.words.rect(wid)
        current = r if current is None else current.union(r)
    if current is not None:
        segments.append(current)
    return segments


def _markings(
    doc: Document, ruleset: RuleSet, block_ids: tuple[int, ...], verdicts: Sequence[Verdict], keep: list[Rect]
) -> tuple[set[int], dict[int, str], list[DrawnText], list[Rect]]:
    """Released occurrences of marking strings: removed, and their replacement drawn in place."""
    rewritten: set[int] = set()
    rewrites: dict[int, str] = {}
    drawn: list[DrawnText] = []
    rects: list[Rect] = []
    for block_id in block_ids:
        block = doc.blocks[block_id]
        for marking in ruleset.markings:
            start = block.text.find(marking.find)
            while start >= 0:
                end = start + len(marking.find)
                ids = [w for w in block.word_ids if doc.words.starts[w] < end and start < doc.words.ends[w]]
                ids = [w for w in ids if not verdicts[w].withheld and w not in rewritten]
                if ids:
                    rewritten.update(ids)
                    rewrites[ids[0]] = marking.replace
                    line_groups: dict[int, list[int]] = {}
                    for w in ids:
                        line_groups.setdefault(doc.words.lines[w], []).append(w)
                    for group in line_groups.values():
                        box = bounding(doc.words.rect(w) for w in group)
                        assert box is not None
                        rects.append(box)
                    first = doc.words[ids[0]]
                    if marking.replace:
                        line = doc.lines[first.line]
                        right = [
                            doc.words.rect(w).x0
                            for w in line.word_ids
                            if doc.words.rect(w).x0 > first.rect.x1 and w not in ids and not verdicts[w].withheld
                        ]
                        room = (min(right) - 2.0 if right else doc.pages[first.page - 1].width - 20.0) - first.rect.x0
                        size = marking_size(marking.replace, first.size, room, first.bold)
                        drawn.append(
                            DrawnText(
                                "marking", marking.replace, (first.rect.x0, _baseline(first.rect)), size, first.bold
                            )
                        )
                start = block.text.find(marking.find, end)
    return rewritten, rewrites, drawn, rects


def _baseline(rect: Rect) -> float:
    """Approximate baseline of text in a word or line box (descenders take ~22% of it)."""
    return rect.y0 + rect.height * 0.78


def _runs(
    ctx: Context,
    ruleset: RuleSet,
    block_ids: tuple[int, ...],
    verdicts: Sequence[Verdict],
    keep: list[Rect],
    first_id: int,
    placed: _Occupied,
) -> list[WithheldArea]:
    """Withheld words grouped in reading order, cut at block boundaries (or merged, per: run)."""
    doc = ctx.document
    merge_blocks = ruleset.placeholders.per == "run"
    groups: list[list[int]] = []
    current: list[int] = []
    for block_id in block_ids:
        block = doc.blocks[block_id]
        if current and not (
            merge_blocks
            and not block.furniture
            and not doc.blocks[doc.words.blocks[current[-1]]].furniture
            and verdicts[block.word_ids[0]].withheld
        ):
            groups.append(current)
            current = []
        for wid in block.word_ids:
            if verdicts[wid].withheld:
                current.append(wid)
            elif current:
                groups.append(current)
                current = []
    if current:
        groups.append(current)
    return [_area(ctx, ruleset, first_id + i, g, (), verdicts, keep, placed=placed) for i, g in enumerate(groups)]


def _with_images(
    ctx: Context,
    ruleset: RuleSet,
    areas: list[WithheldArea],
    image_ids: tuple[int, ...],
    verdicts: Sequence[Verdict],
    next_id: int,
) -> list[WithheldArea]:
    """Withheld images join the withheld run they lie in (one placeholder); others get their own area."""
    result = list(areas)
    for image_id in image_ids:
        if not verdicts[image_id].withheld:
            continue
        image = ctx.document.images[image_id]
        host = next((i for i, a in enumerate(result) if a.word_ids and _touches(image.rect, a.rects)), None)
        if host is None:
            area_id = next_id + len(result) - len(areas)
            result.append(_area(ctx, ruleset, area_id, [], (image_id,), verdicts, [], image_verdict=verdicts[image_id]))
            continue
        area = result[host]
        rules = tuple(dict.fromkeys((*area.rules, verdicts[image_id].rule)))
        result[host] = replace(
            area, image_ids=(*area.image_ids, image_id), rects=(*area.rects, image.rect), rules=rules
        )
    return result


def _reach(rects: tuple[Rect, ...]) -> Rect | None:
    """The bounding box of a run's rectangles, grown by 2 pt: what lies over it joins the run."""
    box = bounding(rects)
    return box.expanded(2.0) if box is not None else None


def _touches(rect: Rect, rects: tuple[Rect, ...]) -> bool:
    """True when ``rect`` lies within (or overlaps) the bounding box of a run's rectangles."""
    box = _reach(rects)
    return box is not None and rect.intersects(box)


def _area(
    ctx: Context,
    ruleset: RuleSet,
    area_id: int,
    word_ids: list[int],
    image_ids: tuple[int, ...],
    verdicts: Sequence[Verdict],
    keep: list[Rect],
    image_verdict: Verdict | None = None,
    placed: _Occupied | None = None,
) -> WithheldArea:
    doc = ctx.document
    if word_ids:
        by_line: dict[int, list[int]] = {}
        for wid in word_ids:
            by_line.setdefault(doc.words.lines[wid], []).append(wid)
        rects = _stack([words_box(doc.words, ids) for ids in by_line.values()], keep)
        deciders = [verdicts[w] for w in word_ids]
        page = doc.words.pages[word_ids[0]]
        blocks = tuple(dict.fromkeys(doc.words.blocks[w] for w in word_ids))
        furniture = doc.blocks[blocks[0]].furniture
    else:
        image = doc.images[image_ids[0]]
        rects = [image.rect]
        deciders = [image_verdict] if image_verdict else []
        page = image.page
        anchor = ctx.image_block.get(image.id)
        blocks = (anchor,) if anchor is not None else ()
        furniture = False
    rule_ids = tuple(dict.fromkeys(v.rule for v in deciders))
    reasons_by_rule = {r.id: r.reason for r in ruleset.rules}
    reasons = tuple(dict.fromkeys(r for r in (reasons_by_rule.get(i) for i in rule_ids) if r))
    section = ctx.outline.section_of_block.get(blocks[0]) if blocks else None
    placeholder = None
    if not furniture:
        fsize = placeholder_size(doc.body_size)
        text = ruleset.placeholders.inline
        occupied = placed.boxes if placed is not None else tuple
        room = _room(doc, word_ids[0], rects, placed) if word_ids and placed is not None else rects
        origin = place_placeholder(text, room, fsize, doc.pages[page - 1].width, occupied)
        if placed is not None:
            placed.placeholders.append(placeholder_box(text, origin, fsize))
        placeholder = DrawnText("placeholder", ruleset.placeholders.inline, origin, fsize, True)
    return WithheldArea(
        id=area_id,
        page=page,
        rects=tuple(rects),
        word_ids=_compact(word_ids),
        image_ids=image_ids,
        block_ids=blocks,
        rules=rule_ids,
        level=max((v.level for v in deciders), default=0),
        reasons=reasons,
        section=section,
        placeholder=placeholder,
        furniture=furniture,
    )


#: Right edge assumed for a one-line paragraph's respaced line: the page width less this.
LINE_END_MARGIN = 36.0


def _room(doc: Document, first_word: int, rects: list[Rect], placed: _Occupied) -> list[Rect]:
    """Where a run's placeholder may stand: its rectangles, but on a respaced line the stretch
    from the respaced words' end to the paragraph's right edge.

    The span's own box would tell where it began (and the fit test how wide it is); the
    paragraph's edge is read on its other lines, so neither depends on the withheld words.
    """
    word = doc.words[first_word]
    line = placed.respaced.get(word.line)
    if line is None or not rects:
        return rects
    block = doc.blocks[word.block]
    others = [doc.lines[i].rect.x1 for i in block.line_ids if i not in line.line_ids]
    right = max(others) if others else doc.pages[word.page - 1].width - LINE_END_MARGIN
    start = line.end + line.gap
    first = rects[0]
    room = Rect(start, min(first.y0, line.rect.y0), max(start, right), max(first.y1, line.rect.y1))
    return [room, *rects[1:]]


def _stack(line_rects: list[Rect], keep: list[Rect]) -> list[Rect]:
    """Merge vertically stacked line rectangles where the union covers nothing released.

    ``keep`` holds the released boxes already grown by KEEP_CLEARANCE.
    """
    merged: list[Rect] = []
    for r in line_rects:
        if merged:
            candidate = merged[-1].union(r)
            if not any(candidate.intersects(k) for k in keep):
                merged[-1] = candidate
                continue
        merged.append(r)
    return merged
