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

from functools import cache
from typing import Any

from redactor.geometry import Area, Rect
from redactor.plan.model import PagePlan
from redactor.render.contentstream import parsed_content
from redactor.render.images import rebuild_images
from redactor.render.respace import respace_page

#: Slack between the plan's boxes and the boxes MuPDF computes for glyphs and paths (pt).
TOLERANCE = 0.5
#: Culler operation types (MuPDF ``fz_cull_type``) and what we call them.
_KINDS = {0: "path", 1: "path", 2: "path", 3: "path", 4: "clip", 5: "clip", 6: "clip", 7: "clip"}
_KINDS.update({8: "glyph", 9: "image", 10: "shading"})
_GLYPH = 8
#: Filter passes tried on a page before giving up (see keep_only).
_ATTEMPTS = 2
#: Resource categories and the operators that name an entry of each.
_USES = {"gs": "ExtGState", "scn": "Pattern", "SCN": "Pattern", "Do": "XObject", "Tf": "Font", "sh": "Shading"}
#: Soft-mask groups and patterns nested deeper than this are not followed (and then dropped).
_MAX_DEPTH = 8


def redacted_copy(src: Any, page_plan: PagePlan, inline: tuple[Rect, ...] = ()) -> Any:
    """The page, alone in a new document, with the plan's removal done (the caller closes it).

    Working in a one-page document keeps every object the page uses private to it: images
    rebuilt and forms filtered here cannot change another page. ``inline`` holds the boxes
    of the page's inline images (from the document model).
    """
    import pymupdf

    single = pymupdf.open()
    single.insert_pdf(src, from_page=page_plan.number - 1, to_page=page_plan.number - 1, links=0, annots=0, widgets=0)
    redact_page(single[0], page_plan, inline)
    return single


def redact_page(page: Any, page_plan: PagePlan, inline: tuple[Rect, ...] = ()) -> None:
    """Keep only what the plan releases on one page, then draw its texts."""
    for annot in list(page.annots() or []):
        page.delete_annot(annot)
    for widget in list(page.widgets() or []):
        page.delete_widget(widget)
    for link in page.get_links():
        page.delete_link(link)
    if page_plan.areas:  # glyphs of withheld text will be removed: keep the others in place
        split_text_arrays(page.parent)
    keep_only(page, page_plan, inline)
    if page_plan.respaced and not respace_page(page, page_plan.respaced, plan_to_pdf(page)):
        raise RuntimeError(f"the content of page {page_plan.number} could not be read to set its lines again")
    if page.get_images():  # image XObjects the filter kept
        rebuild_images(page, page_plan.keep_images)
    _draw(page, page_plan)


def split_text_arrays(doc: Any) -> int:
    """Rewrite every ``[(a) n (b)] TJ`` as ``(a) Tj [n] TJ (b) Tj`` in the document's content.

    The same text at the same places, but MuPDF's filter then treats each string as a
    ``Tj``. Where it removes glyphs inside a ``TJ`` string it loses the advance of the
    first glyph removed, and every released glyph after the gap moves left by that much
    (measured: one space or one capital, 3-7 pt at 11 pt); on ``Tj`` strings its
    positioning is exact. ``doc`` is a page's own one-page copy: page contents and forms,
    patterns and soft-mask groups are all its own. Returns how many streams changed.
    """
    import pikepdf

    changed = 0
    for xref in _content_xrefs(doc):
        data = doc.xref_stream(xref) or b""
        if b"TJ" not in data:
            continue
        instructions = parsed_content(data)
        if instructions is None:
            continue  # not parseable alone, or only with loss: left as it is
        rewritten: list[Any] = []
        split = False
        for instruction in instructions:
            if (
                isinstance(instruction, pikepdf.ContentStreamInstruction)
                and str(instruction.operator) == "TJ"
                and len(instruction.operands) == 1
                and isinstance(instruction.operands[0], pikepdf.Array)
            ):
                split = True
                for item in instruction.operands[0]:
                    if isinstance(item, pikepdf.String):
                        rewritten.append(pikepdf.ContentStreamInstruction([item], pikepdf.Operator("Tj")))
                    else:
                        rewritten.append(
                            pikepdf.ContentStreamInstruction([pikepdf.Array([item])], pikepdf.Operator("TJ"))
                        )
            else:
                rewritten.append(instruction)
        if split:
            doc.update_stream(xref, pikepdf.unparse_content_stream(rewritten))
            changed += 1
    return changed


def _content_xrefs(doc: Any) -> list[int]:
    """Page content streams, form XObjects and tiling patterns of a document."""
    xrefs = {x for page in doc for x in page.get_contents()}
    for xref in range(1, doc.xref_length()):
        if not doc.xref_is_stream(xref):
            continue
        subtype = doc.xref_get_key(xref, "Subtype")[1]
        if subtype == "/Form" or doc.xref_get_key(xref, "PatternType")[1] == "1":
            xrefs.add(xref)
    return sorted(xrefs)


def keep_only(page: Any, page_plan: PagePlan, inline: tuple[Rect, ...] = ()) -> None:
    """One filter pass over the page's content (and its forms, groups and patterns)."""
    import pymupdf

    mupdf = pymupdf.mupdf
    to_pdf = plan_to_pdf(page)
    # Inline images cannot be rebuilt from their pixels: one survives only when the
    # released image area covers all of it.
    culler = _culler_class(mupdf)(
        Area(_pdf_rects(page_plan.keep_rects, to_pdf), TOLERANCE),
        Area(_pdf_rects(page_plan.keep_art, to_pdf), TOLERANCE),
        Area(_pdf_rects(page_plan.keep_images, to_pdf), TOLERANCE),
        Area(_pdf_rects(inline, to_pdf), TOLERANCE),
    )
    if _has_vertical_fonts(page):
        culler.use_virtual_text_filter()
    factory = _factory_class(mupdf)(culler)
    pdf_page = pymupdf._as_pdf_page(page)
    document = pdf_page.doc()
    before = set(page.get_contents())
    for _ in range(_ATTEMPTS):
        options = _options(mupdf, factory)
        mupdf.pdf_filter_page_contents(document, pdf_page, options)
        contents = page.get_contents()
        if not before & set(contents):
            break
        # MuPDF always writes the filtered content to a new stream object: the page still
        # naming an old one means the result was not stored (seen rarely, under load).
        # Such a page is never kept.
    else:
        raise RuntimeError(f"the content filter did not replace the content of page {page_plan.number}")
    resources = mupdf.pdf_dict_gets(pdf_page.obj(), "Resources")
    if contents:
        data = b"".join(page.parent.xref_stream(x) or b"" for x in contents)
        _walk(mupdf, data, resources, pymupdf.Matrix(1, 1), options, 0)
    if culler.failure is not None:  # everything it was asked about after the failure was dropped
        raise RuntimeError(f"the content filter failed on page {page_plan.number}") from culler.failure
    del factory, culler  # alive until MuPDF is done with them


def _has_vertical_fonts(page: Any) -> bool:
    """True when a font of the page (its forms included) writes vertically (a ``-V`` CMap)."""
    return any(str(font[5]).endswith("-V") for font in page.get_fonts(full=True))


def plan_to_pdf(page: Any) -> Any:
    """The matrix from plan space (top-left origin, unrotated page) to PDF user space.

    PyMuPDF's ``transformation_matrix`` takes the rotation into account when the crop box
    is offset, so it is read with the rotation set to 0 for a moment.
    """
    rotation = page.rotation
    if not rotation:
        return ~page.transformation_matrix
    page.set_rotation(0)
    try:
        return ~page.transformation_matrix
    finally:
        page.set_rotation(rotation)


def _options(mupdf: Any, factory: Any) -> Any:
    """Filter options, every field set explicitly (``no_update`` would discard the result)."""
    options = mupdf.PdfFilterOptions()
    options.recurse = 0  # recursion would filter groups and patterns in their own space
    options.instance_forms = 1  # each use of a form gets a private copy filtered in page space
    options.ascii = 0
    options.no_update = 0
    options.newlines = 0
    options.add_factory(factory.internal())
    return options


def _pdf_rects(rects: tuple[Rect, ...], to_pdf: Any) -> list[Rect]:
    return [_pdf_rect(r, to_pdf) for r in rects]


def _pdf_rect(rect: Rect, to_pdf: Any) -> Rect:
    import pymupdf

    box = (pymupdf.Rect(*rect.as_tuple()) * to_pdf).normalize()
    return Rect(box.x0, box.y0, box.x1, box.y1)


@cache
def _culler_class(mupdf: Any) -> Any:
    """The culler, as a subclass of the SWIG director class (built once, when first needed)."""

    class Culler(mupdf.PdfSanitizeFilterOptions2):  # type: ignore[misc, name-defined]
        """MuPDF asks it about every glyph, subpath, clip, shading and image; 1 means drop."""

        def __init__(self, text: Area, art: Area, images: Area, inline: Area) -> None:
            super().__init__()
            self.use_virtual_culler()
            self.text, self.art, self.images, self.inline = text, art, images, inline
            self.last = (0.0, 0.0, -1.0, -1.0)  # the released text box that held the last glyph
            self.free = (0.0, 0.0, -1.0, -1.0)  # a box around the last dropped glyph, free of released text
            self.failure: BaseException | None = None
            self.vertical_kept = False  # the text filter kept the glyph the culler is asked about next

        def text_filter(self, ctx: Any, ucsbuf: Any, ucslen: int, trm: Any, ctm: Any, bbox: Any, *_: Any) -> int:
            """Only on pages with vertical fonts: decides their glyphs by the box readers give them.

            For a vertical-mode glyph MuPDF's filter boxes the font's whole width and the
            vertical advance, well outside the glyph box text extraction reports (the em
            square right of and below the glyph's origin), so the culler would drop every
            released one.
            Horizontal glyphs (box starting at x 0) are left to the culler.
            """
            try:
                if bbox.x0 == 0 or bbox.y0 != 0:  # horizontal mode: the culler decides
                    return 0
                t, c = trm, ctm  # the em square right of and below the origin, through trm x ctm
                a, b = t.a * c.a + t.b * c.c, t.a * c.b + t.b * c.d
                cc, d = t.c * c.a + t.d * c.c, t.c * c.b + t.d * c.d
                e, f = t.e * c.a + t.f * c.c + c.e, t.e * c.b + t.f * c.d + c.f
                xs = (e - cc, e + a - cc, e, e + a)
                ys = (f - d, f + b - d, f, f + b)
                held = self.text.keeps(min(xs), min(ys), max(xs), max(ys))
                self.vertical_kept = held is not False
                return 0 if self.vertical_kept else 1
            except BaseException as exc:  # MuPDF cannot take an exception: drop, and report after
                self.failure = self.failure or exc
                return 1

        def culler(self, ctx: Any, bbox: Any, kind: int) -> int:
            try:
                if kind == _GLYPH and self.vertical_kept:
                    self.vertical_kept = False
                    return 0
                if kind == _GLYPH:  # by far the most frequent call: kept lean, inline
                    x0, y0, x1, y1 = bbox.x0, bbox.y0, bbox.x1, bbox.y1
                    r = self.last
                    if r[0] <= x0 and r[1] <= y0 and x1 <= r[2] and y1 <= r[3]:
                        return 0
                    f = self.free
                    if f[0] < x0 and f[1] <= y0 and x1 < f[2] and y1 <= f[3]:
                        return 1
                    held = self.text.keeps(x0, y0, x1, y1)
                    if held is False:
                        self.free = self.text.free_band(x0, y0, x1, y1)
                        return 1
                    if held is not True:
                        self.last = held
                    return 0
                return self._other(bbox, kind)
            except BaseException as exc:  # MuPDF cannot take an exception: drop, and report after
                self.failure = self.failure or exc
                return 1

        def _other(self, bbox: Any, kind: int) -> int:
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


@cache
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


#: Resource names and base-14 fonts of the drawn texts (placeholders are bold).
_DRAWN_FONTS = {True: ("RdHB", "Helvetica-Bold"), False: ("RdH", "Helvetica")}


def _draw(page: Any, page_plan: PagePlan) -> None:
    """The plan's placeholders and marking replacements, as one content stream on top.

    Written as text operators with base-14 fonts rather than through ``insert_text``, which
    loads and measures a font for every call (a third of the writer's time on dense pages).
    The page's own content is wrapped in ``q … Q`` first so its graphics state cannot leak
    into ours.
    """
    if not page_plan.drawn:
        return
    doc = page.parent
    to_pdf = plan_to_pdf(page)
    for bold in sorted({d.bold for d in page_plan.drawn}):
        name, base = _DRAWN_FONTS[bold]
        xref = doc.get_new_xref()
        doc.update_object(xref, f"<</Type/Font/Subtype/Type1/BaseFont/{base}/Encoding/WinAnsiEncoding>>")
        _set_font(doc, page, name, xref)
    ops = ["Q q 0 g BT"]
    for drawn in page_plan.drawn:
        x, y = (
            drawn.origin[0] * to_pdf.a + drawn.origin[1] * to_pdf.c + to_pdf.e,
            drawn.origin[0] * to_pdf.b + drawn.origin[1] * to_pdf.d + to_pdf.f,
        )
        ops.append(
            f"/{_DRAWN_FONTS[drawn.bold][0]} {drawn.size:g} Tf 1 0 0 1 {x:.3f} {y:.3f} Tm ({_literal(drawn.text)}) Tj"
        )
    ops.append("ET Q")
    _append_contents(doc, page, b"q\n", "\n".join(ops).encode("latin-1"))


def _literal(text: str) -> str:
    """Text as a PDF literal string in WinAnsi (what the base-14 fonts read); others become '?'."""
    data = text.encode("cp1252", "replace")
    escaped = data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    return escaped.decode("latin-1")


def _set_font(doc: Any, page: Any, name: str, xref: int) -> None:
    kind, value = doc.xref_get_key(page.xref, "Resources")
    if kind == "xref":  # a shared resource dictionary: give the page its own copy first
        doc.xref_set_key(page.xref, "Resources", doc.xref_object(int(value.split()[0]), compressed=True))
    elif kind == "null":
        doc.xref_set_key(page.xref, "Resources", "<<>>")
    kind, value = doc.xref_get_key(page.xref, "Resources/Font")
    if kind == "xref":
        fonts_xref = int(value.split()[0])
        doc.xref_set_key(fonts_xref, name, f"{xref} 0 R")
    else:
        if kind == "null":
            doc.xref_set_key(page.xref, "Resources/Font", "<<>>")
        doc.xref_set_key(page.xref, f"Resources/Font/{name}", f"{xref} 0 R")


def _append_contents(doc: Any, page: Any, before: bytes, after: bytes) -> None:
    """Put ``before`` ahead of the page's content streams and ``after`` behind them."""
    streams = []
    for data in (before, after):
        xref = doc.get_new_xref()
        doc.update_object(xref, "<<>>")
        doc.update_stream(xref, data)
        streams.append(xref)
    contents = [streams[0], *page.get_contents(), streams[1]]
    doc.xref_set_key(page.xref, "Contents", "[" + " ".join(f"{x} 0 R" for x in contents) + "]")
