"""Outputs checked before any work, and written all together or not at all.

:func:`check_outputs` refuses, before a source is even opened, an output that would
replace an input or another output, or that cannot be written: a release of a large
source takes minutes, and a typo in ``-o`` must not cost them, nor replace the classified
original with its extract.

:func:`commit` writes a run's outputs as one: each goes to a temporary file beside its
target (same folder, so the rename cannot cross file systems), and only when every one is
written are they renamed into place. A failure or an interrupt while renaming puts back
what the renamed ones replaced (kept as a hard link, or a copy where links are refused),
so a run leaves the full new set or the full old one, never a mixture, and never a
``.part`` file. Outputs get the mode any program's new files get (0666 less the umask):
``mkstemp`` alone would make every output, the public extract included, private to its
writer.
"""

from __future__ import annotations

import functools
import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from redactor.errors import InputError, OutputError

#: Suffix of the temporary files an output is written to before its rename.
PART = ".part"
#: Suffix of the links that keep a replaced output until every output is in place.
KEPT = ".old"


#: The most a classified output's mode allows: its owner reads and writes it, nobody else.
CLASSIFIED_MODE = 0o600


@functools.cache
def file_mode() -> int:
    """0666 less the process's umask: the mode a program's new file gets.

    The umask can only be read by setting it, so it is set to 0 and put back at once,
    once per process (the value is kept), before any thread could create a file.
    """
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def folder_of(path: Path) -> Path:
    """The folder ``path`` goes in (``.`` for a bare file name)."""
    return path.parent if str(path.parent) else Path(".")


# --------------------------------------------------------------------------- before any work


def check_outputs(outputs: Mapping[str, Path | None], inputs: Mapping[str, Path | None]) -> None:
    """Refuse outputs that would replace an input or each other (exit 2), or cannot be written (exit 4).

    ``outputs`` and ``inputs`` map what the user calls each path (``-o``, ``--markdown``,
    ``the source``) to the path; None entries are not wanted and are skipped. Paths are
    compared resolved (links and ``..`` followed) and, where both exist, as files
    (``os.path.samefile``: hard links, case-insensitive file systems).
    """
    wanted = [(name, path) for name, path in outputs.items() if path is not None]
    given = [(name, path) for name, path in inputs.items() if path is not None]
    for index, (name, path) in enumerate(wanted):
        for other, used in [*given, *wanted[:index]]:
            if _same(path, used):
                raise _clash(name, path, other, is_input=(other, used) in given)
    for name, path in wanted:
        _writable(name, path)


def _same(a: Path, b: Path) -> bool:
    """True when ``a`` and ``b`` name one file, now or once written."""
    if a.resolve() == b.resolve():
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet): the resolved paths decided
        return False


def _clash(name: str, path: Path, other: str, *, is_input: bool) -> InputError:
    if is_input:
        return InputError(
            f"{name} is {other}: writing it would replace {other}.",
            path=path,
            hint=f"give {name} a path of its own.",
        )
    return InputError(f"{name} and {other} name the same file.", path=path, hint="give each output its own path.")


def _writable(name: str, path: Path) -> None:
    """Refuse an output that is a folder, or whose folder is missing or cannot take a new file.

    The folder is tried by creating (and removing) an empty temporary file in it: only
    that answers for read-only mounts, access lists and the superuser alike.
    """
    folder = folder_of(path)
    if path.is_dir():
        raise OutputError(f"{name} is a folder.", path=path, hint=f"give {name} a file name inside it.")
    if not folder.is_dir():
        raise OutputError(f"the output folder does not exist ({name}).", path=path, hint=f"create {folder} first.")
    try:
        fd, probe = tempfile.mkstemp(prefix=f".{path.name}.", suffix=PART, dir=folder)
    except OSError as error:
        raise _unwritable(name, path, folder, error) from None
    try:
        os.close(fd)
    finally:
        os.unlink(probe)


def _unwritable(name: str, path: Path, folder: Path, error: OSError) -> OutputError:
    return OutputError(
        f"{name} cannot be written in {folder} ({error.strerror or type(error).__name__}).",
        path=path,
        hint="choose a folder you can write to, or free some space.",
    )


# --------------------------------------------------------------------------- all or nothing


@dataclass
class _Staged:
    """One output on its way: its temporary file, and what it replaced once renamed."""

    target: Path
    temp: Path
    kept: Path | None = None  # the replaced output, kept until every output is in place
    placed: bool = False


def commit(rendered: Mapping[Path, bytes | str], classified: bool = False) -> list[Path]:
    """Write every output, or none: all to temporary files first, then all renamed into place.

    A failure (:class:`OutputError`, naming the output) or an interrupt removes every
    temporary file and puts back what the outputs already renamed had replaced. Returns
    the paths written, in order. ``classified`` outputs (they show withheld content: the
    review copies, the internal audit, a rule skeleton) are readable by their owner only.
    """
    mode = file_mode() & (CLASSIFIED_MODE if classified else 0o666)
    staged: list[_Staged] = []
    try:
        for path, data in rendered.items():
            _stage(Path(path), data, staged, mode)
        for item in staged:
            _place(item)
    except BaseException:
        _undo(staged)
        raise
    _forget(item.kept for item in staged)
    return [item.target for item in staged]


def write_atomically(path: str | Path, data: bytes | str, classified: bool = False) -> Path:
    """Write one output through a temporary file and a rename (see :func:`commit`)."""
    return commit({Path(path): data}, classified)[0]


def _stage(target: Path, data: bytes | str, staged: list[_Staged], mode: int) -> None:
    """``data`` written to a temporary file beside ``target``, with ``mode``; added to ``staged``."""
    folder = folder_of(target)
    if not folder.is_dir():
        raise OutputError("the output folder does not exist.", path=target, hint=f"create {folder} first.")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=PART, dir=folder)
        staged.append(_Staged(target, Path(temp)))
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), mode)
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as error:
        raise _unwritable("the output", target, folder, error) from None


def _place(item: _Staged) -> None:
    """Rename the temporary file over the target, keeping what it replaces.

    ``placed`` is set before the rename: undoing then puts the kept file back (or removes
    the target), which is right whether the rename happened or not, so an interrupt
    between the two cannot leave a new output with its predecessor gone.
    """
    try:
        if os.path.lexists(item.target):
            item.kept = _reserve(item.target, KEPT)
            _link_or_copy(item.target, item.kept)
        item.placed = True
        os.replace(item.temp, item.target)
    except OSError as error:
        raise _unwritable("the output", item.target, folder_of(item.target), error) from None


def _reserve(target: Path, suffix: str) -> Path:
    """A new, unused name beside ``target`` (the empty file made to reserve it is removed)."""
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix, dir=folder_of(target))
    os.close(fd)
    os.unlink(name)
    return Path(name)


def _link_or_copy(target: Path, kept: Path) -> None:
    """A second name for the file at ``target`` (a hard link, or a copy), for putting it back."""
    try:
        os.link(target, kept, follow_symlinks=False)
    except OSError:  # no hard links here (some network and FUSE file systems), or not allowed
        shutil.copy2(target, kept, follow_symlinks=False)


def _undo(staged: list[_Staged]) -> None:
    """Put back what the placed outputs replaced and remove every temporary file (best effort)."""
    for item in reversed(staged):
        with suppress(OSError):
            if item.placed and item.kept is not None:
                os.replace(item.kept, item.target)
            elif item.placed:
                item.target.unlink()
        with suppress(OSError):
            item.temp.unlink(missing_ok=True)
    _forget(item.kept for item in staged)


def _forget(kept: Iterable[Path | None]) -> None:
    """Remove the kept copies of replaced outputs (those already put back are gone)."""
    for path in kept:
        if path is not None:
            with suppress(OSError):
                path.unlink(missing_ok=True)
