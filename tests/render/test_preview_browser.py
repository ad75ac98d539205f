"""The HTML review copy and the HTML audit log in a real browser (Debian's chromium, headless).

Without /usr/bin/chromium the tests skip on a workstation, but fail when the CI variable is
set: in CI a missing browser is a broken setup, not a reason to pass.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.review_fixtures import RULES, build_source, review_app, write_rules

CHROMIUM = Path("/usr/bin/chromium")
runner = CliRunner()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
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
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("browser")
    source, rules = build_source(folder / "source.pdf"), write_rules(folder, RULES)
    made = {"preview": folder / "review.html", "audit": folder / "log.html"}
    for args in (
        ["preview", str(source), str(rules), "-o", str(made["preview"]), "-q"],
        ["audit", str(source), str(rules), "-o", str(made["audit"]), "-q"],
    ):
        result = runner.invoke(review_app(), args)
        assert result.exit_code == 0, result.output
    return made


def open_page(browser: Any, path: Path) -> tuple[Any, list[str]]:
    """The file loaded in a fresh page, and the list its console errors are collected in."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, errors


def test_preview_loads_cleanly_with_every_image_shown(browser: Any, outputs: dict[str, Path]) -> None:
    page, errors = open_page(browser, outputs["preview"])
    widths = page.evaluate("Array.from(document.images).map(i => i.complete ? i.naturalWidth : 0)")
    assert len(widths) == 5 + 5 and all(w > 0 for w in widths)  # 5 source pages; cover + 4 extract items
    assert errors == []
    page.close()


def test_hovering_a_box_shows_its_rule(browser: Any, outputs: dict[str, Path]) -> None:
    page, errors = open_page(browser, outputs["preview"])
    box = page.locator('#page-2 .box.withheld[data-rules="harbour-secret"]').first
    tip = box.locator(".tip")
    assert not tip.is_visible()
    box.scroll_into_view_if_needed()
    box.hover()
    assert tip.is_visible()
    assert "harbour-secret" in tip.inner_text() and "reason sec" in tip.inner_text()
    assert "harbour-secret" in (box.get_attribute("title") or "")
    assert errors == []
    page.close()


def test_filter_shows_one_rules_boxes(browser: Any, outputs: dict[str, Path]) -> None:
    page, _ = open_page(browser, outputs["preview"])
    page.select_option("#rule-filter", "ops")
    shown = page.evaluate(
        "Array.from(document.querySelectorAll('.box')).filter(b => getComputedStyle(b).display !== 'none')"
        ".map(b => b.dataset.rules)"
    )
    assert shown and set(shown) == {"ops"}
    page.select_option("#rule-filter", "")
    assert page.locator(".box.hidden").count() == 0
    page.close()


def test_keys_move_between_pages(browser: Any, outputs: dict[str, Path]) -> None:
    page, _ = open_page(browser, outputs["preview"])
    page.keyboard.press("j")
    page.keyboard.press("j")
    assert page.evaluate("document.querySelector('section.page.current').id") == "page-1"
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.querySelector('section.page.current').id") == "page-2"
    page.keyboard.press("k")
    assert page.evaluate("document.querySelector('section.page.current').id") == "page-1"
    page.close()


def test_audit_html_opens(browser: Any, outputs: dict[str, Path]) -> None:
    page, errors = open_page(browser, outputs["audit"])
    assert page.locator("#strip .pg").count() == 5
    assert page.locator("#entries tr").count() > 1
    assert errors == []
    page.close()
