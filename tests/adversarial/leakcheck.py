"""Independent leak checker: finds canary secrets in a PDF without PyMuPDF.

The redactor writes its extract with PyMuPDF; a checker built on the same library would
share its blind spots (clipped text, hidden layers, patterns...). This one reads the file
with pikepdf (qpdf) and pdfminer.six and plain byte scanning:

- the raw file bytes (ASCII, UTF-16BE/LE and hex spellings of each canary);
- every ``stream`` ... ``endstream`` segment of the raw file, inflated when it is Flate,
  whether or not any cross-reference table still points at it;
- every revision of the file (each prefix ending in ``%%EOF``), opened with pikepdf: all
  strings (raw and decoded, PDFDocEncoding or UTF-16BE with BOM), all names and dictionary
  keys (``#xx`` escapes decoded), every stream decoded (raw bytes when a filter cannot be
  decoded), the trailer;
- the text of every content stream (pages, Form XObjects, patterns, appearance streams,
  Type 3 glyphs), with the string operands of ``Tj``/``TJ``/``'``/``"`` joined across TJ
  arrays, kerning and text objects, decoded through each font's ToUnicode CMap (so CID
  fonts with two-byte glyph ids are read), and marked-content properties (``/ActualText``);
- the page text as pdfminer.six extracts it (through ToUnicode as well).

A canary counts as found if it appears verbatim, or in text after whitespace is removed.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pikepdf
from pdfminer.encodingdb import name2unicode
from pdfminer.high_level import extract_pages, extract_text
from pdfminer.layout import LTChar, LTCurve, LTPage
from pdfminer.pdfpage import PDFPage

logging.getLogger("pdfminer").setLevel(logging.ERROR)

_OT = pikepdf.ObjectType
_MAX_STREAM = 64 * 1024 * 1024
_WS = re.compile(r"\s+")
_NAME_ESC = re.compile(r"#([0-9A-Fa-f]{2})")


@dataclass(frozen=True, order=True)
class Finding:
    """One place where a canary (or a withheld image / colour) was found."""

    canary: str
    where: str

    def __str__(self) -> str:
        return f"{self.canary!r} in {self.where}"


# ---------------------------------------------------------------------------------------
# the sink: needles and haystacks


def _byte_variants(canary: str) -> list[tuple[str, bytes, bool]]:
    """(label, needle, case-insensitive) spellings of a canary in raw bytes."""
    out: list[tuple[str, bytes, bool]] = []
    plain = canary.encode("utf-8")
    out.append(("", plain, False))
    try:
        latin = canary.encode("latin-1")
    except UnicodeEncodeError:
        latin = b""
    if latin and latin != plain:
        out.append((" (latin-1)", latin, False))
    out.append((" (utf-16be)", canary.encode("utf-16-be"), False))
    out.append((" (utf-16le)", canary.encode("utf-16-le"), False))
    out.append((" (hex)", plain.hex().encode(), True))
    out.append((" (hex utf-16be)", canary.encode("utf-16-be").hex().encode(), True))
    return out


class _Sink:
    def __init__(self, canaries: Iterable[str]) -> None:
        self.canaries = [c for c in dict.fromkeys(canaries) if c]
        self.variants = {c: _byte_variants(c) for c in self.canaries}
        self.found: dict[Finding, None] = {}

    def add(self, canary: str, where: str) -> None:
        self.found.setdefault(Finding(canary, where), None)

    def data(self, hay: bytes, where: str) -> None:
        if not hay or not self.canaries:
            return
        lower: bytes | None = None
        for canary, variants in self.variants.items():
            for label, needle, fold in variants:
                if fold:
                    if lower is None:
                        lower = hay.lower()
                    if needle.lower() in lower:
                        self.add(canary, where + label)
                elif needle in hay:
                    self.add(canary, where + label)

    def text(self, hay: str, where: str) -> None:
        if not hay or not self.canaries:
            return
        squeezed: str | None = None
        for canary in self.canaries:
            if canary in hay:
                self.add(canary, where)
                continue
            if squeezed is None:
                squeezed = _WS.sub("", hay)
            if _WS.sub("", canary) in squeezed:
                self.add(canary, where + " (whitespace removed)")

    def findings(self) -> list[Finding]:
        return sorted(self.found)


# ---------------------------------------------------------------------------------------
# raw bytes and revisions


_STREAM_START = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")


def _inflate(data: bytes) -> bytes:
    """Inflate as much of ``data`` as zlib can (partial output on corrupt input)."""
    if len(data) < 2:
        return b""
    for wbits in (zlib.MAX_WBITS, -zlib.MAX_WBITS):
        d = zlib.decompressobj(wbits)
        out = bytearray()
        try:
            for i in range(0, len(data), 4096):
                out += d.decompress(data[i : i + 4096], _MAX_STREAM - len(out))
                if len(out) >= _MAX_STREAM:
                    break
        except zlib.error:
            pass
        if out:
            return bytes(out)
    return b""


@dataclass(frozen=True)
class _RawStream:
    offset: int
    data: bytes
    dict_text: bytes


def _raw_streams(pdf: bytes) -> Iterator[_RawStream]:
    """Every ``stream``..``endstream`` segment of the file, referenced or not."""
    for m in _STREAM_START.finditer(pdf):
        start = m.end()
        end = pdf.find(b"endstream", start)
        if end < 0:
            end = len(pdf)
        seg = pdf[start:end]
        head = pdf.rfind(b"obj", max(0, m.start() - 4096), m.start())
        dict_text = pdf[head if head >= 0 else max(0, m.start() - 4096) : m.start()]
        length = re.search(rb"/Length\s+(\d+)(?!\s+\d+\s+R)", dict_text)
        if length and int(length.group(1)) <= len(seg):
            seg = seg[: int(length.group(1))]
        elif seg.endswith(b"\r\n"):
            seg = seg[:-2]
        elif seg.endswith((b"\n", b"\r")):
            seg = seg[:-1]
        yield _RawStream(start, seg, dict_text)


def _revision_ends(pdf: bytes) -> list[int]:
    return [m.end() for m in re.finditer(rb"%%EOF[ \t\r\n\x00]*", pdf)]


def count_revisions(pdf_bytes: bytes) -> int:
    """Number of revisions: the ``%%EOF`` markers (a linearized file counts two)."""
    return max(1, len(_revision_ends(pdf_bytes)))


def _revisions(pdf: bytes) -> list[tuple[str, bytes]]:
    """(label, bytes) for each revision, the whole file last with an empty label."""
    ends = [e for e in _revision_ends(pdf) if e < len(pdf) and pdf[e:].strip(b" \t\r\n\x00")]
    n = len(ends) + 1
    out = [(f"revision {i} of {n}: ", pdf[:end]) for i, end in enumerate(ends, 1)]
    out.append(("", pdf))
    return out


def _open(data: bytes) -> pikepdf.Pdf | None:
    try:
        return pikepdf.open(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - a damaged prefix is simply not scanned
        return None


# ---------------------------------------------------------------------------------------
# pikepdf object walk


def _name(obj: Any) -> str:
    return _NAME_ESC.sub(lambda m: chr(int(m.group(1), 16)), str(obj))


def _tc(obj: Any) -> Any:
    return getattr(obj, "_type_code", None)


def _stream_payload(stream: Any) -> bytes:
    try:
        return stream.read_bytes()
    except Exception:  # noqa: BLE001 - unsupported filter: scan what is stored
        try:
            return stream.read_raw_bytes()
        except Exception:  # noqa: BLE001
            return b""


def _walk(obj: Any, where: str, sink: _Sink, depth: int = 0) -> None:
    """Search a direct object tree (indirect children are visited on their own)."""
    if depth > 64:
        return
    tc = _tc(obj)
    if tc == _OT.string:
        raw = bytes(obj)
        sink.data(raw, where + " string")
        try:
            sink.text(str(obj), where + " string")
        except Exception:  # noqa: BLE001
            pass
    elif tc == _OT.name_:
        sink.text(_name(obj), where + " name")
    elif tc in (_OT.dictionary, _OT.stream):
        for key, value in obj.items():
            sink.text(_name(key), where + " key")
            if getattr(value, "is_indirect", False):
                continue
            _walk(value, where, sink, depth + 1)
    elif tc == _OT.array:
        for value in obj:
            if getattr(value, "is_indirect", False):
                continue
            _walk(value, where, sink, depth + 1)


# ---------------------------------------------------------------------------------------
# fonts and content-stream text


class _ToUnicode:
    """The bfchar/bfrange part of a ToUnicode CMap."""

    _TOKENS = re.compile(rb"<[0-9A-Fa-f\s]*>|\[|\]|[A-Za-z]+")

    def __init__(self, data: bytes) -> None:
        self.single: dict[tuple[int, int], str] = {}
        self.ranges: list[tuple[int, int, int, bytes | list[bytes]]] = []
        self.widths: set[int] = set()
        toks = self._TOKENS.findall(data)
        mode = b""
        i = 0
        while i < len(toks):
            t = toks[i]
            if t in (b"beginbfchar", b"beginbfrange", b"begincodespacerange"):
                mode = t
            elif t.startswith(b"end"):
                mode = b""
            elif mode == b"beginbfchar" and t.startswith(b"<") and i + 1 < len(toks):
                dst = toks[i + 1]
                if dst.startswith(b"<"):
                    src = _hex(t)
                    self.single[(len(src), int.from_bytes(src, "big"))] = _utf16(_hex(dst))
                    self.widths.add(len(src))
                i += 2
                continue
            elif mode == b"beginbfrange" and t.startswith(b"<") and i + 2 < len(toks):
                lo, hi = _hex(t), _hex(toks[i + 1])
                width = len(lo)
                self.widths.add(width)
                if toks[i + 2] == b"[":
                    j = i + 3
                    items: list[bytes] = []
                    while j < len(toks) and toks[j] != b"]":
                        if toks[j].startswith(b"<"):
                            items.append(_hex(toks[j]))
                        j += 1
                    self.ranges.append((width, int.from_bytes(lo, "big"), int.from_bytes(hi, "big"), items))
                    i = j + 1
                    continue
                if toks[i + 2].startswith(b"<"):
                    self.ranges.append(
                        (
                            width,
                            int.from_bytes(lo, "big"),
                            int.from_bytes(hi, "big"),
                            _hex(toks[i + 2]),
                        )
                    )
                i += 3
                continue
            elif mode == b"begincodespacerange" and t.startswith(b"<"):
                self.widths.add(len(_hex(t)))
            i += 1

    def get(self, width: int, code: int) -> str | None:
        hit = self.single.get((width, code))
        if hit is not None:
            return hit
        for w, lo, hi, dst in self.ranges:
            if w == width and lo <= code <= hi:
                if isinstance(dst, list):
                    k = code - lo
                    return _utf16(dst[k]) if k < len(dst) else None
                value = int.from_bytes(dst, "big") + code - lo
                return _utf16(value.to_bytes(max(len(dst), 2), "big"))
        return None


def _hex(token: bytes) -> bytes:
    digits = re.sub(rb"[^0-9A-Fa-f]", b"", token).decode()
    if len(digits) % 2:
        digits += "0"
    return bytes.fromhex(digits)


def _utf16(data: bytes) -> str:
    if len(data) % 2:
        data = b"\x00" + data
    return data.decode("utf-16-be", errors="replace")


class _Font:
    """Enough of a PDF font to turn string operands into text."""

    def __init__(self, font: Any) -> None:
        subtype = str(font.get("/Subtype", ""))
        self.two_byte = subtype == "/Type0"
        enc = font.get("/Encoding")
        enc_name = str(enc) if _tc(enc) == _OT.name_ else ""
        self.ucs2 = self.two_byte and ("UCS2" in enc_name or "UTF16" in enc_name)
        self.cmap: _ToUnicode | None = None
        tu = font.get("/ToUnicode")
        if _tc(tu) == _OT.stream:
            try:
                self.cmap = _ToUnicode(tu.read_bytes())
            except Exception:  # noqa: BLE001
                self.cmap = None
        self.diffs: dict[int, str] = {}
        if _tc(enc) == _OT.dictionary and _tc(enc.get("/Differences")) == _OT.array:
            code = 0
            for item in enc.Differences:
                if isinstance(item, int):
                    code = item
                elif _tc(item) == _OT.name_:
                    try:
                        self.diffs[code] = name2unicode(_name(item)[1:])
                    except Exception:  # noqa: BLE001
                        pass
                    code += 1

    def decode(self, data: bytes) -> str:
        width = 2 if self.two_byte else 1
        out: list[str] = []
        for i in range(0, len(data) - width + 1, width):
            code = int.from_bytes(data[i : i + width], "big")
            u = self.cmap.get(width, code) if self.cmap else None
            if u is None:
                if width == 1:
                    u = self.diffs.get(code) or data[i : i + 1].decode("cp1252", "replace")
                elif self.ucs2:
                    u = chr(code)
                else:
                    u = "\ufffd"
            out.append(u)
        return "".join(out)


class _FontTable:
    """Font lookup by resource name: the stream's own resources, then any in the file."""

    def __init__(self, pdf: pikepdf.Pdf) -> None:
        self.pdf = pdf
        self.cache: dict[tuple[int, int], _Font] = {}
        self._global: dict[str, Any] | None = None

    def font(self, obj: Any) -> _Font | None:
        if _tc(obj) != _OT.dictionary:
            return None
        key = obj.objgen if obj.is_indirect else (0, id(obj))
        if key not in self.cache:
            self.cache[key] = _Font(obj)
        return self.cache[key]

    def global_fonts(self) -> dict[str, Any]:
        if self._global is None:
            self._global = {}
            for obj in self.pdf.objects:
                if _tc(obj) not in (_OT.dictionary, _OT.stream):
                    continue
                holders: list[Any] = [obj, obj.get("/Resources")]
                for holder in holders:
                    if _tc(holder) != _OT.dictionary:
                        continue
                    fonts: Any = holder.get("/Font")
                    if _tc(fonts) == _OT.dictionary:
                        for name, f in fonts.items():
                            self._global.setdefault(name, f)
        return self._global

    def lookup(self, resources: Any) -> Callable[[str], _Font | None]:
        local: Any = resources.get("/Font") if _tc(resources) == _OT.dictionary else None

        def find(name: str) -> _Font | None:
            if _tc(local) == _OT.dictionary and name in local:
                return self.font(local[name])
            return self.font(self.global_fonts().get(name))

        return find


def _instructions(target: Any) -> list[Any]:
    try:
        return list(pikepdf.parse_content_stream(target))
    except Exception:  # noqa: BLE001 - not a content stream after all
        return []


def _content_text(
    instructions: list[Any],
    fonts: Callable[[str], _Font | None],
    sink: _Sink,
    where: str,
) -> None:
    """Search a content stream's text (joined, font-decoded) and its other operands."""
    decoded: list[str] = []
    raw: list[str] = []
    font: _Font | None = None
    for ins in instructions:
        operands = getattr(ins, "operands", None)
        if operands is None:  # inline image
            continue
        op = str(ins.operator)
        pieces: list[Any] = []
        if op == "Tf" and operands:
            font = fonts(str(operands[0]))
        elif op in ("Tj", "'") and operands:
            pieces = [operands[-1]]
        elif op == '"' and len(operands) == 3:
            pieces = [operands[2]]
        elif op == "TJ" and operands and _tc(operands[0]) == _OT.array:
            pieces = [x for x in operands[0] if _tc(x) == _OT.string]
        else:
            for operand in operands:
                if _tc(operand) in (_OT.string, _OT.dictionary, _OT.array):
                    _walk(operand, where + f" operand of {op}", sink)
            continue
        for piece in pieces:
            if _tc(piece) != _OT.string:
                continue
            data = bytes(piece)
            raw.append(data.decode("latin-1"))
            decoded.append(font.decode(data) if font else data.decode("cp1252", "replace"))
    if raw:
        sink.text("".join(decoded), where + " text (joined)")
        sink.text("".join(raw), where + " text (joined, raw codes)")


def _inherited(page: Any, key: str) -> Any:
    node = page
    for _ in range(64):
        if _tc(node) != _OT.dictionary:
            return None
        if key in node:
            return node[key]
        node = node.get("/Parent")
    return None


_NOT_CONTENT_TYPES = {"/XRef", "/ObjStm", "/Metadata", "/EmbeddedFile", "/XObject"}
_NOT_CONTENT_SUBTYPES = {"/Image", "/XML", "/Type1C", "/CIDFontType0C", "/OpenType"}


_TEXT_MARK = re.compile(rb"T[jJ]|['\"]")
_PATH_MARK = re.compile(rb"\b(?:rg|RG|sc|scn|SC|SCN)\b")
_INLINE_MARK = re.compile(rb"\bBI\b")


def _maybe_content(stream: Any, data: bytes, mark: re.Pattern[bytes] = _TEXT_MARK) -> bool:
    """Whether a stream not reached as page content could be a content stream.

    Forms and patterns are; images, fonts, metadata, object and xref streams are not;
    anything else (Type 3 glyphs, orphans) is when its data shows the operators wanted.
    """
    subtype = str(stream.get("/Subtype", ""))
    if subtype == "/Form" or _tc(stream.get("/PatternType")) is not None:
        return True
    if subtype in _NOT_CONTENT_SUBTYPES or str(stream.get("/Type", "")) in _NOT_CONTENT_TYPES:
        return False
    if any(k in stream for k in ("/Length1", "/Length2", "/Length3", "/Width")):
        return False
    if mark is _TEXT_MARK and b"BT" not in data:
        return False
    return len(data) <= _MAX_STREAM and bool(mark.search(data))


def _scan_pdf_objects(pdf: pikepdf.Pdf, label: str, sink: _Sink) -> None:
    fonts = _FontTable(pdf)
    page_contents: set[tuple[int, int]] = set()
    for n, page in enumerate(pdf.pages, 1):
        contents: Any = page.obj.get("/Contents")
        items = contents if _tc(contents) == _OT.array else [contents]
        for item in items:
            if getattr(item, "is_indirect", False):
                page_contents.add(item.objgen)
        find = fonts.lookup(_inherited(page.obj, "/Resources"))
        _content_text(_instructions(page), find, sink, f"{label}page {n} content")
    for obj in pdf.objects:
        tc = _tc(obj)
        if tc not in (_OT.dictionary, _OT.array, _OT.string, _OT.name_, _OT.stream):
            continue
        where = f"{label}object {obj.objgen[0]}"
        _walk(obj, where, sink)
        if tc != _OT.stream:
            continue
        data = _stream_payload(obj)
        if len(data) > _MAX_STREAM:
            data = data[:_MAX_STREAM]
        sink.data(data, where + " stream")
        if obj.objgen not in page_contents and _maybe_content(obj, data):
            find = fonts.lookup(obj.get("/Resources"))
            _content_text(_instructions(obj), find, sink, where + " content")
    _walk(pdf.trailer, f"{label}trailer", sink)


# ---------------------------------------------------------------------------------------
# pdfminer


def _miner_chars(item: Any, out: list[str]) -> None:
    if isinstance(item, LTChar):
        out.append(item.get_text())
        return
    try:
        children = list(item)
    except TypeError:
        return
    for child in children:
        _miner_chars(child, out)


def _miner_pages(pdf_bytes: bytes, laparams: Any = None) -> Iterator[LTPage]:
    try:
        yield from extract_pages(io.BytesIO(pdf_bytes), laparams=laparams)
    except Exception:  # noqa: BLE001 - pdfminer cannot read it; the other scans still run
        return


def _scan_pdfminer(pdf_bytes: bytes, sink: _Sink) -> None:
    for n, page in enumerate(_miner_pages(pdf_bytes), 1):
        chars: list[str] = []
        _miner_chars(page, chars)
        sink.text("".join(chars), f"page {n} text (pdfminer)")


def page_texts(pdf_bytes: bytes) -> list[str]:
    """Text of each page as pdfminer.six extracts it (layout analysis, via ToUnicode)."""
    try:
        n = sum(1 for _ in PDFPage.get_pages(io.BytesIO(pdf_bytes)))
    except Exception:  # noqa: BLE001
        return []
    out = []
    for i in range(n):
        try:
            out.append(extract_text(io.BytesIO(pdf_bytes), page_numbers=[i]))
        except Exception:  # noqa: BLE001
            out.append("")
    return out


def normalise(text: str) -> str:
    """Collapse whitespace runs to single spaces (for comparing extracted text)."""
    return _WS.sub(" ", text).strip()


# ---------------------------------------------------------------------------------------
# public API


def find_canaries(pdf_bytes: bytes, canaries: Iterable[str]) -> list[Finding]:
    """Every place where one of ``canaries`` survives in ``pdf_bytes`` (sorted, unique)."""
    sink = _Sink(canaries)
    if not sink.canaries:
        return []
    sink.data(pdf_bytes, "raw bytes")
    for raw in _raw_streams(pdf_bytes):
        sink.data(_inflate(raw.data), f"inflated stream at byte {raw.offset}")
    for label, data in _revisions(pdf_bytes):
        pdf = _open(data)
        if pdf is None:
            continue
        with pdf:
            _scan_pdf_objects(pdf, label, sink)
    _scan_pdfminer(pdf_bytes, sink)
    return sink.findings()


def _md5(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()


def _is_image(stream: Any) -> bool:
    if str(stream.get("/Subtype", "")) == "/Image":
        return True
    return "/Width" in stream and "/Height" in stream and ("/BitsPerComponent" in stream or "/ImageMask" in stream)


def _image_hashes(pdf_bytes: bytes) -> dict[str, str]:
    """md5 (raw and decoded) of every image anywhere in the file -> where it was seen."""
    out: dict[str, str] = {}

    def add(data: bytes, where: str) -> None:
        if data:
            out.setdefault(_md5(data), where)

    for label, data in _revisions(pdf_bytes):
        pdf = _open(data)
        if pdf is None:
            continue
        with pdf:
            for obj in pdf.objects:
                if _tc(obj) != _OT.stream:
                    continue
                where = f"{label}object {obj.objgen[0]}"
                if _is_image(obj):
                    add(obj.read_raw_bytes(), where + " image (raw)")
                    try:
                        add(obj.read_bytes(), where + " image (decoded)")
                    except Exception:  # noqa: BLE001
                        pass
                elif _maybe_content(obj, _stream_payload(obj), _INLINE_MARK):
                    _inline_images(_instructions(obj), where, add)
            for n, page in enumerate(pdf.pages, 1):
                _inline_images(_instructions(page), f"{label}page {n}", add)
    for raw in _raw_streams(pdf_bytes):
        if re.search(rb"/Subtype\s*/Image|/Width", raw.dict_text):
            add(raw.data, f"raw image stream at byte {raw.offset}")
            add(_inflate(raw.data), f"raw image stream at byte {raw.offset} (inflated)")
    return out


_COMPONENTS = {"/G": 1, "/DeviceGray": 1, "/RGB": 3, "/DeviceRGB": 3, "/CMYK": 4, "/DeviceCMYK": 4}


def _inline_images(instructions: list[Any], where: str, add: Callable[[bytes, str], None]) -> None:
    """md5s of inline images: as stored, without the blank before ``EI``, and decoded."""
    for ins in instructions:
        image = getattr(ins, "iimage", None)
        if image is None:
            continue
        try:
            raw = image.read_raw_bytes()
        except Exception:  # noqa: BLE001
            continue
        add(raw, where + " inline image")
        add(raw.rstrip(b" \t\r\n\x00"), where + " inline image")
        try:
            comps = _COMPONENTS.get(str(image.colorspace), 0) if not image.image_mask else 1
            if comps and not image.filters:
                row = (image.width * image.bits_per_component * comps + 7) // 8
                add(raw[: row * image.height], where + " inline image (samples)")
        except Exception:  # noqa: BLE001
            pass
        try:
            add(image.read_bytes(), where + " inline image (decoded)")
        except Exception:  # noqa: BLE001
            pass


def image_md5s(pdf_bytes: bytes) -> set[str]:
    """md5 of every image's raw stream and decoded samples, in every revision.

    Covers image XObjects wherever they hang (pages, forms, patterns, annotations,
    thumbnails, unreferenced objects), inline images, and unreferenced raw segments.
    """
    return set(_image_hashes(pdf_bytes))


def _close(a: Any, b: tuple[float, ...], tol: float) -> bool:
    try:
        values = tuple(float(v) for v in a)
    except (TypeError, ValueError):  # no colour, or a pattern name
        return False
    return len(values) == 3 and all(abs(x - y) <= tol for x, y in zip(values, b, strict=True))


def _colour_ops(instructions: list[Any], colour: tuple[float, ...], tol: float) -> int:
    """Paths painted (fill or stroke) in ``colour`` (DeviceRGB) in one content stream."""
    fill: Any = (0.0, 0.0, 0.0, 0.0)
    stroke: Any = (0.0, 0.0, 0.0, 0.0)
    stack: list[tuple[Any, Any]] = []
    hits = 0
    for ins in instructions:
        operands = getattr(ins, "operands", None)
        if operands is None:
            continue
        op = str(ins.operator)
        nums = [o for o in operands if isinstance(o, int | float | Decimal) and not isinstance(o, bool)]
        if op == "q":
            stack.append((fill, stroke))
        elif op == "Q" and stack:
            fill, stroke = stack.pop()
        elif op in ("rg", "sc", "scn", "g", "k"):
            fill = tuple(float(n) for n in nums)
        elif op in ("RG", "SC", "SCN", "G", "K"):
            stroke = tuple(float(n) for n in nums)
        elif op in ("f", "F", "f*", "b", "b*", "B", "B*") and _close(fill, colour, tol):
            hits += 1
        elif op in ("S", "s", "b", "b*", "B", "B*") and _close(stroke, colour, tol):
            hits += 1
    return hits


def find_colour_paths(
    pdf_bytes: bytes, colours: Iterable[tuple[float, float, float]], tol: float = 0.002
) -> list[Finding]:
    """Vector paths painted in one of ``colours`` (DeviceRGB), anywhere in the file.

    Two independent readings: pdfminer's path objects (LTCurve/LTLine/LTRect) with their
    fill/stroke colours, and a pikepdf walk of every content stream that counts
    path-painting operators issued while the colour is set.
    """
    wanted = [tuple(float(v) for v in c) for c in colours]
    found: dict[Finding, None] = {}
    if not wanted:
        return []
    for n, page in enumerate(_miner_pages(pdf_bytes), 1):
        stack: list[Any] = [page]
        while stack:
            item = stack.pop()
            if isinstance(item, LTCurve):
                for c in wanted:
                    painted = (item.fill and _close(item.non_stroking_color, c, tol)) or (
                        item.stroke and _close(item.stroking_color, c, tol)
                    )
                    if painted:
                        found.setdefault(Finding(_colour_label(c), f"page {n} path (pdfminer)"), None)
                continue
            try:
                stack.extend(item)
            except TypeError:
                pass
    for label, data in _revisions(pdf_bytes):
        pdf = _open(data)
        if pdf is None:
            continue
        with pdf:
            targets: list[tuple[str, Any]] = [(f"{label}page {n} content", page) for n, page in enumerate(pdf.pages, 1)]
            for obj in pdf.objects:
                if _tc(obj) == _OT.stream and _maybe_content(obj, _stream_payload(obj), _PATH_MARK):
                    targets.append((f"{label}object {obj.objgen[0]} content", obj))
            for where, target in targets:
                instructions = _instructions(target)
                for c in wanted:
                    if _colour_ops(instructions, c, tol):
                        found.setdefault(Finding(_colour_label(c), where), None)
    return sorted(found)


def _colour_label(c: tuple[float, ...]) -> str:
    return "fill/stroke rgb(" + ", ".join(f"{v:g}" for v in c) + ")"


def find_leaks(pdf_bytes: bytes, case: Any) -> list[Finding]:
    """All traces of an adversarial case's withheld material in ``pdf_bytes``.

    ``case`` is a :class:`tests.adversarial.corpus.Case` (duck-typed): its canaries, the
    md5s of its withheld images and the colours of its withheld vector art.
    """
    findings = find_canaries(pdf_bytes, case.canaries)
    wanted = set(getattr(case, "withheld_image_md5s", ()))
    if wanted:
        for digest, where in _image_hashes(pdf_bytes).items():
            if digest in wanted:
                findings.append(Finding(f"image md5 {digest}", where))
    findings += find_colour_paths(pdf_bytes, getattr(case, "withheld_fill_colors", ()))
    return sorted(set(findings))


__all__ = [
    "Finding",
    "count_revisions",
    "find_canaries",
    "find_colour_paths",
    "find_leaks",
    "image_md5s",
    "normalise",
    "page_texts",
]
