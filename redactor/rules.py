"""The release rule file (version 1): strict schema, compiled regexes, YAML positions.

A rule file that cannot be read is always an error (exit 2): unknown keys, misspelt keys
(with a did-you-mean), invalid regexes, an ``id`` used twice, a rule with both or neither
of release/withhold/condense, a reason that is not defined. Page numbers are checked
against the document in the planner, which knows the page count; every rule keeps its
YAML position so those errors can still name the line.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from redactor.dates import parse_date
from redactor.errors import RuleError
from redactor.i18n import SUPPORTED_LANGUAGES, labels_for
from redactor.pageranges import PageRangeError, parse_pages
from redactor.rules_schema import (
    CondenseModel,
    DocumentModel,
    HeadingModel,
    MarkingModel,
    PlaceholdersModel,
    ReleaseModel,
    RuleFileModel,
    RuleModel,
    SelectorModel,
)
from redactor.yamlmarks import KEY, Marked, load_marked

# --------------------------------------------------------------------------- values

Position = tuple[int | None, int | None]


@dataclass(frozen=True)
class Selector:
    """A validated selector; regexes compiled, pages still as written (resolved later)."""

    pages: str | None = None
    section: re.Pattern[str] | None = None
    level: int | None = None
    block: re.Pattern[str] | None = None
    from_: re.Pattern[str] | None = None
    to: re.Pattern[str] | None = None
    text: re.Pattern[str] | None = None
    region: tuple[float, float, float, float] | None = None
    images: bool = False
    within: re.Pattern[str] | None = None

    @property
    def level_rank(self) -> int:
        """Precedence level: 1 pages, 2 section, 3 block, 4 span (text/region/images)."""
        if self.text or self.region or self.images:
            return 4
        if self.block or self.from_:
            return 3
        if self.section:
            return 2
        return 1


@dataclass(frozen=True)
class Rule:
    """One rule with its action and where it stands in the file."""

    id: str
    action: Literal["release", "withhold", "condense"]
    selector: Selector
    reason: str | None
    optional: bool
    conceal_line: bool
    position: Position
    field_positions: dict[str, Position]
    index: int  # order in the file

    @property
    def level(self) -> int:
        """The precedence level of this rule's selector."""
        return self.selector.level_rank


@dataclass(frozen=True)
class Placeholders:
    """Placeholder wording with language defaults filled in."""

    per: Literal["block", "run"]
    inline: str
    page: str
    pages: str
    tail: str
    tail_page: str
    condensed_note: str


@dataclass(frozen=True)
class Marking:
    """A marking rewrite."""

    find: str
    replace: str


@dataclass(frozen=True)
class DocumentInfo:
    """The source's identity."""

    number: str
    dated: dt.date | str
    classification: str
    subject: str
    codes: tuple[str, ...]


@dataclass(frozen=True)
class ReleaseInfo:
    """The release decision's identity."""

    extract: int
    date: dt.date
    place: str
    issuer: str
    new_status: str
    language: str


@dataclass(frozen=True)
class RuleSet:
    """A validated rule file."""

    path: str
    document: DocumentInfo
    release: ReleaseInfo
    markings: tuple[Marking, ...]
    placeholders: Placeholders
    reasons: dict[str, str]
    headings: tuple[tuple[re.Pattern[str], int], ...]
    rules: tuple[Rule, ...]
    conceal_line: bool
    marked: Marked

    def error(
        self, message: str, rule: Rule | None = None, field: str | None = None, hint: str | None = None
    ) -> RuleError:
        """A RuleError positioned at ``rule`` (and its ``field``) in this file."""
        line, column = (None, None)
        if rule is not None:
            line, column = rule.field_positions.get(field or "", rule.position)
        return RuleError(message, path=self.path, line=line, column=column, hint=hint)


# --------------------------------------------------------------------------- loading

_REGEX_FIELDS = ("section", "block", "from_", "to", "text", "within")


def _fields_of(model: type[BaseModel]) -> list[str]:
    names: list[str] = []
    for name, info in model.model_fields.items():
        names.append(info.alias or name)
    return names


_MODEL_AT: dict[str, type[BaseModel]] = {
    "": RuleFileModel,
    "document": DocumentModel,
    "release": ReleaseModel,
    "markings": MarkingModel,
    "placeholders": PlaceholdersModel,
    "headings": HeadingModel,
    "rules": RuleModel,
    "rules.release": SelectorModel,
    "rules.withhold": SelectorModel,
    "rules.condense": CondenseModel,
}


def _model_for(loc: tuple[Any, ...]) -> type[BaseModel] | None:
    key = ".".join(str(p) for p in loc if isinstance(p, str))
    return _MODEL_AT.get(key)


def _dotted(loc: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in loc)


def _validation_error(exc: ValidationError, marked: Marked) -> RuleError:
    err = exc.errors()[0]
    loc = tuple(err["loc"])
    kind = err["type"]
    more = len(exc.errors()) - 1
    tail = f" ({more} more problem{'s' if more > 1 else ''} after this one.)" if more else ""
    dotted = ".".join(str(p) for p in loc) or "the file"
    if kind == "extra_forbidden":
        key = loc[-1]
        line, col = marked.where((*loc, KEY))
        model = _model_for(loc[:-1])
        allowed = _fields_of(model) if model else []
        close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else f"allowed keys here: {', '.join(allowed)}."
        return RuleError(f"unknown key '{key}' at {dotted}.{tail}", path=marked.path, line=line, column=col, hint=hint)
    line, col = marked.where(loc)
    if kind == "missing":
        line, col = marked.where(loc[:-1])
        return RuleError(
            f"the required key '{loc[-1]}' is missing at {_dotted(loc[:-1]) or 'the top level'}.{tail}",
            path=marked.path,
            line=line,
            column=col,
            hint="see docs/rules.md for the keys each part needs.",
        )
    if kind == "literal_error" and loc and loc[-1] == "default":
        return RuleError(
            f"'default' can only be 'withhold'.{tail}",
            path=marked.path,
            line=line,
            column=col,
            hint="what no rule releases is always withheld; release parts with rules instead.",
        )
    if kind == "literal_error" and loc and loc[-1] == "version":
        return RuleError(
            f"unsupported rule file version.{tail}",
            path=marked.path,
            line=line,
            column=col,
            hint="this redactor reads 'version: 1'.",
        )
    return RuleError(
        f"{dotted}: {err['msg']}.{tail}",
        path=marked.path,
        line=line,
        column=col,
        hint="see docs/rules.md for the rule file format.",
    )


def _compile(pattern: str, flags: int, marked: Marked, loc: tuple[Any, ...]) -> re.Pattern[str]:
    try:
        return re.compile(pattern, flags)
    except re.error as exc:
        line, col = marked.where(loc)
        raise RuleError(
            f"'{pattern}' is not a valid regular expression ({exc.msg} at position {exc.pos}).",
            path=marked.path,
            line=line,
            column=col,
            hint="regexes are Python `re` syntax; escape literal dots, brackets and parentheses with a backslash.",
        ) from None


def parse_rules(path: str | Path, text: str | None = None) -> RuleSet:
    """Load, validate and compile a rule file."""
    marked = load_marked(path, text)
    if not isinstance(marked.data, dict):
        raise RuleError(
            "must be a mapping of keys (version, document, release, rules...).",
            path=marked.path,
            line=1,
            column=1,
            hint="see docs/rules.md.",
        )
    try:
        model = RuleFileModel.model_validate(marked.data)
    except ValidationError as exc:
        raise _validation_error(exc, marked) from None
    return _build(model, marked)


def _date(value: str | dt.date, marked: Marked, loc: tuple[Any, ...]) -> dt.date:
    parsed = parse_date(value)
    if parsed is None:
        line, col = marked.where(loc)
        raise RuleError(
            f"'{value}' is not a date.",
            path=marked.path,
            line=line,
            column=col,
            hint="write dates as 2013-03-19 or '19 March 2013'.",
        )
    return parsed


def _build(model: RuleFileModel, marked: Marked) -> RuleSet:
    language = model.release.language
    if language not in SUPPORTED_LANGUAGES:
        line, col = marked.where(("release", "language"))
        raise RuleError(
            f"unknown language '{language}'.",
            path=marked.path,
            line=line,
            column=col,
            hint=f"supported languages: {', '.join(SUPPORTED_LANGUAGES)}.",
        )
    labels = labels_for(language)
    ph = model.placeholders
    placeholders = Placeholders(
        per=ph.per,
        inline=ph.inline if ph.inline is not None else labels.inline,
        page=ph.page if ph.page is not None else labels.page,
        pages=ph.pages if ph.pages is not None else labels.pages,
        tail=ph.tail if ph.tail is not None else labels.tail,
        tail_page=labels.tail_page,
        condensed_note=labels.condensed_note,
    )
    for name, template, fields in (
        ("page", placeholders.page, {"page"}),
        ("pages", placeholders.pages, {"first", "last"}),
    ):
        try:
            template.format(**{f: 1 for f in fields})
        except (KeyError, IndexError, ValueError):
            line, col = marked.where(("placeholders", name))
            raise RuleError(
                f"placeholders.{name} '{template}' uses an unknown field.",
                path=marked.path,
                line=line,
                column=col,
                hint=f"it may use {', '.join('{' + f + '}' for f in sorted(fields))}.",
            ) from None

    headings = tuple(
        (_compile(h.match, re.IGNORECASE if h.ignore_case else 0, marked, ("headings", i, "match")), h.level)
        for i, h in enumerate(model.headings)
    )
    rules: list[Rule] = []
    seen: dict[str, int] = {}
    for i, rm in enumerate(model.rules):
        loc = ("rules", i)
        line, col = marked.where(loc)
        if rm.id in seen:
            raise RuleError(
                f"the rule id '{rm.id}' is used twice (rules {seen[rm.id] + 1} and {i + 1}).",
                path=marked.path,
                line=marked.where((*loc, "id"))[0],
                column=marked.where((*loc, "id"))[1],
                hint="give every rule its own id; the audit cites rules by id.",
            )
        seen[rm.id] = i
        actions: list[Literal["release", "withhold", "condense"]] = [
            a for a in ("release", "withhold", "condense") if getattr(rm, a) is not None
        ]
        if len(actions) != 1:
            which = "both " + " and ".join(actions) if actions else "none of release, withhold, condense"
            raise RuleError(
                f"rule '{rm.id}' has {which}.",
                path=marked.path,
                line=line,
                column=col,
                hint="a rule has exactly one action: release:, withhold: or condense:.",
            )
        action = actions[0]
        if rm.reason is not None and rm.reason not in model.reasons:
            rl, rc = marked.where((*loc, "reason"))
            close = difflib.get_close_matches(rm.reason, list(model.reasons), n=1)
            hint = (
                f"did you mean '{close[0]}'?"
                if close
                else (f"defined reasons: {', '.join(model.reasons) or 'none'}; add it under reasons:.")
            )
            raise RuleError(
                f"rule '{rm.id}' cites the reason '{rm.reason}', which reasons: does not define.",
                path=marked.path,
                line=rl,
                column=rc,
                hint=hint,
            )
        if action == "release" and rm.reason is not None:
            rl, rc = marked.where((*loc, "reason"))
            raise RuleError(
                f"rule '{rm.id}' releases but cites a reason for withholding.",
                path=marked.path,
                line=rl,
                column=rc,
                hint="reasons are legal grounds for withholding; drop it here.",
            )
        positions: dict[str, Position] = {"": (line, col)}
        for key in ("id", "reason", action):
            positions[key] = marked.where((*loc, key))
        if action == "condense":
            assert rm.condense is not None
            selector = Selector(pages=str(rm.condense.pages))
            positions["pages"] = marked.where((*loc, "condense", "pages"))
            _check_pages(selector.pages, marked, (*loc, "condense", "pages"))
        else:
            sm: SelectorModel = getattr(rm, action)
            selector = _selector(sm, rm, marked, (*loc, action), positions)
        rules.append(
            Rule(rm.id, action, selector, rm.reason, rm.optional, rm.conceal == "line", (line, col), positions, i)
        )

    doc = model.document
    rel = model.release
    return RuleSet(
        path=marked.path,
        document=DocumentInfo(
            doc.number, parse_date(doc.dated) or str(doc.dated), doc.classification, doc.subject, tuple(doc.codes)
        ),
        release=ReleaseInfo(
            rel.extract, _date(rel.date, marked, ("release", "date")), rel.place, rel.issuer, rel.new_status, language
        ),
        markings=tuple(Marking(m.find, m.replace) for m in model.markings),
        placeholders=placeholders,
        reasons=dict(model.reasons),
        headings=headings,
        rules=tuple(rules),
        conceal_line=model.conceal == "line",
        marked=marked,
    )


def _check_pages(spec: str | None, marked: Marked, loc: tuple[Any, ...]) -> None:
    if spec is None:
        return
    try:
        parse_pages(spec)
    except PageRangeError as exc:
        line, col = marked.where(loc)
        raise RuleError(
            f"pages '{spec}': {exc}.",
            path=marked.path,
            line=line,
            column=col,
            hint="write pages as '3-6, 9, 107-end' (1-based).",
        ) from None


def _selector(
    sm: SelectorModel, rm: RuleModel, marked: Marked, loc: tuple[Any, ...], positions: dict[str, Position]
) -> Selector:
    flags = re.IGNORECASE if rm.ignore_case else 0
    given = {k for k, v in sm.model_dump(by_alias=False).items() if v is not None and v is not False}
    line, col = marked.where(loc)
    if not given:
        raise RuleError(
            f"rule '{rm.id}' has an empty selector.",
            path=marked.path,
            line=line,
            column=col,
            hint="give at least one of pages, section, block, from/to, text, region, images.",
        )
    for key in given:
        alias = "from" if key == "from_" else key
        positions[key] = marked.where((*loc, alias))
    if sm.images is False:
        raise RuleError(
            "images: false selects nothing.",
            path=marked.path,
            line=positions.get("images", (line, col))[0],
            column=positions.get("images", (line, col))[1],
            hint="write images: true, or drop the key.",
        )
    if (sm.from_ is None) != (sm.to is None):
        missing = "to" if sm.to is None else "from"
        raise RuleError(
            f"rule '{rm.id}' gives {'from' if missing == 'to' else 'to'} without {missing}.",
            path=marked.path,
            line=line,
            column=col,
            hint="from: and to: go together.",
        )
    if sm.level is not None and sm.section is None:
        raise RuleError(
            f"rule '{rm.id}' gives level without section.",
            path=marked.path,
            line=positions["level"][0],
            column=positions["level"][1],
            hint="level narrows a section: selector to headings of that level.",
        )
    if sm.region is not None:
        if sm.pages is None:
            raise RuleError(
                f"rule '{rm.id}' gives region without pages.",
                path=marked.path,
                line=positions["region"][0],
                column=positions["region"][1],
                hint='say which pages the rectangle applies to, e.g. pages: "3".',
            )
        x0, y0, x1, y1 = sm.region
        if x1 <= x0 or y1 <= y0:
            raise RuleError(
                f"region {sm.region} is empty or inverted.",
                path=marked.path,
                line=positions["region"][0],
                column=positions["region"][1],
                hint="write [x0, y0, x1, y1] in points, top-left origin, with x0 < x1 and y0 < y1.",
            )
    if sm.pages is not None:
        _check_pages(str(sm.pages), marked, (*loc, "pages"))
    compiled: dict[str, re.Pattern[str] | None] = {}
    for key in _REGEX_FIELDS:
        value = getattr(sm, key)
        alias = "from" if key == "from_" else key
        compiled[key] = _compile(value, flags, marked, (*loc, alias)) if value is not None else None
    return Selector(
        pages=str(sm.pages) if sm.pages is not None else None,
        section=compiled["section"],
        level=sm.level,
        block=compiled["block"],
        from_=compiled["from_"],
        to=compiled["to"],
        text=compiled["text"],
        region=tuple(sm.region) if sm.region is not None else None,  # type: ignore[arg-type]
        images=bool(sm.images),
        within=compiled["within"],
    )
