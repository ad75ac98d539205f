"""Outputs checked before any work, and committed all together or not at all, with the usual mode."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from redactor.errors import ExitCode, OutputError
from redactor.output import atomic
from redactor.output.atomic import commit, file_mode
from tests.cli.conftest import Case, run

APPLY = ("apply", "source.pdf", "rules.yaml", "-q")


@pytest.fixture(autouse=True)
def in_case_folder(case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(case.folder)


# --------------------------------------------------------------------------- clashes: exit 2, before any work


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((*APPLY, "-o", "source.pdf"), "-o is the source file: writing it would replace the source file."),
        ((*APPLY, "-o", "./sub/../source.pdf"), "-o is the source file"),
        ((*APPLY, "-o", "x.pdf", "--markdown", "rules.yaml"), "--markdown is the rule file"),
        ((*APPLY, "-o", "x.pdf", "--markdown", "x.pdf"), "--markdown and -o name the same file."),
        ((*APPLY, "-o", "x.pdf", "--html", "x.html", "--audit", "./x.html"), "--audit and --html name the same file."),
        ((*APPLY, "-o", "pw.txt", "--password-file", "pw.txt"), "-o is the password file"),
        (("preview", "source.pdf", "rules.yaml", "-o", "source.pdf"), "-o is the source file"),
        (("audit", "source.pdf", "rules.yaml", "-o", "rules.yaml"), "unknown audit format"),
        (("audit", "source.pdf", "rules.json", "-o", "rules.json"), "-o is the rule file"),
        (("cover", "rules.yaml", "-o", "rules.yaml"), "-o is the rule file"),
        (("cover", "source.pdf", "rules.yaml", "-o", "c.pdf", "--png", "c.pdf"), "--png and -o name the same file."),
        (
            ("inspect", "source.pdf", "rules.yaml", "--rules-skeleton", "rules.yaml"),
            "--rules-skeleton is the rule file",
        ),
    ],
)
def test_an_output_that_is_an_input_or_another_output_is_refused_at_once(
    case: Case, no_loading: None, args: tuple[str, ...], message: str
) -> None:
    (case.folder / "sub").mkdir()
    (case.folder / "pw.txt").write_text("pw\n")
    if "rules.json" in args:
        (case.folder / "rules.json").write_text((case.rules).read_text())
    before = {name: (case.folder / name).read_bytes() for name in case.files()}
    result = run(*args)
    assert result.exit_code == ExitCode.BAD_INPUT, result.output
    assert message in result.stderr
    assert {name: (case.folder / name).read_bytes() for name in case.files()} == before


def test_an_output_linked_to_the_source_is_the_source(case: Case, no_loading: None) -> None:
    """Another name for the same file: a symbolic link is resolved, a hard link is the same file."""
    os.symlink(case.source, case.folder / "soft.pdf")
    os.link(case.source, case.folder / "hard.pdf")
    for name in ("soft.pdf", "hard.pdf"):
        result = run(*APPLY, "-o", name)
        assert result.exit_code == ExitCode.BAD_INPUT, result.output
        assert "-o is the source file" in result.stderr


# --------------------------------------------------------------------------- not writable: exit 4, before any work


def test_an_audit_into_a_missing_folder_writes_nothing(case: Case, no_loading: None) -> None:
    result = run(*APPLY, "-o", "x.pdf", "--markdown", "x.md", "--audit", "nowhere/a.json")
    assert result.exit_code == ExitCode.OUTPUT_NOT_WRITABLE, result.output
    assert "nowhere/a.json: the output folder does not exist (--audit)." in result.stderr
    assert case.leftovers() == set()


def test_an_output_that_is_a_folder_is_refused(case: Case, no_loading: None) -> None:
    (case.folder / "out").mkdir()
    result = run(*APPLY, "-o", "out")
    assert result.exit_code == ExitCode.OUTPUT_NOT_WRITABLE, result.output
    assert "out: -o is a folder." in result.stderr


def _unwritable_folder(tmp_path: Path) -> Path:
    """A folder this process cannot create files in: read-only for an ordinary user, /sys for root."""
    if os.geteuid() != 0:
        folder = tmp_path / "locked"
        folder.mkdir()
        folder.chmod(0o555)
        return folder
    try:
        tempfile.TemporaryFile(dir="/sys").close()
    except OSError:
        return Path("/sys")
    pytest.skip("no folder here refuses the superuser")


def test_an_output_in_an_unwritable_folder_is_refused(case: Case, tmp_path: Path, no_loading: None) -> None:
    folder = _unwritable_folder(tmp_path)
    result = run(*APPLY, "-o", folder / "x.pdf")
    assert result.exit_code == ExitCode.OUTPUT_NOT_WRITABLE, result.output
    assert f"-o cannot be written in {folder} (" in result.stderr
    assert "internal error" not in result.stderr


def test_a_full_disk_at_commit_is_exit_4_and_leaves_nothing(case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    """The folder took the probe but the disk fills while writing: no output, no temporary file."""
    real_fsync = os.fsync

    def full(fd: int) -> None:
        real_fsync(fd)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(atomic.os, "fsync", full)
    result = run(*APPLY, "-o", "x.pdf", "--markdown", "x.md")
    assert result.exit_code == ExitCode.OUTPUT_NOT_WRITABLE, result.output
    assert "x.pdf: the output cannot be written in . (No space left on device)." in result.stderr
    assert case.leftovers() == set()


# --------------------------------------------------------------------------- mode


@pytest.fixture
def umask() -> Iterator[None]:
    """Set the umask inside the test; the module's cached reading is cleared before and after."""
    before = os.umask(0o022)
    os.umask(before)
    file_mode.cache_clear()
    yield
    os.umask(before)
    file_mode.cache_clear()


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_outputs_get_the_usual_mode(case: Case, umask: None, mask: int, mode: int) -> None:
    os.umask(mask)
    result = run(*APPLY, "-o", "x.pdf", "--markdown", "x.md", "--audit", "a.json")
    assert result.exit_code == 0, result.output
    for name in ("x.pdf", "x.md", "a.json"):
        assert stat.S_IMODE((case.folder / name).stat().st_mode) == mode, name
    assert os.umask(mask) == mask  # the reading put the umask back


@pytest.mark.parametrize("mask", [0o022, 0o002])
def test_outputs_that_show_withheld_content_are_for_their_owner_only(case: Case, umask: None, mask: int) -> None:
    os.umask(mask)
    source, rules = APPLY[1], APPLY[2]
    commands = [
        ("review.pdf", ["preview", source, rules, "-o", "review.pdf"]),
        ("internal.json", ["audit", source, rules, "-o", "internal.json", "--internal"]),
    ]
    for name, args in commands:
        result = run(*args)
        assert result.exit_code == 0, result.output
        assert stat.S_IMODE((case.folder / name).stat().st_mode) == 0o600, name
    result = run("audit", source, rules, "-o", "public.json")
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE((case.folder / "public.json").stat().st_mode) == 0o666 & ~mask  # the public log


# --------------------------------------------------------------------------- all or nothing


def _fail_on(monkeypatch: pytest.MonkeyPatch, call: int, error: BaseException) -> None:
    """``os.replace`` raises ``error`` on its ``call``-th call (counting from 1), inside commit only."""
    real = os.replace
    calls = {"n": 0}

    def replace(src: str | Path, dst: str | Path) -> None:
        calls["n"] += 1
        if calls["n"] == call:
            raise error
        real(src, dst)

    monkeypatch.setattr(atomic.os, "replace", replace)


def _contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """An empty folder for commit's own tests."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


@pytest.mark.parametrize(
    "error", [OSError(errno.EIO, "Input/output error"), KeyboardInterrupt()], ids=["failure", "interrupt"]
)
def test_a_failure_while_renaming_puts_the_old_set_back(
    out: Path, monkeypatch: pytest.MonkeyPatch, error: BaseException
) -> None:
    (out / "a.pdf").write_bytes(b"old a")
    (out / "b.md").write_bytes(b"old b")
    before = _contents(out)
    _fail_on(monkeypatch, 3, error)  # a.pdf placed, b.md placed, c.json fails
    outputs: dict[Path, bytes | str] = {out / "a.pdf": b"new a", out / "b.md": "new b", out / "c.json": "{}"}
    with pytest.raises(OutputError if isinstance(error, OSError) else KeyboardInterrupt):
        commit(outputs)
    assert _contents(out) == before  # old files back, the new one gone, no .part or .old file


def test_a_refused_hard_link_is_a_copy(out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where hard links are refused, the replaced output is copied aside and still put back."""
    (out / "a.pdf").write_bytes(b"old a")

    def no_links(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(atomic.os, "link", no_links)
    _fail_on(monkeypatch, 2, OSError(errno.EIO, "Input/output error"))
    with pytest.raises(OutputError):
        commit({out / "a.pdf": b"new a", out / "b.md": "new b"})
    assert _contents(out) == {"a.pdf": b"old a"}


def test_a_failure_while_staging_touches_nothing(out: Path) -> None:
    (out / "a.pdf").write_bytes(b"old a")
    with pytest.raises(OutputError, match="the output folder does not exist"):
        commit({out / "a.pdf": b"new a", out / "missing" / "b.md": "new b"})
    assert _contents(out) == {"a.pdf": b"old a"}


def test_a_commit_replaces_the_old_set_and_leaves_no_kept_copy(out: Path) -> None:
    (out / "a.pdf").write_bytes(b"old a")
    written = commit({out / "a.pdf": b"new a", out / "b.md": "new b"})
    assert written == [out / "a.pdf", out / "b.md"]
    assert _contents(out) == {"a.pdf": b"new a", "b.md": b"new b"}


def test_a_failing_apply_keeps_every_earlier_output(case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole set as the command sees it: the second rename fails, the first output is put back."""
    (case.folder / "x.pdf").write_bytes(b"earlier extract")
    (case.folder / "x.md").write_bytes(b"earlier text")
    _fail_on(monkeypatch, 2, OSError(errno.EIO, "Input/output error"))
    result = run(*APPLY, "-o", "x.pdf", "--markdown", "x.md")
    assert result.exit_code == ExitCode.OUTPUT_NOT_WRITABLE, result.output
    assert (case.folder / "x.pdf").read_bytes() == b"earlier extract"
    assert (case.folder / "x.md").read_bytes() == b"earlier text"
    assert case.leftovers() == {"x.pdf", "x.md"}
