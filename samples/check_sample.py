"""Check the bundled sample source against the public text it was modelled on.

Usage::

    python samples/check_sample.py [SAMPLE.pdf] [--seed SEED.txt] [--twice]

Checks (exit 1 and a list of problems if any fails):

* 115 A4 pages; the running header and footer on every page, at the same place;
* every released passage (``sample_text.released_passages()``) present verbatim after
  whitespace normalisation, with PyMuPDF and with pdfminer.six, in document order, and on
  the pages where the release is expected (none on the fully withheld pages);
* every canary of ``withheld-canaries.txt`` present in the source (text, metadata, XMP or
  outline) and absent from the released passages and the furniture;
* one raster image, on p. 77; metadata and outline present;
* each paragraph, heading and list item of the annexes is one text block (PyMuPDF and
  pdfminer.six), so a withheld paragraph is one placeholder;
* ``released-passages.txt`` and ``withheld-canaries.txt`` up to date;
* ``--seed``: every released passage occurs in the public text (markdown removed), and the
  ideal extract of the sample (released blocks, one placeholder per withheld paragraph,
  page-run notes, one placeholder for each inline run) equals the public text of the
  annexes but for the known difference;
* ``--twice``: two fresh builds are byte-identical (and equal to SAMPLE.pdf).
"""

from __future__ import annotations

import argparse
import difflib
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import make_sample as ms
import pymupdf
import sample_text as st
from pdfminer.high_level import extract_text

HERE = Path(__file__).resolve().parent
DEFAULT_PDF = HERE / "16014-12-add1-rev2.pdf"

# Pages whose content is entirely invented (withheld) and pages that keep released text.
WITHHELD_RANGES = ((23, 36), (47, 58), (61, 71), (74, 76), (78, 90), (95, 101), (107, 115))
CONDENSED_RANGES = ((7, 13), (17, 22))
# Withheld runs the public text marks with one NOT DECLASSIFIED, not a page note: the
# attachments a released sentence introduces (the rule file says `placeholder: inline`).
INLINE_RANGES = ((78, 90), (95, 101))
IMAGE_PAGE = 77


def pages_in(ranges: tuple[tuple[int, int], ...]) -> set[int]:
    """All page numbers of inclusive ranges."""
    return {p for a, b in ranges for p in range(a, b + 1)}


def norm(text: str) -> str:
    """Collapse whitespace."""
    return " ".join(text.split())


def strip_markdown(text: str) -> str:
    """The public text without its markdown/HTML decoration."""
    text = re.sub(r"<[^>]+>", "", text)
    text = text.replace("\\_", "_")
    text = re.sub(r"(?m)^\s*(?:-{3,}|_+)\s*$", "", text)
    text = re.sub(r"\*+", "", text)
    text = re.sub(r"(?m)^\s*(?:-\s+)?#+\s*", "", text)
    text = re.sub(r"(?m)^\s*-\s+", "", text)
    return norm(text)


class Checker:
    """Collects problems."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.passed: list[str] = []

    def check(self, ok: bool, what: str, detail: str = "") -> None:
        """Record one check."""
        if ok:
            self.passed.append(what)
        else:
            self.problems.append(f"{what}{': ' + detail if detail else ''}")


def body_texts(doc: pymupdf.Document) -> list[str]:
    """Normalised text of each page without the header/footer margins."""
    clip = pymupdf.Rect(0, 60, 595, 785)
    return [norm(page.get_text("text", clip=clip)) for page in doc]


def check_pages(c: Checker, doc: pymupdf.Document) -> None:
    """Page count, size and furniture."""
    c.check(doc.page_count == 115, "115 pages", f"found {doc.page_count}")
    sizes = {(round(p.rect.width), round(p.rect.height)) for p in doc}
    c.check(sizes == {(595, 842)}, "A4 pages", str(sizes))
    bad_header, bad_footer, outside = [], [], []
    header_boxes, footer_boxes = set(), set()
    for pno, page in enumerate(doc, start=1):
        lines = []
        for block in page.get_text("dict")["blocks"]:
            for line in block.get("lines", []):
                text = "".join(s["text"] for s in line["spans"])
                lines.append((pymupdf.Rect(line["bbox"]), text))
        head = [(r, t) for r, t in lines if r.y1 < 60]
        foot = [(r, t) for r, t in lines if r.y0 > 790]
        if [t for _, t in head] != [st.MARKING]:
            bad_header.append(pno)
        else:
            header_boxes.add(tuple(round(v, 1) for v in head[0][0]))
        words = norm(" ".join(t for _, t in sorted(foot, key=lambda x: (x[0].y0, x[0].x0))))
        expected = f"{st.DOC_NUMBER} JV/fm {pno} DG D 2C EN"
        if words != expected:
            bad_footer.append(f"{pno}: {words!r}")
        else:
            footer_boxes.add(tuple(round(r.y0, 1) for r, _ in foot))
        for r, t in lines:
            if 60 <= r.y0 and r.y1 <= 790 and (r.y0 < 78 or r.y1 > 772):
                outside.append(f"{pno}: {t[:30]!r} {r}")
    c.check(not bad_header, "header marking on every page", str(bad_header[:10]))
    c.check(len(header_boxes) == 1, "header at the same place on every page", str(header_boxes))
    c.check(not bad_footer, "footer on every page", "; ".join(bad_footer[:5]))
    c.check(len(footer_boxes) == 1, "footer at the same height on every page", str(footer_boxes))
    c.check(not outside, "body text within y 80-770", "; ".join(outside[:5]))


def locate(passages: list[str], pages: list[str]) -> tuple[list[int | None], list[str]]:
    """Find each passage, in order, on the first page at or after the previous one."""
    where: list[int | None] = []
    out_of_order: list[str] = []
    page, pos = 0, 0
    for p in passages:
        target = norm(p)
        found = None
        for k in range(page, len(pages)):
            i = pages[k].find(target, pos if k == page else 0)
            if i >= 0:
                found = k
                page, pos = k, i + len(target)
                break
        if found is None:
            anywhere = next((k for k, t in enumerate(pages) if target in t), None)
            if anywhere is not None:
                out_of_order.append(f"p. {anywhere + 1}: {p[:60]}")
            where.append(None)
        else:
            where.append(found + 1)
    return where, out_of_order


def check_passages(c: Checker, doc: pymupdf.Document, pdf: Path) -> None:
    """Released passages: present, in order, on the expected pages."""
    passages = st.released_passages()
    pages = body_texts(doc)
    where, out_of_order = locate(passages, pages)
    missing = [p for p, w in zip(passages, where, strict=True) if w is None]
    c.check(not missing, f"{len(passages)} released passages present in order (PyMuPDF)",
            "\n    " + "\n    ".join(m[:90] for m in missing))
    c.check(not out_of_order, "released passages in document order", "; ".join(out_of_order))

    miner = [norm(extract_text(str(pdf), page_numbers=[k])) for k in range(doc.page_count)]
    miner_all = " ".join(miner)
    missing_m = [p for p in passages if norm(p) not in miner_all]
    c.check(not missing_m, "released passages present (pdfminer.six)",
            "\n    " + "\n    ".join(m[:90] for m in missing_m))

    withheld = pages_in(WITHHELD_RANGES)
    condensed = pages_in(CONDENSED_RANGES)
    hits: dict[int, int] = {}
    for w in where:
        if w is not None:
            hits[w] = hits.get(w, 0) + 1
    leaked = sorted(p for p in hits if p in withheld)
    c.check(not leaked, "no released passage on the fully withheld pages", str(leaked))
    kept = set(range(1, 116)) - withheld - condensed
    bare = sorted(p for p in kept if p not in hits)
    c.check(not bare, "released text on every kept page", str(bare))
    tables = sorted(p for p in condensed if p in hits)
    c.check(len(tables) >= 9, "strategic-goal cells spread over the condensed tables",
            f"goal cells found on pages {tables}")


def check_blocks(c: Checker, doc: pymupdf.Document, pdf: Path, sample: ms.Sample) -> None:
    """Each paragraph, heading or list item of the annexes is exactly one text block.

    Checked with PyMuPDF blocks and pdfminer.six text boxes, so that "one withheld
    paragraph" means one block to any extractor (table cells and the multi-column cover
    note are left out).
    """
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTTextBox

    def overlaps(a: pymupdf.Rect, b: pymupdf.Rect) -> bool:
        r = a & b
        return r.width > 2 and r.height > 2

    miner: dict[int, list[pymupdf.Rect]] = {}
    for pno, layout in enumerate(extract_pages(str(pdf)), start=1):
        h = layout.height
        miner[pno] = [pymupdf.Rect(b.x0, h - b.y1, b.x1, h - b.y0) for b in layout
                      if isinstance(b, LTTextBox)]
    problems: dict[str, list[str]] = {"PyMuPDF": [], "pdfminer.six": []}
    kinds = ("para", "heading", "bullet", "footnote")
    for pno in range(3, doc.page_count + 1):
        items = [pymupdf.Rect(r.rect) for r in sample.placed if r.page == pno and r.kind in kinds]
        mupdf = [pymupdf.Rect(b[:4]) for b in doc[pno - 1].get_text("blocks") if 60 < b[1] < 785]
        for name, blocks in (("PyMuPDF", mupdf), ("pdfminer.six", miner[pno])):
            blocks = [b for b in blocks if 60 < b.y0 < 785]
            for item in items:
                n = sum(overlaps(item, b) for b in blocks)
                if n != 1:
                    problems[name].append(f"p. {pno} item at y {item.y0:.0f}: {n} blocks")
            for b in blocks:
                n = sum(overlaps(item, b) for item in items)
                if n > 1:
                    problems[name].append(f"p. {pno} block at y {b.y0:.0f} joins {n} items")
    for name, found in problems.items():
        c.check(not found, f"one paragraph = one text block ({name})", "; ".join(found[:6]))


def source_strings(doc: pymupdf.Document) -> dict[str, str]:
    """All places the source keeps text: page text, metadata, XMP, outline."""
    return {
        "text": norm(" ".join(page.get_text() for page in doc)),
        "metadata": " ".join(v for v in doc.metadata.values() if isinstance(v, str)),
        "xmp": doc.get_xml_metadata(),
        "outline": " ".join(title for _, title, _ in doc.get_toc()),
    }


def check_canaries(c: Checker, doc: pymupdf.Document) -> None:
    """Canaries: listed, distinct, present, and never in released text or furniture."""
    listed = (HERE / "withheld-canaries.txt").read_text(encoding="utf-8").splitlines()
    c.check(listed == st.canaries(), "withheld-canaries.txt up to date")
    c.check(len(set(listed)) >= 40, "at least 40 distinct canaries", str(len(set(listed))))
    where = source_strings(doc)
    absent = [k for k in listed if not any(k in v for v in where.values())]
    c.check(not absent, "every canary present in the source", str(absent))
    released = norm(" ".join(st.released_passages()))
    in_released = [k for k in listed if k.lower() in released.lower()]
    c.check(not in_released, "no canary in a released passage", str(in_released))
    furniture = " ".join([st.MARKING, st.DOC_NUMBER, "JV/fm DG D 2C EN"])
    c.check(not any(k in furniture for k in listed), "no canary in the furniture")
    passages = (HERE / "released-passages.txt").read_text(encoding="utf-8").splitlines()
    c.check(passages == st.released_passages(), "released-passages.txt up to date")


def check_document_data(c: Checker, doc: pymupdf.Document) -> None:
    """Image, metadata, XMP, outline."""
    images = [(pno, img) for pno, page in enumerate(doc, start=1) for img in page.get_images()]
    c.check(len(images) == 1 and images[0][0] == IMAGE_PAGE, f"one raster image, on p. {IMAGE_PAGE}",
            str([(p, i[2], i[3]) for p, i in images]))
    meta = doc.metadata
    c.check(meta.get("title") == st.DOC_NUMBER, "metadata title")
    c.check(st.META_CANARY in meta.get("keywords", ""), "metadata keywords canary")
    c.check("RESTREINT UE" in meta.get("subject", ""), "metadata subject marking")
    c.check(st.XMP_CANARY in doc.get_xml_metadata(), "XMP canary")
    toc = doc.get_toc()
    annexes = [t for lvl, t, _ in toc if lvl == 1 and t.startswith("ANNEX")]
    c.check(len(annexes) == 8, "outline: one entry per annex", str(annexes))
    c.check(len([1 for lvl, _, _ in toc if lvl == 2]) >= 2, "outline: withheld sections")


def check_seed(c: Checker, seed: Path) -> None:
    """Every released passage occurs in the public text it was transcribed from."""
    public = strip_markdown(seed.read_text(encoding="utf-8"))
    missing = [p for p in st.released_passages() if norm(p) not in public]
    c.check(not missing, "released passages occur verbatim in the public text",
            "\n    " + "\n    ".join(m[:90] for m in missing))


# Differences between the public text and the ideal extract of this sample that the
# sample cannot avoid (see README.md, "Known differences from the public text").
EXPECTED_DIFFERENCES = {
    ("replace", "DECLASSIFIED.", "DECLASSIFIED"),
}


def ideal_extract(sample: ms.Sample, first: int = 3) -> list[str]:
    """The extract a faithful release of this sample gives, one block per entry.

    Built from the layout record: released items verbatim, one NOT DECLASSIFIED per
    withheld paragraph, the released opening of a mixed paragraph followed by NOT
    DECLASSIFIED, page-run notes for fully withheld pages (one NOT DECLASSIFIED for the
    inline runs), the end note, and the goal cells of the condensed tables each followed by
    one NOT DECLASSIFIED.
    """
    nd = "NOT DECLASSIFIED"
    withheld = pages_in(WITHHELD_RANGES)
    inline = dict(INLINE_RANGES)
    condensed = dict(CONDENSED_RANGES)
    out: list[str] = []
    p = first
    while p <= ms.PAGE_COUNT:
        if p in withheld:
            q = p
            while q + 1 in withheld:
                q += 1
            if q == ms.PAGE_COUNT:
                out += [f"{nd} FROM THIS POINT UNTIL THE END OF THE DOCUMENT", f"(page {q})"]
            elif inline.get(p) == q:
                out.append(nd)
            else:
                out.append(f"Pages {p} through {q}: {nd}")
            p = q + 1
            continue
        if p in condensed:
            q = condensed[p]
            out.append(f"( following table covers pages {p} through {q} )")
            for r in sample.placed:
                if p <= r.page <= q and r.kind == "cell:goal" and r.role == ms.RELEASED:
                    out += [r.text, nd]
            p = q + 1
            continue
        for r in sample.placed:
            if r.page != p or r.kind in ("furniture", "image") or r.kind.startswith("cell"):
                continue
            if r.role == ms.RELEASED:
                out.append(r.text)
            elif r.role == ms.WITHHELD:
                out.append(nd)
            else:
                out.append(f"{r.released_text} {nd}")
        p += 1
    return [norm(t) for t in out]


def check_against_public(c: Checker, seed: Path, sample: ms.Sample) -> None:
    """The ideal extract of the annexes equals the public text but for the known difference."""
    public = seed.read_text(encoding="utf-8")
    public = strip_markdown(public[public.index("EU crime priority A") :])
    ideal = " ".join(ideal_extract(sample))
    a, b = public.split(), ideal.split()
    found = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag != "equal":
            found.append((tag, " ".join(a[i1:i2]), " ".join(b[j1:j2])))
    unexpected = [d for d in found if d not in EXPECTED_DIFFERENCES]
    c.check(not unexpected, "ideal extract of the annexes matches the public text",
            "; ".join(f"{t}: {x!r} -> {y!r}" for t, x, y in unexpected))
    missing = EXPECTED_DIFFERENCES - set(found)
    c.check(not missing, "known difference from the public text as documented", str(missing))


def check_twice(c: Checker, pdf: Path) -> None:
    """Two builds give the same bytes, equal to the checked file."""
    script = HERE / "make_sample.py"
    with tempfile.TemporaryDirectory() as tmp:
        outs = [Path(tmp) / f"run{k}.pdf" for k in (1, 2)]
        for out in outs:
            subprocess.run([sys.executable, str(script), str(out)], check=True,
                           capture_output=True)
        a, b = (o.read_bytes() for o in outs)
        c.check(a == b, "two builds are byte-identical")
        c.check(a == pdf.read_bytes(), f"{pdf.name} is the current build")


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("pdf", nargs="?", type=Path, default=DEFAULT_PDF)
    ap.add_argument("--seed", type=Path, help="public text to check the passages against")
    ap.add_argument("--twice", action="store_true", help="also check reproducibility")
    args = ap.parse_args(argv)
    c = Checker()
    doc = pymupdf.open(args.pdf)
    check_pages(c, doc)
    check_passages(c, doc, args.pdf)
    check_canaries(c, doc)
    check_document_data(c, doc)
    sample = ms.build()
    check_blocks(c, doc, args.pdf, sample)
    if args.seed:
        check_seed(c, args.seed)
        check_against_public(c, args.seed, sample)
    if args.twice:
        check_twice(c, args.pdf)
    for what in c.passed:
        print(f"ok    {what}")
    for what in c.problems:
        print(f"FAIL  {what}")
    return 1 if c.problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
