"""The facsimile extract: the plan rendered as a PDF, removal done for real.

Named stages, each reading the plan and deciding nothing:

1. ``assemble``: a new document: the cover, then kept pages (each redacted alone, see
   :mod:`redactor.render.redact`, flattened when asked, see :mod:`redactor.render.flatten`,
   and copied in without annotations, links or widgets),
   placeholder pages and condensed ranges, in the plan's order; it records where each
   item landed (the page map);
2. ``finish``: ligatures decomposed, fonts cut to the glyphs the extract shows
   (:mod:`redactor.output.fonts`), every leak surface scrubbed
   (:mod:`redactor.output.scrub`), the outline rebuilt from released headings;
3. ``save_whole`` (:mod:`redactor.output.save`): whole and reproducible.

Every intermediate PyMuPDF document is closed before the stage returns.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from redactor import __version__
from redactor.numbering import new_number
from redactor.output.fonts import subset_fonts
from redactor.output.save import file_id, save_whole
from redactor.output.scrub import scrub_document
from redactor.plan.model import OutputItem, Plan
from redactor.progress import Progress, no_progress
from redactor.render.condensed import render_condensed
from redactor.render.cover import CoverData, cover_data, generated_page_size, render_cover_pdf
from redactor.render.ligatures import decompose_ligatures
from redactor.render.pages import page_jobs, written_pages
from redactor.render.pagetree import ShallowPageTree
from redactor.source.load import open_pdf

#: Placeholder pages print their note this far down the page (share of the height).
PLACEHOLDER_PAGE_Y = 0.12
PLACEHOLDER_PAGE_SIZE = 12.0


@dataclass(frozen=True)
class Extract:
    """The extract's bytes and where each part of the plan landed in it (0-based pages)."""

    pdf: bytes
    cover_pages: int
    item_pages: tuple[tuple[int, ...], ...]  # per plan.sequence item, its output page indexes


def pages_of_source(plan: Plan, item_pages: tuple[tuple[int, ...], ...]) -> dict[int, int]:
    """Source page -> the output page showing it, from each sequence item's output pages."""
    shown: dict[int, int] = {}
    for item, pages in zip(plan.sequence, item_pages, strict=True):
        if item.kind != "withheld_pages" and pages:
            shown.update({number: pages[0] for number in range(item.first, item.last + 1)})
    return shown


def page_map(
    plan: Plan, source_path: str, password: str | None = None, template_dir: Path | None = None
) -> tuple[int, tuple[tuple[int, ...], ...]]:
    """Cover pages and each item's output pages, as :func:`assemble` lays them out, without the pages.

    What ``verify`` needs to find each kept page in an extract it did not make: the cover and
    condensed ranges are laid out again (they take as many pages as their text needs).
    """
    import pymupdf

    src = open_pdf(source_path, password)
    try:
        cover = render_cover_pdf(extract_cover(plan), template_dir, page_size=_size(src, 1))
        with pymupdf.open("pdf", cover) as part:
            at = cover_pages = part.page_count
        item_pages: list[tuple[int, ...]] = []
        for item in plan.sequence:
            count = 1
            if item.kind == "condensed":
                with pymupdf.open("pdf", render_condensed(item, _size(src, item.first))) as part:
                    count = part.page_count
            item_pages.append(tuple(range(at, at + count)))
            at += count
    finally:
        src.close()
    return cover_pages, tuple(item_pages)


def extract_cover(plan: Plan) -> CoverData:
    """The cover sheet's fields: the rule file's identity and the plan's outcome (partial or full)."""
    return cover_data(plan.ruleset, partial=plan.withholds_anything)


def render_extract(
    plan: Plan,
    source_path: str,
    password: str | None = None,
    progress: Progress = no_progress,
    template_dir: Path | None = None,
    flatten_dpi: int | None = None,
    jobs: int = 1,
) -> Extract:
    """The extract: the same plan and source always give the same bytes, whatever ``jobs``.

    With ``flatten_dpi``, kept pages that have a withheld area are flattened at that
    resolution (see :mod:`redactor.render.flatten`). With ``jobs`` above one, kept pages
    are written in that many worker processes (see :mod:`redactor.render.pages`).
    """
    import pymupdf

    src = open_pdf(source_path, password)
    try:
        out, item_pages, cover_pages = assemble(
            plan, src, progress, template_dir, flatten_dpi, source=(source_path, password), jobs=jobs
        )
    finally:
        src.close()
    try:
        finish(out, plan, pages_of_source(plan, item_pages))
        return Extract(save_whole(out, _file_id(plan)), cover_pages, item_pages)
    finally:
        out.close()
        pymupdf.TOOLS.store_shrink(100)  # drop MuPDF's cache of the closed documents' resources


def assemble(
    plan: Plan,
    src: Any,
    progress: Progress = no_progress,
    template_dir: Path | None = None,
    flatten_dpi: int | None = None,
    source: tuple[str, str | None] | None = None,
    jobs: int = 1,
) -> tuple[Any, tuple[tuple[int, ...], ...], int]:
    """The new document (cover, kept, placeholder and condensed pages), its page map, cover pages.

    ``source`` (path and password) lets worker processes open the source themselves when
    ``jobs`` is above one.
    """
    import pymupdf

    out = pymupdf.open()
    tree = ShallowPageTree(out)
    kept = [item.first for item in plan.sequence if item.kind == "page"]
    path, password = source if source is not None else ("", None)
    pages = written_pages(page_jobs(plan, kept, flatten_dpi), src, path, password, jobs if source else 1)
    try:
        _insert(out, render_cover_pdf(extract_cover(plan), template_dir, page_size=_size(src, 1)))
        cover_pages = out.page_count
        item_pages: list[tuple[int, ...]] = []
        for item in plan.sequence:
            first = out.page_count
            if item.kind == "page":
                with pymupdf.open("pdf", next(pages)) as single:
                    out.insert_pdf(single, links=0, annots=0, widgets=0)
            elif item.kind == "withheld_pages":
                _placeholder_page(out, item, _size(src, item.first))
            else:
                _insert(out, render_condensed(item, _size(src, item.first)))
            tree.fold()
            item_pages.append(tuple(range(first, out.page_count)))
            progress(item.last - item.first + 1)
    except BaseException:
        pages.close()  # stops the workers, if any
        out.close()
        raise
    return out, tuple(item_pages), cover_pages


def finish(out: Any, plan: Plan, shown: dict[int, int]) -> None:
    """Ligatures decomposed, fonts cut to the glyphs shown, leak surfaces scrubbed, bookmarks rebuilt."""
    decompose_ligatures(out)
    subset_fonts(out)
    ruleset = plan.ruleset
    scrub_document(out, new_number(ruleset.document.number, ruleset.release.extract), ruleset.release.language)
    toc = [[e.level, e.title, shown[e.page] + 1] for e in plan.released_headings if e.page in shown]
    out.set_toc(_normalise_levels(toc))


def _insert(out: Any, pdf: bytes) -> None:
    import pymupdf

    with pymupdf.open("pdf", pdf) as part:
        out.insert_pdf(part)


def _placeholder_page(out: Any, item: OutputItem, size: tuple[float, float]) -> None:
    """A generated page with the run's placeholder: a page note, the tail note or the inline mark.

    An inline run (``placeholder: inline``) gets a page too rather than a line drawn under
    the preceding kept page: what a kept page shows is fixed by its page plan, which
    ``verify`` checks glyph by glyph, and a run may follow a condensed range or open the
    document, where no kept page precedes it. One page per item also keeps the page map.

    The page is drawn in a document of its own and copied in: a page made in the extract
    itself is loaded there, and MuPDF then reads the extract's whole page tree again.
    """
    import pymupdf

    width, height = size
    with pymupdf.open() as part:
        page = part.new_page(width=width, height=height)
        box = pymupdf.Rect(56, height * PLACEHOLDER_PAGE_Y, width - 56, height * 0.6)
        text = item.text + (f"\n\n{item.tail_page}" if item.tail_page else "")
        page.insert_textbox(box, text, fontname="hebo", fontsize=PLACEHOLDER_PAGE_SIZE, align=pymupdf.TEXT_ALIGN_CENTER)
        out.insert_pdf(part, links=0, annots=0, widgets=0)


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
    """The size of a page generated beside source page ``number`` (see generated_page_size)."""
    rect = src[number - 1].rect
    return generated_page_size(rect.width, rect.height)


def _file_id(plan: Plan) -> str:
    """A file identifier derived from what made the extract: same inputs, same identifier."""
    rules = json.dumps(plan.ruleset.marked.data, sort_keys=True, default=str)
    return file_id(plan.document.fingerprint, rules, __version__)
