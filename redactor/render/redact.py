"""Removal on one kept page, through MuPDF: the only module that touches private PyMuPDF API.

Every remove rectangle of the page plan (the complement of the released content, beyond the
page edges included) goes into one redaction pass, with image pixels blanked and covered
line art removed; then the plan's placeholders and marking replacements are drawn.
Private calls (``Page._apply_redactions``, ``Page._pdf_page``, ``mupdf.pdf_create_annot``)
are kept here so a PyMuPDF upgrade has one place to check; ``pyproject.toml`` pins the
tested series.
"""

from __future__ import annotations

from typing import Any

from redactor.plan.model import PagePlan


def redacted_copy(src: Any, page_plan: PagePlan) -> Any:
    """The page, alone in a new document, with the plan's removal done (the caller closes it).

    Working in a one-page document keeps every page lookup MuPDF makes while redacting
    and drawing constant-time; on the source itself each costs a walk of its page tree.
    """
    import pymupdf

    single = pymupdf.open()
    single.insert_pdf(src, from_page=page_plan.number - 1, to_page=page_plan.number - 1, links=0, annots=0, widgets=0)
    redact_page(single[0], page_plan)
    return single


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
