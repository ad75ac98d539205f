"""The review workstation in a real browser (Debian's chromium, headless) on the bundled sample.

The server runs in a thread of the test process on a free port, on a copy of the sample's
rule file. Every page the tests open has its requests intercepted: anything not addressed
to the workstation on 127.0.0.1 is aborted and fails the test. Without /usr/bin/chromium
the tests skip on a workstation, but fail when the CI variable is set.

The screenshot of the main view (1400x900) is kept as ``out/review-screenshot.png``, and the
time from a click to the refreshed page as ``out/review-timings.json``.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pypdfium2
import pytest

from redactor.authoring.rulefile import rule_ids, selectors
from redactor.workstation.server import Served, serve
from redactor.workstation.session import Session

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "16014-12-add1-rev2.pdf"
SAMPLE_RULES = ROOT / "rules" / "16014-12-ext1.yaml"
ARTEFACTS = ROOT / "out"
VIEWPORT = {"width": 1400, "height": 900}


@dataclass
class Workstation:
    """The served workstation and what the tests read of it."""

    session: Session
    served: Served
    origin: str = field(init=False)

    def __post_init__(self) -> None:
        self.origin = self.served.url.split("/?", 1)[0]

    def url(self, page: int | None = None) -> str:
        return self.served.url + (f"#p={page}" if page else "")

    def rules_text(self) -> str:
        return self.session.rules.read_text(encoding="utf-8")

    def rule(self, rule_id: str) -> tuple[str, dict[str, Any]]:
        action, selector = next((a, s) for r, a, s in selectors(self.rules_text()) if r == rule_id)
        return action, selector

    def block(self, page: int, prefix: str) -> int:
        doc = self.session.document
        return next(b for b in doc.pages[page - 1].block_ids if doc.blocks[b].text.startswith(prefix))


@pytest.fixture(scope="module")
def workstation(tmp_path_factory: pytest.TempPathFactory, browser: Any) -> Iterator[Workstation]:
    folder = tmp_path_factory.mktemp("workstation")
    rules = folder / "rules.yaml"
    shutil.copyfile(SAMPLE_RULES, rules)
    session = Session.open(SAMPLE, rules, folder / "extract.pdf")
    served = serve(session)
    thread = served.start()
    yield Workstation(session, served)
    served.stop()
    thread.join(30)
    session.close()


@dataclass
class Opened:
    """A browser page on the workstation, with the requests it made and the errors it logged."""

    page: Any
    requests: list[str]
    refused: list[str]
    errors: list[str]

    def wait_version(self, above: int) -> int:
        self.page.wait_for_function(f"() => Number(document.body.dataset.version) > {above}", timeout=30_000)
        return self.version()

    def version(self) -> int:
        return int(self.page.evaluate("document.body.dataset.version"))

    def block(self, block_id: int) -> Any:
        return self.page.locator(f'#overlay .blk[data-block="{block_id}"]')

    def state_of(self, block_id: int) -> str:
        classes = self.block(block_id).get_attribute("class") or ""
        return next(c for c in ("released", "withheld", "mixed", "furniture") if c in classes.split())


@pytest.fixture
def opened(browser: Any, workstation: Workstation) -> Iterator[Any]:
    """Open the workstation at a page; every request outside 127.0.0.1 is aborted and recorded."""
    contexts: list[Any] = []
    pages: list[Opened] = []

    def open_at(page_number: int | None = None, url: str | None = None, wait: bool = True) -> Opened:
        context = browser.new_context(viewport=VIEWPORT)
        contexts.append(context)
        record = Opened(context.new_page(), [], [], [])

        def route(request_route: Any) -> None:
            target = request_route.request.url
            record.requests.append(target)
            if urlsplit(target).hostname == "127.0.0.1" and target.startswith(workstation.origin):
                request_route.continue_()
            else:
                record.refused.append(target)
                request_route.abort()

        context.route("**/*", route)
        record.page.on("console", lambda m: record.errors.append(m.text) if m.type == "error" else None)
        record.page.on("pageerror", lambda error: record.errors.append(str(error)))
        record.page.goto(url or workstation.url(page_number))
        if wait:
            record.page.wait_for_selector("body[data-ready='1']", timeout=30_000)
            record.page.wait_for_function("() => document.querySelector('#extract-body').children.length > 0")
        pages.append(record)
        return record

    yield open_at
    for record in pages:
        assert record.refused == [], f"requests left 127.0.0.1: {record.refused}"
        assert all(urlsplit(u).hostname == "127.0.0.1" for u in record.requests)
    for context in contexts:
        context.close()


def act_and_wait(view: Opened, do: Any) -> int:
    before = view.version()
    do()
    return view.wait_version(before)


def new_rules(workstation: Workstation, before: set[str]) -> list[str]:
    return [r for r in rule_ids(workstation.rules_text()) if r not in before]


def lint_of(view: Opened, rule_id: str) -> list[str]:
    """The live lint findings (the workstation's lint worker) about one rule, or errors of any rule."""
    version = view.version()
    view.page.wait_for_function(
        f"() => {{ const b = document.querySelector('#lint-body'); "
        f"return b.dataset.version === '{version}' && b.dataset.pending === 'false'; }}",
        timeout=90_000,
    )
    status = view.page.evaluate("() => fetch('/api/lint').then(r => r.json())")
    assert status["version"] == version and status["failure"] is None
    return [f["text"] for f in status["findings"] if f["rule"] == rule_id or f["severity"] == "error"]


# --------------------------------------------------------------------------- tests


def test_screenshot_of_the_main_view(opened: Any, workstation: Workstation) -> None:
    view = opened(5)
    page = view.page
    view.block(workstation.block(5, "A budget of EUR 291 000")).click()
    page.wait_for_selector("#lint-body .clean, #lint-body .finding", timeout=60_000)
    ARTEFACTS.mkdir(exist_ok=True)
    shot = ARTEFACTS / "review-screenshot.png"
    page.screenshot(path=str(shot))
    print(f"screenshot: {shot}")
    assert shot.stat().st_size > 50_000


def test_opens_on_the_sample_with_everything_shown(opened: Any, workstation: Workstation) -> None:
    view = opened(5)
    page = view.page
    assert page.locator("#strip .thumb").count() == 115
    assert page.locator("#strip .thumb.condensed").count() > 0 and page.locator("#strip .thumb.withheld").count() > 0
    labels = page.locator("#labels .lbl").all_inner_texts()
    assert "withheld · annexes-operational-detail · 4(1)(a) public security" in labels  # visible, not on hover
    assert any(label.startswith("released · west-africa-partners-opening") for label in labels)
    assert "furniture" in labels and "marking rewritten" in labels
    assert page.locator("#overlay .seg.withheld").count() > 0 and page.locator("#overlay .seg.released").count() > 0
    assert page.locator("#legend li").count() == 7
    hits = page.locator('#rules tr[data-rule="drivers"] td.n').inner_text()
    assert int(hits) > 0
    assert page.evaluate("Array.from(document.images).filter(i => i.complete && i.naturalWidth > 0).length") >= 3
    page.wait_for_selector("#lint-body .clean, #lint-body .finding", timeout=60_000)
    assert view.errors == []


def test_clicking_a_withheld_block_releases_it_in_a_rule_lint_accepts_and_apply_honours(
    opened: Any, workstation: Workstation
) -> None:
    block = workstation.block(25, "During the reporting period")
    before = set(rule_ids(workstation.rules_text()))
    view = opened(25)
    page = view.page
    assert view.state_of(block) == "withheld" and "withheld" in page.locator("#pagetitle").inner_text()
    view.block(block).click()
    assert "During the reporting period" in page.locator("#inspect-body .excerpt").inner_text()
    act_and_wait(view, lambda: page.click("#do-release"))
    assert view.state_of(block) in ("released", "mixed")  # a span rule may keep an operation's name
    assert "kept" in (page.locator('#strip .thumb[data-page="25"]').get_attribute("class") or "")
    timings = {"click_to_refreshed_page_ms": int(page.evaluate("document.body.dataset.lastAction"))}
    (written,) = new_rules(workstation, before)
    assert workstation.rule(written) == ("release", {"block": "^During the reporting period the Dravenmark"})
    assert lint_of(view, written) == []
    page.click("#apply")
    page.wait_for_selector("#apply-result.ok, #apply-result.failed", timeout=120_000)
    assert "verified" in page.locator("#apply-result").inner_text()
    pdf = pypdfium2.PdfDocument(workstation.session.output.read_bytes())
    text = " ".join(" ".join(pdf[i].get_textpage().get_text_range().split()) for i in range(len(pdf)))
    pdf.close()
    assert "During the reporting period the Dravenmark analysis unit" in text
    ARTEFACTS.mkdir(exist_ok=True)
    (ARTEFACTS / "review-timings.json").write_text(json.dumps(timings) + "\n", encoding="utf-8")
    assert view.errors == []


def test_a_reason_is_chosen_and_changed(opened: Any, workstation: Workstation) -> None:
    block = workstation.block(40, "“To maintain a comprehensive")
    view = opened(40)
    page = view.page
    page.select_option("#reason", "4(1)(a) international relations")
    view.block(block).click()
    act_and_wait(view, lambda: page.click("#do-withhold"))
    assert view.state_of(block) == "withheld"
    rule_id = next(r for r in rule_ids(workstation.rules_text()) if r.startswith("review-withhold-p40-block"))
    assert f"withheld · {rule_id} · 4(1)(a) international relations" in page.locator("#labels").inner_text()
    view.block(block).click()
    choice = f'#inspect-body select[data-rule="{rule_id}"]'
    act_and_wait(view, lambda: page.select_option(choice, "4(3) decision-making process"))
    assert f"withheld · {rule_id} · 4(3) decision-making process" in page.locator("#labels").inner_text()
    text = workstation.rules_text()
    written = rf"- id: {rule_id}\n    withhold: {{block: [^\n]+}}\n    reason: \"4\(3\) decision-making process\""
    assert re.search(written, text)
    assert lint_of(view, rule_id) == []


def test_dragging_a_rectangle_makes_a_region_rule(opened: Any, workstation: Workstation) -> None:
    view = opened(41)
    page = view.page
    page.keyboard.press("g")
    box = page.locator("#overlay").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.1, box["y"] + box["height"] * 0.1)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.3, steps=5)
    page.mouse.up()
    assert "Region on page 41" in page.locator("#inspect-body").inner_text()
    act_and_wait(view, lambda: page.click("#do-withhold"))
    rule_id = next(r for r in rule_ids(workstation.rules_text()) if r.startswith("review-withhold-p41-region"))
    action, selector = workstation.rule(rule_id)
    x0, y0, x1, y1 = selector["region"]
    assert action == "withhold" and selector["pages"] == "41"
    assert x0 == pytest.approx(59.5, abs=3) and x1 == pytest.approx(357, abs=3) and y0 < y1
    assert page.locator(f'#overlay .region[data-rule="{rule_id}"]').count() == 1
    assert lint_of(view, rule_id) == []


def test_selecting_words_withholds_a_span(opened: Any, workstation: Workstation) -> None:
    doc = workstation.session.document
    block = workstation.block(3, "EU crime priority A")
    words = doc.blocks[block].word_ids
    view = opened(3)
    page = view.page
    page.keyboard.press("t")
    sheet = page.locator("#overlay").bounding_box()
    first, last = doc.words[words[0]].rect, doc.words[words[2]].rect
    width, height = doc.pages[2].width, doc.pages[2].height

    def at(x: float, y: float) -> tuple[float, float]:
        return sheet["x"] + sheet["width"] * x / width, sheet["y"] + sheet["height"] * y / height

    page.mouse.move(*at(first.x0 + 1, first.y0 + 1))
    page.mouse.down()
    page.mouse.move(*at(last.x1 - 1, last.y1 - 1), steps=4)
    page.mouse.up()
    page.wait_for_selector("#overlay .pick")
    assert page.locator("#inspect-body .excerpt").inner_text() == "EU crime priority"
    act_and_wait(view, lambda: page.click("#do-withhold"))
    rule_id = next(r for r in rule_ids(workstation.rules_text()) if r.startswith("review-withhold-p3-span"))
    assert workstation.rule(rule_id) == ("withhold", {"text": "EU crime priority", "pages": "3"})
    assert view.state_of(block) == "mixed"
    assert lint_of(view, rule_id) == []


def test_search_and_withhold_every_occurrence(opened: Any, workstation: Workstation) -> None:
    view = opened(3)
    page = view.page
    page.keyboard.press("/")
    page.keyboard.type("Co-driver")
    page.keyboard.press("Enter")
    page.wait_for_selector("#search-body li")
    count = page.locator("#search-body li").count()
    assert count >= 7 and page.locator("#search-body li.withheld").count() < count
    act_and_wait(view, lambda: page.click("#search-body #do-withhold"))
    page.wait_for_function(f"() => document.querySelectorAll('#search-body li.withheld').length === {count}")
    rule_id = next(r for r in rule_ids(workstation.rules_text()) if r.startswith("review-withhold-search"))
    assert workstation.rule(rule_id) == ("withhold", {"text": "Co\\-driver"})  # re.escape: a literal "-"
    assert lint_of(view, rule_id) == []


def test_undo_and_redo(opened: Any, workstation: Workstation) -> None:
    block = workstation.block(4, "Drivers Report October 2012")
    before = workstation.rules_text()
    view = opened(4)
    page = view.page
    view.block(block).click()
    act_and_wait(view, lambda: page.keyboard.press("w"))
    assert view.state_of(block) == "withheld" and workstation.rules_text() != before
    act_and_wait(view, lambda: page.keyboard.press("u"))
    assert view.state_of(block) == "released" and workstation.rules_text() == before
    assert not page.locator("#redo").is_disabled()  # redo itself: tests/workstation/test_app.py


def test_a_reload_shows_the_state_kept_in_the_rule_file(opened: Any, workstation: Workstation) -> None:
    block = workstation.block(6, "A budget of EUR 298 000")
    view = opened(6)
    page = view.page
    view.block(block).click()
    act_and_wait(view, lambda: page.keyboard.press("r"))
    assert view.state_of(block) in ("released", "mixed")
    page.reload()
    page.wait_for_selector("body[data-ready='1']")
    assert page.locator("#pagetitle").inner_text().startswith("Page 6 of 115")
    assert view.state_of(block) in ("released", "mixed")


def test_a_run_of_pages_is_released_from_the_strip(opened: Any, workstation: Workstation) -> None:
    view = opened(30)
    page = view.page
    assert "withheld" in (page.locator('#strip .thumb[data-page="31"]').get_attribute("class") or "")
    # Dispatched on the thumbnail itself: a pointer click lands wherever the strip has
    # scrolled to by then (it follows the page shown), sometimes on the next thumbnail.
    page.locator('#strip .thumb[data-page="31"]').dispatch_event("click", {"shiftKey": True})
    page.wait_for_function("() => document.querySelector('#run-body').innerText.startsWith('Pages 30')")
    assert page.locator("#run-body").inner_text().startswith("Pages 30–31")
    act_and_wait(view, lambda: page.click("#run-body #do-release"))
    for number in (30, 31):
        assert "kept" in (page.locator(f'#strip .thumb[data-page="{number}"]').get_attribute("class") or "")
    rule_id = next(r for r in rule_ids(workstation.rules_text()) if r.startswith("review-release-pp30-31"))
    assert workstation.rule(rule_id)[1]["pages"] == "30-31"
    assert lint_of(view, rule_id) == []


def test_keys_move_between_pages(opened: Any) -> None:
    view = opened(10)
    page = view.page
    page.keyboard.press("j")
    page.wait_for_function("() => document.body.dataset.page === '11'")
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("() => document.body.dataset.page === '10'")
    page.keyboard.press("ArrowDown")
    assert page.locator("#overlay .blk.selected").count() == 1


def test_a_request_without_the_token_is_refused(opened: Any, workstation: Workstation) -> None:
    view = opened(url=workstation.origin + "/", wait=False)
    assert "forbidden" in view.page.locator("body").inner_text()
    status = view.page.evaluate("fetch('/api/state').then(r => r.status)")
    assert status == 403
