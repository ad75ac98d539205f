"""What the workstation tests share: the small review source, and a session on a copy of its rules."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from redactor.workstation.session import Session
from tests.review_fixtures import build_source
from tests.workstation.helpers import COMMENTED


@pytest.fixture(scope="session")
def review_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_source(tmp_path_factory.mktemp("review-source") / "source.pdf")


@pytest.fixture
def session(review_source: Path, tmp_path: Path) -> Iterator[Session]:
    rules = tmp_path / "rules.yaml"
    rules.write_text(COMMENTED, encoding="utf-8")
    opened = Session.open(review_source, rules, tmp_path / "extract.pdf", lint_in_process=False)
    yield opened
    opened.close()
