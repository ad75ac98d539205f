"""Kept pages written one by one, in this process or in worker processes.

After the plan, kept pages are independent: each is copied alone into a one-page
document, filtered down to what its page plan releases (:mod:`redactor.render.redact`)
and flattened when asked. That is most of a release's time, so with ``jobs`` above one the
pages go to worker processes that open the source once each and hand back finished pages
as PDF bytes; assembling them stays in the caller, in the plan's order.

The serial path hands back bytes the same way, so the extract is the same whatever the
number of workers (the caller inserts the same bytes in the same order).
"""

from __future__ import annotations

import os
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

from redactor.geometry import Rect
from redactor.interrupts import held
from redactor.plan.model import PagePlan, Plan
from redactor.processes import ordered_map, worker_pool
from redactor.render.flatten import PlacedWord, flatten_page, released_words
from redactor.render.redact import redacted_copy

#: Below this many kept pages, starting workers (about a second each: a fresh interpreter
#: importing MuPDF) costs more than it saves (a page takes 20-40 ms to write).
PARALLEL_FROM = 150
#: Pages sent to a worker at a time: large enough to keep the workers busy between
#: round trips, small enough to spread the pages evenly.
CHUNK = 8


@dataclass(frozen=True)
class PageJob:
    """What writing one kept page needs, and nothing of the rest of the plan (it is pickled)."""

    page_plan: PagePlan
    inline: tuple[Rect, ...]  # boxes of the page's inline images
    flatten_dpi: int | None
    words: tuple[PlacedWord, ...]  # released words, for flattening only


def page_jobs(plan: Plan, numbers: list[int], flatten_dpi: int | None) -> list[PageJob]:
    """One job per kept source page, in order."""
    doc = plan.document
    jobs = []
    for number in numbers:
        page_plan = plan.pages[number - 1]
        inline = tuple(doc.images[i].rect for i in doc.pages[number - 1].image_ids if not doc.images[i].xref)
        flattening = bool(flatten_dpi and page_plan.areas)
        words = tuple(released_words(plan, number)) if flattening else ()
        jobs.append(PageJob(page_plan, inline, flatten_dpi if flattening else None, words))
    return jobs


def written_pages(
    jobs: list[PageJob], src: Any, source_path: str, password: str | None, workers: int
) -> Generator[bytes, None, None]:
    """Each job's finished page as the bytes of a one-page PDF, in the jobs' order."""
    workers = max(1, min(workers, len(jobs) // CHUNK or 1))
    if workers == 1 or len(jobs) < parallel_from():
        for job in jobs:
            yield write_page(src, job)
        return
    with worker_pool(workers, _open, source_path, password) as pool:
        yield from ordered_map(pool, _write_in_worker, jobs, CHUNK, workers)


def write_page(src: Any, job: PageJob) -> bytes:
    """One kept page, removal done (and flattened if asked), as a one-page PDF."""
    with held():  # MuPDF calls back into Python while filtering (see redactor.interrupts)
        single = redacted_copy(src, job.page_plan, job.inline)
    try:
        if job.flatten_dpi:
            flatten_page(single, job.page_plan, list(job.words), job.flatten_dpi)
        return bytes(single.tobytes())
    finally:
        single.close()


def parallel_from() -> int:
    """The number of kept pages from which workers are started (read at each call: tests lower it)."""
    return PARALLEL_FROM


def default_workers() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


_SOURCE: Any = None  # a worker's open source document


def _open(source_path: str, password: str | None) -> None:
    from redactor.source.load import open_pdf

    global _SOURCE
    _SOURCE = open_pdf(source_path, password)


def _write_in_worker(job: PageJob) -> bytes:
    return write_page(_SOURCE, job)
