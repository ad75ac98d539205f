"""``placeholder: inline``: a run of withheld pages shown as one inline placeholder, no page note.

The generated document (tests/builders.build_document) has six pages; pages 2-4 hold the
section "2. Operations" with the SECRETBRAVO ... SECRETECHO paragraphs. Releasing pages 1,
5 and 6 whole leaves 2-4 as the only withheld run, in the middle of the document, so the
only placeholder the extract can show is that run's.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from redactor.cli.app import app
from redactor.errors import RuleError
from redactor.plan.decide import decide
from redactor.plan.model import Plan
from redactor.render.audit import audit_data
from redactor.render.text import render_html
from redactor.rules.parse import parse_rules
from redactor.source.load import load_document
from tests.builders import pages_text, text_of, write_rules

runner = CliRunner()

INLINE = "NOT DECLASSIFIED"
RUN_SECRETS = ("SECRETBRAVO", "SECRETCHARLIE", "SECRETDELTA", "SECRETECHO")
PAGE_NOTE = re.compile(r"Pages? \d+( through \d+)?: NOT DECLASSIFIED")

KEPT = "- {id: kept, release: {pages: '1, 5-6'}}\n"
INLINE_RUN = KEPT + "- {id: ops, withhold: {pages: '2-4'}, reason: sec, placeholder: inline}"


def plan_for(source: Path, tmp_path: Path, rules: str) -> Plan:
    return decide(load_document(source), parse_rules(write_rules(tmp_path, rules)))


def withheld_items(plan: Plan) -> list:
    return [item for item in plan.sequence if item.kind == "withheld_pages"]


# --------------------------------------------------------------------------- the sequence


def test_inline_run_is_one_inline_placeholder(source_pdf: Path, tmp_path: Path) -> None:
    plan = plan_for(source_pdf, tmp_path, INLINE_RUN)
    assert [(i.kind, i.first, i.last) for i in plan.sequence] == [
        ("page", 1, 1),
        ("withheld_pages", 2, 4),
        ("page", 5, 5),
        ("page", 6, 6),
    ]
    (run,) = withheld_items(plan)
    assert run.inline and run.text == INLINE and not run.tail and run.tail_page == ""
    assert run.rules == ("ops",)
    assert not any(PAGE_NOTE.search(item.text) for item in plan.sequence)


def test_without_the_key_the_run_keeps_its_page_note(source_pdf: Path, tmp_path: Path) -> None:
    plan = plan_for(source_pdf, tmp_path, KEPT + "- {id: ops, withhold: {pages: '2-4'}, reason: sec}")
    (run,) = withheld_items(plan)
    assert not run.inline and run.text == "Pages 2 through 4: NOT DECLASSIFIED"


def test_a_run_only_partly_covered_keeps_its_page_note(source_pdf: Path, tmp_path: Path) -> None:
    """Pages 2-4 are dropped, but the inline rule names 2-3 only: one mark would hide page 4."""
    rules = KEPT + "- {id: ops, withhold: {pages: '2-3'}, reason: sec, placeholder: inline}"
    (run,) = withheld_items(plan_for(source_pdf, tmp_path, rules))
    assert not run.inline and run.text == "Pages 2 through 4: NOT DECLASSIFIED"


def test_rules_covering_a_run_together_make_it_inline(source_pdf: Path, tmp_path: Path) -> None:
    rules = (
        KEPT
        + "- {id: a, withhold: {pages: '2'}, reason: sec, placeholder: inline}\n"
        + "- {id: b, withhold: {pages: '3-4'}, reason: sec, placeholder: inline}"
    )
    (run,) = withheld_items(plan_for(source_pdf, tmp_path, rules))
    assert run.inline and run.rules == ("a", "b")


def test_a_run_reaching_the_end_stays_the_tail_note(source_pdf: Path, tmp_path: Path) -> None:
    rules = "- {id: kept, release: {pages: '1-4'}}\n- {id: annex, withhold: {pages: '5-6'}, placeholder: inline}"
    (run,) = withheld_items(plan_for(source_pdf, tmp_path, rules))
    assert run.tail and not run.inline
    assert run.text == "NOT DECLASSIFIED FROM THIS POINT UNTIL THE END OF THE DOCUMENT"
    assert run.tail_page == "(page 6)"


# --------------------------------------------------------------------------- renditions


@pytest.fixture(scope="module")
def applied(source_pdf: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The extract (verified, as apply does by default), its Markdown and its audit."""
    folder = tmp_path_factory.mktemp("inline")
    rules = write_rules(folder, INLINE_RUN)
    out = {"pdf": folder / "ext.pdf", "md": folder / "ext.md", "audit": folder / "audit.json"}
    args = ["apply", str(source_pdf), str(rules), "-o", str(out["pdf"]), "--markdown", str(out["md"])]
    result = runner.invoke(app, [*args, "--audit", str(out["audit"]), "-q"])
    assert result.exit_code == 0, result.output
    return out


def test_extract_text_shows_the_mark_once_and_no_page_note(applied: dict[str, Path]) -> None:
    """Read by pdfminer.six: one NOT DECLASSIFIED in the whole extract, no page note."""
    text = text_of(applied["pdf"])
    assert text.count(INLINE) == 1
    assert "through" not in text and not PAGE_NOTE.search(text)


def test_extract_mark_stands_between_the_kept_pages(applied: dict[str, Path]) -> None:
    pages = [p for p in pages_text(applied["pdf"]) if "Introduction" in p or INLINE in p or "Annex part" in p]
    assert "1. Introduction" in pages[0]
    assert pages[1] == INLINE
    assert "Annex part 5" in pages[2]


def test_withheld_pages_text_is_absent(applied: dict[str, Path]) -> None:
    text = text_of(applied["pdf"]) + applied["md"].read_text(encoding="utf-8")
    for secret in (*RUN_SECRETS, "2. Operations", "Public summary"):
        assert secret not in text


def test_markdown_shows_the_inline_mark(applied: dict[str, Path]) -> None:
    lines = applied["md"].read_text(encoding="utf-8").splitlines()
    assert lines.count(f"**{INLINE}**") == 1
    assert not any(PAGE_NOTE.search(line) for line in lines)
    assert lines.index(f"**{INLINE}**") > next(i for i, line in enumerate(lines) if "Closing public words" in line)


def test_html_shows_a_placeholder_paragraph_not_a_note(source_pdf: Path, tmp_path: Path) -> None:
    html = render_html(plan_for(source_pdf, tmp_path, INLINE_RUN))
    assert f'<p><span class="placeholder">{INLINE}</span></p>' in html
    assert '<p class="note">' not in html


def test_audit_entry_cites_the_rule_and_its_reason(source_pdf: Path, tmp_path: Path) -> None:
    log = audit_data(plan_for(source_pdf, tmp_path, INLINE_RUN))
    (entry,) = [e for e in log["entries"] if e["kind"] == "pages"]
    assert (entry["first_page"], entry["last_page"]) == (2, 4)
    assert entry["rules"] == ["ops"]
    assert [r["code"] for r in entry["reasons"]] == ["sec"]
    assert entry["placeholder"] == INLINE


def test_audit_cites_the_inline_rule_even_when_an_earlier_rule_decides(source_pdf: Path, tmp_path: Path) -> None:
    """At equal level the earlier rule is cited per word; the run still names the rule that chose its mark."""
    rules = (
        KEPT
        + "- {id: wide, withhold: {pages: '2-4'}}\n"
        + "- {id: ops, withhold: {pages: '2-4'}, reason: sec, placeholder: inline}"
    )
    log = audit_data(plan_for(source_pdf, tmp_path, rules))
    (entry,) = [e for e in log["entries"] if e["kind"] == "pages"]
    assert entry["rules"] == ["ops", "wide"]
    assert [r["code"] for r in entry["reasons"]] == ["sec"]


# --------------------------------------------------------------------------- invalid uses

INVALID = [
    # rule body (the key on its own line, line 13 of the file), what the message says
    ("- id: t\n  withhold: {text: 'Operation [A-Z][a-z]+'}\n  reason: sec\n  placeholder: inline", "withholds by text"),
    ("- id: b\n  withhold: {block: 'SECRETALPHA'}\n  reason: sec\n  placeholder: inline", "withholds by block"),
    ("- id: p\n  withhold: {pages: '2', within: '^2\\.'}\n  reason: sec\n  placeholder: inline", "pages, within"),
    ("- id: r\n  release: {pages: '1'}\n  optional: false\n  placeholder: inline", "releases"),
    ("- id: c\n  condense: {pages: '2-4'}\n  optional: false\n  placeholder: inline", "condenses"),
]


@pytest.mark.parametrize(("body", "what"), INVALID)
def test_placeholder_inline_elsewhere_is_a_rule_error(tmp_path: Path, body: str, what: str) -> None:
    with pytest.raises(RuleError) as caught:
        parse_rules(write_rules(tmp_path, body))
    error = caught.value
    assert what in error.message and "placeholder: inline" in error.message
    assert (error.line, error.column) == (13, 18)  # the value of the key
    assert error.hint and "pages" in error.hint


def test_invalid_use_exits_2_with_line_and_column(source_pdf: Path, tmp_path: Path) -> None:
    rules = write_rules(tmp_path, KEPT + INVALID[0][0])
    out = tmp_path / "out.pdf"
    result = runner.invoke(app, ["apply", str(source_pdf), str(rules), "-o", str(out), "-q"])
    assert result.exit_code == 2, result.output
    assert "rules.yaml:14:18" in result.output
    assert "rule 't' withholds by text" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()
    linted = runner.invoke(app, ["lint", str(rules)])
    assert linted.exit_code == 2 and "rules.yaml:14:18" in linted.output


def test_unknown_value_is_refused(tmp_path: Path) -> None:
    body = "- id: p\n  withhold: {pages: '2'}\n  reason: sec\n  placeholder: note"
    with pytest.raises(RuleError) as caught:
        parse_rules(write_rules(tmp_path, body))
    assert caught.value.line == 13 and "inline" in caught.value.message
