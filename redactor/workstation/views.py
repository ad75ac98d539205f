"""What the workstation shows of the plan, as JSON for the page's script.

Per page: every block with its words grouped by verdict (released, withheld, furniture,
rewritten marking), each group with the rule that decided it and that rule's reason;
images and line art with theirs; the region rules drawn on the page; the page's fate in the
extract. For the whole document: each page's disposition, the rules with the atoms each
decided, the reasons. The plan decides; this module only reads it (as the previews do).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from redactor.authoring.rulefile import GENERATED_PREFIX
from redactor.geometry import Rect
from redactor.plan.model import OutputItem, Plan
from redactor.plan.precedence import FURNITURE, LEVEL_NAMES, Verdict
from redactor.rules.model import Rule
from redactor.rules.selectors import Region
from redactor.workstation.pictures import Shown

#: The colours' meaning, in the order of the legend.
LEGEND = (
    ("released", "released: in the extract"),
    ("withheld", "withheld: removed"),
    ("furniture", "furniture: header, footer"),
    ("marking", "marking: rewritten"),
    ("art-released", "image, line art released"),
    ("art-withheld", "image, line art withheld"),
    ("region", "region rule"),
)


@dataclass(frozen=True)
class _Key:
    kind: str
    rule: str
    level: int


def _kind(verdict: Verdict) -> str:
    if verdict.rule == FURNITURE:
        return "furniture"
    return "withheld" if verdict.withheld else "released"


def label(plan: Plan, kind: str, rule: str, level: int) -> str:
    """``withheld · rule-id · reason`` (the reason's code), as shown beside the page."""
    if kind == "furniture":
        return "furniture"
    if kind == "marking":
        return "marking rewritten"
    rules = _rules_by_id(plan)
    parts = [kind.replace("art-", ""), rule]
    cited = rules[rule].reason if rule in rules else None
    if cited:
        parts.append(cited)
    elif rule not in rules:
        parts.append(LEVEL_NAMES.get(level, ""))
    return " · ".join(p for p in parts if p)


_BY_ID: dict[int, tuple[Plan, dict[str, Rule]]] = {}


def _rules_by_id(plan: Plan) -> dict[str, Rule]:
    """The plan's rules by id (made once per plan: every label looks its rule up)."""
    cached = _BY_ID.get(id(plan.ruleset))
    if cached is None or cached[0] is not plan:
        _BY_ID.clear()
        cached = (plan, {r.id: r for r in plan.ruleset.rules})
        _BY_ID[id(plan.ruleset)] = cached
    return cached[1]


def page_items(plan: Plan) -> dict[int, OutputItem]:
    """Source page -> the extract item showing it (kept page, placeholder page, condensed range)."""
    return {n: item for item in plan.sequence for n in range(item.first, item.last + 1)}


def _segments(plan: Plan, block_id: int, shown: Shown, rewritten: frozenset[int]) -> list[dict[str, Any]]:
    """The block's words grouped, line by line, into runs of one verdict: one box per run."""
    doc = plan.document
    block = doc.blocks[block_id]
    out: list[dict[str, Any]] = []
    for line_id in block.line_ids:
        run: tuple[_Key, Rect] | None = None
        for w in doc.lines[line_id].word_ids:
            v = plan.verdicts[w]
            key = _Key("marking" if w in rewritten or w in plan.rewrites else _kind(v), v.rule, v.level)
            rect = doc.words.rect(w)
            if run is not None and run[0] == key:
                run = (key, run[1].union(rect))
                continue
            if run is not None:
                out.append({"kind": run[0].kind, "rule": run[0].rule, "box": shown.box(run[1])})
            run = (key, rect)
        if run is not None:
            out.append({"kind": run[0].kind, "rule": run[0].rule, "box": shown.box(run[1])})
    return out


def _labels(plan: Plan, block_id: int, rewritten: frozenset[int]) -> list[dict[str, str]]:
    """One label per distinct verdict of the block's words, in reading order."""
    seen: dict[tuple[str, str], dict[str, str]] = {}
    for w in plan.document.blocks[block_id].word_ids:
        v = plan.verdicts[w]
        kind = "marking" if w in rewritten or w in plan.rewrites else _kind(v)
        if (kind, v.rule) not in seen:
            seen[(kind, v.rule)] = {"kind": kind, "rule": v.rule, "text": label(plan, kind, v.rule, v.level)}
    return list(seen.values())


def page_view(plan: Plan, number: int, shown: Shown, version: int) -> dict[str, Any]:
    """Everything drawn over one source page, and what the extract shows for it."""
    doc = plan.document
    page = doc.pages[number - 1]
    page_plan = plan.pages[number - 1]
    rewritten = page_plan.rewritten
    blocks = []
    for b in page.block_ids:
        block = doc.blocks[b]
        kinds = {plan.verdicts[w].action for w in block.word_ids}
        state = "furniture" if block.furniture else ("mixed" if len(kinds) > 1 else next(iter(kinds), "withhold"))
        blocks.append(
            {
                "id": b,
                "box": shown.box(block.rect),
                "state": {"release": "released", "withhold": "withheld"}.get(state, state),
                "furniture": block.furniture,
                "excerpt": block.text[:160] + ("…" if len(block.text) > 160 else ""),
                "segments": _segments(plan, b, shown, rewritten),
                "labels": _labels(plan, b, rewritten),
            }
        )
    images = []
    for i in page.image_ids:
        v = plan.image_verdicts[i]
        kind = "art-withheld" if v.withheld else "art-released"
        images.append({"id": i, "box": shown.box(doc.images[i].rect), "kind": kind, "rule": v.rule,
                       "label": "image " + label(plan, kind, v.rule, v.level)})  # fmt: skip
    drawings = []
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for d, v in zip(page.drawing_ids, page_plan.drawing_verdicts, strict=False):
        kind = "art-withheld" if v.withheld else "art-released"
        drawings.append({"box": shown.box(doc.drawings[d].rect), "kind": kind, "rule": v.rule})
        group = groups.setdefault((kind, v.rule), {"kind": kind, "rule": v.rule, "count": 0, "top": 100.0})
        group["count"] += 1
        group["top"] = min(group["top"], drawings[-1]["box"][1])
    for group in groups.values():
        group["label"] = f"line art ×{group['count']} " + label(plan, group["kind"], group["rule"], 0)
    regions = []
    for rule in plan.ruleset.rules:
        region = rule.selector.get(Region)
        if region is not None and rule.action != "condense" and _on_page(region.pages, number, doc.page_count):
            regions.append({"rule": rule.id, "action": rule.action, "box": shown.box(Rect.of(region.rect))})
    item = page_items(plan).get(number)
    return {
        "number": number,
        "version": version,
        "disposition": page_plan.disposition,
        "aspect": shown.height / shown.width,
        "blocks": blocks,
        "images": images,
        "drawings": drawings,
        "art_labels": list(groups.values()),
        "regions": regions,
        "extract": _extract(item, number),
    }


def _on_page(spec: str, number: int, page_count: int) -> bool:
    from redactor.pageranges import page_spans

    try:
        return any(first <= number <= last for first, last in page_spans(spec, page_count))
    except ValueError:
        return False


def _extract(item: OutputItem | None, number: int) -> dict[str, Any]:
    if item is None:
        return {"kind": "none", "text": ""}
    shared = {"first": item.first, "last": item.last}
    if item.kind == "withheld_pages":
        text = item.text + (f" ({item.tail_page})" if item.tail_page else "")
        return {"kind": "placeholder", "text": text, "inline": item.inline, **shared}
    return {"kind": item.kind, "text": item.text if item.kind == "condensed" else "", **shared}


def overview(plan: Plan, version: int) -> dict[str, Any]:
    """The document at a glance: each page's disposition, the rules and their hits, the reasons."""
    ruleset = plan.ruleset
    rules = [
        {
            "id": r.id,
            "action": r.action,
            "level": LEVEL_NAMES.get(r.level, str(r.level)) if r.action != "condense" else "pages",
            "hits": plan.rule_hits.get(r.id, 0),
            "reason": r.reason or "",
            "generated": r.id.startswith(GENERATED_PREFIX),
        }
        for r in ruleset.rules
    ]
    return {
        "version": version,
        "number": ruleset.document.number,
        "page_count": plan.document.page_count,
        "pages": [p.disposition for p in plan.pages],
        "rules": rules,
        "reasons": ruleset.reasons,
        "legend": [{"kind": k, "text": t} for k, t in LEGEND],
    }
