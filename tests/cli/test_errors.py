"""Bad rule files and sources: a one-paragraph message naming file:line:col and a hint, its exit code, no output."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest
from typer.testing import CliRunner

from redactor.cli.app import app
from tests.builders import RULES_HEAD, rules_text

runner = CliRunner()


def run_apply(source: Path, rules_body: str, tmp_path: Path, head: str = RULES_HEAD, extra: list[str] | None = None):
    rules = tmp_path / "rules.yaml"
    rules.write_text(rules_body if rules_body.startswith("version") else rules_text(rules_body, head))
    out = tmp_path / "out.pdf"
    result = runner.invoke(app, ["apply", str(source), str(rules), "-o", str(out), "-q", *(extra or [])])
    return result, out


ERRORS = [
    # rules body, expected substrings (message), expected line
    ("- {id: a, relase: {pages: '1'}}", ["unknown key 'relase'", "did you mean 'release'"], 10),
    ("- {id: a, release: {pages: '1'}, withhold: {pages: '2'}}", ["both release and withhold"], 10),
    ("- {id: a}", ["none of release, withhold, condense"], 10),
    ("- {id: a, release: {pages: '1'}}\n- {id: a, release: {pages: '2'}}", ["'a' is used twice"], 11),
    ("- {id: a, release: {block: '(unclosed'}}", ["not a valid regular expression"], 10),
    ("- {id: a, release: {pages: '99'}}", ["beyond the document's 6 pages"], 10),
    ("- {id: a, release: {pages: '3-1'}}", ["runs backwards"], 10),
    ("- {id: a, withhold: {block: 'x'}, reason: secc}", ["cites the reason 'secc'", "did you mean 'sec'"], 10),
    ("- {id: a, release: {block: '^Nothing like this'}}", ["matches nothing", "closest"], 10),
    ("- {id: a, release: {section: '^2\\. Operatoins'}}", ["matches nothing", "2. Operations"], 10),
    ("- {id: a, release: {region: [0, 0, 10, 10]}}", ["region without pages"], 10),
    ("- {id: a, release: {to: 'x'}}", ["to without from"], 10),
]


@pytest.mark.parametrize(("body", "messages", "line"), ERRORS)
def test_rule_errors(source_pdf: Path, tmp_path: Path, body: str, messages: list[str], line: int) -> None:
    result, out = run_apply(source_pdf, body, tmp_path)
    assert result.exit_code == 2, result.output
    for message in messages:
        assert message in result.output
    assert f"rules.yaml:{line}:" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()
    assert list(tmp_path.glob("*.part")) == []


def test_optional_rule_may_match_nothing(source_pdf: Path, tmp_path: Path) -> None:
    result, out = run_apply(
        source_pdf, "- {id: p, release: {pages: '1'}}\n- {id: a, release: {block: 'zzz'}, optional: true}", tmp_path
    )
    assert result.exit_code == 0, result.output
    assert out.exists()


def test_yaml_syntax_error_has_position(source_pdf: Path, tmp_path: Path) -> None:
    result, out = run_apply(source_pdf, RULES_HEAD + "rules:\n  - id: a\n    release: {pages: '1'\n", tmp_path)
    assert result.exit_code == 2
    assert "not valid YAML" in result.output and "rules.yaml:" in result.output
    assert not out.exists()


def test_missing_required_field_names_line(source_pdf: Path, tmp_path: Path) -> None:
    head = RULES_HEAD.replace('subject: "Test"', 'subjet: "Test"')
    result, out = run_apply(source_pdf, "- {id: p, release: {pages: '1'}}", tmp_path, head=head)
    assert result.exit_code == 2
    assert "rules.yaml:2:" in result.output
    assert not out.exists()


def test_default_release_is_refused(source_pdf: Path, tmp_path: Path) -> None:
    result, _ = run_apply(
        source_pdf, "- {id: p, release: {pages: '1'}}", tmp_path, head=RULES_HEAD + "default: release\n"
    )
    assert result.exit_code == 2 and "'default' can only be 'withhold'" in result.output


def test_not_a_pdf(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"this is not a pdf at all")
    result, out = run_apply(bad, "- {id: p, release: {pages: '1'}}", tmp_path)
    assert result.exit_code == 3 and "bad.pdf" in result.output and not out.exists()


def test_missing_source(tmp_path: Path) -> None:
    result, out = run_apply(tmp_path / "nope.pdf", "- {id: p, release: {pages: '1'}}", tmp_path)
    assert result.exit_code == 3 and "does not exist" in result.output and not out.exists()


def test_encrypted_source_needs_password(source_pdf: Path, tmp_path: Path) -> None:
    doc = pymupdf.open(source_pdf)
    enc = tmp_path / "enc.pdf"
    doc.save(enc, encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="pw", owner_pw="owner")
    result, out = run_apply(enc, "- {id: p, release: {pages: '1'}}", tmp_path)
    assert result.exit_code == 5 and "encrypted" in result.output and "--password" in result.output
    assert not out.exists()
    result, out = run_apply(enc, "- {id: p, release: {pages: '1'}}", tmp_path, extra=["--password", "wrong"])
    assert result.exit_code == 5 and "password given does not open it" in result.output
    result, out = run_apply(enc, "- {id: p, release: {pages: '1'}}", tmp_path, extra=["--password", "pw"])
    assert result.exit_code == 0, result.output
    assert out.exists()


def test_textless_page_needs_region_rules(tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = doc.new_page()
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 20, 20), False)
    page.insert_image(pymupdf.Rect(50, 50, 500, 700), pixmap=pix)
    doc.save(tmp_path / "scan.pdf")
    result, out = run_apply(tmp_path / "scan.pdf", "- {id: a, release: {pages: '1', block: 'x'}}", tmp_path)
    assert result.exit_code == 2 and "page 1 has no text layer" in result.output and "OCR" in result.output
    assert not out.exists()


def test_failing_run_keeps_the_old_output(source_pdf: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.pdf"
    out.write_bytes(b"previous good extract")
    result, _ = run_apply(source_pdf, "- {id: a, release: {block: '^nothing'}}", tmp_path)
    assert result.exit_code == 2
    assert out.read_bytes() == b"previous good extract"
