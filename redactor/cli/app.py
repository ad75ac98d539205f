"""The ``redactor`` application: every command registered on one typer app.

Heavy libraries (PyMuPDF) are imported inside the commands so ``redactor --help`` stays
instant.
"""

from __future__ import annotations

from typing import Any

import typer

from redactor.cli import batch, release, review

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
    batch.batch,
):
    app.command()(command)


def main() -> Any:
    """Console-script entry point."""
    return app()
