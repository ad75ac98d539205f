"""The facsimile extract: the plan rendered as a PDF, removal done for real.

Kept pages: every remove rectangle of the plan (the complement of the released content,
beyond the page edges included) goes into one ``apply_redactions`` call per page, with
image pixels blanked and covered line art removed; then the plan's placeholders and
marking replacements are drawn. The extract is a new document: the cover, then kept
pages copied in (without annotations, links or widgets), placeholder pages and condensed
ranges, in the plan's order; then scrubbed and saved whole and reproducibly.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from redactor.document import open_pdf
from redactor.plan import OutputItem, PagePlan, Plan
from redactor.render.condensed import render_condensed
from redactor.render.cover import CoverData, decompose_ligatures, new_number, render_cover_pdf
from redactor.scrub import scrub_document

Progress = Callable[[int], None]

#: Placeholder pages print their note this far down the page (share of the height).
PLACEHOLDER_PAGE_Y = 0.12
PLACEHOLDER_PAGE_SIZE = 12.0


def cover_data(plan: Plan) -> CoverData:
    """The cover sheet's fields: the rule file's identity and the plan's outcome (partial or full)."""
    from redactor.covers import cover_data_from_rules

    return cover_data_from_rules(plan.ruleset, partial=plan.withholds_anything)


def redact_page(page: Any, page_plan: PagePlan) -> None:
    """Remove everything the plan does not keep on one page, then draw its texts."""

    for annot in list(page.annots() or []):
        page.delete_annot(annot)
    for widget in list(page.widgets() or []):
        page.delete_widget(widget)
    for link in page.get_links():
        page.delete_link(link)
    # Plan rectangles are in the coordinates text extraction reports, which are those of
    # the unrotated page: work unrotated, then put the rotation back.
    rotation = page.rotation
    if rotation:
        page.set_rotation(0)
    try:
        _redact_and_draw(page, page_plan)
    finally:
        if rotation:
            page.set_rotation(rotation)
    page.clean_contents(sanitize=True)


def _redact_and_draw(page: Any, page_plan: PagePlan) -> None:
    import pymupdf

    _add_redactions(page, page_plan)
    page._apply_redactions(  # one call for all areas; the public wrapper only adds overlay text
        pymupdf.mupdf.PDF_REDACT_TEXT_REMOVE,
        pymupdf.mupdf.PDF_REDACT_IMAGE_PIXELS,
        pymupdf.mupdf.PDF_REDACT_LINE_ART_REMOVE_IF_COVERED,
    )
    if page_plan.drawn:
        shape = page.new_shape()
        for drawn in page_plan.drawn:
            shape.insert_text(
                pymupdf.Point(*drawn.origin),
                drawn.text,
                fontname="hebo" if drawn.bold else "helv",
                fontsize=drawn.size,
            )
        shape.commit()


def _add_redactions(page: Any, page_plan: PagePlan) -> None:
    """Redaction annotations for every remove rectangle, created directly through MuPDF.

    ``Page.add_redact_annot`` builds an appearance stream and rescans the page's annotation
    list for every call, which costs more than the redaction itself on pages with many areas;
    the annotations are consumed by the redaction at once, so neither is needed.
    """
    import pymupdf

    mupdf = pymupdf.mupdf
    pdf_page = page._pdf_page()
    for rect in page_plan.remove_rects:
        annot = mupdf.pdf_create_annot(pdf_page, mupdf.PDF_ANNOT_REDACT)
        mupdf.pdf_set_annot_rect(annot, mupdf.FzRect(*rect.as_tuple()))


def _redacted_copy(src: Any, page_plan: PagePlan) -> Any:
    """The page, alone in a new document, with the plan's removal done.

    Working in a one-page document keeps every page lookup MuPDF makes while redacting
    and drawing constant-time; on the source itself each costs a walk of its page tree.
    """
    import pymupdf

    single = pymupdf.open()
    single.insert_pdf(src, from_page=page_plan.number - 1, to_page=page_plan.number - 1, links=0, annots=0, widgets=0)
    redact_page(single[0], page_plan)
    return single


def _placeholder_page(out: Any, item: OutputItem, size: tuple[float, float]) -> None:
    import pymupdf

    width, height = size
    page = out.new_page(width=width, height=height)
    box = pymupdf.Rect(56, height * PLACEHOLDER_PAGE_Y, width - 56, height * 0.6)
    text = item.text + (f"\n\n{item.tail_page}" if item.tail_page else "")
    page.insert_textbox(box, text, fontname="hebo", fontsize=PLACEHOLDER_PAGE_SIZE, align=pymupdf.TEXT_ALIGN_CENTER)


def render_extract(
    plan: Plan,
    source_path: str,
    password: str | None = None,
    progress: Progress | None = None,
    template_dir: Path | None = None,
) -> bytes:
    """The extract PDF's bytes: the same plan and source always give the same bytes."""
    import pymupdf

    src = open_pdf(source_path, password)
    out = pymupdf.open()
    try:
        out.insert_pdf(pymupdf.open("pdf", render_cover_pdf(cover_data(plan), template_dir, page_size=_size(src, 1))))
        output_page_of: dict[int, int] = {}
        for item in plan.sequence:
            if item.kind == "page":
                output_page_of[item.first] = out.page_count
                out.insert_pdf(_redacted_copy(src, plan.pages[item.first - 1]), links=0, annots=0, widgets=0)
            elif item.kind == "withheld_pages":
                _placeholder_page(out, item, _size(src, item.first))
            else:
                for number in range(item.first, item.last + 1):
                    output_page_of[number] = out.page_count
                out.insert_pdf(pymupdf.open("pdf", render_condensed(item, _size(src, item.first))))
            if progress:
                progress(item.last - item.first + 1)
        title = f"{new_number(plan.ruleset.document.number, plan.ruleset.release.extract)}"
        decompose_ligatures(out)
        scrub_document(out, title, plan.ruleset.release.language)
        toc = [
            [e.level, e.title, output_page_of[e.page] + 1] for e in plan.released_headings if e.page in output_page_of
        ]
        out.set_toc(_normalise_levels(toc))
        return _save(out, _file_id(plan))
    finally:
        src.close()
        out.close()
        pymupdf.TOOLS.store_shrink(100)  # drop MuPDF's cache of the closed documents' resources


def _normalise_levels(toc: list[list[Any]]) -> list[list[Any]]:
    """PyMuPDF wants the first entry at level 1 and no level to jump by more than one."""
    result: list[list[Any]] = []
    previous = 0
    for level, title, page in toc:
        level = min(level, previous + 1)
        result.append([level, title, page])
        previous = level
    return result


def _size(src: Any, number: int) -> tuple[float, float]:
    rect = src[number - 1].rect
    return (rect.width, rect.height)


def _file_id(plan: Plan) -> str:
    """A file identifier derived from what made the extract: same inputs, same identifier."""
    from redactor import __version__

    rules = json.dumps(plan.ruleset.marked.data, sort_keys=True, default=str)
    return hashlib.sha256(f"{plan.document.fingerprint}|{rules}|{__version__}".encode()).hexdigest()[:32]


def _save(out: Any, file_id: str) -> bytes:
    """Whole, compressed, garbage-collected, with the given identifier."""
    out.xref_set_key(-1, "ID", f"[<{file_id}><{file_id}>]")
    return out.tobytes(garbage=4, deflate=True, no_new_id=True)
