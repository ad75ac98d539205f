"""One review: the loaded source, the rule file and its history, the current plan.

Loading the source is the slow part (PyMuPDF reads every page); it is done once. A change
is a new rule file text: it is parsed and decided against the loaded document (the plan
every command reads, :func:`redactor.plan.decide.decide`), and only if that succeeds is it
written, so the file on disk always plans. Undo and redo walk the texts written. The file
is re-read before each change and each look at the state: an edit made in a text editor
meanwhile is taken in (and is one more step to undo), never overwritten.

Every method that reads or replaces the plan, or draws with PyMuPDF, holds ``lock``.
"""

from __future__ import annotations

import os
import stat
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from redactor.errors import RedactorError
from redactor.output.atomic import write_atomically
from redactor.plan.decide import decide
from redactor.plan.model import Plan
from redactor.progress import DECIDING, Phase, no_phases
from redactor.rules.parse import parse_rules
from redactor.rules.yamlmarks import size_limit
from redactor.source.load import load_document
from redactor.source.model import Document
from redactor.workstation.lintjob import LintRunner
from redactor.workstation.pictures import Pictures


@dataclass(frozen=True)
class Outcome:
    """What a change did: a sentence for the reviewer, the pages whose plan changed, the time it took."""

    message: str
    changed: tuple[int, ...] = ()
    rule: str | None = None
    seconds: float = 0.0


@dataclass
class History:
    """The rule file texts written in this session, and where undo/redo stand."""

    texts: list[str] = field(default_factory=list)
    at: int = 0

    def push(self, text: str) -> None:
        """A new text after the current one; what could be redone is dropped."""
        del self.texts[self.at + 1 :]
        self.texts.append(text)
        self.at = len(self.texts) - 1

    @property
    def can_undo(self) -> bool:
        """True when there is a text before the current one."""
        return self.at > 0

    @property
    def can_redo(self) -> bool:
        """True when an undone text can come back."""
        return self.at < len(self.texts) - 1


class Session:
    """The review of one source against one rule file."""

    def __init__(
        self, source: Path, rules: Path, password: str | None, output: Path, max_size: int | None,
        document: Document, text: str, plan: Plan, lint_in_process: bool = True,
    ) -> None:  # fmt: skip
        self.source, self.rules, self.password, self.output = source, rules, password, output
        self.max_size = max_size
        self.document = document
        self.text = text
        self.plan = plan
        self.version = 1
        self.history = History([text])
        self.lock = threading.RLock()
        self.disk_error: str | None = None
        self.pictures = Pictures(str(source), password)
        self.lint = LintRunner(source, password, document, rules, max_size, lint_in_process)
        self.lint.submit(self.version, text)

    @classmethod
    def open(
        cls, source: Path, rules: Path, output: Path, password: str | None = None, max_size: int | None = None,
        phase: Phase = no_phases, lint_in_process: bool = True,
    ) -> Session:  # fmt: skip
        """Load the source and plan the rule file as it is (its errors are raised, as ``apply`` would)."""
        text = _read(rules)
        with size_limit(max_size):
            ruleset = parse_rules(rules, text)
        document = load_document(source, password, phase)
        plan = decide(document, ruleset, phase(DECIDING, document.page_count))
        return cls(source, rules, password, output, max_size, document, text, plan, lint_in_process)

    def close(self) -> None:
        """Stop the lint worker and close the source."""
        self.lint.close()
        with self.lock:
            self.pictures.close()

    def plan_text(self, text: str) -> Plan:
        """The plan the rule file ``text`` makes of the loaded document (its errors raised)."""
        with size_limit(self.max_size):
            ruleset = parse_rules(self.rules, text)
        return decide(self.document, ruleset)

    def sync(self) -> None:
        """Take in an edit made to the rule file outside the workstation, if there is one."""
        with self.lock:
            try:
                text = _read(self.rules)
            except RedactorError as error:
                self.disk_error = error.paragraph()
                return
            if text == self.text:
                self.disk_error = None
                return
            try:
                plan = self.plan_text(text)
            except RedactorError as error:
                self.disk_error = "the rule file was edited and no longer plans: " + error.paragraph()
                return
            self.disk_error = None
            self.history.push(text)
            self._adopt(text, plan)

    def change(self, text: str, message: str, rule: str | None = None) -> Outcome:
        """Plan ``text``; if it plans, write it, make it the current state and a step of the history."""
        with self.lock:
            started = time.perf_counter()
            plan = self.plan_text(text)  # raises before anything is written
            self._write(text)
            self.history.push(text)
            changed = self._adopt(text, plan)
            return Outcome(message, changed, rule, time.perf_counter() - started)

    def undo(self) -> Outcome:
        """Back to the text before the last change (written to the file)."""
        return self._step(-1, "undone")

    def redo(self) -> Outcome:
        """Forward to the text the last undo left (written to the file)."""
        return self._step(+1, "redone")

    def _step(self, by: int, said: str) -> Outcome:
        with self.lock:
            self.sync()
            if not (self.history.can_undo if by < 0 else self.history.can_redo):
                return Outcome(f"nothing to {'undo' if by < 0 else 'redo'}.")
            started = time.perf_counter()
            text = self.history.texts[self.history.at + by]
            plan = self.plan_text(text)
            self._write(text)
            self.history.at += by
            changed = self._adopt(text, plan)
            return Outcome(said + ".", changed, None, time.perf_counter() - started)

    def _adopt(self, text: str, plan: Plan) -> tuple[int, ...]:
        before = self.plan.pages
        self.text, self.plan = text, plan
        self.version += 1
        self.lint.submit(self.version, text)
        return tuple(p.number for p, q in zip(plan.pages, before, strict=True) if p != q)

    def _write(self, text: str) -> None:
        """Replace the rule file (through a temporary file and a rename), keeping its permissions."""
        try:
            mode = stat.S_IMODE(os.stat(self.rules).st_mode)
        except OSError:
            mode = None
        write_atomically(self.rules, text, classified=True)
        if mode is not None:
            os.chmod(self.rules, mode)


def _read(path: Path) -> str:
    from redactor.errors import InputFileError

    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputFileError("the rule file does not exist.", path=path, hint="check the path.") from None
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or type(error).__name__
        raise InputFileError(f"the rule file cannot be read ({reason}).", path=path) from None
