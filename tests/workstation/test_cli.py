"""``redactor review`` on the command line: the URL on stderr, 127.0.0.1 only, errors with their exit codes."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from typer.testing import CliRunner

from redactor.cli.app import app
from tests.workstation.helpers import COMMENTED

runner = CliRunner()
COMMAND = [sys.executable, "-c", "from redactor.cli.app import main; main()"]


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    path = tmp_path / "rules.yaml"
    path.write_text(COMMENTED, encoding="utf-8")
    return path


def test_review_serves_on_loopback_with_a_token_until_interrupted(review_source: Path, rules: Path) -> None:
    process = subprocess.Popen(
        [*COMMAND, "review", str(review_source), str(rules), "--no-browser", "-q"],
        stderr=subprocess.PIPE,
        text=True,
        cwd=rules.parent,
    )
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        found = re.fullmatch(r"review: (http://127\.0\.0\.1:(\d+)/)\?token=([\w-]{20,})\n", line)
        assert found, line
        base, port, token = found.group(1), int(found.group(2)), found.group(3)
        with urllib.request.urlopen(f"{base}api/state?token={token}", timeout=30) as answer:
            assert answer.status == 200 and b'"page_count":5' in answer.read()
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{base}api/state", timeout=30)
        assert refused.value.code == 403
        with socket.socket() as probe:  # nothing listens on the other addresses of the machine
            outside = socket.gethostbyname(socket.gethostname())
            if not outside.startswith("127."):
                assert probe.connect_ex((outside, port)) != 0
    finally:
        process.send_signal(signal.SIGINT)
        _, rest = process.communicate(timeout=30)
    assert process.returncode == 130
    assert "the rule file keeps every change made" in rest


def test_review_default_extract_name_and_help() -> None:
    result = runner.invoke(app, ["review", "--help"])
    assert result.exit_code == 0
    assert "--port" in result.output and "--no-browser" in result.output


def test_review_of_a_missing_source_exits_3(rules: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["review", str(tmp_path / "nope.pdf"), str(rules), "--no-browser"])
    assert result.exit_code == 3 and "does not exist" in result.output


def test_review_of_rules_that_do_not_plan_exits_2(review_source: Path, rules: Path) -> None:
    rules.write_text(COMMENTED.replace("^Coastal patrol paragraph", "^No such paragraph"), encoding="utf-8")
    result = runner.invoke(app, ["review", str(review_source), str(rules), "--no-browser", "-q"])
    assert result.exit_code == 2 and "matches nothing" in result.output


def test_review_on_a_port_in_use_exits_2(review_source: Path, rules: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = runner.invoke(app, ["review", str(review_source), str(rules), "--no-browser", "--port", str(port)])
    assert result.exit_code == 2 and f"cannot listen on 127.0.0.1:{port}" in result.output
