"""Progress: the library reports every phase with its pages; the CLI draws them only on a terminal, never with -q."""

from __future__ import annotations

import io
import os
import select
import subprocess
import sys
from types import SimpleNamespace

import pytest
from rich.console import Console

from redactor.cli.display import Talk, _left_column, phases
from redactor.pipeline import Outputs, make_plan, release, verify_file
from redactor.progress import DECIDING, LOADING, VERIFYING, WRITING, Progress
from tests.cli.conftest import Case

PHASES = [LOADING, DECIDING, WRITING, VERIFYING]


class Recorder:
    """A phase callback that keeps [name, total, steps done] of every phase."""

    def __init__(self) -> None:
        self.phases: list[list[object]] = []

    def __call__(self, name: str, total: int) -> Progress:
        entry: list[object] = [name, total, 0]
        self.phases.append(entry)

        def advance(steps: int) -> None:
            entry[2] = int(entry[2]) + steps  # type: ignore[call-overload]

        return advance


def test_a_release_reports_each_phase_with_its_pages(case: Case) -> None:
    recorder = Recorder()
    plan = make_plan(case.source, case.rules, phase=recorder)
    release(plan, case.source, Outputs(case.folder / "x.pdf"), phase=recorder)
    assert [name for name, _, _ in recorder.phases] == PHASES
    pages = plan.document.page_count
    assert [total for _, total, _ in recorder.phases[:3]] == [pages, pages, pages]
    assert all(done == total for _, total, done in recorder.phases)
    assert recorder.phases[3][1] > 0  # the extract's pages after the cover

    again = Recorder()
    verify_file(case.folder / "x.pdf", plan, case.source, phase=again)
    assert again.phases == [[VERIFYING, recorder.phases[3][1], recorder.phases[3][1]]]


def _terminal() -> Console:
    return Console(file=io.StringIO(), force_terminal=True, width=120)


def test_the_display_draws_each_phase_on_a_terminal() -> None:
    console = _terminal()
    with phases(Talk(), console) as display:
        for name in PHASES:
            advance = display(name, 10)
            advance(4)
    drawn = console.file.getvalue()  # type: ignore[attr-defined]
    assert all(name in drawn for name in PHASES)
    assert "/10" in drawn and "pages" in drawn


def test_quiet_draws_nothing_and_verbose_says_each_phase(capsys: pytest.CaptureFixture[str]) -> None:
    console = _terminal()
    with phases(Talk(quiet=True), console) as display:
        display(LOADING, 10)(10)
    assert console.file.getvalue() == ""  # type: ignore[attr-defined]
    assert capsys.readouterr().err == ""

    with phases(Talk(verbose=True)) as display:  # stderr is not a terminal here: no bar, the lines only
        display(LOADING, 10)(10)
        display(DECIDING, 3)(3)
    assert capsys.readouterr().err.splitlines() == [
        line.replace("#", "0.0") for line in ("loading: 10 of 10 pages in # s", "deciding: 3 of 3 pages in # s")
    ]


def test_a_failing_phase_gets_no_summary(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ZeroDivisionError), phases(Talk(verbose=True)) as display:
        display(LOADING, 10)(10)
        display(DECIDING, 10)(2)
        raise ZeroDivisionError
    assert capsys.readouterr().err.splitlines() == ["loading: 10 of 10 pages in 0.0 s"]


def test_the_time_left_shows_once_a_phase_has_run_a_while() -> None:
    column = _left_column()
    running = SimpleNamespace(time_remaining=83.0, elapsed=5.0, finished=False)
    assert column.render(running).plain == "about 1:23 left"
    assert column.render(SimpleNamespace(time_remaining=83.0, elapsed=1.0, finished=False)).plain == ""
    assert column.render(SimpleNamespace(time_remaining=None, elapsed=9.0, finished=False)).plain == ""


# --------------------------------------------------------------------------- on a real terminal, or not


def _stderr_of(case: Case, *args: str, terminal: bool) -> str:
    """``redactor apply`` on the case, its stderr a pseudo-terminal or a pipe; what it wrote there."""
    import pty

    command = [sys.executable, "-c", "from redactor.cli.app import main; main()", "apply", "source.pdf", "rules.yaml"]
    command += ["-o", "x.pdf", *args]
    if not terminal:
        done = subprocess.run(command, cwd=case.folder, capture_output=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stderr.decode("utf-8", "replace")
    leader, follower = pty.openpty()
    process = subprocess.Popen(command, cwd=case.folder, stdout=subprocess.DEVNULL, stderr=follower)
    os.close(follower)
    heard = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(leader, 1 << 16)
            except OSError:  # the terminal closed with the process
                break
            if not chunk:
                break
            heard += chunk
        elif process.poll() is not None:
            break
    os.close(leader)
    assert process.wait(timeout=120) == 0, heard
    return heard.decode("utf-8", "replace")


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_a_terminal_sees_the_phases_a_pipe_and_quiet_do_not(case: Case) -> None:
    shown = _stderr_of(case, terminal=True)
    assert all(name in shown for name in PHASES), shown
    assert "pages" in shown and "wrote x.pdf" in shown
    assert _stderr_of(case, terminal=False) == "wrote x.pdf\n"
    assert _stderr_of(case, "-q", terminal=True) == ""
    assert _stderr_of(case, "-v", terminal=False).splitlines()[0].startswith("loading: 6 of 6 pages in ")


def test_the_rate_shows_once_a_phase_has_run_a_while() -> None:
    from redactor.cli.display import _rate_column

    column = _rate_column()
    fast = SimpleNamespace(finished_speed=None, speed=12.54, elapsed=5.0, fields={"unit": "pages"})
    slow = SimpleNamespace(finished_speed=None, speed=0.05, elapsed=5.0, fields={"unit": "documents"})
    early = SimpleNamespace(finished_speed=None, speed=12.5, elapsed=1.0, fields={"unit": "pages"})
    assert column.render(fast).plain == "12.5 pages/s"
    assert column.render(slow).plain == "3.0 documents/min"
    assert column.render(early).plain == ""
