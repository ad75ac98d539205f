"""The release as a pipeline: load -> parse -> decide -> render -> (verify) -> save atomically."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from redactor.atomic import write_atomically
from redactor.document import load_document
from redactor.plan import Plan, decide
from redactor.rules import parse_rules

Progress = Callable[[int], None]


@dataclass(frozen=True)
class Outputs:
    """Where ``apply`` writes; None means that output is not wanted."""

    pdf: Path
    markdown: Path | None = None
    html: Path | None = None
    audit: Path | None = None


def make_plan(source: str | Path, rules: str | Path, password: str | None = None) -> Plan:
    """Load the source, parse the rules and decide: the one decision every command reads."""
    ruleset = parse_rules(rules)
    document = load_document(source, password)
    return decide(document, ruleset)


def release(
    plan: Plan,
    source: str | Path,
    outputs: Outputs,
    password: str | None = None,
    verify: bool = True,
    progress: Progress | None = None,
    template_dir: Path | None = None,
) -> dict[str, Path]:
    """Render every requested output from the plan and write them all, or none.

    Everything is rendered (and the PDF verified) in memory first; only then are the files
    written, each atomically, so a failure leaves no output behind.
    """
    from redactor.render.pdf import render_extract

    pdf = render_extract(plan, str(source), password, progress, template_dir)
    if verify:
        from redactor.verify import verify_extract

        verify_extract(pdf, plan)
    rendered: dict[Path, bytes | str] = {outputs.pdf: pdf}
    if outputs.markdown is not None:
        from redactor.render.text import render_markdown

        rendered[outputs.markdown] = render_markdown(plan)
    if outputs.html is not None:
        from redactor.render.text import render_html

        rendered[outputs.html] = render_html(plan)
    if outputs.audit is not None:
        from redactor.audit import render_audit

        rendered[outputs.audit] = render_audit(plan, outputs.audit.suffix.lstrip(".") or "json")
    written: dict[str, Path] = {}
    for path, data in rendered.items():
        written[str(path)] = write_atomically(path, data)
    return written
