"""``inspect``, ``lint``, ``preview`` and ``audit``: the review commands on the command line.

Each reads through the library (which returns values) and prints or writes here; errors go
through ``handled()`` like every other command, so they print one paragraph and exit 2 (bad
input) without a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from redactor.authoring.inspect import find_tables, format_structure, structure
from redactor.authoring.skeleton import skeleton_text
from redactor.check.lint import format_findings, from_error, lint_ruleset
from redactor.cli.common import Json, MaxRulesSize, Password, Quiet, exit_with, handled, progress_bar, said_repairs, say
from redactor.errors import ExitCode, InputError, RuleError
from redactor.output.atomic import write_atomically
from redactor.pipeline import make_plan
from redactor.render.audit import FORMATS, render_audit
from redactor.render.preview_html import review_html
from redactor.render.preview_pdf import render_review_pdf
from redactor.rules.parse import parse_rules
from redactor.source.load import load_document
from redactor.source.outline import DeclaredHeading, build_outline

#: Review copy formats by output suffix.
PREVIEW_FORMATS = {".pdf": "pdf", ".html": "html", ".htm": "html"}


def inspect(
    source: Annotated[Path, typer.Argument(help="The classified source PDF.")],
    json_out: Json = False,
    skeleton: Annotated[
        Path | None,
        typer.Option("--rules-skeleton", help="Also write a starter rule file (YAML) for this source."),
    ] = None,
    rules: Annotated[
        Path | None, typer.Option("--rules", help="Use the headings: declarations of this rule file.")
    ] = None,
    max_rules_size: MaxRulesSize = None,
    password: Password = None,
    quiet: Quiet = False,
) -> None:
    """Show the document as the rules see it: pages, headings, sections, blocks, tables, images, furniture.

    ``--rules`` lends its ``headings:`` declarations so the outline is the one the planner
    will build. Table detection is the slow part and reports progress per page.
    """

    with handled(max_rules_size):
        declared: tuple[DeclaredHeading, ...] = ()
        if rules is not None:
            declared = tuple(DeclaredHeading(p, level) for p, level in parse_rules(rules).headings)
        document = load_document(source, password)
        said_repairs(source, document.repairs)
        outline = build_outline(document, declared)
        with progress_bar(document.page_count, "tables", quiet) as advance:
            report = structure(document, outline, find_tables(source, password, advance))
        if skeleton is not None:
            write_atomically(skeleton, skeleton_text(document, outline, skeleton))
        listing = json.dumps(report, indent=2, ensure_ascii=False) if json_out else format_structure(report)
        typer.echo(listing, nl=json_out)
        if skeleton is not None:
            say(quiet, f"wrote {skeleton}")


def lint(
    rules: Annotated[Path, typer.Argument(help="The release rule file (YAML).")],
    source: Annotated[
        Path | None, typer.Option("--source", help="Also check the rules against this source PDF.")
    ] = None,
    json_out: Json = False,
    max_rules_size: MaxRulesSize = None,
    password: Password = None,
) -> None:
    """Check a rule file without producing anything: exit 0 clean, 1 findings, 2 unusable."""

    with handled(max_rules_size):
        try:
            ruleset = parse_rules(rules)
        except RuleError as error:
            findings, code = [from_error(error)], ExitCode.BAD_INPUT
        else:
            document = load_document(source, password) if source is not None else None
            findings = lint_ruleset(ruleset, document)
            code = ExitCode.CHECK_FAILED if findings else ExitCode.OK
        typer.echo(format_findings(str(rules), findings, json_out), nl=False)
    exit_with(int(code))


def preview(
    source: Annotated[Path, typer.Argument(help="The classified source PDF.")],
    rules: Annotated[Path, typer.Argument(help="The release rule file (YAML).")],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The review copy to write: REVIEW.pdf or REVIEW.html.")
    ],
    max_rules_size: MaxRulesSize = None,
    password: Password = None,
    quiet: Quiet = False,
) -> None:
    """Write a review copy: the source with what would be withheld and released drawn over it (still classified)."""

    with handled(max_rules_size):
        fmt = PREVIEW_FORMATS.get(output.suffix.lower())
        if fmt is None:
            raise InputError(
                f"cannot write a review copy as '{output.suffix or output.name}'.",
                path=output,
                hint="name the output REVIEW.pdf or REVIEW.html.",
            )
        if not (output.parent if str(output.parent) else Path(".")).is_dir():
            raise InputError("the output folder does not exist.", path=output, hint=f"create {output.parent} first.")
        plan = make_plan(source, rules, password)
        said_repairs(source, plan.document.repairs)
        render = render_review_pdf if fmt == "pdf" else review_html
        with progress_bar(plan.document.page_count, "preview", quiet) as advance:
            data: bytes | str = render(plan, str(source), password, advance)
        write_atomically(output, data)
        say(quiet, f"wrote {output}")


def audit(
    source: Annotated[Path, typer.Argument(help="The classified source PDF.")],
    rules: Annotated[Path, typer.Argument(help="The release rule file (YAML).")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the log as LOG.json, LOG.csv or LOG.html.")
    ] = None,
    internal: Annotated[
        bool, typer.Option("--internal", help="Add withheld text, rectangles, counts, source hash (classified).")
    ] = False,
    max_rules_size: MaxRulesSize = None,
    password: Password = None,
    quiet: Quiet = False,
) -> None:
    """Write the withholding log: where, why and how much is withheld (public unless --internal)."""

    with handled(max_rules_size):
        fmt = output.suffix.lstrip(".").lower() if output is not None else "json"
        if fmt not in FORMATS:
            raise InputError(
                f"unknown audit format '.{fmt}'.", path=output, hint="write the log as .json, .csv or .html."
            )
        plan = make_plan(source, rules, password)
        said_repairs(source, plan.document.repairs)
        text = render_audit(plan, fmt, internal)
        if output is None:
            typer.echo(text, nl=False)
        else:
            write_atomically(output, text)
            say(quiet, f"wrote {output}")
