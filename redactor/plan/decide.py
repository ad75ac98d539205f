"""decide(document, ruleset) -> Plan: the single source of truth about what is withheld.

Every atom (word, image) gets a :class:`~redactor.plan.precedence.Verdict`; withheld atoms are
grouped per page into runs (one area, one placeholder each); pages with no released
content are dropped and their runs become placeholder pages; condensed ranges are laid
out again. The writer, the text rendition, the audit, the preview and verify read this
plan and decide nothing themselves.
"""

from __future__ import annotations

from redactor.plan.model import (
    CondensedRow,
    Decisions,
    DrawnText,
    OutlineEntry,
    OutputItem,
    PagePlan,
    Plan,
    WithheldArea,
)
from redactor.plan.pages import PageInputs, page_plan
from redactor.plan.sequence import output_sequence, released_headings
from redactor.plan.verdicts import assign_verdicts, conceal_lines, condensed_ranges, select_all, select_rules
from redactor.progress import Progress, no_progress
from redactor.rules.model import RuleSet
from redactor.rules.patterns import time_budget
from redactor.rules.selectors import Context, Selection
from redactor.source.model import Document
from redactor.source.outline import DeclaredHeading, build_outline


def decide(document: Document, ruleset: RuleSet, progress: Progress = no_progress) -> Plan:
    """Give every atom its verdict and derive runs, page runs and the output sequence (each page planned reported)."""
    declared = tuple(DeclaredHeading(p, level) for p, level in ruleset.headings)
    with time_budget():  # the rule patterns run here, each within its time for this document
        outline = build_outline(document, declared)
        ctx = Context.of(document, outline)
        selections = select_all(ctx, ruleset, compact=True)
    verdicts, image_verdicts, hits = assign_verdicts(ctx, ruleset, selections)
    # Pages read only the rules' regions from here on: the word sets go.
    regions = tuple((rule, Selection(areas=selection.areas)) for rule, selection in selections)
    del selections
    verdicts, collateral = conceal_lines(document, ruleset, verdicts)
    condensed = condensed_ranges(document, ruleset)
    inputs = PageInputs(ctx, ruleset, tuple(verdicts), tuple(image_verdicts), regions, tuple(condensed))
    page_plans: list[PagePlan] = []
    rewrites: dict[int, str] = {}
    next_area = 1  # areas are numbered across the document, in page and reading order
    for page in document.pages:
        plan_page, page_rewrites = page_plan(inputs, page.number, next_area)
        page_plans.append(plan_page)
        rewrites.update(page_rewrites)
        next_area += len(plan_page.areas)
        progress(1)
    # The sequence and the outline are read off the page plans, so they come second.
    decided = Decisions(document, ruleset, outline, inputs.verdicts, tuple(page_plans), rewrites)
    return Plan(
        document=document,
        ruleset=ruleset,
        outline=outline,
        verdicts=inputs.verdicts,
        image_verdicts=inputs.image_verdicts,
        pages=decided.pages,
        sequence=tuple(output_sequence(decided, condensed)),
        released_headings=tuple(released_headings(decided)),
        rewrites=rewrites,
        collateral=frozenset(collateral),
        rule_hits=hits,
    )


__all__ = [
    "CondensedRow",
    "DrawnText",
    "OutlineEntry",
    "OutputItem",
    "PagePlan",
    "Plan",
    "WithheldArea",
    "decide",
    "select_rules",
]
