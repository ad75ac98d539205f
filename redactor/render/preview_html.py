"""The HTML review copy: one self-contained file to walk through a release decision.

For each source page: the page as an image with the plan's boxes over it (red withheld,
green released, orange rewritten markings), beside the page as the extract will show it.
The extract side is the real extract, rendered once by ``render_extract`` and rasterised,
so what the reviewer sees is what will be released. Boxes carry their rule, level and
reason (title attribute and a tooltip), a filter shows one rule's boxes, and j/k or the
arrow keys move between pages. Everything (images, style, script) is inline.
"""

from __future__ import annotations

import base64
from typing import Any

from redactor.geometry import Rect
from redactor.plan.model import PagePlan, Plan
from redactor.plan.precedence import LEVEL_NAMES
from redactor.progress import Progress, no_progress
from redactor.render.audit import audit_data
from redactor.render.extract import render_extract
from redactor.render.preview_pdf import STAMP, item_of_page, page_rules
from redactor.render.templating import environment
from redactor.source.load import open_pdf

#: Resolution of the page images: readable, and small enough for a 100-page file.
DPI = 70


def _png(page: Any) -> str:
    data = page.get_pixmap(dpi=DPI).tobytes("png")
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def _box(rect: Rect, page: Any, kind: str, rules: list[str], detail: str, pymupdf: Any) -> dict[str, Any]:
    """An overlay box in percent of the displayed page (rotation applied), with its description."""
    shown = pymupdf.Rect(rect.as_tuple()) * page.rotation_matrix
    width, height = page.rect.width, page.rect.height
    label = f"{kind} by {', '.join(rules) or 'release'}{detail}"
    return {
        "kind": kind,
        "rules": rules,
        "title": label,
        "left": round(100 * shown.x0 / width, 3),
        "top": round(100 * shown.y0 / height, 3),
        "width": round(100 * shown.width / width, 3),
        "height": round(100 * shown.height / height, 3),
    }


def _page_boxes(plan: Plan, page_plan: PagePlan, page: Any, pymupdf: Any) -> list[dict[str, Any]]:
    doc = plan.document
    source = doc.pages[page_plan.number - 1]
    reasons = plan.ruleset.reasons
    boxes: list[dict[str, Any]] = []
    if page_plan.disposition == "withheld":
        whole = Rect(0, 0, source.cropbox.width, source.cropbox.height)
        return [_box(whole, page, "withheld", page_rules(plan, source.number), " · whole page dropped", pymupdf)]
    released = [w for b in source.block_ids for w in doc.blocks[b].word_ids if not plan.verdicts[w].withheld]
    for rect in page_plan.keep_rects:
        inside = [plan.verdicts[w] for w in released if rect.contains_point(*doc.words[w].rect.center)]
        inside += [plan.image_verdicts[i] for i in source.image_ids if doc.images[i].rect == rect]
        rules = list(dict.fromkeys(v.rule for v in inside))
        level = max((v.level for v in inside), default=0)
        boxes.append(_box(rect, page, "released", rules, f" · level {level} ({LEVEL_NAMES.get(level)})", pymupdf))
    for w in sorted(page_plan.rewritten):
        boxes.append(
            _box(doc.words[w].rect, page, "marking", ["marking"], " · marking rewritten in the extract", pymupdf)
        )
    for area in page_plan.areas:
        why = "; ".join(f"{code}: {reasons.get(code, '')}" for code in area.reasons)
        detail = f" · area #{area.id} · level {area.level} ({LEVEL_NAMES.get(area.level)})" + (
            f" · reason {why}" if why else " · no reason cited"
        )
        for rect in area.rects:
            boxes.append(_box(rect, page, "withheld", list(area.rules), detail, pymupdf))
    return boxes


def review_html(plan: Plan, source: str, password: str | None = None, progress: Progress = no_progress) -> str:
    """The review page: summary, filter, and every source page beside its extract page."""
    import pymupdf

    log = audit_data(plan)
    rendered = render_extract(plan, source, password)
    # The first source page of an item (a placeholder page, a condensed range) shows it all.
    shown = {item.first: pages for item, pages in zip(plan.sequence, rendered.item_pages, strict=True)}
    extract = pymupdf.open("pdf", rendered.pdf)
    src = open_pdf(source, password)
    try:
        cover_pages = rendered.cover_pages
        items = item_of_page(plan)
        cover = [_png(extract[i]) for i in range(cover_pages)]
        pages = []
        for page_plan in plan.pages:
            page = src[page_plan.number - 1]
            item = items.get(page_plan.number)
            pages.append(
                {
                    "number": page_plan.number,
                    "disposition": page_plan.disposition,
                    "image": _png(page),
                    "boxes": _page_boxes(plan, page_plan, page, pymupdf),
                    "extract": [_png(extract[i]) for i in shown.get(page_plan.number, ())],
                    "item": item,
                    "placeholder": item.text if item and item.kind == "withheld_pages" else "",
                }
            )
            progress(1)
    finally:
        src.close()
        extract.close()
    rules = [r for r in log["by_rule"] if r["released_words"] + r["withheld_words"] + r["entries"] > 0]
    env = environment()
    return env.get_template("preview.html.j2").render(
        stamp=STAMP, log=log, pages=pages, cover=cover, rules=rules, plan=plan
    )
