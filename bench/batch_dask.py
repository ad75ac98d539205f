"""Batch throughput on a Dask cluster: documents per second with 1 and 2 workers.

    python bench/batch_dask.py [--docs 100] [--pages 20] [--workers 1,2] [--no-local]

The documents are the generated sources of ``bench/run.py`` (cached in ``bench/out/``), all
released with the same rule file and verified. Each measurement starts a ``LocalCluster`` of
N worker processes with one thread each (as ``dask worker --nthreads 1`` would), loads
redactor on the workers, then times ``run_batch(..., scheduler=ADDRESS)`` from an empty state
file: cluster start-up is left out, as a cluster outlives the batches it runs. For
comparison, the same manifest is also run in N local processes (``--jobs N``) unless
``--no-local``. Results are printed and written to ``bench/out/batch_dask.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from run import OUT, batch_manifest  # noqa: E402  (bench/run.py: the generator and its cache)


def _load_redactor() -> None:
    """Run on every worker before the clock starts: the first document should not pay for imports."""
    import redactor.batch  # noqa: F401


def _timed(manifest: Path, jobs: int, scheduler: str | None) -> float:
    from redactor.batch import run_batch, state_path

    state_path(manifest).unlink(missing_ok=True)
    start = time.perf_counter()
    outcomes = run_batch(manifest, jobs=jobs, verify=True, scheduler=scheduler)
    seconds = time.perf_counter() - start
    failed = [o for o in outcomes if o.status != "ok"]
    if failed:
        raise SystemExit(f"{len(failed)} document(s) not released: {failed[0].message}")
    return seconds


def on_cluster(manifest: Path, workers: int) -> float:
    """Seconds for the manifest on a LocalCluster of ``workers`` single-threaded processes."""
    from distributed import Client, LocalCluster

    with (
        LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        client.run(_load_redactor)
        return _timed(manifest, workers, cluster.scheduler_address)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=100)
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--workers", default="1,2", help="worker counts, comma-separated")
    parser.add_argument("--no-local", action="store_true", help="skip the local-process comparison")
    args = parser.parse_args()

    manifest = batch_manifest(args.docs, args.pages)
    rows: list[dict[str, object]] = []
    for workers in (int(n) for n in args.workers.split(",")):
        kinds = [("dask", True)] + ([] if args.no_local else [("local", False)])
        for kind, dask in kinds:
            seconds = on_cluster(manifest, workers) if dask else _timed(manifest, workers, None)
            load = os.getloadavg()[0]  # other work on the machine slows every figure: say how much there was
            row = {
                "executor": kind,
                "workers": workers,
                "documents": args.docs,
                "pages": args.pages,
                "seconds": round(seconds, 2),
                "docs_per_s": round(args.docs / seconds, 2),
                "pages_per_s": round(args.docs * args.pages / seconds, 1),
                "load_1min": round(load, 2),
            }
            rows.append(row)
            print(
                f"{kind:5} {workers} worker(s): {args.docs} documents x {args.pages} pages in {seconds:.1f} s, "
                f"{row['docs_per_s']} documents/s (load {load:.1f})",
                flush=True,
            )
    machine = {"cpus": os.cpu_count(), "python": platform.python_version(), "machine": platform.machine()}
    (OUT / "batch_dask.json").write_text(json.dumps({"machine": machine, "rows": rows}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
