"""``redactor cover``: the EXT cover sheet on its own, written atomically."""

from __future__ import annotations

from pathlib import Path

from redactor.atomic import write_atomically
from redactor.render.cover import A4, CoverData, render_cover_pdf
from redactor.rules import RuleSet, parse_rules


def cover_data_from_rules(ruleset: RuleSet, partial: bool) -> CoverData:
    """Cover fields from the rule file alone (no source: the outcome is given)."""
    doc, rel = ruleset.document, ruleset.release
    return CoverData(
        issuer=rel.issuer,
        place=rel.place,
        release_date=rel.date,
        original_number=doc.number,
        extract=rel.extract,
        codes=doc.codes,
        classification=doc.classification,
        dated=doc.dated,
        new_status=rel.new_status,
        subject=doc.subject,
        partial=partial,
        language=rel.language,
    )


def write_cover(
    rules: Path,
    output: Path,
    source: Path | None = None,
    template: Path | None = None,
    png: Path | None = None,
    password: str | None = None,
) -> list[Path]:
    """Render the cover; with a source, its page size and the plan's partial/full outcome.

    Without a source the cover says PARTIAL DECLASSIFICATION: with ``default: withhold``
    an extract is partial unless rules release every atom, which only the plan can tell.
    """
    from redactor.render.cover import render_cover_png

    if source is not None:
        from redactor.pipeline import make_plan
        from redactor.render.pdf import cover_data

        plan = make_plan(source, rules, password)
        data = cover_data(plan)
        first = plan.document.pages[0]
        size = (first.width, first.height)
    else:
        data = cover_data_from_rules(parse_rules(rules), partial=True)
        size = A4
    pdf = render_cover_pdf(data, template, size)
    picture: bytes | None = None
    if png is not None:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            picture = render_cover_png(
                data, Path(tmp) / "cover.png", template_dir=template, page_size=size
            ).read_bytes()
    written = [write_atomically(output, pdf)]
    if png is not None and picture is not None:
        written.append(write_atomically(png, picture))
    return written
