"""The text rendition (Markdown and HTML): released text in reading order, with headings,
lists, condensed tables and the same placeholders and page notes as the PDF extract.

Both formats are renderings of one element list built from the plan; placeholders appear
where the plan's withheld areas begin, so the text and the PDF cannot disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from redactor.numbering import new_number
from redactor.plan.model import OutputItem, Plan
from redactor.render.templating import TEMPLATE_DIR, environment

_BULLET = re.compile(r"^\s*([\u2022\u2023\u25aa\u25cf\u2013\-\*])\s+")

Segment = tuple[str, bool]  # (text, is_placeholder)


@dataclass(frozen=True)
class Element:
    """One paragraph-level piece of the rendition."""

    kind: Literal["heading", "paragraph", "item", "note", "row"]
    segments: tuple[Segment, ...]
    level: int = 0
    cells: tuple[tuple[Segment, ...], ...] = ()


def elements(plan: Plan) -> list[Element]:
    """The rendition's elements, in the extract's order."""
    result: list[Element] = []
    for item in plan.sequence:
        if item.kind == "page":
            result.extend(_page_elements(plan, item.first))
        elif item.kind == "withheld_pages" and item.inline:
            # Like a withheld paragraph, not a note: the run is something the released text introduces.
            result.append(Element("paragraph", ((item.text, True),)))
        elif item.kind == "withheld_pages":
            result.append(Element("note", ((item.text, True),)))
            if item.tail_page:
                result.append(Element("note", ((item.tail_page, True),)))
        else:
            result.extend(_condensed_elements(item, plan.ruleset.placeholders.inline))
    return result


def _page_elements(plan: Plan, number: int) -> list[Element]:
    doc = plan.document
    page_plan = plan.pages[number - 1]
    starts = {a.word_ids[0]: a for a in page_plan.areas if a.word_ids}
    image_areas = [a for a in page_plan.areas if a.image_ids and not a.word_ids]
    heading_level = {h.block: h.level for h in plan.outline.headings}
    inline = plan.ruleset.placeholders.inline
    out: list[Element] = []
    anchored = {a.block_ids[0]: a for a in image_areas if a.block_ids}
    word_starts, word_ends, word_texts = doc.words.starts, doc.words.ends, doc.words.texts
    for block_id in doc.pages[number - 1].block_ids:
        block = doc.blocks[block_id]
        if block.furniture:
            continue
        segments: list[Segment] = []
        words: list[str] = []
        previous = None
        for wid in block.word_ids:
            if wid in starts:
                if words:
                    segments.append(("".join(words).strip(), False))
                    words = []
                segments.append((inline, True))
                previous = None
            text = plan.word_text(wid)
            if text:
                start = word_starts[wid]
                joined = previous is not None and word_ends[previous] == start and start > 0
                if joined and text == word_texts[wid]:
                    words[-1] = words[-1].rstrip("-\u00ad\u2010")  # line-break hyphenation
                words.append(("" if joined else " ") + text)
                previous = wid
            else:
                previous = None
        if words:
            segments.append(("".join(words).strip(), False))
        if segments:
            out.append(_classify(segments, heading_level.get(block_id)))
        if block_id in anchored:
            out.append(Element("paragraph", ((inline, True),)))
    return out


def _classify(segments: list[Segment], level: int | None) -> Element:
    released = all(not placeholder for _, placeholder in segments)
    if level is not None and released:
        return Element("heading", tuple(segments), level)
    first, is_placeholder = segments[0]
    if not is_placeholder and _BULLET.match(first):
        return Element("item", ((_BULLET.sub("", first, count=1), False), *segments[1:]))
    return Element("paragraph", tuple(segments))


def _condensed_elements(item: OutputItem, inline: str) -> list[Element]:
    out = [Element("note", ((item.text, True),))]
    for row in item.rows:
        if row.placeholder:
            out.append(Element("row", (), cells=((("", False),), ((inline, True),))))
        else:
            cells = tuple(tuple(_split_placeholders(c, inline)) for c in row.cells)
            out.append(Element("row", (), cells=cells))
    return out


def _split_placeholders(text: str, inline: str) -> list[Segment]:
    parts = text.split(inline)
    segments: list[Segment] = []
    for i, part in enumerate(parts):
        if part.strip():
            segments.append((part.strip(), False))
        if i < len(parts) - 1:
            segments.append((inline, True))
    return segments or [("", False)]


def _md(segments: tuple[Segment, ...]) -> str:
    return " ".join(f"**{t}**" if p else t for t, p in segments if t)


def render_markdown(plan: Plan) -> str:
    """The released text as Markdown, in the manner of a published partial declassification."""
    lines: list[str] = []
    table: list[Element] = []
    for el in [*elements(plan), None]:
        if el is not None and el.kind == "row":
            table.append(el)
            continue
        if table:
            lines.extend(_md_table(table))
            lines.append("")
            table = []
        if el is None:
            break
        if el.kind == "heading":
            lines.append("#" * min(6, el.level + 1) + " " + _md(el.segments))
        elif el.kind == "item":
            lines.append("- " + _md(el.segments))
        else:
            lines.append(_md(el.segments))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _md_table(rows: list[Element]) -> list[str]:
    """A GitHub-flavoured table: the rows padded to one width, a separator after the first."""
    width = max(2, *(len(r.cells) for r in rows))
    out: list[str] = []
    for i, row in enumerate(rows):
        cells = [_md(c).replace("|", "\\|") for c in row.cells]
        cells += [""] * (width - len(cells))
        out.append("| " + " | ".join(cells) + " |")
        if i == 0:
            out.append("|" + "---|" * width)
    return out


def render_html(plan: Plan, template_dir: Path = TEMPLATE_DIR) -> str:
    """The released text as one HTML page (template ``extract.html.j2``)."""
    env = environment(template_dir)

    title = new_number(plan.ruleset.document.number, plan.ruleset.release.extract)
    return env.get_template("extract.html.j2").render(
        title=title, elements=elements(plan), language=plan.ruleset.release.language
    )
