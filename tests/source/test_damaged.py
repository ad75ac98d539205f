"""A truncated source is refused with the pages it lost, never released half-blank."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from redactor.cli.app import app

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "16014-12-add1-rev2.pdf"
RULES = ROOT / "rules" / "16014-12-ext1.yaml"


def test_truncated_source_is_refused_naming_the_lost_pages(tmp_path: Path) -> None:
    data = SAMPLE.read_bytes()
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(data[: int(len(data) * 0.6)])
    out = tmp_path / "out.pdf"
    result = CliRunner().invoke(app, ["apply", str(truncated), str(RULES), "-o", str(out), "-q"])
    assert result.exit_code == 3, result.output
    assert "is damaged" in result.output and "pages 72-115" in result.output
    assert str(truncated) in result.output
    assert not out.exists()


def test_the_whole_sample_is_not_damaged(tmp_path: Path) -> None:
    out = tmp_path / "out.pdf"
    result = CliRunner().invoke(app, ["apply", str(SAMPLE), str(RULES), "-o", str(out), "-q", "--no-verify"])
    assert result.exit_code == 0, result.output
