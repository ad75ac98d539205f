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
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from multiprocessing.context import BaseContext
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

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


def ordered_map(
    pool: ProcessPoolExecutor, function: Callable[[T], R], items: Iterable[T], chunksize: int, workers: int
) -> Iterator[R]:
    """``function`` over ``items`` in the pool, results in order, a few chunks in flight at a time.

    The executor's own ``map`` takes every item at once and keeps every result it has not
    handed back yet: a 10,000-page release would hold all its page jobs, and all its
    written pages when assembling lags behind the workers. Here items are read from the
    iterable and results kept only for two chunks per worker ahead of the caller.
    """
    ahead = 2 * max(1, workers)
    pending: deque[Future[list[R]]] = deque()
    iterator = iter(items)
    chunks = iter(lambda: list(islice(iterator, chunksize)), [])
    try:
        for chunk in chunks:
            pending.append(pool.submit(_run_chunk, function, chunk))
            if len(pending) >= ahead:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        for future in pending:  # the caller stopped early: drop what has not started
            future.cancel()


def _run_chunk(function: Callable[[T], R], chunk: list[T]) -> list[R]:
    return [function(item) for item in chunk]
