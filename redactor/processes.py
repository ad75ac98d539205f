"""Where worker processes come from: a fork server with the worker modules already imported.

Reading, writing and verifying a long document each start worker processes. Started
fresh ("spawn"), every worker imports PyMuPDF, pikepdf, PDFium and redactor again: about
0.6 s of CPU each, six workers per ``apply --jobs 2``. A fork server imports them once and
forks each worker from that clean state: it has opened no document and runs no thread, so
nothing of this process's MuPDF or PDFium state reaches a worker (the reason not to fork
this process itself).
"""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.context import BaseContext
from typing import Any

#: The modules whose functions run in workers (named, not imported: this module sits below them).
WORKER_MODULES = [
    "redactor.source.load",
    "redactor.render.pages",
    "redactor.render.preview_html",
    "redactor.check.verify",
]


def worker_context() -> BaseContext:
    """The context to start worker processes from (the server starts with the first pool)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(WORKER_MODULES)
    return context


def worker_pool(workers: int, initializer: Callable[..., None], *initargs: Any) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes from :func:`worker_context`, each set up by ``initializer``.

    Workers ignore Ctrl-C: a terminal sends it to the whole process group, and the parent
    is the one that stops the run (its pool shuts down as it unwinds).
    """
    return ProcessPoolExecutor(
        workers, mp_context=worker_context(), initializer=_started, initargs=(initializer, *initargs)
    )


def _started(initializer: Callable[..., None], *initargs: Any) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    initializer(*initargs)
