"""``redactor lint``: what is wrong or suspicious in a rule file, before anything is produced.

A rule file that cannot be read is reported as a finding and exits 2 (it is unusable).
Otherwise every finding is listed, not only the first: the rules that match nothing, those
that never decide an atom because others override them, release/withhold conflicts at equal
level, reasons defined but never cited, regexes that match the empty string or can backtrack
exponentially (nested quantifiers), and released text naming a heading whose whole section
is withheld. The checks read the planner's own selection and decision (``select_rules``,
``decide``); lint never re-implements them.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any, Literal

from redactor.errors import RuleError
from redactor.pageranges import PageRangeError, page_spans
from redactor.plan.decide import decide
from redactor.plan.precedence import LEVEL_NAMES
from redactor.plan.verdicts import closest_candidates, select_rules
from redactor.rules.backtracking import can_backtrack_exponentially
from redactor.rules.model import Rule, RuleSet
from redactor.rules.patterns import PATTERN_TIME_LIMIT, PatternTimeout, RulePattern, time_budget
from redactor.rules.yamlmarks import KEY
from redactor.source.model import Document
from redactor.source.outline import DeclaredHeading, build_outline

Severity = Literal["error", "warning"]

#: Level names, as the design's selector table calls them.
#: A heading of fewer words ("Action", "Operational action") is too common a phrase to count
#: as "named" in other text, unless it holds a number ("ANNEX 3").
NAMED_HEADING_MIN_WORDS = 3
#: Closest headings/blocks offered for a rule that matches nothing.
CLOSEST = 3


@dataclass(frozen=True)
class Finding:
    """One problem: how bad, which rule, where in the YAML, what and what to do."""

    severity: Severity
    rule: str | None
    line: int | None
    column: int | None
    message: str
    hint: str

    def format(self, path: str) -> str:
        """``file:line:col: severity [rule]: message Hint: hint``, one line."""
        where = path + "".join(f":{v}" for v in (self.line, self.column) if v is not None)
        rule = f" [{self.rule}]" if self.rule else ""
        return f"{where}: {self.severity}{rule}: {self.message} Hint: {self.hint}"


def _at(rule: Rule, field: str | None, severity: Severity, message: str, hint: str) -> Finding:
    line, column = rule.field_positions.get(field or "", rule.position)
    return Finding(severity, rule.id, line, column, message, hint)


def from_error(error: RuleError) -> Finding:
    """A parse or planning error, reported as a finding."""
    return Finding("error", None, error.line, error.column, error.message, error.hint or "see docs/rules.md.")


# --------------------------------------------------------------------------- checks on the file alone


def unused_reasons(ruleset: RuleSet) -> list[Finding]:
    """Reasons defined under ``reasons:`` that no rule cites: a typo, or a forgotten rule."""
    cited = {r.reason for r in ruleset.rules if r.reason}
    findings = []
    for code in ruleset.reasons:
        if code not in cited:
            line, column = ruleset.marked.where(("reasons", code, KEY))
            findings.append(
                Finding(
                    "warning",
                    None,
                    line,
                    column,
                    f"the reason '{code}' is defined but no rule cites it.",
                    "cite it with reason: on the withhold rule it justifies, or remove it.",
                )
            )
    return findings


def empty_regexes(ruleset: RuleSet) -> list[Finding]:
    """Regexes that match the empty string: they select every block (or, for text:, nothing)."""
    findings = []
    for rule in ruleset.rules:
        for name, pattern in rule.selector.patterns():
            if pattern.search("") is None:
                continue
            key = "from_" if name == "from" else name
            effect = (
                "zero-length matches select nothing, so it selects less than it seems"
                if key == "text"
                else "it matches every " + ("heading" if key in ("section", "within") else "block")
            )
            findings.append(
                _at(
                    rule,
                    key,
                    "error",
                    f"{name}: '{pattern.pattern}' can match the empty string: {effect}.",
                    "anchor it on real text, e.g. '^Annex 2' rather than '.*' or 'x?'.",
                )
            )
    for i, (pattern, _level) in enumerate(ruleset.headings):
        if pattern.search("") is not None:
            line, column = ruleset.marked.where(("headings", i, "match"))
            findings.append(
                Finding(
                    "error",
                    None,
                    line,
                    column,
                    f"headings: '{pattern.pattern}' can match the empty string, so every block becomes a heading.",
                    "match the heading text itself.",
                )
            )
    return findings


def _backtracks(pattern: RulePattern) -> bool:
    return can_backtrack_exponentially(pattern.pattern, pattern.flags & re.IGNORECASE)


#: What to do about a pattern that can backtrack exponentially.
BACKTRACKING_HINT = (
    "rewrite it so each character can be taken one way only, e.g. a+ for (a+)+, [\\w\\s]* for (\\w+\\s?)*, "
    f"a* for (a|aa)*; on a document where it runs out of its {PATTERN_TIME_LIMIT:g}-second time limit, "
    "apply stops with exit 2."
)


def backtracking_regexes(ruleset: RuleSet) -> list[Finding]:
    """Regexes with nested quantifiers (or alternatives that match alike) inside a repeated group.

    On text they almost match they try every way to split it, which doubles with each
    character: found here, on the file alone, rather than as a timeout on some document.
    """
    what = "can backtrack exponentially: a repeated group whose parts can take the same characters"
    findings = []
    for rule in ruleset.rules:
        for name, pattern in rule.selector.patterns():
            if _backtracks(pattern):
                key = "from_" if name == "from" else name
                message = f"{name}: '{pattern.pattern}' {what} (nested quantifiers such as (a+)+)."
                findings.append(_at(rule, key, "warning", message, BACKTRACKING_HINT))
    for i, (pattern, _level) in enumerate(ruleset.headings):
        if _backtracks(pattern):
            line, column = ruleset.marked.where(("headings", i, "match"))
            message = f"headings: '{pattern.pattern}' {what} (nested quantifiers such as (a+)+)."
            findings.append(Finding("warning", None, line, column, message, BACKTRACKING_HINT))
    return findings


# --------------------------------------------------------------------------- checks against the source


def _bad_pages(ruleset: RuleSet, page_count: int) -> list[Finding]:
    findings = []
    for rule in ruleset.rules:
        if rule.selector.pages is None:
            continue
        try:
            page_spans(rule.selector.pages, page_count)
        except PageRangeError as exc:
            findings.append(
                _at(
                    rule,
                    "pages",
                    "error",
                    f"pages '{rule.selector.pages}': {exc}.",
                    f"the source has {page_count} pages; '3-end' reaches the last.",
                )
            )
    return findings


def _closest(rule: Rule, headings: list[str], blocks: list[str]) -> str:
    if not rule.selector.patterns():
        return "check the page range: pages holding only furniture have no content to select."
    closest = "; ".join(f"'{c}'" for c in closest_candidates(rule, headings, blocks, CLOSEST))
    return (f"closest: {closest}. " if closest else "") + "Add optional: true if it may legitimately match nothing."


def _overridden(rule: Rule, atoms: list[Any]) -> Finding:
    deciders = Counter(v.rule for v in atoms)
    names = ", ".join(f"'{r}' ({n})" for r, n in deciders.most_common(4))
    return _at(
        rule,
        rule.action,
        "warning",
        f"rule '{rule.id}' selects {len(atoms)} atom(s) but decides none: {names} decide them.",
        "a higher level wins and, at equal level, withhold wins (or the earlier rule); drop or narrow a rule.",
    )


def _conflicts(selections: list[tuple[Rule, Any]], plan: Any) -> list[Finding]:
    findings = []
    releases = [(r, s) for r, s in selections if r.action == "release"]
    withholds = [(r, s) for r, s in selections if r.action == "withhold"]
    for rel, rel_sel in releases:
        for wh, wh_sel in withholds:
            if rel.level != wh.level:
                continue
            words = [w for w in rel_sel.words & wh_sel.words if plan.verdicts[w].level == rel.level]
            images = [i for i in rel_sel.images & wh_sel.images if plan.image_verdicts[i].level == rel.level]
            if not words and not images:
                continue
            findings.append(
                _at(
                    rel,
                    rel.action,
                    "warning",
                    f"rules '{rel.id}' (release) and '{wh.id}' (withhold) both select {len(words) + len(images)} "
                    f"atom(s) at the same level ({LEVEL_NAMES[rel.level]}): withhold wins.",
                    f"if '{wh.id}' is meant to carve out of '{rel.id}', nothing to do; otherwise narrow one of them.",
                )
            )
    return findings


def _withheld_headings_named(plan: Any) -> list[Finding]:
    """Released text (table of contents, running header, cross-reference) naming a withheld section."""
    doc = plan.document
    gone = {p.number for p in plan.pages if p.disposition == "withheld"}

    def withheld(w: int) -> bool:
        return plan.verdicts[w].withheld or doc.words.pages[w] in gone

    named: list[tuple[str, re.Pattern[str]]] = []
    for section in plan.outline.sections:
        text = section.heading.text
        words = text.split()
        if len(words) < NAMED_HEADING_MIN_WORDS and not (len(words) > 1 and any(c.isdigit() for c in text)):
            continue
        if all(withheld(w) for b in section.block_ids for w in doc.blocks[b].word_ids):
            named.append((text, re.compile(r"(?<!\w)" + re.escape(text) + r"(?!\w)", re.IGNORECASE)))
    rules = {r.id: r for r in plan.ruleset.rules}
    findings = []
    for block in doc.blocks:
        if block.page in gone or all(withheld(w) for w in block.word_ids):
            continue
        shown = list(block.text)
        for w in block.word_ids:
            if withheld(w):
                shown[doc.words.starts[w] : doc.words.ends[w]] = "\0" * (doc.words.ends[w] - doc.words.starts[w])
        text = "".join(shown)
        for heading, pattern in named:
            m = pattern.search(text)
            if m is None:
                continue
            decider = next(
                (
                    plan.verdicts[w].rule
                    for w in block.word_ids
                    if doc.words.starts[w] < m.end() and m.start() < doc.words.ends[w] and not withheld(w)
                ),
                "furniture",
            )
            rule = rules.get(decider)
            what = "a running header/footer" if block.furniture else f"a block on p. {block.page}"
            message = f"{what} is released and names the heading '{heading}', whose whole section is withheld."
            hint = "withhold the mention with a text: rule, or release the heading if naming it is intended."
            if rule is None:
                findings.append(Finding("warning", decider, None, None, message, hint))
            else:
                findings.append(_at(rule, rule.action, "warning", message, hint))
    return findings


def lint_ruleset(ruleset: RuleSet, document: Document | None = None) -> list[Finding]:
    """Every finding for ``ruleset``; with ``document``, the checks that need the source too."""
    findings = unused_reasons(ruleset) + empty_regexes(ruleset) + backtracking_regexes(ruleset)
    if document is not None:
        with time_budget():  # both passes over the document share each pattern's time limit
            findings += _against(ruleset, document)
    return sorted(findings, key=lambda f: (f.line or 0, f.column or 0, f.message))


def _against(ruleset: RuleSet, document: Document) -> list[Finding]:
    findings = _bad_pages(ruleset, document.page_count)
    bad = {f.rule for f in findings}
    selections = [(r, s) for r, s in select_rules(document, ruleset) if r.id not in bad]
    outline = build_outline(document, tuple(DeclaredHeading(p, lv) for p, lv in ruleset.headings))
    headings = [h.text for h in outline.headings]
    blocks = [b.text[:80] for b in document.content_blocks()]
    silent: set[str] = set()
    for rule, sel in selections:
        if sel.empty and not sel.areas:
            silent.add(rule.id)
            if not rule.optional:
                findings.append(
                    _at(
                        rule,
                        rule.action,
                        "error",
                        f"rule '{rule.id}' matches nothing.",
                        _closest(rule, headings, blocks),
                    )
                )
    kept = tuple(
        dataclasses.replace(r, optional=True) if r.id in silent else r for r in ruleset.rules if r.id not in bad
    )
    try:
        plan = decide(document, dataclasses.replace(ruleset, rules=kept))
    except PatternTimeout:
        raise  # the document cannot be checked with this pattern: unusable input, as in select_rules
    except RuleError as error:
        return [*findings, from_error(error)]
    for rule, sel in selections:
        if rule.id not in silent and plan.rule_hits.get(rule.id, 0) == 0:
            atoms = [plan.verdicts[w] for w in sorted(sel.words)] + [plan.image_verdicts[i] for i in sorted(sel.images)]
            if atoms:
                findings.append(_overridden(rule, atoms))
    return findings + _conflicts(selections, plan) + _withheld_headings_named(plan)


def format_findings(path: str, findings: list[Finding], json_out: bool = False) -> str:
    """The report: one line per finding and a count, or a JSON list."""
    if json_out:
        return json.dumps([dataclasses.asdict(f) for f in findings], indent=2, ensure_ascii=False) + "\n"
    if not findings:
        return f"{path}: no findings.\n"
    counts = Counter(f.severity for f in findings)
    summary = ", ".join(f"{n} {s}{'s' if n > 1 else ''}" for s, n in sorted(counts.items()))
    lines = [f.format(path) for f in findings]
    return "\n".join([*lines, f"{path}: {len(findings)} finding{'s' if len(findings) > 1 else ''} ({summary})."]) + "\n"
