"""A starter rule file for a source: ``redactor inspect SOURCE --rules-skeleton OUT.yaml``.

The identity fields are read off the first page where they can be recognised (number,
date, classification, subject, codes, place and issuer); what cannot be found is written
as "TO BE COMPLETED". Every section gets a commented-out release rule to switch on. One
active rule keeps the file valid; it is checked with ``lint`` against the source itself,
so the skeleton always lints clean, and since ``default: withhold`` applies, the
skeleton withholds everything it does not release: nothing is released by accident.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from redactor.authoring.yamltext import regex_literal, unique_prefix, yaml_string
from redactor.check.lint import lint_ruleset
from redactor.dates import number_suffix_date, parse_date
from redactor.i18n import LABELS
from redactor.rules.parse import parse_rules
from redactor.source.model import Document
from redactor.source.outline import Outline

TO_BE_COMPLETED = "TO BE COMPLETED"

#: Classification markings recognised on the first page, longest first.
CLASSIFICATIONS = (
    "TRÈS SECRET UE/EU TOP SECRET",
    "TRES SECRET UE/EU TOP SECRET",
    "CONFIDENTIEL UE/EU CONFIDENTIAL",
    "RESTREINT UE/EU RESTRICTED",
    "SECRET UE/EU SECRET",
    "CONFIDENTIEL UE",
    "RESTREINT UE",
    "SECRET UE",
    "EU CONFIDENTIAL",
    "EU RESTRICTED",
)
#: Issuers recognised on the first page (compared in upper case, whitespace folded).
ISSUERS = (
    "GENERAL SECRETARIAT OF THE COUNCIL",
    "COUNCIL OF THE EUROPEAN UNION",
    "EUROPEAN EXTERNAL ACTION SERVICE",
    "EUROPEAN COMMISSION",
    "EUROPEAN PARLIAMENT",
)
_NUMBER = re.compile(r"(?<![\d/])\d{1,6}/\d{2,4}(?![\d/])(?: ADD \d+)?(?: REV \d+)?(?: COR \d+)?")
_MONTH_NAMES = sorted({m for labels in LABELS.values() for m in labels.months}, key=len, reverse=True)
_DATE = re.compile(r"\b(\d{1,2})(?:er)? (" + "|".join(map(re.escape, _MONTH_NAMES)) + r") (\d{4})\b", re.IGNORECASE)
_PLACE = re.compile(r"([A-Z][\w\-]+(?: [A-Z][\w\-]+)?),\s*$")
_SUBJECT = re.compile(r"\bSubject\s*:")
_CODE = re.compile(r"\b([A-Z]{2,12}) (\d{1,4})\b")
_CODE_LINE = re.compile(r"^[A-Z]{2,12} \d{1,4}(?: [A-Z]{2,12} \d{1,4})*$")
_NOT_CODES = {"ADD", "REV", "COR", "EXT", "ANNEX", "PAGE", "ARTICLE", "UE", "EU"}


def first_page_fields(document: Document) -> dict[str, object]:
    """Number, date, classification, subject, codes, place and issuer from page 1, where found."""
    page = document.pages[0]
    blocks = [document.blocks[b] for b in page.block_ids]
    lines = [
        " ".join(document.words.texts[w] for w in document.lines[line].word_ids) for b in blocks for line in b.line_ids
    ]
    texts = [b.text for b in blocks]
    whole = "\n".join(texts)
    fields: dict[str, object] = {}
    numbers = [m.group(0) for t in lines for m in _NUMBER.finditer(t)]
    if numbers:
        fields["number"] = max(numbers, key=len)
    for text in texts:
        m = _DATE.search(text)
        if m and parse_date(m.group(0)) is not None:
            fields["dated"] = m.group(0)
            place = _PLACE.search(text[: m.start()])
            if place:
                fields["place"] = place.group(1)
            break
    folded = " ".join(whole.split()).upper()
    fields["classification"] = next((c for c in CLASSIFICATIONS if c in " ".join(whole.split())), "")
    fields["issuer"] = next((i for i in ISSUERS if i in folded), TO_BE_COMPLETED)
    for i, text in enumerate(texts):
        if _SUBJECT.search(text):
            after = _SUBJECT.split(text, 1)[1].strip()
            if not after and i + 1 < len(texts):
                after = texts[i + 1].strip()
            if after:
                fields["subject"] = after
            break
    codes = [
        f"{m.group(1)} {m.group(2)}"
        for line in lines
        if _CODE_LINE.match(line)
        for m in _CODE.finditer(line)
        if m.group(1) not in _NOT_CODES
    ]
    fields["codes"] = list(dict.fromkeys(codes))
    return fields


def _section_rules(outline: Outline, document: Document) -> list[str]:
    texts = sorted(h.text for h in outline.headings)
    out: list[str] = []
    for s in outline.sections:
        regex, matches = unique_prefix(s.heading.text, texts)
        last = max(document.blocks[b].page for b in s.block_ids)
        span = f"{s.heading.page}" if last == s.heading.page else f"{s.heading.page}-{last}"
        narrow = f', pages: "{span}"' if matches > 1 else ""  # the heading text repeats elsewhere
        out += [
            f"# - id: section-{s.id + 1}    # {' > '.join(outline.path(s.id))[:90]} (p{'p' * ('-' in span)}. {span})",
            f"#   release: {{section: {yaml_string(regex)}, level: {s.heading.level}{narrow}}}",
        ]
    return out


#: The active rule, in the order tried: the first one that lints clean against the source is kept.
ACTIVE_RULES = (
    (
        "# REVIEW: releases the whole of page 1 as a starting point; narrow it or remove it.",
        '  - id: review-page-1\n    release: {pages: "1"}',
    ),
    (
        "# REVIEW: releases the first paragraph of page 1 as a starting point; narrow it or remove it.",
        "  - id: review-first-block\n    release: {block: @BLOCK@}",
    ),
    (
        "# REVIEW: releases an empty corner of page 1 (nothing), only so the file is valid; replace it.",
        '  - id: review-nothing-yet\n    release: {pages: "1", region: [0, 0, 1, 1]}',
    ),
)


def skeleton_text(document: Document, outline: Outline, path: Path, today: dt.date | None = None) -> str:
    """The starter rule file's text: valid, lint-clean against ``document``, withholding by default."""

    today = today or dt.date.today()
    fields = first_page_fields(document)
    first = next((b for b in document.content_blocks() if b.page == 1), None)
    block = yaml_string("^" + regex_literal(" ".join(first.text.split(" ")[:6]))) if first else '"^"'
    for comment, rule in ACTIVE_RULES:
        text = _compose(fields, outline, document, today, comment, rule.replace("@BLOCK@", block))
        ruleset = parse_rules(path, text)
        if not lint_ruleset(ruleset, document):
            return text
    return text


def _compose(
    fields: dict[str, object],
    outline: Outline,
    document: Document,
    today: dt.date,
    comment: str,
    rule: str,
) -> str:
    number = str(fields.get("number", TO_BE_COMPLETED))
    classification = str(fields.get("classification", ""))
    codes = ", ".join(yaml_string(str(c)) for c in fields.get("codes", []))  # type: ignore[attr-defined]
    lines = [
        "# Starter rule file: check every field, then release what the review decided.",
        "# Everything no rule releases is withheld (default: withhold).",
        "version: 1",
        "document:",
        f"  number: {yaml_string(number)}",
        f"  dated: {yaml_string(str(fields.get('dated', TO_BE_COMPLETED)))}",
        f"  classification: {yaml_string(classification)}",
        f"  subject: {yaml_string(str(fields.get('subject', TO_BE_COMPLETED)))}",
        f"  codes: [{codes}]",
        "release:",
        "  extract: 1",
        f"  date: {yaml_string(today.isoformat())}    # the date of the release decision",
        f"  place: {yaml_string(str(fields.get('place', TO_BE_COMPLETED)))}",
        f"  issuer: {yaml_string(str(fields.get('issuer', TO_BE_COMPLETED)))}",
        "  new_status: Public",
        "markings:",
    ]
    if classification:
        lines += [f"  - find: {yaml_string(classification)}", '    replace: ""']
    if number != TO_BE_COMPLETED:
        lines += [
            f"  - find: {yaml_string(number)}",
            f"    replace: {yaml_string(f'{number} EXT 1 ({number_suffix_date(today)})')}",
        ]
    if lines[-1] == "markings:":
        lines[-1] = "markings: []"
    lines += [
        "# reasons:    # legal grounds, cited by withhold rules with reason:",
        '#   "4(1)(a) public security": "Regulation (EC) No 1049/2001, Article 4(1)(a), first indent"',
        "default: withhold",
        "rules:",
        "  " + comment,
        rule,
        "  # One rule per section, to switch on as the review decides:",
        *("  " + line for line in _section_rules(outline, document)),
    ]
    return "\n".join(lines) + "\n"
