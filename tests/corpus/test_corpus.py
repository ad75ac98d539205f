"""Every real-world PDF of the corpus gets a verified extract (see tests/corpus/harness.py).

Each file goes through ``redactor apply`` (with its own verify) under a generated rule file;
PDFium and qpdf then read the extract: the withheld words are gone, the released pages'
text is there, every page parses and renders. A one-line summary closes the test run.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.corpus.harness import CORPUS, check_sha256, entries, run_one

#: Seconds per source page no file may exceed (the issue's bound), plus start-up.
SECONDS_PER_PAGE = 10.0
#: Share of a file's released text the extract may lose before it counts as over-redaction.
#: The median over the corpus is reported in the summary line and must stay at 0.
MAX_OVER_REDACTION = 0.05

ENTRIES = entries()
#: Each file runs under a hard time limit (pytest-timeout): a hang fails, it does not stall CI.
PARAMS = [
    pytest.param(e, marks=pytest.mark.timeout(SECONDS_PER_PAGE * max(e["pages"] or 1, 1) + 60), id=e["file"][:-4][-60:])
    for e in ENTRIES
]


def test_corpus_is_present() -> None:
    assert ENTRIES, f"the corpus manifest is missing: {CORPUS / 'manifest.json'}"
    assert len(ENTRIES) == len(list(CORPUS.glob("*.[pP][dD][fF]")))


@pytest.mark.corpus
@pytest.mark.parametrize("entry", PARAMS)
def test_corpus_file(entry: dict, tmp_path: Path, record_property) -> None:
    check_sha256(entry)
    outcome = run_one(entry, tmp_path)
    summary = {
        "file": outcome.file,
        "status": outcome.status,
        "survivors": outcome.survivors,
        "over": outcome.over_redaction,
        "spp": outcome.seconds_per_page,
    }
    record_property("corpus", json.dumps(summary))
    assert outcome.status == "written", f"{entry['file']}: {outcome.status}: {outcome.message}"
    assert not outcome.survivors, f"withheld words left in the extract: {outcome.survivors}"
    assert outcome.rendered_pages > 0
    assert outcome.seconds <= SECONDS_PER_PAGE * max(outcome.pages, 1) + 30
    assert outcome.over_redaction <= MAX_OVER_REDACTION, (
        f"the extract lost {outcome.lost_chars} of {outcome.released_chars} released characters"
    )
