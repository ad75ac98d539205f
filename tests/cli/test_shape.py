"""One shape for every command: --version, -q and -v everywhere, SOURCE RULES positional, passwords."""

from __future__ import annotations

import json
from pathlib import Path

import pymupdf
import pytest
import typer

from redactor import __version__
from redactor.cli.app import app
from redactor.errors import ExitCode
from tests.cli.conftest import Case, run

DEPRECATED = "is deprecated and goes in the next release"


@pytest.fixture(autouse=True)
def in_case_folder(case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(case.folder)
    monkeypatch.delenv("REDACTOR_PASSWORD", raising=False)


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    first, engines = result.stdout.splitlines()
    assert first == f"redactor {__version__}"
    assert "PyMuPDF" in engines and "pikepdf" in engines and "pypdfium2" in engines


def test_every_command_takes_quiet_and_verbose() -> None:
    group = typer.main.get_command(app)
    commands = group.commands  # type: ignore[attr-defined]
    assert set(commands) >= {"apply", "cover", "verify", "inspect", "lint", "preview", "audit", "batch"}
    for name, command in commands.items():
        options = {opt for param in command.params for opt in param.opts}
        assert {"-q", "--quiet", "-v", "--verbose"} <= options, name


def test_the_old_options_are_hidden() -> None:
    for command in ("verify", "lint", "cover", "inspect"):
        help_text = run(command, "--help").stdout
        assert "--source" not in help_text and "--rules " not in help_text, command


# --------------------------------------------------------------------------- SOURCE RULES, and the old spelling


@pytest.fixture
def extract(case: Case) -> Path:
    result = run("apply", "source.pdf", "rules.yaml", "-o", "x.pdf", "-q")
    assert result.exit_code == 0, result.output
    return case.folder / "x.pdf"


def test_verify_takes_source_rules_extract(extract: Path) -> None:
    result = run("verify", "source.pdf", "rules.yaml", "x.pdf", "--json", "-q")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["leaks"] == 0
    assert result.stderr == ""


def test_verify_still_takes_the_old_options_with_a_note(extract: Path) -> None:
    result = run("verify", "x.pdf", "--source", "source.pdf", "--rules", "rules.yaml", "--json", "-q")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["leaks"] == 0
    assert f"warning: --source {DEPRECATED}" in result.stderr and f"warning: --rules {DEPRECATED}" in result.stderr
    assert "`redactor verify SOURCE RULES EXTRACT`" in result.stderr


@pytest.mark.parametrize(
    ("args", "note"),
    [
        (("lint", "rules.yaml"), False),
        (("lint", "source.pdf", "rules.yaml"), False),
        (("lint", "rules.yaml", "--source", "source.pdf"), True),
    ],
)
def test_lint_takes_an_optional_source_first(args: tuple[str, ...], note: bool) -> None:
    result = run(*args, "-q")
    assert result.exit_code == ExitCode.CHECK_FAILED, result.output  # the test rules leave a reason uncited
    assert "the reason 'sec' is defined but no rule cites it" in result.stdout
    assert (DEPRECATED in result.stderr) is note


def test_inspect_takes_rules_second(case: Case) -> None:
    new = run("inspect", "source.pdf", "rules.yaml", "--json", "-q")
    old = run("inspect", "source.pdf", "--rules", "rules.yaml", "--json", "-q")
    assert new.exit_code == old.exit_code == 0, new.output + old.output
    assert new.stdout == old.stdout
    assert DEPRECATED in old.stderr and DEPRECATED not in new.stderr


def test_cover_takes_an_optional_source_first(case: Case) -> None:
    new = run("cover", "source.pdf", "rules.yaml", "-o", "new.pdf", "-q")
    old = run("cover", "rules.yaml", "--source", "source.pdf", "-o", "old.pdf", "-q")
    assert new.exit_code == old.exit_code == 0, new.output + old.output
    assert (case.folder / "new.pdf").read_bytes() == (case.folder / "old.pdf").read_bytes()
    assert run("cover", "rules.yaml", "-o", "alone.pdf", "-q").exit_code == 0


@pytest.mark.parametrize(
    "args",
    [
        ("verify", "source.pdf", "rules.yaml", "x.pdf", "extra.pdf"),
        ("verify", "x.pdf", "source.pdf", "--source", "source.pdf", "--rules", "rules.yaml"),
        ("lint", "source.pdf", "rules.yaml", "--source", "source.pdf"),
        ("inspect", "source.pdf", "rules.yaml", "more.yaml"),
    ],
)
def test_a_wrong_number_of_paths_is_a_usage_error(no_loading: None, args: tuple[str, ...]) -> None:
    result = run(*args, "-q")
    assert result.exit_code == ExitCode.BAD_INPUT, result.output
    assert "Hint: write `redactor " in result.stderr


# --------------------------------------------------------------------------- passwords


@pytest.fixture
def encrypted(case: Case) -> Path:
    with pymupdf.open(case.source) as doc:
        doc.save(case.folder / "enc.pdf", encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="pw", owner_pw="owner")
    (case.folder / "right.txt").write_text("pw\nthe second line is not read\n")
    (case.folder / "wrong.txt").write_text("nope\n")
    (case.folder / "crlf.txt").write_bytes(b"pw\r\n")
    return case.folder / "enc.pdf"


@pytest.mark.parametrize(
    ("args", "variable", "code"),
    [
        ((), "pw", ExitCode.OK),
        ((), None, ExitCode.ENCRYPTED),
        ((), "nope", ExitCode.ENCRYPTED),
        (("--password-file", "right.txt"), None, ExitCode.OK),
        (("--password-file", "crlf.txt"), None, ExitCode.OK),
        (("--password-file", "right.txt"), "nope", ExitCode.OK),  # the file before the variable
        (("--password-file", "wrong.txt"), "pw", ExitCode.ENCRYPTED),
        (("--password", "pw", "--password-file", "wrong.txt"), "nope", ExitCode.OK),  # --password first
        (("--password", "nope", "--password-file", "right.txt"), "pw", ExitCode.ENCRYPTED),
        (("--password-file", "missing.txt"), "pw", ExitCode.BAD_INPUT),
    ],
)
def test_password_sources_and_their_precedence(
    encrypted: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
    variable: str | None,
    code: ExitCode,
) -> None:
    if variable is not None:
        monkeypatch.setenv("REDACTOR_PASSWORD", variable)
    result = run("audit", "enc.pdf", "rules.yaml", "-q", *args)
    assert result.exit_code == code, result.output
