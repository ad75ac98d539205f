"""SIGINT and SIGTERM during a real run: exit 130 or 143, the message, and nothing left behind."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "16014-12-add1-rev2.pdf"
RULES = ROOT / "rules" / "16014-12-ext1.yaml"
#: The console script, as installed; else the same entry point through the interpreter.
SCRIPT = Path(sys.executable).parent / "redactor"
#: How long after the start the signal is sent: inside the run (the sample takes several seconds).
AFTER = 1.0


def _command() -> list[str]:
    if SCRIPT.is_file():
        return [str(SCRIPT)]
    return [sys.executable, "-c", "from redactor.cli.app import main; main()"]


def _catches_sigterm(pid: int) -> bool:
    """True once the process has its SIGTERM handler (Linux: the SigCgt mask); elsewhere, assumed."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return True
    caught = next((line.split()[1] for line in status.splitlines() if line.startswith("SigCgt:")), "0")
    return bool(int(caught, 16) & (1 << (signal.SIGTERM - 1)))


def _interrupted(folder: Path, signum: int) -> tuple[int, str]:
    """Start ``redactor apply`` on the sample writing into ``folder``, signal it after about a second."""
    args = ["apply", SAMPLE, RULES, "-o", folder / "x.pdf", "--markdown", folder / "x.md", "--audit", folder / "a.json"]
    started = time.monotonic()
    process = subprocess.Popen([*_command(), *map(str, args), "-q"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    while not _catches_sigterm(process.pid) and process.poll() is None and time.monotonic() - started < 30:
        time.sleep(0.01)
    time.sleep(max(0.0, AFTER - (time.monotonic() - started)))
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=60)
    return process.returncode, stderr.decode("utf-8", "replace")


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["SIGINT", "SIGTERM"])
def test_a_signal_during_a_run_writes_nothing(tmp_path: Path, signum: int, code: int) -> None:
    (tmp_path / "x.pdf").write_bytes(b"the extract of an earlier run")
    code_seen, stderr = _interrupted(tmp_path, signum)
    assert code_seen == code, stderr
    assert stderr.strip() == "interrupted; no output was written."
    assert [p.name for p in tmp_path.iterdir()] == ["x.pdf"]  # no new output, no .part file
    assert (tmp_path / "x.pdf").read_bytes() == b"the extract of an earlier run"
