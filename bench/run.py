"""Benchmark of the release against a PyMuPDF-only floor, at several sizes, plus batch throughput.

    python bench/run.py [--sizes 100,1000,5000] [--batch-docs 20] [--batch-pages 20]

Sources are generated, reproducibly (seeded), into ``bench/out/`` with a rule file in the
manner of the bundled sample. Every measurement runs in its own child process
(``python bench/run.py --one KIND SIZE``) so that its peak RSS is its own.

Kinds: ``floor`` (PyMuPDF alone: open, words of every page, the plan's very redaction areas
applied once per kept page, save with garbage=4/deflate), ``apply`` (make_plan + release
without verification), ``verify`` (the same with the leak check), ``flatten`` (``apply``
with ``--flatten`` at 150 dpi, no verification), ``batch1``/``batch2`` (a manifest of small
documents released with 1 or 2 worker processes).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
RESULTS = HERE / "results.json"
GENERATOR_VERSION = 1
DEFAULT_SIZES = (100, 1000, 5000)
KINDS = ("floor", "apply", "verify", "flatten")
FLATTEN_DPI = 150

HEADER = "RESTREINT UE/EU RESTRICTED"
NUMBER = "BENCH 4711/26"
LETTERS = "ABCDEFGH"
TOP, BOTTOM, LEFT = 90.0, 760.0, 72.0

sys.path.insert(0, str(ROOT))

# --------------------------------------------------------------------------- generator

SYLLABLES = ["ka", "ro", "mi", "te", "lu", "sa", "no", "vi", "de", "pa", "gri", "sto", "len", "mar", "tis", "bel"]
COMMON = (
    "the of and to in for on with by from that this which as is are was were be has have "
    "member states agencies network criminal groups cooperation information exchange report "
    "action plan priority goal measures judicial police customs border analysis support"
).split()


def _vocabulary(rng: random.Random) -> list[str]:
    words = {"".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 4))) for _ in range(3000)}
    return sorted(words) + COMMON * 8


def _sentence(rng: random.Random, vocab: list[str]) -> str:
    words = [rng.choice(vocab) for _ in range(rng.randint(8, 22))]
    if rng.random() < 0.08:  # a sentence the `text:` rule withholds
        name = rng.choice(SYLLABLES).capitalize() + rng.choice(SYLLABLES)
        return f"The {name} network was dismantled by {rng.choice(vocab)} {rng.choice(vocab)}."
    return " ".join(words).capitalize() + "."


def _lines(text: str, width: int = 92) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        lines.append(current)
    return lines


def _paragraph_text(rng: random.Random, vocab: list[str], action: int | None) -> str:
    body = " ".join(_sentence(rng, vocab) for _ in range(rng.randint(2, 5)))
    return f"Operational action {action}: {body}" if action is not None else body


def _table(page: object, rng: random.Random, vocab: list[str], y: float) -> float:
    import pymupdf

    assert isinstance(page, pymupdf.Page)
    columns, rows, width, height = 4, 8, 112.0, 18.0
    shape = page.new_shape()
    for r in range(rows + 1):
        shape.draw_line((LEFT, y + r * height), (LEFT + columns * width, y + r * height))
    for c in range(columns + 1):
        shape.draw_line((LEFT + c * width, y), (LEFT + c * width, y + rows * height))
    shape.finish(color=(0, 0, 0), width=0.5)
    shape.commit()
    for r in range(rows):
        for c in range(columns):
            text = "Indicator" if r == 0 else f"{rng.choice(vocab)} {rng.randint(1, 999)}"
            page.insert_text((LEFT + c * width + 4, y + r * height + 13), text, fontsize=9, fontname="helv")
    return y + rows * height + 16


def generate(pages: int, path: Path, seed: int = 0) -> Path:
    """A Council-like source of ``pages`` pages (cached: the same arguments give the same file)."""
    import pymupdf

    if path.is_file():
        return path
    rng = random.Random(f"{GENERATOR_VERSION}-{pages}-{seed}")
    vocab = _vocabulary(rng)
    doc = pymupdf.open()
    priority = 0
    action = 0
    for index in range(pages):
        number = index + 1
        page = doc.new_page(width=595, height=842)
        page.insert_text((LEFT, 40), HEADER, fontsize=9, fontname="helv")
        page.insert_text((LEFT, 815), NUMBER, fontsize=9, fontname="helv")
        page.insert_text((510, 815), str(number), fontsize=9, fontname="helv")
        y = TOP
        cycle = index % 20
        if index < 2:  # the cover note, released by pages
            y = _write(page, y, ["Cover note on the implementation of the policy cycle"], 14, "hebo")
        elif cycle == 13:  # a withheld run of pages: a section no rule releases
            y = _write(page, y, [f"Restricted annex {index // 20 + 1}"], 14, "hebo")
        elif cycle == 16 or index % 4 == 2:
            suffix = "" if priority < len(LETTERS) else f" ({priority // len(LETTERS) + 1})"
            y = _write(page, y, [f"EU crime priority {LETTERS[priority % len(LETTERS)]}{suffix}"], 14, "hebo")
            priority += 1
        withheld_run = 13 <= cycle <= 15
        if cycle == 7 and index >= 2:
            y = _write(page, y, [f"Table {index // 10 + 1}: indicators"], 12, "hebo")
            y = _table(page, rng, vocab, y)
        while y < BOTTOM - 60:
            if rng.random() < 0.15:
                y = _write(page, y, [f"Strategic goal {rng.randint(1, 9)}"], 12, "hebo")
            release_block = not withheld_run and rng.random() < 0.3
            if release_block:
                action += 1
            text = _paragraph_text(rng, vocab, action if release_block else None)
            lines = _lines(text)[: max(1, int((BOTTOM - y) // 13.75))]
            y = _write(page, y, lines, 11, "helv")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".part")
    doc.save(tmp, garbage=3, deflate=True)
    doc.close()
    os.replace(tmp, path)
    return path


def _write(page: object, y: float, lines: list[str], size: float, font: str) -> float:
    import pymupdf

    assert isinstance(page, pymupdf.Page)
    page.insert_text((LEFT, y), "\n".join(lines), fontsize=size, fontname=font, lineheight=1.25)
    return y + len(lines) * size * 1.25 + 10


RULES = """\
version: 1
document:
  number: "{number}"
  dated: "23 November 2012"
  classification: "{header}"
  subject: "EU Policy Cycle: Implementation Monitoring (benchmark)"
release:
  extract: 1
  date: "19 March 2013"
  place: Brussels
  issuer: "COUNCIL OF THE EUROPEAN UNION"
  new_status: Public
markings:
  - find: "{header}"
    replace: ""
  - find: "{number}"
    replace: "{number} EXT 1 (19.03.2013)"
reasons:
  "4(1)(a) public security": "Regulation (EC) No 1049/2001, Article 4(1)(a), first indent"
headings:
  - {{match: "^EU crime priority [A-H]", level: 1}}
  - {{match: "^Restricted annex", level: 1}}
  - {{match: "^Cover note", level: 1}}
  - {{match: "^Strategic goal", level: 2}}
default: withhold
rules:
  - id: cover-note
    release: {{pages: "1-2"}}
  - id: priorities-a-c
    release: {{section: "^EU crime priority [ABC]", level: 1}}
  - id: operational-actions
    release: {{block: "^Operational action [0-9]+:"}}
  - id: tables
    release: {{block: "^Table [0-9]+: indicators"}}
  - id: network-names
    withhold: {{text: "The [A-Z][a-z]+ network was dismantled by [a-z]+ [a-z]+\\\\."}}
    reason: "4(1)(a) public security"
  - id: first-table
    condense: {{pages: "8-9"}}
"""


def rules_file(path: Path) -> Path:
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(RULES.format(number=NUMBER, header=HEADER), encoding="utf-8")
    return path


def source_for(size: int) -> tuple[Path, Path]:
    return generate(size, OUT / f"source-{size}.pdf"), rules_file(OUT / "rules.yaml")


def batch_manifest(docs: int, pages: int) -> Path:
    folder = OUT / f"batch-{docs}x{pages}"
    rules = rules_file(OUT / "rules.yaml")
    rows = ["source,rules,output"]
    for i in range(docs):
        source = generate(pages, folder / f"doc{i:03d}.pdf", seed=i)
        rows.append(f"{source.name},{os.path.relpath(rules, folder)},ext/doc{i:03d}-ext1.pdf")
    manifest = folder / "manifest.csv"
    manifest.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return manifest


# --------------------------------------------------------------------------- one measurement


def _rects(size: int) -> Path:
    """The plan's redaction areas of every kept page, computed once (not timed)."""
    path = OUT / f"rects-{size}.json"
    if not path.is_file():
        from redactor.pipeline import make_plan
        from redactor.plan.pages import removal_rects

        source, rules = source_for(size)
        plan = make_plan(source, rules)
        kept = {
            str(p.number): [r.as_tuple() for r in removal_rects(plan.document, p)]
            for p in plan.pages
            if p.disposition == "kept"
        }
        path.write_text(json.dumps(kept), encoding="utf-8")
    return path


def _floor(size: int) -> float:
    import pymupdf

    source, _ = source_for(size)
    kept = {int(k): v for k, v in json.loads(_rects(size).read_text(encoding="utf-8")).items()}
    start = time.perf_counter()
    doc = pymupdf.open(source)
    for page in doc:
        page.get_text("words")
    doc.select(sorted(n - 1 for n in kept))
    for page, number in zip(doc, sorted(kept), strict=True):
        for rect in kept[number]:
            page.add_redact_annot(pymupdf.Rect(rect), fill=False)
        page.apply_redactions(
            images=pymupdf.PDF_REDACT_IMAGE_PIXELS,
            graphics=pymupdf.PDF_REDACT_LINE_ART_REMOVE_IF_COVERED,
            text=pymupdf.PDF_REDACT_TEXT_REMOVE,
        )
    doc.save(OUT / f"floor-{size}.pdf", garbage=4, deflate=True)
    return time.perf_counter() - start


def _apply(size: int, verify: bool, flatten_dpi: int | None = None) -> tuple[float, dict[str, object]]:
    """Seconds, and the output's size and page counts (not timed)."""
    from redactor.pipeline import Outputs, make_plan, release

    source, rules = source_for(size)
    out = OUT / (f"flat-{size}.pdf" if flatten_dpi else f"ext-{size}.pdf")
    start = time.perf_counter()
    plan = make_plan(source, rules)
    release(plan, source, Outputs(out), verify=verify, flatten_dpi=flatten_dpi)
    seconds = time.perf_counter() - start
    kept = [p for p in plan.pages if p.disposition == "kept"]
    flattened = sum(bool(p.areas) for p in kept)
    return seconds, {"output_bytes": out.stat().st_size, "kept_pages": len(kept), "flattened_pages": flattened}


def _batch(docs: int, pages: int, jobs: int) -> float:
    from redactor.batch import run_batch, state_path

    manifest = batch_manifest(docs, pages)
    state_path(manifest).unlink(missing_ok=True)
    start = time.perf_counter()
    outcomes = run_batch(manifest, jobs=jobs, verify=True)
    seconds = time.perf_counter() - start
    failed = [o for o in outcomes if o.status != "ok"]
    if failed:
        raise SystemExit(f"batch: {len(failed)} document(s) failed: {failed[0].message}")
    return seconds


def one(kind: str, size: int, batch_pages: int) -> dict[str, object]:
    """Run one measurement in this process and return its result."""
    extra: dict[str, object] = {}
    if kind in ("floor", "apply", "verify", "flatten"):
        source_for(size)  # generation is never timed
        if kind == "floor":
            _rects(size)
    if kind == "floor":
        seconds = _floor(size)
    elif kind in ("apply", "verify"):
        seconds, extra = _apply(size, verify=kind == "verify")
    elif kind == "flatten":
        seconds, extra = _apply(size, verify=False, flatten_dpi=FLATTEN_DPI)
    elif kind == "rects":
        _rects(size)
        seconds = 0.0
    elif kind in ("batch1", "batch2"):
        batch_manifest(size, batch_pages)
        seconds = _batch(size, batch_pages, jobs=int(kind[-1]))
    else:
        raise SystemExit(f"unknown kind {kind}")
    rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"kind": kind, "size": size, "seconds": round(seconds, 3), "peak_rss_mib": round(rss_kib / 1024, 1), **extra}


def _child(kind: str, size: int, batch_pages: int) -> dict[str, object]:
    command = [sys.executable, str(Path(__file__).resolve()), "--one", kind, str(size)]
    command += ["--batch-pages", str(batch_pages)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{kind} {size} failed:\n{done.stderr.strip()}")
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# --------------------------------------------------------------------------- report


def exponent(points: list[tuple[float, float]]) -> float | None:
    """Slope of log(seconds) against log(pages), least squares."""
    if len(points) < 2:
        return None
    xs = [math.log(p) for p, _ in points]
    ys = [math.log(s) for _, s in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    denominator = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / denominator if denominator else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="page counts, comma-separated")
    parser.add_argument("--batch-docs", type=int, default=20, help="documents in the batch measurement (0: none)")
    parser.add_argument("--batch-pages", type=int, default=20, help="pages per batch document")
    parser.add_argument("--one", nargs=2, metavar=("KIND", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(one(args.one[0], int(args.one[1]), args.batch_pages)))
        return 0

    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    results: list[dict[str, object]] = []
    for size in sizes:
        started = time.perf_counter()
        print(f"preparing {size} pages ...", file=sys.stderr, flush=True)
        source_for(size)
        print(f"  source ready in {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
        _child("rects", size, args.batch_pages)  # the floor's redaction areas, outside its own process
        floor = None
        for kind in KINDS:
            result = _child(kind, size, args.batch_pages)
            seconds = float(result["seconds"])  # type: ignore[arg-type]
            if kind == "floor":
                floor = seconds
            result["pages_per_s"] = round(size / seconds, 1)
            result["ratio_to_floor"] = round(seconds / floor, 2) if floor else None
            results.append(result)
            print(f"  {kind:7} {seconds:8.2f} s  {result['peak_rss_mib']} MiB", file=sys.stderr, flush=True)
    batch: list[dict[str, object]] = []
    if args.batch_docs:
        for kind in ("batch1", "batch2"):
            result = _child(kind, args.batch_docs, args.batch_pages)
            result["docs_per_s"] = round(args.batch_docs / float(result["seconds"]), 2)  # type: ignore[arg-type]
            result["pages"] = args.batch_pages
            batch.append(result)

    print(f"\n{'pages':>6} {'kind':8} {'seconds':>9} {'pages/s':>9} {'peak MiB':>9} {'x floor':>8}")
    for r in results:
        ratio = r["ratio_to_floor"]
        print(
            f"{r['size']:>6} {r['kind']:8} {r['seconds']:>9.2f} {r['pages_per_s']:>9.1f} "
            f"{r['peak_rss_mib']:>9.1f} {ratio if ratio is not None else '-':>8}"
        )
    for b in batch:
        print(
            f"batch {b['size']} documents x {b['pages']} pages, --jobs {str(b['kind'])[-1]}: "
            f"{b['seconds']:.2f} s, {b['docs_per_s']} documents/s, parent peak {b['peak_rss_mib']} MiB"
        )

    def pick(kind: str, size: int) -> dict[str, object] | None:
        return next((r for r in results if r["kind"] == kind and r["size"] == size), None)

    print(f"\nflatten ({FLATTEN_DPI} dpi) against the keep-list extract (apply), both without verification:")
    print(
        f"{'pages':>6} {'kept':>6} {'flat':>6} {'apply s/kept':>13} {'flatten s/kept':>15} "
        f"{'apply MB':>9} {'flatten MB':>11} {'x size':>7}"
    )
    for size in sizes:
        keep, flat = pick("apply", size), pick("flatten", size)
        if keep and flat:
            kept = int(flat["kept_pages"])  # type: ignore[call-overload]
            keep_bytes, flat_bytes = int(keep["output_bytes"]), int(flat["output_bytes"])  # type: ignore[call-overload]
            print(
                f"{size:>6} {kept:>6} {flat['flattened_pages']:>6} {float(keep['seconds']) / kept:>13.4f} "  # type: ignore[arg-type]
                f"{float(flat['seconds']) / kept:>15.4f} {keep_bytes / 1e6:>9.2f} {flat_bytes / 1e6:>11.2f} "  # type: ignore[arg-type]
                f"{flat_bytes / keep_bytes:>7.1f}"
            )

    slope = exponent([(float(r["size"]), float(r["seconds"])) for r in results if r["kind"] == "apply"])  # type: ignore[arg-type]
    print(f"\nfitted exponent of apply --no-verify time vs pages: {slope:.2f}" if slope is not None else "")
    targets: list[dict[str, object]] = []

    def target(name: str, value: float | None, limit: float, higher_is_better: bool = False) -> None:
        if value is None:
            targets.append({"target": name, "value": None, "limit": limit, "holds": None})
            print(f"  n/a   {name} (not measured at these sizes)")
            return
        holds = value >= limit if higher_is_better else value <= limit
        targets.append({"target": name, "value": round(value, 3), "limit": limit, "holds": holds})
        print(f"  {'PASS' if holds else 'FAIL'}  {name}: {value:.2f} (limit {limit})")

    at_1000 = pick("apply", 1000)
    target("apply --no-verify pages/s at 1000 pages", float(at_1000["pages_per_s"]) if at_1000 else None, 100, True)  # type: ignore[arg-type]
    applies = [float(r["ratio_to_floor"]) for r in results if r["kind"] == "apply"]  # type: ignore[arg-type]
    verifies = [float(r["ratio_to_floor"]) for r in results if r["kind"] == "verify"]  # type: ignore[arg-type]
    target("apply/floor (worst size)", max(applies) if applies else None, 1.5)
    target("apply+verify/floor (worst size)", max(verifies) if verifies else None, 2.5)
    peaks = [  # the release as usually run; --flatten holds page pictures and is reported on its own
        float(r["peak_rss_mib"]) for r in results if r["size"] == 5000 and r["kind"] in ("apply", "verify")  # type: ignore[arg-type]
    ]
    target("peak RSS MiB at 5000 pages (apply, verify)", max(peaks) if peaks else None, 1024)
    target("exponent of apply time vs pages", slope, 1.1)

    payload = {"sizes": sizes, "results": results, "batch": batch, "exponent": slope, "targets": targets}
    from redactor.output.atomic import write_atomically

    write_atomically(RESULTS, json.dumps(payload, indent=2) + "\n")
    print(f"\nwrote {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
