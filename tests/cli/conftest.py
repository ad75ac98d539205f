"""What the CLI tests share: a folder holding a source and its rule file, and the app run in-process."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from redactor.cli.app import app
from tests.builders import write_rules

#: A rule file for the test document: its first page released.
RELEASE_PAGE_1 = "- {id: p, release: {pages: '1'}}"


@dataclass(frozen=True)
class Case:
    """A folder with ``source.pdf`` and ``rules.yaml``; what else a command leaves there is its outputs."""

    folder: Path
    source: Path
    rules: Path

    def files(self) -> set[str]:
        """Every file in the folder, hidden ones (temporary files) included, relative to it."""
        return {str(p.relative_to(self.folder)) for p in self.folder.rglob("*") if p.is_file()}

    def leftovers(self) -> set[str]:
        """The files besides the source and the rule file."""
        return self.files() - {"source.pdf", "rules.yaml"}


@pytest.fixture
def case(source_pdf: Path, tmp_path: Path) -> Case:
    folder = tmp_path / "case"
    folder.mkdir()
    source = folder / "source.pdf"
    shutil.copyfile(source_pdf, source)
    return Case(folder, source, write_rules(folder, RELEASE_PAGE_1))


@pytest.fixture
def no_loading(monkeypatch: pytest.MonkeyPatch) -> None:
    """Opening the source fails the command with exit 70: a test expecting 2, 3 or 4 proves it never got there."""

    def opened(*args: object, **kwargs: object) -> None:
        raise AssertionError("the source was opened")

    for module in ("redactor.cli.release", "redactor.cli.review"):
        monkeypatch.setattr(f"{module}.make_plan", opened, raising=False)
        monkeypatch.setattr(f"{module}.load_document", opened, raising=False)
    monkeypatch.setattr("redactor.pipeline.make_plan", opened)


def run(*args: str | Path) -> Result:
    """``redactor ARGS`` in this process."""
    return CliRunner().invoke(app, [str(a) for a in args])
