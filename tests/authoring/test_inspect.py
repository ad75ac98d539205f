"""``redactor inspect``: structure as the rules see it, paste-ready selectors, the rule skeleton."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pymupdf
import pytest
from typer.testing import CliRunner

from redactor.authoring.inspect import _may_hold_table
from redactor.authoring.yamltext import regex_literal, unique_prefix, yaml_string
from redactor.check.lint import lint_ruleset
from redactor.pipeline import make_plan
from redactor.plan.verdicts import select_rules
from redactor.rules.parse import parse_rules
from redactor.source.load import load_document
from redactor.source.outline import build_outline
from tests.review_fixtures import HEADINGS, NUMBER, build_source, review_app, rules_text

runner = CliRunner()
SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "16014-12-add1-rev2.pdf"


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_source(tmp_path_factory.mktemp("inspect") / "source.pdf")


@pytest.fixture(scope="module")
def report(source: Path) -> dict:
    result = runner.invoke(review_app(), ["inspect", str(source), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_headings_are_listed_with_their_pages(report: dict) -> None:
    assert {h["text"]: h["page"] for h in report["headings"]} == HEADINGS
    assert all(h["level"] == 1 for h in report["headings"])


def test_sections_give_their_page_span_and_path(report: dict) -> None:
    spans = {s["path"][-1]: s["pages"] for s in report["sections"]}
    assert spans["Chapter Three: Night operations"] == [4, 5]
    assert spans["Chapter One: Harbour logistics"] == [2, 2]


def test_tables_images_and_furniture(report: dict) -> None:
    assert [(t["page"], t["rows"], t["columns"]) for t in report["tables"]] == [(4, 3, 3)]
    assert [i["page"] for i in report["images"]] == [3]
    furniture = {f["shape"]: f for f in report["furniture"]}
    assert furniture["RESTREINT UE/EU RESTRICTED"]["pages"] == [1, 2, 3, 4, 5]
    assert furniture["#"]["varies"]  # the page numbers


def test_every_block_selector_selects_its_block(source: Path, report: dict, tmp_path: Path) -> None:
    """Pasted into a rule, each suggested selector picks exactly its block (and its copies, if said)."""
    document = load_document(source)
    for block in report["blocks"]:
        selector = ", ".join(f"{k}: {yaml_string(v)}" for k, v in block["selector"].items())
        rules = tmp_path / "one.yaml"
        rules.write_text(rules_text(f"- id: probe\n  release: {{{selector}}}\n"), encoding="utf-8")
        [(_, selection)] = select_rules(document, parse_rules(rules))
        blocks = {document.words[w].block for w in selection.words}
        assert block["id"] in blocks
        assert len(blocks) == block["selector_matches"]


def test_human_listing_has_every_part(source: Path) -> None:
    result = runner.invoke(review_app(), ["inspect", str(source)])
    assert result.exit_code == 0
    for title in ("PAGES", "HEADINGS", "SECTIONS", "BLOCKS", "TABLES", "IMAGES", "FURNITURE"):
        assert re.search(rf"^{title}", result.stdout, re.M)
    assert '{section: "^Chapter Three: Night"}' in result.stdout
    assert "L1  p. 4    Chapter Three: Night operations" in result.stdout


@pytest.mark.parametrize(
    ("text", "others", "expected"),
    [
        ("Driver: UK", ["Driver: UK", "Driver: FR"], ("^Driver: UK", 1)),
        ("A.1 (x) [y]", ["A.1 (x) [y]"], (r"^A\.1 \(x\) \[y\]", 1)),
        ("Same text", ["Same text", "Same text"], ("^Same text$", 2)),
        ("Chapter 1", ["Chapter 1", "Chapter 10"], ("^Chapter 1$", 1)),
    ],
)
def test_unique_prefix(text: str, others: list[str], expected: tuple[str, int]) -> None:
    regex, matches = unique_prefix(text, sorted(others))
    assert (regex, matches) == expected
    assert re.search(regex, text)


def test_regex_literal_keeps_spaces_readable() -> None:
    assert regex_literal("a b.c") == r"a b\.c"
    assert re.fullmatch(regex_literal("x (1) + y?"), "x (1) + y?")


def test_skeleton_lints_clean_and_withholds_all_not_released(source: Path, tmp_path: Path) -> None:
    out = tmp_path / "skeleton.yaml"
    result = runner.invoke(review_app(), ["inspect", str(source), "--rules-skeleton", str(out), "-q"])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    ruleset = parse_rules(out)
    assert ruleset.document.number == NUMBER
    assert ruleset.document.classification == "RESTREINT UE/EU RESTRICTED"
    assert ruleset.document.subject == "Harbour review tools"
    assert ruleset.document.codes == ("JAI 12", "COSI 3")
    assert (ruleset.release.place, ruleset.release.issuer) == ("Brussels", "TO BE COMPLETED")
    assert [m.find for m in ruleset.markings] == ["RESTREINT UE/EU RESTRICTED", NUMBER]
    assert text.count("#   release: {section:") == len(HEADINGS)
    assert len(ruleset.rules) == 1 and "REVIEW" in text
    document = load_document(source)
    assert lint_ruleset(ruleset, document) == []
    lint = runner.invoke(review_app(), ["lint", str(out), "--source", str(source)])
    assert lint.exit_code == 0, lint.stdout
    plan = make_plan(source, out)
    released = {
        w
        for w, v in enumerate(plan.verdicts)
        if not v.withheld and not document.lines[document.words[w].line].furniture
    }
    [rule] = ruleset.rules
    assert {plan.verdicts[w].rule for w in released} <= {rule.id}
    assert all(document.words[w].page == 1 for w in released)
    assert [p.disposition for p in plan.pages[1:]] == ["withheld"] * 4


def test_skeleton_falls_back_when_page_one_names_a_withheld_heading(source: Path, tmp_path: Path) -> None:
    """Page 1 lists the chapters; releasing it whole would be a lint finding, so a narrower rule is used."""
    from redactor.authoring.skeleton import skeleton_text

    document = load_document(source)
    text = skeleton_text(document, build_outline(document), tmp_path / "s.yaml")
    assert "review-page-1" not in text
    assert lint_ruleset(parse_rules(tmp_path / "s.yaml", text), document) == []


def test_missing_source_is_exit_3_and_writes_no_skeleton(tmp_path: Path) -> None:
    out = tmp_path / "skeleton.yaml"
    result = runner.invoke(review_app(), ["inspect", str(tmp_path / "nope.pdf"), "--rules-skeleton", str(out)])
    assert result.exit_code == 3
    assert "does not exist" in result.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_not_a_pdf_is_exit_3(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.7 truncated")
    result = runner.invoke(review_app(), ["inspect", str(bad)])
    assert result.exit_code == 3
    assert "Traceback" not in result.output


@pytest.mark.skipif(not SAMPLE.exists(), reason="the bundled sample is not built")
def test_sample_annexes_are_listed(tmp_path: Path) -> None:
    """The eight annexes open at pp. 3, 14, 37, 59, 72, 77, 91, 106, once their headings are declared.

    Their headings run to four or five lines, beyond font-based detection, so the rule file
    declares them, as the design's example does; ``--rules`` lends those declarations.
    """
    head = rules_text("- id: x\n  release: {pages: '1'}\n").replace(
        "rules:\n", 'headings:\n  - {match: "^EU crime priority [A-H]", level: 1, ignore_case: true}\nrules:\n'
    )
    rules = tmp_path / "headings.yaml"
    rules.write_text(head, encoding="utf-8")
    result = runner.invoke(review_app(), ["inspect", str(SAMPLE), "--json", "-q", "--rules", str(rules)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    annexes = [h for h in data["headings"] if re.match(r"EU crime priority [A-H]", h["text"], re.I)]
    assert [h["page"] for h in annexes] == [3, 14, 37, 59, 72, 77, 91, 106]
    assert all(h["level"] == 1 and h["declared"] for h in annexes)


def test_table_search_skips_pages_without_ruling(source: Path) -> None:
    """Only pages whose vector graphics could form a ruled table go to the (slow) table finder."""
    with pymupdf.open(source) as doc:
        assert [page.number + 1 for page in doc if _may_hold_table(page)] == [4]
    with pymupdf.open() as doc:
        page = doc.new_page()
        page.insert_text((72, 72), "Prose only, no lines at all.")
        assert not _may_hold_table(page)
        for x in (72, 172, 272):
            page.draw_line((x, 100), (x, 140))
        for y in (100, 140):
            page.draw_line((72, y), (272, y))
        assert _may_hold_table(page)
