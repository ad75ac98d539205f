"""What every command shares: options, the one error handler, and interrupts.

stdout carries data (reports, JSON); stderr carries talk (progress, warnings, errors).
Tracebacks are never shown for user errors, and never with local variables, which could
print withheld text. Each kind of failure has its exit code (``redactor.errors.ExitCode``,
the table in docs/errors.md), so a script can tell a leak from a typo from a full disk.
"""

from __future__ import annotations

import os
import re
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Annotated, Any

import typer

from redactor.errors import ExitCode, RedactorError
from redactor.interrupts import holding
from redactor.rules.yamlmarks import DEFAULT_MAX_SIZE, format_size, size_limit

Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="Say nothing on stderr but warnings and errors.")]
Jobs = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        "-j",
        min=1,
        help="Worker processes for long documents: reading the source, writing and checking pages "
        "(default: the cores available). The result is the same whatever the number.",
    ),
]
Verbose = Annotated[
    bool, typer.Option("--verbose", "-v", help="Also say, on stderr, how many pages each phase took and how long.")
]
Password = Annotated[
    str | None,
    typer.Option(
        "--password",
        help="Password of an encrypted source. Anyone who lists processes sees it: "
        "prefer --password-file or REDACTOR_PASSWORD.",
    ),
]
PasswordFile = Annotated[
    Path | None,
    typer.Option(
        "--password-file",
        metavar="FILE",
        help="Read the source's password from the first line of FILE (REDACTOR_PASSWORD is read when neither "
        "this nor --password is given).",
    ),
]
Json = Annotated[bool, typer.Option("--json", help="Machine-readable output (JSON) on stdout.")]
# Input paths are not checked by click (``readable=False``): it would refuse an unreadable
# file as a usage error (exit 2), where redactor.cli.inputs gives it its own code (3).
Source = Annotated[
    Path, typer.Argument(metavar="SOURCE", help="The classified source PDF.", show_default=False, readable=False)
]
Rules = Annotated[
    Path, typer.Argument(metavar="RULES", help="The release rule file (YAML).", show_default=False, readable=False)
]
#: The old spellings of SOURCE and RULES, accepted for one more release.
LegacySource = Annotated[Path | None, typer.Option("--source", hidden=True, readable=False)]
LegacyRules = Annotated[Path | None, typer.Option("--rules", hidden=True, readable=False)]


def paths_argument(metavar: str, help: str) -> Any:
    """The positional paths of a command that takes some optionally (``[SOURCE] RULES``): see inputs.positional."""
    return typer.Argument(metavar=metavar, help=help, show_default=False, readable=False)


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


class Interrupted(BaseException):
    """SIGINT or SIGTERM arrived: raised like KeyboardInterrupt, so every ``finally`` and rollback runs.

    A BaseException, so the library's ``except Exception`` (around a reader that fails
    in many ways) never swallows it.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextmanager
def handled(max_rules_size: int | None = None, interrupted: str = "no output was written") -> Iterator[None]:
    """Turn library errors into a one-paragraph message and their exit code; interrupts into 130 or 143.

    Rule files read inside may be up to ``max_rules_size`` bytes (None: the default
    limit). ``interrupted`` says what became of the outputs when a signal stops the run.
    """
    try:
        with size_limit(max_rules_size), interruptible():
            yield
    except RedactorError as error:
        typer.echo(f"error: {error.paragraph()}", err=True)
        raise typer.Exit(int(error.exit_code)) from None
    except (Interrupted, KeyboardInterrupt) as stop:
        raise typer.Exit(said_interrupted(stop, interrupted)) from None
    except (typer.Exit, typer.Abort):
        raise
    except Exception as error:  # an internal fault: no locals, no withheld text
        if os.environ.get("REDACTOR_DEBUG"):
            raise
        typer.echo(
            f"internal error ({type(error).__name__}); no output was written. "
            "Hint: rerun with REDACTOR_DEBUG=1 for details and report it, with that output and the redactor "
            "version (redactor --version).",
            err=True,
        )
        raise typer.Exit(int(ExitCode.INTERNAL)) from None


def said_interrupted(stop: BaseException, outcome: str = "no output was written") -> int:
    """Say the run was interrupted and what became of the outputs; the exit code.

    The code is 128 + the signal's number, as shells report a process a signal ended:
    130 for SIGINT (and Ctrl-C), 143 for SIGTERM.
    """
    typer.echo(f"interrupted; {outcome}.", err=True)
    if isinstance(stop, Interrupted) and stop.signum == signal.SIGTERM:
        return int(ExitCode.TERMINATED)
    return int(ExitCode.INTERRUPTED)


@contextmanager
def interruptible() -> Iterator[None]:
    """SIGINT and SIGTERM raise :class:`Interrupted` while the command runs.

    Python's default for SIGTERM ends the process on the spot, leaving temporary files and
    half-renamed output sets; raising instead unwinds through the rollbacks. Later signals
    are ignored while the first one unwinds, so a second Ctrl-C cannot cut a rollback short.
    Signal handlers can only be set from the main thread; elsewhere nothing changes.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    stopping = (signal.SIGINT, signal.SIGTERM)
    before = {signum: signal.getsignal(signum) for signum in stopping}

    def stop(signum: int, frame: FrameType | None) -> None:
        if holding(signum):  # inside a native call that runs Python callbacks: raised at its end
            return
        for each in stopping:
            signal.signal(each, signal.SIG_IGN)
        raise Interrupted(signum)

    for signum in stopping:
        signal.signal(signum, stop)
    try:
        yield
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)


def said_repairs(note: Callable[[str], None], source: Path, repairs: tuple[str, ...]) -> None:
    """``warning: SOURCE: ...`` for each repair the source needed to be opened (see source.opening).

    Shown even with ``-q``, which silences progress only: the extract is then made from a
    repaired or decrypted copy, and whoever releases it must know.
    """
    for repair in repairs:
        note(f"warning: {source}: {repair}")


def exit_with(code: int) -> None:
    """Leave with ``code`` unless it is 0."""
    if code:
        raise typer.Exit(code)
