"""Shared by the workstation tests: the small review source, its rules, and reading an extract with PDFium."""

from __future__ import annotations

from pathlib import Path

import pypdfium2

from redactor.check.lint import lint_ruleset
from redactor.pipeline import Outputs, release
from redactor.plan.decide import decide
from redactor.plan.model import Plan
from redactor.rules.parse import parse_rules
from redactor.source.model import Document
from tests.review_fixtures import RULES_HEAD

#: The review rules (tests/review_fixtures.py) with comments and a second reason: every edit must keep them.
COMMENTED = (
    "# Harbour review: the reviewer's notes stay where they are.\n"
    + RULES_HEAD.replace("reasons:\n", "reasons:   # legal grounds\n")
    + "  other: 'Regulation (EC) No 1049/2001, Article 4(3)'\n"
    + """\
rules:
  - id: cover
    release: {pages: "1"}   # the cover note
  - id: harbour
    release: {section: "^Chapter One"}
  - id: harbour-secret
    withhold: {block: "^Second harbour paragraph"}
    reason: sec
  # operation names go, wherever they are
  - id: ops
    withhold: {text: "Operation [A-Z][a-z]+"}
    reason: other
  - id: coastal
    release: {block: "^Coastal patrol paragraph"}
# end of the rules
"""
)


def plan_of(document: Document, text: str, path: Path | str = "rules.yaml") -> Plan:
    """The plan the rule file ``text`` makes of the document."""
    return decide(document, parse_rules(path, text))


def lint_findings(document: Document, text: str) -> list[str]:
    """``lint SOURCE RULES`` on the text: each finding as its line of the report."""
    return [f.format("rules.yaml") for f in lint_ruleset(parse_rules("rules.yaml", text), document)]


def new_findings(document: Document, before: str, after: str) -> list[str]:
    """Lint findings of ``after`` that ``before`` (the file without the new rule, which is appended) did not have."""
    known = set(lint_findings(document, before))
    return [f for f in lint_findings(document, after) if f not in known]


def extract_text(source: Path, document: Document, text: str, folder: Path) -> str:
    """The text PDFium reads in the extract ``apply`` writes (verified) from the rule file's text."""
    out = folder / "extract.pdf"
    out.unlink(missing_ok=True)
    release(plan_of(document, text), source, Outputs(out), verify=True)
    pdf = pypdfium2.PdfDocument(out.read_bytes())
    try:
        return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()
