"""Sources and independent probes for the keep-list writer tests (``test_keeplist.py``).

Sources are one-page PDFs whose content streams and resources are written by hand with
pikepdf (raw operators: shadings, patterns, soft masks, nested forms, clipped and cropped
images, a purpose-built TrueType font). Every source carries the released paragraph
``PUBLIC`` near the top of the page and its secret elsewhere.

Outputs are read only with engines independent of the writer: pikepdf (objects, decoded
streams, images, fonts; fontTools for font programs) and pypdfium2 (text layer, character
boxes and font sizes, renderings). Rectangles are PDF points with a top-left origin,
measured from the top-left corner of the crop box (the rule language's coordinates for
the pages built here, whose crop box, when set, keeps the media box's top-left corner).
"""

from __future__ import annotations

import ctypes
import hashlib
import io
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pikepdf import Array, Dictionary, Name

from redactor.pipeline import Outputs, make_plan, release

PAGE_W = 595.0
PAGE_H = 842.0
PUBLIC = "Public paragraph alpha released to all."
PUBLIC_Y = 100.0  # baseline of the released paragraph
SIZE = 11.0
SCALE = 2.0  # rendering scale: pixels per point
PLACEHOLDER = "NOT DECLASSIFIED"

Rect = tuple[float, float, float, float]


# ---------------------------------------------------------------------------------------
# rule files


def rules_yaml(name: str, extra: str = "") -> str:
    """A version-1 rule file: the public paragraph released, ``extra`` rules, default withhold."""
    return (
        "version: 1\n"
        'document: {number: "TEST 1/26", dated: "2026-01-05", '
        'classification: "RESTREINT UE/EU RESTRICTED", '
        f'subject: "Keep-list case {name}"}}\n'
        'release: {extract: 1, date: "2026-02-01", place: Brussels, '
        'issuer: "TEST ISSUER", new_status: Public}\n'
        "default: withhold\nrules:\n"
        '  - id: public-para\n    release: {block: "^Public paragraph"}\n' + extra
    )


# ---------------------------------------------------------------------------------------
# building sources


def num(v: float) -> str:
    return f"{v:.3f}".rstrip("0").rstrip(".")


def pdf_y(y_top: float) -> float:
    """A top-left y as a PDF user-space y (bottom-left origin, media box at the origin)."""
    return PAGE_H - y_top


def esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def text_ops(x: float, y_top: float, text: str, size: float = SIZE, font: str = "F1", pre: str = "") -> str:
    """One line of text (WinAnsi Helvetica by default) with its baseline at top-left ``y_top``."""
    return f"BT {pre} /{font} {num(size)} Tf {num(x)} {num(pdf_y(y_top))} Td ({esc(text)}) Tj ET\n"


def public_ops() -> str:
    return text_ops(72, PUBLIC_Y, PUBLIC)


class Source:
    """A one-page PDF written with pikepdf: hand-written content and resources."""

    def __init__(self) -> None:
        self.pdf = pikepdf.new()
        self.helvetica = self.pdf.make_indirect(
            Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica, Encoding=Name.WinAnsiEncoding)
        )
        self.resources = Dictionary(Font=Dictionary(F1=self.helvetica))

    def add(self, category: str, name: str, obj: Any) -> None:
        """Put ``obj`` in the page resources under ``/category /name``."""
        key = Name("/" + category)
        if key not in self.resources:
            self.resources[key] = Dictionary()
        self.resources[key][Name("/" + name)] = obj

    def stream(self, data: bytes | str, **keys: Any) -> pikepdf.Stream:
        raw = data.encode("latin-1") if isinstance(data, str) else data
        return self.pdf.make_stream(raw, Dictionary(**keys) if keys else None)

    def form(self, ops: str, bbox: Rect = (0, 0, PAGE_W, PAGE_H), resources: Any = None, **keys: Any) -> pikepdf.Stream:
        """A Form XObject (``bbox`` in its own PDF units)."""
        res = resources if resources is not None else Dictionary(Font=Dictionary(F1=self.helvetica))
        return self.stream(ops, Type=Name.XObject, Subtype=Name.Form, BBox=Array(list(bbox)), Resources=res, **keys)

    def image(self, width: int, height: int, samples: bytes, colorspace: str = "DeviceRGB", **keys: Any) -> Any:
        """An 8-bit image XObject stored with Flate."""
        return self.pdf.make_stream(
            zlib.compress(samples),
            Dictionary(
                Type=Name.XObject,
                Subtype=Name.Image,
                Width=width,
                Height=height,
                ColorSpace=Name("/" + colorspace),
                BitsPerComponent=8,
                Filter=Name.FlateDecode,
                **keys,
            ),
        )

    def jpeg(self, data: bytes, width: int, height: int, **keys: Any) -> Any:
        """A DCT image XObject holding ``data`` byte for byte."""
        return self.pdf.make_stream(
            data,
            Dictionary(
                Type=Name.XObject,
                Subtype=Name.Image,
                Width=width,
                Height=height,
                ColorSpace=Name.DeviceRGB,
                BitsPerComponent=8,
                Filter=Name.DCTDecode,
                **keys,
            ),
        )

    def save(self, ops: str, cropbox: Rect | None = None) -> bytes:
        page = Dictionary(
            Type=Name.Page,
            MediaBox=Array([0, 0, PAGE_W, PAGE_H]),
            Resources=self.resources,
            Contents=self.stream(ops),
        )
        if cropbox is not None:
            page.CropBox = Array(list(cropbox))
        self.pdf.pages.append(pikepdf.Page(page))
        buf = io.BytesIO()
        self.pdf.save(buf, deterministic_id=True, compress_streams=True)
        return buf.getvalue()


def axial(c0: tuple[float, ...], c1: tuple[float, ...], coords: Rect, extend: bool) -> Dictionary:
    """An axial (type 2) DeviceRGB shading from ``c0`` to ``c1`` along ``coords`` (PDF units)."""
    return Dictionary(
        ShadingType=2,
        ColorSpace=Name.DeviceRGB,
        Coords=Array(list(coords)),
        Function=Dictionary(FunctionType=2, Domain=Array([0, 1]), C0=Array(list(c0)), C1=Array(list(c1)), N=1),
        Extend=Array([extend, extend]),
    )


def ascii_pixels(canary: str, count: int) -> bytes:
    """Gray samples spelling the canary's ASCII codes over and over."""
    raw = canary.encode("ascii") + b" "
    return (raw * (count // len(raw) + 1))[:count]


# ---------------------------------------------------------------------------------------
# a purpose-built TrueType font: one unmistakable outline per character

FONT_FAMILY = "KeepListSans"
SUBSET_TAG = "KLAAAA"
SPACE_WIDTH = 280
PLAIN_WIDTH = 600


def _hole(code: int) -> tuple[int, int]:
    """Where a character's square hole sits: unique for every code from 32 to 126."""
    return 70 + (code % 20) * 22, 80 + ((code // 20) % 6) * 100


def glyph_name(ch: str) -> str:
    return "space" if ch == " " else f"g{ord(ch):04X}"


@dataclass(frozen=True)
class TestFont:
    """A TrueType program and how the PDF encodes it (Identity-H: code = glyph id)."""

    program: bytes
    gids: dict[str, int]  # character -> glyph id
    widths: dict[str, int]  # character -> advance (1/1000 em)

    def encode(self, text: str) -> str:
        """``text`` as a hex string of two-byte glyph ids, for ``Tj``."""
        return "<" + "".join(f"{self.gids[c]:04X}" for c in text) + ">"


def build_font(chars: str, widths: dict[str, int]) -> TestFont:
    """A TrueType font with a glyph for each of ``chars``: a block with a hole unique to it."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    ordered = sorted(set(chars) - {" "})
    names = [".notdef", "space"] + [glyph_name(c) for c in ordered]
    advance = {c: widths.get(c, PLAIN_WIDTH) for c in ordered}
    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap({32: "space", **{ord(c): glyph_name(c) for c in ordered}})
    glyphs: dict[str, Any] = {}
    metrics: dict[str, tuple[int, int]] = {}
    glyphs[".notdef"] = TTGlyphPen(None).glyph()
    glyphs["space"] = TTGlyphPen(None).glyph()
    metrics[".notdef"] = (PLAIN_WIDTH, 0)
    metrics["space"] = (SPACE_WIDTH, 0)
    for c in ordered:
        pen = TTGlyphPen(None)
        w = advance[c]
        pen.moveTo((50, 0))
        pen.lineTo((50, 700))
        pen.lineTo((w - 50, 700))
        pen.lineTo((w - 50, 0))
        pen.closePath()
        hx, hy = _hole(ord(c))
        pen.moveTo((hx, hy))
        pen.lineTo((hx + 16, hy))
        pen.lineTo((hx + 16, hy + 16))
        pen.lineTo((hx, hy + 16))
        pen.closePath()
        glyphs[glyph_name(c)] = pen.glyph()
        metrics[glyph_name(c)] = (w, 50)
    fb.setupGlyf(glyphs)
    fb.setupHorizontalMetrics(metrics)
    fb.setupHorizontalHeader(ascent=800, descent=-200)
    fb.setupNameTable({"familyName": FONT_FAMILY, "styleName": "Regular"})
    fb.setupOS2(sTypoAscender=800, sTypoDescender=-200, usWinAscent=800, usWinDescent=200)
    fb.setupPost()
    buf = io.BytesIO()
    fb.save(buf)
    gids = {" ": 1, **{c: names.index(glyph_name(c)) for c in ordered}}
    return TestFont(buf.getvalue(), gids, {" ": SPACE_WIDTH, **advance})


def _to_unicode_cmap(font: TestFont) -> bytes:
    pairs = sorted((gid, ch) for ch, gid in font.gids.items())
    lines = [f"<{gid:04X}> <{ch.encode('utf-16-be').hex().upper()}>" for gid, ch in pairs]
    return (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        f"{len(lines)} beginbfchar\n" + "\n".join(lines) + "\nendbfchar\n"
        "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    ).encode("ascii")


def embed_font(src: Source, font: TestFont) -> Any:
    """The font as a Type0 (Identity-H, CIDFontType2) dictionary with widths and ToUnicode."""
    name = Name(f"/{SUBSET_TAG}+{FONT_FAMILY}")
    w: list[Any] = []
    for ch, gid in sorted(font.gids.items(), key=lambda kv: kv[1]):
        w += [gid, Array([font.widths[ch]])]
    descriptor = Dictionary(
        Type=Name.FontDescriptor,
        FontName=name,
        Flags=32,
        FontBBox=Array([0, -200, 1000, 800]),
        ItalicAngle=0,
        Ascent=800,
        Descent=-200,
        CapHeight=700,
        StemV=80,
        FontFile2=src.pdf.make_stream(font.program),
    )
    cid = Dictionary(
        Type=Name.Font,
        Subtype=Name.CIDFontType2,
        BaseFont=name,
        CIDSystemInfo=Dictionary(Registry="Adobe", Ordering="Identity", Supplement=0),
        FontDescriptor=src.pdf.make_indirect(descriptor),
        DW=PLAIN_WIDTH,
        W=Array(w),
        CIDToGIDMap=Name.Identity,
    )
    type0 = Dictionary(
        Type=Name.Font,
        Subtype=Name.Type0,
        BaseFont=name,
        Encoding=Name("/Identity-H"),
        DescendantFonts=Array([src.pdf.make_indirect(cid)]),
        ToUnicode=src.pdf.make_stream(_to_unicode_cmap(font)),
    )
    return src.pdf.make_indirect(type0)


def font_text_ops(font: TestFont, x: float, y_top: float, text: str, name: str = "F2", size: float = SIZE) -> str:
    return f"BT /{name} {num(size)} Tf {num(x)} {num(pdf_y(y_top))} Td {font.encode(text)} Tj ET\n"


# ---------------------------------------------------------------------------------------
# running the release


def run_release(folder: Path, name: str, source: bytes, rules: str) -> Path:
    """Plan and write the extract (writer only, ``verify=False``); the extract's path."""
    src = folder / f"{name}-source.pdf"
    src.write_bytes(source)
    rule_file = folder / f"{name}.yaml"
    rule_file.write_text(rules, encoding="utf-8")
    out = folder / f"{name}-extract.pdf"
    plan = make_plan(src, rule_file)
    release(plan, src, Outputs(out), verify=False)
    return out


# ---------------------------------------------------------------------------------------
# PDFium: text, characters, renderings


@dataclass(frozen=True)
class Char:
    ch: str
    box: Rect  # tight glyph box, top-left points from the crop box's top-left corner
    size: float
    font: str


class View:
    """One page as PDFium sees it (the last page by default: an extract's kept page)."""

    def __init__(self, pdf: Path | bytes, index: int = -1) -> None:
        data = pdf.read_bytes() if isinstance(pdf, Path) else pdf
        self.doc = pdfium.PdfDocument(data)
        self.page = self.doc[index if index >= 0 else len(self.doc) + index]
        self.left, _bottom, _right, self.top = self.page.get_cropbox()

    @cached_property
    def textpage(self) -> Any:
        return self.page.get_textpage()

    @cached_property
    def text(self) -> str:
        """The page's text, whitespace collapsed."""
        return " ".join(self.textpage.get_text_range().split())

    @cached_property
    def chars(self) -> list[Char]:
        tp = self.textpage
        out: list[Char] = []
        for i in range(tp.count_chars()):
            ch = chr(pdfium_c.FPDFText_GetUnicode(tp.raw, i))
            left, bottom, right, top = tp.get_charbox(i)
            box = (left - self.left, self.top - top, right - self.left, self.top - bottom)
            size = float(pdfium_c.FPDFText_GetFontSize(tp.raw, i))
            out.append(Char(ch, box, size, _font_name(tp, i)))
        return out

    def find(self, needle: str) -> list[list[Char]]:
        """Every occurrence of ``needle`` among the page's characters (generated ones included)."""
        chars = self.chars
        line = "".join(c.ch for c in chars)
        return [chars[m.start() : m.start() + len(needle)] for m in re.finditer(re.escape(needle), line)]

    def box_of(self, needle: str) -> Rect:
        """The union of the first occurrence's character boxes."""
        found = self.find(needle)
        if not found:
            raise AssertionError(f"{needle!r} not in the page's text: {self.text!r}")
        return union(c.box for c in found[0] if c.ch.strip())

    def placeholder_boxes(self, pad: float = 1.5) -> list[Rect]:
        """Character boxes of every placeholder occurrence (grown by ``pad``)."""
        return [grow(c.box, pad) for occurrence in self.find(PLACEHOLDER) for c in occurrence if c.ch.strip()]

    @cached_property
    def pixels(self) -> np.ndarray:
        """An RGB rendering at :data:`SCALE` pixels per point."""
        image = self.page.render(scale=SCALE).to_pil().convert("RGB")
        return np.asarray(image, dtype=np.int16)

    def area(self, rect: Rect) -> np.ndarray:
        return crop(self.pixels, rect)

    def mask(self, rect: Rect, exclude: list[Rect]) -> np.ndarray:
        """Boolean mask over ``area(rect)``: False on pixels inside any ``exclude`` box."""
        sub = self.area(rect)
        keep = np.ones(sub.shape[:2], dtype=bool)
        x0, y0 = _px(rect[0]), _px(rect[1])
        for ex in exclude:
            ex0, ey0 = max(_px(ex[0]) - x0, 0), max(_px(ex[1]) - y0, 0)
            ex1, ey1 = max(_px_up(ex[2]) - x0, 0), max(_px_up(ex[3]) - y0, 0)
            keep[ey0:ey1, ex0:ex1] = False
        return keep

    def ink(self, rect: Rect, exclude: list[Rect] | None = None, level: int = 200) -> int:
        """Pixels in ``rect`` darker than ``level`` in some channel, outside ``exclude`` boxes."""
        sub = self.area(rect)
        dark = sub.min(axis=2) < level
        return int((dark & self.mask(rect, exclude or [])).sum())

    def colour_count(
        self, rect: Rect, rgb: tuple[int, int, int], tol: int = 40, exclude: list[Rect] | None = None
    ) -> int:
        """Pixels in ``rect`` within ``tol`` (each channel) of ``rgb``, outside ``exclude`` boxes."""
        sub = self.area(rect)
        near = (np.abs(sub - np.array(rgb, dtype=np.int16)) <= tol).all(axis=2)
        return int((near & self.mask(rect, exclude or [])).sum())

    def saturated(self, rect: Rect, exclude: list[Rect] | None = None, spread: int = 60) -> int:
        """Pixels in ``rect`` that are clearly coloured (not white, gray or black)."""
        sub = self.area(rect)
        coloured = (sub.max(axis=2) - sub.min(axis=2)) > spread
        return int((coloured & self.mask(rect, exclude or [])).sum())


def _font_name(tp: Any, index: int) -> str:
    n = pdfium_c.FPDFText_GetFontInfo(tp.raw, index, None, 0, None)
    if n <= 0:
        return ""
    buf = ctypes.create_string_buffer(n)
    flags = ctypes.c_int()
    pdfium_c.FPDFText_GetFontInfo(tp.raw, index, buf, n, ctypes.byref(flags))
    return buf.value.decode("utf-8", "replace")


def _px(v: float) -> int:
    return max(int(v * SCALE), 0)


def _px_up(v: float) -> int:
    return max(int(np.ceil(v * SCALE)), 0)


def crop(pixels: np.ndarray, rect: Rect) -> np.ndarray:
    return pixels[_px(rect[1]) : _px_up(rect[3]), _px(rect[0]) : _px_up(rect[2])]


def union(rects: Any) -> Rect:
    rs = list(rects)
    return (min(r[0] for r in rs), min(r[1] for r in rs), max(r[2] for r in rs), max(r[3] for r in rs))


def grow(r: Rect, d: float) -> Rect:
    return (r[0] - d, r[1] - d, r[2] + d, r[3] + d)


def strip_subset(name: str) -> str:
    return re.sub(r"^[A-Z]{6}\+", "", name.lstrip("/"))


# ---------------------------------------------------------------------------------------
# pikepdf: bytes, streams, content, images, fonts


def open_pdf(path: Path) -> pikepdf.Pdf:
    return pikepdf.open(path)


def _streams(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Stream]:
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream):
            yield obj


def file_data(path: Path) -> bytes:
    """The raw file, every stream raw and decoded as far as pikepdf can, every object unparsed."""
    chunks = [path.read_bytes()]
    with open_pdf(path) as pdf:
        for obj in pdf.objects:
            try:
                chunks.append(obj.unparse())
            except Exception:  # noqa: BLE001 - an odd object must not hide the others
                pass
            if isinstance(obj, pikepdf.Stream):
                chunks.append(obj.read_raw_bytes())
                try:
                    chunks.append(obj.read_bytes())
                except Exception:  # noqa: BLE001 - specialised filters (DCT, JBIG2) stay raw
                    pass
        chunks.append(pdf.trailer.unparse())
    return b"\n".join(chunks)


def spellings(canary: str) -> list[bytes]:
    """How a string can sit in a PDF: latin-1, UTF-16 (both orders), hex (both cases)."""
    raw = canary.encode("latin-1")
    return [
        raw,
        canary.encode("utf-16-be"),
        canary.encode("utf-16-le"),
        raw.hex().encode(),
        raw.hex().upper().encode(),
    ]


def contains(data: bytes, canary: str) -> bool:
    return any(s in data for s in spellings(canary))


def content_streams(pdf: pikepdf.Pdf) -> list[Any]:
    """Page contents and every stream that is drawn as content: forms, tiling patterns, Type 3 glyphs."""
    targets: list[Any] = list(pdf.pages)
    for obj in _streams(pdf):
        if obj.get("/Subtype") == Name.Form or obj.get("/PatternType") is not None:
            targets.append(obj)
    for obj in pdf.objects:
        if isinstance(obj, Dictionary) and obj.get("/Subtype") == Name.Type3:
            for proc in (obj.get("/CharProcs") or Dictionary()).values():
                targets.append(proc)
    return targets


def kept_page_streams(pdf: pikepdf.Pdf) -> list[Any]:
    """The last page and every form, pattern or glyph procedure reachable from it."""
    page = pdf.pages[-1]
    targets: list[Any] = [page]
    for obj in reachable(page.obj):
        if isinstance(obj, pikepdf.Stream):
            if obj.get("/Subtype") == Name.Form or obj.get("/PatternType") is not None:
                targets.append(obj)
        elif obj.get("/Subtype") == Name.Type3:
            targets.extend((obj.get("/CharProcs") or Dictionary()).values())
    return targets


def shown_text(path: Path) -> str:
    """Every string shown by a text operator in any content stream (latin-1), joined per stream."""
    parts: list[str] = []
    with open_pdf(path) as pdf:
        for target in content_streams(pdf):
            try:
                instructions = pikepdf.parse_content_stream(target)
            except Exception:  # noqa: BLE001
                continue
            pieces: list[str] = []
            for ins in instructions:
                op = str(getattr(ins, "operator", ""))
                if op in ("Tj", "'", '"'):
                    pieces.append(bytes(ins.operands[-1]).decode("latin-1"))
                elif op == "TJ":
                    pieces.extend(bytes(o).decode("latin-1") for o in ins.operands[0] if isinstance(o, pikepdf.String))
            parts.append("".join(pieces))
    return "\n".join(parts)


_FILL = {"f", "F", "f*", "b", "b*", "B", "B*"}
_STROKE = {"S", "s", "b", "b*", "B", "B*"}


def _close(values: Any, rgb: tuple[float, float, float], tol: float = 0.004) -> bool:
    try:
        vs = [float(v) for v in values]
    except (TypeError, ValueError):
        return False
    return len(vs) == 3 and all(abs(a - b) <= tol for a, b in zip(vs, rgb, strict=True))


def painted_in(path: Path, rgb: tuple[float, float, float]) -> list[str]:
    """Path-painting operators issued while ``rgb`` (DeviceRGB) is the fill or stroke colour."""
    hits: list[str] = []
    with open_pdf(path) as pdf:
        for n, target in enumerate(content_streams(pdf)):
            try:
                instructions = pikepdf.parse_content_stream(target)
            except Exception:  # noqa: BLE001
                continue
            fill: Any = ()
            stroke: Any = ()
            stack: list[tuple[Any, Any]] = []
            for ins in instructions:
                op = str(getattr(ins, "operator", ""))
                operands = list(getattr(ins, "operands", []))
                if op == "q":
                    stack.append((fill, stroke))
                elif op == "Q" and stack:
                    fill, stroke = stack.pop()
                elif op in ("rg", "sc", "scn", "g", "k"):
                    fill = operands
                elif op in ("RG", "SC", "SCN", "G", "K"):
                    stroke = operands
                elif (op in _FILL and _close(fill, rgb)) or (op in _STROKE and _close(stroke, rgb)):
                    hits.append(f"content #{n}: {op}")
    return hits


def images(path: Path) -> list[tuple[str, Any]]:
    """Every image in the file, decoded by pikepdf (XObjects anywhere, soft masks, inline images)."""
    out: list[tuple[str, Any]] = []
    with open_pdf(path) as pdf:
        for obj in _streams(pdf):
            if obj.get("/Subtype") == Name.Image:
                try:
                    out.append((f"object {obj.objgen[0]}", pikepdf.PdfImage(obj).as_pil_image().copy()))
                except Exception as exc:  # noqa: BLE001
                    out.append((f"object {obj.objgen[0]} (undecodable: {exc})", None))
        for n, target in enumerate(content_streams(pdf)):
            try:
                instructions = pikepdf.parse_content_stream(target)
            except Exception:  # noqa: BLE001
                continue
            for ins in instructions:
                inline = getattr(ins, "iimage", None)
                if inline is not None:
                    try:
                        out.append((f"inline image in content #{n}", inline.as_pil_image().copy()))
                    except Exception as exc:  # noqa: BLE001
                        out.append((f"inline image in content #{n} (undecodable: {exc})", None))
    return out


def image_colour_pixels(path: Path, rgb: tuple[int, int, int], tol: int = 50) -> dict[str, int]:
    """Per image: how many decoded pixels lie within ``tol`` of ``rgb`` (only images that have any).

    An image pikepdf cannot decode is listed with -1: its pixels cannot be shown to be clean.
    """
    found: dict[str, int] = {}
    for where, image in images(path):
        if image is None:
            found[where] = -1
            continue
        arr = np.asarray(image.convert("RGB"), dtype=np.int16)
        n = int((np.abs(arr - np.array(rgb, dtype=np.int16)) <= tol).all(axis=2).sum())
        if n:
            found[where] = n
    return found


def image_sample_md5s(path: Path) -> set[str]:
    """md5 of every image stream's raw and decoded bytes."""
    out: set[str] = set()
    with open_pdf(path) as pdf:
        for obj in _streams(pdf):
            if obj.get("/Subtype") != Name.Image and "/Width" not in obj:
                continue
            out.add(hashlib.md5(obj.read_raw_bytes()).hexdigest())
            try:
                out.add(hashlib.md5(obj.read_bytes()).hexdigest())
            except Exception:  # noqa: BLE001
                pass
    return out


def image_keys(path: Path, key: str) -> list[str]:
    """Image XObjects that carry ``key`` (e.g. ``/Alternates``, ``/Metadata``)."""
    with open_pdf(path) as pdf:
        return [f"object {o.objgen[0]}" for o in _streams(pdf) if o.get("/Subtype") == Name.Image and key in o]


# fonts -------------------------------------------------------------------------------


def reachable(root: Any) -> Iterator[Any]:
    """Every dictionary and stream reachable from ``root`` (``/Parent`` links not followed)."""
    seen: set[tuple[int, int]] = set()
    todo = [root]
    while todo:
        obj = todo.pop()
        if getattr(obj, "is_indirect", False):
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
        if isinstance(obj, Dictionary | pikepdf.Stream):
            yield obj
            for key, value in obj.items():
                if key != "/Parent" and isinstance(value, Dictionary | pikepdf.Stream | Array):
                    todo.append(value)
        elif isinstance(obj, Array):
            todo.extend(v for v in obj if isinstance(v, Dictionary | pikepdf.Stream | Array))


def _is_font(obj: Any) -> bool:
    return obj.get("/Type") == Name.Font or obj.get("/Subtype") in (
        Name.Type0,
        Name.Type1,
        Name.TrueType,
        Name.Type3,
        Name.MMType1,
    )


def parse_to_unicode(data: bytes) -> dict[int, str]:
    """A ToUnicode CMap's code -> text mapping (bfchar and bfrange)."""
    out: dict[int, str] = {}

    def text(hexstr: bytes) -> str:
        raw = bytes.fromhex(hexstr.decode())
        return raw.decode("utf-16-be", "replace") if len(raw) % 2 == 0 else raw.decode("latin-1")

    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            out[int(src, 16)] = text(dst)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, rest in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])", block):
            first, last = int(lo, 16), int(hi, 16)
            if rest.startswith(b"["):
                for i, dst in enumerate(re.findall(rb"<([0-9A-Fa-f]*)>", rest)):
                    out[first + i] = text(dst)
            else:
                base = bytes.fromhex(rest[1:-1].decode())
                for i in range(last - first + 1):
                    value = int.from_bytes(base, "big") + i
                    out[first + i] = text(value.to_bytes(len(base), "big").hex().encode())
    return out


def _descendant(font: Any) -> Any:
    kids = font.get("/DescendantFonts")
    return kids[0] if kids is not None and len(kids) else None


def font_programs(font: Any) -> list[bytes]:
    """The embedded font programs of a font dictionary (its descendant's, for Type0)."""
    out = []
    for f in (font, _descendant(font)):
        if f is None:
            continue
        descriptor = f.get("/FontDescriptor")
        if descriptor is None:
            continue
        for key in ("/FontFile", "/FontFile2", "/FontFile3"):
            if key in descriptor:
                out.append(descriptor[key].read_bytes())
    return out


def font_widths(font: Any) -> set[int]:
    """Every width a font dictionary lists (/Widths, /W, /DW)."""
    out: set[int] = set()
    for w in font.get("/Widths") or []:
        out.add(round(float(w)))
    cid = _descendant(font)
    if cid is not None:
        w_array = list(cid.get("/W") or [])
        i = 0
        while i < len(w_array):
            if i + 1 < len(w_array) and isinstance(w_array[i + 1], Array):
                out.update(round(float(v)) for v in w_array[i + 1])
                i += 2
            else:
                if i + 2 < len(w_array):
                    out.add(round(float(w_array[i + 2])))
                i += 3
        if "/DW" in cid:
            out.add(round(float(cid.DW)))
    return out


def outline_signatures(program: bytes) -> dict[str, frozenset[tuple[int, int]]]:
    """Glyph name -> the set of its outline's points, for a TrueType/OpenType or bare CFF program."""
    from fontTools.pens.recordingPen import RecordingPen

    glyph_sets: list[Any] = []
    try:
        from fontTools.ttLib import TTFont

        glyph_sets.append(TTFont(io.BytesIO(program)).getGlyphSet())
    except Exception:  # noqa: BLE001 - maybe a bare CFF program (FontFile3 /Type1C)
        try:
            from fontTools.cffLib import CFFFontSet

            cff = CFFFontSet()
            cff.decompile(io.BytesIO(program), None)
            glyph_sets.extend(cff[name].CharStrings for name in cff.fontNames)
        except Exception:  # noqa: BLE001
            return {}
    out: dict[str, frozenset[tuple[int, int]]] = {}
    for glyph_set in glyph_sets:
        for name in list(glyph_set.keys()):
            pen = RecordingPen()
            try:
                glyph_set[name].draw(pen)
            except Exception:  # noqa: BLE001
                continue
            points = {(round(x), round(y)) for _op, args in pen.value for (x, y) in args}
            if points:
                out[name] = frozenset(points)
    return out


def secret_signatures(font: TestFont, letters: str) -> dict[str, frozenset[tuple[int, int]]]:
    """The outlines of ``letters`` in the test font, by letter."""
    sigs = outline_signatures(font.program)
    return {c: sigs[glyph_name(c)] for c in letters}


@dataclass(frozen=True)
class FontFindings:
    """Where a set of letters is still provided by the fonts of a file."""

    to_unicode: list[str]
    programs: list[str]
    widths: list[str]

    def __bool__(self) -> bool:
        return bool(self.to_unicode or self.programs or self.widths)


def font_findings(
    path: Path, letters: str, signatures: dict[str, frozenset[Any]], secret_widths: set[int]
) -> FontFindings:
    """Fonts that still provide ``letters``.

    ToUnicode: fonts reachable from the last page, and any font of the test family, mapping
    a code to one of the letters. Programs: any embedded program in the file with a glyph
    whose outline is a letter's. Widths: a font of the test family listing a letter's width
    (those widths are unique to the letters).
    """
    to_unicode: list[str] = []
    programs: list[str] = []
    widths: list[str] = []
    wanted = set(letters)
    all_sigs = set(signatures.values())
    with open_pdf(path) as pdf:
        on_page = {f.objgen for f in reachable(pdf.pages[-1].obj) if _is_font(f) and f.is_indirect}
        fonts = [o for o in pdf.objects if isinstance(o, Dictionary) and _is_font(o)]
        for font in fonts:
            label = f"font {font.objgen[0]} {font.get('/BaseFont', '')}"
            family = FONT_FAMILY in str(font.get("/BaseFont", ""))
            sigs: dict[str, frozenset[Any]] = {}
            for program in font_programs(font):
                sigs.update(outline_signatures(program))
            family = family or bool(set(sigs.values()) & all_sigs) or any(_family_shape(s) for s in sigs.values())
            if font.objgen in on_page or family:
                cmap = font.get("/ToUnicode")
                if isinstance(cmap, pikepdf.Stream):
                    mapped = {t for t in parse_to_unicode(cmap.read_bytes()).values() if t in wanted}
                    if mapped:
                        to_unicode.append(f"{label}: ToUnicode maps {''.join(sorted(mapped))}")
            leaked = sorted(c for c, sig in signatures.items() if sig in set(sigs.values()))
            if leaked:
                programs.append(f"{label}: program draws {''.join(leaked)}")
            if family:
                listed = sorted(font_widths(font) & secret_widths)
                if listed:
                    widths.append(f"{label}: widths list {listed}")
    return FontFindings(to_unicode, programs, widths)


def _family_shape(sig: frozenset[tuple[int, int]]) -> bool:
    """A glyph of the test family: a block from y 0 to 700 with one 16-unit square hole."""
    xs = sorted({x for x, _ in sig})
    ys = sorted({y for _, y in sig})
    hole = any(b - a == 16 for a, b in zip(xs, xs[1:], strict=False))
    return len(sig) == 8 and 50 in xs and 0 in ys and 700 in ys and hole
