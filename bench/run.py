"""Benchmark of the release, phase by phase, against a PyMuPDF-only floor, at several sizes.

    python bench/run.py [--sizes 100 1000 5000 10000 | --quick] [--sources dense plain]
                        [--kinds floor phases] [--batch-docs 20] [--batch-pages 20]

Two sources are generated, reproducibly (seeded), into ``bench/out/``, each with its rule
file: ``dense`` (Council-like, about 40 redaction areas per kept page) and ``plain`` (about
500 words a page of headings and paragraphs, whole chapters released or withheld, about
half the pages kept). Every measurement runs in its own child process
(``python bench/run.py --one KIND SIZE --source NAME``) so that its peak RSS is its own.

Kinds: ``floor`` (PyMuPDF alone: open, words of every page, the plan's very redaction areas
applied once per kept page, save with garbage=4/deflate), ``phases`` (the release with the
leak check, each phase timed: load, decide, write, assemble+save, verify), ``apply``
(make_plan + release without verification), ``verify`` (the same with the leak check),
``flatten`` (``apply`` with ``--flatten`` at 150 dpi, no verification), ``batch1``/``batch2``
(a manifest of small dense documents released with 1 or 2 worker processes).
``floor`` and ``phases`` run by default; the others on request (``--kinds``).

Prints the figures per size and source, the fitted exponent of apply time against pages and
the ratio to the floor; writes ``bench/results.json`` and ``bench/results.png``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
RESULTS = HERE / "results.json"
PLOT = HERE / "results.png"
GENERATOR_VERSION = 1
DEFAULT_SIZES = (100, 1000, 5000, 10000)
QUICK_SIZES = (100, 1000)
KINDS = ("floor", "phases", "apply", "verify", "verify2", "flatten")
DEFAULT_KINDS = ("floor", "phases", "verify2")
#: The phases of a release with the leak check, in the order they run.
PHASES = ("load", "decide", "write", "assemble_save", "verify")
#: The phases whose sum is ``apply --no-verify``.
APPLY_PHASES = PHASES[:-1]
FLATTEN_DPI = 150

HEADER = "RESTREINT UE/EU RESTRICTED"
NUMBER = "BENCH 4711/26"
LETTERS = "ABCDEFGH"
TOP, BOTTOM, LEFT = 90.0, 760.0, 72.0
PLAIN_WORDS_PER_PAGE = 500
#: The plain source's body text: 10 pt, lines of up to 100 characters (about 500 words fit a page).
PLAIN_SIZE, PLAIN_LINE = 10.0, 100

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


def _furniture(page: object, number: int) -> None:
    """The running header and the footer that the rule files' markings rewrite."""
    import pymupdf

    assert isinstance(page, pymupdf.Page)
    page.insert_text((LEFT, 40), HEADER, fontsize=9, fontname="helv")
    page.insert_text((LEFT, 815), NUMBER, fontsize=9, fontname="helv")
    page.insert_text((510, 815), str(number), fontsize=9, fontname="helv")


def _save(doc: object, path: Path) -> Path:
    """Save through a temporary name, so an interrupted run never leaves a half source in the cache."""
    import pymupdf

    assert isinstance(doc, pymupdf.Document)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".part")
    doc.save(tmp, garbage=3, deflate=True)
    doc.close()
    os.replace(tmp, path)
    return path


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
        page = doc.new_page(width=595, height=842)
        _furniture(page, index + 1)
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
    return _save(doc, path)


def generate_plain(pages: int, path: Path, seed: int = 0) -> Path:
    """A plain structured source: chapters of 1-4 pages, sections, about 500 words a page.

    Every chapter starts on a new page and the rule file releases the even ones whole, so
    about half the pages are kept, and kept pages carry no withheld area: the release's cost
    on ordinary text, beside the dense source's many small areas. Cached like :func:`generate`.
    """
    import pymupdf

    if path.is_file():
        return path
    rng = random.Random(f"plain-{GENERATOR_VERSION}-{pages}-{seed}")
    vocab = _vocabulary(rng)
    doc = pymupdf.open()
    chapter = section = left_in_chapter = 0
    for index in range(pages):
        page = doc.new_page(width=595, height=842)
        _furniture(page, index + 1)
        y = TOP
        if left_in_chapter == 0:
            chapter, section, left_in_chapter = chapter + 1, 0, rng.randint(1, 4)
            title = " ".join(rng.choice(vocab) for _ in range(3)).capitalize()
            y = _write(page, y, [f"Chapter {chapter}: {title}"], 14, "hebo")
        left_in_chapter -= 1
        words = 0
        while words < PLAIN_WORDS_PER_PAGE and y < BOTTOM - 2 * PLAIN_SIZE:
            if rng.random() < 0.2:
                section += 1
                y = _write(page, y, [f"Section {chapter}.{section}"], 12, "hebo")
            body = _paragraph_text(rng, vocab, None).split()[: PLAIN_WORDS_PER_PAGE - words]
            lines = _lines(" ".join(body), PLAIN_LINE)[: max(1, int((BOTTOM - y) // (PLAIN_SIZE * 1.25)))]
            words += sum(len(line.split()) for line in lines)
            y = _write(page, y, lines, PLAIN_SIZE, "helv")
    return _save(doc, path)


def _write(page: object, y: float, lines: list[str], size: float, font: str) -> float:
    import pymupdf

    assert isinstance(page, pymupdf.Page)
    page.insert_text((LEFT, y), "\n".join(lines), fontsize=size, fontname=font, lineheight=1.25)
    return y + len(lines) * size * 1.25 + 10


_RULES_HEAD = """\
version: 1
document:
  number: "{number}"
  dated: "23 November 2012"
  classification: "{header}"
  subject: "{subject}"
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
"""

RULES = (
    _RULES_HEAD
    + """\
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
)

PLAIN_RULES = (
    _RULES_HEAD
    + """\
headings:
  - {{match: "^Chapter [0-9]+:", level: 1}}
  - {{match: "^Section [0-9]+[.][0-9]+$", level: 2}}
default: withhold
rules:
  - id: even-chapters
    release: {{section: "^Chapter [0-9]*[02468]:", level: 1}}
"""
)


def rules_file(path: Path, template: str = RULES, subject: str = "EU Policy Cycle: Implementation Monitoring") -> Path:
    """The rule file, rewritten only when its text changed (a stale cached copy would mislead)."""
    text = template.format(number=NUMBER, header=HEADER, subject=f"{subject} (benchmark)")
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return path


@dataclass(frozen=True)
class Source:
    """One kind of generated source: how it is built, its rule file, and where its files go."""

    name: str
    prefix: str  # of every file in bench/out (empty for dense: its cached files keep their names)
    build: Callable[[int, Path], Path]
    rules: str
    subject: str

    def path(self, stem: str, size: int, suffix: str = "pdf") -> Path:
        return OUT / f"{self.prefix}{stem}-{size}.{suffix}"

    def files(self, size: int) -> tuple[Path, Path]:
        """The source of ``size`` pages and its rule file, generated when missing (never timed)."""
        rules = rules_file(OUT / f"{self.prefix}rules.yaml", self.rules, self.subject)
        return self.build(size, self.path("source", size)), rules


SOURCES = {
    "dense": Source("dense", "", generate, RULES, "EU Policy Cycle: Implementation Monitoring"),
    "plain": Source("plain", "plain-", generate_plain, PLAIN_RULES, "Annual report"),
}


def source_for(size: int) -> tuple[Path, Path]:
    """The dense source and its rules (the batch measurement and older callers use this)."""
    return SOURCES["dense"].files(size)


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


def _rects(source: Source, size: int) -> Path:
    """The plan's redaction areas of every kept page, computed once (not timed)."""
    path = source.path("rects", size, "json")
    if not path.is_file():
        from redactor.pipeline import make_plan
        from redactor.plan.pages import removal_rects

        pdf, rules = source.files(size)
        plan = make_plan(pdf, rules)
        kept = {
            str(p.number): [r.as_tuple() for r in removal_rects(plan.document, p)]
            for p in plan.pages
            if p.disposition == "kept"
        }
        path.write_text(json.dumps(kept), encoding="utf-8")
    return path


def _floor(source: Source, size: int) -> float:
    import pymupdf

    pdf, _ = source.files(size)
    kept = {int(k): v for k, v in json.loads(_rects(source, size).read_text(encoding="utf-8")).items()}
    start = time.perf_counter()
    doc = pymupdf.open(pdf)
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
    doc.save(source.path("floor", size), garbage=4, deflate=True)
    return time.perf_counter() - start


def _apply(
    source: Source, size: int, verify: bool, flatten_dpi: int | None = None, jobs: int = 1
) -> tuple[float, dict[str, object]]:
    """Seconds, and the output's size and page counts (not timed); ``jobs`` worker processes."""
    from redactor.pipeline import Outputs, make_plan, release

    pdf, rules = source.files(size)
    out = source.path("flat" if flatten_dpi else "ext" if jobs == 1 else f"ext{jobs}", size)
    start = time.perf_counter()
    plan = make_plan(pdf, rules, jobs=jobs)
    release(plan, pdf, Outputs(out), verify=verify, flatten_dpi=flatten_dpi, jobs=jobs)
    seconds = time.perf_counter() - start
    kept = [p for p in plan.pages if p.disposition == "kept"]
    flattened = sum(bool(p.areas) for p in kept)
    return seconds, {"output_bytes": out.stat().st_size, "kept_pages": len(kept), "flattened_pages": flattened}


class _Stopwatch:
    """Seconds per named stretch of code, and seconds spent inside wrapped functions."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.cpu: dict[str, float] = {}  # process CPU seconds: less bent by other loads on the machine
        self.calls: dict[str, int] = {}

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        start, cpu = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start
            self.cpu[name] = self.cpu.get(name, 0.0) + time.process_time() - cpu
            self.calls[name] = self.calls.get(name, 0) + 1

    def wrap(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        """``function``, its calls' time summed under ``name``."""

        def timed(*args: Any, **kwargs: Any) -> Any:
            with self(name):
                return function(*args, **kwargs)

        return timed


@contextmanager
def _wrapped(name: str, wrapper: Callable[[Callable[..., Any]], Callable[..., Any]]) -> Iterator[None]:
    """The library function ``name`` replaced by ``wrapper(it)`` in every loaded module that holds it.

    Modules bind it by name on import (``from ... import name``), so replacing it in its
    defining module alone would time nothing; which module calls it may change over time.
    """
    from unittest import mock

    import redactor.render.redact as redact

    original = getattr(redact, name)
    holders = [m for m in list(sys.modules.values()) if getattr(m, name, None) is original]
    with ExitStack() as stack:
        for module in holders:
            stack.enter_context(mock.patch.object(module, name, wrapper(original)))
        yield


def _phases(source: Source, size: int) -> tuple[dict[str, float], dict[str, object]]:
    """Seconds of each phase of ``apply`` with the leak check, and the output's figures (not timed).

    The library has no timing hook, so its functions are called here in the order
    ``pipeline.make_plan`` and ``pipeline.release`` call them. The per-page keep-list writing
    runs inside ``render_extract`` (serially: one process): it is timed by wrapping
    ``redacted_copy`` wherever a module looks it up, and assemble+save (the new document,
    cover, placeholder pages, fonts, scrubbing, the whole save and the file written) is the
    remainder.
    """
    import redactor.render.extract as extract
    from redactor.check.verify import PageMap, verify_extract
    from redactor.output.atomic import write_atomically
    from redactor.plan.decide import decide
    from redactor.rules.parse import parse_rules
    from redactor.source.load import load_document

    pdf, rules = source.files(size)
    clock = _Stopwatch()
    with clock("load"):
        document = load_document(pdf)
    with clock("decide"):
        plan = decide(document, parse_rules(rules))
    with _wrapped("redacted_copy", lambda original: clock.wrap("write", original)), clock("render"):
        made = extract.render_extract(plan, str(pdf))
    with clock("verify"):
        verify_extract(made.pdf, plan, PageMap(made.cover_pages, made.item_pages))
    with clock("save_file"):
        write_atomically(source.path("ext", size), made.pdf)
    seconds = _split(clock.seconds)
    kept = [p for p in plan.pages if p.disposition == "kept"]
    if clock.calls.get("write", 0) != len(kept):  # written elsewhere (another process?): the split would lie
        raise SystemExit(f"timed {clock.calls.get('write', 0)} page writes for {len(kept)} kept pages")
    extra: dict[str, object] = {
        "output_bytes": len(made.pdf),
        "kept_pages": len(kept),
        "areas": sum(len(p.areas) for p in kept),
        "phases_cpu": {name: round(value, 3) for name, value in _split(clock.cpu).items()},
    }
    return {name: seconds[name] for name in PHASES}, extra


def _split(timed: dict[str, float]) -> dict[str, float]:
    """The phases from the stopwatch's stretches: assemble+save is rendering less writing, plus the file."""
    seconds = {name: timed.get(name, 0.0) for name in ("load", "decide", "write")}
    seconds["assemble_save"] = timed["render"] - seconds["write"] + timed["save_file"]
    seconds["verify"] = timed["verify"]
    return seconds


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


def one(kind: str, size: int, batch_pages: int, source_name: str = "dense") -> dict[str, object]:
    """Run one measurement in this process and return its result."""
    source = SOURCES[source_name]
    extra: dict[str, object] = {}
    cpu = time.process_time()
    if kind in KINDS or kind == "rects":
        source.files(size)  # generation is never timed
        if kind == "floor":
            _rects(source, size)
    if kind == "floor":
        seconds = _floor(source, size)
    elif kind == "phases":
        phases, extra = _phases(source, size)
        extra["phases"] = {name: round(value, 3) for name, value in phases.items()}
        seconds = sum(phases.values())
    elif kind in ("apply", "verify"):
        seconds, extra = _apply(source, size, verify=kind == "verify")
    elif kind == "verify2":
        seconds, extra = _apply(source, size, verify=True, jobs=2)
    elif kind == "flatten":
        seconds, extra = _apply(source, size, verify=False, flatten_dpi=FLATTEN_DPI)
    elif kind == "rects":
        _rects(source, size)
        seconds = 0.0
    elif kind in ("batch1", "batch2"):
        batch_manifest(size, batch_pages)
        seconds = _batch(size, batch_pages, jobs=int(kind[-1]))
    else:
        raise SystemExit(f"unknown kind {kind}")
    cpu = time.process_time() - cpu  # this process only: batch workers are not counted
    rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "kind": kind,
        "source": source_name,
        "size": size,
        "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu, 3),
        "load_average": round(os.getloadavg()[0], 2),
        "peak_rss_mib": round(rss_kib / 1024, 1),
        **extra,
    }


def _child(kind: str, size: int, batch_pages: int, source: str = "dense") -> dict[str, object]:
    command = [sys.executable, str(Path(__file__).resolve()), "--one", kind, str(size)]
    command += ["--batch-pages", str(batch_pages), "--source", source]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{kind} {source} {size} failed:\n{done.stderr.strip()}")
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# --------------------------------------------------------------------------- figures


def exponent(points: list[tuple[float, float]]) -> float | None:
    """Slope of log(seconds) against log(pages), least squares."""
    points = [(p, s) for p, s in points if p > 0 and s > 0]
    if len(points) < 2:
        return None
    xs = [math.log(p) for p, _ in points]
    ys = [math.log(s) for _, s in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    denominator = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / denominator if denominator else None


def _num(value: object) -> float:
    """A figure read back from a result row (JSON numbers are typed ``object`` there)."""
    assert isinstance(value, int | float)
    return float(value)


def _pick(results: list[dict[str, object]], kind: str, source: str, size: int) -> dict[str, object] | None:
    return next((r for r in results if (r["kind"], r["source"], r["size"]) == (kind, source, size)), None)


def _phase(row: dict[str, object], name: str) -> float:
    phases = row["phases"]
    assert isinstance(phases, dict)
    return float(phases[name])


def apply_seconds(results: list[dict[str, object]], source: str, size: int, verify: bool = False) -> float | None:
    """``apply`` time (with the leak check if asked): from the phases run, else from the apply/verify run."""
    row = _pick(results, "phases", source, size)
    if row is not None:
        return sum(_phase(row, name) for name in (PHASES if verify else APPLY_PHASES))
    row = _pick(results, "verify" if verify else "apply", source, size)
    return _num(row["seconds"]) if row is not None else None


def summary(results: list[dict[str, object]], sources: list[str], sizes: list[int]) -> list[dict[str, object]]:
    """One row per source and size: the phases, peak memory, the floor and the ratios to it."""
    rows: list[dict[str, object]] = []
    for source in sources:
        for size in sizes:
            phases, floor = _pick(results, "phases", source, size), _pick(results, "floor", source, size)
            apply, checked = apply_seconds(results, source, size), apply_seconds(results, source, size, True)
            floor_s = _num(floor["seconds"]) if floor else None
            row: dict[str, object] = {"source": source, "size": size}
            row.update({name: _phase(phases, name) if phases else None for name in PHASES})
            row["apply"], row["apply_verify"] = apply, checked
            row["peak_rss_mib"] = phases["peak_rss_mib"] if phases else None
            row["floor"], row["floor_peak_rss_mib"] = floor_s, floor["peak_rss_mib"] if floor else None
            row["apply_per_floor"] = round(apply / floor_s, 2) if apply and floor_s else None
            row["apply_verify_per_floor"] = round(checked / floor_s, 2) if checked and floor_s else None
            two = _pick(results, "verify2", source, size)
            row["verify2"] = _num(two["seconds"]) if two else None
            row["verify2_per_floor"] = round(_num(two["seconds"]) / floor_s, 2) if two and floor_s else None
            rows.append(row)
    return rows


def exponents(rows: list[dict[str, object]], sources: list[str]) -> dict[str, dict[str, float | None]]:
    """Per source, the fitted exponent of apply time against pages, and of each phase's time."""
    fitted: dict[str, dict[str, float | None]] = {}
    for source in sources:
        mine = [r for r in rows if r["source"] == source]
        fitted[source] = {
            name: _rounded(exponent([(_num(r["size"]), _num(r[name])) for r in mine if r[name] is not None]))
            for name in ("apply", "apply_verify", *PHASES, "floor")
        }
    return fitted


def _rounded(value: float | None, digits: int = 3) -> float | None:
    return round(value, digits) if value is not None else None


def machine() -> dict[str, object]:
    """What the figures were measured on: they mean little without it."""
    import pymupdf

    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return {
        "cores": os.cpu_count(),
        "memory_gib": round(memory / 2**30, 1),
        "python": platform.python_version(),
        "pymupdf": pymupdf.__version__,
        "mupdf": pymupdf.VersionFitz,
        "platform": platform.platform(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


# --------------------------------------------------------------------------- report


def _cell(value: object, width: int, digits: int = 2) -> str:
    if value is None:
        return f"{'-':>{width}}"
    if isinstance(value, float):
        return f"{value:>{width}.{digits}f}"
    return f"{value!s:>{width}}"


#: Column titles of phases whose names are too long for a column.
SHORT = {"assemble_save": "asm+save"}

PHASE_COLUMNS = (
    ("source", "source", 6, 0),
    ("pages", "size", 6, 0),
    ("load", "load", 8, 2),
    ("decide", "decide", 8, 2),
    ("write", "write", 8, 2),
    ("asm+save", "assemble_save", 9, 2),
    ("verify", "verify", 8, 2),
    ("apply", "apply", 8, 2),
    ("+verify", "apply_verify", 8, 2),
    ("peak MiB", "peak_rss_mib", 9, 1),
    ("floor", "floor", 8, 2),
    ("floor MiB", "floor_peak_rss_mib", 10, 1),
    ("apply/fl", "apply_per_floor", 9, 2),
    ("+verify/fl", "apply_verify_per_floor", 11, 2),
    ("-j2 +verify", "verify2", 12, 2),
    ("-j2/fl", "verify2_per_floor", 7, 2),
)


def print_phases(rows: list[dict[str, object]]) -> None:
    print("seconds per phase (apply = load+decide+write+asm+save; +verify adds the leak check), peak RSS, floor:")
    print(" ".join(f"{title:>{width}}" for title, _, width, _ in PHASE_COLUMNS))
    for row in rows:
        print(" ".join(_cell(row[key], width, digits) for _, key, width, digits in PHASE_COLUMNS))


def print_cpu(results: list[dict[str, object]]) -> None:
    """CPU seconds of the same runs: when other work shares the cores, wall time swells and these hold."""
    rows = [r for r in results if r["kind"] == "phases"]
    if not rows:
        return
    print("\nCPU seconds per phase (this process), the floor's, and the load average when each run ended:")
    print(
        f"{'source':>6} {'pages':>6} "
        + " ".join(f"{SHORT.get(n, n):>9}" for n in PHASES)
        + f" {'floor':>8} {'load avg':>9}"
    )
    for r in rows:
        cpu = r["phases_cpu"]
        assert isinstance(cpu, dict)
        floor = _pick(results, "floor", str(r["source"]), int(_num(r["size"])))
        print(
            f"{r['source']:>6} {r['size']:>6} "
            + " ".join(f"{cpu[n]:>9.2f}" for n in PHASES)
            + f" {_cell(floor['cpu_seconds'] if floor else None, 8)} {_cell(r['load_average'], 9)}"
        )


def print_kinds(results: list[dict[str, object]]) -> None:
    """The separate apply/verify/flatten runs, when asked for, as before."""
    extra = [r for r in results if r["kind"] in ("apply", "verify", "verify2", "flatten")]
    if not extra:
        return
    print(f"\n{'source':>6} {'pages':>6} {'kind':8} {'seconds':>9} {'pages/s':>9} {'peak MiB':>9} {'x floor':>8}")
    for r in extra:
        floor = _pick(results, "floor", str(r["source"]), int(_num(r["size"])))
        ratio = f"{_num(r['seconds']) / _num(floor['seconds']):.2f}" if floor else "-"
        print(
            f"{r['source']:>6} {r['size']:>6} {r['kind']:8} {r['seconds']:>9.2f} "
            f"{_num(r['size']) / _num(r['seconds']):>9.1f} {r['peak_rss_mib']:>9.1f} {ratio:>8}"
        )
    _print_flatten(results)


def _print_flatten(results: list[dict[str, object]]) -> None:
    pairs = [
        (keep, flat)
        for flat in results
        if flat["kind"] == "flatten"
        and (keep := _pick(results, "apply", str(flat["source"]), int(_num(flat["size"])))) is not None
    ]
    if not pairs:
        return
    print(f"\nflatten ({FLATTEN_DPI} dpi) against the keep-list extract (apply), both without verification:")
    print(
        f"{'source':>6} {'pages':>6} {'kept':>6} {'flat':>6} {'apply s/kept':>13} {'flatten s/kept':>15} "
        f"{'apply MB':>9} {'flatten MB':>11} {'x size':>7}"
    )
    for keep, flat in pairs:
        kept = _num(flat["kept_pages"])
        keep_bytes, flat_bytes = _num(keep["output_bytes"]), _num(flat["output_bytes"])
        print(
            f"{flat['source']:>6} {flat['size']:>6} {kept:>6.0f} {flat['flattened_pages']:>6} "
            f"{_num(keep['seconds']) / kept:>13.4f} {_num(flat['seconds']) / kept:>15.4f} "
            f"{keep_bytes / 1e6:>9.2f} {flat_bytes / 1e6:>11.2f} {flat_bytes / keep_bytes:>7.1f}"
        )


def print_exponents(fitted: dict[str, dict[str, float | None]]) -> None:
    print("\nfitted exponent of time against pages (log-log least squares):")
    for source, slopes in fitted.items():
        if slopes["apply"] is None:
            print(f"  {source}: fewer than two sizes")
            continue
        parts = ", ".join(f"{name} {slopes[name]:.2f}" for name in (*PHASES, "floor") if slopes[name] is not None)
        print(f"  {source}: apply --no-verify {slopes['apply']:.2f}  ({parts})")


def targets(rows: list[dict[str, object]], fitted: dict[str, dict[str, float | None]]) -> list[dict[str, object]]:
    """The issue's targets, on the dense source they were set for (plain's ratios are in the table)."""
    dense = [r for r in rows if r["source"] == "dense"]
    at_1000 = next((r for r in dense if r["size"] == 1000 and r["apply_verify"]), None)
    largest = max((r for r in dense if r["peak_rss_mib"] is not None), key=lambda r: _num(r["size"]), default=None)
    floor = _num(at_1000["floor"]) if at_1000 and at_1000["floor"] else None
    serial = _num(at_1000["apply_verify"]) if at_1000 else None
    two = _num(at_1000["verify2"]) if at_1000 and at_1000.get("verify2") else None
    checks: list[tuple[str, float | None, float, bool]] = [
        ("apply+verify/floor at 1000 pages, one process", serial / floor if serial and floor else None, 1.5, False),
        ("apply+verify/floor at 1000 pages, --jobs 2", two / floor if two and floor else None, 1.0, False),
        ("exponent of apply time vs pages", fitted.get("dense", {}).get("apply"), 1.05, False),
        (
            f"peak RSS MiB at {largest['size'] if largest else '-'} pages (apply, verify)",
            _num(largest["peak_rss_mib"]) if largest else None,
            1024,
            False,
        ),
        ("stretch: 1000 pages verified in seconds, --jobs 2", two, 5.0, False),
    ]
    if serial and two:  # Amdahl: with 2 workers, speed-up S = 1 / (f + (1 - f) / 2)
        print(f"\n--jobs 2 at 1000 pages: {serial / two:.2f}x faster; serial fraction {2 * two / serial - 1:.2f}")
    print("\ntargets (dense source):")
    found: list[dict[str, object]] = []
    for name, value, limit, higher_is_better in checks:
        holds = None if value is None else (value >= limit if higher_is_better else value <= limit)
        found.append({"target": name, "value": _rounded(value), "limit": limit, "holds": holds})
        verdict = "n/a " if holds is None else "PASS" if holds else "FAIL"
        shown = "not measured at these sizes" if value is None else f"{value:.2f} (limit {limit})"
        print(f"  {verdict}  {name}: {shown}")
    return found


# --------------------------------------------------------------------------- plot

PHASE_COLOURS = {"load": "C0", "decide": "C1", "write": "C2", "assemble_save": "C3", "verify": "C4"}
SOURCE_MARKERS = {"dense": "o", "plain": "s"}


def plot(rows: list[dict[str, object]], path: Path) -> Path:
    """Seconds per phase and peak MiB against pages, log-log, per source; the floor dashed."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (times, memory) = plt.subplots(1, 2, figsize=(14, 6))
    for source in dict.fromkeys(str(r["source"]) for r in rows):
        mine = [r for r in rows if r["source"] == source]
        marker = SOURCE_MARKERS.get(source, "^")
        for name, colour in PHASE_COLOURS.items():
            _line(times, mine, name, f"{name} ({source})", colour=colour, marker=marker)
        _line(times, mine, "apply_verify", f"total ({source})", colour="0.4", marker=marker, linewidth=2.5)
        _line(times, mine, "floor", f"floor ({source})", colour="black", marker=marker, linestyle="--")
        _line(memory, mine, "peak_rss_mib", f"release + verify ({source})", colour="C4", marker=marker)
        _line(memory, mine, "floor_peak_rss_mib", f"floor ({source})", colour="black", marker=marker, linestyle="--")
    _axes(times, "seconds", "Time per phase against pages")
    _axes(memory, "peak RSS (MiB)", "Peak memory against pages")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def _line(axes: Any, rows: list[dict[str, object]], key: str, label: str, **style: Any) -> None:
    points = [(_num(r["size"]), _num(r[key])) for r in rows if r[key] is not None and _num(r[key]) > 0]
    if not points:
        return
    colour = style.pop("colour")
    filled = style["marker"] == SOURCE_MARKERS["dense"]
    axes.plot(
        *zip(*points, strict=True),
        label=label,
        color=colour,
        markerfacecolor=colour if filled else "white",
        **{"linestyle": "-" if filled else ":", "linewidth": 1.5, **style},
    )


def _axes(axes: Any, ylabel: str, title: str) -> None:
    """Log-log axes labelled in plain numbers (pages and seconds read better than powers of ten)."""
    from matplotlib.ticker import LogLocator, NullFormatter, ScalarFormatter

    axes.set_xscale("log")
    axes.set_yscale("log")
    for axis in (axes.xaxis, axes.yaxis):
        axis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
        axis.set_major_formatter(ScalarFormatter())
        axis.set_minor_formatter(NullFormatter())
    axes.set_xlabel("pages")
    axes.set_ylabel(ylabel)
    axes.set_title(title)
    axes.grid(True, which="both", alpha=0.3)
    axes.legend(fontsize=7, ncol=2)


# --------------------------------------------------------------------------- driver


def _sizes(tokens: list[str]) -> list[int]:
    """Sizes given as ``100 1000`` or ``100,1000`` (the older form)."""
    return sorted({int(s) for token in tokens for s in token.split(",") if s.strip()})


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def measure(
    results: list[dict[str, object]],
    sizes: list[int],
    sources: list[str],
    kinds: list[str],
    batch_pages: int,
    save: Callable[[], None],
) -> None:
    """Every (size, source, kind) in its own child, progress on stderr, ``save`` called after each size."""
    for size in sizes:
        for name in sources:
            started = time.perf_counter()
            _say(f"[{time.strftime('%H:%M:%S')}] {name} {size} pages: preparing ...")
            SOURCES[name].files(size)
            if "floor" in kinds:
                _child("rects", size, batch_pages, name)  # the floor's areas, outside its own process
            _say(f"  ready in {time.perf_counter() - started:.1f} s")
            for kind in kinds:
                _say(f"  [{time.strftime('%H:%M:%S')}] {kind} ...")
                result = _child(kind, size, batch_pages, name)
                results.append(result)
                _say(f"    {_progress_line(result)}")
        save()


def _progress_line(result: dict[str, object]) -> str:
    line = f"{_num(result['seconds']):.2f} s, peak {result['peak_rss_mib']} MiB"
    phases = result.get("phases")
    if isinstance(phases, dict):
        line += " (" + ", ".join(f"{name} {value:.2f}" for name, value in phases.items()) + ")"
    return line


def _batch_runs(docs: int, pages: int) -> list[dict[str, object]]:
    batch: list[dict[str, object]] = []
    for kind in ("batch1", "batch2"):
        _say(f"[{time.strftime('%H:%M:%S')}] {kind}: {docs} documents x {pages} pages ...")
        result = _child(kind, docs, pages)
        result["docs_per_s"] = round(docs / _num(result["seconds"]), 2)
        result["pages"] = pages
        batch.append(result)
        print(
            f"batch {docs} documents x {pages} pages, --jobs {kind[-1]}: {result['seconds']:.2f} s, "
            f"{result['docs_per_s']} documents/s, parent peak {result['peak_rss_mib']} MiB"
        )
    return batch


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", nargs="+", default=[str(s) for s in DEFAULT_SIZES], help="page counts")
    parser.add_argument("--quick", action="store_true", help=f"sizes {' and '.join(map(str, QUICK_SIZES))} only")
    parser.add_argument("--sources", nargs="+", choices=sorted(SOURCES), default=list(SOURCES), help="which sources")
    parser.add_argument("--kinds", nargs="+", choices=KINDS, default=list(DEFAULT_KINDS), help="which measurements")
    parser.add_argument("--batch-docs", type=int, default=20, help="documents in the batch measurement (0: none)")
    parser.add_argument("--batch-pages", type=int, default=20, help="pages per batch document")
    parser.add_argument("--one", nargs=2, metavar=("KIND", "SIZE"), help=argparse.SUPPRESS)
    parser.add_argument("--source", choices=sorted(SOURCES), default="dense", help=argparse.SUPPRESS)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.one:
        print(json.dumps(one(args.one[0], int(args.one[1]), args.batch_pages, args.source)))
        return 0
    from redactor.output.atomic import write_atomically

    sizes = list(QUICK_SIZES) if args.quick else _sizes(args.sizes)
    payload: dict[str, object] = {"machine": machine(), "started": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
    payload.update(sizes=sizes, sources=args.sources, kinds=args.kinds)
    results: list[dict[str, object]] = []

    def save() -> None:
        """Figures so far, on disk after every size: a long run stopped early keeps what it measured."""
        rows = summary(results, args.sources, sizes)
        payload.update(results=results, summary=rows, exponents=exponents(rows, args.sources))
        write_atomically(RESULTS, json.dumps(payload, indent=2) + "\n")
        plot([r for r in rows if any(r[name] is not None for name in ("apply", "floor"))], PLOT)

    measure(results, sizes, args.sources, args.kinds, args.batch_pages, save)
    rows = summary(results, args.sources, sizes)
    fitted = exponents(rows, args.sources)
    print()
    print_phases(rows)
    print_cpu(results)
    print_kinds(results)
    print_exponents(fitted)
    payload["batch"] = _batch_runs(args.batch_docs, args.batch_pages) if args.batch_docs else []
    payload["targets"] = targets(rows, fitted)
    save()
    print(f"\nwrote {RESULTS.relative_to(ROOT)} and {PLOT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
