"""``inspect``, ``lint``, ``preview`` and ``audit``: the review commands on the command line.

Each reads through the library (which returns values) and prints or writes here; errors go
through ``handled()`` like every other command, so they print one paragraph and exit with
their code (docs/errors.md) without a traceback. Paths are checked before any work, as for
``apply`` (:mod:`redactor.cli.inputs`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from redactor.authoring.inspect import find_tables, format_structure, structure
from redactor.authoring.skeleton import skeleton_text
from redactor.check.lint import format_findings, from_error, lint_ruleset
from redactor.cli.common import (
    Jobs,
    Json,
    LegacyRules,
    LegacySource,
    MaxRulesSize,
    Password,
    PasswordFile,
    Quiet,
    Rules,
    Source,
    Verbose,
    exit_with,
    handled,
    paths_argument,
    said_repairs,
)
from redactor.cli.display import Talk, phases
from redactor.cli.inputs import check_paths, password_of, positional, required
from redactor.errors import ExitCode, InputError, RuleError
from redactor.output.atomic import write_atomically
from redactor.pipeline import make_plan
from redactor.progress import WRITING
from redactor.render.audit import FORMATS, render_audit
from redactor.render.pages import default_workers
from redactor.render.preview_html import review_html
from redactor.render.preview_pdf import render_review_pdf
from redactor.rules.parse import parse_rules
from redactor.source.load import load_document
from redactor.source.outline import DeclaredHeading, build_outline

#: Review copy formats by output suffix.
PREVIEW_FORMATS = {".pdf": "pdf", ".html": "html", ".htm": "html"}


def inspect(
    paths: Annotated[
        list[Path],
        paths_argument(
            "SOURCE [RULES]",
            "The classified source PDF, and a rule file whose headings: declarations to use.",
        ),
    ],
    json_out: Json = False,
    skeleton: Annotated[
        Path | None,
        typer.Option("--rules-skeleton", help="Also write a starter rule file (YAML) for this source."),
    ] = None,
    legacy_rules: LegacyRules = None,
    max_rules_size: MaxRulesSize = None,
    password: Password = None,
    password_file: PasswordFile = None,
    quiet: Quiet = False,
    verbose: Verbose = False,
) -> None:
    """Show the document as the rules see it: pages, headings, sections, blocks, tables, images, furniture.

    RULES lends its ``headings:`` declarations so the outline is the one the planner
    will build. Table detection is the slow part and reports progress per page.
    """

    with handled(max_rules_size):
        talk = Talk.of(quiet, verbose)
        found = positional("inspect", ("source", "rules"), paths, {"rules": legacy_rules}, frozenset({"rules"}))
        source, rules = required(found["source"]), found["rules"]
        secret = password_of(password, password_file)
        check_paths(found, {"--rules-skeleton": skeleton}, password_file)
        declared: tuple[DeclaredHeading, ...] = ()
        if rules is not None:
            declared = tuple(DeclaredHeading(p, level) for p, level in parse_rules(rules).headings)
        with phases(talk) as display:
            document = load_document(source, secret, display)
            said_repairs(display.note, source, document.repairs)
            outline = build_outline(document, declared)
            tables = find_tables(source, secret, display("tables", document.page_count))
            report = structure(document, outline, tables)
        if skeleton is not None:
            write_atomically(skeleton, skeleton_text(document, outline, skeleton), classified=True)
        listing = json.dumps(report, indent=2, ensure_ascii=False) if json_out else format_structure(report)
        typer.echo(listing, nl=json_out)
        if skeleton is not None:
            talk.say(f"wrote {skeleton}")


def lint(
    paths: Annotated[
        list[Path],
        paths_argument(
            "[SOURCE] RULES",
            "The release rule file (YAML), after the source PDF to check it against when one is given.",
        ),
    ],
    json_out: Json = False,
    legacy_source: LegacySource = None,
    max_rules_size: MaxRulesSize = None,
    password: Password = None,
    password_file: PasswordFile = None,
    quiet: Quiet = False,
    verbose: Verbose = False,
) -> None:
    """Check a rule file without producing anything: exit 0 clean, 1 findings, 2 unusable."""

    with handled(max_rules_size):
        talk = Talk.of(quiet, verbose)
        found = positional("lint", ("source", "rules"), paths, {"source": legacy_source}, frozenset({"source"}))
        source, rules = found["source"], required(found["rules"])
        secret = password_of(password, password_file)
        check_paths(found, {}, password_file)
        try:
            ruleset = parse_rules(rules)
        except RuleError as error:
            findings, code = [from_error(error)], ExitCode.BAD_INPUT
        else:
            with phases(talk) as display:
                document = load_document(source, secret, display) if source is not None else None
            findings = lint_ruleset(ruleset, document)
            code = ExitCode.CHECK_FAILED if findings else ExitCode.OK
        typer.echo(format_findings(str(rules), findings, json_out), nl=False)
    exit_with(int(code))


def preview(
    source: Source,
    rules: Rules,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The review copy to write: REVIEW.pdf or REVIEW.html.")
    ],
    jobs: Jobs = None,
    max_rules_size: MaxRulesSize = None,
    password: Password = None,
    password_file: PasswordFile = None,
    quiet: Quiet = False,
    verbose: Verbose = False,
) -> None:
    """Write a review copy: the source with what would be withheld and released drawn over it (still classified)."""

    with handled(max_rules_size):
        talk = Talk.of(quiet, verbose)
        fmt = PREVIEW_FORMATS.get(output.suffix.lower())
        if fmt is None:
            raise InputError(
                f"cannot write a review copy as '{output.suffix or output.name}'.",
                path=output,
                hint="name the output REVIEW.pdf or REVIEW.html.",
            )
        secret = password_of(password, password_file)
        check_paths({"source": source, "rules": rules}, {"-o": output}, password_file)
        workers = jobs or default_workers()
        with phases(talk) as display:
            plan = make_plan(source, rules, secret, display, workers)
            said_repairs(display.note, source, plan.document.repairs)
            writing = display(WRITING, plan.document.page_count)
            data: bytes | str = (
                render_review_pdf(plan, str(source), secret, writing)
                if fmt == "pdf"
                else review_html(plan, str(source), secret, writing, jobs=workers)
            )
        write_atomically(output, data, classified=True)  # the review copy shows what is withheld
        talk.say(f"wrote {output}")


def audit(
    source: Source,
    rules: Rules,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the log as LOG.json, LOG.csv or LOG.html.")
    ] = None,
    internal: Annotated[
        bool, typer.Option("--internal", help="Add withheld text, rectangles, counts, source hash (classified).")
    ] = False,
    max_rules_size: MaxRulesSize = None,
    password: Password = None,
    password_file: PasswordFile = None,
    quiet: Quiet = False,
    verbose: Verbose = False,
) -> None:
    """Write the withholding log: where, why and how much is withheld (public unless --internal)."""

    with handled(max_rules_size):
        talk = Talk.of(quiet, verbose)
        fmt = output.suffix.lstrip(".").lower() if output is not None else "json"
        if fmt not in FORMATS:
            raise InputError(
                f"unknown audit format '.{fmt}'.", path=output, hint="write the log as .json, .csv or .html."
            )
        secret = password_of(password, password_file)
        check_paths({"source": source, "rules": rules}, {"-o": output}, password_file)
        with phases(talk) as display:
            plan = make_plan(source, rules, secret, display)
            said_repairs(display.note, source, plan.document.repairs)
        text = render_audit(plan, fmt, internal)
        if output is None:
            typer.echo(text, nl=False)
        else:
            write_atomically(output, text, classified=internal)
            talk.say(f"wrote {output}")
