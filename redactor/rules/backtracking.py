"""Which rule patterns can backtrack exponentially: nested quantifiers and their kin.

A backtracking engine tries every way a pattern can match before it gives up. For most
patterns that is a handful of ways per position; but in a repeated group whose parts can
take the same characters as each other, every character can be split between them, and
on text that almost matches (a long word with the wrong last letter) the ways double with
each character: ``(a+)+$``, ``(\\w+\\s?)*$``, ``(a|aa)*$``. Matching runs under a time
limit (:mod:`redactor.rules.patterns`); this lets ``lint`` say so before any source is read.

The check reads the pattern's tree from Python's own regex parser and, inside every group
repeated more than once, asks whether a part of variable length competes for the same
characters with what can follow it there: the rest of the group, then the group again.
It is a heuristic on first characters, sampled on a fixed alphabet (not proven), tuned to
flag the shapes above and to leave ``(\\w+\\s)+``, ``(\\d{1,3},)+`` and
``(Annex|Appendix)+`` alone. Character sets are bit masks over that alphabet, so the check
takes time about linear in the pattern's size; patterns over :data:`MAX_CHECKED_LENGTH`
characters are not checked.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any

# The parser of the stdlib ``re`` (the module behind ``re.compile``); not typed, read as data.
_parser: Any = importlib.import_module("re._parser")

Item = tuple[Any, Any]  # (opcode, argument) as the parser gives them

#: Characters two parts are compared on: ASCII, Latin-1 and a few of the scripts, spaces and
#: punctuation found in documents; the pattern's own literals are added, up to EXTRA_PROBES.
_PROBES = "".join(map(chr, range(256))) + "\u0107\u0161\u03b1\u0434\u0663\u2003\u2013\u2019\u201c\u2022"
EXTRA_PROBES = 1024
#: Longer patterns are left to the time limit alone: the check stays well under a second.
MAX_CHECKED_LENGTH = 10_000
_CATEGORIES = {
    "CATEGORY_DIGIT": re.compile(r"\d"),
    "CATEGORY_NOT_DIGIT": re.compile(r"\D"),
    "CATEGORY_SPACE": re.compile(r"\s"),
    "CATEGORY_NOT_SPACE": re.compile(r"\S"),
    "CATEGORY_WORD": re.compile(r"\w"),
    "CATEGORY_NOT_WORD": re.compile(r"\W"),
}
_REPEATS = ("MAX_REPEAT", "MIN_REPEAT")


def can_backtrack_exponentially(pattern: str, flags: int = 0) -> bool:
    """True when a repeated group of ``pattern`` can split the same text in many ways.

    ``pattern`` is Python ``re`` syntax (rule patterns are checked with ``re.compile``
    first); one the parser refuses, or longer than MAX_CHECKED_LENGTH, is not judged (False).
    """
    if len(pattern) > MAX_CHECKED_LENGTH:
        return False
    try:
        tree = _parser.parse(pattern, flags & (re.IGNORECASE | re.VERBOSE | re.ASCII))
    except (re.error, RecursionError, OverflowError):
        return False
    checker = _Checker(_Alphabet(_PROBES + _extra_probes(tree.data)))
    return checker.any_repeat(tree.data, bool(tree.state.flags & re.IGNORECASE))


def _extra_probes(items: Sequence[Item]) -> str:
    """The pattern's literals and range ends not among the probes already (a bounded number)."""
    known = set(_PROBES)
    extra: dict[str, None] = {}
    for value in _literals(items):
        ch = chr(value)
        if ch not in known:
            extra[ch] = None
            if len(extra) >= EXTRA_PROBES:
                break
    return "".join(extra)


def _literals(items: Sequence[Item]) -> Iterator[int]:
    for op, av in items:
        name = str(op)
        if name in ("LITERAL", "NOT_LITERAL"):
            yield av
        elif name == "RANGE":
            yield from av
        elif name == "IN":
            yield from _literals(av)
        else:
            for sub in _subsequences(name, av):
                yield from _literals(sub)


def _subsequences(name: str, av: Any) -> list[Sequence[Item]]:
    """The item lists nested in one item (group, repeat, branch, lookaround, conditional)."""
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        return [av[2]]
    if name == "SUBPATTERN":
        return [av[3]]
    if name == "ATOMIC_GROUP":
        return [av]
    if name == "BRANCH":
        return list(av[1])
    if name in ("ASSERT", "ASSERT_NOT"):
        return [av[1]]
    if name == "GROUPREF_EXISTS":
        return [s for s in av[1:] if s is not None]
    return []


def _matcher(pattern: re.Pattern[str]) -> Callable[[str], bool]:
    return lambda ch: pattern.match(ch) is not None


def _in_range(low: int, high: int, icase: bool) -> Callable[[str], bool]:
    return lambda ch: any(low <= ord(v) <= high for v in _cases(ch, icase))


class _Alphabet:
    """The probe characters; a set of them is a bit mask (bit i: the i-th probe)."""

    def __init__(self, chars: str) -> None:
        self.chars = chars
        self.index = {ch: i for i, ch in enumerate(chars)}
        self.all = (1 << len(chars)) - 1
        self._categories = {name: self.where(_matcher(pattern)) for name, pattern in _CATEGORIES.items()}

    def where(self, test: Callable[[str], bool]) -> int:
        """The probes ``test`` accepts."""
        mask = 0
        for i, ch in enumerate(self.chars):
            if test(ch):
                mask |= 1 << i
        return mask

    def literal(self, ch: str, icase: bool) -> int:
        """``ch`` (and its other cases when ``icase``) among the probes."""
        mask = 0
        for variant in {ch, ch.lower(), ch.upper(), ch.casefold()} if icase else (ch,):
            if variant in self.index:
                mask |= 1 << self.index[variant]
        return mask

    def category(self, name: str) -> int:
        """``\\d``, ``\\w``, ``\\s`` and their negations; any other category: every probe."""
        return self._categories.get(name, self.all)


class _Checker:
    """The walk over one parsed pattern; character sets are masks over ``alphabet``."""

    def __init__(self, alphabet: _Alphabet) -> None:
        self.alphabet = alphabet
        self._firsts: dict[tuple[int, bool], tuple[int, bool]] = {}
        self._classes: dict[tuple[tuple[Item, ...], bool], int] = {}

    # ------------------------------------------------------------------ where to look

    def any_repeat(self, items: Sequence[Item], icase: bool) -> bool:
        """True when some group repeated more than once, anywhere in ``items``, is ambiguous."""
        for op, av in items:
            name = str(op)
            if name in _REPEATS and av[1] > 1:
                body = av[2]
                if self.ambiguous(body, self.firsts(body, icase)[0], icase):
                    return True
            inner = _case(name, av, icase)
            if any(self.any_repeat(sub, inner) for sub in _subsequences(name, av)):
                return True
        return False

    def ambiguous(self, items: Sequence[Item], after: int, icase: bool) -> bool:
        """True when a part of variable length in ``items`` competes with what follows it.

        ``after``: the characters that can follow ``items`` (in a repeated group: the group
        again). Possessive repeats and atomic groups never give characters back: skipped.
        """
        follows = self._follows(items, after, icase)
        return any(
            self.ambiguous_item(str(op), av, follow, icase) for (op, av), follow in zip(items, follows, strict=True)
        )

    def _follows(self, items: Sequence[Item], after: int, icase: bool) -> list[int]:
        """For each item, the characters that can come right after it (computed back to front)."""
        follows = [0] * len(items)
        follow = after
        for i in range(len(items) - 1, -1, -1):
            follows[i] = follow
            op, av = items[i]
            chars, empty = self.firsts_item(str(op), av, icase)
            follow = chars | follow if empty else chars
        return follows

    def ambiguous_item(self, name: str, av: Any, follow: int, icase: bool) -> bool:
        """One item of a repeated group, given what can follow it."""
        if name in _REPEATS:
            low, high, body = av
            starts = self.firsts(body, icase)[0]
            if low != high and starts & follow:
                return True  # one more turn of the inner repeat, or on to what follows
            return self.ambiguous(body, starts | follow if high > 1 else follow, icase)
        if name == "SUBPATTERN":
            return self.ambiguous(av[3], follow, _case(name, av, icase))
        if name == "BRANCH":
            return self.ambiguous_branch(av[1], follow, icase)
        return False

    def ambiguous_branch(self, alternatives: Sequence[Sequence[Item]], follow: int, icase: bool) -> bool:
        """Two alternatives that can start alike, or an empty one beside one that starts like what follows."""
        starts = [self.firsts(alt, icase) for alt in alternatives]
        if sum(1 for _, empty in starts if empty) > 1:
            return True
        seen = 0
        for chars, _empty in starts:
            if chars & seen:
                return True
            seen |= chars
        if any(empty for _, empty in starts) and seen & follow:
            return True
        return any(self.ambiguous(alt, follow, icase) for alt in alternatives)

    # ------------------------------------------------------------------ first characters

    def firsts(self, items: Sequence[Item], icase: bool) -> tuple[int, bool]:
        """The characters ``items`` can start with, and whether they can match nothing."""
        key = (id(items), icase)
        if key not in self._firsts:
            chars = 0
            empty = True
            for op, av in items:
                more, can_be_empty = self.firsts_item(str(op), av, icase)
                chars |= more
                if not can_be_empty:
                    empty = False
                    break
            self._firsts[key] = (chars, empty)
        return self._firsts[key]

    def firsts_item(self, name: str, av: Any, icase: bool) -> tuple[int, bool]:
        """The first characters of one item, and whether it can match nothing."""
        alphabet = self.alphabet
        if name == "LITERAL":
            return alphabet.literal(chr(av), icase), False
        if name == "NOT_LITERAL":
            return alphabet.all & ~alphabet.literal(chr(av), icase), False
        if name == "IN":
            return self.char_class(av, icase), False
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            chars, empty = self.firsts(av[2], icase)
            return chars, empty or av[0] == 0
        if name == "SUBPATTERN":
            return self.firsts(av[3], _case(name, av, icase))
        if name == "ATOMIC_GROUP":
            return self.firsts(av, icase)
        if name == "BRANCH":
            found = [self.firsts(alt, icase) for alt in av[1]]
            chars = 0
            for more, _ in found:
                chars |= more
            return chars, any(empty for _, empty in found)
        if name in ("AT", "ASSERT", "ASSERT_NOT"):
            return 0, True  # zero width
        return alphabet.all, True  # ANY, back-references, conditionals: assume the worst

    def char_class(self, items: Sequence[Item], icase: bool) -> int:
        """A character class ``[...]`` (or ``\\d``, ``\\w``...) as a mask (each distinct class once)."""
        key = (tuple(items), icase)
        if key not in self._classes:
            self._classes[key] = self._char_class(items, icase)
        return self._classes[key]

    def _char_class(self, items: Sequence[Item], icase: bool) -> int:
        alphabet = self.alphabet
        negate = bool(items) and str(items[0][0]) == "NEGATE"
        mask = 0
        for op, av in items[1:] if negate else items:
            name = str(op)
            if name == "LITERAL":
                mask |= alphabet.literal(chr(av), icase)
            elif name == "RANGE":
                mask |= alphabet.where(_in_range(av[0], av[1], icase))
            elif name == "CATEGORY":
                mask |= alphabet.category(str(av))
            else:
                return alphabet.all  # a part not modelled: assume the worst
        return alphabet.all & ~mask if negate else mask


def _case(name: str, av: Any, icase: bool) -> bool:
    """Case-insensitivity inside a ``(?i:...)`` or ``(?-i:...)`` group."""
    if name != "SUBPATTERN":
        return icase
    _group, add, remove, _body = av
    if add & re.IGNORECASE:
        return True
    if remove & re.IGNORECASE:
        return False
    return icase


def _cases(ch: str, icase: bool) -> tuple[str, ...]:
    return (ch, ch.lower(), ch.upper()) if icase else (ch,)
