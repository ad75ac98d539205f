"""``redactor audit``: the withholding log adds up, the public log holds no withheld text."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from redactor.pipeline import Outputs, make_plan, release
from redactor.plan.model import Plan
from redactor.render.audit import INTERNAL_MARKING, audit_data, render_audit
from tests.review_fixtures import CANARIES, RULES, build_source, review_app, write_rules

runner = CliRunner()


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("audit")
    return build_source(folder / "source.pdf"), write_rules(folder, RULES)


@pytest.fixture(scope="module")
def plan(files: tuple[Path, Path]) -> Plan:
    return make_plan(*files)


def test_counts_add_up(plan: Plan) -> None:
    log = audit_data(plan)
    totals = log["totals"]
    assert totals["words"] == len(plan.document.words)
    assert totals["released_words"] + totals["withheld_words"] == totals["words"]
    assert sum(e["words"] for e in log["entries"]) == totals["withheld_words"]
    assert sum(r["withheld_words"] for r in log["by_rule"]) == totals["withheld_words"]
    assert sum(r["released_words"] for r in log["by_rule"]) == totals["released_words"]
    assert sum(p["words"] for p in log["by_page"]) == totals["words"]
    assert sum(p["withheld_words"] for p in log["by_page"]) == totals["withheld_words"]
    assert sum(s["released_words"] + s["withheld_words"] for s in log["by_section"]) == totals["words"]
    assert sum(r["withheld_words"] for r in log["by_reason"]) == totals["withheld_words"]
    assert totals["withheld_images"] == 1 == totals["images"]


def test_one_entry_per_area_and_per_dropped_page_run(plan: Plan) -> None:
    log = audit_data(plan)
    areas = [e for e in log["entries"] if e["kind"] == "area"]
    runs = [e for e in log["entries"] if e["kind"] == "pages"]
    assert len(areas) == len(list(plan.areas()))
    assert [(r["first_page"], r["last_page"]) for r in runs] == [(4, 5)]
    assert runs[0]["rules"] == ["default"] and len(runs[0]["rects"]) == 2
    assert [e["entry"] for e in log["entries"]] == list(range(1, len(log["entries"]) + 1))


def test_entries_carry_rule_level_reason_and_section(plan: Plan) -> None:
    log = audit_data(plan)
    ops = next(e for e in log["entries"] if e["rules"] == ["ops"])
    assert ops["level_name"] == "span" and ops["first_page"] == 2
    assert ops["reasons"] == [{"code": "sec", "text": "Regulation (EC) No 1049/2001, Article 4(1)(a), first indent"}]
    assert ops["section"] == ["Chapter One: Harbour logistics"]  # a released heading is named
    assert ops["words"] == 2 and ops["characters"] == len("OperationQuillfeather")
    image = next(e for e in log["entries"] if e["images"])
    assert image["words"] == 0 and image["rules"] == ["default"]
    # Chapter Two's heading is withheld: the public log names it by its page only.
    assert image["section"] == ["[withheld heading, p. 3]"]


def test_public_log_holds_no_withheld_text(plan: Plan) -> None:
    for fmt in ("json", "csv", "html"):
        text = render_audit(plan, fmt)
        for canary in CANARIES:
            assert canary not in text, (fmt, canary)
        assert "Coastal patrols" not in text and INTERNAL_MARKING not in text


def test_internal_log_holds_it_and_says_so(plan: Plan) -> None:
    for fmt in ("json", "csv", "html"):
        text = render_audit(plan, fmt, internal=True)
        assert INTERNAL_MARKING in text
        for canary in CANARIES:
            assert canary in text, (fmt, canary)
    log = json.loads(render_audit(plan, "json", internal=True))
    assert log["internal"] is True
    assert next(e for e in log["entries"] if e["rules"] == ["ops"])["text"] == "Operation Quillfeather"


def test_csv_parses_one_row_per_entry(plan: Plan) -> None:
    rows = list(csv.DictReader(io.StringIO(render_audit(plan, "csv"))))
    log = audit_data(plan)
    assert len(rows) == len(log["entries"])
    assert [int(r["words"]) for r in rows] == [e["words"] for e in log["entries"]]
    assert rows[0]["rects"].startswith("2:")
    assert "text" not in rows[0] and "marking" not in rows[0]
    internal = list(csv.DictReader(io.StringIO(render_audit(plan, "csv", internal=True))))
    assert {r["marking"] for r in internal} == {INTERNAL_MARKING}


def test_html_has_a_page_strip_and_the_tables(plan: Plan) -> None:
    html = render_audit(plan, "html")
    assert html.count('<div class="pg ') == plan.document.page_count
    for table in ("entries", "by-section", "by-page", "by-rule", "by-reason"):
        assert f'id="{table}"' in html


def test_cli_prints_json_without_output(files: tuple[Path, Path]) -> None:
    result = runner.invoke(review_app(), ["audit", *map(str, files)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["totals"]["pages_withheld"] == 2


@pytest.mark.parametrize("suffix", ["json", "csv", "html"])
def test_cli_writes_each_format(files: tuple[Path, Path], tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"log.{suffix}"
    result = runner.invoke(review_app(), ["audit", *map(str, files), "-o", str(out), "--internal"])
    assert result.exit_code == 0, result.output
    assert INTERNAL_MARKING in out.read_text(encoding="utf-8")
    assert f"wrote {out}" in result.stderr


def test_cli_unknown_format_is_exit_2_without_output(files: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "log.txt"
    result = runner.invoke(review_app(), ["audit", *map(str, files), "-o", str(out)])
    assert result.exit_code == 2
    assert ".json, .csv or .html" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_cli_bad_rules_is_exit_2_without_output(files: tuple[Path, Path], tmp_path: Path) -> None:
    rules = write_rules(tmp_path, "- id: x\n  release: {pages: '1'}\n  reason: nowhere\n")
    out = tmp_path / "log.json"
    result = runner.invoke(review_app(), ["audit", str(files[0]), str(rules), "-o", str(out)])
    assert result.exit_code == 2
    assert "rules.yaml:" in result.stderr and not out.exists()


def test_apply_audit_option_uses_the_same_log(files: tuple[Path, Path], plan: Plan, tmp_path: Path) -> None:
    """``apply --audit LOG.json`` calls render_audit(plan, "json"): the public log."""
    written = release(plan, files[0], Outputs(tmp_path / "x.pdf", audit=tmp_path / "log.json"), verify=False)
    log = json.loads(Path(written[str(tmp_path / "log.json")]).read_text(encoding="utf-8"))
    assert log == audit_data(plan)
