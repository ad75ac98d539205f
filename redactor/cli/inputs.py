"""A command's paths and password, settled before any work.

Every command takes its files in one order, SOURCE then RULES (then what it checks), as
positional arguments; ``--source`` and ``--rules``, the old spelling of some commands,
still work for one release, with a note on stderr. Inputs must be there and readable
(exit 3 otherwise) and outputs must be writable and distinct from the inputs and from
each other (:func:`redactor.output.atomic.check_outputs`), all before the source is
opened: a release takes minutes, a typo must not cost them.

A password can come from ``--password`` (seen by anyone who lists processes), from the
first line of ``--password-file``, or from ``REDACTOR_PASSWORD``, in that order.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

import typer

from redactor.errors import InputError, InputFileError
from redactor.output.atomic import check_outputs

#: The environment variable a password may come from.
PASSWORD_VARIABLE = "REDACTOR_PASSWORD"
#: Suffixes that mark a rule file; a PDF slot given one is a mix-up of the order.
RULE_SUFFIXES = (".yaml", ".yml")
#: What each slot is called in messages.
NAMES = {"source": "the source file", "rules": "the rule file", "extract": "the extract file"}


def positional(
    command: str,
    slots: Sequence[str],
    given: Sequence[Path],
    legacy: Mapping[str, Path | None],
    optional: frozenset[str] = frozenset(),
) -> dict[str, Path | None]:
    """Assign the positional paths to the command's ``slots`` (e.g. source, rules), in order.

    A slot given by its old option (``legacy``: ``--source``, ``--rules``) is taken from
    it, with a deprecation note; the positional paths fill the other slots in order,
    ``optional`` ones left out when too few are given. Too many or too few paths, or a rule
    file where a PDF goes, is a usage error naming the expected order.
    """
    usage = f"redactor {command} " + " ".join(f"[{s.upper()}]" if s in optional else s.upper() for s in slots)
    taken = {slot: path for slot, path in legacy.items() if path is not None}
    for slot in taken:
        _deprecated(slot, usage)
    free = [slot for slot in slots if slot not in taken]
    while len(free) > len(given) and any(slot in optional for slot in free):
        free.remove(next(slot for slot in free if slot in optional))
    if len(free) != len(given):
        wanted = " ".join(slot.upper() for slot in free)
        counted = f"{len(given)} path{'' if len(given) == 1 else 's'}"
        raise InputError(f"{command} takes {wanted}; {counted} given.", hint=f"write `{usage}`.")
    found: dict[str, Path | None] = dict.fromkeys(slots)
    found.update(taken)
    found.update(zip(free, given, strict=True))
    _in_order(found, usage)
    return found


def required(path: Path | None) -> Path:
    """A slot :func:`positional` always fills, typed as such (it is not among the optional ones)."""
    if path is None:
        raise ValueError("a required path is missing")
    return path


def _deprecated(slot: str, usage: str) -> None:
    """The note for an old option: said even with -q, since a script that uses it will break."""
    typer.echo(
        f"warning: --{slot} is deprecated and goes in the next release; give {slot.upper()} in its place: `{usage}`.",
        err=True,
    )


def _in_order(found: Mapping[str, Path | None], usage: str) -> None:
    """Refuse a rule file given where a PDF goes (or a PDF for the rules): the order was mixed up."""
    for slot, path in found.items():
        if path is None:
            continue
        is_rules = path.suffix.lower() in RULE_SUFFIXES
        if is_rules != (slot == "rules") and (is_rules or path.suffix.lower() == ".pdf"):
            what = "the rule file (YAML)" if slot == "rules" else "a PDF"
            raise InputError(f"is given as {slot.upper()}, {what}.", path=path, hint=f"the order is `{usage}`.")


def password_of(password: str | None, password_file: Path | None) -> str | None:
    """The password: ``--password``, else the first line of ``--password-file``, else $REDACTOR_PASSWORD."""
    if password is not None:
        return password
    if password_file is not None:
        return _read_password(password_file)
    return os.environ.get(PASSWORD_VARIABLE) or None


def _read_password(path: Path) -> str:
    """The first line of the file, without its line ending (other spaces are part of the password)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("the password file does not exist.", path=path, hint="check the path.") from None
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or type(error).__name__
        raise InputError(f"the password file cannot be read ({reason}).", path=path) from None
    lines = text.splitlines()
    if not lines or not lines[0]:
        raise InputError("the password file is empty.", path=path, hint="write the password on its first line.")
    return lines[0]


def check_paths(
    inputs: Mapping[str, Path | None], outputs: Mapping[str, Path | None], password_file: Path | None = None
) -> None:
    """Every input there and readable (exit 3), every output writable and distinct (exit 2 or 4).

    ``inputs`` maps slots (source, rules, extract) to paths; ``outputs`` maps options
    (``-o``, ``--markdown``) to paths. The password file only has to stay unwritten.
    """
    named = {NAMES.get(slot, slot): path for slot, path in inputs.items()}
    for name, path in named.items():
        if path is not None:
            _readable(name, path)
    check_outputs(outputs, {**named, "the password file": password_file})


def _readable(name: str, path: Path) -> None:
    """Refuse an input that is missing, a folder, or not readable (a pipe is fine: rules may come from one)."""
    if not path.exists():
        raise InputFileError(f"{name} does not exist.", path=path, hint="check the path.")
    if path.is_dir():
        raise InputFileError(f"{name} is a folder.", path=path, hint="give the file inside it.")
    if not os.access(path, os.R_OK):
        raise InputFileError(f"{name} cannot be read (permission denied).", path=path, hint="check its permissions.")
