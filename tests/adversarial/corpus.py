"""Adversarial corpus: small PDFs, each planting canary secrets in one leak surface.

Every case has a normal page 1 carrying the released paragraph
``"Public paragraph alpha released to all."`` and a minimal version-1 rule file that
releases that paragraph (``block: "^Public paragraph"``) and withholds everything else,
by ``default: withhold`` or, where the secret sits inside a released line, by a
``withhold: {text: ...}`` or ``withhold: {region: ...}`` rule. An extract made from
``pdf_bytes`` and ``rules_yaml`` must keep every string of ``released`` in its page text
and must not contain any trace of ``canaries`` (see :func:`..leakcheck.find_leaks`).

Generation is deterministic: the same machine builds the same bytes every time. PDFs are
written with compressed streams, so a canary is rarely visible in the raw file bytes.

Coordinates (``withheld_rects``) are PDF points with a top-left origin, in the page's
unrotated space (the space of PyMuPDF's page coordinates and of the rule language).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pymupdf

PAGE_W = 595.0
PAGE_H = 842.0
PUBLIC = "Public paragraph alpha released to all."
PUBLIC_Y = 100.0
SECRET_Y = 200.0
FONT_SIZE = 11.0

Rect = tuple[float, float, float, float]

#: Colour (DeviceRGB) of the vector-outline canary; used by nothing else in the corpus.
VECTOR_RGB: tuple[float, float, float] = (0.137, 0.571, 0.311)

_DATE = "D:20260105000000Z"

_CJK_FALLBACK = "china-s"
_TTF_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
)


@dataclass(frozen=True)
class Case:
    """One adversarial source document and what a correct extract must (not) contain."""

    name: str
    pdf_bytes: bytes
    rules_yaml: str
    canaries: tuple[str, ...]
    released: tuple[str, ...]
    withheld_rects: dict[int, list[Rect]]
    #: md5 (hex) of the withheld image's raw (encoded) stream and of its decoded samples
    withheld_image_md5s: tuple[str, ...] = ()
    #: DeviceRGB fill colours of withheld vector art: no path painted in them may survive
    withheld_fill_colors: tuple[tuple[float, float, float], ...] = ()
    #: one line on what the case plants and where
    description: str = field(default="", compare=False)


# ---------------------------------------------------------------------------------------
# small helpers


def _esc(text: str) -> str:
    """Escape text for a PDF literal string inside a content stream (WinAnsi range)."""
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _y(y_top: float) -> float:
    """Convert a top-left y to PDF user space (bottom-left origin)."""
    return PAGE_H - y_top


def _num(v: float) -> str:
    return f"{v:.3f}".rstrip("0").rstrip(".")


def _text_ops(x: float, y_top: float, text: str, size: float = FONT_SIZE, pre: str = "") -> str:
    """One line of Helvetica text with its baseline at top-left ``y_top``."""
    return f"BT {pre} /F1 {_num(size)} Tf {_num(x)} {_num(_y(y_top))} Td ({_esc(text)}) Tj ET\n"


def _width(text: str, size: float = FONT_SIZE) -> float:
    return pymupdf.get_text_length(text, fontname="helv", fontsize=size)


def _text_rect(x: float, y_top: float, text: str, size: float = FONT_SIZE) -> Rect:
    """Box around one line of Helvetica text (baseline at ``y_top``), with a small margin."""
    w = _width(text, size)
    m = max(size * 0.1, 0.2)
    return (
        round(x - m, 2),
        round(y_top - size * 0.95 - m, 2),
        round(x + w + m, 2),
        round(y_top + size * 0.3 + m, 2),
    )


def _union(*rects: Rect) -> Rect:
    return (
        min(r[0] for r in rects),
        min(r[1] for r in rects),
        max(r[2] for r in rects),
        max(r[3] for r in rects),
    )


def _rt(rect: pymupdf.Rect) -> Rect:
    return (float(rect.x0), float(rect.y0), float(rect.x1), float(rect.y1))


def _hex_utf16(text: str) -> str:
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def _rules(name: str, extra: str = "") -> str:
    return (
        "version: 1\n"
        'document: {number: "TEST 1/26", dated: "2026-01-05", '
        'classification: "RESTREINT UE/EU RESTRICTED", '
        f'subject: "Adversarial case {name}"}}\n'
        'release: {extract: 1, date: "2026-02-01", place: Brussels, '
        'issuer: "TEST ISSUER", new_status: Public}\n'
        "default: withhold\n"
        "rules:\n"
        "  - id: public-para\n"
        '    release: {block: "^Public paragraph"}\n' + extra
    )


def _withhold_text_rule(rule_id: str, pattern: str) -> str:
    return f'  - id: {rule_id}\n    withhold: {{text: "{pattern}"}}\n'


def _gray_pixels(canary: str, width: int, height: int) -> bytes:
    """8-bit gray samples spelling the canary's ASCII codes over and over."""
    raw = canary.encode("ascii") + b" "
    n = width * height
    return (raw * (n // len(raw) + 1))[:n]


def _md5(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()


class _Builder:
    """A PyMuPDF document whose page contents and resources are written by hand."""

    def __init__(self, pages: int = 1) -> None:
        self.doc = pymupdf.open()
        for _ in range(pages):
            self.doc.new_page(width=PAGE_W, height=PAGE_H)
        self.font = self.obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")

    @property
    def catalog(self) -> int:
        return self.doc.pdf_catalog()

    def page_xref(self, pno: int = 0) -> int:
        return self.doc[pno].xref

    def new_xref(self) -> int:
        return self.doc.get_new_xref()

    def obj(self, source: str, xref: int = 0) -> int:
        xref = xref or self.doc.get_new_xref()
        self.doc.update_object(xref, source)
        return xref

    def stream(self, data: bytes, source: str = "<< >>", xref: int = 0) -> int:
        xref = self.obj(source, xref)
        self.doc.update_stream(xref, data)
        return xref

    def font_resources(self) -> str:
        return f"/Font << /F1 {self.font} 0 R >>"

    def set_page(self, pno: int, ops: str | bytes, resources: str = "") -> int:
        """Replace page ``pno``'s content with ``ops``; resources get /F1 (Helvetica)."""
        data = ops.encode("latin-1") if isinstance(ops, str) else ops
        content = self.stream(data)
        px = self.page_xref(pno)
        self.doc.xref_set_key(px, "Resources", f"<< {self.font_resources()} {resources} >>")
        self.doc.xref_set_key(px, "Contents", f"{content} 0 R")
        return content

    def set_key(self, xref: int, key: str, value: str) -> None:
        self.doc.xref_set_key(xref, key, value)

    def save(self) -> bytes:
        return self.doc.tobytes(garbage=1, deflate=True, no_new_id=True)


def _public() -> str:
    return _text_ops(72, PUBLIC_Y, PUBLIC)


def _case(
    name: str,
    pdf: bytes,
    canaries: tuple[str, ...],
    rects: dict[int, list[Rect]],
    description: str,
    *,
    extra_rules: str = "",
    released: tuple[str, ...] = (PUBLIC,),
    image_md5s: tuple[str, ...] = (),
    colors: tuple[tuple[float, float, float], ...] = (),
) -> Case:
    return Case(
        name=name,
        pdf_bytes=pdf,
        rules_yaml=_rules(name, extra_rules),
        canaries=canaries,
        released=released,
        withheld_rects=rects,
        withheld_image_md5s=image_md5s,
        withheld_fill_colors=colors,
        description=description,
    )


def _secret_line(canary: str) -> str:
    return f"Secret paragraph {canary} withheld."


def _simple_text_case(
    name: str,
    canary: str,
    description: str,
    *,
    x: float = 72.0,
    y: float = SECRET_Y,
    size: float = FONT_SIZE,
    pre: str = "",
    wrap: tuple[str, str] = ("", ""),
    after: Callable[[_Builder], None] | None = None,
) -> Case:
    """Public paragraph plus one secret line, drawn with extra operators ``pre``/``wrap``."""
    text = _secret_line(canary)
    b = _Builder()
    b.set_page(0, _public() + wrap[0] + _text_ops(x, y, text, size, pre) + wrap[1])
    if after is not None:
        after(b)
    return _case(name, b.save(), (canary,), {1: [_text_rect(x, y, text, size)]}, description)


# ---------------------------------------------------------------------------------------
# cases: page content


def _withheld_paragraph() -> Case:
    return _simple_text_case("withheld-paragraph", "CANARY-PARA-3F8", "a plain paragraph that no rule releases")


def _black_box() -> Case:
    canary = "CANARY-BOX-9K1"
    rect = _text_rect(72, SECRET_Y, _secret_line(canary))

    def box(b: _Builder) -> None:
        b.doc[0].draw_rect(pymupdf.Rect(rect), color=(0, 0, 0), fill=(0, 0, 0))

    return _simple_text_case("black-box", canary, "live text under a black box already drawn in the source", after=box)


def _white_text() -> Case:
    return _simple_text_case("white-text", "CANARY-WHITE-2B6", "white text on the white page", pre="1 1 1 rg")


def _invisible_text() -> Case:
    return _simple_text_case("invisible-text", "CANARY-INVIS-8D4", "text in render mode 3 (invisible)", pre="3 Tr")


def _clipped_text() -> Case:
    return _simple_text_case(
        "clipped-text",
        "CANARY-CLIP-4G2",
        "text drawn under a clip path that hides all of it",
        wrap=("q 0 0 1 1 re W n\n", "Q\n"),
    )


def _tiny_text() -> Case:
    return _simple_text_case("tiny-text", "CANARY-TINY-4N9", "0.5 pt text", size=0.5)


def _outside_cropbox() -> Case:
    def crop(b: _Builder) -> None:
        b.set_key(b.page_xref(), "CropBox", "[0 342 595 842]")

    return _simple_text_case(
        "outside-cropbox",
        "CANARY-CROP-5T1",
        "text below the crop box (crop box is the top 500 pt of the media box)",
        y=700.0,
        after=crop,
    )


def _outside_mediabox() -> Case:
    return _simple_text_case(
        "outside-mediabox",
        "CANARY-MEDIA-6W3",
        "text to the right of the media box",
        x=640.0,
        y=300.0,
    )


def _rotated_page() -> Case:
    # A landscape page stored the usual way: portrait media box, /Rotate 90, and content
    # drawn turned 90 degrees counter-clockwise so that it reads upright once displayed.
    # Displayed point (X, Y) from the top-left is user-space point (x=Y, y=X).
    canary = "CANARY-ROT-1H4"
    text = _secret_line(canary)

    def line(x_disp: float, y_disp: float, s: str) -> str:
        return f"BT /F1 11 Tf 0 1 -1 0 {_num(y_disp)} {_num(x_disp)} Tm ({_esc(s)}) Tj ET\n"

    b = _Builder()
    b.set_page(0, line(72, PUBLIC_Y, PUBLIC) + line(72, SECRET_Y, text))
    b.doc[0].set_rotation(90)
    w = _width(text)
    rect = (
        round(SECRET_Y - FONT_SIZE * 0.95 - 1, 2),
        round(PAGE_H - 72 - w - 1, 2),
        round(SECRET_Y + FONT_SIZE * 0.3 + 1, 2),
        PAGE_H - 72 + 1,
    )
    return _case(
        "rotated-page",
        b.save(),
        (canary,),
        {1: [rect]},
        "a secret paragraph on a /Rotate 90 page (content drawn turned, reads upright)",
    )


def _tj_kerning() -> Case:
    canary = "CANARY-TJ-7V2"
    before = PUBLIC + " Reference "
    ops = f"BT /F1 11 Tf 72 {_num(_y(PUBLIC_Y))} Td [({_esc(before)}CAN) -20 (ARY-TJ-) 35 (7V2 applies.)] TJ ET\n"
    b = _Builder()
    b.set_page(0, ops)
    x0 = 72 + _width(before)
    rect = (round(x0 - 1, 2), PUBLIC_Y - 12.0, round(x0 + _width(canary) + 1, 2), PUBLIC_Y + 4.0)
    return _case(
        "tj-kerning",
        b.save(),
        (canary,),
        {1: [rect]},
        "a canary inside a released line, split over a TJ array with kerning",
        extra_rules=_withhold_text_rule("tj-canary", "CANARY-TJ-7V2"),
    )


def _withheld_span() -> Case:
    canary = "CANARY-SPAN-8F7"
    head = "Public paragraph alpha released to all, except"
    line = f"{head} {canary} here."
    b = _Builder()
    b.set_page(0, _text_ops(72, PUBLIC_Y, line))
    x0 = 72 + _width(head + " ")
    rect = (round(x0 - 1, 2), PUBLIC_Y - 12.0, round(x0 + _width(canary) + 1, 2), PUBLIC_Y + 4.0)
    return _case(
        "withheld-span",
        b.save(),
        (canary,),
        {1: [rect]},
        "a canary word inside the released paragraph, withheld by a text rule",
        extra_rules=_withhold_text_rule("span-canary", "CANARY-SPAN-8F7"),
        released=(head,),
    )


def _find_ttf() -> str | None:
    for path in _TTF_CANDIDATES:
        if os.path.exists(path):
            return path
    return None


def _cid_font() -> Case:
    canary = "CANARY-CID-2R5"
    text = _secret_line(canary)
    b = _Builder()
    b.set_page(0, _public())
    page = b.doc[0]
    ttf = _find_ttf()
    if ttf is not None:
        page.insert_font(fontname="F0", fontfile=ttf)
        page.insert_text((72, SECRET_Y), text, fontname="F0", fontsize=FONT_SIZE)
        b.doc.subset_fonts()
    else:  # built-in CJK font: Type0 with a UCS-2 CMap
        page.insert_text((72, SECRET_Y), text, fontname=_CJK_FALLBACK, fontsize=FONT_SIZE)
    fonts = [f for f in page.get_fonts() if f[2] == "Type0"]
    if not fonts:  # pragma: no cover - depends on the machine's fonts
        raise RuntimeError("cid-font case: no Type0 font was produced")
    rect = _union(_text_rect(72, SECRET_Y, text), (72, SECRET_Y - 12, 330, SECRET_Y + 4))
    return _case(
        "cid-font",
        b.save(),
        (canary,),
        {1: [rect]},
        "text in an embedded Type0/CID font (Identity-H glyph ids, own ToUnicode)",
    )


def _hidden_layer() -> Case:
    name_canary = "CANARY-OCGNAME-8M5"
    text_canary = "CANARY-OCGTEXT-1N7"
    text = _secret_line(text_canary)
    b = _Builder()
    ocg = b.doc.add_ocg(f"Layer {name_canary}", on=False)
    b.set_page(
        0,
        _public() + "/OC /OC1 BDC\n" + _text_ops(72, SECRET_Y, text) + "EMC\n",
        f"/Properties << /OC1 {ocg} 0 R >>",
    )
    return _case(
        "hidden-layer",
        b.save(),
        (name_canary, text_canary),
        {1: [_text_rect(72, SECRET_Y, text)]},
        "text in an optional-content group that is OFF; the layer name holds a canary too",
    )


def _actualtext() -> Case:
    canary = "CANARY-ACTUAL-3Y2"
    text = "Secret paragraph under marked content."
    b = _Builder()
    b.set_page(
        0,
        _public() + f"/Span << /ActualText {_hex_utf16(canary)} >> BDC\n" + _text_ops(72, SECRET_Y, text) + "EMC\n",
    )
    return _case(
        "actualtext",
        b.save(),
        (canary,),
        {1: [_text_rect(72, SECRET_Y, text)]},
        "marked content /ActualText (UTF-16BE hex) around withheld text",
    )


def _raster_image() -> Case:
    canary = "CANARY-IMAGE-4U1"
    w, h = 64, 16
    pixels = _gray_pixels(canary, w, h)
    b = _Builder()
    img = b.stream(
        pixels,
        f"<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace /DeviceGray /BitsPerComponent 8 >>",
    )
    top, bottom = SECRET_Y, SECRET_Y + 64
    b.set_page(0, _public() + f"q 256 0 0 64 72 {_num(_y(bottom))} cm /Im1 Do Q\n", f"/XObject << /Im1 {img} 0 R >>")
    pdf = b.save()
    raw = pymupdf.open(stream=pdf).xref_stream_raw(img)
    return _case(
        "raster-image",
        pdf,
        (canary,),
        {1: [(70.0, top - 2, 330.0, bottom + 2)]},
        "a gray image whose samples spell the canary, in a withheld area",
        image_md5s=(_md5(raw), _md5(pixels)),
    )


def _vector_outlines() -> Case:
    canary = "CANARY-VECTOR-6V3"
    r, g, bl = VECTOR_RGB
    lo, hi = _num(_y(280)), _num(_y(200))
    shape = (
        f"q {r} {g} {bl} rg\n"
        f"300 {lo} m 320 {hi} l 340 {lo} l h f\n"
        f"350 {lo} 20 80 re f\n"
        f"380 {lo} m 380 {hi} l 420 {hi} 420 {_num(_y(240))} 380 {_num(_y(240))} c h f\n"
        "Q\n"
    )
    caption = f"Figure {canary}"
    b = _Builder()
    b.set_page(0, _public() + shape + _text_ops(300, 295, caption, 9))
    region = (290.0, 190.0, 480.0, 305.0)
    return _case(
        "vector-outlines",
        b.save(),
        (canary,),
        {1: [region]},
        "vector art in a unique colour (plus a caption) withheld by a region rule",
        extra_rules=('  - id: withheld-figure\n    withhold: {region: [290, 190, 480, 305], pages: "1"}\n'),
        colors=(VECTOR_RGB,),
    )


def _tiling_pattern() -> Case:
    canary = "CANARY-PATTERN-8W5"
    b = _Builder()
    pat = b.stream(
        f"BT /F1 8 Tf 1 3 Td ({canary}) Tj ET\n".encode("latin-1"),
        "<< /Type /Pattern /PatternType 1 /PaintType 1 /TilingType 1 "
        "/BBox [0 0 150 12] /XStep 150 /YStep 12 "
        f"/Resources << {b.font_resources()} >> >>",
    )
    top, bottom = SECRET_Y, SECRET_Y + 60
    b.set_page(
        0,
        _public() + f"q /Pattern cs /P1 scn 72 {_num(_y(bottom))} 300 60 re f Q\n",
        f"/Pattern << /P1 {pat} 0 R >>",
    )
    return _case(
        "tiling-pattern",
        b.save(),
        (canary,),
        {1: [(70.0, top - 2, 374.0, bottom + 2)]},
        "text inside a tiling pattern that fills a withheld area",
    )


def _form_xobject() -> Case:
    canary = "CANARY-XFORM-1X9"
    text = _secret_line(canary)
    b = _Builder()
    form = b.stream(
        _text_ops(0, 15, text).replace(f"{_num(_y(15))} Td", "5 Td").encode("latin-1"),
        f"<< /Type /XObject /Subtype /Form /BBox [0 0 300 20] /Resources << {b.font_resources()} >> >>",
    )
    b.set_page(
        0,
        _public() + f"q 1 0 0 1 72 {_num(_y(SECRET_Y) - 5)} cm /Fx1 Do Q\n",
        f"/XObject << /Fx1 {form} 0 R >>",
    )
    return _case(
        "form-xobject",
        b.save(),
        (canary,),
        {1: [_text_rect(72, SECRET_Y, text)]},
        "text inside a Form XObject drawn in a withheld area",
    )


def _withheld_page() -> Case:
    canary = "CANARY-PAGE2-6E5"
    text = f"Secret page {canary} entirely withheld."
    b = _Builder(pages=2)
    b.set_page(0, _public())
    b.set_page(1, _text_ops(72, SECRET_Y, text))
    return _case(
        "withheld-page",
        b.save(),
        (canary,),
        {2: [(0.0, 0.0, PAGE_W, PAGE_H)]},
        "a second page that no rule releases",
    )


def _incremental_update() -> Case:
    canary = "CANARY-INCR-2T6"
    text = _secret_line(canary)
    b = _Builder()
    b.set_page(0, _public() + _text_ops(72, SECRET_Y, text))
    first = b.save()
    revised = _public() + _text_ops(72, SECRET_Y, "Secret paragraph revised and withheld.")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "source.pdf"
        path.write_bytes(first)
        doc = pymupdf.open(path)
        doc.update_stream(doc[0].get_contents()[0], revised.encode("latin-1"))
        doc.save(path, incremental=True, encryption=pymupdf.PDF_ENCRYPT_KEEP, no_new_id=True)
        doc.close()
        pdf = path.read_bytes()
    return _case(
        "incremental-update",
        pdf,
        (canary,),
        {1: [_text_rect(72, SECRET_Y, text)]},
        "the canary paragraph was rewritten in an incremental update; revision 1 keeps it",
    )


# ---------------------------------------------------------------------------------------
# cases: page-level objects


def _link_uri() -> Case:
    canary = "CANARY-URI-9S4"
    text = "Secret paragraph with a link withheld."
    rect = _text_rect(72, SECRET_Y, text)

    def link(b: _Builder) -> None:
        b.doc[0].insert_link(
            {
                "kind": pymupdf.LINK_URI,
                "from": pymupdf.Rect(rect),
                "uri": f"https://example.invalid/{canary}",
            }
        )

    b = _Builder()
    b.set_page(0, _public() + _text_ops(72, SECRET_Y, text))
    link(b)
    return _case("link-uri", b.save(), (canary,), {1: [rect]}, "a URI link action")


def _text_annotation() -> Case:
    note = "CANARY-NOTE-6P1"
    author = "CANARY-NOTEAUTH-2X7"
    b = _Builder()
    b.set_page(0, _public())
    page = b.doc[0]
    annot = page.add_text_annot((400, SECRET_Y), f"Note {note}")
    annot.set_info(title=author, creationDate=_DATE, modDate=_DATE)
    popup = pymupdf.Rect(420, SECRET_Y, 560, SECRET_Y + 80)
    annot.set_popup(popup)
    annot.update()
    return _case(
        "text-annotation",
        b.save(),
        (note, author),
        {1: [_rt(annot.rect), _rt(popup)]},
        "a sticky note (contents, author) with its popup",
    )


def _freetext_annotation() -> Case:
    canary = "CANARY-FREETEXT-5C8"
    rect = pymupdf.Rect(300, 300, 540, 340)
    b = _Builder()
    b.set_page(0, _public())
    page = b.doc[0]
    annot = page.add_freetext_annot(rect, f"Comment {canary}", fontsize=10)
    annot.set_info(creationDate=_DATE, modDate=_DATE)
    annot.update()
    return _case(
        "freetext-annotation",
        b.save(),
        (canary,),
        {1: [_rt(rect)]},
        "a FreeText annotation (contents and appearance stream)",
    )


def _highlight_annotation() -> Case:
    canary = "CANARY-HILITE-3H5"
    text = "Secret paragraph marked by a reviewer."
    rect = _text_rect(72, SECRET_Y, text)
    b = _Builder()
    b.set_page(0, _public() + _text_ops(72, SECRET_Y, text))
    page = b.doc[0]
    annot = page.add_highlight_annot(pymupdf.Rect(rect))
    annot.set_info(content=f"Reviewer comment {canary}", creationDate=_DATE, modDate=_DATE)
    annot.update()
    return _case(
        "highlight-annotation",
        b.save(),
        (canary,),
        {1: [rect]},
        "a highlight annotation over withheld text, its /Contents holding a comment",
    )


def _form_field() -> Case:
    value = "CANARY-FVAL-1A2"
    default = "CANARY-FDEF-3B4"
    tooltip = "CANARY-FTIP-5C6"
    xfa = "CANARY-XFA-7D8"
    rect = pymupdf.Rect(72, 300, 300, 320)
    b = _Builder()
    b.set_page(0, _public())
    widget = pymupdf.Widget()
    widget.field_type = pymupdf.PDF_WIDGET_TYPE_TEXT
    widget.field_name = "secret_field"
    widget.field_value = value
    widget.field_label = tooltip
    widget.rect = rect
    b.doc[0].add_widget(widget)
    parent = b.doc.xref_get_key(widget.xref, "Parent")
    field_xref = int(parent[1].split()[0]) if parent[0] == "xref" else widget.xref
    b.set_key(field_xref, "DV", pymupdf.get_pdf_str(default))
    xfa_stream = b.stream(
        f'<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><xfa:datasets '
        f'xmlns:xfa="http://www.xfa.org/schema/xfa-data/1.0/"><xfa:data><form>'
        f"<secret_field>{xfa}</secret_field></form></xfa:data></xfa:datasets></xdp:xdp>".encode()
    )
    b.set_key(b.catalog, "AcroForm/XFA", f"{xfa_stream} 0 R")
    return _case(
        "form-field",
        b.save(),
        (value, default, tooltip, xfa),
        {1: [_rt(rect)]},
        "a text field: value, default value /DV, tooltip /TU, and XFA data",
    )


def _thumbnail() -> Case:
    canary = "CANARY-THUMB-4D3"
    w, h = 32, 8
    pixels = _gray_pixels(canary, w, h)
    b = _Builder()
    b.set_page(0, _public())
    thumb = b.stream(pixels, f"<< /Width {w} /Height {h} /ColorSpace /DeviceGray /BitsPerComponent 8 >>")
    b.set_key(b.page_xref(), "Thumb", f"{thumb} 0 R")
    pdf = b.save()
    raw = pymupdf.open(stream=pdf).xref_stream_raw(thumb)
    return _case(
        "thumbnail",
        pdf,
        (canary,),
        {},
        "a page thumbnail (/Thumb) whose samples spell the canary",
        image_md5s=(_md5(raw), _md5(pixels)),
    )


def _pieceinfo() -> Case:
    page_canary = "CANARY-PIECEPAGE-9B8"
    doc_canary = "CANARY-PIECEDOC-2C1"
    b = _Builder()
    b.set_page(0, _public())

    def piece(canary: str) -> str:
        return f"<< /ExampleEditor << /LastModified ({_DATE}) /Private << /Note ({canary}) >> >> >>"

    b.set_key(b.page_xref(), "PieceInfo", piece(page_canary))
    b.set_key(b.page_xref(), "LastModified", f"({_DATE})")
    b.set_key(b.catalog, "PieceInfo", piece(doc_canary))
    return _case(
        "pieceinfo",
        b.save(),
        (page_canary, doc_canary),
        {},
        "private application data (/PieceInfo) on the page and on the catalog",
    )


def _struct_tree() -> Case:
    alt = "CANARY-ALT-5Z4"
    actual = "CANARY-STRUCTAT-7A6"
    text = "Secret paragraph tagged for structure."
    b = _Builder()
    b.set_page(0, _public() + "/P << /MCID 0 >> BDC\n" + _text_ops(72, SECRET_Y, text) + "EMC\n")
    root = b.new_xref()
    elem = b.new_xref()
    parent_tree = b.obj(f"<< /Nums [0 [{elem} 0 R]] >>")
    b.obj(
        f"<< /Type /StructTreeRoot /K [{elem} 0 R] /ParentTree {parent_tree} 0 R /ParentTreeNextKey 1 >>",
        root,
    )
    b.obj(
        f"<< /Type /StructElem /S /P /P {root} 0 R /Pg {b.page_xref()} 0 R /K 0 "
        f"/Alt ({alt}) /ActualText {_hex_utf16(actual)} >>",
        elem,
    )
    b.set_key(b.page_xref(), "StructParents", "0")
    b.set_key(b.catalog, "StructTreeRoot", f"{root} 0 R")
    b.set_key(b.catalog, "MarkInfo", "<< /Marked true >>")
    return _case(
        "struct-tree",
        b.save(),
        (alt, actual),
        {1: [_text_rect(72, SECRET_Y, text)]},
        "a structure element with /Alt and /ActualText over withheld text",
    )


def _article_thread() -> Case:
    canary = "CANARY-THREAD-6J9"
    b = _Builder()
    b.set_page(0, _public())
    thread = b.new_xref()
    bead = b.new_xref()
    b.obj(
        f"<< /Type /Thread /I << /Title ({canary}) >> /F {bead} 0 R >>",
        thread,
    )
    b.obj(
        f"<< /Type /Bead /T {thread} 0 R /N {bead} 0 R /V {bead} 0 R /P {b.page_xref()} 0 R /R [72 500 540 700] >>",
        bead,
    )
    b.set_key(b.page_xref(), "B", f"[{bead} 0 R]")
    b.set_key(b.catalog, "Threads", f"[{thread} 0 R]")
    return _case(
        "article-thread",
        b.save(),
        (canary,),
        {},
        "an article thread whose title holds the canary",
    )


# ---------------------------------------------------------------------------------------
# cases: document-level objects


def _info_metadata() -> Case:
    title = "CANARY-INFOTITLE-7Q2"
    author = "CANARY-INFOAUTH-4R1"
    custom = "CANARY-INFOCUST-9S3"
    b = _Builder()
    b.set_page(0, _public())
    b.doc.set_metadata(
        {
            "title": f"Title {title} \u6a5f\u5bc6",  # non-Latin: stored as UTF-16BE
            "author": author,
            "subject": "Adversarial case",
            "creationDate": _DATE,
            "modDate": _DATE,
        }
    )
    kind, value = b.doc.xref_get_key(-1, "Info")
    if kind != "xref":  # pragma: no cover - PyMuPDF always writes an indirect Info
        raise RuntimeError("info-metadata case: /Info is not indirect")
    b.set_key(int(value.split()[0]), "SecretNote", pymupdf.get_pdf_str(custom))
    return _case(
        "info-metadata",
        b.save(),
        (title, author, custom),
        {},
        "document information dictionary: title (UTF-16BE), author, custom key",
    )


def _xmp_metadata() -> Case:
    canary = "CANARY-XMP-8J2"
    xmp = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{canary}</rdf:li>'
        "</rdf:Alt></dc:description></rdf:Description></rdf:RDF></x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    )
    b = _Builder()
    b.set_page(0, _public())
    b.doc.set_xml_metadata(xmp)
    return _case("xmp-metadata", b.save(), (canary,), {}, "an XMP metadata packet")


def _outline() -> Case:
    canary = "CANARY-OUTLINE-4S6"
    b = _Builder()
    b.set_page(0, _public())
    b.doc.set_toc([[1, f"Chapter {canary} \u6a5f\u5bc6", 1]])
    return _case("outline", b.save(), (canary,), {}, "a bookmark title (UTF-16BE)")


def _embedded_file() -> Case:
    name = "CANARY-EMBNAME-7G3"
    data = "CANARY-EMBDATA-9H1"
    desc = "CANARY-EMBDESC-2J8"
    b = _Builder()
    b.set_page(0, _public())
    b.doc.embfile_add(
        name,
        f"Attachment body {data}\n".encode() * 4,
        filename="attachment.txt",
        desc=f"Description {desc}",
    )
    for xref in range(1, b.doc.xref_length()):
        if b.doc.xref_get_key(xref, "Type") == ("name", "/EmbeddedFile"):
            b.set_key(xref, "Params/CreationDate", f"({_DATE})")
            b.set_key(xref, "Params/ModDate", f"({_DATE})")
    return _case(
        "embedded-file",
        b.save(),
        (name, data, desc),
        {},
        "an embedded file: name-tree key, compressed content, description",
    )


def _javascript() -> Case:
    doc_js = "CANARY-JSDOC-4K2"
    open_js = "CANARY-JSOPEN-6L9"
    b = _Builder()
    b.set_page(0, _public())
    action = b.obj(f"<< /S /JavaScript /JS (app.alert\\('{doc_js}'\\);) >>")
    b.set_key(b.catalog, "Names", f"<< /JavaScript << /Names [(init) {action} 0 R] >> >>")
    script = b.stream(f"app.alert('{open_js}');".encode())
    open_action = b.obj(f"<< /S /JavaScript /JS {script} 0 R >>")
    b.set_key(b.catalog, "OpenAction", f"{open_action} 0 R")
    return _case(
        "javascript",
        b.save(),
        (doc_js, open_js),
        {},
        "document JavaScript (names tree) and an OpenAction script stored as a stream",
    )


def _page_labels() -> Case:
    canary = "CANARY-LABEL-3P6"
    b = _Builder()
    b.set_page(0, _public())
    b.doc.set_page_labels([{"startpage": 0, "prefix": f"{canary}-", "style": "D", "firstpagenum": 1}])
    return _case("page-labels", b.save(), (canary,), {}, "a page label prefix")


def _named_destination() -> Case:
    tree = "CANARY-DESTTREE-5Q2"
    key = "CANARY-DESTNAME-7R8"
    b = _Builder()
    b.set_page(0, _public())
    page = b.page_xref()
    b.set_key(
        b.catalog,
        "Names",
        f"<< /Dests << /Names [<{tree.encode().hex()}> [{page} 0 R /XYZ 0 842 0]] >> >>",
    )
    b.set_key(b.catalog, "Dests", f"<< /{key} [{page} 0 R /Fit] >>")
    return _case(
        "named-destination",
        b.save(),
        (tree, key),
        {},
        "named destinations: a /Names/Dests key (hex string) and a /Dests name",
    )


_BUILDERS: tuple[Callable[[], Case], ...] = (
    _withheld_paragraph,
    _black_box,
    _white_text,
    _invisible_text,
    _clipped_text,
    _tiny_text,
    _outside_cropbox,
    _outside_mediabox,
    _rotated_page,
    _tj_kerning,
    _withheld_span,
    _cid_font,
    _hidden_layer,
    _actualtext,
    _raster_image,
    _vector_outlines,
    _tiling_pattern,
    _form_xobject,
    _withheld_page,
    _incremental_update,
    _link_uri,
    _text_annotation,
    _freetext_annotation,
    _highlight_annotation,
    _form_field,
    _thumbnail,
    _pieceinfo,
    _struct_tree,
    _article_thread,
    _info_metadata,
    _xmp_metadata,
    _outline,
    _embedded_file,
    _javascript,
    _page_labels,
    _named_destination,
)


def build_cases() -> list[Case]:
    """Build every adversarial case afresh (deterministic)."""
    return [build() for build in _BUILDERS]


@cache
def cached_cases() -> tuple[Case, ...]:
    """The cases, built once per process (for tests that only read them)."""
    return tuple(build_cases())


def case_names() -> list[str]:
    """Names of all cases, in build order."""
    return [c.name for c in cached_cases()]


def get_case(name: str) -> Case:
    """The (cached) case called ``name``."""
    for case in cached_cases():
        if case.name == name:
            return case
    raise KeyError(name)


__all__ = [
    "Case",
    "VECTOR_RGB",
    "build_cases",
    "cached_cases",
    "case_names",
    "get_case",
]
