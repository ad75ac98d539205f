"""What every command shares: options, progress on stderr, and the one error handler.

stdout carries data (reports, JSON); stderr carries talk (progress, errors). Tracebacks are
never shown for user errors, and never with local variables, which could print withheld text.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from redactor.errors import RedactorError
from redactor.progress import Progress

Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress output.")]
Password = Annotated[str | None, typer.Option("--password", help="Password of an encrypted source.")]
Json = Annotated[bool, typer.Option("--json", help="Machine-readable output (JSON) on stdout.")]


@contextmanager
def handled() -> Iterator[None]:
    """Turn library errors into a one-paragraph message and their exit code."""
    try:
        yield
    except RedactorError as error:
        typer.echo(f"error: {error.paragraph()}", err=True)
        raise typer.Exit(int(error.exit_code)) from None
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
def progress_bar(total: int, label: str, quiet: bool) -> Iterator[Progress]:
    """A rich progress bar on stderr; silent with -q or when stderr is not a terminal."""
    if quiet or total < 5 or not sys.stderr.isatty():
        yield lambda n: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
    from rich.progress import Progress as Bar

    with Bar(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=total)
        yield lambda n: bar.advance(task, n)


def say(quiet: bool, message: str) -> None:
    """A line of talk on stderr, unless quiet."""
    if not quiet:
        typer.echo(message, err=True)


def said_written(quiet: bool, paths: list[Path] | dict[str, Path]) -> None:
    """``wrote PATH`` for every output written."""
    for path in paths:
        say(quiet, f"wrote {path}")


def exit_with(code: int) -> None:
    """Leave with ``code`` unless it is 0."""
    if code:
        raise typer.Exit(code)
