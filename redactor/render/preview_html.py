"""The HTML review copy: one self-contained file to walk through a release decision.

For each source page: the page as an image with the plan's boxes over it (red withheld,
green released, orange rewritten markings), beside the page as the extract will show it,
and beside both the page's list of areas: each box's label, verdict, rule id(s), level and
reason, as visible text. The extract side is the real extract, rendered once by
``render_extract`` and rasterised, so what the reviewer sees is what will be released. At
the top: the totals, the rules and reasons, a legend of the colours and an index of the
pages coloured by what happens to each (kept, condensed, withheld). A filter shows one
rule's boxes, and j/k or the arrow keys move between pages. Everything (images, style,
script) is inline.

The page images are what makes the file large, so they are compact (:func:`page_image`):
a page that is grey throughout (text, rules, tables: most pages) is a PNG of four grey
levels, two bits a pixel (about 20 KB at :data:`DPI`: two fifths of an 8-bit grey PNG, a
fifth of a colour one); a grey page with pictures is a greyscale JPEG, and a page in colour
a colour JPEG. They stay embedded rather than in a folder beside the file: base64 costs a
third more bytes, but a review copy is classified, and one file is one thing to keep
private (mode 0600), to write all-or-nothing and to move or destroy.
"""

from __future__ import annotations

import base64
import struct
import zlib
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from redactor.geometry import Rect
from redactor.plan.model import PagePlan, Plan
from redactor.plan.precedence import LEVEL_NAMES
from redactor.processes import worker_pool
from redactor.progress import Progress, no_progress
from redactor.render.audit import audit_data
from redactor.render.extract import render_extract
from redactor.render.preview_pdf import STAMP, item_of_page, page_rules
from redactor.render.templating import environment
from redactor.source.load import open_pdf

#: Resolution of the page images: readable, and small enough for a 1,000-page file.
DPI = 70
#: JPEG quality of pages with pictures or colour.
JPEG_QUALITY = 60
#: A pixel is coloured when its channels differ by more than this (of 255)...
COLOUR_SPREAD = 40
#: ... and a page is in colour when more than this share of its pixels are.
COLOUR_SHARE = 0.002
#: A grey page is a picture (JPEG, not a few grey levels) when more than this share of its
#: pixels are mid-tones: text and rules are black on white with anti-aliased edges.
MIDTONE_SHARE = 0.2
#: Source pages from which their images are rendered in worker processes (starting one
#: costs about a second: a fresh interpreter importing MuPDF).
PARALLEL_FROM = 150
#: Source pages sent to a worker at a time.
CHUNK = 16


def _chunk(tag: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)


def grey_png(grey: Any) -> bytes:
    """A PNG of four grey levels (2 bits a pixel) of ``grey``, a 2-D array of 8-bit grey values."""
    import numpy as np

    levels = np.frombuffer(_LEVELS, dtype=np.uint8)[grey]
    height, width = levels.shape
    pad = -width % 4
    if pad:
        levels = np.pad(levels, ((0, 0), (0, pad)), constant_values=3)
    packed = (levels[:, 0::4] << 6) | (levels[:, 1::4] << 4) | (levels[:, 2::4] << 2) | levels[:, 3::4]
    rows = np.hstack([np.zeros((height, 1), dtype=np.uint8), packed])  # filter type 0 on every row
    header = struct.pack(">IIBBBBB", width, height, 2, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(rows.tobytes(), 6))
        + _chunk(b"IEND", b"")
    )


#: 8-bit grey to the nearest of four levels.
_LEVELS = bytes((value * 3 + 127) // 255 for value in range(256))


def page_image(page: Any, dpi: int = DPI) -> tuple[str, bytes]:
    """A page rasterised compactly: its MIME type and bytes (see the module's docstring).

    Colour and mid-tones are looked for in every other row and column, which finds a
    coloured word or picture and takes a quarter of the time; on a grey page the three
    channels agree, so the green one is the grey image.
    """
    import numpy as np
    import pymupdf

    pix = page.get_pixmap(dpi=dpi, alpha=False)
    rows = np.frombuffer(pix.samples_mv, dtype=np.uint8).reshape(pix.height, pix.stride)[:, : pix.width * 3]
    red, green, blue = (rows[::2, k::6] for k in range(3))
    spread = np.maximum(np.maximum(red, green), blue) - np.minimum(np.minimum(red, green), blue)
    if np.count_nonzero(spread > COLOUR_SPREAD) > COLOUR_SHARE * spread.size:
        return "image/jpeg", pix.tobytes("jpg", jpg_quality=JPEG_QUALITY)
    if np.count_nonzero((green > 48) & (green < 208)) > MIDTONE_SHARE * green.size:
        return "image/jpeg", pymupdf.Pixmap(pymupdf.csGRAY, pix).tobytes("jpg", jpg_quality=JPEG_QUALITY)
    return "image/png", grey_png(rows[:, 1::3])


def _image(page: Any) -> dict[str, Any]:
    """A page image for the template (see :func:`_shown`)."""
    return _shown(page_image(page), page.rect.width, page.rect.height)


def _shown(image: tuple[str, bytes], width: float, height: float) -> dict[str, Any]:
    """An image for the template: its data URI and its size in pixels."""
    mime, data = image
    scale = DPI / 72
    return {
        "src": f"data:{mime};base64," + base64.b64encode(data).decode("ascii"),
        "width": round(width * scale),
        "height": round(height * scale),
    }


class _SourceImages:
    """The source pages' images: rendered here when asked, or, from :data:`PARALLEL_FROM` pages
    with ``jobs`` above one, in worker processes started at once, so that they render while
    this process writes the extract (which it needs whole before its pages can be drawn).
    """

    def __init__(self, source: str, password: str | None, count: int, jobs: int) -> None:
        self.futures: list[Future[list[tuple[str, bytes]]]] = []
        self.pool: ProcessPoolExecutor | None = None
        if jobs > 1 and count >= parallel_images_from():
            self.pool = worker_pool(jobs, _open, source, password)
            numbers = list(range(1, count + 1))
            self.futures = [self.pool.submit(_images_in_worker, numbers[i : i + CHUNK]) for i in range(0, count, CHUNK)]

    def image(self, page: Any) -> dict[str, Any]:
        """The image of ``page`` (a page of the source, opened here too)."""
        if self.pool is None:
            return _image(page)
        found = self.futures[page.number // CHUNK].result()[page.number % CHUNK]
        return _shown(found, page.rect.width, page.rect.height)

    def close(self) -> None:
        """Stop the workers (pages not yet rendered are dropped)."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


def parallel_images_from() -> int:
    """The page count from which workers render the images (read at each call: tests lower it)."""
    return PARALLEL_FROM


_SOURCE: Any = None  # a worker's open source document


def _open(source: str, password: str | None) -> None:
    global _SOURCE
    _SOURCE = open_pdf(source, password)


def _images_in_worker(numbers: list[int]) -> list[tuple[str, bytes]]:
    return [page_image(_SOURCE[n - 1]) for n in numbers]


class _Reasons:
    """Rule ids to their reason codes, and codes to the reason's wording."""

    def __init__(self, plan: Plan) -> None:
        self.of_rule = {rule.id: rule.reason for rule in plan.ruleset.rules if rule.reason}
        self.text = plan.ruleset.reasons

    def cited(self, rules: list[str]) -> list[dict[str, str]]:
        """The reasons ``rules`` cite, each once: code and wording."""
        codes = dict.fromkeys(self.of_rule[r] for r in rules if r in self.of_rule)
        return [{"code": code, "text": self.text.get(code, "")} for code in codes]

    def coded(self, codes: tuple[str, ...]) -> list[dict[str, str]]:
        """Reason codes with their wording."""
        return [{"code": code, "text": self.text.get(code, "")} for code in codes]


class _Frame:
    """A source page as displayed: boxes placed in percent of it, rotation applied."""

    def __init__(self, page: Any) -> None:
        m = page.rotation_matrix
        self.matrix = (m.a, m.b, m.c, m.d, m.e, m.f)
        self.rotated = page.rotation % 360 != 0
        self.width, self.height = page.rect.width, page.rect.height

    def box(self, rect: Rect, kind: str, label: str) -> dict[str, Any]:
        """An overlay box of ``kind`` labelled ``label``."""
        x0, y0, x1, y1 = rect.as_tuple()
        if self.rotated:
            a, b, c, d, e, f = self.matrix
            xs = [a * x + c * y + e for x, y in ((x0, y0), (x1, y0), (x0, y1), (x1, y1))]
            ys = [b * x + d * y + f for x, y in ((x0, y0), (x1, y0), (x0, y1), (x1, y1))]
            x0, y0, x1, y1 = min(xs), min(ys), max(xs), max(ys)
        width, height = self.width, self.height
        return {
            "kind": kind,
            "label": label,
            "left": round(100 * x0 / width, 1),
            "top": round(100 * y0 / height, 1),
            "width": round(100 * (x1 - x0) / width, 1),
            "height": round(100 * (y1 - y0) / height, 1),
        }


def _entry(
    label: str, verdict: str, rules: list[str], level: int | None, reasons: list[dict[str, str]], note: str = ""
) -> dict[str, Any]:
    """A row of the page's side list."""
    return {
        "label": label,
        "verdict": verdict,
        "rules": rules,
        "level": f"{level} ({LEVEL_NAMES.get(level)})" if level is not None else "",
        "reasons": reasons,
        "note": note,
    }


def page_review(plan: Plan, page_plan: PagePlan, page: Any, reasons: _Reasons) -> dict[str, Any]:
    """A source page's boxes and its side list, one row per label.

    Labels: ``#id`` a withheld area (the number the PDF review copy labels it with),
    ``R1``… a released box, ``M1``… a rewritten marking, ``P`` a dropped page.
    """
    doc = plan.document
    source = doc.pages[page_plan.number - 1]
    frame = _Frame(page)
    boxes: list[dict[str, Any]] = []
    entries: list[dict[str, Any]] = []
    if page_plan.disposition == "withheld":
        whole = Rect(0, 0, source.cropbox.width, source.cropbox.height)
        rules = page_rules(plan, source.number)
        boxes.append(frame.box(whole, "withheld", "P"))
        entries.append(_entry("P", "page withheld", rules, None, reasons.cited(rules), "the whole page is dropped"))
        return {"boxes": _tagged(boxes), "entries": entries}
    released = [w for b in source.block_ids for w in doc.blocks[b].word_ids if not plan.verdicts[w].withheld]
    centres = [(w, *doc.words.rect(w).center) for w in released]
    for n, rect in enumerate(page_plan.keep_rects, start=1):
        x0, y0, x1, y1 = rect.as_tuple()
        inside = [plan.verdicts[w] for w, x, y in centres if x0 <= x <= x1 and y0 <= y <= y1]
        inside += [plan.image_verdicts[i] for i in source.image_ids if doc.images[i].rect == rect]
        rules = list(dict.fromkeys(v.rule for v in inside))
        level = max((v.level for v in inside), default=0)
        boxes.append(frame.box(rect, "released", f"R{n}"))
        entries.append(_entry(f"R{n}", "released", rules, level, reasons.cited(rules)))
    groups: list[list[int]] = []  # the words of each rewritten marking, its first word first
    for w in sorted(page_plan.rewritten):
        if w in plan.rewrites or not groups:
            groups.append([])
        groups[-1].append(w)
    for n, words in enumerate(groups, start=1):
        replacement = plan.rewrites.get(words[0], "")
        text = " ".join(doc.words.texts[w] for w in words)
        note = f"“{text}” rewritten as “{replacement}”" if replacement else f"“{text}” removed in the extract"
        entries.append(_entry(f"M{n}", "marking", ["marking"], None, [], note))
        boxes += [frame.box(doc.words.rect(w), "marking", f"M{n}") for w in words]
    for area in page_plan.areas:
        label = f"#{area.id}"
        rules = list(area.rules)
        entries.append(_entry(label, "withheld", rules, area.level, reasons.coded(area.reasons)))
        boxes += [frame.box(rect, "withheld", label) for rect in area.rects]
    return {"boxes": _tagged(boxes), "entries": entries}


def _tagged(boxes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The first box of each label carries the label on the page (``tag``)."""
    seen: set[str] = set()
    for box in boxes:
        box["tag"] = box["label"] not in seen
        seen.add(box["label"])
    return boxes


def review_html(
    plan: Plan, source: str, password: str | None = None, progress: Progress = no_progress, jobs: int = 1
) -> str:
    """The review page: summary, legend, page index, and every source page beside its extract page and its areas.

    ``jobs`` worker processes write the extract's kept pages (as ``apply --jobs`` does) and,
    for a long source, render the source pages' images meanwhile (:class:`_SourceImages`).
    """
    import pymupdf

    images = _SourceImages(source, password, plan.document.page_count, jobs)
    try:
        log = audit_data(plan)
        rendered = render_extract(plan, source, password, jobs=jobs)
        # The first source page of an item (a placeholder page, a condensed range) shows it all.
        shown = {item.first: pages for item, pages in zip(plan.sequence, rendered.item_pages, strict=True)}
        extract = pymupdf.open("pdf", rendered.pdf)
        src = open_pdf(source, password)
        reasons = _Reasons(plan)
        try:
            items = item_of_page(plan)
            cover = [_image(extract[i]) for i in range(rendered.cover_pages)]
            pages = []
            for page_plan in plan.pages:
                page = src[page_plan.number - 1]
                item = items.get(page_plan.number)
                pages.append(
                    {
                        "number": page_plan.number,
                        "disposition": page_plan.disposition,
                        **page_review(plan, page_plan, page, reasons),
                        "extract": [_image(extract[i]) for i in shown.get(page_plan.number, ())],
                        "image": images.image(page),
                        "item": item,
                        "placeholder": item.text if item and item.kind == "withheld_pages" else "",
                    }
                )
                progress(1)
        finally:
            src.close()
            extract.close()
    finally:
        images.close()
    rules = [r for r in log["by_rule"] if r["released_words"] + r["withheld_words"] + r["entries"] > 0]
    env = environment()
    return env.get_template("preview.html.j2").render(
        stamp=STAMP, log=log, pages=pages, cover=cover, rules=rules, plan=plan, reasons=plan.ruleset.reasons
    )
