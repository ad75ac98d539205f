"""``apply`` from the workstation: the release of the current plan, verified, or the reason it was not written.

The same call as ``redactor apply`` (:func:`redactor.pipeline.release` with verify), on the
plan the reviewer is looking at: a leak stops it and nothing is written, and the findings
are shown instead. Kept pages are written in worker processes as ``apply`` does.
"""

from __future__ import annotations

import time
from typing import Any

from redactor.errors import CheckFailed, RedactorError
from redactor.output.atomic import check_outputs
from redactor.pipeline import Outputs, release
from redactor.render.pages import default_workers
from redactor.workstation.session import Session


def apply_release(session: Session) -> dict[str, Any]:
    """Write the extract to the session's output; ``written`` or ``failed`` with the message."""
    started = time.perf_counter()
    with session.lock:
        session.sync()
        plan = session.plan
        try:
            inputs = {"the source": session.source, "the rule file": session.rules}
            check_outputs({"the extract": session.output}, inputs)
            written = release(plan, session.source, Outputs(session.output), session.password, verify=True,
                              jobs=default_workers())  # fmt: skip
        except CheckFailed as error:
            return {"ok": False, "verified": False, "message": error.paragraph(), "seconds": _since(started)}
        except RedactorError as error:
            return {"ok": False, "verified": None, "message": error.paragraph(), "seconds": _since(started)}
    return {
        "ok": True,
        "verified": True,
        "written": list(written),
        "message": f"wrote {', '.join(written)} (verified: no leak found).",
        "seconds": _since(started),
    }


def _since(started: float) -> float:
    return round(time.perf_counter() - started, 2)
