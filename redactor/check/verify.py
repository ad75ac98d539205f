"""Leak check of a finished extract against the plan that made it, with engines of its own.

The extract is written with PyMuPDF; a checker on the same library would share its blind
spots. Here text, character boxes and pixels come from PDFium (pypdfium2) and objects,
strings, content-stream operands, fonts and images from qpdf (pikepdf). This module must
not import PyMuPDF (an import-linter contract says so).

Leaks (exit 1), each naming the output page, the source page, the deciding rules, the kind
and the place — never the withheld text, unless ``show_withheld`` asks for it:

- ``glyph``: a character (visible or not) whose box centre lies in a withheld area of the
  plan, whatever its length: position beats vocabulary;
- ``ink``: non-white pixels in a withheld area of a PDFium rendering, beyond the expected
  ink of the plan's placeholders and marking replacements (this catches whatever draws:
  outlines, shadings, masks, images, patterns);
- ``image``: an image object over a withheld area where the plan releases no image;
- ``text``: a withheld word (4+ letters, or a number of 3+ digits) that no released text
  and no wording of the extract itself contains, in a page's text, in the decoded text
  operands of a content stream, in any string object (metadata, outline, annotations,
  names) or text-like stream (XMP, JavaScript); fonts and images are not grepped;
- ``structure``: more than one revision, embedded files, JavaScript, actions, optional
  content, forms, annotations, XMP or foreign metadata, a classification marking left.

Warnings (leaks with ``strict``): a withheld span sharing its line with released words (its
width can be measured; use ``conceal: line``), and a subset font that can still draw
characters no text of the extract shows.
"""

from __future__ import annotations

import codecs
import ctypes
import html
import io
import json
import re
from collections.abc import Iterable, Iterator, KeysView
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any, Literal

from redactor.errors import CheckFailed, InputFileError
from redactor.geometry import Rect, subtract_all
from redactor.i18n import labels_for
from redactor.numbering import new_number
from redactor.plan.model import DrawnText, Plan
from redactor.processes import ordered_map, worker_pool
from redactor.progress import Progress, no_progress
from redactor.source.model import Document
from redactor.source.normalise import normalise_for_matching, visible

#: Resolution of the pixel check: a 6 pt glyph is 5 pixels high.
DPI = 60.0
#: Withheld words shorter than this (letters) are too common to search for on their own.
MIN_LETTERS = 4
#: Withheld numbers shorter than this (digits) are too common to search for.
MIN_DIGITS = 3
#: The human report lists this many warnings; --json lists them all.
MAX_WARNINGS_SHOWN = 20
#: Areas are shrunk by this (pt) so characters merely touching their border do not count.
EDGE = 0.5
#: Luminance below this is ink (anti-aliased white is 255; faint grey text about 200).
INK = 250
#: An image's own pixel darker than this, where the rendering shows none, is hidden ink
#: (anti-aliased edges of what the rendering does show stay lighter).
HIDDEN_INK = 160
#: Pixels shaved off each side of an area (anti-aliased bleed of neighbouring content) and
#: added around the expected ink of drawn texts (hinting, font substitution).
EDGE_PX, DILATE_PX = 1, 2

Severity = Literal["leak", "warning"]


@dataclass(frozen=True)
class Finding:
    """One problem: what kind, where, and under which rules; never the withheld text by default."""

    severity: Severity
    kind: str  # glyph, ink, image, text, structure, width, font-glyphs
    where: str
    detail: str
    output_page: int | None = None  # 1-based
    source_page: int | None = None
    rules: tuple[str, ...] = ()
    withheld_text: str | None = None  # only with show_withheld


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
        """Human report (the withheld text is never in it: see :meth:`withheld`)."""
        if not self.findings:
            return "verify: clean — no withheld content, structure or stray ink found in the extract."
        lines = [f"verify: {len(self.leaks)} leak(s), {len(self.warnings)} warning(s)"]
        for f in self.leaks + self.warnings[:MAX_WARNINGS_SHOWN]:
            lines.append(f"  {f.severity.upper():8} {f.kind:11} {_place(f)}: {f.detail}{_cited(f)}")
        if len(self.warnings) > MAX_WARNINGS_SHOWN:
            lines.append(f"  ... and {len(self.warnings) - MAX_WARNINGS_SHOWN} more warning(s); --json lists them all")
        return "\n".join(lines)

    def withheld(self) -> str:
        """The withheld text each finding saw (``--show-withheld``): classified, for reviewers."""
        lines = ["CLASSIFIED — withheld text found by verify:"]
        lines += [f"  {f.kind:11} {_place(f)}: {f.withheld_text}" for f in self.findings if f.withheld_text]
        return "\n".join(lines)

    def json(self) -> str:
        """Machine report."""
        return json.dumps(
            {"leaks": len(self.leaks), "warnings": len(self.warnings), "findings": [asdict(f) for f in self.findings]},
            indent=2,
            ensure_ascii=False,
        )


def _place(f: Finding) -> str:
    where = f"output page {f.output_page}" if f.output_page else ""
    if f.source_page:
        where += f" (source page {f.source_page})"
    return f"{where} {f.where}".strip()


def _cited(f: Finding) -> str:
    return f" [{', '.join(f.rules)}]" if f.rules else ""


@dataclass(frozen=True)
class PageMap:
    """Where the plan's items landed in the extract (0-based output page indexes)."""

    cover_pages: int
    item_pages: tuple[tuple[int, ...], ...]  # per plan.sequence item


# --------------------------------------------------------------------------- entry points


def verify_pdf(
    data: bytes,
    plan: Plan,
    page_map: PageMap,
    *,
    pixels: bool = True,
    show_withheld: bool = False,
    dpi: float = DPI,
    progress: Progress = no_progress,
    workers: int = 1,
) -> VerifyReport:
    """Check extract bytes against the plan; ``pixels=False`` skips rendering (speed tests only).

    Each page after the cover is reported to ``progress`` once read. With ``workers`` > 1 and
    a long extract, pages are read in that many processes (the report is the same).
    """
    import pikepdf
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    report = VerifyReport()
    vocabulary = _Vocabulary(plan)
    kept = _kept_pages(plan, page_map)
    source_of = dict(kept)  # output page index -> source page
    report.findings += _check_widths(plan, {source: out for out, source in kept})
    try:
        count = len(pdfium.PdfDocument(data))
    except pdfium.PdfiumError as exc:
        raise InputFileError(f"the extract cannot be read by PDFium ({exc}).", hint="is it a complete PDF?") from None
    # Jobs are made as the pages are read: together they hold every released word.
    jobs = (_page_job(plan, index, source_of.get(index)) for index in range(page_map.cover_pages, count))
    options = (pixels, show_withheld, dpi)
    text_findings: list[Finding] = []  # reported after the page checks, in page order
    for index, text, words, findings in _checked_pages(
        data, jobs, count - page_map.cover_pages, vocabulary, options, workers
    ):
        report.findings += findings
        source = source_of.get(index)
        if words:
            text_findings.append(vocabulary.finding("page text", words, show_withheld, index + 1, source))
        for marking in plan.ruleset.markings:
            if marking.find not in marking.replace and marking.find in " ".join(text.split()):
                text_findings.append(
                    Finding("leak", "structure", "page text", f"marking '{marking.find}' left", index + 1, source)
                )
        progress(1)
    report.findings += text_findings
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PdfError as exc:
        raise InputFileError(f"the extract cannot be read by qpdf ({exc}).", hint="is it a complete PDF?") from None
    with pdf:
        report.findings += _check_structure(pdf, data, plan)
        scanner = _ContentScanner(pdf, skip_pages=set(range(page_map.cover_pages)))
        scanner.run()
        for where, page_no, text in scanner.texts:
            if where == "page content" and page_no is not None and page_no - 1 in source_of:
                continue  # the position check reads every character of a kept page, in place
            if words := vocabulary.hits(text):
                source = source_of.get(page_no - 1) if page_no else None
                report.findings.append(vocabulary.finding(where, words, show_withheld, page_no, source))
        shown = {c for _w, _p, text in scanner.texts for c in text}
        for font in scanner.fonts.values():
            if (found := _glyph_finding(font, shown, show_withheld)) is not None:
                report.findings.append(found)
        for page_no, where, words in _string_hits(pdf, vocabulary, scanner.seen, scanner.cover_objects):
            report.findings.append(vocabulary.finding(where, words, show_withheld, page_no, None))
    return report


def verify_extract(
    data: bytes,
    plan: Plan,
    page_map: PageMap,
    strict: bool = False,
    progress: Progress = no_progress,
    workers: int = 1,
) -> VerifyReport:
    """Check; raise CheckFailed with the report when the extract must not go out."""
    report = verify_pdf(data, plan, page_map, progress=progress, workers=workers)
    if report.failed(strict):
        raise CheckFailed(
            "the extract failed the leak check and was not written.\n" + report.text(),
            hint="run `redactor verify` on a --no-verify output for the full report; docs/limitations.md "
            "lists known cases.",
        )
    return report


#: Output pages from which verify reads pages in worker processes (below, starting them costs more).
PARALLEL_FROM = 200
#: Pages a worker reads per task.
CHUNK = 8


@dataclass(frozen=True)
class _PageJob:
    """What checking one output page needs of the plan (small: sent to worker processes)."""

    index: int  # output page, 0-based
    source: int | None  # the source page of a kept page
    regions: list[tuple[Rect, tuple[str, ...]]]  # see withheld_regions
    drawn: tuple[DrawnText, ...]
    keep_images: tuple[Rect, ...]
    #: released words of the source page: box (x0 moved left by a respaced line's shift) and casefolded text
    released: list[tuple[float, float, float, float, str]]


def _page_job(plan: Plan, index: int, source: int | None) -> _PageJob:
    if source is None:
        return _PageJob(index, None, [], (), (), [])
    page_plan = plan.pages[source - 1]
    doc = plan.document
    # A word of a respaced line may stand anywhere from its place in the source to the
    # place the plan moved it to (the font's own space sets the words inside one string).
    shifts = {w.word_id: w.shift for line in page_plan.respaced for w in line.words}
    released: list[tuple[float, float, float, float, str]] = []
    c, texts = doc.words.coords, doc.words.texts  # read column by column: no Word, no Rect per word
    for b in doc.pages[source - 1].block_ids:
        for w in doc.blocks[b].word_ids:
            if not plan.verdicts[w].withheld:
                i = 4 * w
                released.append((c[i] + shifts.get(w, 0.0), c[i + 1], c[i + 2], c[i + 3], texts[w].casefold()))
    return _PageJob(index, source, withheld_regions(plan, source), page_plan.drawn, page_plan.keep_images, released)


def _checked_pages(
    data: bytes,
    jobs: Iterable[_PageJob],
    count: int,
    vocabulary: _Vocabulary,
    options: tuple[bool, bool, float],
    workers: int,
) -> Iterator[tuple[int, str, set[str], list[Finding]]]:
    """Each page's text, withheld words found in it and findings, in page order (``count`` jobs)."""
    if workers <= 1 or count < PARALLEL_FROM:
        with _Reader(data, vocabulary, options) as reader:
            yield from map(reader.check, jobs)
        return
    workers = min(workers, count // CHUNK or 1)
    with worker_pool(workers, _start_worker, data, vocabulary, options) as pool:
        yield from ordered_map(pool, _check_in_worker, jobs, CHUNK, workers)


class _Reader:
    """The extract open in PDFium, checking one page at a time."""

    def __init__(self, data: bytes, vocabulary: _Vocabulary, options: tuple[bool, bool, float]) -> None:
        import pypdfium2 as pdfium

        self.doc = pdfium.PdfDocument(data)
        self.vocabulary = vocabulary
        self.pixels, self.show, self.dpi = options

    def __enter__(self) -> _Reader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.doc.close()

    def check(self, job: _PageJob) -> tuple[int, str, set[str], list[Finding]]:
        page = self.doc[job.index]
        try:
            textpage = page.get_textpage()
            text = textpage.get_text_range()
            hits = self.vocabulary.hits(text)
            if hits and job.source is not None:
                hits = _outside_released_text(hits, text, textpage, page, job.released)
            findings = _page_checks(page, job, self.pixels, self.show, self.dpi) if job.source is not None else []
            return job.index, text, hits, findings
        finally:
            page.close()


_READER: _Reader | None = None  # a worker's open extract


def _start_worker(data: bytes, vocabulary: _Vocabulary, options: tuple[bool, bool, float]) -> None:
    global _READER
    _READER = _Reader(data, vocabulary, options)


def _check_in_worker(job: _PageJob) -> tuple[int, str, set[str], list[Finding]]:
    assert _READER is not None, "the worker's initializer opens the extract"
    return _READER.check(job)


def _kept_pages(plan: Plan, page_map: PageMap) -> list[tuple[int, int]]:
    """(output page index, source page) of every kept page."""
    return [
        (pages[0], item.first)
        for item, pages in zip(plan.sequence, page_map.item_pages, strict=True)
        if item.kind == "page" and pages
    ]


# --------------------------------------------------------------------------- normalisation

_HYPHEN_BREAK = re.compile(r"(\w)[-\u2010\u2011]\s*\n\s*(\w)")
_TOKEN = re.compile(r"[^\W\d_]+|\d+")


def normalise(text: str) -> str:
    """Text as rules match it (:func:`normalise_for_matching`), line-end hyphenation joined, casefolded."""
    return normalise_for_matching(_HYPHEN_BREAK.sub(r"\1\2", visible(text))).casefold()


def words_of(text: str) -> set[str]:
    """Letter runs and digit runs: whole tokens, never substrings ('consectetu' is not 'consectetur')."""
    return set(_TOKEN.findall(normalise(text)))


def _outside_released_text(
    hits: set[str], text: str, textpage: Any, page: Any, released: list[tuple[float, float, float, float, str]]
) -> set[str]:
    """The hits of a kept page that are not made wholly of released words' own characters.

    PDFium joins pieces MuPDF reads apart ("0" "1" "2" of a table header read as "012"): a
    token each of whose characters sits inside a released word of the source that has that
    character is released text, however it reads; a token with any other character (drawn
    elsewhere, or a different letter over a released word) stays a finding. ``released``
    holds the source page's released words (see _PageJob).
    """
    height = page.get_height()

    def own(i: int) -> bool:
        left, bottom, right, top = textpage.get_charbox(i)
        x, y = (left + right) / 2, height - (bottom + top) / 2
        ch = text[i].casefold()
        return any(ch in t and x0 <= x <= x1 and y0 <= y <= y1 for x0, y0, x1, y1, t in released)

    folded: list[str] = []
    index_of: list[int] = []  # position in ``folded`` -> character index of the page
    for i, ch in enumerate(text):
        piece = " " if ch.isspace() else normalise_for_matching(visible(ch)).casefold()
        folded.append(piece)
        index_of.extend([i] * len(piece))
    flat = "".join(folded)
    left: set[str] = set()
    for token in hits:
        found = False
        for match in re.finditer(rf"(?<![^\W_]){re.escape(token)}(?![^\W_])", flat):
            found = True
            chars = {index_of[k] for k in range(match.start(), match.end())}
            if not all(own(i) for i in chars):
                left.add(token)
                break
        if not found:  # read across a line break or otherwise out of place: it stays a finding
            left.add(token)
    return left


def _word_pairs(doc: Document) -> Iterator[tuple[int, str]]:
    """Each word and the next that another reader may read as one word: (first id, joined text)."""
    texts, lines = doc.words.texts, doc.words.lines  # every word: read column by column
    for block in doc.blocks:
        for a in block.word_ids[:-1]:  # each word and the next (a block's words are consecutive)
            first, second = texts[a], texts[a + 1]
            if lines[a] == lines[a + 1]:  # readers differ on where words part (ligatures, code)
                yield a, first + second
            elif first.endswith(("-", "\u2010", "\u00ad")):  # a word broken at a line end
                yield a, first[:-1] + second


class _Vocabulary:
    """Withheld words worth searching for, and the rules that withheld each."""

    def __init__(self, plan: Plan) -> None:
        # Withheld tokens first, then whatever the extract shows by design removes them: no
        # set of every public token (with word pairs, about as many strings as words).
        # Texts repeat, so tokens are memoised, in a bounded cache: at 10,000 pages an
        # unbounded one held millions of pair strings.
        tokens_of = lru_cache(maxsize=1 << 14)(words_of)
        verdicts = plan.verdicts
        rules: dict[str, tuple[str, ...]] = {}  # a tuple, not a set: most tokens have one rule

        shared: dict[tuple[str, ...], tuple[str, ...]] = {}  # one tuple per set of rules, not per token

        def add(token: str, rule: str) -> None:
            cited = rules.get(token, ())
            if rule not in cited:
                together = (*cited, rule)
                rules[token] = shared.setdefault(together, together)

        for text, verdict in zip(plan.document.words.texts, verdicts, strict=True):
            if verdict.withheld:
                for token in tokens_of(text):
                    if token.isdigit() and len(token) >= MIN_DIGITS or token.isalpha() and len(token) >= MIN_LETTERS:
                        add(token, verdict.rule)
        for a, joined in _word_pairs(plan.document):
            if verdicts[a].withheld or verdicts[a + 1].withheld:
                rule = (verdicts[a] if verdicts[a].withheld else verdicts[a + 1]).rule
                for token in tokens_of(joined):
                    if token.isalpha() and len(token) >= MIN_LETTERS:
                        add(token, rule)
        for text in _public_texts(plan):
            for token in words_of(text):
                rules.pop(token, None)
        for text, verdict in zip(plan.document.words.texts, verdicts, strict=True):
            if not verdict.withheld and rules:
                for token in tokens_of(text):
                    rules.pop(token, None)
        for a, joined in _word_pairs(plan.document):
            if not (verdicts[a].withheld or verdicts[a + 1].withheld) and rules:
                for token in tokens_of(joined):
                    rules.pop(token, None)
        self.rules = rules

    @property
    def words(self) -> KeysView[str]:
        """The withheld tokens: a set view of ``rules``, not a second table of a million tokens."""
        return self.rules.keys()

    def hits(self, text: str) -> set[str]:
        return words_of(text) & self.words if self.words else set()

    def finding(self, where: str, words: set[str], show: bool, page: int | None, source: int | None) -> Finding:
        rules = tuple(sorted({r for w in words for r in self.rules.get(w, ())}))
        return Finding(
            "leak", "text", where, f"{len(words)} withheld word(s)", page, source, rules,
            " ".join(sorted(words)) if show else None,
        )  # fmt: skip


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
        new_number(rs.document.number, rs.release.extract),
        *(m.replace for m in rs.markings),
        rs.placeholders.inline,
        rs.placeholders.tail,
        rs.placeholders.pages,
        rs.placeholders.page,
        rs.placeholders.tail_page,
        rs.placeholders.condensed_note,
        *(t for item in plan.sequence for t in (item.text, item.tail_page)),
    ]
    labels = labels_for(rs.release.language)
    return public + [v for v in vars(labels).values() if isinstance(v, str)] + list(labels.months)


# --------------------------------------------------------------------------- page checks (PDFium)

#: Advance widths (1/1000 em) of characters 32..126 in Helvetica and Helvetica-Bold (Adobe AFM).
_HELV = (
    "278 278 355 556 556 889 667 191 333 333 389 584 278 333 278 278 556 556 556 556 556 556 556 "
    "556 556 556 278 278 584 584 584 556 1015 667 667 722 722 667 611 778 722 278 500 667 556 833 "
    "722 778 667 778 722 667 611 722 667 944 667 667 611 278 278 278 469 556 333 556 556 500 556 "
    "556 278 556 556 222 222 500 222 833 556 556 556 556 333 500 278 556 500 722 500 500 500 334 "
    "260 334 584"
)
_HELV_BOLD = (
    "278 333 474 556 556 889 722 238 333 333 389 584 278 333 278 278 556 556 556 556 556 556 556 "
    "556 556 556 333 333 584 584 584 611 975 722 722 722 722 667 611 778 722 278 556 722 611 833 "
    "722 778 667 778 722 667 611 722 667 944 667 667 611 333 278 333 584 556 333 556 611 556 611 "
    "556 333 611 611 278 278 556 278 889 611 611 611 611 389 556 333 611 556 778 556 556 500 389 "
    "280 389 584"
)
_WIDTHS = {bold: [int(w) for w in table.split()] for bold, table in ((False, _HELV), (True, _HELV_BOLD))}
_ASCENT, _DESCENT = 0.95, 0.23  # Helvetica's font box, generous on purpose


def drawn_box(drawn: DrawnText) -> Rect:
    """Where a drawn text's ink may be, from font metrics (not from the file: a misplaced or
    different text is not excused)."""
    table = _WIDTHS[drawn.bold]
    advance = sum(table[ord(c) - 32] if 32 <= ord(c) < 127 else 556 for c in drawn.text)
    x, y, size = drawn.origin[0], drawn.origin[1], drawn.size
    return Rect(x - 0.05 * size, y - _ASCENT * size, x + advance * size / 1000, y + _DESCENT * size)


def withheld_regions(plan: Plan, source_page: int) -> list[tuple[Rect, tuple[str, ...]]]:
    """The places on a kept page that must show nothing but drawn texts, with their rules.

    Each withheld area's rectangles less everything the plan releases there (text, line art,
    images): a withheld drawing's box may span released text it never painted over.
    """
    page_plan = plan.pages[source_page - 1]
    released = [*page_plan.keep_rects, *page_plan.keep_art, *page_plan.keep_images]
    regions: list[tuple[Rect, tuple[str, ...]]] = []
    for area in page_plan.areas:
        for rect in subtract_all(area.rects, released, EDGE):
            if rect.width > 2 * EDGE and rect.height > 2 * EDGE:
                regions.append((Rect(rect.x0 + EDGE, rect.y0 + EDGE, rect.x1 - EDGE, rect.y1 - EDGE), area.rules))
    return regions


def _page_checks(page: Any, job: _PageJob, pixels: bool, show: bool, dpi: float) -> list[Finding]:
    """Glyph, image and ink checks of one kept output page."""
    import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]

    regions, index, source_page = job.regions, job.index, job.source
    if not regions:
        return []
    findings: list[Finding] = []
    page.set_rotation(0)  # plan space is the unrotated page; in memory only
    cx0, _cy0, _cx1, cy1 = page.get_cropbox()
    allowed = [(d, drawn_box(d)) for d in job.drawn]

    def found(kind: str, region: int, detail: str, text: str | None = None) -> Finding:
        rect, rules = regions[region]
        where = "at [" + ", ".join(f"{v:.1f}" for v in rect.as_tuple()) + "]"
        return Finding("leak", kind, where, detail, index + 1, source_page, rules, text if show else None)

    # 1. characters, visible or not, from PDFium's text page (raw calls: ~1 us per character)
    textpage = page.get_textpage()
    raw = textpage.raw
    top = min(r.y0 for r, _ in regions)
    bottom = max(r.y1 for r, _ in regions)
    xs: list[float] = []
    ys: list[float] = []
    chars: list[str] = []
    left, right, low, high = (ctypes.c_double() for _ in range(4))
    refs = (ctypes.byref(left), ctypes.byref(right), ctypes.byref(low), ctypes.byref(high))
    for i in range(pdfium_c.FPDFText_CountChars(raw)):
        if not pdfium_c.FPDFText_GetCharBox(raw, i, *refs):
            continue
        y = cy1 - (low.value + high.value) / 2
        if not top <= y <= bottom:
            continue  # most characters: outside every area's band
        char = chr(pdfium_c.FPDFText_GetUnicode(raw, i))
        if char.isspace() or char == "\x00":
            continue
        xs.append((left.value + right.value) / 2 - cx0)
        ys.append(y)
        chars.append(char)
    hits = _characters_in(regions, allowed, xs, ys, chars)
    textpage.close()
    for k, chars in hits.items():
        findings.append(found("glyph", k, f"{len(chars)} character(s) in a withheld area", "".join(chars)))

    # 2. pixels, as rendered (whatever draws) and as held by the images under the areas
    if pixels:
        rendered, ink, scale = _render_ink(page, allowed, dpi)
        findings += _ink(ink, scale, regions, dpi, found)
        findings += _image_data(page, regions, rendered, scale, (cx0, cy1), found)
    else:
        findings += _image_objects(page, regions, job.keep_images, (cx0, cy1), found)
    return findings


def _characters_in(
    regions: list[tuple[Rect, tuple[str, ...]]],
    allowed: list[tuple[DrawnText, Rect]],
    xs: list[float],
    ys: list[float],
    chars: list[str],
) -> dict[int, list[str]]:
    """Characters whose centre lies in each region, but those of the drawn texts placed there."""
    import numpy as np

    hits: dict[int, list[str]] = {}
    if not chars:
        return hits
    x, y = np.asarray(xs), np.asarray(ys)
    excused = np.zeros(len(chars), bool)
    for drawn, box in allowed:
        near = (x >= box.x0 - 1) & (x <= box.x1 + 1) & (y >= box.y0 - 1) & (y <= box.y1 + 1)
        text = drawn.text.casefold()
        for i in np.flatnonzero(near):
            excused[i] |= chars[i].casefold() in text
    for k, (rect, _rules) in enumerate(regions):
        inside = (x >= rect.x0) & (x <= rect.x1) & (y >= rect.y0) & (y <= rect.y1) & ~excused
        if inside.any():
            hits[k] = [chars[i] for i in np.flatnonzero(inside)]
    return hits


def _render_ink(page: Any, allowed: list[tuple[DrawnText, Rect]], dpi: float) -> tuple[Any, Any, float]:
    """The page rendered by PDFium: its ink, its ink where no drawn text may be, and the scale."""

    scale = dpi / 72
    grey = page.render(scale=scale, grayscale=True, may_draw_forms=True, draw_annots=True).to_numpy()
    if grey.ndim == 3:  # some bitmap formats come back as BGR(A) despite grayscale
        grey = grey[..., :3].min(axis=-1)
    rendered = grey < INK
    ink = rendered.copy()
    for _drawn, box in allowed:
        x0, y0 = max(int(box.x0 * scale) - DILATE_PX, 0), max(int(box.y0 * scale) - DILATE_PX, 0)
        ink[y0 : int(box.y1 * scale) + 1 + DILATE_PX, x0 : int(box.x1 * scale) + 1 + DILATE_PX] = False
    return rendered, ink, scale


def _window(rect: Rect, scale: float, shape: tuple[int, ...]) -> tuple[int, int, int, int] | None:
    """A region's pixels in a rendering, shaved by EDGE_PX (anti-aliased bleed of neighbours)."""
    height, width = shape[:2]
    px0, py0 = int(-(-rect.x0 * scale // 1)) + EDGE_PX, int(-(-rect.y0 * scale // 1)) + EDGE_PX
    px1, py1 = int(rect.x1 * scale) - EDGE_PX, int(rect.y1 * scale) - EDGE_PX
    px0, py0, px1, py1 = max(px0, 0), max(py0, 0), min(px1, width), min(py1, height)
    return None if px1 <= px0 or py1 <= py0 else (px0, py0, px1, py1)


def _ink(ink: Any, scale: float, regions: list[tuple[Rect, tuple[str, ...]]], dpi: float, found: Any) -> list[Finding]:
    findings = []
    for k, (rect, _rules) in enumerate(regions):
        window = _window(rect, scale, ink.shape)
        if window is None:
            continue
        px0, py0, px1, py1 = window
        count = int(ink[py0:py1, px0:px1].sum())
        if count:
            findings.append(found("ink", k, f"{count} pixel(s) of ink at {dpi:g} dpi in a withheld area"))
    return findings


def _dilated(mask: Any) -> Any:
    """A boolean mask grown by one pixel in every direction (resampling moves edges by one)."""
    import numpy as np

    grown = mask.copy()
    grown[1:, :] |= mask[:-1, :]
    grown[:-1, :] |= mask[1:, :]
    grown[:, 1:] |= mask[:, :-1]
    grown[:, :-1] |= mask[:, 1:]
    return np.asarray(grown)


def _image_placements(page: Any, origin: tuple[float, float]) -> Iterator[tuple[Any, Rect, Any]]:
    """Each image object with its box in plan space and its full matrix (forms included)."""
    import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]

    cx0, cy1 = origin
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]):
        matrix = obj.get_matrix()
        x0, y0, x1, y1 = obj.get_bounds()
        holder = obj.container
        while holder is not None:
            x0, y0, x1, y1 = holder.get_matrix().on_rect(x0, y0, x1, y1)
            matrix = matrix.multiply(holder.get_matrix())
            holder = holder.container
        yield obj, Rect(x0 - cx0, cy1 - y1, x1 - cx0, cy1 - y0), matrix


def _image_objects(
    page: Any, regions: list[tuple[Rect, tuple[str, ...]]], released: tuple[Rect, ...], origin: tuple[float, float],
    found: Any,
) -> list[Finding]:  # fmt: skip
    """Without pixels: an image over a withheld area is a leak unless the plan releases an image there."""
    findings = []
    for _obj, box, _matrix in _image_placements(page, origin):
        if any(box.intersects(r) for r in released):
            continue
        findings += [found("image", k, "an image object over a withheld area") for k, (rect, _) in enumerate(regions)
                     if box.intersects(rect)]  # fmt: skip
    return findings


def _image_data(
    page: Any, regions: list[tuple[Rect, tuple[str, ...]]], rendered: Any, scale: float,
    origin: tuple[float, float], found: Any,
) -> list[Finding]:  # fmt: skip
    """An image's own pixels under a withheld area must be as blank as the rendering there.

    A box drawn over an image hides its pixels from the rendering, not from the file: each
    image over a withheld area is decoded and sampled at the rendering's pixel centres.
    """
    import numpy as np

    cx0, cy1 = origin
    findings = []
    for obj, box, matrix in _image_placements(page, origin):
        hit = [k for k, (rect, _) in enumerate(regions) if box.intersects(rect)]
        if not hit:
            continue
        try:
            pixels = obj.get_bitmap(render=False).to_numpy()
        except Exception:  # an image PDFium cannot decode alone: judged by the plan instead
            findings += [found("image", k, "an image PDFium cannot decode over a withheld area") for k in hit]
            continue
        grey = pixels if pixels.ndim == 2 else pixels[..., :3].min(axis=-1)
        rows, cols = grey.shape[:2]
        a, b, c, d, e, f = matrix.get()
        det = a * d - b * c
        if abs(det) < 1e-9:
            continue
        for k in hit:
            window = _window(regions[k][0], scale, rendered.shape)
            if window is None:
                continue
            px0, py0, px1, py1 = window
            xs, ys = np.meshgrid((np.arange(px0, px1) + 0.5) / scale + cx0, cy1 - (np.arange(py0, py1) + 0.5) / scale)
            u = (d * (xs - e) - c * (ys - f)) / det
            v = (-b * (xs - e) + a * (ys - f)) / det
            inside = (u >= 0) & (u < 1) & (v >= 0) & (v < 1)
            col = np.clip((u * cols).astype(int), 0, cols - 1)
            row = np.clip(((1 - v) * rows).astype(int), 0, rows - 1)
            shown = rendered[max(py0 - 1, 0) : py1 + 1, max(px0 - 1, 0) : px1 + 1]
            shown = _dilated(shown)[py0 - max(py0 - 1, 0) :, px0 - max(px0 - 1, 0) :][: py1 - py0, : px1 - px0]
            hidden = inside & (grey[row, col] < HIDDEN_INK) & ~shown  # in the file, not on show
            count = int(hidden.sum())
            if count > 2:
                findings.append(found("image", k, f"an image holds {count} pixel(s) of ink under a withheld area"))
    return findings


# --------------------------------------------------------------------------- fonts (pikepdf)

_HEXDIGITS = re.compile(rb"[^0-9A-Fa-f]")
_CMAP_TOKEN = re.compile(rb"<[0-9A-Fa-f\s]*>|\[|\]|begin\w+|end\w+")
_BASE_ENCODINGS = {"/WinAnsiEncoding": "cp1252", "/MacRomanEncoding": "mac_roman", "/StandardEncoding": "cp1252"}


def _kind(obj: Any) -> str:
    """pikepdf object kind: 'dictionary', 'stream', 'array', 'string', 'name' or ''."""
    import pikepdf

    if isinstance(obj, pikepdf.Stream):
        return "stream"
    if isinstance(obj, pikepdf.Dictionary):
        return "dictionary"
    if isinstance(obj, pikepdf.Array):
        return "array"
    if isinstance(obj, pikepdf.String):
        return "string"
    if isinstance(obj, pikepdf.Name):
        return "name"
    return ""


def _hex_bytes(token: bytes) -> bytes:
    digits = _HEXDIGITS.sub(b"", token)
    return bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode())


def _utf16(data: bytes) -> str:
    return (b"\x00" + data if len(data) % 2 else data).decode("utf-16-be", "replace")


def _glyph_char(name: str) -> str:
    """Glyph name to Unicode (pdfminer's glyph list when installed; a small fallback otherwise)."""
    try:
        from pdfminer.encodingdb import name2unicode

        return str(name2unicode(name))
    except Exception:  # an unknown name, or no pdfminer
        if name.startswith("uni") and len(name) >= 7:
            try:
                return chr(int(name[3:7], 16))
            except ValueError:
                return "\ufffd"
        return name if len(name) == 1 else "\ufffd"


def parse_tounicode(data: bytes) -> dict[int, str]:
    """A ToUnicode CMap's bfchar/bfrange entries as code -> text (ranges capped at 64k codes)."""
    result: dict[int, str] = {}
    tokens = _CMAP_TOKEN.findall(data)
    mode, i = b"", 0
    while i < len(tokens):
        token = tokens[i]
        if token in (b"beginbfchar", b"beginbfrange"):
            mode = token
        elif token.startswith(b"end"):
            mode = b""
        elif mode == b"beginbfchar" and token[:1] == b"<" and i + 1 < len(tokens) and tokens[i + 1][:1] == b"<":
            result[int.from_bytes(_hex_bytes(token), "big")] = _utf16(_hex_bytes(tokens[i + 1]))
            i += 2
            continue
        elif mode == b"beginbfrange" and token[:1] == b"<" and i + 2 < len(tokens):
            low = int.from_bytes(_hex_bytes(token), "big")
            high = min(int.from_bytes(_hex_bytes(tokens[i + 1]), "big"), low + 0xFFFF)
            if tokens[i + 2] == b"[":
                j = i + 3
                while j < len(tokens) and tokens[j] != b"]":
                    if low <= high:
                        result[low] = _utf16(_hex_bytes(tokens[j]))
                        low += 1
                    j += 1
                i = j + 1
                continue
            target = _hex_bytes(tokens[i + 2])
            base = int.from_bytes(target, "big")
            for k in range(high - low + 1):
                result[low + k] = _utf16((base + k).to_bytes(max(len(target), 2), "big"))
            i += 3
            continue
        i += 1
    return result


class _Font:
    """Enough of a PDF font to decode string operands and to list the codes it maps."""

    def __init__(self, font: Any) -> None:
        self.obj = font
        self.name = str(font.get("/BaseFont", "?"))
        self.two_byte = str(font.get("/Subtype", "")) == "/Type0"
        encoding = font.get("/Encoding")
        self.ucs2 = self.two_byte and _kind(encoding) == "name" and any(k in str(encoding) for k in ("UCS2", "UTF16"))
        to_unicode = font.get("/ToUnicode")
        try:
            self.cmap = parse_tounicode(to_unicode.read_bytes()) if _kind(to_unicode) == "stream" else {}
        except Exception:  # a broken CMap: decode by the encoding
            self.cmap = {}
        base = str(encoding.get("/BaseEncoding", "")) if _kind(encoding) == "dictionary" else str(encoding)
        codec = _BASE_ENCODINGS.get(base, "cp1252")
        self.simple = {c: bytes([c]).decode(codec, "replace") for c in range(256)}
        if _kind(encoding) == "dictionary" and _kind(encoding.get("/Differences")) == "array":
            code = 0
            for item in encoding.Differences:
                if isinstance(item, int):
                    code = item
                elif _kind(item) == "name" and 0 <= code < 256:
                    self.simple[code] = _glyph_char(str(item)[1:])
                    code += 1
        self.used: set[int] = set()

    def decode(self, data: bytes) -> str:
        if not self.two_byte:
            self.used.update(data)
            return "".join(self.cmap.get(b) or self.simple[b] for b in data)
        codes = [int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data) - 1, 2)]
        self.used.update(codes)
        return "".join(self.cmap.get(c) or (chr(c) if self.ucs2 else "\ufffd") for c in codes)


def _glyph_finding(font: _Font, shown: set[str], show: bool) -> Finding | None:
    """A subset font whose ToUnicode maps characters that no text of the extract shows."""
    base = font.name[1:]
    if not (len(base) > 7 and base[6] == "+" and base[:6].isupper()):
        return None  # only subsets: a whole font legitimately maps everything
    if not font.cmap or len(font.cmap) >= 5000:
        return None
    extra = {font.cmap[c] for c in set(font.cmap) - font.used} - shown
    extra = {c for c in extra if c and not c.isspace()}
    if not extra:
        return None
    where = f"object {font.obj.objgen[0]}" if font.obj.is_indirect else font.name
    return Finding(
        "warning", "font-glyphs", where, f"{font.name}: {len(extra)} character(s) mapped that no text shows",
        withheld_text="".join(sorted(extra)) if show else None,
    )  # fmt: skip


# --------------------------------------------------------------------------- content streams (pikepdf)

_TEXT_OPERATORS = {"Tj", "TJ", "'", '"'}
_NEW_LINE = {"T*", "'", '"'}


class _ContentScanner:
    """Decodes the text operands of every content stream reachable from pages (but the cover's)."""

    def __init__(self, pdf: Any, skip_pages: set[int]) -> None:
        self.pdf = pdf
        self.skip_pages = skip_pages
        self.fonts: dict[Any, _Font] = {}
        self.seen: set[tuple[int, int]] = set()
        self.cover_objects: set[tuple[int, int]] = set()
        self.texts: list[tuple[str, int | None, str]] = []  # (where, output page, text)

    def font(self, obj: Any) -> _Font | None:
        if _kind(obj) != "dictionary":
            return None
        key = obj.objgen if obj.is_indirect else id(obj)
        if key not in self.fonts:
            self.fonts[key] = _Font(obj)
        return self.fonts[key]

    def stream(self, target: Any, resources: Any, page: int | None, where: str) -> None:
        import pikepdf

        if target.is_indirect:
            if target.objgen in self.seen:
                return
            self.seen.add(target.objgen)
        try:
            instructions = pikepdf.parse_content_stream(target)
        except Exception:  # not parseable as content: nothing to decode
            instructions = []
        res = resources if _kind(resources) == "dictionary" else pikepdf.Dictionary()
        fonts = res.get("/Font") if _kind(res.get("/Font")) == "dictionary" else None
        joined: list[str] = []  # line-aware: words split across operators come together
        split: list[str] = []  # marked-content replacements (ActualText, Alt, E)
        font: _Font | None = None
        last_y: float | None = None
        for instruction in instructions:
            if not isinstance(instruction, pikepdf.ContentStreamInstruction):
                continue  # an inline image
            op, operands = str(instruction.operator), instruction.operands
            if op == "Tf" and operands:
                font = self.font(fonts.get(str(operands[0])) if fonts is not None else None)
                continue
            if op in ("Td", "TD") and len(operands) == 2 and float(operands[1]) != 0:
                joined.append("\n")
            elif op == "Tm" and len(operands) == 6:
                if last_y is not None and abs(float(operands[5]) - last_y) > 0.5:
                    joined.append("\n")
                last_y = float(operands[5])
            elif op in ("BDC", "DP") and len(operands) == 2 and _kind(operands[1]) == "dictionary":
                for key in ("/ActualText", "/Alt", "/E"):
                    if _kind(operands[1].get(key)) == "string":
                        split.append(" " + str(operands[1][key]) + " ")
            if op not in _TEXT_OPERATORS or not operands:
                continue
            if op in _NEW_LINE:
                joined.append("\n")
            items = list(operands[-1]) if op == "TJ" and _kind(operands[-1]) == "array" else [operands[-1]]
            for item in items:
                if _kind(item) == "string":
                    data = bytes(item)
                    piece = font.decode(data) if font else data.decode("cp1252", "replace")
                    joined.append(piece)
                elif isinstance(item, int | Decimal) and abs(item) > 200:
                    joined.append(" ")
        if joined or split:
            self.texts.append((where, page, "".join(joined) + "\n" + "".join(split)))
        self.resources(res, page)

    def resources(self, res: Any, page: int | None) -> None:
        """Every form, tiling pattern and Type 3 glyph listed, used or not."""
        for key in ("/XObject", "/Pattern", "/Font"):
            group = res.get(key)
            if _kind(group) != "dictionary":
                continue
            for _name, obj in group.items():
                if _kind(obj) == "stream" and str(obj.get("/Subtype", "")) != "/Image":
                    if key == "/Pattern" or str(obj.get("/Subtype", "")) == "/Form":
                        self.stream(obj, obj.get("/Resources", res), page, f"object {obj.objgen[0]}")
                elif key == "/Font" and _kind(obj) == "dictionary" and _kind(obj.get("/CharProcs")) == "dictionary":
                    for _glyph, proc in obj.CharProcs.items():
                        self.stream(proc, obj.get("/Resources", res), page, f"object {proc.objgen[0]}")

    def run(self) -> None:
        """Pages (contents, resources, annotation appearances), then streams nobody references."""
        for index, page in enumerate(self.pdf.pages):
            contents = page.obj.get("/Contents")
            parts = _array(contents) or ([contents] if contents is not None else [])
            if index in self.skip_pages:  # the cover: the rule file's own, public wording
                self.cover_objects |= {c.objgen for c in parts if c.is_indirect}
                self.seen |= self.cover_objects
                continue
            self.seen.update(c.objgen for c in parts if c.is_indirect)
            res = page.obj.get("/Resources")
            if parts:
                self.stream(page.obj, res, index + 1, "page content")
            for annot in _array(page.obj.get("/Annots")):
                appearance = annot.get("/AP") if _kind(annot) == "dictionary" else None
                for state in (
                    appearance.values() if appearance is not None and _kind(appearance) == "dictionary" else ()
                ):
                    for s in state.values() if _kind(state) == "dictionary" else [state]:
                        if _kind(s) == "stream":
                            self.stream(s, s.get("/Resources", res), index + 1, f"annotation object {annot.objgen[0]}")
        for obj in self.pdf.objects:
            if _kind(obj) != "stream" or obj.objgen in self.seen:
                continue
            if str(obj.get("/Subtype", "")) == "/Form" or "/PatternType" in obj:
                self.stream(obj, obj.get("/Resources"), None, f"object {obj.objgen[0]}")


# --------------------------------------------------------------------------- strings and streams (pikepdf)

_FONT_KEYS = {"/FontDescriptor", "/DescendantFonts", "/ToUnicode", "/FontFile", "/FontFile2", "/FontFile3",
              "/CIDSystemInfo", "/Encoding", "/Widths", "/W", "/W2", "/CIDToGIDMap", "/CIDSet", "/Metadata",
              "/Style", "/FD"}  # fmt: skip
_SKIP_TYPES = {"/XRef", "/ObjStm", "/Font", "/FontDescriptor", "/CMap"}


def _font_objects(pdf: Any) -> set[tuple[int, int]]:
    """Objects that belong to fonts: their strings are vendor boilerplate, never document text."""
    marked: set[tuple[int, int]] = set()

    def mark(obj: Any, depth: int = 0) -> None:
        kind = _kind(obj)
        if depth > 8 or kind not in ("dictionary", "stream", "array"):
            return
        if obj.is_indirect:
            if obj.objgen in marked:
                return
            marked.add(obj.objgen)
        items = obj.items() if kind != "array" else ((None, v) for v in obj)
        for key, value in items:
            if key is None or key in _FONT_KEYS:
                mark(value, depth + 1)

    for obj in pdf.objects:
        if _kind(obj) == "dictionary" and str(obj.get("/Type", "")) == "/Font":
            mark(obj)
    return marked


def _strings(obj: Any, depth: int = 0) -> Iterator[str]:
    """Every string an object holds directly (not through references)."""
    if depth > 32:
        return
    kind = _kind(obj)
    if kind == "string":
        yield str(obj)
    elif kind in ("dictionary", "stream") and str(obj.get("/Type", "")) not in ("/Font", "/FontDescriptor"):
        for key, value in obj.items():
            if not getattr(value, "is_indirect", False) and key not in ("/ID", "/CIDSystemInfo", "/FontDescriptor"):
                yield from _strings(value, depth + 1)
    elif kind == "array":
        for value in obj:
            if not getattr(value, "is_indirect", False):
                yield from _strings(value, depth + 1)


def _binary(stream: Any) -> bool:
    """Images, ICC profiles and font programs: never searched (their notices are not document text)."""
    subtype = str(stream.get("/Subtype", ""))
    return subtype in ("/Image", "/Type1C", "/CIDFontType0C", "/OpenType") or any(
        k in stream for k in ("/N", "/Length1", "/Length2", "/Length3")
    )


def _text_like(data: bytes) -> str | None:
    """Stream bytes as text when they are text (XMP, JavaScript, plain attachments)."""
    head = data[:4096]
    try:
        if head[:2] in (b"\xfe\xff", b"\xff\xfe"):
            text = data.decode("utf-16")
        else:
            codecs.getincrementaldecoder("utf-8")().decode(head, final=len(data) <= 4096)
            text = data.decode("utf-8", "replace")
    except UnicodeDecodeError:
        return None
    sample = text[:4096]
    if not sample or sum(1 for c in sample if ord(c) < 32 and c not in "\t\n\r\f") > 0.02 * len(sample):
        return None
    return html.unescape(text)


def _string_hits(
    pdf: Any, vocabulary: _Vocabulary, content: set[tuple[int, int]], cover: set[tuple[int, int]]
) -> Iterator[tuple[int | None, str, set[str]]]:
    """(page, where, words) for every object whose strings or text-like body hold withheld words."""
    fonts = _font_objects(pdf)
    page_of: dict[tuple[int, int], int] = {}
    for number, page in enumerate(pdf.pages, 1):
        page_of[page.obj.objgen] = number
        for annot in _array(page.obj.get("/Annots")):
            if annot.is_indirect:
                page_of[annot.objgen] = number
    info = pdf.trailer.get("/Info")
    names = {pdf.Root.objgen: "Catalog"} | ({info.objgen: "Info"} if info is not None and info.is_indirect else {})
    for obj in pdf.objects:
        kind = _kind(obj)
        if kind not in ("dictionary", "stream", "array", "string") or obj.objgen in fonts or obj.objgen in cover:
            continue
        if kind in ("dictionary", "stream") and str(obj.get("/Type", "")) in _SKIP_TYPES:
            continue
        found: set[str] = set()
        for text in _strings(obj):
            found |= vocabulary.hits(text)
        if kind == "stream" and obj.objgen not in content and not _binary(obj):
            try:
                body = _text_like(obj.read_bytes())
            except Exception:  # an undecodable filter: nothing readable
                body = None
            if body:
                found |= vocabulary.hits(body)
        if found:
            yield page_of.get(obj.objgen), names.get(obj.objgen, f"object {obj.objgen[0]}"), found


def _array(obj: Any) -> list[Any]:
    return list(obj) if _kind(obj) == "array" else []


# --------------------------------------------------------------------------- structure (pikepdf)

_FORBIDDEN_KEYS = {
    "/JavaScript": "JavaScript",
    "/JS": "JavaScript",
    "/OpenAction": "an open action",
    "/AA": "additional actions",
    "/EmbeddedFile": "an embedded file",
    "/EmbeddedFiles": "embedded files",
    "/OCProperties": "optional-content layers",
    "/AcroForm": "a form",
    "/Thumb": "a thumbnail",
    "/Annots": "annotations",
    "/XFA": "an XFA form",
    "/StructTreeRoot": "a structure tree",
    "/PieceInfo": "private application data",
    "/PageLabels": "page labels",
    "/Dests": "named destinations",
}
_FORBIDDEN_TYPES = {"/OCG": "an optional-content group", "/EmbeddedFile": "an embedded file", "/Annot": "an annotation"}


def _direct_dictionaries(obj: Any, depth: int = 0) -> Iterator[Any]:
    """An object's dictionary and every dictionary it holds directly (not through references)."""
    kind = _kind(obj)
    if depth > 32 or kind not in ("dictionary", "stream", "array"):
        return
    if kind != "array":
        yield obj
    values = obj.values() if kind != "array" else obj
    for value in values:
        if not getattr(value, "is_indirect", False):
            yield from _direct_dictionaries(value, depth + 1)


def _check_structure(pdf: Any, data: bytes, plan: Plan) -> list[Finding]:
    findings: list[Finding] = []
    revisions = data.count(b"%%EOF")
    if revisions != 1 or "/Prev" in pdf.trailer:
        findings.append(
            Finding("leak", "structure", "file", f"{revisions} revisions: earlier ones may hold removed content")
        )
    for obj in pdf.objects:
        if _kind(obj) not in ("dictionary", "stream", "array"):
            continue
        where = f"object {obj.objgen[0]}"
        for held in _direct_dictionaries(obj):
            for key in held.keys():
                if key in _FORBIDDEN_KEYS:
                    findings.append(Finding("leak", "structure", where, f"holds {_FORBIDDEN_KEYS[key]} ({key})"))
            kind = str(held.get("/Type", ""))
            if kind in _FORBIDDEN_TYPES:
                verb = "is" if held is obj else "holds"
                findings.append(Finding("leak", "structure", where, f"{verb} {_FORBIDDEN_TYPES[kind]}"))
    if "/Metadata" in pdf.Root:
        findings.append(Finding("leak", "structure", "Catalog", "XMP metadata present"))
    info = pdf.trailer.get("/Info")
    expected = new_number(plan.ruleset.document.number, plan.ruleset.release.extract)
    title = str(info.get("/Title", "")) if _kind(info) == "dictionary" else ""
    others = [k for k in ("/Author", "/Subject", "/Keywords") if _kind(info) == "dictionary" and str(info.get(k, ""))]
    if title != expected or others:
        findings.append(Finding("leak", "structure", "Info", "metadata is not the extract's own"))
    return findings


# --------------------------------------------------------------------------- widths (the plan)


def _check_widths(plan: Plan, output_of: dict[int, int]) -> list[Finding]:
    """A withheld span sharing a line with released words: its width can be measured."""
    doc = plan.document
    findings: list[Finding] = []
    for area in plan.areas():
        if plan.pages[area.page - 1].disposition == "withheld":
            continue
        members = set(area.word_ids)
        for line_id in dict.fromkeys(doc.words.lines[w] for w in area.word_ids):
            ids = doc.lines[line_id].word_ids
            if any(w in members for w in ids) and any(not plan.verdicts[w].withheld for w in ids):
                out = output_of.get(area.page)
                findings.append(
                    Finding(
                        "warning",
                        "width",
                        f"area {area.id}",
                        "shares its line with released words: its width can be measured; consider conceal: line",
                        out + 1 if out is not None else None,
                        area.page,
                        area.rules,
                    )  # fmt: skip
                )
                break
    return findings
