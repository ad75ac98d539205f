"""Removal on one kept page by keep-list: only what the plan releases survives.

Every drawing operation of the page is tested once against the plan's *released* areas,
inside MuPDF's content-stream filter (``pdf_filter_page_contents`` with a sanitize filter
whose culler we supply), and dropped unless released: a glyph survives when its whole box
lies in the released text area, a path (per subpath) or shading when its box lies in the
released line-art area, an image when it meets the released image area. Form XObjects are
filtered per use in page space; soft-mask groups and tiling patterns reached from the
result are filtered the same way at the transform of their use. Surviving images are then
rebuilt from their visible, released pixels (:mod:`redactor.render.images`). The test does
not depend on how the areas were cut or ordered, or on which operator draws.

The plan's placeholders and marking replacements are drawn last. This module and
:mod:`redactor.render.images` are the only ones that use PyMuPDF's low-level ``mupdf``
bindings and private calls; ``pyproject.toml`` pins the tested series. Measured facts
about the filter (coordinate spaces, box shapes, traps) are in
``docs/design/keep-list-writer.md``.
"""

from __future__ import annotations

from typing import Any

from redactor.geometry import Area, Rect
from redactor.plan.model import PagePlan
from redactor.render.images import rebuild_images

#: Slack between the plan's boxes and the boxes MuPDF computes for glyphs and paths (pt).
TOLERANCE = 0.5
#: Culler operation types (MuPDF ``fz_cull_type``) and what we call them.
_KINDS = {0: "path", 1: "path", 2: "path", 3: "path", 4: "clip", 5: "clip", 6: "clip", 7: "clip"}
_KINDS.update({8: "glyph", 9: "image", 10: "shading"})
_GLYPH = 8
#: Resource categories and the operators that name an entry of each.
_USES = {"gs": "ExtGState", "scn": "Pattern", "SCN": "Pattern", "Do": "XObject", "Tf": "Font", "sh": "Shading"}
#: Soft-mask groups and patterns nested deeper than this are not followed (and then dropped).
_MAX_DEPTH = 8


def redacted_copy(src: Any, page_plan: PagePlan) -> Any:
    """The page, alone in a new document, with the plan's removal done (the caller closes it).

    Working in a one-page document keeps every object the page uses private to it: images
    rebuilt and forms filtered here cannot change another page.
    """
    import pymupdf

    single = pymupdf.open()
    single.insert_pdf(src, from_page=page_plan.number - 1, to_page=page_plan.number - 1, links=0, annots=0, widgets=0)
    redact_page(single[0], page_plan)
    return single


def redact_page(page: Any, page_plan: PagePlan) -> None:
    """Keep only what the plan releases on one page, then draw its texts."""
    for annot in list(page.annots() or []):
        page.delete_annot(annot)
    for widget in list(page.widgets() or []):
        page.delete_widget(widget)
    for link in page.get_links():
        page.delete_link(link)
    keep_only(page, page_plan)
    rebuild_images(page, page_plan.keep_images)
    # Plan rectangles are in the coordinates text extraction reports, which are those of
    # the unrotated page: draw unrotated, then put the rotation back.
    rotation = page.rotation
    if rotation:
        page.set_rotation(0)
    try:
        _draw(page, page_plan)
    finally:
        if rotation:
            page.set_rotation(rotation)


def keep_only(page: Any, page_plan: PagePlan) -> None:
    """One filter pass over the page's content (and its forms, groups and patterns)."""
    import pymupdf

    mupdf = pymupdf.mupdf
    to_pdf = ~page.transformation_matrix  # plan space (top-left, unrotated) -> PDF user space
    # Inline images cannot be rebuilt from their pixels: one survives only when the
    # released image area covers all of it.
    inline = [Rect.of(i["bbox"]) for i in page.get_image_info() if not i.get("xref")]
    culler = _culler_class(mupdf)(
        Area(_pdf_rects(page_plan.keep_rects, to_pdf), TOLERANCE),
        Area(_pdf_rects(page_plan.keep_art, to_pdf), TOLERANCE),
        Area(_pdf_rects(page_plan.keep_images, to_pdf), TOLERANCE),
        Area(_pdf_rects(tuple(inline), to_pdf), TOLERANCE),
    )
    factory = _factory_class(mupdf)(culler)
    options = mupdf.PdfFilterOptions()
    options.recurse = 0  # recursion would filter groups and patterns in their own space
    options.instance_forms = 1  # each use of a form gets a private copy filtered in page space
    options.ascii = 0
    options.add_factory(factory.internal())
    pdf_page = pymupdf._as_pdf_page(page)
    document = pdf_page.doc()
    mupdf.pdf_filter_page_contents(document, pdf_page, options)
    contents = page.get_contents()
    resources = mupdf.pdf_dict_gets(pdf_page.obj(), "Resources")
    if contents:
        data = b"".join(page.parent.xref_stream(x) or b"" for x in contents)
        _walk(mupdf, data, resources, pymupdf.Matrix(1, 1), options, 0)
    # keep the callbacks alive until MuPDF is done with them
    del factory, culler


def _pdf_rects(rects: tuple[Rect, ...], to_pdf: Any) -> list[Rect]:
    return [_pdf_rect(r, to_pdf) for r in rects]


def _pdf_rect(rect: Rect, to_pdf: Any) -> Rect:
    import pymupdf

    box = (pymupdf.Rect(*rect.as_tuple()) * to_pdf).normalize()
    return Rect(box.x0, box.y0, box.x1, box.y1)


def _culler_class(mupdf: Any) -> Any:
    """The culler, as a subclass of the SWIG director class (built when PyMuPDF is loaded)."""

    class Culler(mupdf.PdfSanitizeFilterOptions2):  # type: ignore[misc, name-defined]
        """MuPDF asks it about every glyph, subpath, clip, shading and image; 1 means drop."""

        def __init__(self, text: Area, art: Area, images: Area, inline: Area) -> None:
            super().__init__()
            self.use_virtual_culler()
            self.text, self.art, self.images, self.inline = text, art, images, inline
            self.last = (0.0, 0.0, -1.0, -1.0)  # the released text box that held the last glyph

        def culler(self, ctx: Any, bbox: Any, kind: int) -> int:
            if kind == _GLYPH:  # by far the most frequent call: kept lean
                x0, y0, x1, y1 = bbox.x0, bbox.y0, bbox.x1, bbox.y1
                r = self.last
                if r[0] <= x0 and r[1] <= y0 and x1 <= r[2] and y1 <= r[3]:
                    return 0
                held = self.text.holder(x0, y0, x1, y1)
                if held is not None:
                    self.last = held
                    return 0
                return 0 if self.text.covers_box(x0, y0, x1, y1) else 1
            what = _KINDS.get(kind, "other")
            if what == "clip":
                return 0  # a clip draws nothing; keeping it can only hide more
            x0, y0, x1, y1 = bbox.x0, bbox.y0, bbox.x1, bbox.y1
            box = Rect(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
            if what == "image" and self.inline.covers(box):
                keep = self.images.covers(box)  # an inline image: whole or not at all
            elif what == "image":  # rebuilt afterwards from its visible, released pixels
                keep = bool(self.images.hits(box.expanded(-TOLERANCE) if _bigger(box) else box))
            else:  # paths (per subpath) and shadings (their box within the clip)
                keep = self.art.covers(box)
            return 0 if keep else 1

    return Culler


def _bigger(box: Rect) -> bool:
    return box.width > 4 * TOLERANCE and box.height > 4 * TOLERANCE


def _factory_class(mupdf: Any) -> Any:
    class Factory(mupdf.PdfFilterFactory2):  # type: ignore[misc, name-defined]
        """One sanitize filter per content stream, all sharing the culler."""

        def __init__(self, culler: Any) -> None:
            super().__init__()
            self.use_virtual_filter()
            self.culler = culler

        def filter(self, ctx: Any, doc: Any, chain: Any, struct_parents: int, transform: Any, options: Any) -> Any:
            return mupdf.ll_pdf_new_sanitize_filter(
                doc, chain, struct_parents, transform, options, self.culler.internal()
            )

    return Factory


def _walk(mupdf: Any, data: bytes, resources: Any, base: Any, options: Any, depth: int) -> None:
    """Filter soft-mask groups and tiling patterns at the transform of their use, prune the rest.

    Follows the already filtered stream, tracking the transform: each ``gs`` with a soft
    mask gets a private copy of its group filtered at that transform; each tiling pattern
    selected gets a private copy filtered at the stream's base transform. The stream's
    resource dictionary is private to this page (the filter made it), so repointing its
    entries changes nothing elsewhere. Resources the stream no longer names are removed:
    the filter keeps a resource once it is selected even when every use of it was culled.
    """
    import pikepdf
    import pymupdf

    if depth > _MAX_DEPTH or not mupdf.pdf_is_dict(resources):
        return
    used: set[tuple[str, str]] = set()
    scratch = pikepdf.new()  # the parsed stream's owner: it must outlive the parse
    try:
        operations = pikepdf.parse_content_stream(pikepdf.Stream(scratch, data)) if data.strip() else []
    except pikepdf.PdfError:
        operations = []
    ctm, stack = base, []
    for instruction in operations:
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            continue
        operands, operator = instruction.operands, instruction.operator
        op = str(operator)
        category = _USES.get(op)
        if category and operands:
            name = operands[-1] if category == "Pattern" else operands[0]
            if isinstance(name, pikepdf.Name):
                used.add((category, str(name)[1:]))
        if op == "q":
            stack.append(ctm)
        elif op == "Q" and stack:
            ctm = stack.pop()
        elif op == "cm" and len(operands) == 6:
            ctm = pymupdf.Matrix(*[float(v) for v in operands]) * ctm
        elif op == "gs" and operands:
            _soft_mask(mupdf, resources, str(operands[0])[1:], ctm, options, depth)
        elif op in ("scn", "SCN") and operands and isinstance(operands[-1], pikepdf.Name):
            _pattern(mupdf, resources, str(operands[-1])[1:], base, options, depth)
        elif op == "Do" and operands:
            form = _entry(mupdf, resources, "XObject", str(operands[0])[1:])
            if mupdf.pdf_is_stream(form) and mupdf.pdf_to_name(mupdf.pdf_dict_gets(form, "Subtype")) == "Form":
                inner = mupdf.pdf_dict_gets(form, "Resources")
                _walk(mupdf, _stream(mupdf, form), inner, _matrix(mupdf, form) * ctm, options, depth + 1)
    _prune(mupdf, resources, used)


def _soft_mask(mupdf: Any, resources: Any, name: str, ctm: Any, options: Any, depth: int) -> None:
    state = _entry(mupdf, resources, "ExtGState", name)
    mask = mupdf.pdf_dict_gets(state, "SMask")
    group = mupdf.pdf_dict_gets(mask, "G") if mupdf.pdf_is_dict(mask) else None
    if group is None or not mupdf.pdf_is_stream(group):
        return
    copy = _instance(mupdf, group, resources, ctm, options, depth)
    new_state, new_mask = mupdf.pdf_copy_dict(state), mupdf.pdf_copy_dict(mask)
    mupdf.pdf_dict_puts(new_mask, "G", copy)
    mupdf.pdf_dict_puts(new_state, "SMask", new_mask)
    mupdf.pdf_dict_puts(mupdf.pdf_dict_gets(resources, "ExtGState"), name, new_state)


def _pattern(mupdf: Any, resources: Any, name: str, base: Any, options: Any, depth: int) -> None:
    pattern = _entry(mupdf, resources, "Pattern", name)
    if mupdf.pdf_is_stream(pattern) and mupdf.pdf_to_int(mupdf.pdf_dict_gets(pattern, "PatternType")) == 1:
        copy = _instance(mupdf, pattern, resources, base, options, depth)
        mupdf.pdf_dict_puts(mupdf.pdf_dict_gets(resources, "Pattern"), name, copy)


def _instance(mupdf: Any, obj: Any, resources: Any, ctm: Any, options: Any, depth: int) -> Any:
    """A private copy of a group or pattern, filtered at ``ctm`` (MuPDF adds its /Matrix)."""
    copy = mupdf.pdf_filter_xobject_instance(obj, resources, mupdf.FzMatrix(*ctm), options, mupdf.PdfCycleList())
    inner = mupdf.pdf_dict_gets(copy, "Resources")
    _walk(
        mupdf,
        _stream(mupdf, copy),
        inner if mupdf.pdf_is_dict(inner) else resources,
        _matrix(mupdf, copy) * ctm,
        options,
        depth + 1,
    )
    return copy


def _entry(mupdf: Any, resources: Any, category: str, name: str) -> Any:
    return mupdf.pdf_dict_gets(mupdf.pdf_dict_gets(resources, category), name)


def _matrix(mupdf: Any, obj: Any) -> Any:
    import pymupdf

    array = mupdf.pdf_dict_gets(obj, "Matrix")
    if not mupdf.pdf_is_array(array) or mupdf.pdf_array_len(array) != 6:
        return pymupdf.Matrix(1, 1)  # Matrix() would be the zero matrix
    return pymupdf.Matrix(*[mupdf.pdf_to_real(mupdf.pdf_array_get(array, i)) for i in range(6)])


def _stream(mupdf: Any, obj: Any) -> bytes:
    """A decoded copy (extracting the buffer itself would empty an updated stream)."""
    return bytes(mupdf.fz_buffer_extract_copy(mupdf.pdf_load_stream(obj)))


def _prune(mupdf: Any, resources: Any, used: set[tuple[str, str]]) -> None:
    for category in set(_USES.values()):
        entries = mupdf.pdf_dict_gets(resources, category)
        if not mupdf.pdf_is_dict(entries):
            continue
        for i in reversed(range(mupdf.pdf_dict_len(entries))):
            name = mupdf.pdf_to_name(mupdf.pdf_dict_get_key(entries, i))
            if (category, name) not in used:
                mupdf.pdf_dict_dels(entries, name)


def _draw(page: Any, page_plan: PagePlan) -> None:
    import pymupdf

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
