"""How much a command says on stderr, and the progress display of its phases.

The library reports phases and pages through :mod:`redactor.progress`; this is the one
place that draws them. The display is a rich progress bar on stderr, one line per phase
(loading, deciding, writing, verifying), with pages done, time spent and, once a phase
has run long enough to judge, the time it still needs. It is drawn only on a terminal
and never with ``-q``: a log file or a pipe would fill with redraws. ``-v`` adds one
line per finished phase (pages and seconds), on a terminal or not.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import typer

from redactor.errors import InputError
from redactor.progress import Progress

#: A command whose first phase has fewer steps draws nothing: it is over before a bar could say anything.
MIN_STEPS = 5
#: Seconds a phase runs before its time left is shown: earlier estimates only jump about.
ESTIMATE_AFTER = 3.0


@dataclass(frozen=True)
class Talk:
    """What a command says on stderr besides errors and warnings: ``-q`` nothing, ``-v`` more."""

    quiet: bool = False
    verbose: bool = False

    @classmethod
    def of(cls, quiet: bool, verbose: bool) -> Talk:
        """The talk asked for; ``-q`` with ``-v`` is a usage error."""
        if quiet and verbose:
            raise InputError("-q and -v ask for less and for more at once.", hint="give one of them.")
        return cls(quiet, verbose)

    def say(self, message: str) -> None:
        """A line on stderr, unless quiet."""
        if not self.quiet:
            typer.echo(message, err=True)


class Display:
    """The phases of one command as they run: a :data:`redactor.progress.Phase` callback.

    Calling it starts a phase (the one before is over) and returns the callback its steps
    go to. ``console`` is the rich console to draw on, or None not to draw.
    """

    def __init__(self, talk: Talk, console: Any | None) -> None:
        self._talk = talk
        self._console = console
        self._bar: Any | None = None
        self._task: Any | None = None
        self._phase: tuple[str, int, str, float] | None = None  # name, total, unit, start
        self._done = 0
        self._counters: list[tuple[str, int, str, float, list[int]]] = []  # see counter()

    def __call__(self, name: str, total: int) -> Progress:
        """Start the phase ``name`` of ``total`` pages."""
        return self.phase(name, total, "pages")

    def phase(self, name: str, total: int, unit: str) -> Progress:
        """Start the phase ``name`` of ``total`` steps counted in ``unit``."""
        self.end()
        self._phase, self._done = (name, total, unit, time.perf_counter()), 0
        if self._console is not None and total > 0 and (self._bar is not None or total >= MIN_STEPS):
            bar = self._started()
            self._task = bar.add_task(name, total=total, unit=unit)
            bar.refresh()  # the new phase shows at once, not at the next tick
        return self._advance

    def counter(self, name: str, total: int, unit: str) -> Progress:
        """A second line that runs beside the current phase until the end (a batch's pages)."""
        done = [0]
        self._counters.append((name, total, unit, time.perf_counter(), done))
        task = None
        if self._console is not None and total > 0:
            bar = self._started()
            task = bar.add_task(name, total=total, unit=unit)

        def advance(steps: int) -> None:
            done[0] += steps
            if task is not None and self._bar is not None:
                self._bar.advance(task, steps)

        return advance

    def note(self, message: str) -> None:
        """A line on stderr above the bar (a warning: shown even when quiet)."""
        if self._bar is not None:
            self._bar.console.print(message, markup=False, highlight=False, soft_wrap=True)
        else:
            typer.echo(message, err=True)

    def end(self, finished: bool = True) -> None:
        """The current phase is over: its bar goes, and with -v (when it finished) its summary line is said."""
        if self._phase is None:
            return
        name, total, unit, start = self._phase
        if self._bar is not None and self._task is not None:
            self._bar.remove_task(self._task)
        self._phase, self._task = None, None
        if self._talk.verbose and finished:
            self.note(f"{name}: {self._done} of {total} {unit} in {time.perf_counter() - start:.1f} s")

    def close(self, finished: bool = True) -> None:
        """The command is over: the last phase ends and the display goes."""
        self.end(finished)
        for name, total, unit, start, done in self._counters:
            if self._talk.verbose and finished:
                self.note(f"{name}: {done[0]} of {total} {unit} in {time.perf_counter() - start:.1f} s")
        self._counters = []
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def _advance(self, steps: int) -> None:
        self._done += steps
        if self._bar is not None and self._task is not None:
            self._bar.advance(self._task, steps)

    def _started(self) -> Any:
        """The rich progress bar, started on first use (a short command never draws)."""
        if self._bar is None:
            self._bar = _bar(self._console)
            self._bar.start()
        return self._bar


@contextmanager
def phases(talk: Talk, console: Any | None = None) -> Iterator[Display]:
    """The display of a command's phases; it draws on ``console``, by default stderr when it is a terminal.

    A failure ends it without a summary of the phase it broke.
    """
    if console is None and not talk.quiet and sys.stderr.isatty():
        from rich.console import Console

        console = Console(stderr=True)
    display = Display(talk, None if talk.quiet else console)
    try:
        yield display
    except BaseException:
        display.close(finished=False)  # the phase that broke gets no summary line
        raise
    display.close()


def _bar(console: Any) -> Any:
    """The rich progress bar: phase, bar, pages done, time spent, rate and time left on long phases."""
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as Bar

    return Bar(
        TextColumn("{task.description:<9}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[unit]}"),
        TimeElapsedColumn(),
        _rate_column(),
        _left_column(),
        console=console,
        transient=True,
    )


def _rate_column() -> Any:
    """A column with ``12.5 pages/s`` once the phase has run :data:`ESTIMATE_AFTER` seconds."""
    from rich.progress import ProgressColumn, Task
    from rich.text import Text

    class Rate(ProgressColumn):
        max_refresh = 0.5

        def render(self, task: Task) -> Text:
            speed = task.finished_speed or task.speed
            if speed is None or (task.elapsed or 0.0) < ESTIMATE_AFTER:
                return Text("")
            unit = task.fields.get("unit", "")
            return Text(
                f"{speed:.1f} {unit}/s" if speed >= 1 else f"{60 * speed:.1f} {unit}/min", style="progress.data.speed"
            )

    return Rate()


def _left_column() -> Any:
    """A column with ``about 0:42 left`` once the phase has run :data:`ESTIMATE_AFTER` seconds."""
    from rich.progress import ProgressColumn, Task
    from rich.text import Text

    class TimeLeft(ProgressColumn):
        max_refresh = 0.5  # an estimate redrawn faster only flickers

        def render(self, task: Task) -> Text:
            left = task.time_remaining
            if left is None or (task.elapsed or 0.0) < ESTIMATE_AFTER or task.finished:
                return Text("")
            minutes, seconds = divmod(int(left), 60)
            return Text(f"about {minutes}:{seconds:02d} left", style="progress.remaining")

    return TimeLeft()
