"""Line art, placeholders and `conceal: line` in the plan: what is decided, before any writing."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from redactor.geometry import Area, Rect
from redactor.pipeline import make_plan
from redactor.plan.layout import placeholder_size
from redactor.plan.model import Plan
from tests.builders import write_rules

PUBLIC = "Public paragraph alpha released to all."
SECRET = "Secret paragraph bravo kept back."


def _plan(tmp_path: Path, draw: object, rules: str) -> Plan:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), PUBLIC, fontsize=11)
    page.insert_text((72, 300), SECRET, fontsize=11)
    draw(page)  # type: ignore[operator]
    source = tmp_path / "source.pdf"
    doc.save(source)
    return make_plan(source, write_rules(tmp_path, rules))


RELEASE_PUBLIC = """
- id: public
  release: {block: '^Public paragraph'}
"""


def _verdicts(plan: Plan) -> list[tuple[str, str]]:
    return [(v.action, v.rule) for v in plan.pages[0].drawing_verdicts]


def test_underline_of_released_text_is_released(tmp_path: Path) -> None:
    plan = _plan(tmp_path, lambda p: p.draw_line((72, 103), (260, 103), width=0.8), RELEASE_PUBLIC)
    assert _verdicts(plan) == [("release", "public")]
    assert Area(plan.pages[0].keep_art).covers(plan.document.drawings[0].rect)


def test_signature_beside_released_text_is_withheld_by_default(tmp_path: Path) -> None:
    def signature(page: pymupdf.Page) -> None:
        page.draw_bezier((80, 160), (120, 120), (160, 200), (220, 150), width=1.5)

    plan = _plan(tmp_path, signature, RELEASE_PUBLIC)
    assert _verdicts(plan) == [("withhold", "default")]
    assert not Area(plan.pages[0].keep_art).covers(plan.document.drawings[0].rect)
    art_only = [a for a in plan.pages[0].areas if a.drawing_ids and not a.word_ids]
    assert art_only and art_only[0].placeholder is None and art_only[0].rules == ("default",)


def test_box_over_withheld_text_takes_the_texts_verdict(tmp_path: Path) -> None:
    rules = RELEASE_PUBLIC + "- id: secret\n  withhold: {block: '^Secret'}\n"
    plan = _plan(tmp_path, lambda p: p.draw_rect((70, 288, 260, 304), color=None, fill=(0, 0, 0)), rules)
    assert _verdicts(plan) == [("withhold", "secret")]
    run = next(a for a in plan.pages[0].areas if a.word_ids)
    assert run.drawing_ids == (0,)  # it joins the run it covers: one entry, one placeholder


def test_release_region_releases_a_chart_and_withhold_region_beats_it(tmp_path: Path) -> None:
    def chart(page: pymupdf.Page) -> None:
        page.draw_rect((100, 400, 140, 500), color=None, fill=(0.2, 0.4, 0.8))
        page.draw_rect((300, 400, 340, 500), color=None, fill=(0.8, 0.4, 0.2))

    rules = RELEASE_PUBLIC + (
        "- id: chart\n  release: {pages: '1', region: [90, 390, 360, 510]}\n"
        "- id: bar\n  withhold: {pages: '1', region: [290, 390, 350, 510]}\n"
    )
    plan = _plan(tmp_path, chart, rules)
    assert _verdicts(plan) == [("release", "chart"), ("withhold", "bar")]
    keep = Area(plan.pages[0].keep_art)
    assert keep.covers(plan.document.drawings[0].rect)
    assert not keep.covers(plan.document.drawings[1].rect)


def test_outer_rulings_of_a_wide_table_join_the_grid(tmp_path: Path) -> None:
    def table(page: pymupdf.Page) -> None:
        page.insert_text((80, 520), "Cell one", fontsize=10)
        page.insert_text((260, 520), "Cell two", fontsize=10)
        for y in (505, 530):
            page.draw_line((72, y), (500, y), width=1)
        for x in (72, 250, 500):
            page.draw_line((x, 505), (x, 530), width=1)

    rules = RELEASE_PUBLIC + "- id: cells\n  release: {block: '^Cell'}\n"
    plan = _plan(tmp_path, table, rules)
    assert all(action == "release" for action, _ in _verdicts(plan)), _verdicts(plan)
    right = max(plan.document.drawings, key=lambda d: d.rect.x0)
    assert right.rect.x0 > 490 and Area(plan.pages[0].keep_art).covers(right.rect)


def test_a_ruling_under_withheld_text_does_not_join(tmp_path: Path) -> None:
    def lines(page: pymupdf.Page) -> None:
        page.draw_line((72, 103), (260, 103), width=0.8)  # under the released line
        page.draw_line((260, 103), (260, 303), width=0.8)  # joins it ...
        page.draw_line((72, 303), (260, 303), width=0.8)  # ... and underlines the withheld one

    plan = _plan(tmp_path, lines, RELEASE_PUBLIC)
    verdicts = _verdicts(plan)
    assert verdicts[0] == ("release", "public")
    assert verdicts[2][0] == "withhold"


def test_plan_and_keep_area_agree_for_every_drawing_of_the_sample() -> None:
    plan = make_plan("samples/16014-12-add1-rev2.pdf", "rules/16014-12-ext1.yaml")
    checked = 0
    for page_plan in plan.pages:
        if page_plan.disposition == "withheld":
            continue
        keep = Area(page_plan.keep_art, 0.5)
        page = plan.document.pages[page_plan.number - 1]
        for drawing_id, verdict in zip(page.drawing_ids, page_plan.drawing_verdicts, strict=True):
            assert keep.covers(plan.document.drawings[drawing_id].rect) == (not verdict.withheld)
            checked += 1
    assert checked > 500


@pytest.mark.parametrize("where", ["middle", "end", "start"])
def test_conceal_line_hides_the_line_wherever_the_span_lies(tmp_path: Path, where: str) -> None:
    words = {"middle": "alpha Zulu omega", "end": "alpha omega Zulu", "start": "Zulu alpha omega"}[where]
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 100), f"Line with {words} here" if where != "end" else f"Line with {words}")
    source = tmp_path / "s.pdf"
    doc.save(source)
    rules = "- id: all\n  release: {pages: '1'}\n- id: name\n  withhold: {text: 'Zulu'}\n  conceal: line\n"
    plan = make_plan(source, write_rules(tmp_path, rules))
    assert all(v.withheld for v in plan.verdicts), [w.text for w in plan.document.words]
    assert plan.collateral


def test_placeholders_conceal_sets_it_for_every_withhold_rule(tmp_path: Path) -> None:
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 100), "Line with alpha Zulu")
    source = tmp_path / "s.pdf"
    doc.save(source)
    rules_path = write_rules(tmp_path, "- id: all\n  release: {pages: '1'}\n- id: name\n  withhold: {text: 'Zulu'}\n")
    plain = make_plan(source, rules_path)
    assert not plain.collateral
    text = rules_path.read_text().replace("reasons:", "placeholders: {conceal: line}\nreasons:")
    rules_path.write_text(text)
    concealed = make_plan(source, rules_path)
    assert all(v.withheld for v in concealed.verdicts)


def test_placeholders_have_one_size_and_go_below_a_narrow_gap(tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), "Short Zulu gap and then more released words", fontsize=11)
    page.insert_text((72, 400), "Wide block far below", fontsize=11)
    page.insert_text((72, 215), "Yankee Yankee Yankee Yankee Yankee Yankee Yankee Yankee", fontsize=11)
    source = tmp_path / "s.pdf"
    doc.save(source)
    rules = (
        "- id: all\n  release: {pages: '1'}\n"
        "- id: a\n  withhold: {text: 'Zulu'}\n"
        "- id: b\n  withhold: {block: '^Yankee'}\n"
    )
    plan = make_plan(source, write_rules(tmp_path, rules))
    placeholders = [a.placeholder for a in plan.pages[0].areas if a.placeholder is not None]
    assert len(placeholders) == 2
    assert {p.size for p in placeholders} == {placeholder_size(plan.document.body_size)}
    narrow = next(a for a in plan.pages[0].areas if plan.document.words[a.word_ids[0]].text == "Zulu")
    assert narrow.placeholder is not None
    assert narrow.placeholder.origin[1] > narrow.rects[0].y1  # below the line, not squeezed in


def test_area_covers_the_union_not_one_rectangle() -> None:
    area = Area([Rect(0, 0, 10, 10), Rect(10, 0, 20, 10)])
    assert area.covers(Rect(5, 2, 15, 8))
    assert not area.covers(Rect(5, 2, 25, 8))
    assert not area.covers(Rect(-1e9, 0, 1e9, 5))  # unbounded: never covered
    big = Area([Rect(-10_000, -10_000, 10_000, 10_000)])
    assert big.covers(Rect(100, 100, 200, 200)) and big.hits(Rect(1, 1, 2, 2)) == [0]


def test_a_page_released_whole_keeps_its_line_art_but_not_over_withheld_text(tmp_path: Path) -> None:
    def drawings(page: pymupdf.Page) -> None:
        page.draw_bezier((80, 600), (120, 560), (160, 640), (220, 590), width=1.5)  # far from any text
        page.draw_rect((70, 288, 260, 304), color=None, fill=(0, 0, 0))  # over the withheld sentence

    rules = "- id: page\n  release: {pages: '1'}\n- id: secret\n  withhold: {block: '^Secret'}\n"
    plan = _plan(tmp_path, drawings, rules)
    assert _verdicts(plan) == [("release", "page"), ("withhold", "secret")]
    keep = Area(plan.pages[0].keep_art)
    assert keep.covers(plan.document.drawings[0].rect)
    assert not keep.covers(plan.document.drawings[1].rect)
