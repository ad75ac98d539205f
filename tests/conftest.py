from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.builders import build_document


@pytest.fixture(scope="session")
def source_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_document(tmp_path_factory.mktemp("src") / "source.pdf")


#: Debian's chromium, which .ci/run installs: the browser tests drive it through Playwright.
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless chromium. Without it the browser tests skip on a workstation, but fail when
    the CI variable is set: in CI a missing browser is a broken setup, not a reason to pass."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: apt-get install -y chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    if os.environ.get("CI"):
        import playwright.sync_api as sync_api  # in CI a missing package is an error too
    else:
        sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        launched = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        yield launched
        launched.close()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "corpus: runs a real-world PDF of tests/corpus through apply")


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:  # noqa: ANN001
    """One line on the corpus run: written, refused, leaking, over-redaction, slowest."""
    import json
    import statistics

    rows = []
    for reports in terminalreporter.stats.values():
        for report in reports:
            for name, value in getattr(report, "user_properties", ()):
                if name == "corpus" and getattr(report, "when", "call") == "call":
                    rows.append(json.loads(value))
    if not rows:
        return
    written = [r for r in rows if r["status"] == "written"]
    over = [r["over"] for r in written] or [0.0]
    terminalreporter.write_line(
        f"corpus: {len(written)}/{len(rows)} extracts written and verified, "
        f"{sum(1 for r in rows if r['survivors'])} with withheld words left, "
        f"over-redaction median {statistics.median(over):.1%} max {max(over):.1%}, "
        f"slowest {max(r['spp'] for r in rows):.2f} s/page"
    )
