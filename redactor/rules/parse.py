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
from redactor.pageranges import PageRangeError, check_pages
from redactor.rules.model import DocumentInfo, Marking, Placeholders, Position, ReleaseInfo, Rule, RuleSet
from redactor.rules.patterns import RulePattern, Site, compile_pattern
from redactor.rules.schema import (
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
from redactor.rules.selectors import Pages, Selector, parse_selector
from redactor.rules.yamlmarks import KEY, Marked, load_marked

# --------------------------------------------------------------------------- loading


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


def _compile(
    pattern: str, ignore_case: bool, marked: Marked, loc: tuple[Any, ...], label: str, fold: bool = False
) -> RulePattern:
    """The pattern compiled to run under its time limit, or a RuleError at its line.

    ``label`` names it in a timeout message; ``fold`` folds it like the text it searches.
    """
    line, col = marked.where(loc)
    try:
        return compile_pattern(pattern, ignore_case, Site(marked.path, line, col, label), fold)
    except re.error as exc:
        raise RuleError(
            f"'{pattern}' is not a valid regular expression ({exc.msg}"
            + (f" at position {exc.pos})." if exc.pos is not None else ")."),
            path=marked.path,
            line=line,
            column=col,
            hint="regexes are Python `re` syntax; escape literal dots, brackets and parentheses with a backslash.",
        ) from None


def parse_rules(path: str | Path, text: str | None = None, max_size: int | None = None) -> RuleSet:
    """Load, validate and compile a rule file (``max_size``: see :func:`load_marked`)."""
    marked = load_marked(path, text, max_size)
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
        raise marked.error(
            loc,
            f"'{value}' is not a date.",
            "write dates as 2013-03-19 or '19 March 2013'.",
        )
    return parsed


def _build(model: RuleFileModel, marked: Marked) -> RuleSet:
    language = model.release.language
    if language not in SUPPORTED_LANGUAGES:
        raise marked.error(
            ("release", "language"),
            f"unknown language '{language}'.",
            f"supported languages: {', '.join(SUPPORTED_LANGUAGES)}.",
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
            raise marked.error(
                ("placeholders", name),
                f"placeholders.{name} '{template}' uses an unknown field.",
                f"it may use {', '.join('{' + f + '}' for f in sorted(fields))}.",
            ) from None

    headings = tuple(
        (_compile(h.match, h.ignore_case, marked, ("headings", i, "match"), "headings: the match: pattern"), h.level)
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
            raise marked.error(
                (*loc, "reason"),
                f"rule '{rm.id}' releases but cites a reason for withholding.",
                "reasons are legal grounds for withholding; drop it here.",
            )
        positions: dict[str, Position] = {"": (line, col)}
        for key in ("id", "reason", action):
            positions[key] = marked.where((*loc, key))
        if rm.placeholder is not None:
            positions["placeholder"] = marked.where((*loc, "placeholder"))
        if action == "condense":
            assert rm.condense is not None
            selector = Selector((Pages(str(rm.condense.pages)),))
            positions["pages"] = marked.where((*loc, "condense", "pages"))
            _check_pages(selector.pages, marked, (*loc, "condense", "pages"))
        else:
            sm: BaseModel = getattr(rm, action)
            selector = _selector(sm, rm, marked, (*loc, action), positions)
        _check_placeholder(rm, action, selector, marked, loc)
        rules.append(
            Rule(
                rm.id,
                action,
                selector,
                rm.reason,
                rm.optional,
                rm.conceal == "line",
                (line, col),
                positions,
                i,
                rm.placeholder,
            )
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
        conceal_line=model.conceal == "line" or model.placeholders.conceal == "line",
        marked=marked,
    )


def _check_placeholder(rm: RuleModel, action: str, selector: Selector, marked: Marked, loc: tuple[Any, ...]) -> None:
    """``placeholder: inline`` only where it can mean something: a ``withhold: {pages: ...}`` rule.

    It changes how a run of withheld pages is shown; a rule that selects less than whole
    pages never makes such a run by itself, and a release or condense rule withholds nothing
    by itself, so the key there would silently do nothing.
    """
    if rm.placeholder is None:
        return
    if action == "withhold" and len(selector.parts) == 1 and selector.get(Pages) is not None:
        return
    if action == "withhold":
        keys = [k for k, v in getattr(rm, action).model_dump(by_alias=True).items() if v not in (None, False)]
        what = f"withholds by {', '.join(keys)}"
    else:
        what = {"release": "releases", "condense": "condenses"}[action]
    raise marked.error(
        (*loc, "placeholder"),
        f"rule '{rm.id}' {what}; placeholder: {rm.placeholder} is for withhold rules of whole pages only.",
        'write it on a rule like `withhold: {pages: "78-90"}` (pages alone), or drop it: withheld '
        "text, paragraphs and sections show the inline placeholder already.",
    )


def _check_pages(spec: str | None, marked: Marked, loc: tuple[Any, ...]) -> None:
    if spec is None:
        return
    try:
        check_pages(spec)
    except PageRangeError as exc:
        line, col = marked.where(loc)
        raise RuleError(
            f"pages '{spec}': {exc}.",
            path=marked.path,
            line=line,
            column=col,
            hint="write pages as '3-6, 9, 107-end' (1-based).",
        ) from None


@dataclass
class _SelectorInput:
    """A selector's given values with what kinds need to compile and to raise positioned errors."""

    rule_id: str
    values: dict[str, Any]
    ignore_case: bool
    marked: Marked
    loc: tuple[Any, ...]

    def where(self, name: str | None) -> Position:
        """Line and column of the named field (or of the selector itself)."""
        if name is None:
            return self.marked.where(self.loc)
        return self.marked.where((*self.loc, "from" if name == "from_" else name))

    def regex(self, name: str) -> RulePattern:
        """The named field compiled and folded like the text it searches."""
        key = "from" if name == "from_" else name
        label = f"rule '{self.rule_id}': its {key}: pattern"
        return _compile(self.values[name], self.ignore_case, self.marked, (*self.loc, key), label, fold=True)

    def error(self, message: str, name: str | None, hint: str) -> RuleError:
        line, col = self.where(name)
        return RuleError(message, path=self.marked.path, line=line, column=col, hint=hint)


def _selector(
    sm: BaseModel, rm: RuleModel, marked: Marked, loc: tuple[Any, ...], positions: dict[str, Position]
) -> Selector:
    given = {k: v for k, v in sm.model_dump(by_alias=False).items() if v is not None}
    given_input = _SelectorInput(rm.id, given, rm.ignore_case, marked, loc)
    for key in given:
        positions[key] = given_input.where(key)
    if "pages" in given:
        _check_pages(str(given["pages"]), marked, (*loc, "pages"))
    return parse_selector(given_input)
