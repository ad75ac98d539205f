"""``apply``, ``cover`` and ``verify``: the release and its checks on the command line.

Each command settles its arguments, then its paths (inputs readable, outputs writable and
distinct: :mod:`redactor.cli.inputs`), and only then opens the source.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from redactor.cli.common import (
    Jobs,
    LegacyRules,
    LegacySource,
    MaxRulesSize,
    Password,
    PasswordFile,
    Quiet,
    Rules,
    Source,
    Verbose,
    handled,
    paths_argument,
    said_repairs,
)
from redactor.cli.display import Talk, phases
from redactor.cli.inputs import check_paths, password_of, positional, required
from redactor.errors import ExitCode, InputError
from redactor.output.atomic import commit
from redactor.pipeline import Outputs, cover_sheet, make_plan, release, verify_file
from redactor.render.flatten import DEFAULT_DPI, MAX_DPI, MIN_DPI
from redactor.render.pages import default_workers

Template = Annotated[Path | None, typer.Option("--template", help="A folder holding your own cover.html.j2.")]


def apply(
    source: Source,
    rules: Rules,
    output: Annotated[Path, typer.Option("--output", "-o", help="The extract PDF to write.")],
    markdown: Annotated[
        Path | None, typer.Option("--markdown", help="Also write the text rendition (Markdown).")
    ] = None,
    html: Annotated[Path | None, typer.Option("--html", help="Also write the text rendition (HTML).")] = None,
    audit: Annotated[
        Path | None, typer.Option("--audit", help="Also write the public audit log (.json/.csv/.html).")
    ] = None,
    template: Template = None,
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
    jobs: Jobs = None,
    max_rules_size: MaxRulesSize = None,
    password: Password = None,
    password_file: PasswordFile = None,
    quiet: Quiet = False,
    verbose: Verbose = False,
) -> None:
    """Write the public extract: withheld parts removed, placeholders drawn, cover in front.

    Every output (-o, --markdown, --html, --audit) is written, or none is.
    """

    with handled(max_rules_size):
        talk = Talk.of(quiet, verbose)
        dpi = _flatten_dpi(flatten, flatten_dpi)
        secret = password_of(password, password_file)
        outputs = Outputs(output, markdown, html, audit)
        wanted = {"-o": output, "--markdown": markdown, "--html": html, "--audit": audit}
        check_paths({"source": source, "rules": rules}, wanted, password_file)
        with phases(talk) as display:
            plan = make_plan(source, rules, secret, display, jobs or default_workers())
            said_repairs(display.note, source, plan.document.repairs)
            written = release(
                plan,
                source,
                outputs,
                secret,
                verify=not no_verify,
                phase=display,
                template_dir=template,
                flatten_dpi=dpi,
                jobs=jobs or default_workers(),
            )
        for path in written:
            talk.say(f"wrote {path}")


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
    paths: Annotated[
        list[Path],
        paths_argument(
            "[SOURCE] RULES",
            "The release rule file (YAML), after the source PDF when one is given: the cover then takes "
            "its page size from the source, and the partial/full wording from its plan.",
        ),
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="The cover sheet PDF to write.")],
    template: Template = None,
    png: Annotated[Path | None, typer.Option("--png", help="Also write a PNG picture of the cover.")] = None,
    legacy_source: LegacySource = None,
    max_rules_size: MaxRulesSize = None,
    password: Password = None,
    password_file: PasswordFile = None,
    quiet: Quiet = False,
    verbose: Verbose = False,
) -> None:
    """Write the EXT cover sheet alone, e.g. to circulate a decision before the extract."""

    with handled(max_rules_size):
        talk = Talk.of(quiet, verbose)
        found = positional("cover", ("source", "rules"), paths, {"source": legacy_source}, frozenset({"source"}))
        source, rules = found["source"], required(found["rules"])
        secret = password_of(password, password_file)
        check_paths({"source": source, "rules": rules}, {"-o": output, "--png": png}, password_file)
        with phases(talk) as display:
            pdf, picture = cover_sheet(rules, source, template, png is not None, secret, display)
        rendered: dict[Path, bytes | str] = {output: pdf}
        if png is not None and picture is not None:
            rendered[png] = picture
        for path in commit(rendered):
            talk.say(f"wrote {path}")


def verify(
    paths: Annotated[
        list[Path],
        paths_argument(
            "SOURCE RULES EXTRACT",
            "The classified source, the release rule file, and the finished extract to check.",
        ),
    ],
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
    jobs: Jobs = None,
    legacy_source: LegacySource = None,
    legacy_rules: LegacyRules = None,
    max_rules_size: MaxRulesSize = None,
    password: Password = None,
    password_file: PasswordFile = None,
    quiet: Quiet = False,
    verbose: Verbose = False,
) -> None:
    """Leak check of a finished extract: exit 0 clean, 1 on any leak (see docs/errors.md for the rest)."""

    with handled(max_rules_size):
        talk = Talk.of(quiet, verbose)
        legacy = {"source": legacy_source, "rules": legacy_rules}
        found = positional("verify", ("source", "rules", "extract"), paths, legacy)
        source, rules, extract = (required(found[slot]) for slot in ("source", "rules", "extract"))
        secret = password_of(password, password_file)
        check_paths(found, {}, password_file)
        with phases(talk) as display:
            workers = jobs or default_workers()
            plan = make_plan(source, rules, secret, display, workers)
            said_repairs(display.note, source, plan.document.repairs)
            report = verify_file(
                extract, plan, source, secret, template, not no_pixels, show_withheld, phase=display, jobs=workers
            )
        typer.echo(report.json() if json_out else report.text())
        if show_withheld and any(f.withheld_text for f in report.findings):
            typer.echo(report.withheld(), err=True)
        if report.failed(strict):
            raise typer.Exit(int(ExitCode.CHECK_FAILED))
