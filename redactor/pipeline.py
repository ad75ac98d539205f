"""The release as a pipeline, each stage called by name.

``load -> parse -> decide`` make the plan (:func:`make_plan`); then :func:`release` runs
``render extract -> verify -> render renditions -> commit outputs``. Every stage takes and
returns values; nothing is written until everything is rendered (and the extract verified),
and then all outputs are committed together (:func:`redactor.output.atomic.commit`: all or
none). Each stage reports its pages to the ``phase`` callback (:mod:`redactor.progress`):
loading, deciding, writing, verifying.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from redactor.check.verify import Finding, PageMap, VerifyReport, verify_extract, verify_pdf
from redactor.errors import InputFileError
from redactor.output.atomic import commit
from redactor.plan.decide import decide
from redactor.plan.model import Plan
from redactor.progress import DECIDING, VERIFYING, WRITING, Phase, no_phases
from redactor.render.audit import render_audit
from redactor.render.cover import A4, cover_data, generated_page_size, render_cover_pdf, render_cover_png
from redactor.render.extract import extract_cover, page_map, render_extract
from redactor.render.text import render_html, render_markdown
from redactor.rules.parse import parse_rules
from redactor.source.load import load_document


@dataclass(frozen=True)
class Outputs:
    """Where ``apply`` writes; None means that output is not wanted."""

    pdf: Path
    markdown: Path | None = None
    html: Path | None = None
    audit: Path | None = None


def make_plan(
    source: str | Path, rules: str | Path, password: str | None = None, phase: Phase = no_phases, jobs: int = 1
) -> Plan:
    """Load the source, parse the rules and decide: the one decision every command reads.

    ``jobs`` worker processes read a long source's pages (the plan is the same whatever it is).
    """
    ruleset = parse_rules(rules)
    document = load_document(source, password, phase, jobs)
    return decide(document, ruleset, phase(DECIDING, document.page_count))


def release(
    plan: Plan,
    source: str | Path,
    outputs: Outputs,
    password: str | None = None,
    verify: bool = True,
    phase: Phase = no_phases,
    template_dir: Path | None = None,
    flatten_dpi: int | None = None,
    jobs: int = 1,
) -> dict[str, Path]:
    """Render every requested output from the plan and write them all, or none.

    ``jobs`` worker processes write the kept pages and verify the extract (the result is the
    same whatever it is).

    Everything is rendered (and the PDF verified) in memory first; only then are the files
    written, all or none, so a failure leaves no output behind. With ``flatten_dpi``,
    kept pages with withheld areas become pictures at that resolution with their released
    words as invisible text.
    """
    writing = phase(WRITING, plan.document.page_count)
    extract = render_extract(plan, str(source), password, writing, template_dir, flatten_dpi, jobs)
    if verify:
        checking = phase(VERIFYING, sum(len(pages) for pages in extract.item_pages))
        layout = PageMap(extract.cover_pages, extract.item_pages)
        verify_extract(extract.pdf, plan, layout, progress=checking, workers=jobs)
    rendered: dict[Path, bytes | str] = {outputs.pdf: extract.pdf}
    if outputs.markdown is not None:
        rendered[outputs.markdown] = render_markdown(plan)
    if outputs.html is not None:
        rendered[outputs.html] = render_html(plan)
    if outputs.audit is not None:
        rendered[outputs.audit] = render_audit(plan, outputs.audit.suffix.lstrip(".") or "json")
    return {str(path): path for path in commit(rendered)}


def verify_file(
    extract: Path,
    plan: Plan,
    source: str | Path,
    password: str | None = None,
    template_dir: Path | None = None,
    pixels: bool = True,
    show_withheld: bool = False,
    phase: Phase = no_phases,
    jobs: int = 1,
) -> VerifyReport:
    """Check a finished extract against the plan (``redactor verify``), in ``jobs`` processes.

    The page layout is computed from the plan and the source (cover and condensed ranges laid
    out again); an extract with other pages was not made from this source and rule file, and
    fails.
    """
    if not extract.is_file():
        raise InputFileError("the extract file does not exist.", path=extract, hint="check the path.")
    data = extract.read_bytes()
    cover_pages, item_pages = page_map(plan, str(source), password, template_dir)
    expected = cover_pages + sum(len(p) for p in item_pages)
    found = _page_count(data)
    if found == expected:
        layout, checking = PageMap(cover_pages, item_pages), phase(VERIFYING, found - cover_pages)
        return verify_pdf(
            data, plan, layout, pixels=pixels, show_withheld=show_withheld, progress=checking, workers=jobs
        )
    # Not laid out as this plan's extract: no page can be matched to its source page, so
    # only what does not need the layout is checked, and the mismatch itself is a failure.
    unmatched, checking = PageMap(0, tuple(() for _ in item_pages)), phase(VERIFYING, max(found, 0))
    report = verify_pdf(data, plan, unmatched, show_withheld=show_withheld, progress=checking)
    mismatch = Finding(
        "leak", "structure", "file", f"{found} pages where the plan makes {expected}: not this plan's extract"
    )
    report.findings.insert(0, mismatch)
    return report


def _page_count(data: bytes) -> int:
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return -1
    try:
        return len(doc)
    finally:
        doc.close()


def cover_sheet(
    rules: Path,
    source: Path | None = None,
    template: Path | None = None,
    png: bool = False,
    password: str | None = None,
    phase: Phase = no_phases,
) -> tuple[bytes, bytes | None]:
    """The cover sheet alone (PDF, and PNG if asked); with a source, its page size and outcome.

    Without a source the cover says PARTIAL DECLASSIFICATION: with ``default: withhold``
    an extract is partial unless rules release every atom, which only the plan can tell.
    """
    if source is not None:
        plan = make_plan(source, rules, password, phase)
        data = extract_cover(plan)
        first = plan.document.pages[0]
        size = generated_page_size(first.width, first.height)
    else:
        data = cover_data(parse_rules(rules), partial=True)
        size = A4
    pdf = render_cover_pdf(data, template, size)
    picture = render_cover_png(data, template_dir=template, page_size=size) if png else None
    return pdf, picture
