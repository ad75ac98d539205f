"""Batch releases: many documents from a manifest, in worker processes, resumable.

The manifest lists one release per row: ``source``, ``rules`` and ``output`` (CSV with that
header, or YAML: a list of mappings with those keys). Relative paths are relative to the
manifest's folder. Each document is planned and released by :func:`release_one` in a worker
process, on this machine or, given the address of a Dask scheduler, on a cluster
(:mod:`redactor.batch_dask`); a failing document is reported and the others go on. A state
file beside the manifest (``<manifest>.state.json``) records every document released, with
the sha256 of its source and rules and the redactor version, so a second run skips what is
already done and an interrupted batch resumes where it stopped.
"""

from __future__ import annotations

import csv
import hashlib
import json
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from redactor import __version__
from redactor.errors import InputError, InputFileError, RedactorError
from redactor.output.atomic import write_atomically
from redactor.pipeline import Outputs, make_plan, release
from redactor.progress import Progress

COLUMNS = ("source", "rules", "output")
STATE_VERSION = 1

#: What :func:`release_one` returns: status, seconds, message.
Result = tuple[str, float, str]
#: Its arguments: source, rules, output, verify.
Call = tuple[str, str, str, bool]


@dataclass(frozen=True)
class Entry:
    """One row of the manifest, paths resolved against the manifest's folder."""

    line: int
    name: str  # the source as written in the manifest, for messages
    source: Path
    rules: Path
    output: Path


@dataclass
class Outcome:
    """What became of one document."""

    entry: Entry
    status: str  # ok, skipped, failed
    seconds: float = 0.0
    message: str = ""


# --------------------------------------------------------------------------- manifest


def read_manifest(path: Path) -> list[Entry]:
    """Parse a CSV or YAML manifest: a missing or unreadable one is exit 3, any problem in it exit 2."""
    if not path.is_file():
        raise InputFileError("the manifest does not exist.", path=path, hint="check the path.")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise InputFileError(f"the manifest cannot be read ({error.strerror}).", path=path) from None
    except UnicodeDecodeError as error:
        raise InputError(f"the manifest cannot be read ({error}).", path=path) from None
    if path.suffix.lower() in (".yaml", ".yml"):
        rows = _yaml_rows(path, text)
    else:
        rows = _csv_rows(path, text)
    if not rows:
        raise InputError("the manifest lists no documents.", path=path, hint="add one row per document.")
    base = path.parent
    entries: list[Entry] = []
    seen: dict[Path, int] = {}
    for line, row in rows:
        for key in COLUMNS:
            if not row.get(key, "").strip():
                raise InputError(f"the `{key}` value is empty.", path=path, line=line, hint="give all three paths.")
        source, rules, output = (_resolve(base, row[key]) for key in COLUMNS)
        if output in seen:
            raise InputError(
                f"the output {row['output'].strip()} is also written by line {seen[output]}.",
                path=path,
                line=line,
                hint="give every document its own output.",
            )
        if output in (source, rules):
            raise InputError("the output would overwrite an input.", path=path, line=line)
        seen[output] = line
        entries.append(Entry(line, row["source"].strip(), source, rules, output))
    return entries


def _resolve(base: Path, value: str) -> Path:
    candidate = Path(value.strip()).expanduser()
    return (candidate if candidate.is_absolute() else base / candidate).resolve()


def _csv_rows(path: Path, text: str) -> list[tuple[int, dict[str, str]]]:
    reader = csv.reader(text.splitlines())
    try:
        header = [cell.strip().lower() for cell in next(reader)]
    except StopIteration:
        raise InputError("the manifest is empty.", path=path, hint="the first line is: source,rules,output") from None
    except csv.Error as error:
        raise InputError(f"bad CSV ({error}).", path=path, line=1) from None
    missing = [c for c in COLUMNS if c not in header]
    unknown = [c for c in header if c not in COLUMNS]
    if missing or unknown:
        raise InputError(
            f"bad columns: {', '.join(header) or '(none)'}"
            + (f"; missing {', '.join(missing)}" if missing else "")
            + (f"; unknown {', '.join(unknown)}" if unknown else "")
            + ".",
            path=path,
            line=1,
            hint="the first line is: source,rules,output",
        )
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells) or cells[0].lstrip().startswith("#"):
                continue
            if len(cells) != len(header):
                raise InputError(
                    f"{len(cells)} values where the header has {len(header)}.",
                    path=path,
                    line=line,
                    hint="one row is: source,rules,output",
                )
            rows.append((line, dict(zip(header, cells, strict=True))))
    except csv.Error as error:
        raise InputError(f"bad CSV ({error}).", path=path, line=reader.line_num) from None
    return rows


def _yaml_rows(path: Path, text: str) -> list[tuple[int, dict[str, str]]]:
    import yaml

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise InputError(
            f"invalid YAML ({getattr(error, 'problem', None) or error}).",
            path=path,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from None
    if root is None:
        raise InputError("the manifest is empty.", path=path, hint="write a list of {source, rules, output}.")
    if not isinstance(root, yaml.SequenceNode):
        raise InputError(
            "the manifest is not a list.",
            path=path,
            line=root.start_mark.line + 1,
            hint="write a list of mappings with the keys source, rules, output.",
        )
    rows: list[tuple[int, dict[str, str]]] = []
    for item in root.value:
        line = item.start_mark.line + 1
        if not isinstance(item, yaml.MappingNode):
            raise InputError("this item is not a mapping.", path=path, line=line, hint="give source, rules, output.")
        row: dict[str, str] = {}
        for key_node, value_node in item.value:
            key = str(key_node.value)
            if key not in COLUMNS:
                raise InputError(
                    f"unknown key `{key}`.",
                    path=path,
                    line=key_node.start_mark.line + 1,
                    column=key_node.start_mark.column + 1,
                    hint="the keys are source, rules, output.",
                )
            if not isinstance(value_node, yaml.ScalarNode):
                raise InputError(f"`{key}` is not a path.", path=path, line=value_node.start_mark.line + 1)
            row[key] = str(value_node.value)
        missing = [c for c in COLUMNS if c not in row]
        if missing:
            raise InputError(f"missing {', '.join(missing)}.", path=path, line=line, hint="give source, rules, output.")
        rows.append((line, row))
    return rows


# --------------------------------------------------------------------------- state


def state_path(manifest: Path) -> Path:
    """The state file beside the manifest: ``<manifest>.state.json``."""
    return manifest.with_name(manifest.name + ".state.json")


def _load_state(path: Path) -> dict[str, dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # no state, or an unreadable one: everything is done again
    documents = data.get("documents") if isinstance(data, dict) else None
    return documents if isinstance(documents, dict) else {}


def _save_state(path: Path, documents: dict[str, dict[str, Any]]) -> None:

    payload = {"version": STATE_VERSION, "documents": dict(sorted(documents.items()))}
    write_atomically(path, json.dumps(payload, indent=2) + "\n")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _fingerprint(entry: Entry, verify: bool) -> dict[str, Any]:
    return {
        "source_sha256": _sha256(entry.source),
        "rules_sha256": _sha256(entry.rules),
        "redactor": __version__,
        "verified": verify,
    }


def _up_to_date(record: dict[str, Any] | None, current: dict[str, Any], output: Path) -> bool:
    if not record or not output.is_file():
        return False
    same = all(record.get(key) == current[key] for key in ("source_sha256", "rules_sha256", "redactor"))
    return same and (bool(record.get("verified")) or not current["verified"])


# --------------------------------------------------------------------------- work


def release_one(source: str, rules: str, output: str, verify: bool) -> Result:
    """Plan and release one document (in a worker process): (status, seconds, message).

    Plain strings in and out, so that the call pickles cheaply to a local process or a remote worker.
    """
    start = time.perf_counter()
    try:
        plan = make_plan(source, rules)
        release(plan, source, Outputs(Path(output)), verify=verify)
    except RedactorError as error:
        return "failed", time.perf_counter() - start, error.paragraph()
    except Exception as error:  # an internal fault: no locals, no withheld text
        return "failed", time.perf_counter() - start, f"internal error ({type(error).__name__}); no output was written."
    return "ok", time.perf_counter() - start, ""


@contextmanager
def _cancelled_on_interrupt(pool: ProcessPoolExecutor) -> Iterator[None]:
    """On an interrupt, drop the documents not yet started: leaving the pool would otherwise wait for them all.

    The documents in progress finish (their outputs are written whole, or not at all).
    """
    try:
        yield
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise


def run_batch(
    manifest: Path,
    jobs: int = 1,
    verify: bool = True,
    advance: Any = None,
    report: Any = None,
    scheduler: str | None = None,
    count_pages: Callable[[int], Progress] | None = None,
) -> list[Outcome]:
    """Release every document of the manifest; returns one outcome per row, in manifest order.

    ``advance`` is told of each document done; ``count_pages``, when given, is told the pages
    of the documents to release, and the callback it returns of each one's pages once done.

    ``scheduler``: the address of a Dask scheduler (``tcp://HOST:8786``) or ``local:N``, to run
    the documents on a cluster rather than in ``jobs`` local processes; the state file and the
    outcomes are the same either way.
    """
    entries = read_manifest(manifest)
    state_file = state_path(manifest)
    state = _load_state(state_file)
    outcomes: dict[int, Outcome] = {}
    pending: list[tuple[int, Entry, dict[str, Any]]] = []

    def done(index: int, outcome: Outcome) -> None:
        outcomes[index] = outcome
        if outcome.status == "failed" and report is not None:
            report(f"{outcome.entry.name} (manifest line {outcome.entry.line}): {outcome.message}")
        if advance is not None:
            advance(1)

    for index, entry in enumerate(entries):
        key = str(entry.output)
        try:
            current = _fingerprint(entry, verify)
        except OSError as error:
            state.pop(key, None)
            missing = entry.source if not entry.source.is_file() else entry.rules
            done(index, Outcome(entry, "failed", 0.0, f"{missing}: cannot be read ({error.strerror})."))
            continue
        if _up_to_date(state.get(key), current, entry.output):
            done(index, Outcome(entry, "skipped"))
        else:
            pending.append((index, entry, current))

    for _, entry, _ in pending:
        entry.output.parent.mkdir(parents=True, exist_ok=True)
    pages = [_page_count(entry.source) for _, entry, _ in pending] if count_pages is not None else []
    pages_done = count_pages(sum(pages)) if count_pages is not None else None
    calls = [(str(entry.source), str(entry.rules), str(entry.output), verify) for _, entry, _ in pending]
    with closing(_execute(calls, jobs, scheduler)) as results:  # closed at once on an interrupt: see _in_processes
        for position, result in results:
            index, entry, current = pending[position]
            if isinstance(result, Exception):  # the worker died (crash, out of memory), or the cluster went away
                reason = type(result).__name__
                status, seconds, message = "failed", 0.0, f"the worker process failed or was lost ({reason})."
            else:
                status, seconds, message = result
            key = str(entry.output)
            if status == "ok":
                state[key] = {**current, "seconds": round(seconds, 3)}
            else:
                state.pop(key, None)
            _save_state(state_file, state)
            if pages_done is not None:
                pages_done(pages[position])
            done(index, Outcome(entry, status, seconds, message))
    return [outcomes[i] for i in range(len(entries))]


def _page_count(source: Path) -> int:
    """The pages of a source as qpdf counts them (0 when it cannot: the release will say why)."""
    import pikepdf

    try:
        with pikepdf.open(source) as pdf:
            return len(pdf.pages)
    except (pikepdf.PdfError, OSError, ValueError):
        return 0


def _execute(
    calls: Sequence[Call], jobs: int, scheduler: str | None
) -> Generator[tuple[int, Result | Exception], None, None]:
    """:func:`release_one` for every call, locally or on a cluster: (position in calls, result) as each completes.

    Nothing to do needs no cluster: a rerun that skips every document never contacts the scheduler.
    """
    if not calls:
        return
    if scheduler is None:
        yield from _in_processes(calls, jobs)
        return
    from redactor.batch_dask import run_on_cluster

    yield from run_on_cluster(scheduler, release_one, calls)


def _in_processes(calls: Sequence[Call], jobs: int) -> Generator[tuple[int, Result | Exception], None, None]:
    """The calls in up to ``jobs`` processes of this machine.

    Closing the iterator early (an interrupt in the caller) cancels the documents not yet started.
    """
    with ProcessPoolExecutor(max_workers=max(1, min(jobs, len(calls)))) as pool, _cancelled_on_interrupt(pool):
        futures = {pool.submit(release_one, *call): position for position, call in enumerate(calls)}
        for future in as_completed(futures):
            try:
                result: Result | Exception = future.result()
            except Exception as error:
                result = error
            yield futures[future], result
