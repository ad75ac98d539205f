from __future__ import annotations

from pathlib import Path

import pytest

from tests.builders import build_document


@pytest.fixture(scope="session")
def source_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_document(tmp_path_factory.mktemp("src") / "source.pdf")
