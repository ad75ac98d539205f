"""Progress reporting, as the library sees it: a callback told how many steps were done.

The library never draws anything; the CLI passes a callback that advances a bar on stderr.
"""

from __future__ import annotations

from collections.abc import Callable

#: Called with the number of steps (pages, documents) just finished.
Progress = Callable[[int], None]


def no_progress(steps: int) -> None:
    """The silent callback, for library callers and tests."""
