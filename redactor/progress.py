"""Progress reporting, as the library sees it: callbacks told which phase runs and how far it got.

The library never draws anything; the CLI passes callbacks that draw a display on stderr.
A run has phases (``loading``, ``deciding``, ``writing``, ``verifying``); whoever knows
a phase's size announces it to a :data:`Phase` callback, which returns the
:data:`Progress` callback that phase's steps are reported to. A stage that does not know
its size ahead (loading: the page count is read when the file is open) takes the
:data:`Phase` callback itself; a stage whose size its caller knows takes a
:data:`Progress` callback.
"""

from __future__ import annotations

from collections.abc import Callable

#: Called with the number of steps (pages, documents) just finished.
Progress = Callable[[int], None]

#: Called when a phase begins, with its name and its number of steps; returns the
#: callback the phase reports its steps to.
Phase = Callable[[str, int], Progress]

#: The phases of a release, in order.
LOADING, DECIDING, WRITING, VERIFYING = "loading", "deciding", "writing", "verifying"


def no_progress(steps: int) -> None:
    """The silent callback, for library callers and tests."""


def no_phases(name: str, total: int) -> Progress:
    """The silent phase callback: every phase reports to :func:`no_progress`."""
    return no_progress
