"""The command line: the only place that turns errors into exit codes.

Heavy libraries (PyMuPDF) are imported inside the commands so ``redactor --help`` stays
instant. stdout carries data (reports, JSON); stderr carries talk (progress, errors).
Tracebacks are never shown for user errors, and never with local variables, which could
print withheld text.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from redactor.errors import ExitCode, RedactorError

app = typer.Typer(
    name="redactor",
    help="Declassification: turn a classified PDF and a YAML release rule file into a truly redacted public extract.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    add_completion=False,
)

Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress output.")]
Password = Annotated[str | None, typer.Option("--password", help="Password of an encrypted source.")]


def _fail(error: RedactorError) -> None:
    typer.echo(f"error: {error.paragraph()}", err=True)
    raise typer.Exit(int(error.exit_code))


@contextmanager
def handled() -> Iterator[None]:
    """Turn library errors into a one-paragraph message and their exit code."""
    try:
        yield
    except RedactorError as error:
        _fail(error)
    except KeyboardInterrupt:
        typer.echo("interrupted; no output was written.", err=True)
        raise typer.Exit(130) from None
    except (typer.Exit, typer.Abort):
        raise
    except Exception as error:  # an internal fault: no locals, no withheld text
        if os.environ.get("REDACTOR_DEBUG"):
            raise
        typer.echo(
            f"internal error ({type(error).__name__}); no output was written. "
            "Hint: rerun with REDACTOR_DEBUG=1 for details and report it.",
            err=True,
        )
        raise typer.Exit(70) from None


@contextmanager
def progress_bar(total: int, label: str, quiet: bool) -> Iterator[Callable[[int], None]]:
    """A rich progress bar on stderr; silent with -q or when stderr is not a terminal."""
    if quiet or total < 5 or not sys.stderr.isatty():
        yield lambda n: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    with Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=total)
        yield lambda n: bar.advance(task, n)


def _say(quiet: bool, message: str) -> None:
    if not quiet:
        typer.echo(message, err=True)


@app.command()
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
    password: Password = None,
    quiet: Quiet = False,
) -> None:
    """Write the public extract: withheld parts removed, placeholders drawn, cover in front."""
    from redactor.pipeline import Outputs, make_plan, release

    with handled():
        plan = make_plan(source, rules, password)
        with progress_bar(plan.document.page_count, "extract", quiet) as advance:
            written = release(
                plan,
                source,
                Outputs(output, markdown, html, audit),
                password,
                verify=not no_verify,
                progress=advance,
                template_dir=template,
            )
        for path in written:
            _say(quiet, f"wrote {path}")


@app.command()
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
    password: Password = None,
    quiet: Quiet = False,
) -> None:
    """Write the EXT cover sheet alone, e.g. to circulate a decision before the extract."""
    from redactor.covers import write_cover

    with handled():
        for path in write_cover(rules, output, source, template, png, password):
            _say(quiet, f"wrote {path}")


@app.command()
def verify(
    extract: Annotated[Path, typer.Argument(help="The finished extract PDF to check.")],
    source: Annotated[Path, typer.Option("--source", help="The classified source it was made from.")],
    rules: Annotated[Path, typer.Option("--rules", help="The release rule file it was made with.")],
    json_out: Annotated[bool, typer.Option("--json", help="Machine-readable report on stdout.")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Count warnings (measurable widths) as failures.")] = False,
    password: Password = None,
) -> None:
    """Leak check of a finished extract: exit 0 clean, 1 on any leak, 2 on unusable input."""
    from redactor.document import open_pdf
    from redactor.pipeline import make_plan
    from redactor.verify import verify_document

    with handled():
        plan = make_plan(source, rules, password)
        doc = open_pdf(extract)
        try:
            report = verify_document(doc, extract.read_bytes(), plan)
        finally:
            doc.close()
        typer.echo(report.json() if json_out else report.text())
        if report.failed(strict):
            raise typer.Exit(int(ExitCode.CHECK_FAILED))


def main() -> Any:
    """Console-script entry point."""
    return app()


__all__ = ["app", "main", "ExitCode"]


def _register_subcommands() -> None:
    """Commands defined in their own modules, registered on the one app."""
    from redactor import batch

    batch.register(app)


_register_subcommands()


def _register_review_commands() -> None:
    """inspect, lint, preview and audit live in their own modules (see cli_review)."""
    from redactor.cli_review import register

    register(app)


_register_review_commands()
