"""Precedence and selector semantics, as tables: (rules, atom, expected verdict, deciding rule)."""

from __future__ import annotations

from pathlib import Path

import pytest

from redactor.plan.decide import decide
from redactor.plan.precedence import DEFAULT_VERDICT, Verdict, prevails
from redactor.rules.parse import parse_rules
from redactor.source.load import load_document
from tests.builders import rules_text


def plan_for(source: Path, tmp_path: Path, rules: str):
    path = tmp_path / "r.yaml"
    path.write_text(rules_text(rules))
    return decide(load_document(source), parse_rules(path))


def verdict_of(plan, word: str):
    hits = [i for i, w in enumerate(plan.document.words) if w.text.strip(".,") == word]
    assert hits, f"no word {word!r}"
    return plan.verdicts[hits[0]]


@pytest.mark.parametrize(
    ("candidate", "current", "expected"),
    [
        (Verdict("release", "a", 4), Verdict("withhold", "b", 3), True),  # span beats block
        (Verdict("release", "a", 3), Verdict("withhold", "b", 2), True),  # block beats section
        (Verdict("release", "a", 2), Verdict("withhold", "b", 1), True),  # section beats pages
        (Verdict("release", "a", 1), DEFAULT_VERDICT, True),  # pages beat default
        (Verdict("withhold", "a", 2), Verdict("release", "b", 2), True),  # equal: withhold wins
        (Verdict("release", "a", 2), Verdict("withhold", "b", 2), False),
        (Verdict("release", "a", 1), Verdict("release", "b", 1), False),  # earlier rule is cited
        (Verdict("withhold", "a", 1), Verdict("release", "b", 3), False),
    ],
)
def test_precedence_table(candidate: Verdict, current: Verdict, expected: bool) -> None:
    assert prevails(candidate, current) is expected


CASES = [
    # rules, word, expected action, deciding rule
    ("- {id: p, release: {pages: '1'}}", "SECRETALPHA", "release", "p"),
    ("- {id: p, release: {pages: '1'}}\n- {id: b, withhold: {block: 'SECRETALPHA'}}", "SECRETALPHA", "withhold", "b"),
    ("- {id: p, release: {pages: '1'}}\n- {id: b, withhold: {block: 'SECRETALPHA'}}", "Closing", "release", "p"),
    (
        "- {id: s, release: {section: '^1\\. Intro'}}\n- {id: t, withhold: {text: 'Operation [A-Z][a-z]+'}}",
        "Nightjar",
        "withhold",
        "t",
    ),
    (
        "- {id: s, release: {section: '^1\\. Intro'}}\n- {id: t, withhold: {text: 'Operation [A-Z][a-z]+'}}",
        "mentions",
        "release",
        "s",
    ),
    # a released heading inside a withheld section
    (
        "- {id: s, withhold: {section: '^2\\. Operations'}}\n- {id: h, release: {block: '^2\\.1 Public summary'}}\n"
        "- {id: p, release: {pages: '1'}}",
        "summary",
        "release",
        "h",
    ),
    # a section spanning three pages
    ("- {id: s, release: {section: '^2\\. Operations'}}", "SECRETECHO", "release", "s"),
    ("- {id: s, release: {section: '^2\\. Operations'}}", "SECRETFOXTROT5", "withhold", "default"),
    # section level: 2.1 is a sub-section, so releasing level-2 headings only reaches it
    ("- {id: s, release: {section: 'Public', level: 2}}", "SECRETDELTA", "release", "s"),
    ("- {id: s, release: {section: 'Public', level: 2}}", "SECRETBRAVO", "withhold", "default"),
    # hyphenation across a line break: 'implementation' matches
    ("- {id: t, release: {text: 'implementation detail'}}", "detail", "release", "t"),
    ("- {id: t, release: {text: 'implementation detail'}}", "implemen-", "release", "t"),
    # from/to
    ("- {id: f, release: {from: '^Operations paragraph two', to: 'paragraph three'}}", "SECRETDELTA", "release", "f"),
    (
        "- {id: f, release: {from: '^Operations paragraph two', to: 'paragraph three'}}",
        "SECRETBRAVO",
        "withhold",
        "default",
    ),
    # within narrows
    ("- {id: w, release: {block: 'holds', within: '^2\\.1'}}", "SECRETDELTA", "release", "w"),
    ("- {id: w, release: {block: 'holds', within: '^2\\.1'}}", "SECRETBRAVO", "withhold", "default"),
    # several keys narrow each other
    ("- {id: n, release: {pages: '3', block: 'holds'}}", "SECRETDELTA", "release", "n"),
    ("- {id: n, release: {pages: '3', block: 'holds'}}", "SECRETECHO", "withhold", "default"),
    # region
    ("- {id: r, release: {pages: '4', region: [0, 80, 595, 120]}}", "SECRETECHO", "release", "r"),
    # ignore_case
    ("- {id: i, release: {block: 'secretalpha'}, ignore_case: true}", "SECRETALPHA", "release", "i"),
]


@pytest.mark.parametrize(("rules", "word", "action", "rule"), CASES)
def test_verdict_table(source_pdf: Path, tmp_path: Path, rules: str, word: str, action: str, rule: str) -> None:
    v = verdict_of(plan_for(source_pdf, tmp_path, rules), word)
    assert (v.action, v.rule) == (action, rule)


def test_furniture_does_not_keep_a_page(source_pdf: Path, tmp_path: Path) -> None:
    plan = plan_for(source_pdf, tmp_path, "- {id: p, release: {pages: '1-3'}}")
    assert [p.disposition for p in plan.pages] == ["kept", "kept", "kept", "withheld", "withheld", "withheld"]
    assert plan.sequence[-1].kind == "withheld_pages" and plan.sequence[-1].tail
    assert plan.sequence[-1].tail_page == "(page 6)"


def test_page_runs_partition_withheld_pages(source_pdf: Path, tmp_path: Path) -> None:
    plan = plan_for(source_pdf, tmp_path, "- {id: p, release: {pages: '1, 4'}}")
    notes = [(i.kind, i.first, i.last, i.text) for i in plan.sequence]
    assert notes[1] == ("withheld_pages", 2, 3, "Pages 2 through 3: NOT DECLASSIFIED")
    assert notes[3][0] == "withheld_pages" and notes[3][1:3] == (5, 6)
    covered = [p for i in plan.sequence if i.kind == "withheld_pages" for p in range(i.first, i.last + 1)]
    assert covered == [p.number for p in plan.pages if p.disposition == "withheld"]


def test_one_placeholder_per_withheld_paragraph(source_pdf: Path, tmp_path: Path) -> None:
    plan = plan_for(source_pdf, tmp_path, "- {id: s, release: {block: '^2\\. Operations'}}")
    page2 = plan.pages[1]
    assert len([a for a in page2.areas if not a.furniture]) == 2  # two withheld paragraphs, two placeholders
    merged = plan_for(source_pdf, tmp_path, "- {id: s, release: {block: '^2\\. Operations'}}").ruleset
    assert merged.placeholders.per == "block"


def test_per_run_merges_consecutive_paragraphs(source_pdf: Path, tmp_path: Path) -> None:
    from tests.builders import RULES_HEAD

    path = tmp_path / "r.yaml"
    path.write_text(
        rules_text("- {id: s, release: {block: '^2\\. Operations'}}", RULES_HEAD + "placeholders: {per: run}\n")
    )
    plan = decide(load_document(source_pdf), parse_rules(path))
    assert len([a for a in plan.pages[1].areas if not a.furniture]) == 1
