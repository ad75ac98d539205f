"""``redactor batch``: several documents, a failing one, resume, parallel workers, bad manifests."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pymupdf
import pytest

from redactor.batch import state_path
from tests.builders import write_rules
from tests.cli.batch_cases import RELEASE, batch_document, run_batch_command

BROKEN = "- id: broken\n  release: {nosuchkey: 1}\n"


@pytest.fixture
def batch_dir(tmp_path: Path) -> Path:
    for tag in ("A", "B", "C"):
        batch_document(tmp_path / f"doc{tag}.pdf", tag)
    write_rules(tmp_path, RELEASE, "good.yaml")
    write_rules(tmp_path, BROKEN, "bad.yaml")
    (tmp_path / "jobs.csv").write_text(
        "source,rules,output\n"
        "docA.pdf,good.yaml,out/docA-ext1.pdf\n"
        "docB.pdf,bad.yaml,out/docB-ext1.pdf\n"
        "docC.pdf,good.yaml,out/docC-ext1.pdf\n",
        encoding="utf-8",
    )
    return tmp_path


def test_failure_is_reported_and_the_rest_goes_on(batch_dir: Path) -> None:
    result = run_batch_command(str(batch_dir / "jobs.csv"), "-q")
    assert result.exit_code == 1, result.output
    assert (batch_dir / "out/docA-ext1.pdf").is_file(), result.output
    assert (batch_dir / "out/docC-ext1.pdf").is_file()
    assert not (batch_dir / "out/docB-ext1.pdf").exists()
    assert "bad.yaml" in result.output and "failed" in result.output
    with pymupdf.open(batch_dir / "out/docA-ext1.pdf") as extract:
        text = "".join(page.get_text() for page in extract)
    assert "Public paragraph" in text and "SECRETAX" not in text
    state = json.loads(state_path(batch_dir / "jobs.csv").read_text())
    assert len(state["documents"]) == 2

    again = run_batch_command(str(batch_dir / "jobs.csv"), "-q")
    assert again.exit_code == 1
    assert again.output.count("skipped") >= 2
    assert "2 skipped, 1 failed" in again.output


def test_changed_rules_are_released_again(batch_dir: Path) -> None:
    manifest = batch_dir / "jobs.csv"
    manifest.write_text("source,rules,output\ndocA.pdf,good.yaml,out/a.pdf\n", encoding="utf-8")
    assert run_batch_command(str(manifest), "-q").exit_code == 0
    assert "1 skipped" in run_batch_command(str(manifest), "-q").output
    rules = batch_dir / "good.yaml"
    rules.write_text(rules.read_text() + "# reviewed again\n", encoding="utf-8")
    assert "1 ok, 0 skipped" in run_batch_command(str(manifest), "-q").output
    (batch_dir / "out/a.pdf").unlink()
    assert "1 ok, 0 skipped" in run_batch_command(str(manifest), "-q").output


def test_parallel_workers_with_a_yaml_manifest(batch_dir: Path) -> None:
    manifest = batch_dir / "jobs.yaml"
    manifest.write_text(
        "".join(f"- {{source: doc{t}.pdf, rules: good.yaml, output: par/doc{t}.pdf}}\n" for t in "ABC"),
        encoding="utf-8",
    )
    result = run_batch_command(str(manifest), "--jobs", "2", "-q")
    assert result.exit_code == 0, result.output
    assert all((batch_dir / f"par/doc{t}.pdf").is_file() for t in "ABC")
    assert "3 ok, 0 skipped, 0 failed" in result.output


@pytest.mark.parametrize(
    ("name", "content", "where"),
    [
        ("bad.csv", "source,rules,destination\na.pdf,r.yaml,o.pdf\n", "bad.csv:1"),
        ("short.csv", "source,rules,output\na.pdf,r.yaml\n", "short.csv:2"),
        ("bad.yaml", "- {source: a.pdf, rules: r.yaml}\n", "bad.yaml:1"),
        ("notalist.yaml", "source: a.pdf\n", "notalist.yaml:1"),
        ("dup.csv", "source,rules,output\na.pdf,r.yaml,o.pdf\nb.pdf,r.yaml,o.pdf\n", "dup.csv:3"),
    ],
)
def test_bad_manifest_is_exit_2(tmp_path: Path, name: str, content: str, where: str) -> None:
    (tmp_path / name).write_text(content, encoding="utf-8")
    result = run_batch_command(str(tmp_path / name), "-q")
    assert result.exit_code == 2, result.output
    assert where in result.output


def test_missing_manifest_is_exit_3(tmp_path: Path) -> None:
    result = run_batch_command(str(tmp_path / "nothing.csv"))
    assert result.exit_code == 3
    assert "does not exist" in result.output


def test_progress_counts_documents_and_pages(batch_dir: Path) -> None:
    """One line for the documents, one for their pages; a failed document's pages count as done."""
    from rich.console import Console

    from redactor.batch import run_batch
    from redactor.cli.display import Talk, phases

    for tag in ("A", "C"):  # documents of 1 and 3 pages
        doc = pymupdf.open(batch_dir / f"doc{tag}.pdf")
        for _ in range(2 if tag == "C" else 0):
            doc.new_page()
        doc.save(batch_dir / f"doc{tag}.pdf", incremental=True, encryption=0)
        doc.close()
    console = Console(file=io.StringIO(), force_terminal=True, width=140)
    counted: list[int] = []
    with phases(Talk(verbose=True), console) as display:

        def pages(total: int) -> Callable[[int], None]:
            counted.append(total)
            advance = display.counter("pages", total, "pages")
            return lambda steps: (counted.append(steps), advance(steps))[-1]

        run_batch(batch_dir / "jobs.csv", advance=display.phase("releasing", 3, "documents"), count_pages=pages)
    assert counted[0] == 1 + 1 + 3 and sorted(counted[1:]) == [1, 1, 3]
    drawn = console.file.getvalue()  # type: ignore[attr-defined]
    assert "releasing: 3 of 3 documents" in drawn and "pages: 5 of 5 pages" in drawn
