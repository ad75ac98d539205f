"""Leak check of a finished extract against the plan that made it.

What is checked (each a *leak*, exit 1):

- text: every withheld sequence of three words and every withheld word of six or more
  characters that the released text does not also contain must be absent from the text
  of every page (invisible and clipped text included) and from every string and every
  decompressed stream of the file (content streams with TJ/Tj operands joined, metadata,
  annotations, outline, names, forms, embedded files, JavaScript);
- structure: one revision; no embedded files, JavaScript, open actions, optional
  content, form fields, thumbnails or annotations; the extract's own metadata and no
  XMP; no classification marking left on the pages after the cover;
- images: no image of the extract is identical to a source image that lay, wholly or in
  part, in a withheld area.

And a *warning* (a leak with ``--strict``): a withheld span inside a line that keeps
released words on both sides lets its width be measured (use ``conceal: line``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from redactor.errors import CheckFailed
from redactor.i18n import labels_for
from redactor.numbering import new_number
from redactor.plan.model import Plan

#: Withheld words shorter than this are too common to count as a leak on their own.
MIN_WORD_LENGTH = 6
#: The human report lists this many warnings; --json lists them all.
MAX_WARNINGS_SHOWN = 20
#: Length of the withheld word sequences that are searched for.
SEQUENCE_LENGTH = 3

_WORD = re.compile(r"[^\W_][\w'’/.-]*[^\W_]|[^\W_]", re.UNICODE)
_LITERAL = re.compile(rb"\((?:\\.|[^\\)])*\)")
_TJ_ARRAY = re.compile(rb"\[([^\]]*)\]\s*TJ")
_HEX = re.compile(r"<([0-9A-Fa-f\s]{4,})>")
_FORBIDDEN_KEYS = {
    "/JavaScript": "JavaScript",
    "/JS": "JavaScript",
    "/OpenAction": "an open action",
    "/EmbeddedFile": "an embedded file",
    "/EmbeddedFiles": "embedded files",
    "/OCProperties": "optional-content layers",
    "/OCG": "an optional-content group",
    "/AcroForm": "a form",
    "/Widget": "a form field",
    "/Thumb": "a thumbnail",
    "/Annots": "annotations",
    "/XFA": "an XFA form",
    "/StructTreeRoot": "a structure tree",
    "/PieceInfo": "private application data",
    "/PageLabels": "page labels",
    "/Dests": "named destinations",
}


@dataclass(frozen=True)
class Finding:
    """One problem: what leaked (never the withheld text itself) and where."""

    severity: Literal["leak", "warning"]
    kind: str  # text, structure, image, width
    where: str
    detail: str


@dataclass
class VerifyReport:
    """All findings of one check."""

    findings: list[Finding] = field(default_factory=list)

    @property
    def leaks(self) -> list[Finding]:
        """Findings that are leaks."""
        return [f for f in self.findings if f.severity == "leak"]

    @property
    def warnings(self) -> list[Finding]:
        """Findings that are warnings."""
        return [f for f in self.findings if f.severity == "warning"]

    def failed(self, strict: bool = False) -> bool:
        """True when the extract must not be released."""
        return bool(self.leaks or (strict and self.warnings))

    def text(self) -> str:
        """Human report."""
        if not self.findings:
            return "verify: clean — no withheld text, structure or image found in the extract."
        lines = [f"verify: {len(self.leaks)} leak(s), {len(self.warnings)} warning(s)"]
        shown = self.leaks + self.warnings[:MAX_WARNINGS_SHOWN]
        for f in shown:
            lines.append(f"  {f.severity.upper():8} {f.kind:10} {f.where}: {f.detail}")
        if len(self.warnings) > MAX_WARNINGS_SHOWN:
            lines.append(f"  ... and {len(self.warnings) - MAX_WARNINGS_SHOWN} more warning(s); --json lists them all")
        return "\n".join(lines)

    def json(self) -> str:
        """Machine report."""
        return json.dumps(
            {"leaks": len(self.leaks), "warnings": len(self.warnings), "findings": [asdict(f) for f in self.findings]},
            indent=2,
        )


def _norm(token: str) -> str:
    return token.strip(".,;:!?\"'()[]{}«»“”‘’").casefold()


def tokens(text: str) -> list[str]:
    """Words of ``text``, normalised the same way for source and extract."""
    return [t for t in (_norm(m.group()) for m in _WORD.finditer(text)) if t]


#: PDF string escapes (ISO 32000-1, 7.3.4.2): the letter escapes and up to three octal digits.
_STRING_ESCAPE = re.compile(rb"\\([0-7]{1,3}|.)", re.DOTALL)
_ESCAPED = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _unescape(match: re.Match[bytes]) -> bytes:
    code = match.group(1)
    if code[:1] in b"01234567":  # \8 and \9 are not octal: the backslash is dropped
        return bytes([int(code, 8) & 0xFF])
    return _ESCAPED.get(code, b"" if code in b"\r\n" else code)


def _decode_literal(raw: bytes) -> str:
    body = _STRING_ESCAPE.sub(_unescape, raw[1:-1])
    if body.startswith(b"\xfe\xff"):
        return body[2:].decode("utf-16-be", "ignore")
    return body.decode("latin-1")


def _decode_hex(text: str) -> str:
    data = bytes.fromhex(re.sub(r"\s", "", text) + ("0" if len(re.sub(r"\s", "", text)) % 2 else ""))
    if data.startswith(b"\xfe\xff"):
        return data[2:].decode("utf-16-be", "ignore")
    return data.decode("latin-1")


def file_texts(doc: Any) -> Iterator[tuple[str, str]]:
    """(where, text) for every page's text and every object and decompressed stream.

    A generator: a large extract is read one piece at a time, never held as text whole.
    """
    import pymupdf

    flags = pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_PRESERVE_LIGATURES
    for page in doc:
        yield (f"page {page.number + 1} text", page.get_text("text", flags=flags))
    for xref in range(1, doc.xref_length()):
        try:
            obj = doc.xref_object(xref, compressed=True)
        except Exception:  # a free or broken entry holds nothing
            continue
        strings = [_decode_literal(m.group()) for m in _LITERAL.finditer(obj.encode("latin-1", "replace"))]
        strings += [_decode_hex(m.group(1)) for m in _HEX.finditer(obj)]
        yield (f"object {xref}", obj + "\n" + "\n".join(strings))
        if doc.xref_is_stream(xref):
            try:
                data = doc.xref_stream(xref) or b""
            except Exception:
                data = doc.xref_stream_raw(xref) or b""
            joined = [
                "".join(_decode_literal(s.group()) for s in _LITERAL.finditer(arr.group(1)))
                for arr in _TJ_ARRAY.finditer(data)
            ]
            literals = [_decode_literal(s.group()) for s in _LITERAL.finditer(data)]
            yield (f"object {xref} stream", data.decode("latin-1") + "\n" + "\n".join(joined + literals))


def _grams(toks: list[str]) -> set[int]:
    """The word sequences of ``toks``, as hashes: millions of them are held for a large document."""
    return {hash(g) for g in zip(*(toks[i:] for i in range(SEQUENCE_LENGTH)), strict=False)}


def _public_texts(plan: Plan) -> list[str]:
    """What the extract prints by design besides released words: the cover, placeholders, markings."""
    rs = plan.ruleset
    public: list[str] = [
        rs.document.number,
        str(rs.document.dated),
        rs.document.classification,
        rs.document.subject,
        *rs.document.codes,
        rs.release.place,
        rs.release.issuer,
        rs.release.new_status,
        *(m.replace for m in rs.markings),
        rs.placeholders.inline,
        rs.placeholders.tail,
        rs.placeholders.pages,
        rs.placeholders.page,
        rs.placeholders.condensed_note,
    ]

    labels = labels_for(rs.release.language)
    return public + [v for v in vars(labels).values() if isinstance(v, str)] + list(labels.months)


def _public_tokens(plan: Plan) -> set[str]:
    words = {t for text in _public_texts(plan) for t in tokens(text)}
    for wid, verdict in enumerate(plan.verdicts):
        if not verdict.withheld:
            words.update(tokens(plan.document.words[wid].text))
    return words


def _withheld_needles(plan: Plan, public: set[str]) -> tuple[set[int], set[str]]:
    """Withheld word sequences the released text does not also hold, and rare withheld words.

    The released sequences are struck out page by page rather than collected first, so a
    large document never holds both sets whole.
    """
    grams: set[int] = set()
    words: set[str] = set()
    doc = plan.document
    for wid_run in _withheld_word_runs(plan):
        toks = [t for w in wid_run for t in tokens(doc.words[w].text)]
        grams.update(_grams(toks))
        words.update(t for t in toks if len(t) >= MIN_WORD_LENGTH and t not in public and not t.isdigit())
    for text in _public_texts(plan):
        grams.difference_update(_grams(tokens(text)))
    # Released words run together across blocks in a page's text (table rows read cell after
    # cell), so the released sequences are taken page by page in reading order.
    for page in doc.pages:
        toks = [
            t
            for b in page.block_ids
            for w in doc.blocks[b].word_ids
            if not plan.verdicts[w].withheld
            for t in tokens(doc.words[w].text)
        ]
        grams.difference_update(_grams(toks))
    return grams, words


def _withheld_word_runs(plan: Plan) -> Iterator[list[int]]:
    """Withheld words in reading order per block (whole withheld pages included), one run at a time."""
    for block in plan.document.blocks:
        current: list[int] = []
        for wid in block.word_ids:
            if plan.verdicts[wid].withheld:
                current.append(wid)
            elif current:
                yield current
                current = []
        if current:
            yield current


def verify_document(doc: Any, data: bytes, plan: Plan) -> VerifyReport:
    """Check an opened extract (PyMuPDF document) and its bytes against the plan."""
    report = VerifyReport()
    public = _public_tokens(plan)
    grams, words = _withheld_needles(plan, public)
    for where, text in file_texts(doc):
        toks = tokens(text)
        found_words = words.intersection(toks)
        found_grams = grams.intersection(_grams(toks))
        if found_words or found_grams:
            report.findings.append(
                Finding(
                    "leak",
                    "text",
                    where,
                    f"{len(found_grams)} withheld word sequence(s) and {len(found_words)} withheld word(s) found",
                )
            )
    _check_structure(doc, data, plan, report)
    _check_images(doc, plan, report)
    _check_widths(plan, report)
    return report


def _check_structure(doc: Any, data: bytes, plan: Plan, report: VerifyReport) -> None:
    revisions = data.count(b"%%EOF")
    if revisions != 1 or doc.xref_get_key(-1, "Prev")[0] != "null":
        report.findings.append(
            Finding("leak", "structure", "file", f"{revisions} revisions: earlier ones may hold removed content")
        )
    for xref in range(1, doc.xref_length()):
        try:
            obj = doc.xref_object(xref, compressed=True)
        except Exception:
            continue
        for key, what in _FORBIDDEN_KEYS.items():
            if re.search(re.escape(key) + r"(?![A-Za-z])", obj):
                report.findings.append(Finding("leak", "structure", f"object {xref}", f"holds {what} ({key})"))
    if doc.embfile_count():
        report.findings.append(Finding("leak", "structure", "file", f"{doc.embfile_count()} embedded file(s)"))
    if doc.get_xml_metadata():
        report.findings.append(Finding("leak", "structure", "file", "XMP metadata present"))
    expected = new_number(plan.ruleset.document.number, plan.ruleset.release.extract)
    meta = doc.metadata or {}
    if meta.get("title") != expected or any(meta.get(k) for k in ("author", "subject", "keywords")):
        report.findings.append(Finding("leak", "structure", "Info", "metadata is not the extract's own"))
    for page in doc:
        if page.number == 0:
            continue  # the cover names the source's classification by design
        text = " ".join(page.get_text().split())
        for marking in plan.ruleset.markings:
            if marking.find not in marking.replace and marking.find in text:
                report.findings.append(
                    Finding("leak", "structure", f"page {page.number + 1}", f"marking '{marking.find}' left")
                )
        if page.first_annot is not None or page.first_widget is not None:
            report.findings.append(Finding("leak", "structure", f"page {page.number + 1}", "annotation or form field"))


def _check_images(doc: Any, plan: Plan, report: VerifyReport) -> None:
    exposed: set[str] = set()
    for image in plan.document.images:
        page_plan = plan.pages[image.page - 1]
        withheld = plan.image_verdicts[image.id].withheld
        overlap = any(image.rect.intersects(r) and _overlap_area(image.rect, r) > 1.0 for r in page_plan.remove_rects)
        if withheld or (page_plan.disposition != "withheld" and overlap):
            exposed.add(image.digest)
    released = {
        i.digest
        for i in plan.document.images
        if not plan.image_verdicts[i.id].withheld
        and not any(_overlap_area(i.rect, r) > 1.0 for r in plan.pages[i.page - 1].remove_rects)
    }
    exposed -= released
    exposed.discard("")
    for page in doc:
        for info in page.get_image_info(hashes=True):
            digest = (info.get("digest") or b"").hex()
            if digest in exposed:
                report.findings.append(
                    Finding("leak", "image", f"page {page.number + 1}", "an image identical to a withheld source image")
                )


def _overlap_area(a: Any, b: Any) -> float:
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return w * h if w > 0 and h > 0 else 0.0


def _check_widths(plan: Plan, report: VerifyReport) -> None:
    doc = plan.document
    for area in plan.areas():
        members = set(area.word_ids)
        lines = dict.fromkeys(doc.words[w].line for w in area.word_ids)
        for line_id in lines:
            ids = doc.lines[line_id].word_ids
            inside = [i for i, w in enumerate(ids) if w in members]
            if not inside:
                continue
            left = any(not plan.verdicts[w].withheld for w in ids[: inside[0]])
            right = any(not plan.verdicts[w].withheld for w in ids[inside[-1] + 1 :])
            if left and right:
                report.findings.append(
                    Finding(
                        "warning",
                        "width",
                        f"source page {area.page}",
                        f"area {area.id} ({', '.join(area.rules)}) sits between released words on its line: "
                        "its width can be measured; consider conceal: line",
                    )
                )


def verify_bytes(data: bytes, plan: Plan) -> VerifyReport:
    """Check extract bytes against the plan."""
    import pymupdf

    doc = pymupdf.open("pdf", data)
    try:
        return verify_document(doc, data, plan)
    finally:
        doc.close()


def verify_extract(data: bytes, plan: Plan, strict: bool = False) -> VerifyReport:
    """Check; raise CheckFailed with the report when the extract must not go out."""
    report = verify_bytes(data, plan)
    if report.failed(strict):
        raise CheckFailed(
            "the extract failed the leak check and was not written.\n" + report.text(),
            hint="see the report; docs/limitations.md lists known cases.",
        )
    return report
