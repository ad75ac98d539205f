from __future__ import annotations

from pathlib import Path

import pytest

from tests.builders import build_document


@pytest.fixture(scope="session")
def source_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_document(tmp_path_factory.mktemp("src") / "source.pdf")


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
