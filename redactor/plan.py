"""decide(document, ruleset) -> Plan: the single source of truth about what is withheld.

Every atom (word, image) gets a :class:`~redactor.precedence.Verdict`; withheld atoms are
grouped per page into runs (one area, one placeholder each); pages with no released
content are dropped and their runs become placeholder pages; condensed ranges are laid
out again. The writer, the text rendition, the audit, the preview and verify read this
plan and decide nothing themselves.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from redactor.errors import NoMatchError, RuleError
from redactor.geometry import KEEP_CLEARANCE, OFF_PAGE_MARGIN, Rect, bounding, complement, subtract_all
from redactor.layout import fit_placeholder, marking_size
from redactor.model import Document
from redactor.outline import DeclaredHeading, Outline, build_outline
from redactor.pageranges import PageRangeError, parse_pages
from redactor.precedence import (
    DEFAULT_VERDICT,
    FURNITURE_VERDICT,
    OFF_PAGE,
    Verdict,
    prevails,
)
from redactor.rules import Rule, RuleSet
from redactor.selectors import Context, Selection, image_anchors, select

#: Share of a word's box that must lie inside the crop box for the word to count as visible.
VISIBLE_SHARE = 0.5


@dataclass(frozen=True)
class DrawnText:
    """Text the writer draws after removal: a placeholder or a marking's replacement."""

    kind: Literal["placeholder", "marking"]
    text: str
    origin: tuple[float, float]  # baseline start, PDF points top-left
    size: float
    bold: bool


@dataclass(frozen=True)
class WithheldArea:
    """One withheld run: the unit of removal, of placeholders and of audit entries."""

    id: int
    page: int
    rects: tuple[Rect, ...]
    word_ids: tuple[int, ...]
    image_ids: tuple[int, ...]
    block_ids: tuple[int, ...]
    rules: tuple[str, ...]  # deciding rule ids, first occurrence order
    level: int  # highest deciding level
    reasons: tuple[str, ...]
    section: int | None  # innermost section of the run's first block
    placeholder: DrawnText | None
    furniture: bool  # a run inside running headers/footers


@dataclass(frozen=True)
class PagePlan:
    """What happens to one source page."""

    number: int
    disposition: Literal["kept", "withheld", "condensed"]
    areas: tuple[WithheldArea, ...]
    keep_rects: tuple[Rect, ...]  # released content, never touched by removal
    remove_rects: tuple[Rect, ...]  # everything else, beyond the page edges included
    drawn: tuple[DrawnText, ...]
    rewritten: frozenset[int]  # released words replaced by a marking rewrite


@dataclass(frozen=True)
class CondensedRow:
    """A row of a condensed range: cell texts, or one placeholder row."""

    cells: tuple[str, ...]
    placeholder: bool
    heading_level: int | None  # a released heading laid out as a heading


@dataclass(frozen=True)
class OutputItem:
    """One step of the extract after the cover: a kept page, a placeholder page or a condensed range."""

    kind: Literal["page", "withheld_pages", "condensed"]
    first: int
    last: int
    text: str  # placeholder wording, or the condensed note
    tail: bool  # a withheld run that reaches the end of the document
    tail_page: str
    rows: tuple[CondensedRow, ...] = ()


@dataclass(frozen=True)
class OutlineEntry:
    """A released heading, for the rebuilt bookmarks and the text rendition."""

    level: int
    title: str
    page: int  # source page


@dataclass(frozen=True)
class Plan:
    """The decision, and everything every rendering needs to know about it."""

    document: Document
    ruleset: RuleSet
    outline: Outline
    verdicts: tuple[Verdict, ...]  # per word
    image_verdicts: tuple[Verdict, ...]  # per image
    pages: tuple[PagePlan, ...]
    sequence: tuple[OutputItem, ...]
    released_headings: tuple[OutlineEntry, ...]
    rewrites: dict[int, str]  # first word of a rewritten marking -> replacement text
    collateral: frozenset[int]  # words withheld only because `conceal: line` hid their line
    rule_hits: dict[str, int]  # rule id -> atoms whose verdict it decided

    @property
    def withholds_anything(self) -> bool:
        """True when any content atom is withheld (partial declassification)."""
        return any(p.areas or p.disposition == "withheld" for p in self.pages)

    def word_text(self, word_id: int) -> str | None:
        """The text a released word shows in the extract: None when withheld or folded into a rewrite."""
        if self.verdicts[word_id].withheld:
            return None
        if word_id in self.rewrites:
            return self.rewrites[word_id]
        page = self.pages[self.document.words[word_id].page - 1]
        if word_id in page.rewritten:
            return None
        return self.document.words[word_id].text

    def areas(self) -> Iterable[WithheldArea]:
        """Every withheld area of every page, in page order."""
        for page in self.pages:
            yield from page.areas


# --------------------------------------------------------------------------- decide


def decide(document: Document, ruleset: RuleSet) -> Plan:
    """Give every atom its verdict and derive runs, page runs and the output sequence."""
    declared = tuple(DeclaredHeading(p, level) for p, level in ruleset.headings)
    outline = build_outline(document, declared)
    ctx = Context(document, outline, image_anchors(document))
    selections = _select_all(ctx, ruleset)
    verdicts, image_verdicts, hits = _verdicts(ctx, ruleset, selections)
    verdicts, collateral = _conceal_lines(document, ruleset, verdicts)
    condensed = _condensed_pages(document, ruleset)
    page_plans: list[PagePlan] = []
    rewrites: dict[int, str] = {}
    area_counter = [0]
    for page in document.pages:
        plan_page, page_rewrites = _page_plan(
            ctx, ruleset, page.number, verdicts, image_verdicts, selections, condensed, area_counter
        )
        page_plans.append(plan_page)
        rewrites.update(page_rewrites)
    partial = Plan(
        document,
        ruleset,
        outline,
        tuple(verdicts),
        tuple(image_verdicts),
        tuple(page_plans),
        (),
        (),
        rewrites,
        frozenset(collateral),
        hits,
    )
    sequence = _sequence(partial, condensed)
    headings = _released_headings(partial)
    return Plan(
        document,
        ruleset,
        outline,
        tuple(verdicts),
        tuple(image_verdicts),
        tuple(page_plans),
        tuple(sequence),
        tuple(headings),
        rewrites,
        frozenset(collateral),
        hits,
    )


def _select_all(ctx: Context, ruleset: RuleSet) -> list[tuple[Rule, Selection]]:
    doc = ctx.document
    result: list[tuple[Rule, Selection]] = []
    for rule in ruleset.rules:
        if rule.action == "condense":
            continue
        sel = rule.selector
        if sel.pages is not None:
            try:
                pages = parse_pages(sel.pages, doc.page_count)
            except PageRangeError as exc:
                raise ruleset.error(
                    f"rule '{rule.id}': {exc}.",
                    rule,
                    "pages",
                    hint=f"the source has {doc.page_count} pages; '107-end' reaches the last.",
                ) from None
            textless = [p for p in pages if not doc.pages[p - 1].has_text_layer and doc.pages[p - 1].image_ids]
            needs_text = any(getattr(sel, k) is not None for k in ("section", "block", "from_", "text"))
            if textless and needs_text:
                raise ruleset.error(
                    f"rule '{rule.id}' matches text, but page {textless[0]} has no text layer.",
                    rule,
                    rule.action,
                    hint="use region/pages rules on that page or OCR the source first.",
                )
        selection = select(ctx, sel)
        if selection.empty and not selection.areas and not rule.optional:
            raise _no_match(ctx, ruleset, rule)
        result.append((rule, selection))
    return result


def _no_match(ctx: Context, ruleset: RuleSet, rule: Rule) -> NoMatchError:
    sel = rule.selector
    pattern = next((p for p in (sel.section, sel.block, sel.from_, sel.text, sel.within) if p is not None), None)
    candidates: list[str] = []
    if sel.section is not None or sel.within is not None:
        candidates = [h.text for h in ctx.outline.headings]
    else:
        candidates = [b.text[:80] for b in ctx.document.content_blocks()]
    close: list[str] = []
    if pattern is not None:
        needle = pattern.pattern.strip("^$")
        scored = sorted(candidates, key=lambda c: -difflib.SequenceMatcher(None, needle, c[: len(needle) + 20]).ratio())
        close = scored[:3]
    textless = [p.number for p in ctx.document.pages if not p.has_text_layer and p.image_ids]
    hint = "closest: " + "; ".join(f"'{c}'" for c in close) + "." if close else "check the selector."
    if textless and pattern is not None:
        hint += f" Pages {', '.join(map(str, textless[:5]))} have no text layer: use region/pages rules or OCR the source first."
    hint += " Add optional: true if the rule may legitimately match nothing."
    line, col = rule.field_positions.get(rule.action, rule.position)
    return NoMatchError(f"rule '{rule.id}' matches nothing.", path=ruleset.path, line=line, column=col, hint=hint)


def _verdicts(
    ctx: Context, ruleset: RuleSet, selections: list[tuple[Rule, Selection]]
) -> tuple[list[Verdict], list[Verdict], dict[str, int]]:
    doc = ctx.document
    verdicts = [FURNITURE_VERDICT if doc.lines[w.line].furniture else DEFAULT_VERDICT for w in doc.words]
    image_verdicts = [DEFAULT_VERDICT for _ in doc.images]
    interned: dict[tuple[str, str, int], Verdict] = {}
    for rule, selection in selections:
        action = "withhold" if rule.action == "withhold" else "release"
        candidate = interned.setdefault((action, rule.id, rule.level), Verdict(action, rule.id, rule.level))
        for wid in selection.words:
            if prevails(candidate, verdicts[wid]):
                verdicts[wid] = candidate
        for iid in selection.images:
            if prevails(candidate, image_verdicts[iid]):
                image_verdicts[iid] = candidate
    off_page = Verdict("withhold", OFF_PAGE, 9)
    for w in doc.words:
        crop = doc.pages[w.page - 1].cropbox
        if not _mostly_inside(w.rect, crop):
            verdicts[w.id] = off_page
    for image in doc.images:
        if not image.rect.intersects(doc.pages[image.page - 1].cropbox):
            image_verdicts[image.id] = off_page
    hits: dict[str, int] = {r.id: 0 for r in ruleset.rules}
    for v in (*verdicts, *image_verdicts):
        if v.rule in hits:
            hits[v.rule] += 1
    return verdicts, image_verdicts, hits


def _mostly_inside(rect: Rect, box: Rect) -> bool:
    if rect.is_empty:
        return box.contains_point(*rect.center)
    ix = max(0.0, min(rect.x1, box.x1) - max(rect.x0, box.x0))
    iy = max(0.0, min(rect.y1, box.y1) - max(rect.y0, box.y0))
    return ix * iy >= VISIBLE_SHARE * rect.width * rect.height


def _conceal_lines(document: Document, ruleset: RuleSet, verdicts: list[Verdict]) -> tuple[list[Verdict], set[int]]:
    """With ``conceal: line``, a withheld span flanked by released words hides its whole line.

    Otherwise the gap between the flanking words gives away the withheld span's width.
    """
    concealing = {r.id for r in ruleset.rules if r.conceal_line or (ruleset.conceal_line and r.action == "withhold")}
    if not concealing:
        return verdicts, set()
    collateral: set[int] = set()
    for line in document.lines:
        ids = line.word_ids
        for i, wid in enumerate(ids):
            v = verdicts[wid]
            if not v.withheld or v.rule not in concealing:
                continue
            left = any(not verdicts[x].withheld for x in ids[:i])
            right = any(not verdicts[x].withheld for x in ids[i + 1 :])
            if left and right:
                for x in ids:
                    if not verdicts[x].withheld:
                        verdicts[x] = v
                        collateral.add(x)
                break
    return verdicts, collateral


def _condensed_pages(document: Document, ruleset: RuleSet) -> list[tuple[int, int, Rule]]:
    ranges: list[tuple[int, int, Rule]] = []
    taken: set[int] = set()
    for rule in ruleset.rules:
        if rule.action != "condense":
            continue
        try:
            pages = parse_pages(rule.selector.pages or "", document.page_count)
        except PageRangeError as exc:
            raise ruleset.error(f"rule '{rule.id}': {exc}.", rule, "pages") from None
        if pages != tuple(range(pages[0], pages[-1] + 1)):
            raise ruleset.error(
                f"rule '{rule.id}' condenses pages that are not one range.",
                rule,
                "pages",
                hint='give one range per condense rule, e.g. pages: "7-13".',
            )
        if taken & set(pages):
            raise ruleset.error(
                f"rule '{rule.id}' condenses pages another condense rule already covers.",
                rule,
                "pages",
                hint="condensed ranges may not overlap.",
            )
        taken.update(pages)
        ranges.append((pages[0], pages[-1], rule))
    return ranges


# --------------------------------------------------------------------------- pages


def _page_plan(
    ctx: Context,
    ruleset: RuleSet,
    number: int,
    verdicts: list[Verdict],
    image_verdicts: list[Verdict],
    selections: list[tuple[Rule, Selection]],
    condensed: list[tuple[int, int, Rule]],
    counter: list[int],
) -> tuple[PagePlan, dict[int, str]]:
    doc = ctx.document
    page = doc.pages[number - 1]
    content = [b for b in page.block_ids if not doc.blocks[b].furniture]
    released = any(not verdicts[w].withheld for b in content for w in doc.blocks[b].word_ids)
    released = released or any(not image_verdicts[i].withheld for i in page.image_ids)
    in_condensed = any(first <= number <= last for first, last, _ in condensed)
    if not released:
        return PagePlan(number, "withheld", (), (), (), (), frozenset()), {}

    keep: list[Rect] = []
    for block_id in page.block_ids:
        for line_id in doc.blocks[block_id].line_ids:
            keep.extend(_released_segments(doc, doc.lines[line_id].word_ids, verdicts))
    # Released images and release regions are large: they must not shelter withheld words
    # lying over them (an OCR layer over a scan, a name inside a released figure).
    broad = [doc.images[i].rect for i in page.image_ids if not image_verdicts[i].withheld]
    for rule, selection in selections:
        if rule.action == "release" and number in selection.areas:
            broad.extend(selection.areas[number])
    withheld_boxes = [
        doc.words[w].rect for b in page.block_ids for w in doc.blocks[b].word_ids if verdicts[w].withheld
    ]
    keep.extend(subtract_all(broad, withheld_boxes, KEEP_CLEARANCE))

    rewritten, rewrites, marking_drawn, marking_rects = _markings(doc, ruleset, page.block_ids, verdicts, keep)
    keep = subtract_all(keep, marking_rects, KEEP_CLEARANCE)
    areas = _runs(ctx, ruleset, page.block_ids, verdicts, keep, counter)
    areas += _image_areas(ctx, ruleset, page.image_ids, image_verdicts, counter)
    padded = [k.expanded(KEEP_CLEARANCE) for k in keep]
    span = page.mediabox.union(page.cropbox).expanded(OFF_PAGE_MARGIN)
    remove = complement(span, padded)
    drawn = tuple(a.placeholder for a in areas if a.placeholder is not None) + tuple(marking_drawn)
    disposition: Literal["kept", "condensed"] = "condensed" if in_condensed else "kept"
    return PagePlan(
        number, disposition, tuple(areas), tuple(keep), tuple(remove), drawn, frozenset(rewritten)
    ), rewrites


def _released_segments(doc: Document, word_ids: tuple[int, ...], verdicts: list[Verdict]) -> list[Rect]:
    """Boxes of consecutive released words on one line (inter-word gaps included)."""
    segments: list[Rect] = []
    current: Rect | None = None
    for wid in word_ids:
        if verdicts[wid].withheld:
            if current is not None:
                segments.append(current)
                current = None
            continue
        r = doc.words[wid].rect
        current = r if current is None else current.union(r)
    if current is not None:
        segments.append(current)
    return segments


def _markings(
    doc: Document, ruleset: RuleSet, block_ids: tuple[int, ...], verdicts: list[Verdict], keep: list[Rect]
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
                ids = [w for w in block.word_ids if doc.words[w].start < end and start < doc.words[w].end]
                ids = [w for w in ids if not verdicts[w].withheld and w not in rewritten]
                if ids:
                    rewritten.update(ids)
                    rewrites[ids[0]] = marking.replace
                    line_groups: dict[int, list[int]] = {}
                    for w in ids:
                        line_groups.setdefault(doc.words[w].line, []).append(w)
                    for group in line_groups.values():
                        box = bounding(doc.words[w].rect for w in group)
                        assert box is not None
                        rects.append(box)
                    first = doc.words[ids[0]]
                    if marking.replace:
                        line = doc.lines[first.line]
                        right = [
                            doc.words[w].rect.x0
                            for w in line.word_ids
                            if doc.words[w].rect.x0 > first.rect.x1 and w not in ids and not verdicts[w].withheld
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
    verdicts: list[Verdict],
    keep: list[Rect],
    counter: list[int],
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
            and not doc.blocks[doc.words[current[-1]].block].furniture
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
    return [_area(ctx, ruleset, g, (), verdicts, keep, counter) for g in groups]


def _image_areas(
    ctx: Context, ruleset: RuleSet, image_ids: tuple[int, ...], verdicts: list[Verdict], counter: list[int]
) -> list[WithheldArea]:
    return [
        _area(ctx, ruleset, [], (i,), verdicts, [], counter, image_verdict=verdicts[i])
        for i in image_ids
        if verdicts[i].withheld
    ]


def _area(
    ctx: Context,
    ruleset: RuleSet,
    word_ids: list[int],
    image_ids: tuple[int, ...],
    verdicts: list[Verdict],
    keep: list[Rect],
    counter: list[int],
    image_verdict: Verdict | None = None,
) -> WithheldArea:
    doc = ctx.document
    if word_ids:
        by_line: dict[int, list[int]] = {}
        for wid in word_ids:
            by_line.setdefault(doc.words[wid].line, []).append(wid)
        line_rects = [bounding(doc.words[w].rect for w in ids) for ids in by_line.values()]
        rects = _stack(list(r for r in line_rects if r is not None), keep)
        deciders = [verdicts[w] for w in word_ids]
        page = doc.words[word_ids[0]].page
        blocks = tuple(dict.fromkeys(doc.words[w].block for w in word_ids))
        first = doc.words[word_ids[0]]
        furniture = doc.blocks[blocks[0]].furniture
        size = first.size
    else:
        image = doc.images[image_ids[0]]
        rects = [image.rect]
        deciders = [image_verdict] if image_verdict else []
        page = image.page
        anchor = ctx.image_block.get(image.id)
        blocks = (anchor,) if anchor is not None else ()
        furniture = False
        size = doc.body_size
    rule_ids = tuple(dict.fromkeys(v.rule for v in deciders))
    reasons_by_rule = {r.id: r.reason for r in ruleset.rules}
    reasons = tuple(dict.fromkeys(r for r in (reasons_by_rule.get(i) for i in rule_ids) if r))
    section = ctx.outline.section_of_block.get(blocks[0]) if blocks else None
    placeholder = None
    if not furniture:
        origin_rect, fsize = fit_placeholder(ruleset.placeholders.inline, rects, size)
        placeholder = DrawnText(
            "placeholder",
            ruleset.placeholders.inline,
            (
                origin_rect.x0,
                _baseline(
                    Rect(
                        origin_rect.x0,
                        origin_rect.y0,
                        origin_rect.x1,
                        min(origin_rect.y1, origin_rect.y0 + fsize * 1.38),
                    )
                ),
            ),
            fsize,
            True,
        )
    counter[0] += 1
    return WithheldArea(
        id=counter[0],
        page=page,
        rects=tuple(rects),
        word_ids=tuple(word_ids),
        image_ids=image_ids,
        block_ids=blocks,
        rules=rule_ids,
        level=max((v.level for v in deciders), default=0),
        reasons=reasons,
        section=section,
        placeholder=placeholder,
        furniture=furniture,
    )


def _stack(line_rects: list[Rect], keep: list[Rect]) -> list[Rect]:
    """Merge vertically stacked line rectangles where the union covers nothing released."""
    merged: list[Rect] = []
    for r in line_rects:
        if merged:
            candidate = merged[-1].union(r)
            if not any(candidate.intersects(k.expanded(KEEP_CLEARANCE)) for k in keep):
                merged[-1] = candidate
                continue
        merged.append(r)
    return merged


# --------------------------------------------------------------------------- sequence


def _sequence(plan: Plan, condensed: list[tuple[int, int, Rule]]) -> list[OutputItem]:
    ph = plan.ruleset.placeholders
    n = plan.document.page_count
    condensed_at = {first: (first, last) for first, last, _ in condensed}
    items: list[OutputItem] = []
    withheld_run: list[int] = []

    def flush(reaches_end: bool) -> None:
        if not withheld_run:
            return
        first, last = withheld_run[0], withheld_run[-1]
        if reaches_end:
            items.append(OutputItem("withheld_pages", first, last, ph.tail, True, ph.tail_page.format(page=last)))
        elif first == last:
            items.append(OutputItem("withheld_pages", first, last, ph.page.format(page=first), False, ""))
        else:
            items.append(OutputItem("withheld_pages", first, last, ph.pages.format(first=first, last=last), False, ""))
        withheld_run.clear()

    number = 1
    while number <= n:
        if number in condensed_at:
            first, last = condensed_at[number]
            if any(plan.pages[p - 1].disposition != "withheld" for p in range(first, last + 1)):
                flush(False)
                items.append(
                    OutputItem(
                        "condensed",
                        first,
                        last,
                        ph.condensed_note.format(first=first, last=last),
                        False,
                        "",
                        _condensed_rows(plan, first, last),
                    )
                )
            else:
                withheld_run.extend(range(first, last + 1))
            number = last + 1
            continue
        if plan.pages[number - 1].disposition == "withheld":
            withheld_run.append(number)
        else:
            flush(False)
            items.append(OutputItem("page", number, number, "", False, ""))
        number += 1
    flush(True)
    return items


def _condensed_rows(plan: Plan, first: int, last: int) -> tuple[CondensedRow, ...]:
    """Released cells of a page range, row by row; withheld rows fold into one placeholder row."""
    doc = plan.document
    heading_level = {h.block: h.level for h in plan.outline.headings}
    inline = plan.ruleset.placeholders.inline
    rows: list[CondensedRow] = []
    for number in range(first, last + 1):
        blocks = [doc.blocks[b] for b in doc.pages[number - 1].block_ids if not doc.blocks[b].furniture]
        groups: list[list[int]] = []
        bottom = -1.0
        for block in sorted(blocks, key=lambda b: (b.rect.y0, b.rect.x0)):
            if groups and block.rect.y0 < bottom - 1.0:
                groups[-1].append(block.id)
                bottom = max(bottom, block.rect.y1)
            else:
                groups.append([block.id])
                bottom = block.rect.y1
        for group in groups:
            cells = [_cell_text(plan, b, inline) for b in sorted(group, key=lambda b: doc.blocks[b].rect.x0)]
            if all(c == inline for c in cells):
                if not (rows and rows[-1].placeholder):
                    rows.append(CondensedRow((inline,), True, None))
                continue
            level = heading_level.get(group[0]) if len(group) == 1 else None
            rows.append(CondensedRow(tuple(cells), False, level))
    return tuple(rows)


def _cell_text(plan: Plan, block_id: int, inline: str) -> str:
    parts: list[str] = []
    previous_withheld = False
    for wid in plan.document.blocks[block_id].word_ids:
        text = plan.word_text(wid)
        if plan.verdicts[wid].withheld:
            if not previous_withheld:
                parts.append(inline)
            previous_withheld = True
            continue
        previous_withheld = False
        if text:
            parts.append(text)
    return " ".join(parts)


def _released_headings(plan: Plan) -> list[OutlineEntry]:
    doc = plan.document
    entries: list[OutlineEntry] = []
    for heading in plan.outline.headings:
        block = doc.blocks[heading.block]
        if plan.pages[block.page - 1].disposition == "withheld":
            continue
        texts = [plan.word_text(w) for w in block.word_ids]
        if any(t is None for t in texts):
            continue
        entries.append(OutlineEntry(heading.level, " ".join(t for t in texts if t), block.page))
    return entries


def check_rule_pages(ruleset: RuleSet, page_count: int) -> None:
    """Raise a RuleError for any page number beyond the document (used by lint)."""
    for rule in ruleset.rules:
        if rule.selector.pages is None:
            continue
        try:
            parse_pages(rule.selector.pages, page_count)
        except PageRangeError as exc:
            raise ruleset.error(f"rule '{rule.id}': {exc}.", rule, "pages") from None


__all__ = ["Plan", "decide", "RuleError"]


def select_rules(document: Document, ruleset: RuleSet) -> list[tuple[Rule, Selection]]:
    """Each release/withhold rule with the atoms it selects, never raising for an empty selection.

    ``decide`` stops at the first rule that matches nothing; ``lint`` wants them all, read
    through the same outline, context and selectors. A rule whose pages lie beyond the
    document gets an empty selection (lint reports the range itself).
    """
    declared = tuple(DeclaredHeading(p, level) for p, level in ruleset.headings)
    ctx = Context(document, build_outline(document, declared), image_anchors(document))
    result: list[tuple[Rule, Selection]] = []
    for rule in ruleset.rules:
        if rule.action == "condense":
            continue
        try:
            result.append((rule, select(ctx, rule.selector)))
        except PageRangeError:
            result.append((rule, Selection()))
    return result
