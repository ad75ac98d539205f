"""Pages read in worker processes give the very same document model as read here."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from redactor.source import load
from redactor.source.model import Document

SAMPLE = Path(__file__).parents[2] / "samples" / "16014-12-add1-rev2.pdf"


def _boxes(document: Document) -> list[tuple[float, float, float, float]]:
    return [w.rect.as_tuple() for w in document.words]


def test_the_model_is_the_same_whatever_the_number_of_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load, "PARALLEL_FROM", 10)
    monkeypatch.setattr(load, "CHUNK", 7)  # chunks that do not divide the 115 pages
    reported: list[int] = []

    def phase(name: str, total: int) -> Callable[[int], None]:
        return reported.append

    here = load.load_document(SAMPLE)
    there = load.load_document(SAMPLE, phase=phase, jobs=2)

    assert sum(reported) == here.page_count == there.page_count
    assert there.words == here.words and _boxes(there) == _boxes(here)
    assert there.lines == here.lines and there.blocks == here.blocks
    assert there.pages == here.pages and there.images == here.images and there.drawings == here.drawings
    assert there.body_size == here.body_size and there.fingerprint == here.fingerprint
    assert any(b.furniture for b in there.blocks)  # running headers found across the chunks


def test_a_repaired_source_is_read_here(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Workers open the file itself: a source read from qpdf's rewrite is never sent to them."""
    monkeypatch.setattr(load, "PARALLEL_FROM", 1)
    called: list[str] = []
    monkeypatch.setattr(load, "_read_in_workers", lambda *a: called.append("workers") or iter(()))
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(SAMPLE.read_bytes().replace(b"startxref", b"startxreF"))
    document = load.load_document(damaged, jobs=2)
    assert document.repairs and document.page_count == 115 and called == []
