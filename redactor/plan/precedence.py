"""The precedence rule, in one place: which of the rules matching an atom decides it.

Of the rules that match an atom, those of the highest level decide (1 pages, 2 section,
3 block, 4 span); at equal level, withhold wins; among equals the earlier rule in the
file is cited. An atom no rule matches is withheld by ``default`` (level 0).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Action = Literal["release", "withhold"]

#: Provenance ids that are not rules of the file.
DEFAULT = "default"
FURNITURE = "furniture"
OFF_PAGE = "off-page"
#: Level of the verdict that forces text outside the crop box out, above every rule.
OFF_PAGE_LEVEL = 9

#: Precedence level -> its name in reports (audit, previews, lint).
LEVEL_NAMES = {0: "default", 1: "page", 2: "section", 3: "block", 4: "span", OFF_PAGE_LEVEL: "off-page"}


@dataclass(frozen=True, slots=True)
class Verdict:
    """An atom's verdict and who made it."""

    action: Action
    rule: str  # rule id, or DEFAULT / FURNITURE / OFF_PAGE
    level: int  # 0 for default, 1..4 for rules

    @property
    def withheld(self) -> bool:
        """True when the atom is withheld."""
        return self.action == "withhold"


DEFAULT_VERDICT = Verdict("withhold", DEFAULT, 0)
FURNITURE_VERDICT = Verdict("release", FURNITURE, 0)


def prevails(candidate: Verdict, current: Verdict) -> bool:
    """True when ``candidate`` overrides ``current`` (which came earlier in the file)."""
    if candidate.level != current.level:
        return candidate.level > current.level
    return candidate.withheld and not current.withheld
