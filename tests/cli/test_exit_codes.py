"""The exit-code table of docs/errors.md, one row at a time: each code, its message, and nothing written."""

from __future__ import annotations

import os
import re
import signal
from pathlib import Path

import pymupdf
import pytest

from redactor.errors import ExitCode
from tests.builders import write_rules
from tests.cli.conftest import Case, run

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "16014-12-add1-rev2.pdf"


@pytest.fixture(autouse=True)
def in_case_folder(case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(case.folder)


def _encrypted(case: Case) -> Path:
    with pymupdf.open(case.source) as doc:
        doc.save(case.folder / "enc.pdf", encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="pw", owner_pw="owner")
    return case.folder / "enc.pdf"


def test_the_table_lists_every_code() -> None:
    table = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    listed = {int(code) for code in re.findall(r"^\| (\d+) \|", table, re.MULTILINE)}
    assert listed == {int(code) for code in ExitCode}


def test_0_success(case: Case) -> None:
    result = run("apply", "source.pdf", "rules.yaml", "-o", "x.pdf", "-q")
    assert result.exit_code == ExitCode.OK, result.output
    assert case.leftovers() == {"x.pdf"}


def test_1_check_failed(case: Case) -> None:
    write_rules(case.folder, "- {id: p, release: {pages: '1'}}\n- {id: x, withhold: {block: 'zzz'}, optional: true}")
    result = run("lint", "source.pdf", "rules.yaml", "-q")
    assert result.exit_code == ExitCode.CHECK_FAILED, result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("apply", "source.pdf", "rules.yaml", "-o", "x.pdf", "-q", "-v"), "-q and -v ask for less and for more"),
        (("verify", "source.pdf", "rules.yaml"), "verify takes SOURCE RULES EXTRACT; 2 paths given."),
        (("verify", "x.pdf", "source.pdf", "rules.yaml"), "is given as RULES, the rule file (YAML)."),
        (("lint", "rules.yaml", "source.pdf"), "is given as SOURCE, a PDF."),
        (("apply", "source.pdf", "rules.yaml", "-o", "x.pdf", "--password-file", "none.txt"), "password file does not"),
        (
            ("apply", "source.pdf", "rules.yaml", "-o", "x.pdf", "--password-file", "empty.txt"),
            "password file is empty",
        ),
        (("apply", "source.pdf", "rules.yaml", "-o", "x.pdf", "--password-file", "."), "password file cannot be read"),
    ],
)
def test_2_bad_input(case: Case, no_loading: None, args: tuple[str, ...], message: str) -> None:
    (case.folder / "empty.txt").write_text("")
    result = run(*args)
    assert result.exit_code == ExitCode.BAD_INPUT, result.output
    assert message in result.stderr
    assert case.leftovers() == {"empty.txt"}


def test_2_bad_rules(case: Case) -> None:
    write_rules(case.folder, "- {id: a, relase: {pages: '1'}}", "bad.yaml")
    result = run("apply", "source.pdf", "bad.yaml", "-o", "x.pdf", "-q")
    assert result.exit_code == ExitCode.BAD_INPUT, result.output
    assert "bad.yaml:10:" in result.stderr and "unknown key 'relase'" in result.stderr
    assert case.leftovers() == {"bad.yaml"}


def _truncated(case: Case) -> Path:
    data = SAMPLE.read_bytes()
    (case.folder / "truncated.pdf").write_bytes(data[: int(len(data) * 0.6)])
    return case.folder / "truncated.pdf"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("apply", "nope.pdf", "rules.yaml", "-o", "x.pdf"), "nope.pdf: the source file does not exist."),
        (("apply", "source.pdf", "nope.yaml", "-o", "x.pdf"), "nope.yaml: the rule file does not exist."),
        (("apply", "folder", "rules.yaml", "-o", "x.pdf"), "folder: the source file is a folder."),
        (("verify", "source.pdf", "rules.yaml", "nope.pdf"), "nope.pdf: the extract file does not exist."),
        (("inspect", "nope.pdf"), "the source file does not exist."),
        (("lint", "nope.pdf", "rules.yaml"), "the source file does not exist."),
        (("cover", "nope.yaml", "-o", "c.pdf"), "the rule file does not exist."),
        (("apply", "text.pdf", "rules.yaml", "-o", "x.pdf"), "text.pdf: cannot be read as a PDF"),
        (("apply", "truncated.pdf", "rules.yaml", "-o", "x.pdf"), "truncated.pdf: is damaged"),
        (("verify", "source.pdf", "rules.yaml", "text.pdf"), "the extract cannot be read by PDFium"),
    ],
)
def test_3_input_unreadable_or_damaged(case: Case, args: tuple[str, ...], message: str) -> None:
    (case.folder / "folder").mkdir()
    (case.folder / "text.pdf").write_text("not a PDF at all")
    if "truncated.pdf" in args:
        _truncated(case)
    result = run(*args, "-q")
    assert result.exit_code == ExitCode.INPUT_UNREADABLE, result.output
    assert message in result.stderr
    assert "x.pdf" not in case.leftovers() and "c.pdf" not in case.leftovers()


def test_3_unreadable_rule_file(case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file this user may not read (mode 000 as an ordinary user; emulated, since the superuser reads all)."""
    case.rules.chmod(0)
    if os.geteuid() == 0:
        real = os.access
        monkeypatch.setattr(
            "redactor.cli.inputs.os.access",
            lambda path, mode: Path(path).resolve() != case.rules.resolve() and real(path, mode),
        )
    result = run("apply", "source.pdf", "rules.yaml", "-o", "x.pdf", "-q")
    assert result.exit_code == ExitCode.INPUT_UNREADABLE, result.output
    assert "the rule file cannot be read (permission denied)." in result.stderr


def test_4_output_not_writable(case: Case, no_loading: None) -> None:
    result = run("apply", "source.pdf", "rules.yaml", "-o", "nowhere/x.pdf", "-q")
    assert result.exit_code == ExitCode.OUTPUT_NOT_WRITABLE, result.output
    assert "the output folder does not exist (-o)." in result.stderr


@pytest.mark.parametrize(
    ("extra", "message"),
    [([], "is encrypted. Hint: give the password"), (["--password", "wrong"], "the password given does not open it")],
)
def test_5_encrypted(case: Case, extra: list[str], message: str) -> None:
    _encrypted(case)
    result = run("apply", "enc.pdf", "rules.yaml", "-o", "x.pdf", "-q", *extra)
    assert result.exit_code == ExitCode.ENCRYPTED, result.output
    assert message in result.stderr
    assert case.leftovers() == {"enc.pdf"}


def test_70_internal_error(case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr("redactor.cli.release.release", broken)
    monkeypatch.delenv("REDACTOR_DEBUG", raising=False)
    result = run("apply", "source.pdf", "rules.yaml", "-o", "x.pdf", "-q")
    assert result.exit_code == ExitCode.INTERNAL, result.output
    assert "internal error (ZeroDivisionError); no output was written." in result.stderr
    assert "report it" in result.stderr and "a bug" not in result.output
    assert case.leftovers() == set()


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_130_and_143_in_process(case: Case, monkeypatch: pytest.MonkeyPatch, signum: int, code: int) -> None:
    """The handler the command installs turns the signal into its code (the subprocess tests: test_interrupt)."""

    def signalled(*args: object, **kwargs: object) -> None:
        os.kill(os.getpid(), signum)

    monkeypatch.setattr("redactor.cli.release.release", signalled)
    before = signal.getsignal(signum)
    result = run("apply", "source.pdf", "rules.yaml", "-o", "x.pdf", "-q")
    assert result.exit_code == code, result.output
    assert "interrupted; no output was written." in result.stderr
    assert signal.getsignal(signum) is before  # the command's handler is gone again
    assert case.leftovers() == set()
