"""decide(document, ruleset) -> Plan: the single source of truth about what is withheld.

Every atom (word, image) gets a :class:`~redactor.precedence.Verdict`; withheld atoms are
grouped per page into runs (one area, one placeholder each); pages with no released
content are dropped and their runs become placeholder pages; condensed ranges are laid
out again. The writer, the text rendition, the audit, the preview and verify read this
plan and decide nothing themselves.
"""

from __future__ import annotations

from redactor.model import Document
from redactor.outline import DeclaredHeading, build_outline
from redactor.pageplan import page_plan
from redactor.pageranges import PageRangeError, parse_pages
from redactor.planmodel import (
    CondensedRow,
    DrawnText,
    OutlineEntry,
    OutputItem,
    PagePlan,
    Plan,
    WithheldArea,
)
from redactor.rules import RuleSet
from redactor.selectors import Context, image_anchors
from redactor.sequence import output_sequence, released_headings
from redactor.verdicts import assign_verdicts, conceal_lines, condensed_ranges, select_all, select_rules


def decide(document: Document, ruleset: RuleSet) -> Plan:
    """Give every atom its verdict and derive runs, page runs and the output sequence."""
    declared = tuple(DeclaredHeading(p, level) for p, level in ruleset.headings)
    outline = build_outline(document, declared)
    ctx = Context(document, outline, image_anchors(document))
    selections = select_all(ctx, ruleset)
    verdicts, image_verdicts, hits = assign_verdicts(ctx, ruleset, selections)
    verdicts, collateral = conceal_lines(document, ruleset, verdicts)
    condensed = condensed_ranges(document, ruleset)
    page_plans: list[PagePlan] = []
    rewrites: dict[int, str] = {}
    area_counter = [0]
    for page in document.pages:
        plan_page, page_rewrites = page_plan(
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
    sequence = output_sequence(partial, condensed)
    headings = released_headings(partial)
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


def check_rule_pages(ruleset: RuleSet, page_count: int) -> None:
    """Raise a RuleError for any page number beyond the document (used by lint)."""
    for rule in ruleset.rules:
        if rule.selector.pages is None:
            continue
        try:
            parse_pages(rule.selector.pages, page_count)
        except PageRangeError as exc:
            raise ruleset.error(f"rule '{rule.id}': {exc}.", rule, "pages") from None


__all__ = [
    "CondensedRow",
    "DrawnText",
    "OutlineEntry",
    "OutputItem",
    "PagePlan",
    "Plan",
    "WithheldArea",
    "check_rule_pages",
    "decide",
    "select_rules",
]
