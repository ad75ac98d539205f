"""``redactor audit``: the withholding log adds up, the public log holds no withheld text
and nothing that sizes or places what is withheld (rectangles, counts, fingerprint)."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from redactor.pipeline import Outputs, make_plan, release
from redactor.plan.model import Plan
from redactor.render.audit import FORMATS, INTERNAL_MARKING, audit_data, render_audit
from tests.review_fixtures import CANARIES, RULES, build_source, review_app, write_rules

runner = CliRunner()
LEGAL_TEXT = "Regulation (EC) No 1049/2001, Article 4(1)(a), first indent"
#: What a public entry gives: where, at which level, under which rules and reasons, in which section.
PUBLIC_ENTRY_KEYS = {
    "entry", "kind", "first_page", "last_page", "level", "level_name", "rules", "reasons",
    "images", "line_art", "section", "placeholder", "furniture",
}  # fmt: skip
#: What only the internal log gives per entry: the size and place of what is withheld, and its text.
INTERNAL_ENTRY_KEYS = {"rects", "words", "characters", "text"}
PUBLIC_CSV_COLUMNS = [
    "entry", "kind", "first_page", "last_page", "level", "level_name", "rules", "reasons", "reason_texts",
    "images", "line_art", "section", "placeholder",
]  # fmt: skip
PUBLIC_HTML_HEADERS = ["#", "pages", "kind", "level", "rules", "reasons", "images", "line art", "section"]


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
    assert sum(e["words"] for e in audit_data(plan, internal=True)["entries"]) == totals["withheld_words"]
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
    assert runs[0]["rules"] == ["default"]
    internal_runs = [e for e in audit_data(plan, internal=True)["entries"] if e["kind"] == "pages"]
    assert len(internal_runs[0]["rects"]) == 2  # one media box per dropped page
    assert [e["entry"] for e in log["entries"]] == list(range(1, len(log["entries"]) + 1))


def test_entries_carry_rule_level_reason_and_section(plan: Plan) -> None:
    log = audit_data(plan)
    ops = next(e for e in log["entries"] if e["rules"] == ["ops"])
    assert ops["level_name"] == "span" and ops["first_page"] == 2
    assert ops["reasons"] == [{"code": "sec", "text": "Regulation (EC) No 1049/2001, Article 4(1)(a), first indent"}]
    assert ops["section"] == ["Chapter One: Harbour logistics"]  # a released heading is named
    internal = audit_data(plan, internal=True)
    ops_internal = next(e for e in internal["entries"] if e["rules"] == ["ops"])
    assert ops_internal["words"] == 2 and ops_internal["characters"] == len("OperationQuillfeather")
    image = next(e for e in log["entries"] if e["images"])
    assert image["rules"] == ["default"]
    assert next(e for e in internal["entries"] if e["images"])["words"] == 0
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
    assert [int(r["first_page"]) for r in rows] == [e["first_page"] for e in log["entries"]]
    assert "text" not in rows[0] and "marking" not in rows[0]
    internal = list(csv.DictReader(io.StringIO(render_audit(plan, "csv", internal=True))))
    assert {r["marking"] for r in internal} == {INTERNAL_MARKING}
    full = audit_data(plan, internal=True)
    assert [int(r["words"]) for r in internal] == [e["words"] for e in full["entries"]]
    assert internal[0]["rects"].startswith("2:")


def test_html_has_a_page_strip_and_the_tables(plan: Plan) -> None:
    html = render_audit(plan, "html")
    assert html.count('<div class="pg ') == plan.document.page_count
    for table in ("entries", "by-section", "by-page", "by-rule", "by-reason"):
        assert f'id="{table}"' in html


def _coordinates(plan: Plan) -> list[str]:
    """The fractional rectangle coordinates of the internal log, as the CSV and HTML print them."""
    entries = audit_data(plan, internal=True)["entries"]
    values = {v for e in entries for r in e["rects"] for v in r["rect"] if v != int(v)}
    return sorted(f"{v:g}" for v in values)


def _keys(data: Any) -> set[str]:
    """Every key of a JSON value, at any depth."""
    if isinstance(data, dict):
        return set(data).union(*(_keys(v) for v in data.values()))
    if isinstance(data, list):
        return set().union(*(_keys(v) for v in data))
    return set()


def _entries_table(html: str) -> tuple[list[str], list[list[str]]]:
    """Header cells and rows of cells of the HTML log's entries table."""
    table = html[html.index('id="entries"') :]
    table = table[: table.index("</table>")]
    rows = re.findall(r"<tr><td.*?</tr>", table, re.S)
    return re.findall(r"<th>(.*?)</th>", table), [re.findall(r"<td[^>]*>(.*?)</td>", r, re.S) for r in rows]


@pytest.mark.parametrize("fmt", FORMATS)
def test_public_log_holds_no_fingerprint_and_no_coordinates(plan: Plan, fmt: str) -> None:
    public = render_audit(plan, fmt)
    internal = render_audit(plan, fmt, internal=True)
    fingerprint = plan.document.fingerprint
    assert re.fullmatch(r"[0-9a-f]{64}", fingerprint)
    assert fingerprint not in public and "SHA-256" not in public
    if fmt != "csv":  # the CSV has one row per entry and no document fields
        assert fingerprint in internal
    coordinates = _coordinates(plan)
    assert coordinates, "the fixture's areas have fractional coordinates"
    for value in coordinates:
        assert value not in public, (fmt, value)
    shown = [v for v in coordinates if v in internal]
    assert shown == coordinates if fmt != "html" else shown  # the HTML lists an entry's first 4 rectangles


def test_public_json_entries_give_where_and_why_only(plan: Plan) -> None:
    log = json.loads(render_audit(plan, "json"))
    assert log["entries"] and all(set(e) == PUBLIC_ENTRY_KEYS for e in log["entries"])
    keys = _keys(log)
    assert keys.isdisjoint({"rects", "rect", "characters", "withheld_characters", "sha256"}), keys
    ops = next(e for e in log["entries"] if e["rules"] == ["ops"])
    assert (ops["first_page"], ops["last_page"], ops["level"], ops["level_name"]) == (2, 2, 4, "span")
    assert ops["reasons"] == [{"code": "sec", "text": LEGAL_TEXT}]
    run = next(e for e in log["entries"] if e["kind"] == "pages")
    assert (run["first_page"], run["last_page"], run["rules"]) == (4, 5, ["default"])
    # Aggregates stay: words per page, rule and reason, and the totals.
    assert log["totals"]["released_words"] + log["totals"]["withheld_words"] == log["totals"]["words"]
    assert next(r for r in log["by_rule"] if r["rule"] == "ops")["withheld_words"] == 2
    assert next(r for r in log["by_reason"] if r["reason"] == "sec")["withheld_words"] > 2

    internal = json.loads(render_audit(plan, "json", internal=True))
    assert all(INTERNAL_ENTRY_KEYS <= set(e) for e in internal["entries"])
    assert internal["document"]["sha256"] == plan.document.fingerprint
    assert internal["totals"]["withheld_characters"] >= internal["totals"]["withheld_words"]
    ops = next(e for e in internal["entries"] if e["rules"] == ["ops"])
    assert (ops["words"], ops["characters"]) == (2, len("OperationQuillfeather"))
    assert ops["rects"] and all(r["page"] == 2 and len(r["rect"]) == 4 for r in ops["rects"])


def test_public_csv_columns_give_where_and_why_only(plan: Plan) -> None:
    rows = list(csv.DictReader(io.StringIO(render_audit(plan, "csv"))))
    assert rows and all(list(r) == PUBLIC_CSV_COLUMNS for r in rows)
    ops = next(r for r in rows if r["rules"] == "ops")
    assert (ops["first_page"], ops["last_page"], ops["level_name"]) == ("2", "2", "span")
    assert (ops["reasons"], ops["reason_texts"]) == ("sec", LEGAL_TEXT)
    assert next(r for r in rows if r["kind"] == "pages")["level_name"] == "default"

    internal = list(csv.DictReader(io.StringIO(render_audit(plan, "csv", internal=True))))
    assert set(INTERNAL_ENTRY_KEYS) <= set(internal[0])
    ops = next(r for r in internal if r["rules"] == "ops")
    assert (ops["words"], ops["characters"]) == ("2", str(len("OperationQuillfeather")))
    assert re.fullmatch(r"2:[\d.]+,[\d.]+,[\d.]+,[\d.]+(;2:.*)?", ops["rects"])


def test_public_html_entries_give_where_and_why_only(plan: Plan) -> None:
    headers, rows = _entries_table(render_audit(plan, "html"))
    assert headers == PUBLIC_HTML_HEADERS
    assert rows and all(len(r) == len(headers) for r in rows)
    ops = next(r for r in rows if r[4] == "ops")
    assert (ops[1], ops[3]) == ("2", "4 span")
    assert f'<span title="{LEGAL_TEXT}">sec</span>' == ops[5]
    assert next(r for r in rows if r[2] == "pages")[1] == "4–5"

    headers, rows = _entries_table(render_audit(plan, "html", internal=True))
    assert {"words", "chars", "rectangles (pt, top-left)", "withheld text"} <= set(headers)
    ops = dict(zip(headers, next(r for r in rows if r[4] == "ops"), strict=True))
    assert (ops["words"], ops["chars"]) == ("2", str(len("OperationQuillfeather")))
    assert ops["rectangles (pt, top-left)"].startswith("p.2 [")


@pytest.mark.parametrize("suffix", FORMATS)
def test_cli_writes_the_public_log_by_default(
    files: tuple[Path, Path], plan: Plan, tmp_path: Path, suffix: str
) -> None:
    out = tmp_path / f"log.{suffix}"
    result = runner.invoke(review_app(), ["audit", *map(str, files), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text == render_audit(plan, suffix)
    assert plan.document.fingerprint not in text and INTERNAL_MARKING not in text


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
    text = Path(written[str(tmp_path / "log.json")]).read_text(encoding="utf-8")
    assert json.loads(text) == audit_data(plan)
    assert plan.document.fingerprint not in text and '"rects"' not in text


def test_withheld_line_art_is_an_entry_with_its_rule(tmp_path: Path) -> None:
    """A drawing withheld by default (no text near it) is logged: page, rule, how many drawings."""
    import pymupdf

    from redactor.pipeline import make_plan
    from redactor.render.audit import audit_data
    from tests.builders import write_rules

    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), "Public paragraph alpha released to all.", fontsize=11)
    page.draw_bezier((80, 200), (120, 160), (160, 240), (220, 190), width=1.5)
    source = tmp_path / "signed.pdf"
    doc.save(source)
    plan = make_plan(source, write_rules(tmp_path, "- id: public\n  release: {block: '^Public'}\n"))
    entries = [e for e in audit_data(plan, internal=False)["entries"] if e["line_art"]]
    assert len(entries) == 1
    assert entries[0]["rules"] == ["default"] and entries[0]["first_page"] == 1 and entries[0]["placeholder"] == ""
