"""Run one real-world PDF through `redactor apply` and judge the extract with other readers.

The rule file is generated from what an independent reader (PDFium) sees in the source:
release the odd pages, withhold two words that occur on them. The extract is then read
with PDFium (text, rendering) and qpdf (objects): the withheld words must be gone, the
released words there. Over-redaction is the share of the released pages' words that the
extract lost; it is measured, not guessed.

Run it alone for the table by feature tag::

    python -m tests.corpus.harness [--jobs 2] [--json results.json] [NAME-SUBSTRING ...]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import statistics
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

CORPUS = Path(__file__).parent / "pdfs"
MANIFEST = CORPUS / "manifest.json"

#: Words worth withholding: letters only, long enough not to be a common fragment.
_CANDIDATE = re.compile(r"^[A-Za-z]{6,20}$")
_TOKEN = re.compile(r"\w+", re.UNICODE)

RULES_HEAD = """\
version: 1
document: {number: "X 1/26", dated: 2026-01-05, classification: "RESTREINT UE/EU RESTRICTED", subject: "Corpus"}
release: {extract: 1, date: 2026-02-01, place: Brussels, issuer: "TEST ISSUER"}
reasons:
  "test": "corpus run"
rules:
"""


@dataclass
class Outcome:
    """What happened to one file: how it ended and what the other readers found."""

    file: str
    features: list[str]
    pages: int
    status: str = "not run"  # written | exit N
    message: str = ""
    seconds: float = 0.0
    withheld_words: list[str] = field(default_factory=list)
    survivors: list[str] = field(default_factory=list)
    released_chars: int = 0
    lost_chars: int = 0
    rendered_pages: int = 0

    @property
    def over_redaction(self) -> float:
        """Share of the released pages' words missing from the extract."""
        return self.lost_chars / self.released_chars if self.released_chars else 0.0

    @property
    def seconds_per_page(self) -> float:
        """Wall time per source page."""
        return self.seconds / max(self.pages, 1)


def entries() -> list[dict]:
    """The manifest, or an empty list when the corpus folder is missing."""
    if not MANIFEST.exists():
        return []
    return json.loads(MANIFEST.read_text())


def check_sha256(entry: dict) -> None:
    """Fail clearly if a corpus file is missing or not the one the manifest describes."""
    path = CORPUS / entry["file"]
    if not path.exists():
        raise AssertionError(f"corpus file missing: {path}")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != entry["sha256"]:
        raise AssertionError(f"corpus file changed: {path} (sha256 {digest}, manifest {entry['sha256']})")


def page_texts(data: bytes) -> list[str]:
    """Each page's text as PDFium reads it (empty password tried), '' for pages it cannot read."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data, password="")
    try:
        texts = []
        for index in range(len(pdf)):
            try:
                page = pdf[index]
                textpage = page.get_textpage()
                texts.append(textpage.get_text_range())
                textpage.close()
                page.close()
            except Exception:  # a page PDFium cannot parse has no text for this purpose
                texts.append("")
        return texts
    finally:
        pdf.close()


def generated_vocabulary() -> set[str]:
    """Words the extract prints of its own (cover sheet, placeholders, labels): never chosen.

    Read from the templates, the labels and the rule file head, so a word the cover sheet
    prints is not mistaken for a withheld word that survived.
    """
    root = Path(__file__).parents[2]
    texts = [RULES_HEAD, (root / "redactor" / "i18n.py").read_text()]
    texts += [t.read_text() for t in (root / "templates").glob("*.j2")]
    return {t.casefold() for text in texts for t in _TOKEN.findall(text)}


def pick_withheld(texts: list[str], count: int = 2) -> list[str]:
    """Two distinct words of the released (odd) pages, spread over the document.

    Words that recur are preferred: a token seen once may be a reading accident of PDFium
    (two words run together, a word cut by a kerning gap) that no other reader shares.
    """
    generated = generated_vocabulary()
    seen: Counter[str] = Counter()
    for index in range(0, len(texts), 2):
        text = texts[index]
        for match in _TOKEN.finditer(text):
            token = match.group()
            if (
                _CANDIDATE.match(token)
                and token.casefold() not in generated
                and not _broken(text, match.start(), match.end())
            ):
                seen[token] += 1
    recurring = [t for t, n in seen.items() if n >= 2]
    ordered = recurring if len(recurring) >= count else list(seen)
    if not ordered:
        return []
    picks = [ordered[len(ordered) // 3]]
    for token in ordered[(2 * len(ordered)) // 3 :] + ordered:
        if len(picks) == count:
            break
        if token.casefold() not in {p.casefold() for p in picks}:
            picks.append(token)
    return picks


def _broken(text: str, start: int, end: int) -> bool:
    """True for part of a word hyphenated across lines (or joined by a hyphen): not a word of its own."""
    hyphens = "-\u00ad\u2010\ufffe"  # PDFium reads a line-end hyphen as U+FFFE
    before = text[max(0, start - 4) : start].rstrip()
    return bool(before) and before[-1] in hyphens or bool(text[end : end + 1]) and text[end] in hyphens


def rules_for(page_count: int, withheld: list[str]) -> str:
    """The generated rule file: odd pages released, the chosen words withheld."""
    odd = ", ".join(str(n) for n in range(1, page_count + 1, 2))
    lines = [f'  - {{id: odd-pages, release: {{pages: "{odd}"}}}}']
    for number, word in enumerate(withheld, 1):
        lines.append(f'  - {{id: word-{number}, withhold: {{text: "(?<!\\\\w){word}(?!\\\\w)"}}, reason: "test"}}')
    return RULES_HEAD + "\n".join(lines) + "\n"


def letters(text: str) -> Counter[str]:
    """The letters and digits of a text, casefolded, as a multiset.

    Counting characters rather than words makes the measure blind to where a reader puts
    spaces: PDFium runs words together or splits them depending on how the text is set
    (kerning in ``TJ`` arrays), and the extract may set the same line differently.
    """
    return Counter(c for c in text.casefold() if c.isalnum())


def run_one(entry: dict, workdir: Path) -> Outcome:
    """Apply the generated rules to one corpus file and judge the extract."""
    from typer.testing import CliRunner

    from redactor.cli.app import app

    source = CORPUS / entry["file"]
    outcome = Outcome(file=entry["file"], features=entry["features"], pages=entry["pages"] or 0)
    data = source.read_bytes()
    try:
        texts = page_texts(data)
    except Exception:  # PDFium cannot open it: the tool must still either work or refuse clearly
        texts = []
    outcome.withheld_words = pick_withheld(texts)
    page_count = len(texts) or outcome.pages
    workdir.mkdir(parents=True, exist_ok=True)
    rules = workdir / "rules.yaml"
    rules.write_text(rules_for(page_count, outcome.withheld_words))
    out = workdir / "extract.pdf"
    started = time.perf_counter()
    result = CliRunner().invoke(app, ["apply", str(source), str(rules), "-o", str(out), "-q"])
    outcome.seconds = time.perf_counter() - started
    outcome.message = " ".join(result.output.split())[:400]
    if result.exit_code != 0:
        outcome.status = f"exit {result.exit_code}"
        return outcome
    outcome.status = "written" if out.exists() else "exit 0 without extract"
    if not out.exists():
        return outcome
    _judge(outcome, texts, out.read_bytes())
    return outcome


def _judge(outcome: Outcome, source_texts: list[str], extract: bytes) -> None:
    """Withheld words gone, released words present, every page renders and parses."""
    import pikepdf
    import pypdfium2 as pdfium

    extract_pages = page_texts(extract)
    extract_text = "\n".join(extract_pages)
    for word in outcome.withheld_words:
        if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", extract_text):
            outcome.survivors.append(word)
    released = Counter[str]()
    withheld = Counter[str]()
    for index in range(0, len(source_texts), 2):
        released.update(letters(source_texts[index]))
        for word in outcome.withheld_words:
            for _ in re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", source_texts[index]):
                withheld.update(letters(word))
    present = letters("\n".join(extract_pages[1:]))  # the cover sheet's own words do not count
    outcome.released_chars = sum(released.values()) - sum(withheld.values())
    lost = sum(max(0, n - present[c]) for c, n in released.items())
    outcome.lost_chars = max(0, lost - sum(withheld.values()))
    with pikepdf.open(__import__("io").BytesIO(extract)) as pdf:
        for page in pdf.pages:
            page.obj.get("/Contents")  # resolves; a broken object raises here
    pdf_doc = pdfium.PdfDocument(extract)
    try:
        for index in range(len(pdf_doc)):
            page = pdf_doc[index]
            page.render(scale=12 / 72).to_numpy()
            page.close()
            outcome.rendered_pages += 1
    finally:
        pdf_doc.close()


def _run_entry(args: tuple[dict, str]) -> Outcome:
    entry, workdir = args
    return run_one(entry, Path(workdir))


def summary(outcomes: list[Outcome]) -> str:
    """One line: how many written, refused, leaking; median and worst over-redaction."""
    written = [o for o in outcomes if o.status == "written"]
    leaking = [o for o in outcomes if o.survivors]
    over = [o.over_redaction for o in written] or [0.0]
    slowest = max(outcomes, key=lambda o: o.seconds_per_page, default=None)
    return (
        f"corpus: {len(written)}/{len(outcomes)} extracts written and verified, "
        f"{len(outcomes) - len(written)} refused, {len(leaking)} with withheld words left, "
        f"over-redaction median {statistics.median(over):.1%} max {max(over):.1%}, "
        f"slowest {slowest.seconds_per_page if slowest else 0:.2f} s/page"
    )


def table_by_feature(outcomes: list[Outcome]) -> str:
    """Outcomes per feature tag, as a Markdown table."""
    tags = sorted({t for o in outcomes for t in o.features} | {"(all)"})
    rows = ["| feature | files | written | refused | leaks | median over-redaction |", "|---|---|---|---|---|---|"]
    for tag in tags:
        group = [o for o in outcomes if tag == "(all)" or tag in o.features]
        written = [o for o in group if o.status == "written"]
        over = [o.over_redaction for o in written] or [0.0]
        rows.append(
            f"| {tag} | {len(group)} | {len(written)} | {len(group) - len(written)} | "
            f"{sum(1 for o in group if o.survivors)} | {statistics.median(over):.1%} |"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    """Run the corpus (or the files whose names contain the given substrings)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/redactor-corpus"))
    args = parser.parse_args(argv)
    chosen = [e for e in entries() if not args.names or any(n in e["file"] for n in args.names)]
    work = [(e, str(args.workdir / e["file"])) for e in chosen]
    outcomes: list[Outcome] = []
    with ProcessPoolExecutor(args.jobs) as pool:
        for outcome in pool.map(_run_entry, work):
            outcomes.append(outcome)
            flag = "LEAK " if outcome.survivors else ""
            print(
                f"{flag}{outcome.status:8} {outcome.seconds:6.1f}s over {outcome.over_redaction:6.1%} "
                f"{outcome.file[:70]} {outcome.message[:160] if outcome.status != 'written' else ''}",
                flush=True,
            )
    print(table_by_feature(outcomes))
    print(summary(outcomes))
    if args.json:
        args.json.write_text(json.dumps([asdict(o) | {"over_redaction": o.over_redaction} for o in outcomes], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
