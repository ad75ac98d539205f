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
from multiprocessing.context import BaseContext

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
