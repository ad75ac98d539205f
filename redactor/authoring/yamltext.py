"""Quoting for the rule files we write: YAML strings and regexes that match text literally."""

from __future__ import annotations

import bisect
import json
import re

#: Words a block selector starts with before it is lengthened to be unique.
SELECTOR_MIN_WORDS = 3


def regex_literal(text: str) -> str:
    """``text`` as a regex matching itself; spaces stay readable (``re.escape`` would escape them)."""
    return re.escape(text).replace("\\ ", " ")


def yaml_string(text: str) -> str:
    """A double-quoted YAML scalar; a JSON string is one, with every escape YAML needs."""
    return json.dumps(text, ensure_ascii=False)


def unique_prefix(text: str, ordered: list[str]) -> tuple[str, int]:
    """The shortest anchored literal selector for ``text`` among the sorted texts ``ordered``.

    Returns the regex and how many of ``ordered`` it matches: 1 unless the text repeats
    (then the full text, anchored at both ends, still matches every copy).
    """

    def starting_with(prefix: str) -> int:
        return bisect.bisect_left(ordered, prefix + "\U0010ffff") - bisect.bisect_left(ordered, prefix)

    words = text.split(" ")
    for k in range(min(SELECTOR_MIN_WORDS, len(words)), len(words)):
        prefix = " ".join(words[:k])
        if starting_with(prefix) == 1:
            return "^" + regex_literal(prefix), 1
    if starting_with(text) == 1:
        return "^" + regex_literal(text), 1
    exact = bisect.bisect_right(ordered, text) - bisect.bisect_left(ordered, text)
    return "^" + regex_literal(text) + "$", exact


def flow_mapping(selector: dict[str, str]) -> str:
    """A selector as one line of YAML, ready to paste after ``release:`` or ``withhold:``."""
    return "{" + ", ".join(f"{k}: {yaml_string(v)}" for k, v in selector.items()) + "}"
