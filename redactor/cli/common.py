"""What every command shares: options, progress on stderr, and the one error handler.

stdout carries data (reports, JSON); stderr carries talk (progress, errors). Tracebacks are
never shown for user errors, and never with local variables, which could print withheld text.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from redactor.errors import RedactorError
from redactor.progress import Progress
from redactor.rules.yamlmarks import DEFAULT_MAX_SIZE, format_size, size_limit

Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress output.")]
Password = Annotated[str | None, typer.Option("--password", help="Password of an encrypted source.")]
Json = Annotated[bool, typer.Option("--json", help="Machine-readable output (JSON) on stdout.")]

_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(|b|bytes?|k|kb|kib|m|mb|mib|g|gb|gib)\s*", re.IGNORECASE)
_UNITS = {"": 1, "b": 1, "byte": 1, "bytes": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}


def parse_size(text: str) -> int:
    """``1048576``, ``512KiB``, ``5MiB``, ``1G`` as bytes (K, M and G are powers of 1024)."""
    m = _SIZE.fullmatch(text)
    if m is None:
        raise typer.BadParameter(f"'{text}' is not a size; write bytes or e.g. 512KiB, 5MiB, 1GiB.")
    unit = m.group(2).lower()
    size = int(float(m.group(1)) * _UNITS[unit if unit in _UNITS else unit[0]])
    if size < 1:
        raise typer.BadParameter("the size must be at least one byte.")
    return size


MaxRulesSize = Annotated[
    int | None,
    typer.Option(
        "--max-rules-size",
        parser=parse_size,
        metavar="SIZE",
        help=f"Read rule files up to this size (bytes, or e.g. 8MiB; default {format_size(DEFAULT_MAX_SIZE)}).",
    ),
]


@contextmanager
def handled(max_rules_size: int | None = None) -> Iterator[None]:
    """Turn library errors into a one-paragraph message and their exit code.

    Rule files read inside may be up to ``max_rules_size`` bytes (None: the default limit).
    """
    try:
        with size_limit(max_rules_size):
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


def said_repairs(source: Path, repairs: tuple[str, ...]) -> None:
    """``warning: SOURCE: ...`` for each repair the source needed to be opened (see source.opening).

    Shown even with ``-q``, which silences progress only: the extract is then made from a
    repaired or decrypted copy, and whoever releases it must know.
    """
    for repair in repairs:
        typer.echo(f"warning: {source}: {repair}", err=True)


def said_written(quiet: bool, paths: list[Path] | dict[str, Path]) -> None:
    """``wrote PATH`` for every output written."""
    for path in paths:
        say(quiet, f"wrote {path}")


def exit_with(code: int) -> None:
    """Leave with ``code`` unless it is 0."""
    if code:
        raise typer.Exit(code)
