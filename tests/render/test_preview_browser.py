"""The HTML review copy and the HTML audit log in a real browser (Debian's chromium, headless).

Without /usr/bin/chromium the tests skip on a workstation, but fail when the CI variable is
set: in CI a missing browser is a broken setup, not a reason to pass.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.review_fixtures import RULES, build_source, review_app, write_rules

runner = CliRunner()




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
    count = page.locator("img").count()
    assert count == 5 + 5  # 5 source pages; cover + 4 extract items
    for index in range(count):  # loaded lazily: each when it comes into view
        image = page.locator("img").nth(index)
        image.scroll_into_view_if_needed()
        page.wait_for_function("i => i.complete && i.naturalWidth > 0", arg=image.element_handle())
    assert errors == []
    page.close()


def test_side_list_shows_rules_and_reasons_without_hovering(browser: Any, outputs: dict[str, Path]) -> None:
    page, errors = open_page(browser, outputs["preview"])
    rows = page.locator("#page-2 .areas tr[data-label]")
    assert rows.count() >= 3
    secret = page.locator("#page-2 .areas tr.withheld", has_text="harbour-secret").first
    secret.scroll_into_view_if_needed()
    assert secret.is_visible()
    cells = secret.locator("td").all_inner_texts()
    assert cells[1:3] == ["withheld", "harbour-secret"] and cells[4] == "sec"
    assert page.locator("#legend").is_visible() and page.locator("#reasons").is_visible()
    assert errors == []
    page.close()


def test_box_and_row_mark_each_other(browser: Any, outputs: dict[str, Path]) -> None:
    page, errors = open_page(browser, outputs["preview"])
    row = page.locator("#page-2 .areas tr.withheld", has_text="harbour-secret").first
    label = row.get_attribute("data-label")
    box = page.locator(f'#page-2 .box[data-label="{label}"]').first
    box.scroll_into_view_if_needed()
    box.hover()
    assert "hl" in (row.get_attribute("class") or "").split()
    page.mouse.move(0, 0)
    assert "hl" not in (row.get_attribute("class") or "").split()
    row.hover()
    assert "hl" in (box.get_attribute("class") or "").split()
    assert box.locator(".tag").inner_text() == label
    assert errors == []
    page.close()


def test_page_index_links_to_each_page(browser: Any, outputs: dict[str, Path]) -> None:
    page, errors = open_page(browser, outputs["preview"])
    links = page.locator("#index a[href^='#page-']")
    assert links.count() == 5
    assert links.evaluate_all("a => a.map(x => x.className)") == ["kept", "kept", "kept", "withheld", "withheld"]
    colours = links.evaluate_all("a => a.map(x => getComputedStyle(x).backgroundColor)")
    assert colours[0] != colours[3]
    links.nth(3).click()
    assert page.evaluate("location.hash") == "#page-4"
    assert page.locator("#page-4").evaluate("s => s.getBoundingClientRect().top") < 100
    assert errors == []
    page.close()


def test_filter_shows_one_rules_boxes(browser: Any, outputs: dict[str, Path]) -> None:
    page, _ = open_page(browser, outputs["preview"])
    page.select_option("#rule-filter", "ops")
    shown = page.evaluate(
        "Array.from(document.querySelectorAll('.box')).filter(b => getComputedStyle(b).display !== 'none')"
        ".map(b => b.closest('section').querySelector(`tr[data-label='${b.dataset.label}']`).cells[2].textContent)"
    )
    assert shown and set(shown) == {"ops"}
    rows = page.evaluate(
        "Array.from(document.querySelectorAll('.areas tr[data-label]'))"
        ".filter(r => getComputedStyle(r).display !== 'none').map(r => r.cells[2].textContent)"
    )
    assert rows and set(rows) == {"ops"}
    page.select_option("#rule-filter", "")
    assert page.locator(".box.hidden, tr.hidden").count() == 0
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
