"""What the batch tests share: the command on its own, and a one-page document per tag."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import typer
from typer.testing import CliRunner, Result

from redactor.cli.batch import batch
from tests.builders import paragraph

#: The rules every good document of the batch tests is released with.
RELEASE = '- id: public\n  release: {block: "^Public paragraph"}\n'


def _app() -> typer.Typer:
    app = typer.Typer()
    app.command()(batch)

    @app.command("noop")
    def noop() -> None:  # a second command, so that typer keeps subcommands
        """Nothing."""

    return app


def run_batch_command(*args: str) -> Result:
    """``redactor batch ARGS``, in process."""
    return CliRunner().invoke(_app(), ["batch", *args])


def batch_document(path: Path, tag: str) -> Path:
    """One page: a public paragraph naming the tag, and a hidden word ``SECRET{tag}X``."""
    doc = pymupdf.open()
    page = doc.new_page()
    y = paragraph(page, 100, [f"Public paragraph released for file {tag}{tag}{tag}."])
    paragraph(page, y, [f"Hidden words SECRET{tag}X remain closed forever."])
    doc.save(path)
    doc.close()
    return path
