"""Wording of everything `redactor` prints into a document, per language.

One `Labels` record per language, looked up by its code ("en", "fr"). Code that
prints words takes them from here and never branches on the language itself: adding a
language means adding one entry to `LABELS`, nothing else.

Strings with ``{...}`` fields are `str.format` templates; the field names are part of
the contract (``{page}``, ``{first}``, ``{last}``, ``{place}``, ``{date}``,
``{day}``, ``{month}``, ``{year}``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Labels:
    """The fixed wording of one language.

    Cover sheet wording first, then the default placeholder texts, then dates.
    """

    # Cover sheet.
    partial_title: str  # title when anything is withheld
    full_title: str  # title when nothing is withheld
    of_document: str  # label of the source document's number and classification
    dated: str  # label of the source document's date
    new_status: str  # label of the status after release
    subject: str  # label of the subject line
    closing_partial: str  # closing sentence of a partial declassification
    closing_full: str  # closing sentence of a full declassification
    new_status_public: str  # the usual value of the new status
    place_date: str  # "{place}, {date}" line at the top right of the cover

    # Default placeholder texts (the rule file's `placeholders:` may override them).
    inline: str  # drawn where a withheld run began
    page: str  # one withheld page: {page}
    pages: str  # a run of withheld pages: {first}, {last}
    tail: str  # withheld from here to the end of the document
    tail_page: str  # page reference printed under `tail`: {page}
    condensed_note: str  # before a condensed range: {first}, {last}

    # Dates.
    months: tuple[str, ...]  # January..December, as written inside a long date
    date_format: str  # long date: {day}, {month}, {year}
    first_day: str  # how day 1 is written ("1", or "1er" in French)


LABELS: dict[str, Labels] = {
    "en": Labels(
        partial_title="PARTIAL DECLASSIFICATION",
        full_title="DECLASSIFICATION",
        of_document="of document:",
        dated="dated:",
        new_status="new status:",
        subject="Subject:",
        closing_partial=(
            "Delegations will find attached the partially declassified version of the above-mentioned document."
        ),
        closing_full=("Delegations will find attached the declassified version of the above-mentioned document."),
        new_status_public="Public",
        place_date="{place}, {date}",
        inline="NOT DECLASSIFIED",
        page="Page {page}: NOT DECLASSIFIED",
        pages="Pages {first} through {last}: NOT DECLASSIFIED",
        tail="NOT DECLASSIFIED FROM THIS POINT UNTIL THE END OF THE DOCUMENT",
        tail_page="(page {page})",
        condensed_note="( following table covers pages {first} through {last} )",
        months=(
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ),
        date_format="{day} {month} {year}",
        first_day="1",
    ),
    "fr": Labels(
        partial_title="DÉCLASSIFICATION PARTIELLE",
        full_title="DÉCLASSIFICATION",
        of_document="du document :",
        dated="en date du :",
        new_status="nouveau statut :",
        subject="Objet :",
        closing_partial=(
            "Les délégations trouveront ci-joint la version partiellement déclassifiée du document cité en objet."
        ),
        closing_full=("Les délégations trouveront ci-joint la version déclassifiée du document cité en objet."),
        new_status_public="Public",
        place_date="{place}, le {date}",
        inline="NON DÉCLASSIFIÉ",
        page="Page {page} : NON DÉCLASSIFIÉ",
        pages="Pages {first} à {last} : NON DÉCLASSIFIÉES",
        tail="NON DÉCLASSIFIÉ À PARTIR DE CE POINT JUSQU'À LA FIN DU DOCUMENT",
        tail_page="(page {page})",
        condensed_note="( le tableau suivant couvre les pages {first} à {last} )",
        months=(
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ),
        date_format="{day} {month} {year}",
        first_day="1er",
    ),
}

SUPPORTED_LANGUAGES: tuple[str, ...] = tuple(sorted(LABELS))


class UnknownLanguageError(KeyError):
    """A language code with no entry in `LABELS`.

    A `KeyError` (it is a failed look-up) whose message lists the known codes.
    """

    def __init__(self, language: str) -> None:
        super().__init__(language)
        self.language = language

    def __str__(self) -> str:
        known = ", ".join(SUPPORTED_LANGUAGES)
        return f"unknown language {self.language!r}; known languages: {known}"


def labels_for(language: str) -> Labels:
    """Return the wording for `language` ("en", "fr"; case and surrounding space ignored).

    Raises `UnknownLanguageError` (a `KeyError`) naming the known languages.
    """
    key = language.strip().lower() if isinstance(language, str) else language
    try:
        return LABELS[key]
    except (KeyError, TypeError):
        raise UnknownLanguageError(str(language)) from None
