"""Dates as rule files write them and as documents print them.

Input: ISO dates ("2013-03-19"; PyYAML already turns an unquoted one into a
`datetime.date`), long dates in any supported language ("19 March 2013",
"19 mars 2013", "1er mars 2013") and the dotted form of the document number suffix
("19.03.2013"). Output: the long form of one language, or the dotted suffix form.
"""

from __future__ import annotations

import datetime
import re
import unicodedata

from redactor.i18n import LABELS, labels_for

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
# "19 March 2013", "1er mars 2013", "le 19 mars 2013", "19 March, 2013"
_LONG = re.compile(r"(?:le\s+)?(\d{1,2})(?:er|st|nd|rd|th)?\.?\s+([^\W\d_]+)\.?,?\s+(\d{4})")


def _fold(word: str) -> str:
    """Lower-case `word` and strip its accents, so "Février" and "fevrier" compare equal."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Month name (folded) -> month number, over every supported language.
_MONTHS: dict[str, int] = {
    _fold(name): number for labels in LABELS.values() for number, name in enumerate(labels.months, start=1)
}


def _make(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def parse_date(value: str | datetime.date) -> datetime.date | None:
    """Read a date from a rule file value; None when it is not a date we understand.

    Accepts a `datetime.date` (a `datetime.datetime` gives its date), an ISO date
    "2013-03-19", a long date in any supported language ("19 March 2013",
    "1er mars 2013") and the dotted form "19.03.2013". Impossible dates
    ("31 February 2013") are None too: the caller reports them as invalid input.
    """
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    if match := _ISO.fullmatch(text):
        year, month, day = (int(g) for g in match.groups())
        return _make(year, month, day)
    if match := _DOTTED.fullmatch(text):
        day, month, year = (int(g) for g in match.groups())
        return _make(year, month, day)
    if match := _LONG.fullmatch(text.casefold()):
        month_number = _MONTHS.get(_fold(match.group(2)))
        if month_number is None:
            return None
        return _make(int(match.group(3)), month_number, int(match.group(1)))
    return None


def long_date(d: datetime.date, language: str) -> str:
    """Write `d` the way a document in `language` does: "19 March 2013", "1er mars 2013"."""
    labels = labels_for(language)
    day = labels.first_day if d.day == 1 else str(d.day)
    return labels.date_format.format(day=day, month=labels.months[d.month - 1], year=d.year)


def number_suffix_date(d: datetime.date) -> str:
    """Write `d` as in a rewritten document number's suffix: "19.03.2013"."""
    return f"{d.day:02d}.{d.month:02d}.{d.year:04d}"
