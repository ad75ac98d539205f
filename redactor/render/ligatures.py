"""Ligature glyphs read as their letters: ToUnicode maps of the extract decomposed.

A word typeset with an "fi" ligature must read (and search, and match a rule) as "f", "i";
this rewrites every ToUnicode CMap entry that maps a glyph to one ligature code point.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pymupdf

_LIGATURES = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
}
_CMAP_SECTION = re.compile(rb"\d+\s+begin(bfrange|bfchar)\b(.*?)\bend\1\b", re.S)
_CMAP_TOKEN = re.compile(rb"<([0-9A-Fa-f]*)>|\[|\]")
_CMAP_CHUNK = 100  # entries per bfchar section, the PDF limit


def decompose_ligatures(doc: pymupdf.Document) -> int:
    """Map ligature glyphs to their letters in every font's ToUnicode CMap.

    PyMuPDF's HTML layout draws "fi" as one ligature glyph whose Unicode value is
    U+FB01, so extracted or copied text reads "declassiﬁed" and a search for
    "declassified" misses it. Rewriting the CMap keeps the glyphs and fixes the text.
    Returns the number of CMaps rewritten.
    """
    rewritten = 0
    for xref in range(1, doc.xref_length()):
        kind, value = doc.xref_get_key(xref, "ToUnicode")
        if kind != "xref":
            continue
        cmap_xref = int(value.split()[0])
        new = _decompose_cmap(doc.xref_stream(cmap_xref))
        if new is not None:
            doc.update_stream(cmap_xref, new)
            rewritten += 1
    return rewritten


def _decompose_cmap(cmap: bytes) -> bytes | None:
    """Return `cmap` with ligatures spelt out as bfchar entries, or None if it has none."""
    sections = list(_CMAP_SECTION.finditer(cmap))
    if not sections:
        return None
    mapping: dict[bytes, str] = {}
    for section in sections:
        tokens = [m.group(0) for m in _CMAP_TOKEN.finditer(section.group(2))]
        if section.group(1) == b"bfchar":
            for src, dst in zip(tokens[0::2], tokens[1::2], strict=False):
                mapping[src[1:-1].upper()] = _utf16(dst[1:-1])
        else:
            _read_ranges(tokens, mapping)
    if not any(ch in _LIGATURES for text in mapping.values() for ch in text):
        return None
    entries = [
        b"<"
        + src
        + b"> <"
        + "".join(_LIGATURES.get(c, c) for c in text).encode("utf-16-be").hex().upper().encode()
        + b">"
        for src, text in sorted(mapping.items(), key=lambda item: (len(item[0]), item[0]))
    ]
    body = b"".join(
        b"%d beginbfchar\n" % len(chunk) + b"\n".join(chunk) + b"\nendbfchar\n"
        for chunk in (entries[i : i + _CMAP_CHUNK] for i in range(0, len(entries), _CMAP_CHUNK))
    )
    return cmap[: sections[0].start()] + body + cmap[sections[-1].end() :].lstrip(b"\r\n")


def _read_ranges(tokens: list[bytes], mapping: dict[bytes, str]) -> None:
    """Add the entries of a bfrange section (as tokens) to `mapping`."""
    i = 0
    while i + 2 < len(tokens):
        lo_hex, hi_hex = tokens[i][1:-1], tokens[i + 1][1:-1]
        lo, hi, width = int(lo_hex, 16), int(hi_hex, 16), len(lo_hex)
        if tokens[i + 2] == b"[":
            end = tokens.index(b"]", i + 3)
            for offset, dst in enumerate(tokens[i + 3 : end]):
                mapping[b"%0*X" % (width, lo + offset)] = _utf16(dst[1:-1])
            i = end + 1
            continue
        dst_hex = tokens[i + 2][1:-1]
        base = int(dst_hex, 16)
        for code in range(lo, hi + 1):
            mapping[b"%0*X" % (width, code)] = _target(dst_hex, base + code - lo)
        i += 3


def _utf16(hex_text: bytes) -> str:
    """A bfchar/bfrange target: UTF-16BE bytes, or (odd digit count) a bare code point."""
    return _target(hex_text, int(hex_text, 16) if hex_text else 0)


def _target(hex_text: bytes, value: int) -> str:
    """The text of a CMap target ``value`` written with ``hex_text``'s digit count.

    Targets are UTF-16BE, an even number of hex digits; PyMuPDF's own font embedding writes
    code points beyond U+FFFF as five digits (``<1ee24>``), which are taken as code points.
    """
    if len(hex_text) % 2:
        return chr(value) if 0 <= value <= 0x10FFFF else "\ufffd"
    size = max(2, len(hex_text) // 2)
    try:
        return value.to_bytes(size, "big").decode("utf-16-be", "replace")
    except OverflowError:
        return "\ufffd"
