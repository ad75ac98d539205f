"""``redactor batch --scheduler``: the documents run on a Dask cluster (a LocalCluster of two worker processes)."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pypdfium2
import pytest

from redactor import batch_dask
from redactor.batch import state_path
from tests.builders import write_rules
from tests.cli.batch_cases import RELEASE, batch_document, run_batch_command

GOOD = "ABC"


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """Two worker processes of one thread each, as ``dask worker --nthreads 1`` would start on two machines."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        yield cluster.scheduler_address


def _text(pdf: Path) -> str:
    """The extract's text as PDFium reads it: another engine than the one that wrote it."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        return "".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


@pytest.fixture
def manifest(tmp_path: Path) -> Path:
    for tag in GOOD:
        batch_document(tmp_path / f"doc{tag}.pdf", tag)
    (tmp_path / "docD.pdf").write_bytes(b"%PDF-1.7\nthis is no PDF at all\n")
    write_rules(tmp_path, RELEASE, "good.yaml")
    rows = [f"doc{tag}.pdf,good.yaml,out/doc{tag}-ext1.pdf" for tag in GOOD + "D"]
    path = tmp_path / "jobs.csv"
    path.write_text("source,rules,output\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_documents_run_on_the_cluster_and_a_rerun_skips_them(manifest: Path, scheduler: str) -> None:
    out = manifest.parent / "out"
    result = run_batch_command(str(manifest), "--scheduler", scheduler, "-q")
    assert result.exit_code == 1, result.output
    assert "3 ok, 0 skipped, 1 failed" in result.output
    assert "docD.pdf (manifest line 5)" in result.output
    for tag in GOOD:
        text = _text(out / f"doc{tag}-ext1.pdf")
        assert f"Public paragraph released for file {tag}{tag}{tag}" in text
        assert f"SECRET{tag}X" not in text
    assert not (out / "docD-ext1.pdf").exists()
    state = json.loads(state_path(manifest).read_text(encoding="utf-8"))["documents"]
    assert sorted(Path(key).name for key in state) == [f"doc{tag}-ext1.pdf" for tag in GOOD]

    written = {tag: os.stat(out / f"doc{tag}-ext1.pdf").st_mtime_ns for tag in GOOD}
    again = run_batch_command(str(manifest), "--scheduler", scheduler, "-q")
    assert again.exit_code == 1, again.output
    assert "0 ok, 3 skipped, 1 failed" in again.output
    assert written == {tag: os.stat(out / f"doc{tag}-ext1.pdf").st_mtime_ns for tag in GOOD}

    batch_document(manifest.parent / "docD.pdf", "D")  # the broken document, mended: only it runs again
    mended = run_batch_command(str(manifest), "--scheduler", scheduler, "-q")
    assert mended.exit_code == 0, mended.output
    assert "1 ok, 3 skipped, 0 failed" in mended.output
    assert "SECRETDX" not in _text(out / "docD-ext1.pdf")


def test_a_local_cluster_started_for_the_batch(manifest: Path) -> None:
    manifest.write_text("source,rules,output\ndocA.pdf,good.yaml,local/docA.pdf\n", encoding="utf-8")
    result = run_batch_command(str(manifest), "--scheduler", "local:1", "-q")
    assert result.exit_code == 0, result.output
    assert "1 ok, 0 skipped, 0 failed" in result.output
    assert "Public paragraph" in _text(manifest.parent / "local/docA.pdf")


@pytest.mark.parametrize(
    ("address", "said"),
    [
        ("local:0", "is not a local cluster"),
        ("local:two", "is not a local cluster"),
        ("http://127.0.0.1:8786", "unknown address scheme 'http'"),
        ("scheduler-host", "missing port number"),
    ],
)
def test_a_bad_scheduler_address_is_exit_2(manifest: Path, address: str, said: str) -> None:
    result = run_batch_command(str(manifest), "--scheduler", address, "-q")
    assert result.exit_code == 2, result.output
    assert said in result.output and "local:N" in result.output
    assert not state_path(manifest).exists()


def test_an_unreachable_scheduler_is_exit_2(manifest: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch_dask, "CONNECT_TIMEOUT", 1.0)
    result = run_batch_command(str(manifest), "--scheduler", "tcp://127.0.0.1:9", "-q")
    assert result.exit_code == 2, result.output
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.output
    assert not state_path(manifest).exists()


def _exit_on(code: int) -> int:
    """Run on a worker: 0 comes back; anything else kills the worker process, as a crash in PDF code would.

    The crash comes a moment into the call, as in a document, so that the worker has told the
    scheduler about the calls it finished before (or they would be blamed as well).
    """
    if code:
        time.sleep(0.5)
        os._exit(code)
    return code


def test_a_dead_worker_fails_its_document_and_the_rest_go_on() -> None:
    import dask
    from distributed import LocalCluster

    # No retry: the crashing call fails at its first crash (Dask's default is 3 more tries).
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 0}),
        LocalCluster(n_workers=1, threads_per_worker=1, dashboard_address=None) as cluster,
    ):
        results = dict(batch_dask.run_on_cluster(cluster.scheduler_address, _exit_on, [(0,), (0,), (3,)]))
    assert results[0] == 0 and results[1] == 0
    assert type(results[2]).__name__ == "KilledWorker"


def test_a_scheduler_without_workers_is_exit_2(manifest: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from distributed import LocalCluster

    monkeypatch.setattr(batch_dask, "WORKER_TIMEOUT", 1.0)
    with LocalCluster(n_workers=0, dashboard_address=None) as empty:
        result = run_batch_command(str(manifest), "--scheduler", empty.scheduler_address, "-q")
    assert result.exit_code == 2, result.output
    assert "no worker joined the Dask scheduler" in result.output and "dask worker" in result.output


def test_workers_of_another_version_are_refused(
    manifest: Path, scheduler: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch_dask, "__version__", "0.0.0-other")
    result = run_batch_command(str(manifest), "--scheduler", scheduler, "-q")
    assert result.exit_code == 2, result.output
    assert "this client runs 0.0.0-other" in result.output
