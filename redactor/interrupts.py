"""Interrupts held back while native code calls into Python.

PyMuPDF runs some of its work through Python callbacks (the keep-list writer's culler, the
devices behind ``get_bboxlog``). A signal handler that raises inside one of them makes
the binding print a "Director error" report on stderr and abandon MuPDF mid-call. Code
that makes such calls runs them under :func:`held`; a handler (the CLI's) asks
:func:`holding` first and, while something is held, the signal is kept and sent again
the moment the held stretch ends, where raising is safe. The stretches are short (one
page), so an interrupt still stops a run within a fraction of a second.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

_depth = 0
_pending: list[int] = []


@contextmanager
def held() -> Iterator[None]:
    """Keep signals that arrive inside for its end."""
    global _depth
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if not _depth and _pending:
            signum = _pending[0]
            _pending.clear()
            os.kill(os.getpid(), signum)  # delivered again now, outside: its handler raises here


def holding(signum: int) -> bool:
    """For a signal handler: True when the signal is kept for later (the handler then returns)."""
    if _depth:
        _pending.append(signum)
        return True
    return False
