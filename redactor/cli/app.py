"""The ``redactor`` application: every command registered on one typer app.

Heavy libraries (PyMuPDF) are imported inside the commands so ``redactor --help`` stays
instant.
"""

from __future__ import annotations

import sys
from importlib import metadata
from typing import Annotated, Any

import typer

from redactor import __version__
from redactor.cli import batch, release, review, workstation
from redactor.cli.common import Interrupted, interruptible, said_interrupted

#: The engines a bug report needs the versions of, by distribution name.
ENGINES = ("PyMuPDF", "pikepdf", "pypdfium2")

app = typer.Typer(
    name="redactor",
    help="Declassification: turn a classified PDF and a YAML release rule file into a truly redacted public extract.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    add_completion=False,
)

for command in (
    release.apply,
    release.cover,
    release.verify,
    review.inspect,
    review.lint,
    review.preview,
    review.audit,
    workstation.review,
    batch.batch,
):
    app.command()(command)


def version_text() -> str:
    """``redactor 0.1.0`` and, on a second line, the versions of the PDF engines it drives."""
    engines = []
    for name in ENGINES:
        try:
            engines.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            engines.append(f"{name} (not installed)")
    return f"redactor {__version__}\n" + ", ".join(engines)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(version_text())
        raise typer.Exit()


@app.callback()
def options(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    """Declassification: turn a classified PDF and a YAML release rule file into a truly redacted public extract."""


def main() -> Any:
    """Console-script entry point: interrupts are handled from the first moment, arguments included."""
    try:
        with interruptible():
            return app()
    except (Interrupted, KeyboardInterrupt) as stop:
        sys.exit(said_interrupted(stop))
