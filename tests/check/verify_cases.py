"""Builders for the verify tests: small hand-written sources, and fakes planted in extracts.

Sources are written by hand (pikepdf, or PyMuPDF where a font must be embedded) so that each
one holds exactly the construct a test is about. Fakes take a clean extract and plant content
with pikepdf into a kept page, inside a withheld area of the plan, keeping the page count.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf

from redactor.check.verify import withheld_regions
from redactor.geometry import Rect
from redactor.plan.model import Plan

PAGE = (595, 842)


# ---------------------------------------------------------------------------------------
# sources


def _font(pdf: pikepdf.Pdf, base: str) -> pikepdf.Object:
    return pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type1,
            BaseFont=pikepdf.Name("/" + base),
            Encoding=pikepdf.Name.WinAnsiEncoding,
        )
    )


def hand_pdf(path: Path, pages: list[bytes], size: tuple[float, float] = PAGE) -> Path:
    """A PDF whose pages hold exactly ``pages`` (content streams); /F1 Helvetica, /F2 Helvetica-Bold."""
    pdf = pikepdf.new()
    fonts = pikepdf.Dictionary(F1=_font(pdf, "Helvetica"), F2=_font(pdf, "Helvetica-Bold"))
    for ops in pages:
        pdf.add_blank_page(page_size=size)
        page = pdf.pages[-1]
        page.Resources = pikepdf.Dictionary(Font=fonts)
        page.Contents = pdf.make_stream(ops)
    pdf.save(path)
    return path


def line(x: float, y_top: float, text: str, size: float = 11, font: str = "F1", height: float = PAGE[1]) -> bytes:
    """One line of text with its baseline at top-left ``y_top`` (Td positioning)."""
    return f"BT /{font} {size:g} Tf {x:g} {height - y_top:g} Td ({text}) Tj ET\n".encode("latin-1")


def notice_font(notice: str) -> bytes:
    """A TrueType font (every printable ASCII glyph a box) whose name table holds ``notice``."""
    from fontTools.fontBuilder import FontBuilder  # type: ignore[import-untyped]
    from fontTools.pens.ttGlyphPen import TTGlyphPen  # type: ignore[import-untyped]

    chars = [chr(c) for c in range(32, 127)]
    names = [".notdef"] + [f"g{ord(c)}" for c in chars]

    def box(empty: bool) -> object:
        pen = TTGlyphPen(None)
        if not empty:
            pen.moveTo((50, 0))
            pen.lineTo((50, 700))
            pen.lineTo((450, 700))
            pen.lineTo((450, 0))
            pen.closePath()
        return pen.glyph()

    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap({ord(c): f"g{ord(c)}" for c in chars})
    builder.setupGlyf({n: box(n in (".notdef", "g32")) for n in names})
    builder.setupHorizontalMetrics({n: (500, 50) for n in names})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "Notice Sans", "styleName": "Regular", "copyright": notice})
    builder.setupOS2(sTypoAscender=800, usWinAscent=800, usWinDescent=200)
    builder.setupPost()
    out = io.BytesIO()
    builder.save(out)
    return out.getvalue()


def font_notice_pdf(path: Path, notice: str, released: str, withheld: str) -> Path:
    """One page: ``released`` in an embedded font whose notice is ``notice``; ``withheld`` in Helvetica."""
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page(width=PAGE[0], height=PAGE[1])
    page.insert_font(fontname="notice", fontbuffer=notice_font(notice))
    page.insert_text((72, 100), released, fontname="notice", fontsize=11)
    page.insert_text((72, 200), withheld, fontname="helv", fontsize=11)
    doc.save(path)
    doc.close()
    return path


def stream_bytes(data: bytes) -> bytes:
    """Every stream of a PDF, decoded where qpdf can, as one byte string."""
    chunks = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream):
                try:
                    chunks.append(obj.read_bytes())
                except pikepdf.PdfError:
                    chunks.append(obj.read_raw_bytes())
    return b"\n".join(chunks)


# ---------------------------------------------------------------------------------------
# tampering


def tamper(data: bytes, edit: Callable[[pikepdf.Pdf], None], **save: object) -> bytes:
    """``data`` opened with pikepdf, edited, saved again."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        edit(pdf)
        out = io.BytesIO()
        pdf.save(out, **save)  # type: ignore[arg-type]
        return out.getvalue()


def incremental_update(data: bytes) -> bytes:
    """``data`` with one incremental update appended: the catalog again, with /PageLayout."""
    base = tamper(data, lambda pdf: None, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    with pikepdf.open(io.BytesIO(base)) as pdf:
        number, generation = pdf.Root.objgen
        size = int(pdf.trailer.Size)
        catalog = pdf.Root.unparse(resolved=True).decode("latin-1")
        info = pdf.trailer.get("/Info")
        info_ref = f" /Info {info.objgen[0]} {info.objgen[1]} R" if info is not None else ""
    previous = int(base[base.rindex(b"startxref") + 9 :].split()[0])
    body = f"\n{number} {generation} obj\n{catalog[:-2]} /PageLayout /SinglePage >>\nendobj\n".encode("latin-1")
    offset = len(base) + 1
    xref_at = len(base) + len(body)
    tail = (
        f"xref\n0 1\n0000000000 65535 f \n{number} 1\n{offset:010d} {generation:05d} n \n"
        f"trailer\n<< /Size {size} /Root {number} {generation} R{info_ref} /Prev {previous} >>\n"
        f"startxref\n{xref_at}\n%%EOF\n"
    ).encode("latin-1")
    return base + body + tail


# ---------------------------------------------------------------------------------------
# fakes: content planted inside a withheld area of a kept page


@dataclass(frozen=True)
class Spot:
    """Where to plant: output page index, source page, the plan rectangle and its rules."""

    index: int
    source_page: int
    rect: Rect
    rules: tuple[str, ...]


def spot(plan: Plan, item_pages: tuple[tuple[int, ...], ...], source_page: int, region: int = -1) -> Spot:
    """A withheld region of a kept source page and the output page that shows it."""
    out = next(
        pages[0]
        for item, pages in zip(plan.sequence, item_pages, strict=True)
        if item.kind == "page" and item.first == source_page
    )
    rect, rules = withheld_regions(plan, source_page)[region]
    return Spot(out, source_page, rect, rules)


def to_pdf(page: pikepdf.Page, x: float, y: float) -> tuple[float, float]:
    """Plan coordinates (top-left origin, relative to the crop box) to PDF user space."""
    x0, _y0, _x1, y1 = (float(v) for v in page.cropbox)
    return x + x0, y1 - y


def _resources(page: pikepdf.Page, kind: str) -> Any:
    if "/Resources" not in page.obj:
        page.obj.Resources = pikepdf.Dictionary()
    if kind not in page.obj.Resources:
        page.obj.Resources[kind] = pikepdf.Dictionary()
    return page.obj.Resources[kind]


def helvetica(pdf: pikepdf.Pdf) -> pikepdf.Object:
    return _font(pdf, "Helvetica")


def plant(data: bytes, where: Spot, paint: Callable[[pikepdf.Pdf, pikepdf.Page, Spot], bytes]) -> bytes:
    """Append the content ``paint`` returns to the page of ``where`` (its resources added by ``paint``)."""

    def edit(pdf: pikepdf.Pdf) -> None:
        page = pdf.pages[where.index]
        ops = paint(pdf, page, where)
        page.contents_add(pikepdf.Stream(pdf, b"q\n" + ops + b"Q\n"), prepend=False)

    return tamper(data, edit)


def _right_box(pdf_page: pikepdf.Page, where: Spot, width: float) -> tuple[float, float, float, float]:
    """A box (PDF user space: x, y bottom, w, h) at the right end of the spot's rectangle, inset."""
    r = where.rect
    x, y = to_pdf(pdf_page, r.x1 - width - 4, r.y1 - 2)
    return x, y, width, max(r.height - 4, 2)


def text_in(text: str, render: int = 0, size: float = 8) -> Callable[[pikepdf.Pdf, pikepdf.Page, Spot], bytes]:
    """Text (render mode ``render``; 3 is invisible) drawn at the right end of the spot."""

    def paint(pdf: pikepdf.Pdf, page: pikepdf.Page, where: Spot) -> bytes:
        _resources(page, "/Font").FZZ = helvetica(pdf)
        x, y, _w, _h = _right_box(page, where, size * 0.6 * len(text))
        return f"BT /FZZ {size:g} Tf {render} Tr {x:.2f} {y + 1.5:.2f} Td ({text}) Tj ET\n".encode("latin-1")

    return paint


def outline_in(pdf: pikepdf.Pdf, page: pikepdf.Page, where: Spot) -> bytes:
    """A filled vector path (a triangle and a bar) in the spot."""
    x, y, w, h = _right_box(page, where, 40)
    return (
        f"0.1 0.1 0.1 rg {x:.2f} {y:.2f} m {x + 15:.2f} {y + h:.2f} l {x + 30:.2f} {y:.2f} l h f\n"
        f"{x + 32:.2f} {y:.2f} 6 {h:.2f} re f\n"
    ).encode()


def shading_in(pdf: pikepdf.Pdf, page: pikepdf.Page, where: Spot) -> bytes:
    """An axial shading (black to grey), clipped to a box in the spot, painted with ``sh``."""
    x, y, w, h = _right_box(page, where, 40)
    _resources(page, "/Shading").ShZ = pdf.make_indirect(
        pikepdf.Dictionary(
            ShadingType=2,
            ColorSpace=pikepdf.Name.DeviceGray,
            Coords=[x, y, x + w, y],
            Function=pikepdf.Dictionary(FunctionType=2, Domain=[0, 1], C0=[0], C1=[0.5], N=1),
            Extend=[True, True],
        )
    )
    return f"{x:.2f} {y:.2f} {w:.2f} {h:.2f} re W n /ShZ sh\n".encode()


def _dark_image(pdf: pikepdf.Pdf) -> pikepdf.Stream:
    """A 16 x 4 grey image, every sample dark, Flate-compressed."""
    image = pikepdf.Stream(pdf, zlib.compress(bytes([20]) * 64))
    image.Type = pikepdf.Name.XObject
    image.Subtype = pikepdf.Name.Image
    image.Width, image.Height = 16, 4
    image.ColorSpace = pikepdf.Name.DeviceGray
    image.BitsPerComponent = 8
    image.Filter = pikepdf.Name.FlateDecode
    return image


def image_in(covered: bool) -> Callable[[pikepdf.Pdf, pikepdf.Page, Spot], bytes]:
    """A dark image drawn in the spot; ``covered``: then hidden under a white filled rectangle."""

    def paint(pdf: pikepdf.Pdf, page: pikepdf.Page, where: Spot) -> bytes:
        _resources(page, "/XObject").ImZ = _dark_image(pdf)
        x, y, w, h = _right_box(page, where, 40)
        ops = f"q {w:.2f} 0 0 {h:.2f} {x:.2f} {y:.2f} cm /ImZ Do Q\n"
        if covered:
            ops += f"1 g {x - 1:.2f} {y - 1:.2f} {w + 2:.2f} {h + 2:.2f} re f\n"
        return ops.encode()

    return paint


def form_text_in(text: str) -> Callable[[pikepdf.Pdf, pikepdf.Page, Spot], bytes]:
    """``text`` inside a Form XObject drawn in the spot."""

    def paint(pdf: pikepdf.Pdf, page: pikepdf.Page, where: Spot) -> bytes:
        x, y, w, h = _right_box(page, where, 8 * 0.6 * len(text))
        form = pikepdf.Stream(pdf, f"BT /FZZ 8 Tf 0 1.5 Td ({text}) Tj ET\n".encode("latin-1"))
        form.Type = pikepdf.Name.XObject
        form.Subtype = pikepdf.Name.Form
        form.BBox = [0, 0, w + 10, h]
        form.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(FZZ=helvetica(pdf)))
        _resources(page, "/XObject").FmZ = pdf.make_indirect(form)
        return f"q 1 0 0 1 {x:.2f} {y:.2f} cm /FmZ Do Q\n".encode()

    return paint


def soft_mask_text_in(text: str) -> Callable[[pikepdf.Pdf, pikepdf.Page, Spot], bytes]:
    """A black box painted through a luminosity soft mask whose group draws ``text``.

    The text itself is never painted: it only shapes where the black box shows.
    """

    def paint(pdf: pikepdf.Pdf, page: pikepdf.Page, where: Spot) -> bytes:
        x, y, w, h = _right_box(page, where, 8 * 0.6 * len(text))
        group = pikepdf.Stream(
            pdf,
            (f"0 g 0 0 {PAGE[0]} {PAGE[1]} re f\nBT 1 g /FZZ 8 Tf {x:.2f} {y + 1.5:.2f} Td ({text}) Tj ET\n").encode(
                "latin-1"
            ),
        )
        group.Type = pikepdf.Name.XObject
        group.Subtype = pikepdf.Name.Form
        group.BBox = [0, 0, PAGE[0], PAGE[1]]
        group.Group = pikepdf.Dictionary(S=pikepdf.Name.Transparency, CS=pikepdf.Name.DeviceGray)
        group.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(FZZ=helvetica(pdf)))
        mask = pikepdf.Dictionary(Type=pikepdf.Name.Mask, S=pikepdf.Name.Luminosity, G=pdf.make_indirect(group))
        _resources(page, "/ExtGState").GsZ = pdf.make_indirect(
            pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, SMask=mask)
        )
        return f"/GsZ gs 0 g {x:.2f} {y:.2f} {w:.2f} {h:.2f} re f\n".encode()

    return paint
