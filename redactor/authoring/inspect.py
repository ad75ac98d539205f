"""``redactor inspect``: the document's structure exactly as the rules will see it.

Reviewers write selectors against what the loader and the outline find (blocks in reading
order, detected headings, furniture), which is not always what a PDF viewer suggests. This
prints that structure, with a ready-to-paste selector for every block and section, so a
rule is written against the real text rather than a guess. Tables come from PyMuPDF's
``find_tables`` (ruled tables, without its slow layout model); they are a reading aid
only, never read by the planner. ``find_tables`` extracts every character of a page
however few lines it has (about 50 ms a page), so a cheap count of the page's line
segments first skips the pages that cannot hold a ruled table (most pages of prose).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from redactor.authoring.yamltext import flow_mapping, unique_prefix
from redactor.pageranges import format_pages
from redactor.progress import Progress
from redactor.source.load import open_pdf
from redactor.source.model import Document
from redactor.source.outline import Outline

#: Words of a block shown in the listing (the text is cut after these).
PREVIEW_WORDS = 12
_DIGITS = re.compile(r"\d+")
VARYING = "   (# = a number that varies by page)"


def _rect(values: Any) -> list[float]:
    return [round(float(v), 1) for v in tuple(values)[:4]]


def _first_words(text: str, count: int = PREVIEW_WORDS) -> str:
    words = text.split(" ")
    return " ".join(words[:count]) + (" …" if len(words) > count else "")


#: PyMuPDF's default snap tolerance: a segment within this of axis-parallel can become an edge.
SNAP = 3.0
#: Edges the smallest ruled table needs (two cells side by side: three verticals, two horizontals).
MIN_EDGES = (3, 2)


def _segment(counts: list[int], p: Any, q: Any) -> None:
    """Count a near-axis segment toward each orientation it could end up as.

    PyMuPDF calls an edge horizontal only when its ends share exactly one y; any other
    segment within ``SNAP`` of an axis becomes a "vertical" edge, so only an exactly
    axis-parallel one counts toward one orientation alone.
    """
    dx, dy = abs(p[0] - q[0]), abs(p[1] - q[1])
    if dx > SNAP and dy > SNAP:  # slanted: never an edge
        return
    if dy == 0:
        counts[1] += 1
    elif dx == 0:
        counts[0] += 1
    else:
        counts[0] += 1
        counts[1] += 1


def _may_hold_table(page: Any) -> bool:
    """Whether the page's vector graphics could form a ruled table, counted generously.

    An upper bound on the edges ``find_tables`` (lines strategy) can build: each axis-parallel
    ``l`` segment, the sides of each ``re``/``qu`` (one side for a thin rectangle drawn as a
    rule), a path's closing line, plus the outline of every path's bounding box, which
    ``find_tables`` also adds when it encloses text. Merging edges only lowers their number,
    so a page below ``MIN_EDGES`` (either way round: a rotated page is turned first) has no
    table, and its tables list is the same as if it had been analysed.
    """
    try:
        paths = page.get_cdrawings()
    except Exception:  # let find_tables meet (and report) what this cannot read
        return True
    counts = [0, 0]  # vertical, horizontal
    for path in paths:
        counts[0] += 2  # the path's bounding box
        counts[1] += 2
        items = path.get("items") or []
        for item in items:
            kind = item[0]
            if kind == "l":
                _segment(counts, item[1], item[2])
            elif kind == "re":
                x0, y0, x1, y1 = item[1]
                width, height = abs(x1 - x0), abs(y1 - y0)
                if width <= SNAP and width < height:
                    counts[0] += 1
                elif height <= SNAP and height < width:
                    counts[1] += 1
                else:
                    counts[0] += 2
                    counts[1] += 2
            elif kind == "qu":
                ul, ur, ll, lr = item[1]
                for p, q in ((ul, ll), (ll, lr), (lr, ur), (ur, ul)):
                    _segment(counts, p, q)
        if path.get("closePath") and items and items[0][0] == "l" and items[-1][0] == "l":
            _segment(counts, items[-1][2], items[0][1])
        if min(counts) >= min(MIN_EDGES) and max(counts) >= max(MIN_EDGES):
            return True
    return False


def _tables_on(page: Any) -> list[Any]:
    """Ruled tables on a page; PyMuPDF's layout model (ten times slower) is left out."""
    try:
        return list(page.find_tables(use_layout=False).tables)
    except TypeError:  # a PyMuPDF without the layout option
        return list(page.find_tables().tables)


def find_tables(
    source: str | Path, password: str | None = None, progress: Progress | None = None
) -> list[dict[str, Any]]:
    """Tables PyMuPDF detects on each page: position, shape and header cells."""

    doc = open_pdf(source, password)
    tables: list[dict[str, Any]] = []
    try:
        for page in doc:
            try:
                found = _tables_on(page) if _may_hold_table(page) else []
            except Exception:  # a reading aid only: a page it cannot analyse has no tables listed
                found = []
            for table in found:
                header = [" ".join(str(c or "").split()) for c in table.header.names]
                tables.append(
                    {
                        "page": page.number + 1,
                        "rect": _rect(table.bbox),
                        "rows": table.row_count,
                        "columns": table.col_count,
                        "header": header,
                    }
                )
            if progress:
                progress(1)
    finally:
        doc.close()
    return tables


def structure(document: Document, outline: Outline, tables: list[dict[str, Any]]) -> dict[str, Any]:
    """Everything ``inspect`` reports, as plain data (the ``--json`` output)."""
    doc = document
    heading_of = {h.block: h for h in outline.headings}
    content = doc.content_blocks()
    block_texts = sorted(b.text for b in content)
    heading_texts = sorted(h.text for h in outline.headings)
    pages = [
        {
            "page": p.number,
            "size": [round(p.width, 1), round(p.height, 1)],
            "rotation": p.rotation,
            "text_layer": p.has_text_layer,
            "blocks": sum(1 for b in p.block_ids if not doc.blocks[b].furniture),
            "images": len(p.image_ids),
        }
        for p in doc.pages
    ]
    headings = [{"level": h.level, "page": h.page, "text": h.text, "declared": h.declared} for h in outline.headings]
    sections = []
    for s in outline.sections:
        regex, matches = unique_prefix(s.heading.text, heading_texts)
        sections.append(
            {
                "id": s.id,
                "level": s.heading.level,
                "path": list(outline.path(s.id)),
                "pages": [s.heading.page, max(doc.blocks[b].page for b in s.block_ids)],
                "selector": {"section": regex},
                "selector_matches": matches,
            }
        )
    page_texts: dict[int, list[str]] = {}
    for b in content:
        page_texts.setdefault(b.page, []).append(b.text)
    blocks = []
    for b in content:
        selector: dict[str, str] = {}
        regex, matches = unique_prefix(b.text, block_texts)
        if matches > 1:  # the text repeats across pages: narrow to this page
            regex, matches = unique_prefix(b.text, sorted(page_texts[b.page]))
            selector["pages"] = str(b.page)
        selector = {"block": regex, **selector}
        heading = heading_of.get(b.id)
        blocks.append(
            {
                "id": b.id,
                "page": b.page,
                "rect": _rect(b.rect.as_tuple()),
                "words": len(b.word_ids),
                "heading_level": heading.level if heading else None,
                "text": _first_words(b.text),
                "selector": selector,
                "selector_matches": matches,
            }
        )
    images = [{"page": i.page, "rect": _rect(i.rect.as_tuple()), "xref": i.xref} for i in doc.images]
    return {
        "source": doc.path,
        "page_count": doc.page_count,
        "body_size": doc.body_size,
        "pages": pages,
        "headings": headings,
        "sections": sections,
        "blocks": blocks,
        "tables": tables,
        "images": images,
        "furniture": furniture(document),
    }


def furniture(document: Document) -> list[dict[str, Any]]:
    """Furniture lines grouped by their shape (digits folded), with the pages they repeat on."""
    groups: dict[str, dict[str, Any]] = {}
    for line in document.lines:
        if not line.furniture:
            continue
        text = " ".join(document.words.texts[w] for w in line.word_ids)
        shape = _DIGITS.sub("#", text)
        entry = groups.setdefault(shape, {"text": text, "shape": shape, "varies": False, "pages": []})
        entry["varies"] = entry["varies"] or text != entry["text"]
        if line.page not in entry["pages"]:
            entry["pages"].append(line.page)
    return list(groups.values())


def _pages_label(pages: list[int]) -> str:

    return ("p. " if len(pages) == 1 else "pp. ") + format_pages(pages)


def format_structure(report: dict[str, Any]) -> str:
    """The human listing: plain text, one item a line, selectors ready to paste."""
    out: list[str] = [f"{report['source']}: {report['page_count']} pages, body text {report['body_size']} pt", ""]
    out.append("PAGES")
    for p in report["pages"]:
        w, h = p["size"]
        note = "" if p["text_layer"] else "  (no text layer: use pages/region rules)"
        rot = f"  rotated {p['rotation']}" if p["rotation"] else ""
        out.append(f"  p. {p['page']:<4} {w:g} x {h:g} pt{rot}  {p['blocks']} blocks  {p['images']} images{note}")
    out += ["", "HEADINGS"]
    out += [f"  L{h['level']}  p. {h['page']:<4} {h['text']}" for h in report["headings"]] or ["  (none found)"]
    out += ["", "SECTIONS"]
    for s in report["sections"]:
        first, last = s["pages"]
        span = f"p. {first}" if first == last else f"pp. {first}-{last}"
        out.append(f"  {' > '.join(s['path'])}  ({span})")
        out.append(f"      {flow_mapping(s['selector'])}{_repeats(s['selector_matches'])}")
    out += ["", "BLOCKS"]
    for b in report["blocks"]:
        tag = f"[heading L{b['heading_level']}] " if b["heading_level"] else ""
        out.append(f"  p. {b['page']:<4} #{b['id']:<5} {tag}{b['text']}")
        out.append(f"      {flow_mapping(b['selector'])}{_repeats(b['selector_matches'])}")
    out += ["", "TABLES"]
    out += [
        f"  p. {t['page']:<4} {t['rows']} rows x {t['columns']} columns at {t['rect']}: {' | '.join(t['header'])}"
        for t in report["tables"]
    ] or ["  (none found)"]
    out += ["", "IMAGES"]
    out += [f"  p. {i['page']:<4} at {i['rect']}" for i in report["images"]] or ["  (none)"]
    out += ["", "FURNITURE (running headers/footers, page numbers, markings)"]
    out += [
        f"  {_pages_label(f['pages'])}: {f['shape'] + VARYING if f['varies'] else f['text']}"
        for f in report["furniture"]
    ] or ["  (none found)"]
    return "\n".join(out) + "\n"


def _repeats(matches: int) -> str:
    return f"   # matches {matches} identical blocks" if matches > 1 else ""
