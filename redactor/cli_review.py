"""The review commands on the command line: ``inspect``, ``lint``, ``preview``, ``audit``.

Only the typer wiring lives here; each command is a plain function in its own module that
takes parsed arguments and returns an exit code. Errors go through ``handled()`` like every
other command, so they print one paragraph and exit 2 (bad input) without a traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from redactor.cli import Password, Quiet, handled, progress_bar

Json = Annotated[bool, typer.Option("--json", help="Machine-readable output (JSON) on stdout.")]


def _exit(code: int) -> None:
    if code:
        raise typer.Exit(code)


def _said(quiet: bool, path: Path | None) -> None:
    if path is not None and not quiet:
        typer.echo(f"wrote {path}", err=True)


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
    password: Password = None,
    quiet: Quiet = False,
) -> None:
    """Show the document as the rules see it: pages, headings, sections, blocks, tables, images, furniture."""
    from redactor.inspect import inspect_command

    with handled():
        code = inspect_command(
            source, json_out, skeleton, password, rules, lambda total, label: progress_bar(total, label, quiet)
        )
        _said(quiet, skeleton)
    _exit(code)


def lint(
    rules: Annotated[Path, typer.Argument(help="The release rule file (YAML).")],
    source: Annotated[
        Path | None, typer.Option("--source", help="Also check the rules against this source PDF.")
    ] = None,
    json_out: Json = False,
    password: Password = None,
) -> None:
    """Check a rule file without producing anything: exit 0 clean, 1 findings, 2 unusable."""
    from redactor.lint import lint_command

    with handled():
        code = lint_command(rules, source, password, json_out)
    _exit(code)


def preview(
    source: Annotated[Path, typer.Argument(help="The classified source PDF.")],
    rules: Annotated[Path, typer.Argument(help="The release rule file (YAML).")],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The review copy to write: REVIEW.pdf or REVIEW.html.")
    ],
    password: Password = None,
    quiet: Quiet = False,
) -> None:
    """Write a review copy: the source with what would be withheld and released drawn over it (still classified)."""
    from redactor.preview import preview_command

    with handled():
        code = preview_command(source, rules, output, password, lambda total, label: progress_bar(total, label, quiet))
        _said(quiet, output)
    _exit(code)


def audit(
    source: Annotated[Path, typer.Argument(help="The classified source PDF.")],
    rules: Annotated[Path, typer.Argument(help="The release rule file (YAML).")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the log as LOG.json, LOG.csv or LOG.html.")
    ] = None,
    internal: Annotated[
        bool, typer.Option("--internal", help="Add the withheld text (the log is then classified).")
    ] = False,
    password: Password = None,
    quiet: Quiet = False,
) -> None:
    """Write the withholding log: where, why and how much is withheld (public unless --internal)."""
    from redactor.audit import audit_command

    with handled():
        code = audit_command(source, rules, output, internal, password)
        _said(quiet, output)
    _exit(code)


COMMANDS: dict[str, Callable[..., None]] = {"inspect": inspect, "lint": lint, "preview": preview, "audit": audit}


def register(app: typer.Typer) -> None:
    """Add the review commands to ``app``; calling it again adds nothing twice."""
    present = {c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands}
    for name, command in COMMANDS.items():
        if name not in present:
            app.command(name)(command)
