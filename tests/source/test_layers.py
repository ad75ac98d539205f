"""Optional-content layers: a configuration MuPDF cannot switch is read as it is, not a crash."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pymupdf
import pytest

from redactor.source import load


def _layered(path: Path) -> Path:
    doc = pymupdf.open()
    page = doc.new_page()
    hidden = doc.add_ocg("Hidden notes", on=False)
    page.insert_text((72, 100), "Visible paragraph text.", fontsize=11)
    page.insert_text((72, 200), "Hidden layer paragraph.", fontsize=11, oc=hidden)
    doc.save(path)
    return path


def test_a_configuration_that_cannot_be_switched_is_read_as_it_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(self: Any, *args: Any, **kwargs: Any) -> None:
        raise ValueError("bad config number")

    monkeypatch.setattr(pymupdf.Document, "set_layer", refuse)
    document = load.load_document(_layered(tmp_path / "layers.pdf"))
    assert "Visible paragraph text." in [b.text for b in document.blocks]
