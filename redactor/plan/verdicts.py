"""Rule selections and verdicts: which rules match which atoms, and who decides each atom.

The precedence rule itself lives in :mod:`redactor.plan.precedence`; this module applies it to
every atom, forces text outside the crop box to withheld, and applies ``conceal: line``.
"""

from __future__ import annotations

import difflib

from redactor.errors import NoMatchError
from redactor.geometry import Rect
from redactor.pageranges import PageRangeError, parse_pages
from redactor.plan.precedence import (
    DEFAULT_VERDICT,
    FURNITURE_VERDICT,
    OFF_PAGE,
    OFF_PAGE_LEVEL,
    Action,
    Verdict,
    prevails,
)
from redactor.rules.model import Rule, RuleSet
from redactor.rules.patterns import time_budget
from redactor.rules.selectors import Context, Selection
from redactor.source.model import Document
from redactor.source.outline import DeclaredHeading, build_outline

#: Share of a word's box that must lie inside the crop box for the word to count as visible.
VISIBLE_SHARE = 0.5


def select_all(ctx: Context, ruleset: RuleSet, compact: bool = False) -> list[tuple[Rule, Selection]]:
    """Each rule with its selection; pages out of range, textless pages and empty matches are errors.

    ``compact`` keeps each selection's words as an array (see ``Selection.compact``): the
    planner holds every rule's selection at once, and a release of all pages of a
    10,000-page source selects four million words.
    """
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
            if textless and sel.needs_text:
                raise ruleset.error(
                    f"rule '{rule.id}' matches text, but page {textless[0]} has no text layer.",
                    rule,
                    rule.action,
                    hint="use region/pages rules on that page or OCR the source first.",
                )
        selection = sel.select(ctx)
        whole_pages = rule.selector.pages is not None and len(rule.selector.parts) == 1
        if selection.empty and not selection.areas and not rule.optional and not whole_pages:
            raise _no_match(ctx, ruleset, rule)
        result.append((rule, selection.compact() if compact else selection))
    return result


def closest_candidates(rule: Rule, headings: list[str], blocks: list[str], count: int = 3) -> list[str]:
    """The headings (for section rules) or block texts most like the rule's pattern: a typo's fix."""
    found = rule.selector.first_pattern()
    if found is None:
        return []
    pattern, kind = found
    candidates = headings if kind == "headings" else blocks
    needle = pattern.pattern.strip("^$")
    ranked = sorted(candidates, key=lambda c: -difflib.SequenceMatcher(None, needle, c[: len(needle) + 20]).ratio())
    return ranked[:count]


def _no_match(ctx: Context, ruleset: RuleSet, rule: Rule) -> NoMatchError:
    pattern = rule.selector.first_pattern()
    close = closest_candidates(
        rule, [h.text for h in ctx.outline.headings], [b.text[:80] for b in ctx.document.content_blocks()]
    )
    textless = [p.number for p in ctx.document.pages if not p.has_text_layer and p.image_ids]
    hint = "closest: " + "; ".join(f"'{c}'" for c in close) + "." if close else "check the selector."
    if textless and pattern is not None:
        pages = ", ".join(map(str, textless[:5]))
        hint += f" Pages {pages} have no text layer: use region/pages rules or OCR the source first."
    hint += " Add optional: true if the rule may legitimately match nothing."
    line, col = rule.field_positions.get(rule.action, rule.position)
    return NoMatchError(f"rule '{rule.id}' matches nothing.", path=ruleset.path, line=line, column=col, hint=hint)


def assign_verdicts(
    ctx: Context, ruleset: RuleSet, selections: list[tuple[Rule, Selection]]
) -> tuple[list[Verdict], list[Verdict], dict[str, int]]:
    """Per-word and per-image verdicts by precedence, text off the crop box forced out; hits per rule."""
    doc = ctx.document
    furniture = [line.furniture for line in doc.lines]
    verdicts = [FURNITURE_VERDICT if furniture[line] else DEFAULT_VERDICT for line in doc.words.lines]
    image_verdicts = [DEFAULT_VERDICT for _ in doc.images]
    interned: dict[tuple[str, str, int], Verdict] = {}
    for rule, selection in selections:
        action: Action = "withhold" if rule.action == "withhold" else "release"
        candidate = interned.setdefault((action, rule.id, rule.level), Verdict(action, rule.id, rule.level))
        for wid in selection.words:
            if prevails(candidate, verdicts[wid]):
                verdicts[wid] = candidate
        for iid in selection.images:
            if prevails(candidate, image_verdicts[iid]):
                image_verdicts[iid] = candidate
    off_page = Verdict("withhold", OFF_PAGE, OFF_PAGE_LEVEL)
    for block in doc.blocks:
        crop = doc.pages[block.page - 1].cropbox
        if crop.contains(block.rect):
            continue  # every word of the block is on the page (most blocks): no box per word
        for wid in block.word_ids:
            if not _mostly_inside(doc.words.rect(wid), crop):
                verdicts[wid] = off_page
    for image in doc.images:
        if not image.rect.intersects(doc.pages[image.page - 1].cropbox):
            image_verdicts[image.id] = off_page
    hits: dict[str, int] = {r.id: 0 for r in ruleset.rules}
    for v in (*verdicts, *image_verdicts):
        if v.rule in hits:
            hits[v.rule] += 1
    return verdicts, image_verdicts, hits


def _mostly_inside(rect: Rect, box: Rect) -> bool:
    if box.x0 <= rect.x0 and box.y0 <= rect.y0 and rect.x1 <= box.x1 and rect.y1 <= box.y1:
        return True
    if rect.is_empty:
        return box.contains_point(*rect.center)
    ix = max(0.0, min(rect.x1, box.x1) - max(rect.x0, box.x0))
    iy = max(0.0, min(rect.y1, box.y1) - max(rect.y0, box.y0))
    return ix * iy >= VISIBLE_SHARE * rect.width * rect.height


def conceal_lines(document: Document, ruleset: RuleSet, verdicts: list[Verdict]) -> tuple[list[Verdict], set[int]]:
    """With ``conceal: line``, a withheld span on a line with released words hides its whole line.

    Otherwise the gap between the flanking words, or at a line end the spacing of a justified
    line and the place where the next text starts, gives away the withheld span's width.
    """
    concealing = {r.id for r in ruleset.rules if r.conceal_line or (ruleset.conceal_line and r.action == "withhold")}
    verdicts = list(verdicts)  # a new list: the caller's verdicts stay as they were
    if not concealing:
        return verdicts, set()
    collateral: set[int] = set()
    for line in document.lines:
        ids = line.word_ids
        for wid in ids:
            v = verdicts[wid]
            if not v.withheld or v.rule not in concealing:
                continue
            if any(not verdicts[x].withheld for x in ids):
                for x in ids:
                    if not verdicts[x].withheld:
                        verdicts[x] = v
                        collateral.add(x)
                break
    return verdicts, collateral


def condensed_ranges(document: Document, ruleset: RuleSet) -> list[tuple[int, int, Rule]]:
    """The condense rules as (first, last, rule), checked to be single, non-overlapping ranges."""
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


def select_rules(document: Document, ruleset: RuleSet) -> list[tuple[Rule, Selection]]:
    """Each release/withhold rule with the atoms it selects, never raising for an empty selection.

    ``decide`` stops at the first rule that matches nothing; ``lint`` wants them all, read
    through the same outline, context and selectors. A rule whose pages lie beyond the
    document gets an empty selection (lint reports the range itself).
    """
    declared = tuple(DeclaredHeading(p, level) for p, level in ruleset.headings)
    result: list[tuple[Rule, Selection]] = []
    with time_budget():  # the rule patterns run here, each within its time for this document
        ctx = Context.of(document, build_outline(document, declared))
        for rule in ruleset.rules:
            if rule.action == "condense":
                continue
            try:
                result.append((rule, rule.selector.select(ctx)))
            except PageRangeError:
                result.append((rule, Selection()))
    return result
