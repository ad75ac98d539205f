"""The adversarial corpus through apply and verify.

For every case: apply writes an extract that verify finds clean and in which an
independent reader (pikepdf, pdfminer.six) finds no canary, while the released text
survives; and the box-only fake of the same case (black boxes, nothing removed) is caught.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from redactor.cli.app import app
from tests.adversarial.corpus import cached_cases, get_case
from tests.adversarial.fake_redaction import box_only
from tests.adversarial.leakcheck import find_leaks, normalise, page_texts

runner = CliRunner()
NAMES = [c.name for c in cached_cases()]


def _write(tmp_path: Path, name: str) -> tuple[Path, Path]:
    case = get_case(name)
    source = tmp_path / f"{name}.pdf"
    source.write_bytes(case.pdf_bytes)
    rules = tmp_path / f"{name}.yaml"
    rules.write_text(case.rules_yaml)
    return source, rules


@pytest.mark.parametrize("name", NAMES)
def test_apply_removes_every_canary(tmp_path: Path, name: str) -> None:
    case = get_case(name)
    source, rules = _write(tmp_path, name)
    out = tmp_path / "out.pdf"
    result = runner.invoke(app, ["apply", str(source), str(rules), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert find_leaks(data, case) == []
    text = normalise(" ".join(page_texts(data)))
    for released in case.released:
        assert normalise(released) in text, released
    check = runner.invoke(app, ["verify", str(out), "--source", str(source), "--rules", str(rules)])
    assert check.exit_code == 0, check.output


@pytest.mark.parametrize("name", NAMES)
def test_box_only_fake_is_caught(tmp_path: Path, name: str) -> None:
    case = get_case(name)
    source, rules = _write(tmp_path, name)
    fake = tmp_path / "fake.pdf"
    fake.write_bytes(box_only(case.pdf_bytes, case.withheld_rects))
    check = runner.invoke(app, ["verify", str(fake), "--source", str(source), "--rules", str(rules)])
    assert check.exit_code == 1, check.output
    assert "LEAK" in check.output
