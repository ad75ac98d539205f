"""Bounded rule files: bad input costs seconds and megabytes, and ends in exit 2, never a hang.

Page ranges are checked arithmetically; rule patterns run under a time limit; YAML is read
within a size limit and without alias bombs. The cases that used to hang or eat the memory
run the real command in a subprocess with a wall-clock timeout and an address-space limit,
and their peak memory is checked, so a regression fails here instead of stalling CI.
"""

from __future__ import annotations

import itertools
import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pymupdf
import pytest
from typer.testing import CliRunner

from redactor.cli.app import app
from redactor.cli.common import parse_size
from redactor.errors import RuleError
from redactor.pageranges import PageRangeError, check_pages, page_spans, parse_pages
from redactor.plan.decide import decide
from redactor.rules import patterns
from redactor.rules.backtracking import can_backtrack_exponentially
from redactor.rules.parse import parse_rules
from redactor.rules.patterns import PatternTimeout, time_budget
from redactor.rules.yamlmarks import DEFAULT_MAX_SIZE, MAX_ALIAS_VALUES, load_marked
from redactor.source.load import load_document
from tests.builders import RULES_HEAD, rules_text

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]

#: A bad input must be refused within this many seconds (start-up included)...
WALL_LIMIT = 20.0
#: ...without the process growing past this resident size...
PEAK_LIMIT_MB = 1024
#: ...and it runs with no more address space than this (a regression dies, it cannot swap the machine).
ADDRESS_SPACE = 4 << 30


# --------------------------------------------------------------------------- running the command, bounded


@dataclass
class Run:
    """A finished subprocess: exit code, output, wall time and peak resident size."""

    code: int
    output: str
    seconds: float
    peak_mb: float


def _limit_address_space() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def redactor(*args: str | Path) -> Run:
    """``redactor ARGS`` in a subprocess, killed after twice WALL_LIMIT; its peak memory from wait4."""
    command = [sys.executable, "-c", "from redactor.cli.app import main; main()", *map(str, args)]
    start = time.monotonic()
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, preexec_fn=_limit_address_space
    )
    assert process.stdout is not None
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() - start > 2 * WALL_LIMIT:
            process.kill()
            os.wait4(process.pid, 0)
            pytest.fail(f"redactor {' '.join(map(str, args))} still ran after {2 * WALL_LIMIT:.0f} s")
        time.sleep(0.02)
    seconds = time.monotonic() - start
    output = process.stdout.read().decode("utf-8", "replace")
    process.stdout.close()
    return Run(os.waitstatus_to_exitcode(status), output, seconds, usage.ru_maxrss / 1024)


def assert_bounded(run: Run) -> None:
    assert run.seconds < WALL_LIMIT, f"took {run.seconds:.1f} s: {run.output}"
    assert run.peak_mb < PEAK_LIMIT_MB, f"peaked at {run.peak_mb:.0f} MB: {run.output}"
    assert "Traceback" not in run.output and "internal error" not in run.output, run.output


def write(folder: Path, body: str, name: str = "rules.yaml") -> Path:
    path = folder / name
    path.write_text(body if body.startswith("version") else rules_text(body), encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


@pytest.fixture(scope="module")
def long_line_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One wide page: an opening sentence and a 3000-letter word of "a"s ending in "!".

    ``(a+)+$`` and ``(\\w+\\s?)*$`` almost match the word: a backtracking engine tries every
    way to split it before it gives up.
    """
    path = tmp_path_factory.mktemp("long") / "long.pdf"
    doc = pymupdf.open()
    page = doc.new_page(width=14000, height=400)
    page.insert_text((20, 100), "A public opening sentence of the document.", fontsize=11)
    page.insert_text((20, 200), "a" * 3000 + "!", fontsize=4)
    doc.save(path)
    return path


OPENING = "- {id: open, release: {block: '^A public'}}\n"
TAIL = "- {id: tail, withhold: {pages: '3-end'}, reason: sec}\n"
#: A rule citing the head's reason, so lint without a source has nothing to say.
CITES_SEC = "- {id: w, withhold: {block: x}, reason: sec}"


# --------------------------------------------------------------------------- page ranges


def test_ranges_are_checked_without_listing_the_pages() -> None:
    start = time.perf_counter()
    check_pages("3-end")
    check_pages("1-1000000000")
    check_pages("5-end, end")
    assert page_spans("1-1000000000, 7", 10**12) == [(1, 1000000000)]
    assert time.perf_counter() - start < 0.1


def test_ranges_against_a_document() -> None:
    assert parse_pages("3-end", 6) == (3, 4, 5, 6)
    assert parse_pages("5-6, 1, 2-3, 3", 6) == (1, 2, 3, 5, 6)
    assert page_spans("5-6, 1, 2-3, 3", 6) == [(1, 3), (5, 6)]
    with pytest.raises(PageRangeError, match="page 1000000000 is beyond the document's 6 pages"):
        parse_pages("1-1000000000", 6)
    with pytest.raises(PageRangeError, match="runs backwards"):
        parse_pages("end-5", 6)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("0-3", "pages are numbered from 1"),
        ("4-2", "runs backwards"),
        ("3-", "is not a page or a range"),
        ("", "empty page range"),
        ("9" * 5000, "is not a page number any document reaches"),
    ],
)
def test_bad_ranges_without_a_document(spec: str, message: str) -> None:
    with pytest.raises(PageRangeError, match=message):
        check_pages(spec)


def test_lint_3_end_without_a_source(tmp_path: Path) -> None:
    rules = write(tmp_path, TAIL + "- {id: head, release: {pages: '1'}}")
    run = redactor("lint", rules)
    assert run.code == 0, run.output
    assert_bounded(run)


def test_apply_3_end_on_six_pages(tmp_path: Path, source_pdf: Path) -> None:
    rules = write(tmp_path, TAIL + "- {id: head, release: {pages: '1-2'}}")
    run = redactor("apply", source_pdf, rules, "-o", tmp_path / "out.pdf", "-q")
    assert run.code == 0, run.output
    assert_bounded(run)
    assert (tmp_path / "out.pdf").exists()


def test_a_billion_pages(tmp_path: Path, source_pdf: Path) -> None:
    rules = write(tmp_path, "- {id: all, release: {pages: '1-1000000000'}}\n" + CITES_SEC)
    lint = redactor("lint", rules)
    assert lint.code == 0, lint.output  # the file alone cannot know the page count
    assert_bounded(lint)
    apply = redactor("apply", source_pdf, rules, "-o", tmp_path / "out.pdf", "-q")
    assert apply.code == 2
    assert_bounded(apply)
    assert f"rules.yaml:{line_of(rules, '1-1000000000')}:" in apply.output
    assert "rule 'all': page 1000000000 is beyond the document's 6 pages." in apply.output
    assert not (tmp_path / "out.pdf").exists()


# --------------------------------------------------------------------------- patterns under a time limit


def test_apply_nested_quantifiers_on_a_long_word(tmp_path: Path, long_line_pdf: Path) -> None:
    rules = write(tmp_path, OPENING + "- {id: runaway, withhold: {text: '(a+)+$'}, reason: sec}")
    run = redactor("apply", long_line_pdf, rules, "-o", tmp_path / "out.pdf", "-q")
    assert run.code == 2, run.output
    assert_bounded(run)
    line = line_of(rules, "(a+)+$")
    assert f"rules.yaml:{line}:" in run.output
    assert "rule 'runaway': its text: pattern '(a+)+$' ran out of its 2-second time limit" in run.output
    assert "nested quantifiers" in run.output
    assert not (tmp_path / "out.pdf").exists()


def test_lint_with_source_stops_a_runaway_pattern(tmp_path: Path, long_line_pdf: Path) -> None:
    rules = write(tmp_path, OPENING + "- {id: words, withhold: {text: '(\\w+\\s?)*$'}, reason: sec}")
    run = redactor("lint", rules, "--source", long_line_pdf)
    assert run.code == 2, run.output
    assert_bounded(run)
    assert f"rules.yaml:{line_of(rules, 'id: words')}:" in run.output and "rule 'words'" in run.output


def test_the_same_pattern_on_short_text_is_fine(tmp_path: Path, source_pdf: Path) -> None:
    """The limit stops runaways only: on ordinary text nested quantifiers match as before."""
    delta = "- {id: delta, withhold: {block: '^(\\w+\\s?)*SECRETDELTA'}}"
    rules = write(tmp_path, "- {id: intro, release: {pages: '1-6'}}\n" + delta)
    plan = decide(load_document(source_pdf), parse_rules(rules))
    assert plan.rule_hits["delta"] > 0


def test_timeout_names_the_rule_and_the_pattern_position(
    tmp_path: Path, long_line_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(patterns, "PATTERN_TIME_LIMIT", 0.2)
    path = write(tmp_path, OPENING + "- id: runaway\n  withhold:\n    text: '(a|aa)*$'\n  reason: sec")
    ruleset = parse_rules(path)
    with pytest.raises(PatternTimeout) as caught:
        decide(load_document(long_line_pdf), ruleset)
    error = caught.value
    assert isinstance(error, RuleError) and error.exit_code == 2
    line = line_of(path, "text: '(a|aa)*$'")
    assert (error.line, error.column) == (line, path.read_text().splitlines()[line - 1].index("'(a|aa)") + 1)
    assert "rule 'runaway': its text: pattern '(a|aa)*$'" in error.message
    assert "0.2-second time limit" in error.message


def test_heading_pattern_runs_under_the_limit_too(
    tmp_path: Path, long_line_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(patterns, "PATTERN_TIME_LIMIT", 0.2)
    head = RULES_HEAD + "headings:\n  - {match: '(a+)+$', level: 1}\n"
    path = tmp_path / "rules.yaml"
    path.write_text(rules_text(OPENING, head), encoding="utf-8")
    with pytest.raises(PatternTimeout) as caught:
        decide(load_document(long_line_pdf), parse_rules(path))
    assert caught.value.message.startswith("headings: the match: pattern '(a+)+$'")
    assert caught.value.line == line_of(path, "match: '(a+)+$'")


def test_the_limit_covers_all_searches_of_a_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each search may be quick, the sum is what counts; a new document starts a new budget."""
    ruleset = parse_rules(write(tmp_path, "- {id: ops, withhold: {text: 'Op'}, reason: sec}"))
    [(_, pattern)] = ruleset.rules[0].selector.patterns()
    clock = itertools.count(step=0.25)  # read twice per search: each search takes a quarter second
    monkeypatch.setattr(patterns, "perf_counter", lambda: next(clock))
    with time_budget():
        for _ in range(8):
            assert pattern.search("Operation") is not None
        with pytest.raises(PatternTimeout):
            pattern.search("Operation")  # two seconds spent
        with pytest.raises(PatternTimeout):
            list(pattern.finditer("Operation"))
    with time_budget():
        assert [m.group() for m in pattern.finditer("Op Op")] == ["Op", "Op"]  # a new document, a new budget
    for _ in range(20):
        pattern.search("Operation")  # outside a document each search has the whole limit


def test_every_document_gets_its_own_budget(tmp_path: Path, source_pdf: Path) -> None:
    ruleset = parse_rules(write(tmp_path, "- {id: ops, withhold: {text: 'Operation'}, reason: sec}"))
    document = load_document(source_pdf)
    first, second = decide(document, ruleset), decide(document, ruleset)
    assert first.rule_hits == second.rule_hits and first.rule_hits["ops"] > 0


def test_patterns_keep_python_re_syntax_and_messages(tmp_path: Path) -> None:
    path = write(tmp_path, "- {id: lb, withhold: {text: '(?<=a+)b'}, reason: sec}")
    with pytest.raises(RuleError, match="is not a valid regular expression \\(look-behind requires fixed-width"):
        parse_rules(path)
    ruleset = parse_rules(write(tmp_path, "- {id: ok, withhold: {text: '(?P<w>Op)eration\\s(?P=w)?'}, reason: sec}"))
    [(_, pattern)] = ruleset.rules[0].selector.patterns()
    assert pattern.search("an Operation Op") is not None


# --------------------------------------------------------------------------- backtracking, found on the file alone


@pytest.mark.parametrize(
    "pattern",
    [r"(a+)+$", r"(\w+\s?)*$", r"(a|aa)*$", r"(a|a)*", r"(.*a){20}", r"(\s*,\s*)+", r"((a+))+", r"(?i)(A|a+)+"],
)
def test_backtracking_shapes_are_found(pattern: str) -> None:
    assert can_backtrack_exponentially(pattern)


@pytest.mark.parametrize(
    "pattern",
    [
        r"(\w+\s)+",
        r"(\d{1,3},)+",
        r"(Annex|Appendix)+",
        r"(ab?)+",
        r"(a|ab)+",
        r"(?>a+)+",
        r"(a++)+",
        r"\w+\s?\w+$",
        r"^The EMPACT Project on West Africa was initiated .*? set by COSI\.",
        r"^4\.(\d\.)? [A-Z]",
    ],
)
def test_ordinary_patterns_are_not_flagged(pattern: str) -> None:
    assert not can_backtrack_exponentially(pattern)


def test_the_sample_rule_file_has_no_backtracking_pattern() -> None:
    ruleset = parse_rules(ROOT / "rules" / "16014-12-ext1.yaml")
    found = [p for r in ruleset.rules for _, p in r.selector.patterns()] + [p for p, _ in ruleset.headings]
    assert found and not any(can_backtrack_exponentially(p.pattern, p.flags) for p in found)


# --------------------------------------------------------------------------- YAML within bounds

BILLION_LAUGHS = "version: 1\nlaughs:\n  lol0: &l0 \"lol\"\n" + "".join(
    f"  lol{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]\n" for i in range(1, 10)
)


def test_billion_laughs(tmp_path: Path) -> None:
    path = write(tmp_path, BILLION_LAUGHS)
    run = redactor("lint", path)
    assert run.code == 2, run.output
    assert_bounded(run)
    assert f"rules.yaml:{line_of(path, 'lol4:')}:" in run.output  # 11,110 values: the first alias past the bound
    assert f"aliases would expand to more than {MAX_ALIAS_VALUES:,} values" in run.output


def test_fifty_megabytes(tmp_path: Path, source_pdf: Path) -> None:
    rule = "  - {id: r%d, release: {pages: '1'}, optional: true}\n"
    lines = [rules_text("- {id: r0, release: {pages: '1'}}")]
    lines += [rule % i for i in range(1, 50 * 1024 * 1024 // len(rule % 1) + 1)]
    path = tmp_path / "rules.yaml"
    path.write_text("".join(lines)[: 50 * 1024 * 1024], encoding="utf-8")
    assert path.stat().st_size == 50 * 1024 * 1024
    for args in (["lint", path], ["apply", source_pdf, path, "-o", tmp_path / "out.pdf", "-q"]):
        run = redactor(*args)
        assert run.code == 2, run.output
        assert_bounded(run)
        assert str(path) in run.output
        assert "is 50 MiB (52,428,800 bytes), over the 1 MiB limit for a rule file." in run.output
        assert "--max-rules-size" in run.output


def test_the_size_limit_can_be_raised(tmp_path: Path, source_pdf: Path) -> None:
    padding = "# " + "x" * 98 + "\n"
    path = tmp_path / "rules.yaml"
    body = rules_text("- {id: all, release: {pages: '1-6'}}\n" + CITES_SEC)
    path.write_text(body + padding * (DEFAULT_MAX_SIZE // len(padding) + 1), encoding="utf-8")
    refused = runner.invoke(app, ["lint", str(path)])
    assert refused.exit_code == 2 and "over the 1 MiB limit" in refused.stdout
    result = runner.invoke(app, ["lint", str(path), "--max-rules-size", "2MiB"])
    assert result.exit_code == 0, result.output
    out = tmp_path / "out.pdf"
    result = runner.invoke(app, ["apply", str(source_pdf), str(path), "-o", str(out), "--max-rules-size", "2MiB", "-q"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(app, ["lint", str(path)]).exit_code == 2  # the raised limit held for one command only


@pytest.mark.parametrize(
    ("text", "size"), [("2MiB", 2 << 20), ("2097152", 2 << 20), ("1.5m", 3 << 19), ("512 KB", 1 << 19)]
)
def test_sizes(text: str, size: int) -> None:
    assert parse_size(text) == size


def test_a_bad_size_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["lint", str(write(tmp_path, OPENING)), "--max-rules-size", "lots"])
    assert result.exit_code == 2
    assert "is not a size" in result.output


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("version: 1\na: &a [1, *a]\n", "the alias *a stands inside its own anchor &a", 2),
        ("version: 1\nrules: " + "[" * 150 + "]" * 150 + "\n", "nests lists and mappings more than 100 deep", 2),
        ("version: 1\nrules: [1" + "0" * 5000 + "]\n", "cannot be read", 2),
        ("version: 1\nx: \x01\n", "control character U+0001", 2),
    ],
)
def test_other_unbounded_yaml(tmp_path: Path, text: str, message: str, line: int) -> None:
    with pytest.raises(RuleError) as caught:
        load_marked(tmp_path / "rules.yaml", text)
    assert message in caught.value.message and caught.value.line == line


def test_a_few_aliases_are_fine(tmp_path: Path) -> None:
    text = "version: 1\nbase: &b {pages: '1'}\nrules:\n" + "".join(f"  - {{id: r{i}, sel: *b}}\n" for i in range(50))
    marked = load_marked(tmp_path / "rules.yaml", text)
    assert marked.data["rules"][49]["sel"] == {"pages": "1"}
