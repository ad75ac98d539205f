"""The extract's order: kept pages, placeholder pages for withheld runs, condensed ranges.

Also the released headings (the rebuilt outline) and the rows of condensed ranges.
"""

from __future__ import annotations

from redactor.pageranges import page_spans
from redactor.plan.model import CondensedRow, Decisions, OutlineEntry, OutputItem
from redactor.rules.model import Placeholders, Rule, RuleSet

#: (first, last, rule id) of every page span of a ``placeholder: inline`` rule.
InlineSpans = list[tuple[int, int, str]]


def output_sequence(plan: Decisions, condensed: list[tuple[int, int, Rule]]) -> list[OutputItem]:
    """Kept pages, placeholder pages and condensed ranges in source order; a final run is the tail."""
    ph = plan.ruleset.placeholders
    n = plan.document.page_count
    spans = inline_spans(plan.ruleset, n)
    condensed_at = {first: (first, last) for first, last, _ in condensed}
    items: list[OutputItem] = []
    withheld_run: list[int] = []

    def flush(reaches_end: bool) -> None:
        if not withheld_run:
            return
        items.append(_withheld_item(ph, spans, withheld_run[0], withheld_run[-1], reaches_end))
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


def _withheld_item(ph: Placeholders, spans: InlineSpans, first: int, last: int, reaches_end: bool) -> OutputItem:
    """The placeholder of a run of withheld pages.

    The tail note wins even over ``placeholder: inline``: a reader must learn that nothing
    follows, which one inline mark after the last kept page would not say.
    """
    if reaches_end:
        return OutputItem("withheld_pages", first, last, ph.tail, True, ph.tail_page.format(page=last))
    if rules := inline_rules(spans, first, last):
        return OutputItem("withheld_pages", first, last, ph.inline, False, "", inline=True, rules=rules)
    if first == last:
        return OutputItem("withheld_pages", first, last, ph.page.format(page=first), False, "")
    return OutputItem("withheld_pages", first, last, ph.pages.format(first=first, last=last), False, "")


def inline_spans(ruleset: RuleSet, page_count: int) -> InlineSpans:
    """The page spans of the rules that ask for the inline placeholder, in file order.

    Spans, not page lists: a range is checked by arithmetic (see :mod:`redactor.pageranges`).
    """
    return [
        (first, last, rule.id)
        for rule in ruleset.rules
        if rule.placeholder == "inline" and rule.selector.pages is not None
        for first, last in page_spans(rule.selector.pages, page_count)
    ]


def inline_rules(spans: InlineSpans, first: int, last: int) -> tuple[str, ...]:
    """The inline rules covering pages ``first``-``last``; none unless they cover every page of it.

    A run only partly covered keeps its page note: one inline mark for it would hide that
    pages the rules did not name were dropped too.
    """
    touching = [(a, b, rule) for a, b, rule in spans if a <= last and b >= first]
    reach = first - 1
    for a, b, _ in sorted(touching):
        if a > reach + 1:
            break
        reach = max(reach, b)
    if reach < last:
        return ()
    return tuple(dict.fromkeys(rule for _, _, rule in touching))


def _condensed_rows(plan: Decisions, first: int, last: int) -> tuple[CondensedRow, ...]:
    """Released cells of a page range, row by row; withheld rows fold into one placeholder row.

    Withheld rows before the first released row (a withheld header row) leave no placeholder:
    the note before the range already says which pages it covers.
    """
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
                if rows and not rows[-1].placeholder:
                    rows.append(CondensedRow((inline,), True, None))
                continue
            level = heading_level.get(group[0]) if len(group) == 1 else None
            rows.append(CondensedRow(tuple(cells), False, level))
    return tuple(rows)


def _cell_text(plan: Decisions, block_id: int, inline: str) -> str:
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


def released_headings(plan: Decisions) -> list[OutlineEntry]:
    """Headings whose every word is released, on pages that appear: the rebuilt outline."""
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
