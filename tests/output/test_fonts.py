"""Unit tests of redactor.output.fonts: fonts cut down to the glyphs the pages still draw.

Each case builds a one-page PDF whose font numbers its glyphs (or codes) in order of first
use, as cairo, reportlab and typesetting subsets do, draws a released line and a secret
line, and removes the secret line with PyMuPDF's redaction, which keeps the font whole.
Then :func:`subset_fonts` runs, the document is saved the way the extract is saved, and
the result is read back with pikepdf, fontTools and pypdfium2: the glyph outlines of the
letters only the secret used are gone from the program, no ToUnicode entry and no width
is left for them, and the released line still reads and renders the same.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pikepdf
import pymupdf
import pypdfium2
import pytest
from fontTools.cffLib import CFFFontSet, FDArrayIndex, FDSelect, FontDict
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.recordingPen import DecomposingRecordingPen, RecordingPen
from fontTools.pens.t2CharStringPen import T2CharStringPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable
from fontTools.ttLib.tables._c_m_a_p import CmapSubtable

from redactor.output.fonts import FontReport, subset_fonts
from redactor.output.save import save_whole

RELEASED = "Released words"
SECRET = "Zyxvq secret"
#: Letters the secret line alone uses: Z y x v q c t.
SECRET_ONLY = set(SECRET) - set(RELEASED) - {" "}
FILE_ID = "0" * 32
SIZE = 24
PAGE = (420, 200)
RELEASED_BASELINE, SECRET_BASELINE = 140, 60  # PDF coordinates, from the bottom
ROOT = Path(__file__).resolve().parents[2]


# ---------------------------------------------------------------------------------------
# fonts in order of first use, made from fonts PyMuPDF ships


def _load(data: bytes) -> TTFont:
    """A fontTools font of an sfnt or of a bare CFF program."""
    if data[:1] == b"\x01":
        font = TTFont(sfntVersion="OTTO")
        table = newTable("CFF ")
        table.cff = CFFFontSet()
        table.cff.decompile(io.BytesIO(data), font)
        font["CFF "] = table
        font.setGlyphOrder(list(table.cff[table.cff.fontNames[0]].charset))
        return font
    return TTFont(io.BytesIO(data))


class _CffGlyph:
    def __init__(self, charstring: Any) -> None:
        self.charstring = charstring
        charstring.draw(RecordingPen())  # sets the width
        self.width = charstring.width

    def draw(self, pen: Any) -> None:
        self.charstring.draw(pen)


def _glyph_set(font: TTFont) -> dict[str, Any]:
    if "CFF " in font and "hmtx" not in font:
        top = font["CFF "].cff[font["CFF "].cff.fontNames[0]]
        return {name: _CffGlyph(top.CharStrings[name]) for name in top.charset}
    return dict(font.getGlyphSet())


def _outline(glyph: Any, glyphs: dict[str, Any]) -> tuple[Any, ...]:
    pen = DecomposingRecordingPen(glyphs)
    glyph.draw(pen)
    return tuple((op, tuple(tuple(float(v) for v in p) for p in args)) for op, args in pen.value)


def _outlines(data: bytes) -> set[tuple[Any, ...]]:
    """Every non-empty glyph outline of a font program."""
    font = _load(data)
    glyphs = _glyph_set(font)
    return {o for name in font.getGlyphOrder() if name in glyphs and (o := _outline(glyphs[name], glyphs))}


@pytest.fixture(scope="module")
def cjk_ttf() -> bytes:
    return bytes(pymupdf.Font("cjk").buffer)  # Droid Sans Fallback, TrueType


@pytest.fixture(scope="module")
def times_cff() -> bytes:
    return bytes(pymupdf.Font("tiro").buffer)  # Nimbus Roman, bare CFF


def _source_names(font: TTFont) -> dict[str, str]:
    """Character -> glyph name of the source font (its cmap, or the glyph names of a bare CFF)."""
    if "cmap" in font:
        return {chr(u): n for u, n in font.getBestCmap().items()}
    from fontTools import agl

    names: dict[str, str] = {}
    for name in font.getGlyphOrder():
        text = agl.toUnicode(name)
        if len(text) == 1:
            names.setdefault(text, name)
    return names


def _first_use(text: str) -> list[str]:
    chars: list[str] = []
    for char in text:
        if char not in chars:
            chars.append(char)
    return chars


def _first_use_font(source: bytes, chars: list[str], cff: bool) -> tuple[bytes, list[str], dict[str, float]]:
    """A font whose glyphs 1..n are the characters in first-use order (OpenType), its glyph
    names and the advance of each character in thousandths of the em."""
    src = _load(source)
    glyphs = _glyph_set(src)
    names = _source_names(src)
    units = src["head"].unitsPerEm if "head" in src else 1000
    order = [".notdef"] + [names[c] for c in chars]
    builder = FontBuilder(units, isTTF=not cff)
    builder.setupGlyphOrder(order)
    builder.setupCharacterMap({ord(c): names[c] for c in chars})
    widths = {name: glyphs[name].width for name in order}
    if cff:
        charstrings = {}
        for name in order:
            pen = T2CharStringPen(widths[name], None)
            glyphs[name].draw(pen)
            charstrings[name] = pen.getCharString()
        builder.setupCFF("TestFont", {}, charstrings, {})
    else:
        outlines = {}
        for name in order:
            pen = TTGlyphPen(None)
            recording = DecomposingRecordingPen(glyphs)
            glyphs[name].draw(recording)
            recording.replay(pen)
            outlines[name] = pen.glyph()
        builder.setupGlyf(outlines)
    builder.setupHorizontalMetrics({name: (int(widths[name]), 0) for name in order})
    builder.setupHorizontalHeader(ascent=int(units * 0.8), descent=-int(units * 0.2))
    builder.setupNameTable({"familyName": "TestFont", "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    buffer = io.BytesIO()
    builder.font.save(buffer)
    return buffer.getvalue(), order, {c: widths[names[c]] * 1000 / units for c in chars}


def _bare_cff(otf: bytes) -> bytes:
    font = TTFont(io.BytesIO(otf))
    return bytes(font["CFF "].compile(font))


def _cid_keyed_cff(otf: bytes, cid_of_gid: Callable[[int], int]) -> bytes:
    """The CFF of an OpenType font made CID-keyed, glyph g carrying the CID ``cid_of_gid(g)``."""
    font = TTFont(io.BytesIO(otf))
    cff = font["CFF "].cff
    top = cff[cff.fontNames[0]]
    fd = FontDict()
    fd.Private = top.Private
    fd.FontName = "TestFont-0"
    array = FDArrayIndex()
    array.append(fd)
    top.FDArray = array
    select = FDSelect()
    select.format = 3
    select.gidArray = [0] * len(top.charset)
    top.FDSelect = select
    top.ROS = ("Adobe", "Identity", 0)
    top.CIDCount = cid_of_gid(len(top.charset)) + 1
    del top.rawDict["Private"]
    del top.Private
    old = list(top.charset)
    new = [".notdef"] + [f"cid{cid_of_gid(g):05d}" for g in range(1, len(old))]
    top.CharStrings.charStrings = {n: top.CharStrings.charStrings[o] for o, n in zip(old, new, strict=True)}
    top.charset = new
    font.setGlyphOrder(new)
    buffer = io.BytesIO()
    cff.compile(buffer, font)
    return buffer.getvalue()


def _symbolic_cmaps(ttf: bytes, order: list[str]) -> bytes:
    """A TrueType font mapped the way simple-font generators map it: (3,0) at F000+code, (1,0) at code."""
    font = TTFont(io.BytesIO(ttf))
    symbol = CmapSubtable.newSubtable(4)
    symbol.platformID, symbol.platEncID, symbol.language = 3, 0, 0
    symbol.cmap = {0xF000 + code: name for code, name in enumerate(order) if code}
    mac = CmapSubtable.newSubtable(0)
    mac.platformID, mac.platEncID, mac.language = 1, 0, 0
    mac.cmap = {code: name for code, name in enumerate(order) if code}
    font["cmap"].tables = [symbol, mac]
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------
# the PDFs: built with pikepdf, the secret line removed with PyMuPDF


def _tounicode(codes: dict[str, bytes]) -> bytes:
    width = len(next(iter(codes.values())))
    entries = "".join(f"<{code.hex()}> <{ord(c):04X}>\n" for c, code in codes.items())
    return (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CMapName /Test-UCS def /CMapType 2 def\n"
        f"1 begincodespacerange <{'00' * width}> <{'FF' * width}> endcodespacerange\n"
        f"{len(codes)} beginbfchar\n{entries}endbfchar\n"
        "endcmap CMapName currentdict /CMap defineresource pop end end\n"
    ).encode()


def _descriptor(pdf: pikepdf.Pdf, key: str, program: bytes, subtype: str | None) -> pikepdf.Dictionary:
    stream = pikepdf.Stream(pdf, program)
    if subtype:
        stream.Subtype = pikepdf.Name(subtype)
    if key == "/FontFile2":
        stream.Length1 = len(program)
    return pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.FontDescriptor,
            FontName=pikepdf.Name("/ABCDEF+TestFont"),
            Flags=4,
            FontBBox=[-200, -300, 1200, 1000],
            ItalicAngle=0,
            Ascent=800,
            Descent=-200,
            CapHeight=700,
            StemV=80,
            **{key[1:]: stream},
        )
    )


def _page_pdf(font: pikepdf.Dictionary, pdf: pikepdf.Pdf, codes: dict[str, bytes]) -> bytes:
    def shown(text: str) -> str:
        return b"".join(codes[c] for c in text).hex()

    content = (
        f"BT /F1 {SIZE} Tf 20 {RELEASED_BASELINE} Td <{shown(RELEASED)}> Tj ET\n"
        f"BT /F1 {SIZE} Tf 20 {SECRET_BASELINE} Td <{shown(SECRET)}> Tj ET\n"
    ).encode()
    page = pdf.add_blank_page(page_size=PAGE)
    page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page.Contents = pdf.make_stream(content)
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def simple_truetype_pdf(cjk_ttf: bytes) -> tuple[bytes, dict[str, str]]:
    """A simple TrueType font, codes 1..n in first-use order, symbolic cmaps."""
    chars = _first_use(RELEASED + SECRET)
    program, order, widths = _first_use_font(cjk_ttf, chars, cff=False)
    program = _symbolic_cmaps(program, order)
    pdf = pikepdf.new()
    codes = {c: bytes([i + 1]) for i, c in enumerate(chars)}
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.TrueType,
            BaseFont=pikepdf.Name("/ABCDEF+TestFont"),
            FirstChar=1,
            LastChar=len(chars),
            Widths=[round(widths[c]) for c in chars],
            FontDescriptor=_descriptor(pdf, "/FontFile2", program, None),
            ToUnicode=pdf.make_stream(_tounicode(codes)),
        )
    )
    return _page_pdf(font, pdf, codes), dict(zip(chars, order[1:], strict=True))


def simple_type1c_pdf(times_cff: bytes) -> tuple[bytes, dict[str, str]]:
    """A Type1 font with a bare CFF program (FontFile3 /Type1C), a first-use /Differences encoding."""
    chars = _first_use(RELEASED + SECRET)
    program, order, widths = _first_use_font(times_cff, chars, cff=True)
    pdf = pikepdf.new()
    codes = {c: bytes([i + 1]) for i, c in enumerate(chars)}
    encoding = pikepdf.Dictionary(
        Type=pikepdf.Name.Encoding, Differences=[1, *(pikepdf.Name("/" + n) for n in order[1:])]
    )
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type1,
            BaseFont=pikepdf.Name("/ABCDEF+TestFont"),
            FirstChar=1,
            LastChar=len(chars),
            Widths=[round(widths[c]) for c in chars],
            Encoding=encoding,
            FontDescriptor=_descriptor(pdf, "/FontFile3", _bare_cff(program), "/Type1C"),
            ToUnicode=pdf.make_stream(_tounicode(codes)),
        )
    )
    return _page_pdf(font, pdf, codes), dict(zip(chars, order[1:], strict=True))


def type0_pdf(source: bytes, kind: str) -> tuple[bytes, dict[str, str]]:
    """A Type0 font, Identity-H, glyphs in first-use order (as cairo writes them).

    ``kind``: ``CIDFontType2`` (TrueType), ``CIDFontType0C`` (name-keyed CFF, CID = glyph, as
    MuPDF writes it) or ``CIDKeyed`` (CID-keyed CFF whose CIDs are not the glyph numbers).
    """
    chars = _first_use(RELEASED + SECRET)
    program, order, widths = _first_use_font(source, chars, cff=kind != "CIDFontType2")
    pdf = pikepdf.new()
    cid_of_gid = (lambda g: 10 + 3 * g) if kind == "CIDKeyed" else (lambda g: g)
    codes = {c: cid_of_gid(i + 1).to_bytes(2, "big") for i, c in enumerate(chars)}
    if kind == "CIDFontType2":
        descriptor = _descriptor(pdf, "/FontFile2", program, None)
    elif kind == "CIDFontType0C":
        descriptor = _descriptor(pdf, "/FontFile3", _bare_cff(program), "/CIDFontType0C")
    else:
        descriptor = _descriptor(pdf, "/FontFile3", _cid_keyed_cff(program, cid_of_gid), "/CIDFontType0C")
    w: list[Any] = []
    for c in chars:
        w += [int.from_bytes(codes[c], "big"), [round(widths[c])]]
    cid_font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name("/CIDFontType2" if kind == "CIDFontType2" else "/CIDFontType0"),
            BaseFont=pikepdf.Name("/ABCDEF+TestFont"),
            CIDSystemInfo=pikepdf.Dictionary(
                Registry=pikepdf.String("Adobe"), Ordering=pikepdf.String("Identity"), Supplement=0
            ),
            FontDescriptor=descriptor,
            W=w,
            **({"CIDToGIDMap": pikepdf.Name.Identity} if kind == "CIDFontType2" else {}),
        )
    )
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type0,
            BaseFont=pikepdf.Name("/ABCDEF+TestFont"),
            Encoding=pikepdf.Name("/Identity-H"),
            DescendantFonts=[cid_font],
            ToUnicode=pdf.make_stream(_tounicode(codes)),
        )
    )
    if kind == "CIDKeyed":
        names = {c: f"cid{cid_of_gid(i + 1):05d}" for i, c in enumerate(chars)}
    else:
        names = dict(zip(chars, order[1:], strict=True))
    return _page_pdf(font, pdf, codes), names


def pymupdf_pdf(font_buffer: bytes) -> bytes:
    """A page written by PyMuPDF ``insert_font``/``insert_text``: a whole font, Type0 Identity-H."""
    doc = pymupdf.open()
    page = doc.new_page(width=PAGE[0], height=PAGE[1])
    page.insert_font(fontname="F1", fontbuffer=font_buffer)
    page.insert_text((20, PAGE[1] - RELEASED_BASELINE), RELEASED, fontname="F1", fontsize=SIZE)
    page.insert_text((20, PAGE[1] - SECRET_BASELINE), SECRET, fontname="F1", fontsize=SIZE)
    return bytes(doc.tobytes())


def base14_pdf() -> bytes:
    doc = pymupdf.open()
    page = doc.new_page(width=PAGE[0], height=PAGE[1])
    page.insert_text((20, PAGE[1] - RELEASED_BASELINE), RELEASED, fontname="helv", fontsize=SIZE)
    page.insert_text((20, PAGE[1] - SECRET_BASELINE), SECRET, fontname="helv", fontsize=SIZE)
    return bytes(doc.tobytes())


def _remove_secret(data: bytes) -> pymupdf.Document:
    """The document with the secret line removed by redaction (the font stays whole)."""
    doc = pymupdf.open("pdf", data)
    page = doc[0]
    top = PAGE[1] - SECRET_BASELINE - SIZE
    page.add_redact_annot(pymupdf.Rect(0, top, PAGE[0], PAGE[1] - SECRET_BASELINE + SIZE / 2))
    page.apply_redactions()
    return doc


# ---------------------------------------------------------------------------------------
# reading the result with pikepdf, fontTools and pypdfium2


class Result:
    """The document after removal (``before``) and after :func:`subset_fonts` (``after``)."""

    def __init__(self, data: bytes) -> None:
        doc = _remove_secret(data)
        try:
            self.before = bytes(doc.tobytes(deflate=True))
            self.report = subset_fonts(doc)
            self.after = save_whole(doc, FILE_ID)
        finally:
            doc.close()


def _the_font(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
    """The one font of the test document (reached through the page or a form)."""
    fonts = [
        o
        for o in pdf.objects
        if isinstance(o, pikepdf.Dictionary)
        and o.get("/Type") == "/Font"
        and "/DescendantFonts" not in o
        and o.get("/Subtype") != "/CIDFontType2"
        and o.get("/Subtype") != "/CIDFontType0"
    ]
    fonts += [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and "/DescendantFonts" in o]
    fonts = [f for f in fonts if f.get("/Subtype") != "/Type0" or "/DescendantFonts" in f]
    assert len({f.objgen for f in fonts}) == 1, [f.get("/BaseFont") for f in fonts]
    return fonts[0]


def _cid_font(font: pikepdf.Dictionary) -> pikepdf.Dictionary:
    return font.DescendantFonts[0] if font.Subtype == "/Type0" else font


def _program(font: pikepdf.Dictionary) -> bytes:
    descriptor = _cid_font(font).FontDescriptor
    for key in ("/FontFile2", "/FontFile3", "/FontFile"):
        if key in descriptor:
            return bytes(descriptor[key].read_bytes())
    raise AssertionError("no program")


def _unicode_values(cmap: bytes) -> set[str]:
    """Every text a ToUnicode CMap maps a code to (bfchar and bfrange sections)."""
    values: set[str] = set()

    def text(hex_digits: bytes) -> str:
        return bytes.fromhex(hex_digits.decode()).decode("utf-16-be", "replace")

    for section in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        pairs = re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", section)
        values.update(text(dst) for _, dst in pairs)
    for section in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for lo, hi, dst, array in re.findall(
            rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(?:<([0-9A-Fa-f]+)>|\[([^\]]*)\])", section
        ):
            if array:
                values.update(text(d) for d in re.findall(rb"<([0-9A-Fa-f]+)>", array))
            else:
                start = int(dst, 16)
                values.update(chr(start + i) for i in range(int(hi, 16) - int(lo, 16) + 1) if start + i < 0x110000)
    return values


def _widths(font: pikepdf.Dictionary) -> dict[int, float]:
    """Code (simple font) or CID (Type0) -> width, for every non-zero width the font lists."""
    if font.Subtype != "/Type0":
        first = int(font.FirstChar)
        return {first + i: float(w) for i, w in enumerate(font.Widths) if float(w)}
    found: dict[int, float] = {}
    items = list(_cid_font(font).get("/W", []))
    i = 0
    while i < len(items):
        if isinstance(items[i + 1], pikepdf.Array):
            found.update({int(items[i]) + k: float(w) for k, w in enumerate(items[i + 1])})
            i += 2
        else:
            found.update({c: float(items[i + 2]) for c in range(int(items[i]), int(items[i + 1]) + 1)})
            i += 3
    return found


def _shown_codes(pdf: pikepdf.Pdf, width: int) -> set[int]:
    """The codes every content stream of the file shows."""
    codes: set[int] = set()
    streams = [pdf.pages[0].obj] + [
        o for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Form"
    ]
    for stream in streams:
        for instruction in pikepdf.parse_content_stream(stream):
            op = str(instruction.operator)
            strings = []
            if op == "Tj":
                strings = [bytes(instruction.operands[0])]
            elif op == "TJ":
                strings = [bytes(v) for v in instruction.operands[0] if isinstance(v, pikepdf.String)]
            for data in strings:
                codes.update(int.from_bytes(data[i : i + width], "big") for i in range(0, len(data), width))
    return codes


def _text(data: bytes) -> str:
    pdf = pypdfium2.PdfDocument(data)
    try:
        return "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()


def _pixels(data: bytes, page: int = 0, scale: float = 2.0) -> np.ndarray:
    pdf = pypdfium2.PdfDocument(data)
    try:
        return np.asarray(pdf[page].render(scale=scale).to_numpy(), dtype=int)
    finally:
        pdf.close()


def _changed_share(before: bytes, after: bytes, page: int = 0, scale: float = 2.0) -> float:
    """Share of pixels that differ visibly between two renderings of a page."""
    a, b = _pixels(before, page, scale), _pixels(after, page, scale)
    assert a.shape == b.shape
    return float((np.abs(a - b).max(axis=-1) > 64).mean())


def _reference_outlines(before: bytes, names: dict[str, str] | None) -> dict[str, tuple[Any, ...]]:
    """Outline of each letter of the test text in the font program as it was before the pass."""
    with pikepdf.open(io.BytesIO(before)) as pdf:
        program = _program(_the_font(pdf))
    font = _load(program)
    glyphs = _glyph_set(font)
    names = names or _source_names(font)
    return {c: _outline(glyphs[names[c]], glyphs) for c in set(RELEASED + SECRET) - {" "}}


def check(result: Result, names: dict[str, str] | None, renumbered: bool) -> None:
    """The checks every embedded case passes."""
    reference = _reference_outlines(result.before, names)
    assert RELEASED in _text(result.before)
    with pikepdf.open(io.BytesIO(result.after)) as pdf:
        font = _the_font(pdf)
        program = _program(font)
        outlines = _outlines(program)
        for char in SECRET_ONLY:
            assert reference[char] not in outlines, f"glyph of {char!r} still in the program"
        for char in set(RELEASED) - {" "}:
            assert reference[char] in outlines, f"glyph of {char!r} lost"
        values = _unicode_values(font.ToUnicode.read_bytes())
        assert not values & SECRET_ONLY, sorted(values & SECRET_ONLY)
        assert set(RELEASED) <= values
        width = 2 if font.Subtype == "/Type0" else 1
        shown = _shown_codes(pdf, width)
        assert set(_widths(font)) <= shown
        glyph_count = len(_load(program).getGlyphOrder())
        if renumbered:  # glyphs 1..n are the n characters shown, the codes follow them
            assert shown == set(range(1, len(set(RELEASED)) + 1))
            assert glyph_count == len(shown) + 1
    text = _text(result.after)
    assert RELEASED in text
    assert "Zyxvq" not in text and "secret" not in text
    assert _changed_share(result.before, result.after) < 0.001
    assert result.report.fonts_subset == 1
    assert result.report.glyphs_after < result.report.glyphs_before


# ---------------------------------------------------------------------------------------
# the cases


def test_simple_truetype_keeps_codes_and_drops_secret_glyphs(cjk_ttf: bytes) -> None:
    data, names = simple_truetype_pdf(cjk_ttf)
    result = Result(data)
    check(result, names, renumbered=False)
    with pikepdf.open(io.BytesIO(result.after)) as pdf:
        font = _the_font(pdf)
        assert int(font.FirstChar) == 1 and int(font.LastChar) <= len(set(RELEASED))
        program = _load(_program(font))
        assert len(program.getGlyphOrder()) == len(set(RELEASED)) + 1
        mapped = {(t.platformID, t.platEncID) for t in program["cmap"].tables if t.cmap}
        assert {(3, 0), (1, 0)} <= mapped  # both ways a reader finds the glyph of a code are kept


def test_simple_type1c_keeps_codes_and_drops_secret_glyphs(times_cff: bytes) -> None:
    data, names = simple_type1c_pdf(times_cff)
    result = Result(data)
    check(result, names, renumbered=False)
    with pikepdf.open(io.BytesIO(result.after)) as pdf:
        font = _the_font(pdf)
        named = {str(v)[1:] for v in font.Encoding.Differences if isinstance(v, pikepdf.Name)}
        assert named == {names[c] for c in set(RELEASED)}  # no glyph name of the secret left


@pytest.mark.parametrize("kind", ["CIDFontType2", "CIDFontType0C", "CIDKeyed"])
def test_type0_first_use_font_is_renumbered(kind: str, cjk_ttf: bytes, times_cff: bytes) -> None:
    data, names = type0_pdf(cjk_ttf if kind == "CIDFontType2" else times_cff, kind)
    result = Result(data)
    check(result, names, renumbered=True)
    assert result.report.fonts[0].renumbered
    with pikepdf.open(io.BytesIO(result.after)) as pdf:
        cid_font = _cid_font(_the_font(pdf))
        if kind == "CIDFontType2":
            assert cid_font.CIDToGIDMap == pikepdf.Name.Identity


@pytest.mark.parametrize("font", ["cjk", "tiro"])
def test_pymupdf_whole_font_is_cut_down(font: str) -> None:
    """PyMuPDF embeds the whole font (Droid Sans Fallback TrueType, Nimbus Roman CFF) as Type0."""
    result = Result(pymupdf_pdf(bytes(pymupdf.Font(font).buffer)))
    check(result, None, renumbered=True)
    outcome = result.report.fonts[0]
    assert outcome.glyphs_before > 600
    assert outcome.glyphs_after == len(set(RELEASED)) + 1


def test_text_inside_a_form_xobject_is_rewritten(cjk_ttf: bytes) -> None:
    """A page shown on another page is a Form XObject: its strings are renumbered too."""
    data, names = type0_pdf(cjk_ttf, "CIDFontType2")
    inner = _remove_secret(data)
    outer = pymupdf.open()
    page = outer.new_page(width=PAGE[0], height=PAGE[1])
    page.show_pdf_page(page.rect, inner, 0)
    before = bytes(outer.tobytes(deflate=True))
    report = subset_fonts(outer)
    after = save_whole(outer, FILE_ID)
    with pikepdf.open(io.BytesIO(after)) as pdf:
        assert not pdf.pages[0].Resources.get("/Font")  # the font is the form's
        assert _shown_codes(pdf, 2) == set(range(1, len(set(RELEASED)) + 1))
    assert report.fonts_subset == 1 and report.fonts[0].renumbered
    assert RELEASED in _text(after)
    assert _changed_share(before, after) < 0.001


def test_form_drawn_with_two_fonts_keeps_its_codes(cjk_ttf: bytes, times_cff: bytes) -> None:
    """A form without resources of its own draws with each page's /F1: its strings cannot be
    rewritten for both fonts, so neither is renumbered (both are still subset)."""
    out = pikepdf.new()
    fonts = []
    for data, _ in (type0_pdf(cjk_ttf, "CIDFontType2"), type0_pdf(times_cff, "CIDFontType0C")):
        with pikepdf.open(io.BytesIO(data)) as part:
            fonts.append(out.copy_foreign(part.pages[0].Resources.Font.F1))
    order = _first_use(RELEASED + SECRET)
    codes = b"".join((order.index(c) + 1).to_bytes(2, "big") for c in RELEASED)
    form = out.make_stream(
        f"BT /F1 {SIZE} Tf 20 {RELEASED_BASELINE} Td <{codes.hex()}> Tj ET".encode(),
        Type=pikepdf.Name.XObject,
        Subtype=pikepdf.Name.Form,
        BBox=[0, 0, *PAGE],
    )
    for font in fonts:
        page = out.add_blank_page(page_size=PAGE)
        page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font), XObject=pikepdf.Dictionary(X=form))
        page.Contents = out.make_stream(b"/X Do")
    buffer = io.BytesIO()
    out.save(buffer)
    doc = pymupdf.open("pdf", buffer.getvalue())
    before = bytes(doc.tobytes(deflate=True))
    report = subset_fonts(doc)
    after = save_whole(doc, FILE_ID)
    assert report.fonts_subset == 2
    assert not any(f.renumbered for f in report.fonts)
    for page in range(2):
        assert RELEASED in pypdfium2.PdfDocument(after)[page].get_textpage().get_text_range()
        assert _changed_share(before, after, page) < 0.001


def test_base14_font_is_left_alone() -> None:
    result = Result(base14_pdf())
    assert result.report.fonts == ()
    assert RELEASED in _text(result.after)
    assert _changed_share(result.before, result.after) < 0.001


def test_type3_font_keeps_the_glyph_procedures_shown() -> None:
    pdf = pikepdf.new()
    procs = {
        name: pdf.make_stream(f"{w} 0 0 0 {w - 100} 700 d1 0 0 {w - 100} 700 re f".encode())
        for name, w in (("R", 600), ("e", 500), ("Z", 700))
    }
    codes = {"R": b"\x01", "e": b"\x02", "Z": b"\x03"}
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type3,
            FontBBox=[0, 0, 1000, 1000],
            FontMatrix=[0.001, 0, 0, 0.001, 0, 0],
            CharProcs=pikepdf.Dictionary({"/" + n: s for n, s in procs.items()}),
            Encoding=pikepdf.Dictionary(
                Type=pikepdf.Name.Encoding, Differences=[1, *map(pikepdf.Name, ["/R", "/e", "/Z"])]
            ),
            FirstChar=1,
            LastChar=3,
            Widths=[600, 500, 700],
            ToUnicode=pdf.make_stream(_tounicode(codes)),
        )
    )
    content = (
        f"BT /F1 {SIZE} Tf 20 {RELEASED_BASELINE} Td <0102> Tj ET BT /F1 {SIZE} Tf 20 {SECRET_BASELINE} Td <03> Tj ET"
    )
    page = pdf.add_blank_page(page_size=PAGE)
    page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page.Contents = pdf.make_stream(content.encode())
    buffer = io.BytesIO()
    pdf.save(buffer)
    result = Result(buffer.getvalue())
    with pikepdf.open(io.BytesIO(result.after)) as out:
        font = out.pages[0].Resources.Font.F1
        assert set(font.CharProcs.keys()) == {"/R", "/e"}
        assert [str(v) for v in font.Encoding.Differences if isinstance(v, pikepdf.Name)] == ["/R", "/e"]
        assert [float(w) for w in font.Widths] == [600, 500] and int(font.LastChar) == 2
        assert _unicode_values(font.ToUnicode.read_bytes()) == {"R", "e"}
    assert result.report.fonts[0].glyphs_before == 3 and result.report.fonts[0].glyphs_after == 2
    assert _changed_share(result.before, result.after) < 0.001


def test_unreadable_program_is_reported_and_its_maps_still_reduced(cjk_ttf: bytes) -> None:
    data, _ = simple_truetype_pdf(cjk_ttf)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        descriptor = _the_font(pdf).FontDescriptor
        descriptor.FontFile2 = pikepdf.Stream(pdf, b"\x00\x01\x00\x00" + b"\xff" * 64)
        buffer = io.BytesIO()
        pdf.save(buffer)
    result = Result(buffer.getvalue())  # must not raise
    (outcome,) = result.report.fonts
    assert outcome.action == "reduced" and outcome.reason.startswith("program not subset")
    assert result.report.skipped == ((outcome.name, outcome.reason),)
    with pikepdf.open(io.BytesIO(result.after)) as pdf:
        font = _the_font(pdf)
        assert not _unicode_values(font.ToUnicode.read_bytes()) & SECRET_ONLY
        assert set(_widths(font)) <= _shown_codes(pdf, 1)


# ---------------------------------------------------------------------------------------
# the bundled sample


def _glyph_counts(data: bytes) -> dict[str, int]:
    counts: dict[str, int] = {}
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
                for key in ("/FontFile2", "/FontFile3"):
                    if key in obj:
                        counts[str(obj.FontName)] = len(_load(bytes(obj[key].read_bytes())).getGlyphOrder())
    return counts


def test_sample_extract_fonts_are_cut_down(monkeypatch: pytest.MonkeyPatch) -> None:
    from redactor.pipeline import make_plan
    from redactor.render import extract as extract_module

    source = ROOT / "samples" / "16014-12-add1-rev2.pdf"
    plan = make_plan(source, ROOT / "rules" / "16014-12-ext1.yaml")
    subset = extract_module.render_extract(plan, str(source)).pdf
    monkeypatch.setattr(extract_module, "subset_fonts", lambda doc: FontReport())
    whole = extract_module.render_extract(plan, str(source)).pdf
    before, after = _glyph_counts(whole), _glyph_counts(subset)
    assert before and set(before) == set(after)
    for name, count in before.items():
        assert after[name] < count / 4, (name, count, after[name])
    assert len(subset) < len(whole)
    pages = len(pypdfium2.PdfDocument(whole))
    for page in range(pages):
        a, b = pypdfium2.PdfDocument(whole)[page], pypdfium2.PdfDocument(subset)[page]
        assert a.get_textpage().get_text_range() == b.get_textpage().get_text_range(), page
        assert _changed_share(whole, subset, page, scale=1.0) < 0.001, page
