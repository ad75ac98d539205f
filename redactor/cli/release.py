"""``apply``, ``cover`` and ``verify``: the release and its checks on the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from redactor.cli.common import MaxRulesSize, Password, Quiet, handled, progress_bar, said_repairs, said_written
from redactor.errors import ExitCode, InputError
from redactor.pipeline import Outputs, commit, cover_sheet, make_plan, release, verify_file
from redactor.render.flatten import DEFAULT_DPI, MAX_DPI, MIN_DPI


def apply(
    source: Annotated[Path, typer.Argument(help="The classified source PDF.")],
    rules: Annotated[Path, typer.Argument(help="The release rule file (YAML).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The extract PDF to write.")],
    markdown: Annotated[
        Path | None, typer.Option("--markdown", help="Also write the text rendition (Markdown).")
    ] = None,
    html: Annotated[Path | None, typer.Option("--html", help="Also write the text rendition (HTML).")] = None,
    audit: Annotated[
        Path | None, typer.Option("--audit", help="Also write the public audit log (.json/.csv/.html).")
    ] = None,
    template: Annotated[
        Path | None, typer.Option("--template", help="A folder holding your own cover.html.j2.")
    ] = None,
    no_verify: Annotated[
        bool, typer.Option("--no-verify", help="Skip the leak check of the output (benchmarks only).")
    ] = False,
    flatten: Annotated[
        bool,
        typer.Option(
            "--flatten",
            help="Turn every kept page with a withheld area into one picture (withheld areas painted white) "
            "with its released words as invisible, searchable text. Bigger and slower; for the most "
            "sensitive releases.",
        ),
    ] = False,
    flatten_dpi: Annotated[
        int | None,
        typer.Option(
            "--flatten-dpi",
            help=f"Resolution of flattened pages, {MIN_DPI}-{MAX_DPI} dpi (default {DEFAULT_DPI}); needs --flatten.",
        ),
    ] = None,
    max_rules_size: MaxRulesSize = None,
    password: Password = None,
    quiet: Quiet = False,
) -> None:
    """Write the public extract: withheld parts removed, placeholders drawn, cover in front."""

    with handled(max_rules_size):
        dpi = _flatten_dpi(flatten, flatten_dpi)
        plan = make_plan(source, rules, password)
        said_repairs(source, plan.document.repairs)
        with progress_bar(plan.document.page_count, "extract", quiet) as advance:
            written = release(
                plan,
                source,
                Outputs(output, markdown, html, audit),
                password,
                verify=not no_verify,
                progress=advance,
                template_dir=template,
                flatten_dpi=dpi,
            )
        said_written(quiet, written)


def _flatten_dpi(flatten: bool, dpi: int | None) -> int | None:
    """The flattening resolution asked for, or None; a usage error when it makes no sense."""
    if dpi is not None and not flatten:
        raise InputError("--flatten-dpi is given without --flatten.", hint="add --flatten, or leave --flatten-dpi out.")
    if dpi is not None and not MIN_DPI <= dpi <= MAX_DPI:
        raise InputError(
            f"--flatten-dpi {dpi} is outside {MIN_DPI}-{MAX_DPI}.",
            hint=f"{DEFAULT_DPI} (the default) suits print; below {MIN_DPI} small print is unreadable, "
            f"above {MAX_DPI} pages grow very large.",
        )
    return (dpi or DEFAULT_DPI) if flatten else None


def cover(
    rules: Annotated[Path, typer.Argument(help="The release rule file (YAML).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The cover sheet PDF to write.")],
    source: Annotated[
        Path | None,
        typer.Option(
            "--source", help="Take the page size from this source, and the partial/full wording from its plan."
        ),
    ] = None,
    template: Annotated[
        Path | None, typer.Option("--template", help="A folder holding your own cover.html.j2.")
    ] = None,
    png: Annotated[Path | None, typer.Option("--png", help="Also write a PNG picture of the cover.")] = None,
    max_rules_size: MaxRulesSize = None,
    password: Password = None,
    quiet: Quiet = False,
) -> None:
    """Write the EXT cover sheet alone, e.g. to circulate a decision before the extract."""

    with handled(max_rules_size):
        pdf, picture = cover_sheet(rules, source, template, png is not None, password)
        rendered: dict[Path, bytes | str] = {output: pdf}
        if png is not None and picture is not None:
            rendered[png] = picture
        said_written(quiet, commit(rendered))


def verify(
    extract: Annotated[Path, typer.Argument(help="The finished extract PDF to check.")],
    source: Annotated[Path, typer.Option("--source", help="The classified source it was made from.")],
    rules: Annotated[Path, typer.Option("--rules", help="The release rule file it was made with.")],
    json_out: Annotated[bool, typer.Option("--json", help="Machine-readable report on stdout.")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Count warnings (measurable widths) as failures.")] = False,
    template: Annotated[
        Path | None, typer.Option("--template", help="The cover template folder the extract was made with.")
    ] = None,
    no_pixels: Annotated[
        bool, typer.Option("--no-pixels", help="Skip the pixel check (speed measurements only).")
    ] = False,
    show_withheld: Annotated[
        bool,
        typer.Option("--show-withheld", help="Also print the withheld text found, on stderr (classified)."),
    ] = False,
    max_rules_size: MaxRulesSize = None,
    password: Password = None,
) -> None:
    """Leak check of a finished extract: exit 0 clean, 1 on any leak, 2 on unusable input."""

    with handled(max_rules_size):
        plan = make_plan(source, rules, password)
        said_repairs(source, plan.document.repairs)
        report = verify_file(extract, plan, source, password, template, not no_pixels, show_withheld)
        typer.echo(report.json() if json_out else report.text())
        if show_withheld and any(f.withheld_text for f in report.findings):
            typer.echo(report.withheld(), err=True)
        if report.failed(strict):
            raise typer.Exit(int(ExitCode.CHECK_FAILED))
