"""Lint findings kept up to date in the background, one rule file text at a time.

``lint`` re-plans the document (with silent rules made optional) and takes as long as a
plan: run in the request that changed the rules, it would double the time to a refreshed
page. It runs in one worker process instead, which loads the source once and then lints
each new text; a thread would hold the interpreter's lock against the next re-plan. Only
the newest text is linted: one submitted while another runs waits, and is replaced by a
newer one.
"""

from __future__ import annotations

import dataclasses
import threading
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from redactor.check.lint import Finding, from_error, lint_ruleset
from redactor.errors import RedactorError, RuleError
from redactor.processes import worker_pool
from redactor.rules.parse import parse_rules
from redactor.rules.yamlmarks import size_limit
from redactor.source.model import Document

_DOCUMENT: Document | None = None  # the worker's source


def _load(source: str, password: str | None) -> None:
    """The worker's start: the source is loaded once (Ctrl-C is left to the command, see worker_pool)."""
    from redactor.source.load import load_document

    global _DOCUMENT
    _DOCUMENT = load_document(source, password)


def lint_text(document: Document, path: str, text: str, max_size: int | None) -> list[Finding]:
    """The findings of ``lint SOURCE RULES`` for the rule file's text."""
    try:
        with size_limit(max_size):
            ruleset = parse_rules(path, text)
        return lint_ruleset(ruleset, document)
    except RuleError as error:
        return [from_error(error)]


def _lint_in_worker(path: str, text: str, max_size: int | None) -> list[Finding]:
    assert _DOCUMENT is not None, "the worker's source is loaded by its initializer"
    return lint_text(_DOCUMENT, path, text, max_size)


class LintRunner:
    """The findings of the newest rule file text, computed away from the requests."""

    def __init__(
        self, source: Path, password: str | None, document: Document, rules: Path, max_size: int | None,
        in_process: bool = True,
    ) -> None:  # fmt: skip
        self._rules, self._max_size, self._document = str(rules), max_size, document
        self._pool: Executor
        if in_process:
            self._pool = worker_pool(1, _load, str(source), password)
        else:
            self._pool = ThreadPoolExecutor(1)
        self._in_process = in_process
        self._lock = threading.RLock()  # a future already done calls back at once, lock held
        self._running: tuple[int, Future[list[Finding]]] | None = None
        self._waiting: tuple[int, str] | None = None
        self._result: tuple[int, list[dict[str, Any]], str | None] | None = None
        self._texts: dict[int, str] = {}

    def submit(self, version: int, text: str) -> None:
        """Lint ``text`` (the rule file at ``version``) when the worker is free."""
        with self._lock:
            self._texts = {version: text}
            self._waiting = (version, text)
            if self._running is None:
                self._start()

    def _start(self) -> None:
        assert self._waiting is not None
        version, text = self._waiting
        self._waiting = None
        try:
            future = self._submit(text)
        except BrokenProcessPool:  # the worker could not start or died: lint here, in a thread
            self._pool, self._in_process = ThreadPoolExecutor(1), False
            future = self._submit(text)
        except RuntimeError:  # closed
            return
        self._running = (version, future)
        future.add_done_callback(lambda done: self._finished(version, done))

    def _submit(self, text: str) -> Future[list[Finding]]:
        if self._in_process:
            return self._pool.submit(_lint_in_worker, self._rules, text, self._max_size)
        return self._pool.submit(lint_text, self._document, self._rules, text, self._max_size)

    def _finished(self, version: int, future: Future[list[Finding]]) -> None:
        with self._lock:
            try:
                findings = [self._row(f) for f in future.result()]
                failure = None
            except RedactorError as error:
                findings, failure = [], error.paragraph()
            except BrokenProcessPool:  # the worker died: lint this text again, in a thread
                self._pool, self._in_process = ThreadPoolExecutor(1), False
                self._running = None
                if self._waiting is None:
                    self._waiting = (version, self._texts.get(version, ""))
                self._start()
                return
            except Exception as error:  # say so rather than show stale findings
                findings, failure = [], f"lint could not run ({type(error).__name__})."
            self._result = (version, findings, failure)
            self._running = None
            if self._waiting is not None:
                self._start()

    def _row(self, finding: Finding) -> dict[str, Any]:
        return {**dataclasses.asdict(finding), "text": finding.format(Path(self._rules).name)}

    def status(self, version: int) -> dict[str, Any]:
        """The findings for ``version``, or that they are still being computed (with the last ones)."""
        with self._lock:
            result = self._result
            busy = self._running is not None or self._waiting is not None
        if result is None:
            return {"version": None, "pending": True, "findings": [], "failure": None}
        done, findings, failure = result
        return {"version": done, "pending": busy or done != version, "findings": findings, "failure": failure}

    def close(self) -> None:
        """Stop the worker: a lint under way is abandoned, not waited for (it may take seconds)."""
        workers = dict(getattr(self._pool, "_processes", None) or {})
        self._pool.shutdown(wait=False, cancel_futures=True)
        for process in workers.values():
            process.terminate()
