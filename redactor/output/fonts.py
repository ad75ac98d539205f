"""Fonts of the extract cut down to the glyphs its pages still draw.

Removal takes withheld text out of the content streams but leaves every font whole: glyph
programs, widths and ToUnicode entries of glyphs that only withheld text used stay in the
file, and with generators that number glyphs in order of first use (cairo, reportlab,
subsets made while typesetting) a withheld word can be read back letter by letter from
the glyph order or the ToUnicode CMap. :func:`subset_fonts` runs on the finished document,
after removal and before saving, and for every font its pages reach (page resources, Form
XObjects, tiling patterns, soft masks, annotation appearances, Type3 glyph procedures):

1. collects the character codes the content streams still show with it (``Tf`` and
   ExtGState font selection followed through ``q``/``Q`` and into invoked forms; ``Tj``,
   ``TJ``, ``'`` and ``"``; codes split by the font's encoding: one byte for simple fonts,
   two for Identity-H/V, the code space ranges of an embedded CMap);
2. rewrites the font to those codes only:

   - the program is subset with fontTools (TrueType and OpenType programs, bare CFF of
     Type1C and CIDFontType0C); a Type0 font is renumbered: its glyphs keep their
     relative order without the gaps removed glyphs leave, the codes in the content
     streams are rewritten to the new glyph numbers, the encoding becomes Identity-H/V
     and ``/CIDToGIDMap`` Identity;
   - a simple font keeps its codes; its ``/Widths`` run from the first to the last code
     shown, zero for codes not shown, its ``/Differences`` and ToUnicode map hold the
     codes shown only; a Type3 font keeps only the glyph procedures shown;
   - ``/W`` and ``/W2`` of a CID font hold the glyphs shown only, ``/CIDSet`` and
     ``/CharSet`` of the descriptor follow (or go);

3. never fails the release over a font: one it cannot subset (a bare Type1 program, an
   unreadable program, an encoding it cannot decode, a font shown from a stream it cannot
   parse) keeps its program, and its maps are reduced when the codes shown are known; each
   such font is listed, with the reason, in the returned :class:`FontReport`.

Identical copies of one font (every kept page is copied in with its own) are treated as
one font, so they are rewritten alike and saving with ``garbage=4`` merges them again.

The document is read through a pikepdf copy of its current state (object numbers are
kept) and written through PyMuPDF, object by object.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pikepdf

#: Operators the scan needs: font selection, text showing, graphics state, forms, patterns.
_SCAN_OPERATORS = "q Q Tf gs Tj TJ ' \" Do scn SCN"
_SHOW = frozenset({"Tj", "TJ", "'", '"'})
_MAX_DEPTH = 32  # nesting of forms, patterns and glyph procedures followed
_CMAP_CHUNK = 100  # entries per bfchar section, the PDF limit
#: Tables a PDF renderer does not read: text layout, colour and bitmap glyphs, metadata.
_DROP_TABLES = (
    "GSUB",
    "GPOS",
    "GDEF",
    "BASE",
    "JSTF",
    "MATH",
    "morx",
    "mort",
    "kerx",
    "feat",
    "trak",
    "DSIG",
    "meta",
)


@dataclass(frozen=True)
class FontOutcome:
    """What was done to one font (identical copies of a font count once)."""

    name: str
    subtype: str
    action: str  # "subset", "reduced" (maps only, program kept) or "left" (nothing changed)
    glyphs_before: int = 0  # glyphs of the program, 0 when it was not read
    glyphs_after: int = 0
    renumbered: bool = False  # Type0: codes rewritten to new glyph numbers
    reason: str = ""  # why the program was not subset, when it was not (embedded fonts)


@dataclass(frozen=True)
class FontReport:
    """The outcome of :func:`subset_fonts`, font by font."""

    fonts: tuple[FontOutcome, ...] = ()

    @property
    def fonts_subset(self) -> int:
        """Fonts whose program (or Type3 glyph procedures) now holds only the glyphs shown."""
        return sum(1 for f in self.fonts if f.action == "subset")

    @property
    def glyphs_before(self) -> int:
        """Glyphs of the subset fonts' programs before."""
        return sum(f.glyphs_before for f in self.fonts if f.action == "subset")

    @property
    def glyphs_after(self) -> int:
        """Glyphs of the subset fonts' programs after."""
        return sum(f.glyphs_after for f in self.fonts if f.action == "subset")

    @property
    def skipped(self) -> tuple[tuple[str, str], ...]:
        """Embedded fonts whose program was kept whole, with the reason."""
        return tuple((f.name, f.reason) for f in self.fonts if f.action != "subset" and f.reason)


def subset_fonts(doc: Any) -> FontReport:
    """Cut every font of the PyMuPDF document down to the glyphs its pages draw (see module doc).

    Never raises for a font it cannot handle: such a font is left whole (or its maps only
    reduced) and listed in the report with the reason.
    """
    if not _has_font_maps(doc):
        return FontReport()
    try:
        data = doc.tobytes()
    except Exception as error:  # noqa: BLE001 - an unwritable document is not this pass's to judge
        return FontReport((FontOutcome("(document)", "", "left", reason=f"document not readable: {error}"),))
    with _quiet_fonttools(), pikepdf.open(io.BytesIO(data)) as pdf:
        scan = _Scan(pdf)
        try:
            scan.run()
        except Exception as error:  # noqa: BLE001 - a document this walk cannot follow keeps its fonts
            return FontReport((FontOutcome("(document)", "", "left", reason=f"fonts not followed: {error}"),))
        plans = {id(group): _plan_font(group) for group in scan.groups()}
        contents = scan.recoded_contents()
        while contents.failed:  # a stream that cannot be rewritten: its fonts keep their numbering
            for group in contents.failed:
                group.renumber_ok = False
                plans[id(group)] = _plan_font(group)
            contents = scan.recoded_contents()
        writer = _Writer(doc)
        for plan in plans.values():
            for write in plan.writes:
                write(writer)
        for write in contents.writes:
            write(writer)
    return FontReport(tuple(plan.outcome for plan in plans.values()))


# ---------------------------------------------------------------------------------------
# finding the fonts and the codes they show


def _has_font_maps(doc: Any) -> bool:
    """Whether any object is a font with something to reduce (program, widths, maps)."""
    wanted = {"FontFile", "FontFile2", "FontFile3", "ToUnicode", "Widths", "W", "CharProcs"}
    for xref in range(1, doc.xref_length()):
        if doc.xref_get_key(xref, "Type")[1] in ("/Font", "/FontDescriptor"):
            if set(doc.xref_get_keys(xref)) & wanted or doc.xref_get_key(xref, "Encoding")[0] in ("dict", "xref"):
                return True
    return False


class _Group:
    """One font, or identical copies of it, and the codes shown with it."""

    def __init__(self, font: pikepdf.Dictionary) -> None:
        self.fonts: list[pikepdf.Dictionary] = [font]
        self.subtype = _name(font.get("/Subtype"))
        self.name = _name(font.get("/BaseFont")) or _name(font.get("/Name")) or self.subtype
        self.used: set[bytes] = set()
        self.blocked = ""  # why the font cannot be rewritten, if it cannot
        self.renumber_ok = self.subtype == "Type0"
        self.recode: dict[bytes, bytes] | None = None  # Type0 renumbered: old code -> new code
        self.codes = _code_splitter(font)

    def show(self, string: bytes) -> list[bytes]:
        codes = self.codes(string)
        self.used.update(codes)
        return codes


@dataclass
class _Unit:
    """A content stream (or a page's contents) whose text may have to be rewritten."""

    target: pikepdf.Object  # the page dictionary or the stream
    is_page: bool
    bindings: dict[int, _Group] = field(default_factory=dict)  # ordinal of a shown string -> Type0 font
    unbound: set[int] = field(default_factory=set)  # ordinals shown with another font somewhere


class _Scan:
    """Walk of every content stream reachable from the pages, in its resource context."""

    def __init__(self, pdf: pikepdf.Pdf) -> None:
        self.pdf = pdf
        self._groups: dict[str, _Group] = {}
        self._font_group: dict[tuple[int, int], _Group | None] = {}
        self._units: dict[tuple[int, int], _Unit] = {}
        self._visited: set[tuple[Any, ...]] = set()
        self._relevant: dict[tuple[int, int], bool] = {}
        self._contents_users: dict[tuple[int, int], int] = {}

    def groups(self) -> list[_Group]:
        return list(self._groups.values())

    # -- the walk

    def run(self) -> None:
        for page in self.pdf.pages:
            obj = page.obj
            resources = _inherited(obj, "/Resources")
            for stream in _as_list(obj.get("/Contents")):
                if stream.is_indirect:
                    self._contents_users[stream.objgen] = self._contents_users.get(stream.objgen, 0) + 1
            res_key = _key(resources, ("page", obj.objgen))
            if isinstance(resources, pikepdf.Dictionary) and self._reaches_fonts(resources, 0):
                self._visit(obj, True, resources, res_key, None, 0)
            for annot in _as_list(obj.get("/Annots")):
                if isinstance(annot, pikepdf.Dictionary):
                    for form in _appearances(annot):
                        self._visit_form(form, resources, res_key, None, 0)
        self._follow_type3()

    def _follow_type3(self) -> None:
        """Glyph procedures of the Type3 codes shown may show text themselves: follow them."""
        done: set[tuple[int, bytes]] = set()
        changed = True
        while changed:
            changed = False
            for group in list(self._groups.values()):
                if group.subtype != "Type3":
                    continue
                font = group.fonts[0]
                procs = font.get("/CharProcs")
                names = _differences(font)
                resources = font.get("/Resources")
                for code in sorted(group.used):
                    if (id(group), code) in done:
                        continue
                    done.add((id(group), code))
                    changed = True
                    proc = (
                        procs.get("/" + names[code[0]])
                        if isinstance(procs, pikepdf.Dictionary) and code[0] in names
                        else None
                    )
                    if isinstance(proc, pikepdf.Stream):
                        res = resources if isinstance(resources, pikepdf.Dictionary) else pikepdf.Dictionary()
                        self._visit(proc, False, res, _key(resources, ("font", font.objgen)), None, 1)

    def _visit_form(self, form: Any, resources: Any, res_key: Any, font: _Group | None, depth: int) -> None:
        """A form (or pattern cell, soft mask, appearance) drawn with the caller's resources and font."""
        if not isinstance(form, pikepdf.Stream) or depth > _MAX_DEPTH:
            return
        own = form.get("/Resources")
        if isinstance(own, pikepdf.Dictionary):
            res, res_key = own, _key(own, ("form", form.objgen))
        else:
            res = resources
        if not isinstance(res, pikepdf.Dictionary) or not self._reaches_fonts(res, 0):
            if font is None:
                return
            res = res if isinstance(res, pikepdf.Dictionary) else pikepdf.Dictionary()
        self._visit(form, False, res, res_key, font, depth)

    def _visit(
        self, target: Any, is_page: bool, res: pikepdf.Dictionary, res_key: Any, font: _Group | None, depth: int
    ) -> None:
        """Scan one content stream: the codes each font shows, and where (for renumbering).

        Visited once per resource dictionary and font in effect at its start.
        """
        key = (target.objgen, res_key, id(font) if font is not None else None)
        if key in self._visited or depth > _MAX_DEPTH:
            return
        self._visited.add(key)
        try:
            instructions = pikepdf.parse_content_stream(target, _SCAN_OPERATORS)
        except Exception:  # noqa: BLE001 - an unparsable stream: its fonts are left whole
            self._mark_unreadable(res, 0)
            return
        unit = self._units.setdefault(target.objgen, _Unit(target, is_page))
        stack: list[_Group | None] = []
        ordinal = 0
        for instruction in instructions:
            op = str(instruction.operator)
            operands = instruction.operands
            if op in _SHOW:
                for string in _shown_strings(op, operands):
                    if font is not None:
                        font.show(string)
                    self._bind(unit, ordinal, font if font is not None and font.subtype == "Type0" else None)
                    ordinal += 1
            elif op == "Tf" and operands:
                font = self._group_of(_lookup(res, "/Font", operands[0]))
            elif op == "q":
                stack.append(font)
            elif op == "Q":
                font = stack.pop() if stack else font
            elif op == "gs" and operands:
                font = self._graphics_state(res, res_key, operands[0], font, depth)
            elif op == "Do" and operands:
                xobject = _lookup(res, "/XObject", operands[0])
                if isinstance(xobject, pikepdf.Stream) and _name(xobject.get("/Subtype")) == "Form":
                    self._visit_form(xobject, res, res_key, font, depth + 1)
            elif op in ("scn", "SCN") and operands and isinstance(operands[-1], pikepdf.Name):
                pattern = _lookup(res, "/Pattern", operands[-1])
                if isinstance(pattern, pikepdf.Stream) and pattern.get("/PatternType") == 1:
                    self._visit_form(pattern, res, res_key, None, depth + 1)

    def _graphics_state(
        self, res: pikepdf.Dictionary, res_key: Any, name: Any, font: _Group | None, depth: int
    ) -> _Group | None:
        state = _lookup(res, "/ExtGState", name)
        if not isinstance(state, pikepdf.Dictionary):
            return font
        mask = state.get("/SMask")
        if isinstance(mask, pikepdf.Dictionary):
            self._visit_form(mask.get("/G"), res, res_key, None, depth + 1)
        selected = state.get("/Font")
        if isinstance(selected, pikepdf.Array) and len(selected) >= 1:
            return self._group_of(selected[0])
        return font

    def _bind(self, unit: _Unit, ordinal: int, group: _Group | None) -> None:
        """Record the font a shown string is drawn with; a string drawn with different fonts
        in different contexts (a form used twice) cannot be rewritten for either."""
        bound = unit.bindings.get(ordinal)
        if group is None:
            unit.unbound.add(ordinal)
            if bound is not None:
                bound.renumber_ok = False
            return
        if bound is None:
            unit.bindings[ordinal] = group
            if ordinal in unit.unbound:
                group.renumber_ok = False
        elif bound is not group:
            bound.renumber_ok = group.renumber_ok = False

    # -- fonts

    def _group_of(self, font: Any) -> _Group | None:
        """The group of a font dictionary, None for a font with nothing to reduce."""
        if not isinstance(font, pikepdf.Dictionary):
            return None
        if font.is_indirect and font.objgen in self._font_group:
            return self._font_group[font.objgen]
        group: _Group | None = None
        if _has_maps(font):
            digest = _digest(font)
            group = self._groups.get(digest)
            if group is None:
                group = self._groups[digest] = _Group(font)
            elif font.is_indirect and all(f.objgen != font.objgen for f in group.fonts):
                group.fonts.append(font)
            if not font.is_indirect:
                group.blocked = "font dictionary not an indirect object"
        if font.is_indirect:
            self._font_group[font.objgen] = group
        return group

    def _reaches_fonts(self, res: pikepdf.Dictionary, depth: int) -> bool:
        """Whether a resource dictionary reaches, however deep, a font with something to reduce."""
        key = res.objgen if res.is_indirect else None
        if key is not None and key in self._relevant:
            return self._relevant[key]
        found = depth <= _MAX_DEPTH and any(self._group_of(f) is not None for f in _values(res.get("/Font")))
        if not found and depth <= _MAX_DEPTH:
            for child in _child_resources(res):
                if self._reaches_fonts(child, depth + 1):
                    found = True
                    break
            else:
                found = any(
                    isinstance(s, pikepdf.Dictionary) and isinstance(s.get("/Font"), pikepdf.Array)
                    for s in _values(res.get("/ExtGState"))
                )
        if key is not None:
            self._relevant[key] = found
        return found

    def _mark_unreadable(self, res: pikepdf.Dictionary, depth: int) -> None:
        if depth > _MAX_DEPTH:
            return
        for font in _values(res.get("/Font")):
            group = self._group_of(font)
            if group is not None:
                group.blocked = "shown from a content stream that could not be parsed"
        for state in _values(res.get("/ExtGState")):
            if isinstance(state, pikepdf.Dictionary) and isinstance(state.get("/Font"), pikepdf.Array):
                group = self._group_of(state.Font[0])
                if group is not None:
                    group.blocked = "shown from a content stream that could not be parsed"
        for child in _child_resources(res):
            self._mark_unreadable(child, depth + 1)

    # -- rewriting the shown strings of renumbered Type0 fonts

    def recoded_contents(self) -> _Contents:
        """The content writes the renumbered fonts need, and the fonts of streams that failed."""
        result = _Contents()
        for unit in self._units.values():
            if not any(g.recode is not None for g in unit.bindings.values()):
                continue
            data = _recoded(unit)
            if data is None:
                result.failed.extend(g for g in set(unit.bindings.values()) if g.recode is not None)
            elif unit.is_page:
                contents = _as_list(unit.target.get("/Contents"))
                if len(contents) == 1 and contents[0].is_indirect and self._contents_users.get(contents[0].objgen) == 1:
                    result.writes.append(_stream_write(contents[0].objgen[0], data))
                else:
                    result.writes.append(_contents_write(unit.target.objgen[0], data))
            else:
                result.writes.append(_stream_write(unit.target.objgen[0], data))
        return result


@dataclass
class _Contents:
    writes: list[Callable[[_Writer], None]] = field(default_factory=list)
    failed: list[_Group] = field(default_factory=list)


def _stream_write(xref: int, data: bytes) -> Callable[[_Writer], None]:
    return lambda writer: writer.stream(xref, data)


def _contents_write(page_xref: int, data: bytes) -> Callable[[_Writer], None]:
    return lambda writer: writer.new_stream(page_xref, "Contents", data)


def _recoded(unit: _Unit) -> bytes | None:
    """The unit's content with the strings of renumbered fonts rewritten, or None if unparsable."""
    try:
        instructions = pikepdf.parse_content_stream(unit.target)
    except Exception:  # noqa: BLE001 - parsed once already; a failure now leaves the stream as is
        return None
    ordinal = 0
    result: list[Any] = []
    for instruction in instructions:
        op = str(instruction.operator)
        if op not in _SHOW or not isinstance(instruction, pikepdf.ContentStreamInstruction):
            result.append(instruction)
            continue
        operands = list(instruction.operands)

        def recode(value: Any) -> Any:
            nonlocal ordinal
            group = unit.bindings.get(ordinal)
            ordinal += 1
            if group is None or group.recode is None:
                return value
            mapping = group.recode
            return pikepdf.String(b"".join(mapping.get(c, b"\x00\x00") for c in group.codes(bytes(value))))

        if op == "TJ" and operands and isinstance(operands[0], pikepdf.Array):
            operands[0] = pikepdf.Array([recode(v) if isinstance(v, pikepdf.String) else v for v in operands[0]])
        elif op == '"' and len(operands) >= 3 and isinstance(operands[2], pikepdf.String):
            operands[2] = recode(operands[2])
        elif op != '"' and operands and isinstance(operands[-1], pikepdf.String):
            operands[-1] = recode(operands[-1])
        result.append(pikepdf.ContentStreamInstruction(operands, instruction.operator))
    return bytes(pikepdf.unparse_content_stream(result))


def _shown_strings(op: str, operands: Any) -> list[bytes]:
    if op == "TJ":
        if operands and isinstance(operands[0], pikepdf.Array):
            return [bytes(v) for v in operands[0] if isinstance(v, pikepdf.String)]
        return []
    if op == '"':
        return [bytes(operands[2])] if len(operands) >= 3 and isinstance(operands[2], pikepdf.String) else []
    return [bytes(operands[-1])] if operands and isinstance(operands[-1], pikepdf.String) else []


def _has_maps(font: pikepdf.Dictionary) -> bool:
    """Whether a font dictionary holds anything that can name glyphs not shown."""
    if _name(font.get("/Type")) not in ("Font", ""):
        return False
    if set(font.keys()) & {"/ToUnicode", "/Widths", "/CharProcs"}:
        return True
    if isinstance(font.get("/Encoding"), pikepdf.Dictionary | pikepdf.Stream):
        return True
    cid_font = _descendant(font)
    if cid_font is not None and set(cid_font.keys()) & {"/W", "/W2", "/CIDToGIDMap"}:
        return True
    descriptor = _descriptor(font)
    keys = set(descriptor.keys()) if isinstance(descriptor, pikepdf.Dictionary) else set()
    return bool(keys & {"/FontFile", "/FontFile2", "/FontFile3", "/CharSet", "/CIDSet"})


def _digest(font: pikepdf.Dictionary) -> str:
    """A hash of the font and everything it references: identical copies hash alike."""
    hasher = hashlib.sha256()
    numbers: dict[tuple[int, int], int] = {}

    def feed(obj: Any, depth: int) -> None:
        if depth > _MAX_DEPTH:
            hasher.update(b"!")
            return
        if isinstance(obj, pikepdf.Object) and obj.is_indirect:
            if obj.objgen in numbers:
                hasher.update(b"@%d" % numbers[obj.objgen])
                return
            numbers[obj.objgen] = len(numbers)
        if isinstance(obj, pikepdf.Stream):
            hasher.update(b"S")
            feed(obj.stream_dict, depth + 1)
            hasher.update(hashlib.sha256(obj.read_raw_bytes()).digest())
        elif isinstance(obj, pikepdf.Dictionary):
            hasher.update(b"<<")
            for key in sorted(obj.keys()):
                if key in ("/Parent", "/P"):
                    continue
                hasher.update(key.encode("latin-1", "replace"))
                feed(obj[key], depth + 1)
            hasher.update(b">>")
        elif isinstance(obj, pikepdf.Array):
            hasher.update(b"[")
            for item in obj:
                feed(item, depth + 1)
            hasher.update(b"]")
        elif isinstance(obj, pikepdf.Object):
            hasher.update(obj.unparse())
        else:
            hasher.update(repr(obj).encode())

    feed(font, 0)
    return hasher.hexdigest()


# ---------------------------------------------------------------------------------------
# splitting shown strings into codes


def _code_splitter(font: pikepdf.Dictionary) -> Callable[[bytes], list[bytes]]:
    """How a shown string splits into character codes for this font."""
    if _name(font.get("/Subtype")) != "Type0":
        return lambda data: [data[i : i + 1] for i in range(len(data))]
    encoding = font.get("/Encoding")
    if isinstance(encoding, pikepdf.Stream):
        cmap = _read_encoding_cmap(encoding)
        if cmap is not None:
            return cmap.split
    return lambda data: [data[i : i + 2] for i in range(0, len(data) - 1, 2)]


@dataclass
class _EncodingCMap:
    """An embedded CMap of a Type0 font: its code space and its code -> CID mappings."""

    spaces: list[tuple[int, bytes, bytes]]  # (length, low, high)
    singles: dict[bytes, int]
    ranges: list[tuple[bytes, bytes, int]]
    vertical: bool

    def split(self, data: bytes) -> list[bytes]:
        codes: list[bytes] = []
        i = 0
        shortest = min((n for n, _, _ in self.spaces), default=1)
        while i < len(data):
            for n in range(1, 5):
                piece = data[i : i + n]
                if len(piece) == n and any(k == n and _in_range(piece, lo, hi) for k, lo, hi in self.spaces):
                    break
            else:
                n = shortest
            codes.append(data[i : i + n])
            i += n
        return codes

    def cid(self, code: bytes) -> int:
        if code in self.singles:
            return self.singles[code]
        for lo, hi, start in self.ranges:
            if len(lo) == len(code) and lo <= code <= hi:
                return start + int.from_bytes(code, "big") - int.from_bytes(lo, "big")
        return 0


def _in_range(code: bytes, lo: bytes, hi: bytes) -> bool:
    """Code space ranges are ranges per byte (PDF 32000-1, 9.7.6.2)."""
    return all(a <= c <= b for c, a, b in zip(code, lo, hi, strict=True))


_CMAP_TOKENS = re.compile(rb"<([0-9A-Fa-f\s]*)>|\[|\]|/?[A-Za-z][A-Za-z0-9._-]*|-?\d+")


def _cmap_sections(data: bytes) -> Iterator[tuple[str, list[bytes]]]:
    """The (kind, tokens) of each ``begin...`` / ``end...`` section of a CMap."""
    kind = ""
    tokens: list[bytes] = []
    for match in _CMAP_TOKENS.finditer(data):
        token = match.group(0)
        if token.startswith(b"begin") and token != b"begincmap":
            kind, tokens = token[5:].decode(), []
        elif token.startswith(b"end") and kind and token[3:].decode() == kind:
            yield kind, tokens
            kind = ""
        elif kind:
            tokens.append(token)
    return


def _hex(token: bytes) -> bytes:
    digits = re.sub(rb"\s", b"", token[1:-1])
    if len(digits) % 2:
        digits += b"0"
    return bytes.fromhex(digits.decode())


def _read_encoding_cmap(stream: pikepdf.Stream) -> _EncodingCMap | None:
    try:
        data = stream.read_bytes()
    except Exception:  # noqa: BLE001 - an unreadable CMap: codes split by two bytes
        return None
    if b"usecmap" in data:
        return None
    cmap = _EncodingCMap([], {}, [], stream.get("/WMode") == 1 or b"/WMode 1" in data)
    for kind, tokens in _cmap_sections(data):
        if kind == "codespacerange":
            for lo, hi in zip(tokens[0::2], tokens[1::2], strict=False):
                low, high = _hex(lo), _hex(hi)
                if len(low) == len(high) and 1 <= len(low) <= 4:
                    cmap.spaces.append((len(low), low, high))
        elif kind == "cidchar":
            for code, cid in zip(tokens[0::2], tokens[1::2], strict=False):
                if code.startswith(b"<") and cid.lstrip(b"-").isdigit():
                    cmap.singles[_hex(code)] = int(cid)
        elif kind == "cidrange":
            for lo, hi, cid in zip(tokens[0::3], tokens[1::3], tokens[2::3], strict=False):
                if lo.startswith(b"<") and hi.startswith(b"<") and cid.lstrip(b"-").isdigit():
                    cmap.ranges.append((_hex(lo), _hex(hi), int(cid)))
    return cmap if cmap.spaces else None


# ---------------------------------------------------------------------------------------
# ToUnicode CMaps


@dataclass
class _ToUnicode:
    singles: dict[bytes, bytes]  # code -> destination (the hex digits as written)
    ranges: list[tuple[bytes, bytes, list[bytes] | bytes]]

    def get(self, code: bytes) -> bytes | None:
        if code in self.singles:
            return self.singles[code]
        for lo, hi, dst in self.ranges:
            if len(lo) == len(code) and lo <= code <= hi:
                offset = int.from_bytes(code, "big") - int.from_bytes(lo, "big")
                if isinstance(dst, list):
                    return dst[offset] if offset < len(dst) else None
                value = int(dst, 16) + offset
                return b"%0*X" % (len(dst), value)
        return None


def _read_tounicode(data: bytes) -> _ToUnicode:
    result = _ToUnicode({}, [])
    for kind, tokens in _cmap_sections(data):
        if kind == "bfchar":
            for code, target in zip(tokens[0::2], tokens[1::2], strict=False):
                if code.startswith(b"<") and target.startswith(b"<"):
                    result.singles.setdefault(_hex(code), _dst(target))
        elif kind == "bfrange":
            i = 0
            while i + 2 < len(tokens):
                lo, hi = tokens[i], tokens[i + 1]
                if tokens[i + 2] == b"[":
                    end = tokens.index(b"]", i + 3) if b"]" in tokens[i + 3 :] else len(tokens)
                    dst: list[bytes] | bytes = [_dst(t) for t in tokens[i + 3 : end]]
                    i = end + 1
                else:
                    dst = _dst(tokens[i + 2])
                    i += 3
                if lo.startswith(b"<") and hi.startswith(b"<"):
                    result.ranges.append((_hex(lo), _hex(hi), dst))
        elif kind in ("cidrange", "cidchar"):  # not ToUnicode syntax, but readers take it:
            step = 3 if kind == "cidrange" else 2  # code (range) -> the number as UTF-16
            for i in range(0, len(tokens) - step + 1, step):
                lo, hi, value = tokens[i], tokens[i + step - 2], tokens[i + step - 1]
                if lo.startswith(b"<") and hi.startswith(b"<") and value.isdigit() and int(value) < 0x10000:
                    result.ranges.append((_hex(lo), _hex(hi), b"%04X" % int(value)))
    return result


def _dst(token: bytes) -> bytes:
    return re.sub(rb"\s", b"", token[1:-1]).upper() if token.startswith(b"<") else b""


def _write_tounicode(entries: dict[bytes, bytes], width: int) -> bytes:
    """A ToUnicode CMap of the given entries (code -> destination hex digits)."""
    lengths = sorted({len(code) for code in entries} or {width})
    spaces = b"".join(b"<" + b"00" * n + b"> <" + b"FF" * n + b">\n" for n in lengths)
    items = sorted(entries.items(), key=lambda item: (len(item[0]), item[0]))
    body = b"".join(
        b"%d beginbfchar\n" % len(chunk)
        + b"".join(b"<" + code.hex().upper().encode() + b"> <" + dst + b">\n" for code, dst in chunk)
        + b"endbfchar\n"
        for chunk in (items[i : i + _CMAP_CHUNK] for i in range(0, len(items), _CMAP_CHUNK))
    )
    return (
        b"/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        b"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        + b"%d begincodespacerange\n" % len(lengths)
        + spaces
        + b"endcodespacerange\n"
        + body
        + b"endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    )


# ---------------------------------------------------------------------------------------
# rewriting one font: everything is worked out first, then written

Write = Callable[["_Writer"], None]


class _Skip(Exception):
    """A font program that is not subset, with the reason."""


class _Writer:
    """Writes through PyMuPDF: content streams in place (each once), font streams as new objects.

    A font's ToUnicode, CIDToGIDMap, CIDSet and program are written as new objects, never in
    place: one such stream may be shared with another font (a saved file merges identical
    objects), which must keep its own.
    """

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        self._streams: set[int] = set()

    def stream(self, xref: int, data: bytes) -> None:
        if xref not in self._streams:
            self._streams.add(xref)
            self.doc.update_stream(xref, data)

    def key(self, xref: int, key: str, value: str) -> None:
        self.doc.xref_set_key(xref, key, value)

    def new_stream(self, owner: int, key: str, data: bytes, header: str = "") -> None:
        """A new stream object (dictionary entries ``header``) put under ``key`` of ``owner``."""
        xref = self.doc.get_new_xref()
        self.doc.update_object(xref, f"<<{header}>>")
        self.doc.update_stream(xref, data)
        self.doc.xref_set_key(owner, key, f"{xref} 0 R")


def _key_write(xref: int, key: str, value: str) -> Write:
    return lambda writer: writer.key(xref, key, value)


def _new_stream_write(owner: pikepdf.Object, key: str, data: bytes, header: str = "") -> Write:
    if not owner.is_indirect:
        raise _Skip(f"the dictionary holding /{key} is not an indirect object")
    xref = owner.objgen[0]
    return lambda writer: writer.new_stream(xref, key, data, header)


@dataclass
class _FontPlan:
    outcome: FontOutcome
    writes: list[Write] = field(default_factory=list)


def _plan_font(group: _Group) -> _FontPlan:
    """What to write for one font (and its copies); sets ``group.recode`` when it is renumbered."""
    group.recode = None
    if group.blocked:
        return _FontPlan(FontOutcome(group.name, group.subtype, "left", reason=group.blocked))
    try:
        if group.subtype == "Type0":
            return _plan_type0(group)
        if group.subtype == "Type3":
            return _plan_type3(group)
        return _plan_simple(group)
    except Exception as error:  # noqa: BLE001 - an odd font never stops the release
        group.recode = None
        return _FontPlan(FontOutcome(group.name, group.subtype, "left", reason=f"not rewritten: {error}"))


# -- Type0 fonts


def _plan_type0(group: _Group) -> _FontPlan:
    font = group.fonts[0]
    cid_font = _descendant(font)
    if cid_font is None:
        return _FontPlan(FontOutcome(group.name, "Type0", "left", reason="no descendant font"))
    encoding = font.get("/Encoding")
    cmap = _read_encoding_cmap(encoding) if isinstance(encoding, pikepdf.Stream) else None
    if isinstance(encoding, pikepdf.Name) and str(encoding) in ("/Identity-H", "/Identity-V"):
        cid_of: Callable[[bytes], int] = _identity_cid
        vertical = str(encoding) == "/Identity-V"
    elif cmap is not None:
        cid_of, vertical = cmap.cid, cmap.vertical
    else:
        reason = f"encoding {_describe(encoding)} not decoded"
        return _FontPlan(FontOutcome(group.name, "Type0", "left", reason=reason))
    codes = sorted(group.used)
    cids = {code: cid_of(code) for code in codes}
    program = _program_stream(cid_font.get("/FontDescriptor"))
    embedded = program is not None
    reason = ""
    before = after = 0
    new_data: bytes | None = None
    new_cid: dict[int, int] | None = None  # old CID -> new CID, when renumbered
    unicodes: dict[int, bytes] = {}  # CID -> text by the program's cmap
    if program is not None:
        try:
            new_data, before, after, new_cid, unicodes = _subset_cid_program(
                program, cid_font, set(cids.values()), renumber=group.renumber_ok
            )
        except _Skip as skip:
            reason = str(skip)
        except Exception as error:  # noqa: BLE001 - a broken program stays whole
            reason = f"program not subset: {error}"
    recode = {code: new_cid[cid].to_bytes(2, "big") for code, cid in cids.items()} if new_cid is not None else None

    def renumber(cid: int) -> int:
        return new_cid[cid] if new_cid is not None else cid

    shown = {renumber(cid) for cid in cids.values()} | {0}
    widths = {renumber(c): w for c, w in _cid_widths(cid_font.get("/W"), set(cids.values())).items()}
    widths2 = {renumber(c): m for c, m in _cid_widths2(cid_font.get("/W2"), set(cids.values())).items()}
    writes: list[Write] = []
    for member in group.fonts:
        member_cid = _descendant(member)
        if member_cid is None or not member_cid.is_indirect:
            raise _Skip("descendant font not an indirect object")
        fx, cx = member.objgen[0], member_cid.objgen[0]
        member_descriptor = member_cid.get("/FontDescriptor")
        if new_data is not None:
            writes.append(_program_write(member_descriptor, new_data))
        tounicode = member.get("/ToUnicode")
        has_map = isinstance(tounicode, pikepdf.Stream) and tounicode.is_indirect
        # "/ToUnicode /Identity-H" (a name, not a CMap): readers take each code as its text.
        identity = _name(tounicode) in ("Identity-H", "Identity-V")
        if has_map or (recode is not None and (unicodes or identity)):
            if isinstance(tounicode, pikepdf.Stream):
                source = _read_tounicode(tounicode.read_bytes())
            else:
                source = _ToUnicode({}, [(b"\x00\x00", b"\xff\xff", b"0000")] if identity else [])
            entries: dict[bytes, bytes] = {}
            for code in codes:
                dst = source.get(code) or unicodes.get(cids[code])
                key = recode[code] if recode is not None else code
                if dst and key not in entries:
                    entries[key] = dst
            writes.append(_new_stream_write(member, "ToUnicode", _write_tounicode(entries, 2)))
        if "/W" in member_cid:
            writes.append(_key_write(cx, "W", _w_array(widths)))
        if "/W2" in member_cid:
            writes.append(_key_write(cx, "W2", _w2_array(widths2)))
        if recode is not None:
            writes.append(_key_write(fx, "Encoding", "/Identity-V" if vertical else "/Identity-H"))
            if "/CIDToGIDMap" in member_cid:
                writes.append(_key_write(cx, "CIDToGIDMap", "/Identity"))
        else:
            cid_map = member_cid.get("/CIDToGIDMap")
            if isinstance(cid_map, pikepdf.Stream) and cid_map.is_indirect:
                table = _reduced_cid_map(cid_map.read_bytes(), shown)
                writes.append(_new_stream_write(member_cid, "CIDToGIDMap", table))
        if isinstance(member_descriptor, pikepdf.Dictionary) and member_descriptor.is_indirect:
            writes += _descriptor_writes(member_descriptor, shown, None)
    group.recode = recode
    outcome = FontOutcome(
        group.name,
        "Type0",
        "subset" if new_data is not None else "reduced",
        before,
        after,
        recode is not None,
        "" if new_data is not None or not embedded else reason,
    )
    return _FontPlan(outcome, writes)


def _identity_cid(code: bytes) -> int:
    return int.from_bytes(code, "big")


def _subset_cid_program(
    program: pikepdf.Stream, cid_font: pikepdf.Dictionary, cids: set[int], renumber: bool
) -> tuple[bytes, int, int, dict[int, int] | None, dict[int, bytes]]:
    """The subset program of a CID font, its glyph counts, old -> new CID when renumbered, and
    the text of each CID by the program's cmap (see :func:`_program_unicodes`)."""
    font, kind = _load_program(program.read_bytes())
    order = font.getGlyphOrder()
    cid_keyed = "CFF " in font and hasattr(_cff_top(font), "ROS")
    if cid_keyed and kind == "sfnt":
        renumber = False  # CID-keyed OpenType: the CIDs stay, its charset maps them to glyphs
    if _name(cid_font.get("/Subtype")) == "CIDFontType2":
        gid_map = cid_font.get("/CIDToGIDMap")
        table = gid_map.read_bytes() if isinstance(gid_map, pikepdf.Stream) else None

        def gid_of(cid: int) -> int:
            if table is None:
                return cid
            return int.from_bytes(table[2 * cid : 2 * cid + 2], "big") if 2 * cid + 2 <= len(table) else 0

    elif cid_keyed:
        by_name = {name: gid for gid, name in enumerate(order)}

        def gid_of(cid: int) -> int:
            return by_name.get(f"cid{cid:05d}", 0) if cid else 0

    else:

        def gid_of(cid: int) -> int:
            return cid

    gids = {0} | {g for g in map(gid_of, cids) if 0 <= g < len(order)}
    unicodes = _program_unicodes(font, {cid: gid_of(cid) for cid in cids}, order)
    names, kept = _subset(font, gids, retain=not renumber, glyph_names=False)
    mapping = None
    if renumber:
        if kind == "cff" and cid_keyed:
            names = _renumber_cid_charset(font, names)
        new_gid = {name: i for i, name in enumerate(names)}
        mapping = {}
        for cid in cids:
            gid = gid_of(cid)
            mapping[cid] = new_gid.get(order[gid], 0) if 0 <= gid < len(order) else 0
    return _dump_program(font, kind), len(order), kept, mapping, unicodes


def _program_unicodes(font: Any, gids: dict[int, int], order: list[str]) -> dict[int, bytes]:
    """CID -> the text its glyph stands for in the program's own cmap (hex UTF-16BE digits).

    A reader falls back on the font's cmap where the ToUnicode map has no entry; subsetting
    renumbers the glyphs and breaks that path, so the entries are written out instead.
    """
    from fontTools.agl import toUnicode  # type: ignore[import-untyped]

    try:
        cmap = font.getBestCmap() or {}
    except Exception:  # noqa: BLE001 - a program without a usable cmap: glyph names only
        cmap = {}
    by_name: dict[str, str] = {}
    for codepoint, name in sorted(cmap.items()):
        by_name.setdefault(name, chr(codepoint))
    result: dict[int, bytes] = {}
    for cid, gid in gids.items():
        name = order[gid] if 0 <= gid < len(order) else ".notdef"
        text = by_name.get(name) or toUnicode(name)  # else the glyph's name ("J", "uni004A")
        if text and all(ord(c) > 0x1F for c in text):
            result[cid] = text.encode("utf-16-be").hex().upper().encode()
    return result


def _renumber_cid_charset(font: Any, names: list[str]) -> list[str]:
    """Give a CID-keyed CFF the CIDs 0..n-1 in glyph order, so that CID = glyph number.

    Returns the old glyph names in the new order (the caller maps old names to positions).
    """
    top = _cff_top(font)
    old = list(top.charset)
    new = [".notdef"] + [f"cid{i:05d}" for i in range(1, len(old))]
    strings = top.CharStrings
    strings.charStrings = {n: strings.charStrings[o] for o, n in zip(old, new, strict=True)}
    top.charset = new
    font.setGlyphOrder(new)
    return old


def _cid_widths(array: Any, cids: set[int]) -> dict[int, float]:
    """Widths of the given CIDs from a ``/W`` array (those it does not list use /DW: left out)."""
    found: dict[int, float] = {}
    items = list(array) if isinstance(array, pikepdf.Array) else []
    i = 0
    while i + 1 < len(items):
        first = int(items[i])
        if isinstance(items[i + 1], pikepdf.Array):
            for offset, value in enumerate(items[i + 1]):
                if first + offset in cids:
                    found[first + offset] = float(value)
            i += 2
        elif i + 2 < len(items):
            last, width = int(items[i + 1]), float(items[i + 2])
            found.update((cid, width) for cid in cids if first <= cid <= last)
            i += 3
        else:
            break
    return found


def _cid_widths2(array: Any, cids: set[int]) -> dict[int, tuple[float, float, float]]:
    """Vertical metrics of the given CIDs from a ``/W2`` array."""
    found: dict[int, tuple[float, float, float]] = {}
    items = list(array) if isinstance(array, pikepdf.Array) else []
    i = 0
    while i + 1 < len(items):
        first = int(items[i])
        if isinstance(items[i + 1], pikepdf.Array):
            values = [float(v) for v in items[i + 1]]
            for offset in range(len(values) // 3):
                if first + offset in cids:
                    found[first + offset] = (values[3 * offset], values[3 * offset + 1], values[3 * offset + 2])
            i += 2
        elif i + 4 < len(items):
            last = int(items[i + 1])
            triple = (float(items[i + 2]), float(items[i + 3]), float(items[i + 4]))
            found.update((cid, triple) for cid in cids if first <= cid <= last)
            i += 5
        else:
            break
    return found


def _runs(keys: Iterable[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for key in sorted(keys):
        if runs and key == runs[-1][-1] + 1:
            runs[-1].append(key)
        else:
            runs.append([key])
    return runs


def _w_array(widths: dict[int, float]) -> str:
    return "[" + " ".join(f"{run[0]} [{' '.join(_num(widths[c]) for c in run)}]" for run in _runs(widths)) + "]"


def _w2_array(metrics: dict[int, tuple[float, float, float]]) -> str:
    parts = [f"{run[0]} [{' '.join(_num(v) for c in run for v in metrics[c])}]" for run in _runs(metrics)]
    return "[" + " ".join(parts) + "]"


def _reduced_cid_map(table: bytes, cids: set[int]) -> bytes:
    """A CIDToGIDMap with only the CIDs shown (the others map to glyph 0)."""
    out = bytearray(2 * (max(cids, default=0) + 1))
    for cid in cids:
        out[2 * cid : 2 * cid + 2] = table[2 * cid : 2 * cid + 2].ljust(2, b"\x00")
    return bytes(out)


# -- simple fonts


def _plan_simple(group: _Group) -> _FontPlan:
    font = group.fonts[0]
    codes = sorted(c[0] for c in group.used if c)
    program = _program_stream(_descriptor(font))
    before = after = 0
    new_data: bytes | None = None
    kept_names: list[str] | None = None
    reason = ""
    if program is not None:
        try:
            new_data, before, after, kept_names = _subset_simple_program(program, font, codes)
        except _Skip as skip:
            reason = str(skip)
        except Exception as error:  # noqa: BLE001 - a broken program stays whole
            reason = f"program not subset: {error}"
    differences = _differences(font)
    writes: list[Write] = []
    for member in group.fonts:
        descriptor = _descriptor(member)
        if new_data is not None:
            writes.append(_program_write(descriptor, new_data))
        writes += _simple_map_writes(member, codes, differences)
        if isinstance(descriptor, pikepdf.Dictionary) and descriptor.is_indirect:
            writes += _descriptor_writes(descriptor, None, kept_names)
    action = "subset" if new_data is not None else "reduced"
    return _FontPlan(FontOutcome(group.name, group.subtype, action, before, after, reason=reason), writes)


def _simple_map_writes(font: pikepdf.Dictionary, codes: list[int], differences: dict[int, str]) -> list[Write]:
    """Widths, Differences and ToUnicode of a simple font reduced to the codes shown."""
    xref = font.objgen[0]
    writes: list[Write] = []
    widths = font.get("/Widths")
    if isinstance(widths, pikepdf.Array):
        first = int(font.get("/FirstChar", 0))
        values = [float(w) for w in widths]
        descriptor = font.get("/FontDescriptor")
        missing = float(descriptor.get("/MissingWidth", 0)) if isinstance(descriptor, pikepdf.Dictionary) else 0.0
        low, high = (codes[0], codes[-1]) if codes else (first, first)
        shown = set(codes)
        new = [
            (values[c - first] if 0 <= c - first < len(values) else missing) if c in shown else 0.0
            for c in range(low, high + 1)
        ]
        writes.append(_key_write(xref, "FirstChar", str(low)))
        writes.append(_key_write(xref, "LastChar", str(high)))
        writes.append(_key_write(xref, "Widths", "[" + " ".join(_num(w) for w in new) + "]"))
    encoding = font.get("/Encoding")
    if isinstance(encoding, pikepdf.Dictionary) and "/Differences" in encoding:
        kept = {c: differences[c] for c in codes if c in differences}
        parts = ["/Type /Encoding"]
        base = encoding.get("/BaseEncoding")
        if isinstance(base, pikepdf.Name):
            parts.append(f"/BaseEncoding {base}")
        runs = " ".join(f"{run[0]} " + " ".join(_pdf_name(kept[c]) for c in run) for run in _runs(kept))
        parts.append(f"/Differences [{runs}]")
        writes.append(_key_write(xref, "Encoding", "<<" + " ".join(parts) + ">>"))
    tounicode = font.get("/ToUnicode")
    if isinstance(tounicode, pikepdf.Stream) and tounicode.is_indirect:
        source = _read_tounicode(tounicode.read_bytes())
        entries = {bytes([c]): dst for c in codes if (dst := source.get(bytes([c])))}
        writes.append(_new_stream_write(font, "ToUnicode", _write_tounicode(entries, 1)))
    return writes


def _subset_simple_program(
    program: pikepdf.Stream, pdf_font: pikepdf.Dictionary, codes: list[int]
) -> tuple[bytes, int, int, list[str]]:
    """The subset program of a simple font (its codes stay), glyph counts, the glyph names kept."""
    font, kind = _load_program(program.read_bytes())
    order = font.getGlyphOrder()
    index = {name: gid for gid, name in enumerate(order)}
    names = _code_names(pdf_font, codes)
    if kind == "cff":
        top = _cff_top(font)
        if hasattr(top, "ROS"):
            raise _Skip("CID-keyed CFF program in a simple font")
        builtin = top.Encoding if isinstance(top.Encoding, list) else None
        wanted = {n for code in codes for n in names.get(code, [])}
        if builtin is not None:
            wanted |= {builtin[c] for c in codes if c < len(builtin)}
        kept_names, kept = _subset(font, {0} | {index[n] for n in wanted if n in index}, retain=False, glyph_names=True)
        if builtin is not None:  # the subsetter drops a custom built-in encoding: keep the codes shown
            present = set(kept_names)
            top.Encoding = [
                builtin[c] if c in codes and c < len(builtin) and builtin[c] in present else ".notdef"
                for c in range(256)
            ]
        return _dump_program(font, kind), len(order), kept, kept_names
    has_cmap = "cmap" in font and bool(font["cmap"].tables)
    gids = {0} | _truetype_glyphs(font, pdf_font, codes, names)
    legacy = _legacy_cmaps(font, codes) if has_cmap else []
    kept_names, kept = _subset(font, gids, retain=not has_cmap, glyph_names=True)
    present = set(kept_names)
    for subtable in legacy:
        subtable.cmap = {c: g for c, g in subtable.cmap.items() if g in present}
        if subtable.cmap:
            font["cmap"].tables.append(subtable)
    return _dump_program(font, kind), len(order), kept, kept_names


def _truetype_glyphs(
    font: Any, pdf_font: pikepdf.Dictionary, codes: list[int], names: dict[int, list[str]]
) -> set[int]:
    """Glyphs a reader may pick for the codes of a simple TrueType font (the usual lookups, all)."""
    from fontTools import agl  # type: ignore[import-untyped]

    order = font.getGlyphOrder()
    index = {name: gid for gid, name in enumerate(order)}
    found: set[str] = set()
    tables = font["cmap"].tables if "cmap" in font else []
    unicode_maps = [t.cmap for t in tables if t.isUnicode()]
    tounicode = pdf_font.get("/ToUnicode")
    source = _read_tounicode(tounicode.read_bytes()) if isinstance(tounicode, pikepdf.Stream) else None
    for code in codes:
        for table in tables:
            if table.platformID == 3 and table.platEncID == 0:
                found.update(
                    table.cmap[u] for u in (code, 0xF000 + code, 0xF100 + code, 0xF200 + code) if u in table.cmap
                )
            elif table.platformID == 1 and table.platEncID == 0 and code in table.cmap:
                found.add(table.cmap[code])
        texts = {agl.toUnicode(n) for n in names.get(code, [])}
        if source is not None and (dst := source.get(bytes([code]))):
            with contextlib.suppress(ValueError):
                texts.add(bytes.fromhex(dst.decode()).decode("utf-16-be"))
        for text in texts:
            if len(text) == 1:
                found.update(m[ord(text)] for m in unicode_maps if ord(text) in m)
        found.update(n for n in names.get(code, []) if n in index)
        if not tables and code < len(order):
            found.add(order[code])
    return {index[n] for n in found if n in index}


def _legacy_cmaps(font: Any, codes: list[int]) -> list[Any]:
    """Copies of the format 0 cmap subtables (the subsetter drops them), for the codes shown."""
    from fontTools.ttLib.tables._c_m_a_p import CmapSubtable  # type: ignore[import-untyped]

    copies = []
    for table in font["cmap"].tables:
        if table.format == 0:
            copy = CmapSubtable.newSubtable(6)
            copy.platformID, copy.platEncID, copy.language = table.platformID, table.platEncID, table.language
            copy.cmap = {c: table.cmap[c] for c in codes if c in table.cmap}
            copies.append(copy)
    return copies


# -- Type3 fonts


def _plan_type3(group: _Group) -> _FontPlan:
    codes = sorted(c[0] for c in group.used if c)
    differences = _differences(group.fonts[0])
    before = after = 0
    writes: list[Write] = []
    for member in group.fonts:
        procs = member.get("/CharProcs")
        if not isinstance(procs, pikepdf.Dictionary):
            raise _Skip("no glyph procedures")
        kept = sorted({differences[c] for c in codes if c in differences and "/" + differences[c] in procs})
        entries = []
        for name in kept:
            proc = procs["/" + name]
            if not proc.is_indirect:
                raise _Skip("glyph procedure not an indirect object")
            entries.append(f"{_pdf_name(name)} {proc.objgen[0]} 0 R")
        writes.append(_key_write(member.objgen[0], "CharProcs", "<<" + " ".join(entries) + ">>"))
        writes += _simple_map_writes(member, codes, differences)
        before, after = len(procs.keys()), len(kept)
    return _FontPlan(FontOutcome(group.name, "Type3", "subset", before, after), writes)


# ---------------------------------------------------------------------------------------
# font programs


def _load_program(data: bytes) -> tuple[Any, str]:
    """A fontTools font of an embedded program: ``sfnt`` (TrueType, OpenType) or bare ``cff``."""
    from fontTools.cffLib import CFFFontSet  # type: ignore[import-untyped]
    from fontTools.ttLib import TTFont, newTable  # type: ignore[import-untyped]

    if data[:4] in (b"\x00\x01\x00\x00", b"true", b"OTTO"):
        return TTFont(io.BytesIO(data)), "sfnt"
    if data[:1] == b"\x01":
        font = TTFont(sfntVersion="OTTO")
        table = newTable("CFF ")
        table.cff = CFFFontSet()
        table.cff.decompile(io.BytesIO(data), font, isCFF2=False)
        font["CFF "] = table
        font.setGlyphOrder(list(table.cff[table.cff.fontNames[0]].charset))
        return font, "cff"
    if data[:2] == b"%!" or data[:1] == b"\x80":
        raise _Skip("Type1 program (FontFile) not subset")
    raise _Skip("program format not recognised")


def _cff_top(font: Any) -> Any:
    cff = font["CFF "].cff
    return cff[cff.fontNames[0]]


def _subset(font: Any, gids: set[int], retain: bool, glyph_names: bool) -> tuple[list[str], int]:
    """Subset the fontTools font in place to the glyphs and their components.

    Returns the new glyph order and the number of glyphs kept (with ``retain`` the order
    keeps every slot, the glyphs not kept emptied).
    """
    from fontTools import subset

    options = subset.Options()
    options.retain_gids = retain
    options.glyph_names = glyph_names
    options.notdef_outline = True
    options.layout_closure = False
    options.legacy_cmap = True
    options.symbol_cmap = True
    options.ignore_missing_glyphs = True
    options.prune_unicode_ranges = False
    options.prune_codepage_ranges = False
    options.drop_tables = [*options.drop_tables, *_DROP_TABLES]
    subsetter = subset.Subsetter(options)
    subsetter.populate(gids=sorted(gids))
    subsetter.subset(font)
    return list(font.getGlyphOrder()), len(subsetter.glyphs_retained)


def _dump_program(font: Any, kind: str) -> bytes:
    buffer = io.BytesIO()
    if kind == "cff":
        font["CFF "].cff.compile(buffer, font)
    else:
        font.save(buffer)
    return buffer.getvalue()


def _program_write(descriptor: Any, data: bytes) -> Write:
    """The subset program put in the descriptor, as a new stream of the same kind."""
    for key, header in (("/FontFile2", f"/Length1 {len(data)}"), ("/FontFile3", "")):
        stream = descriptor.get(key) if isinstance(descriptor, pikepdf.Dictionary) else None
        if isinstance(stream, pikepdf.Stream):
            subtype = stream.get("/Subtype")
            if isinstance(subtype, pikepdf.Name):
                header = f"/Subtype {subtype}"
            return _new_stream_write(descriptor, key[1:], data, header)
    raise _Skip("no font program to replace")


def _program_stream(descriptor: Any) -> pikepdf.Stream | None:
    if not isinstance(descriptor, pikepdf.Dictionary):
        return None
    for key in ("/FontFile2", "/FontFile3", "/FontFile"):
        stream = descriptor.get(key)
        if isinstance(stream, pikepdf.Stream):
            return stream
    return None


def _descriptor_writes(descriptor: pikepdf.Dictionary, cids: set[int] | None, names: list[str] | None) -> list[Write]:
    """``/CIDSet`` rewritten to the CIDs shown, ``/CharSet`` to the glyph names kept; else dropped."""
    xref = descriptor.objgen[0]
    writes: list[Write] = []
    cid_set = descriptor.get("/CIDSet")
    if cid_set is not None:
        if isinstance(cid_set, pikepdf.Stream) and cid_set.is_indirect and cids is not None:
            bits = bytearray(max(cids | {0}) // 8 + 1)
            for cid in cids | {0}:
                bits[cid // 8] |= 0x80 >> (cid % 8)
            writes.append(_new_stream_write(descriptor, "CIDSet", bytes(bits)))
        else:
            writes.append(_key_write(xref, "CIDSet", "null"))
    if "/CharSet" in descriptor:
        if names is not None:
            text = "".join("/" + n for n in names if n != ".notdef")
            writes.append(_key_write(xref, "CharSet", pikepdf.String(text).unparse().decode("latin-1")))
        else:
            writes.append(_key_write(xref, "CharSet", "null"))
    return writes


# ---------------------------------------------------------------------------------------
# encodings of simple fonts


def _differences(font: pikepdf.Dictionary) -> dict[int, str]:
    encoding = font.get("/Encoding")
    result: dict[int, str] = {}
    if isinstance(encoding, pikepdf.Dictionary) and isinstance(encoding.get("/Differences"), pikepdf.Array):
        code = 0
        for item in encoding.Differences:
            if isinstance(item, pikepdf.Name):
                if 0 <= code < 256:
                    result[code] = str(item)[1:]
                code += 1
            else:
                with contextlib.suppress(TypeError, ValueError):
                    code = int(item)
    return result


def _code_names(font: pikepdf.Dictionary, codes: list[int]) -> dict[int, list[str]]:
    """Glyph names a reader may take for each code: the Differences entry, else the base encodings."""
    encoding = font.get("/Encoding")
    base = encoding.get("/BaseEncoding") if isinstance(encoding, pikepdf.Dictionary) else encoding
    tables = [_base_encoding(_name(base))] if isinstance(base, pikepdf.Name) else []
    if not tables:
        tables = [_base_encoding("StandardEncoding"), _base_encoding("WinAnsiEncoding")]
    differences = _differences(font)
    result: dict[int, list[str]] = {}
    for code in codes:
        if code in differences:
            result[code] = [differences[code]]
        else:
            result[code] = [t[code] for t in tables if t[code] and t[code] != ".notdef"]
    return result


def _base_encoding(name: str) -> list[str]:
    from fontTools import agl
    from fontTools.encodings.StandardEncoding import StandardEncoding  # type: ignore[import-untyped]

    if name == "WinAnsiEncoding":
        names = []
        for code in range(256):
            try:
                char = bytes([code]).decode("cp1252")
            except UnicodeDecodeError:
                names.append("bullet" if code >= 0x7F else ".notdef")
                continue
            names.append({0xA0: "space", 0xAD: "hyphen"}.get(code) or agl.UV2AGL.get(ord(char), ".notdef"))
        return names
    if name == "MacRomanEncoding":
        return [
            agl.UV2AGL.get(ord(bytes([c]).decode("mac_roman")), ".notdef") if c >= 32 else ".notdef" for c in range(256)
        ]
    return list(StandardEncoding)


# ---------------------------------------------------------------------------------------
# small helpers


def _name(obj: Any) -> str:
    return str(obj)[1:] if isinstance(obj, pikepdf.Name) else ""


def _describe(obj: Any) -> str:
    if isinstance(obj, pikepdf.Name):
        return str(obj)
    return "stream" if isinstance(obj, pikepdf.Stream) else type(obj).__name__


def _num(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.4f}".rstrip("0").rstrip(".")


def _pdf_name(name: str) -> str:
    """A PDF name token, with delimiters and non-printable bytes escaped."""
    out = []
    for byte in name.encode("utf-8"):
        char = chr(byte)
        if byte < 0x21 or byte > 0x7E or char in "#/()<>[]{}%":
            out.append(f"#{byte:02X}")
        else:
            out.append(char)
    return "/" + "".join(out)


def _key(res: Any, owner: tuple[Any, ...]) -> Any:
    """What identifies a resource dictionary: its object, or the object that holds it directly."""
    return res.objgen if isinstance(res, pikepdf.Object) and res.is_indirect else owner


def _inherited(page: pikepdf.Dictionary, key: str) -> Any:
    node: Any = page
    for _ in range(_MAX_DEPTH):
        if not isinstance(node, pikepdf.Dictionary):
            return None
        if key in node:
            return node[key]
        node = node.get("/Parent")
    return None


def _as_list(obj: Any) -> list[Any]:
    if isinstance(obj, pikepdf.Array):
        return list(obj)
    return [] if obj is None else [obj]


def _values(obj: Any) -> list[Any]:
    return list(obj.values()) if isinstance(obj, pikepdf.Dictionary) else []


def _lookup(res: pikepdf.Dictionary, category: str, name: Any) -> Any:
    group = res.get(category)
    if isinstance(group, pikepdf.Dictionary) and isinstance(name, pikepdf.Name):
        return group.get(str(name))
    return None


def _child_resources(res: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    """Resource dictionaries of the forms, patterns, Type3 fonts and soft masks a resource dictionary names."""
    owners: list[Any] = _values(res.get("/XObject")) + _values(res.get("/Pattern")) + _values(res.get("/Font"))
    for state in _values(res.get("/ExtGState")):
        mask = state.get("/SMask") if isinstance(state, pikepdf.Dictionary) else None
        if isinstance(mask, pikepdf.Dictionary):
            owners.append(mask.get("/G"))
    children: list[pikepdf.Dictionary] = []
    for owner in owners:
        child = owner.get("/Resources") if isinstance(owner, pikepdf.Dictionary | pikepdf.Stream) else None
        if isinstance(child, pikepdf.Dictionary):
            children.append(child)
    return children


def _appearances(annot: pikepdf.Dictionary) -> list[Any]:
    streams = []
    ap = annot.get("/AP")
    if isinstance(ap, pikepdf.Dictionary):
        for entry in ap.values():
            if isinstance(entry, pikepdf.Stream):
                streams.append(entry)
            elif isinstance(entry, pikepdf.Dictionary):
                streams.extend(v for v in entry.values() if isinstance(v, pikepdf.Stream))
    return streams


def _descendant(font: pikepdf.Dictionary) -> pikepdf.Dictionary | None:
    descendants = font.get("/DescendantFonts")
    if isinstance(descendants, pikepdf.Array) and len(descendants) and isinstance(descendants[0], pikepdf.Dictionary):
        return descendants[0]
    return None


def _descriptor(font: pikepdf.Dictionary) -> Any:
    if _name(font.get("/Subtype")) == "Type0":
        cid_font = _descendant(font)
        return cid_font.get("/FontDescriptor") if cid_font is not None else None
    return font.get("/FontDescriptor")


@contextlib.contextmanager
def _quiet_fonttools() -> Iterator[None]:
    """fontTools logs what it drops while subsetting; library code prints nothing."""
    logger = logging.getLogger("fontTools")
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        logger.setLevel(level)
