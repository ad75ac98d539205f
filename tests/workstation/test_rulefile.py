"""The rule file written by the workstation: comments and layout kept, lint clean, honoured by apply.

Each rule is built the way the workstation builds it (redactor.authoring.picks), written into
a commented rule file (redactor.authoring.rulefile), linted against the source, and applied;
the extract is read with PDFium (pypdfium2), never with PyMuPDF, which wrote it.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from redactor.authoring.picks import (
    block_rule,
    pages_rule,
    region_rule,
    search,
    search_rule,
    span,
    span_rule,
    words_in,
)
from redactor.authoring.rulefile import NewRule, add_rule, remove_rule, rule_ids, selectors, set_reason, style_of
from redactor.errors import RuleError
from redactor.source.load import load_document
from redactor.source.model import Document
from tests.review_fixtures import CANARIES, build_source
from tests.workstation.helpers import COMMENTED, extract_text, new_findings, plan_of

SAMPLE_RULES = Path(__file__).resolve().parents[2] / "rules" / "16014-12-ext1.yaml"


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_source(tmp_path_factory.mktemp("rulefile") / "source.pdf")


@pytest.fixture(scope="module")
def document(source: Path) -> Document:
    return load_document(source)


def released_with(source: Path, document: Document, rule: NewRule, folder: Path) -> str:
    """The extract's text (PDFium) once ``rule`` is added to the commented rules, which lint must accept as before."""
    text, _ = add_rule(COMMENTED, rule)
    assert new_findings(document, COMMENTED, text) == []
    return extract_text(source, document, text, folder)


def block_starting(document: Document, prefix: str) -> int:
    return next(b.id for b in document.blocks if b.text.startswith(prefix))


def only_inserted(before: str, after: str) -> list[str]:
    """The lines ``after`` adds to ``before``; fails if any line of ``before`` changed or went."""
    matcher = difflib.SequenceMatcher(a=before.splitlines(), b=after.splitlines(), autojunk=False)
    added = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        assert op in ("equal", "insert"), f"{op}: {before.splitlines()[i1:i2]} -> {after.splitlines()[j1:j2]}"
        if op == "insert":
            added += after.splitlines()[j1:j2]
    return added


# --------------------------------------------------------------------------- the text


def test_a_rule_is_added_and_nothing_else_changes() -> None:
    rule = NewRule("withhold", {"text": "Operation Quillfeather", "pages": "2"}, "p2-span", "sec")
    text, rule_id = add_rule(COMMENTED, rule)
    assert rule_id == "review-withhold-p2-span"
    assert only_inserted(COMMENTED, text) == [
        "  - id: review-withhold-p2-span",
        '    withhold: {text: "Operation Quillfeather", pages: "2"}',
        '    reason: "sec"',
    ]
    assert text.endswith("# end of the rules\n")


def test_the_bundled_rule_file_keeps_every_line_and_its_blank_line_style() -> None:
    original = SAMPLE_RULES.read_text(encoding="utf-8")
    text, rule_id = add_rule(original, NewRule("release", {"block": "^Driver: UK$"}, "p3-block"))
    added = only_inserted(original, text)
    assert sorted(added) == sorted(["", f"  - id: {rule_id}", '    release: {block: "^Driver: UK$"}'])
    assert remove_rule(text, rule_id).splitlines() == original.splitlines()


def test_style_is_read_off_the_file() -> None:
    nested = COMMENTED.replace('release: {block: "^Coastal patrol paragraph"}', 'release:\n      block: "^Coastal"')
    nested = nested.replace('withhold: {block: "^Second harbour paragraph"}', 'withhold:\n      block: "^Second"')
    nested = nested.replace('release: {section: "^Chapter One"}', 'release:\n      section: "^Chapter One"')
    style = style_of(nested)
    assert (style.offset, style.sequence, style.mapping) == (2, 4, 2)
    text, _ = add_rule(nested, NewRule("release", {"pages": "3"}, "p3"))
    assert only_inserted(nested, text)[-2:] == ["    release:", '      pages: "3"']


def test_ids_are_unique_and_never_made_of_the_documents_words() -> None:
    rule = NewRule("withhold", {"text": "SECRETHARBOUR"}, "search", "sec")
    text, first = add_rule(COMMENTED, rule)
    text, second = add_rule(text, rule)
    assert (first, second) == ("review-withhold-search", "review-withhold-search-2")
    assert len(set(rule_ids(text))) == len(rule_ids(text))
    assert not any(word.lower() in first + second for word in CANARIES)


def test_a_reason_is_changed_in_place_or_added_after_the_selector() -> None:
    text = set_reason(COMMENTED, "ops", "sec")
    assert only_inserted(COMMENTED.replace("    reason: other\n", ""), text) == ['    reason: "sec"']
    added, rule_id = add_rule(COMMENTED, NewRule("withhold", {"pages": "5"}, "p5"))
    with_reason = set_reason(added, rule_id, "other")
    assert only_inserted(added, with_reason) == ['    reason: "other"']
    with pytest.raises(RuleError, match="does not withhold"):
        set_reason(COMMENTED, "cover", "sec")
    with pytest.raises(RuleError, match="no rule 'nope'"):
        set_reason(COMMENTED, "nope", "sec")


def test_a_rule_is_removed_with_its_own_lines_only() -> None:
    text = remove_rule(COMMENTED, "coastal")
    assert "coastal" not in rule_ids(text)
    assert only_inserted(text, COMMENTED) == ["  - id: coastal", '    release: {block: "^Coastal patrol paragraph"}']


def test_selectors_read_back_as_plain_values() -> None:
    found = {rule_id: (action, sel) for rule_id, action, sel in selectors(COMMENTED)}
    assert found["harbour-secret"] == ("withhold", {"block": "^Second harbour paragraph"})
    assert found["cover"] == ("release", {"pages": "1"})


# --------------------------------------------------------------------------- the rules: lint and apply


def test_releasing_a_block_a_block_rule_withholds_takes_a_span_rule(
    source: Path, document: Document, tmp_path: Path
) -> None:
    plan = plan_of(document, COMMENTED)
    block = block_starting(document, "Second harbour paragraph")
    rule = block_rule(plan, block, "release")
    assert rule is not None and "text" in rule.selector  # block level would lose to harbour-secret
    text, _ = add_rule(COMMENTED, rule)
    # The new rule is accepted; lint says the hand-written withhold no longer decides anything.
    findings = new_findings(document, COMMENTED, text)
    assert len(findings) == 1 and "warning [harbour-secret]" in findings[0] and "decides none" in findings[0]
    assert "SECRETHARBOUR" in extract_text(source, document, text, tmp_path)


def test_withholding_a_released_block_takes_a_block_rule(source: Path, document: Document, tmp_path: Path) -> None:
    plan = plan_of(document, COMMENTED)
    block = block_starting(document, "Harbour logistics paragraph")
    rule = block_rule(plan, block, "withhold", "sec")
    assert rule is not None and rule.selector == {"block": "^Harbour logistics paragraph"}
    assert block_rule(plan, block, "release") is None  # released already: nothing to write
    shown = released_with(source, document, rule, tmp_path)
    assert "Harbour logistics paragraph" not in shown and "Chapter One: Harbour logistics" in shown


def test_words_become_a_span_rule_on_their_page(source: Path, document: Document, tmp_path: Path) -> None:
    block = block_starting(document, "Harbour logistics paragraph")
    words = document.blocks[block].word_ids
    box = document.words[words[4]].rect.union(document.words[words[6]].rect)  # "public and names"
    chosen = words_in(document, 2, box)
    assert chosen is not None and chosen.text == "public and names"
    assert chosen == span(document, block, words[4], words[6])
    rule = span_rule(chosen, "withhold", "sec")
    assert rule.selector == {"text": "public and names", "pages": "2"}
    shown = released_with(source, document, rule, tmp_path)
    assert "names" not in shown and "Harbour logistics paragraph is" in shown


def test_a_region_withholds_what_it_holds(source: Path, document: Document, tmp_path: Path) -> None:
    block = block_starting(document, "Harbour logistics paragraph")
    rule = region_rule(2, document.blocks[block].rect.expanded(2), "withhold", "sec")
    assert rule.selector["pages"] == "2" and len(rule.selector["region"]) == 4
    shown = released_with(source, document, rule, tmp_path)
    assert "Harbour logistics paragraph" not in shown and "Chapter One: Harbour logistics" in shown


def test_a_run_of_pages_is_withheld_whole_even_where_blocks_are_released(
    source: Path, document: Document, tmp_path: Path
) -> None:
    plan = plan_of(document, COMMENTED)
    rule = pages_rule(plan, 2, 3, "withhold", "sec")
    assert rule.selector["pages"] == "2-3" and "region" in rule.selector  # a page rule would lose to them
    text, _ = add_rule(COMMENTED, rule)
    assert all("warning" in f for f in new_findings(document, COMMENTED, text))  # overridden rules only, no error
    after = plan_of(document, text)
    assert [after.pages[n - 1].disposition for n in (2, 3)] == ["withheld", "withheld"]
    shown = extract_text(source, document, text, tmp_path)
    assert "Harbour logistics paragraph" not in shown and "Coastal patrol paragraph" not in shown
    assert "NOT DECLASSIFIED FROM THIS POINT UNTIL THE END OF THE DOCUMENT" in shown  # pp. 4-5 were withheld


def test_a_run_of_pages_released_by_a_page_rule(source: Path, document: Document) -> None:
    plan = plan_of(document, COMMENTED)
    rule = pages_rule(plan, 4, 5, "release")
    assert rule.selector == {"pages": "4-5"}
    text, _ = add_rule(COMMENTED, rule)
    assert new_findings(document, COMMENTED, text) == []
    assert plan_of(document, text).pages[4].disposition == "kept"


def test_every_occurrence_of_a_search_is_withheld(source: Path, document: Document, tmp_path: Path) -> None:
    count, listed = search(document, "coastal", ignore_case=True)
    assert count == len(listed) >= 3  # contents line, heading, paragraph
    assert {o.page for o in listed} == {1, 3}
    rule = search_rule("coastal", True, "withhold", "sec")
    assert rule.selector == {"text": "coastal"} and rule.ignore_case
    text, _ = add_rule(COMMENTED, rule)
    assert "    ignore_case: true" in text
    assert new_findings(document, COMMENTED, text) == []
    shown = extract_text(source, document, text, tmp_path)
    assert "coastal" not in shown.lower() and "Harbour logistics" in shown
