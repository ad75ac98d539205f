"""The documents of a batch run on a Dask distributed cluster instead of local worker processes.

A module of its own for two reasons. ``dask.distributed`` is heavy to import, so only a batch
given ``--scheduler`` pays for it. And the batch's bookkeeping (manifest, state file,
outcomes) stays in one place, :mod:`redactor.batch`, whichever executor ran the documents:
this module only gets calls done on a cluster and hands their results back as they complete.

Workers on other machines open the very paths the manifest names and write the outputs
themselves, so every path must mean the same file on the client and on every worker (a
shared filesystem mounted at the same place); docs/batch.md says how to start a cluster.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from redactor import __version__
from redactor.errors import InputError

T = TypeVar("T")

#: ``--scheduler local:N`` starts a cluster of N worker processes on this machine.
LOCAL_PREFIX = "local:"
#: How long to wait for the scheduler to answer, and then for a first worker to join it.
CONNECT_TIMEOUT = 20.0
WORKER_TIMEOUT = 60.0

# PyMuPDF and PDFium keep global state and are not safe across threads; a worker started with
# several threads (``dask worker`` defaults to one per core) must still run one document at a time.
_ONE_DOCUMENT_AT_A_TIME = threading.Lock()


def run_on_cluster(
    scheduler: str, function: Callable[..., T], calls: Sequence[tuple[Any, ...]]
) -> Generator[tuple[int, T | Exception], None, None]:
    """Run ``function(*call)`` for every call on the cluster; yield (position in calls, result) as each completes.

    A call whose worker died (or was lost with the scheduler) yields the exception instead of a
    result, so one document's crash never stops the others. Closing the iterator early (an error
    or an interrupt in the caller) cancels what has not started yet.
    """
    with _client(scheduler) as client:
        from distributed import as_completed

        futures = {
            client.submit(_alone, function, *call, key=f"{function.__name__}-{uuid.uuid4().hex}", pure=False): position
            for position, call in enumerate(calls)
        }
        try:
            for future in as_completed(futures, loop=client.loop):
                yield futures[future], _result(future)
                future.release()
        finally:
            client.cancel(list(futures))


def _alone(function: Callable[..., T], *args: Any) -> T:
    """Run on a worker: one document per worker process at a time, whatever its thread count."""
    with _ONE_DOCUMENT_AT_A_TIME:
        return function(*args)


def _result(future: Any) -> Any:
    try:
        return future.result()
    except Exception as error:  # the worker died (crash, out of memory) or the scheduler went away
        return error


@contextmanager
def _client(scheduler: str) -> Iterator[Any]:
    """A client of the scheduler at ``scheduler``, or of a cluster started here for ``local:N``."""
    from distributed import Client, LocalCluster

    workers = _local_workers(scheduler)
    if workers is not None:
        # Its own workers' chatter (cancelled tasks on an interrupt, say) is not the user's business: errors only.
        local = {"threads_per_worker": 1, "processes": True, "dashboard_address": None, "silence_logs": logging.ERROR}
        with LocalCluster(n_workers=workers, **local) as cluster, Client(cluster, set_as_default=False) as client:
            yield client
        return
    _check_address(scheduler)
    try:
        client = Client(scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, ValueError) as error:
        raise InputError(
            f"cannot reach the Dask scheduler at {scheduler} ({error}).",
            hint="start one with `dask scheduler` and give its address, e.g. tcp://HOST:8786.",
        ) from None
    with client:
        _wait_for_workers(client, scheduler)
        _check_versions(client, scheduler)
        yield client


def _local_workers(scheduler: str) -> int | None:
    """N for ``local:N``; None for the address of a running scheduler."""
    if not scheduler.startswith(LOCAL_PREFIX):
        return None
    count = scheduler[len(LOCAL_PREFIX) :]
    if not count.isdigit() or int(count) < 1:
        raise InputError(f"`{scheduler}` is not a local cluster.", hint="write local:N, N worker processes (N >= 1).")
    return int(count)


def _check_address(scheduler: str) -> None:
    """Refuse a malformed address before a client exists: a client that fails on one hangs the exit for 40 s."""
    from distributed.comm.addressing import get_address_host_port

    try:
        get_address_host_port(scheduler)
    except ValueError as error:
        raise InputError(
            f"`{scheduler}` is not the address of a Dask scheduler ({error}).",
            hint="write tcp://HOST:PORT (Dask's port is 8786), or local:N to start N worker processes here.",
        ) from None


def _wait_for_workers(client: Any, scheduler: str) -> None:
    """Fail rather than wait for ever on a scheduler no worker has joined."""
    try:
        client.wait_for_workers(1, timeout=WORKER_TIMEOUT)
    except TimeoutError:
        raise InputError(
            f"no worker joined the Dask scheduler at {scheduler} within {WORKER_TIMEOUT:.0f} s.",
            hint=f"start workers with `dask worker {scheduler} --nthreads 1`.",
        ) from None


def _check_versions(client: Any, scheduler: str) -> None:
    """Refuse workers that run another redactor: the state file records this client's version."""
    try:
        versions: dict[str, str] = client.run(_redactor_version)
    except Exception as error:  # a worker that cannot even import redactor
        raise InputError(
            f"the workers of {scheduler} cannot run redactor ({type(error).__name__}: {error}).",
            hint="install the same redactor on every worker.",
        ) from None
    other = {worker: version for worker, version in versions.items() if version != __version__}
    if other:
        worker, version = sorted(other.items())[0]
        raise InputError(
            f"the worker {worker} of {scheduler} runs redactor {version}; this client runs {__version__}.",
            hint="install the same redactor on every worker.",
        )


def _redactor_version() -> str:
    """Run on every worker by :func:`_check_versions`."""
    from redactor import __version__ as version

    return version
