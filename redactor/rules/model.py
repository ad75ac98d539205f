"""The rule file's values once validated: frozen, regexes compiled (time-limited), YAML positions kept.

Built by :func:`redactor.rules.parse.parse_rules`; read by the planner, lint and the renderers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from redactor.errors import RuleError
from redactor.rules.patterns import RulePattern
from redactor.rules.selectors import Selector
from redactor.rules.yamlmarks import Marked

Position = tuple[int | None, int | None]


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
    #: ``inline``: a run of withheld pages inside this rule's pages shows the inline placeholder
    #: instead of a page note (only on ``withhold: {pages: ...}`` rules); None: the page note.
    placeholder: Literal["inline"] | None = None

    @property
    def level(self) -> int:
        """The precedence level of this rule's selector."""
        return self.selector.level


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
    headings: tuple[tuple[RulePattern, int], ...]
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
