"""``redactor lint``: each kind of finding, at the right YAML line, and the exit codes 0/1/2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from redactor.check.lint import Finding, lint_ruleset
from redactor.rules.parse import parse_rules
from tests.review_fixtures import RULES, RULES_HEAD, build_source, line_of, review_app, rules_text, write_rules

runner = CliRunner()


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_source(tmp_path_factory.mktemp("lint") / "source.pdf")


def lint(tmp_path: Path, rules: str, source: Path | None, head: str = RULES_HEAD) -> tuple[int, str, str]:
    """Run ``redactor lint`` on a rule file made of ``rules``; returns exit code, stdout and the file's text."""
    path = write_rules(tmp_path, rules, head=head)
    args = ["lint", str(path)] + (["--source", str(source)] if source else [])
    result = runner.invoke(review_app(), args)
    return result.exit_code, result.stdout, path.read_text(encoding="utf-8")


def findings_of(tmp_path: Path, rules: str, source: Path | None, head: str = RULES_HEAD) -> tuple[list[Finding], str]:
    path = write_rules(tmp_path, rules, head=head)
    document = None
    if source is not None:
        from redactor.source.load import load_document

        document = load_document(source)
    return lint_ruleset(parse_rules(path), document), path.read_text(encoding="utf-8")


CLEAN = """\
- id: cover
  release: {block: "^Delegations will find"}
- id: harbour
  release: {section: "^Chapter One"}
- id: ops
  withhold: {text: "Operation [A-Z][a-z]+"}
  reason: sec
"""


def test_clean_file_exits_0(tmp_path: Path, source: Path) -> None:
    code, out, _ = lint(tmp_path, CLEAN, source)
    assert code == 0, out
    assert out.strip().endswith("no findings.")


def test_schema_problem_is_a_finding_with_its_position_and_exit_2(tmp_path: Path, source: Path) -> None:
    code, out, text = lint(tmp_path, CLEAN.replace("release: {section:", "relase: {section:"), source)
    assert code == 2
    assert f"rules.yaml:{line_of(text, 'relase:')}:" in out
    assert "error" in out and "did you mean 'release'" in out


def test_invalid_yaml_is_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("version: 1\nrules: [\n", encoding="utf-8")
    result = runner.invoke(review_app(), ["lint", str(path)])
    assert result.exit_code == 2
    assert "is not valid YAML" in result.stdout


def test_rule_matching_nothing_is_reported_with_the_closest_candidates(tmp_path: Path, source: Path) -> None:
    rules = (
        CLEAN
        + '- id: typo\n  release: {section: "^Chapter Tree"}\n- id: typo2\n  release: {block: "^Nothing like it"}\n'
    )
    code, out, text = lint(tmp_path, rules, source)
    assert code == 1
    lines = out.splitlines()
    typo = next(line for line in lines if "[typo]" in line)
    assert typo.startswith(f"{tmp_path / 'rules.yaml'}:{line_of(text, 'Chapter Tree')}:")
    assert "matches nothing" in typo and "'Chapter Three: Night operations'" in typo
    assert any("[typo2]" in line and "matches nothing" in line for line in lines)  # all of them, not the first


def test_optional_rule_matching_nothing_is_fine(tmp_path: Path, source: Path) -> None:
    code, out, _ = lint(tmp_path, CLEAN + '- id: maybe\n  release: {block: "^Not there"}\n  optional: true\n', source)
    assert code == 0, out


def test_rule_always_overridden_decides_nothing(tmp_path: Path, source: Path) -> None:
    rules = CLEAN + '- id: page-two\n  release: {pages: "2"}\n'  # Chapter One (a section rule) covers page 2
    findings, text = findings_of(tmp_path, rules, source)
    [f] = [f for f in findings if f.rule == "page-two"]
    assert f.severity == "warning" and "decides none" in f.message and "'harbour'" in f.message
    assert f.line == line_of(text, 'pages: "2"')


def test_equal_level_conflict_says_withhold_wins(tmp_path: Path, source: Path) -> None:
    rules = (
        CLEAN + '- id: coast\n  release: {block: "^Coastal patrol"}\n- id: coast-no\n  withhold: {block: "^Coastal"}\n'
    )
    findings, text = findings_of(tmp_path, rules, source)
    conflict = [f for f in findings if "withhold wins" in f.message]
    assert len(conflict) == 1
    assert conflict[0].rule == "coast" and "'coast-no'" in conflict[0].message
    assert conflict[0].line == line_of(text, '"^Coastal patrol"')


def test_reason_defined_but_never_cited(tmp_path: Path) -> None:
    head = RULES_HEAD + '  unused: "Article 4(2), second indent"\n'
    findings, text = findings_of(tmp_path, CLEAN, None, head=head)
    [f] = findings
    assert "'unused' is defined but no rule cites it" in f.message
    assert f.line == line_of(text, "unused:")


def test_reason_cited_but_not_defined_is_unusable(tmp_path: Path) -> None:
    code, out, text = lint(tmp_path, CLEAN.replace("reason: sec", "reason: secc"), None)
    assert code == 2
    assert f":{line_of(text, 'reason: secc')}:" in out and "did you mean 'sec'" in out


@pytest.mark.parametrize(
    ("selector", "key"),
    [('{text: "x*"}', "text"), ('{block: "^"}', "block"), ('{section: "(Chapter)?"}', "section")],
)
def test_regex_matching_the_empty_string(tmp_path: Path, selector: str, key: str) -> None:
    findings, text = findings_of(tmp_path, CLEAN + f"- id: empty\n  withhold: {selector}\n", None)
    [f] = [f for f in findings if f.rule == "empty"]
    assert f.severity == "error" and "empty string" in f.message and f.message.startswith(key)
    assert f.line == line_of(text, selector)


def test_released_text_naming_a_withheld_heading(tmp_path: Path, source: Path) -> None:
    """Page 1's contents line names Chapter Three, whose whole section is withheld."""
    findings, text = findings_of(tmp_path, RULES, source)
    [f] = [f for f in findings if "names the heading" in f.message]
    assert "'Chapter Three: Night operations'" in f.message and f.rule == "cover"
    assert f.line == line_of(text, 'release: {pages: "1"}')
    assert "Chapter Two" not in f.message  # its section is partly released


def test_page_beyond_the_document(tmp_path: Path, source: Path) -> None:
    code, out, text = lint(tmp_path, CLEAN + '- id: far\n  release: {pages: "9"}\n', source)
    assert code == 1
    line = line_of(text, 'pages: "9"')
    assert f":{line}:" in out and "beyond the document's 5 pages" in out


def test_without_source_only_the_file_is_checked(tmp_path: Path) -> None:
    code, out, _ = lint(tmp_path, CLEAN + '- id: typo\n  release: {block: "^Nothing like it"}\n', None)
    assert code == 0, out


def test_json_output(tmp_path: Path, source: Path) -> None:
    path = write_rules(tmp_path, RULES)
    result = runner.invoke(review_app(), ["lint", str(path), "--source", str(source), "--json"])
    assert result.exit_code == 1
    [finding] = json.loads(result.stdout)
    assert set(finding) == {"severity", "rule", "line", "column", "message", "hint"}


def test_unreadable_source_is_exit_3(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(rules_text(CLEAN), encoding="utf-8")
    result = runner.invoke(review_app(), ["lint", str(path), "--source", str(tmp_path / "missing.pdf")])
    assert result.exit_code == 3
    assert "does not exist" in result.stderr


@pytest.mark.parametrize(
    ("selector", "key"),
    [('{text: "(a+)+$"}', "text"), ('{block: "(\\\\w+\\\\s?)+$"}', "block"), ('{section: "^(a|aa)*x"}', "section")],
)
def test_nested_quantifiers_are_flagged_without_a_source(tmp_path: Path, selector: str, key: str) -> None:
    code, out, text = lint(tmp_path, CLEAN + f"- id: runaway\n  withhold: {selector}\n  reason: sec\n", None)
    assert code == 1
    [line] = [line for line in out.splitlines() if "[runaway]" in line]
    assert line.startswith(f"{tmp_path / 'rules.yaml'}:{line_of(text, selector)}:")
    assert f"warning [runaway]: {key}: " in line and "can backtrack exponentially" in line
    assert "nested quantifiers" in line and "exit 2" in line


def test_nested_quantifiers_in_a_heading_declaration(tmp_path: Path) -> None:
    head = RULES_HEAD + 'headings:\n  - {match: "^(Chapter\\\\s*\\\\w*)+:", level: 1}\n'
    findings, text = findings_of(tmp_path, CLEAN, None, head=head)
    [f] = findings
    assert f.rule is None and f.message.startswith("headings: '^(Chapter\\s*\\w*)+:'")
    assert f.line == line_of(text, "match:")
