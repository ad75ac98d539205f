"""Rule patterns: compiled with the ``regex`` engine and run under a time limit.

A rule's regex runs against text the reviewer did not write. Python's ``re`` cannot be
stopped: a pattern with nested quantifiers (``(a+)+$``) on a long word it almost matches
backtracks for hours. The ``regex`` engine takes a timeout on every call, so each pattern
gets :data:`PATTERN_TIME_LIMIT` seconds for all its searches of one document (within one
:func:`time_budget`, which the planner opens per document); outside one, each search gets
the whole limit. A pattern out of time stops the command with a :class:`PatternTimeout`
naming the rule and the pattern's line.

Patterns keep Python ``re`` syntax: ``re`` checks them first (its error messages are the
documented ones), then ``regex`` compiles them in its ``re``-compatible mode (``V0``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from time import perf_counter

import regex

from redactor.errors import RuleError
from redactor.source.normalise import normalise_pattern

#: Seconds one pattern may spend matching one document, all its searches together.
PATTERN_TIME_LIMIT = 2.0

#: Seconds spent so far by each pattern in the current document (None: no budget open).
_spent: ContextVar[dict[RulePattern, float] | None] = ContextVar("rule_pattern_time", default=None)


class PatternTimeout(RuleError):
    """A rule pattern ran out of its time on a document (exit 2, like every bad rule)."""


@dataclass(frozen=True)
class Site:
    """Where a pattern stands in the rule file, for the message when it runs out of time."""

    path: str
    line: int | None
    column: int | None
    label: str  # "rule 'names': its text: pattern", "headings: the match: pattern"


@contextmanager
def time_budget() -> Iterator[None]:
    """Every search of a rule pattern inside the block shares that pattern's time limit.

    The planner opens one per document; an inner block joins the outer one, so lint's two
    passes over one document share a single budget.
    """
    if _spent.get() is not None:
        yield
        return
    token = _spent.set({})
    try:
        yield
    finally:
        _spent.reset(token)


@dataclass(frozen=True, eq=False)
class RulePattern:
    """A compiled rule regex that searches within its time limit.

    Offers the part of ``re.Pattern`` that selectors, headings and lint use: ``pattern``,
    ``flags``, ``search`` and ``finditer``. Compared and hashed by identity (its budget key).
    """

    compiled: regex.Pattern[str]
    site: Site

    @property
    def pattern(self) -> str:
        """The source searched with (folded like the text: see ``normalise_pattern``)."""
        return self.compiled.pattern

    @property
    def flags(self) -> int:
        """The flags given to the engine (``regex`` flag values, which equal ``re``'s)."""
        return self.compiled.flags

    def search(self, text: str) -> regex.Match[str] | None:
        """The first match in ``text``, or None; PatternTimeout when the pattern is out of time."""
        left = self._left()
        start = perf_counter()
        try:
            return self.compiled.search(text, timeout=left)
        except TimeoutError:
            raise self._timeout() from None
        finally:
            self._charge(perf_counter() - start)

    def finditer(self, text: str) -> Iterator[regex.Match[str]]:
        """Every match in ``text``, as ``re`` finds them; PatternTimeout when out of time."""
        matches = self.compiled.finditer(text, timeout=self._left())
        while True:
            self._left()  # checked before each next match is looked for, whatever the engine counts
            start = perf_counter()
            try:
                found = next(matches, None)
            except TimeoutError:
                raise self._timeout() from None
            finally:
                self._charge(perf_counter() - start)
            if found is None:
                return
            yield found

    def _left(self) -> float:
        """Seconds this pattern has left; PatternTimeout when none."""
        spent = _spent.get()
        left = PATTERN_TIME_LIMIT - (spent.get(self, 0.0) if spent is not None else 0.0)
        if left <= 0:
            raise self._timeout()
        return left

    def _charge(self, seconds: float) -> None:
        spent = _spent.get()
        if spent is not None:
            spent[self] = spent.get(self, 0.0) + seconds

    def _timeout(self) -> PatternTimeout:
        return PatternTimeout(
            f"{self.site.label} '{_shown(self.pattern)}' ran out of its "
            f"{PATTERN_TIME_LIMIT:g}-second time limit on this document.",
            path=self.site.path,
            line=self.site.line,
            column=self.site.column,
            hint="simplify the pattern: nested quantifiers such as (a+)+ or (\\w+\\s?)* and alternatives that "
            "match alike such as (a|aa)* try every way to split the text; write a+, [\\w\\s]* or a* instead "
            "(`redactor lint` points them out).",
        )


def _shown(pattern: str) -> str:
    return pattern if len(pattern) <= 60 else pattern[:57] + "..."


def compile_pattern(source: str, ignore_case: bool, site: Site, fold: bool = False) -> RulePattern:
    """``source`` checked with ``re``, optionally folded like the text, compiled with ``regex``.

    Raises ``re.error``, also for the rare pattern that ``re`` accepts and ``regex`` does not.
    """
    checked = re.compile(source, re.IGNORECASE if ignore_case else 0)
    if fold:
        checked = normalise_pattern(checked)
    try:
        compiled = regex.compile(checked.pattern, (regex.IGNORECASE if ignore_case else 0) | regex.V0)
    except regex.error as exc:
        raise re.error(getattr(exc, "msg", str(exc)), checked.pattern, getattr(exc, "pos", None)) from None
    return RulePattern(compiled, site)
