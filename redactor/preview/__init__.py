"""Review copies: the source with the plan drawn over it, as PDF (``pdf``) or HTML (``html``)."""

from __future__ import annotations

from pathlib import Path

from redactor.inspect import ProgressFactory, no_progress

#: Output suffix -> review copy format.
FORMATS = {".pdf": "pdf", ".html": "html", ".htm": "html"}


def preview_command(
    source: Path,
    rules: Path,
    output: Path,
    password: str | None = None,
    progress: ProgressFactory = no_progress,
) -> int:
    """Write the review copy (format from the output's suffix); returns the exit code."""
    from redactor.atomic import write_atomically
    from redactor.errors import InputError
    from redactor.pipeline import make_plan

    fmt = FORMATS.get(output.suffix.lower())
    if fmt is None:
        raise InputError(
            f"cannot write a review copy as '{output.suffix or output.name}'.",
            path=output,
            hint="name the output REVIEW.pdf or REVIEW.html.",
        )
    if not (output.parent if str(output.parent) else Path(".")).is_dir():
        raise InputError("the output folder does not exist.", path=output, hint=f"create {output.parent} first.")
    plan = make_plan(source, rules, password)
    with progress(plan.document.page_count, "preview") as advance:
        if fmt == "pdf":
            from redactor.preview.pdf import render_review_pdf

            data: bytes | str = render_review_pdf(plan, str(source), password, advance)
        else:
            from redactor.preview.html import review_html

            data = review_html(plan, str(source), password, advance)
    write_atomically(output, data)
    return 0
