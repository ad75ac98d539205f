"""Exit codes and the errors that carry them.

The library raises these; only the CLI turns them into exit codes, by type, never by
matching message text. Every user-facing error names the file, the YAML line and column
where there is one, and a hint, so a reviewer can fix the input without reading code.
"""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path


class ExitCode(IntEnum):
    """Process exit codes, as documented in docs/errors.md.

    One code per thing the caller can do about it: fix the content (1), fix the command
    or the rule file (2), fix or replace an input file (3), make room or permission to
    write (4), give the right password (5). Scripts branch on these, so a code, once
    documented, keeps its meaning.
    """

    OK = 0
    CHECK_FAILED = 1
    BAD_INPUT = 2
    INPUT_UNREADABLE = 3
    OUTPUT_NOT_WRITABLE = 4
    ENCRYPTED = 5
    INTERNAL = 70
    INTERRUPTED = 130  # SIGINT: 128 + 2
    TERMINATED = 143  # SIGTERM: 128 + 15


class RedactorError(Exception):
    """Base error: a message plus where it happened and what to do about it."""

    exit_code: ExitCode = ExitCode.BAD_INPUT

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        column: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.column = column
        self.hint = hint

    def location(self) -> str:
        """``file:line:col`` as far as known, or an empty string."""
        if self.path is None:
            return ""
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def paragraph(self) -> str:
        """The one-paragraph message the CLI prints."""
        where = self.location()
        text = f"{where}: {self.message}" if where else self.message
        if self.hint:
            text += f" Hint: {self.hint}"
        return text

    def __str__(self) -> str:
        return self.paragraph()


class InputError(RedactorError):
    """Bad input: invalid YAML, an unknown key, an argument that makes no sense, clashing paths..."""


class RuleError(InputError):
    """A rule file that is syntactically or semantically invalid."""


class NoMatchError(RuleError):
    """A rule matched nothing: a typo must never silently release or withhold."""


class InputFileError(InputError):
    """An input file that cannot be read: missing, a folder, not permitted, not a PDF, damaged.

    Kept apart from :class:`InputError` because the fix is another file, not another
    command line or rule file.
    """

    exit_code = ExitCode.INPUT_UNREADABLE


class SourceError(InputFileError):
    """A source PDF that cannot be used as it is."""


class EncryptedError(SourceError):
    """A source encrypted with a password that was not given, or not the one given."""

    exit_code = ExitCode.ENCRYPTED


class OutputError(RedactorError):
    """An output that cannot be written: its folder is missing or read-only, it is a folder, the disk is full."""

    exit_code = ExitCode.OUTPUT_NOT_WRITABLE


class CheckFailed(RedactorError):
    """A check found problems (a leak, lint findings); the report is the message."""

    exit_code = ExitCode.CHECK_FAILED
