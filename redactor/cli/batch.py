"""``redactor batch MANIFEST``: many releases from a manifest, with a summary table."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from redactor.batch import Outcome, read_manifest, run_batch
from redactor.cli.common import Quiet, Verbose, handled
from redactor.cli.display import Talk, phases

#: What an interrupted batch leaves: each document's outputs are written whole or not at all.
KEPT = "the documents released so far are kept, and a rerun resumes after them"


def batch(
    manifest: Annotated[Path, typer.Argument(help="CSV (source,rules,output) or YAML list of the releases.")],
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Worker processes.")] = 1,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            metavar="ADDRESS",
            help="Run the documents on the Dask cluster of this scheduler (tcp://HOST:8786), or on local:N "
            "worker processes started here; --jobs is then unused. Paths must be the same on every worker.",
        ),
    ] = None,
    no_verify: Annotated[
        bool, typer.Option("--no-verify", help="Skip the leak check of each output (benchmarks only).")
    ] = False,
    quiet: Quiet = False,
    verbose: Verbose = False,
) -> None:
    """Release every document of a manifest, in parallel; a rerun skips what is unchanged."""
    with handled(interrupted=KEPT):
        talk = Talk.of(quiet, verbose)
        entries = read_manifest(manifest)
        with phases(talk) as display:
            outcomes = run_batch(
                manifest,
                jobs=jobs,
                scheduler=scheduler,
                verify=not no_verify,
                advance=display.phase("releasing", len(entries), "documents"),
                report=display.note,
                count_pages=lambda total: display.counter("pages", total, "pages"),
            )
        print_summary(outcomes)
        if any(o.status == "failed" for o in outcomes):
            raise typer.Exit(1)


def print_summary(outcomes: list[Outcome]) -> None:
    """The summary table (document, status, seconds) on stdout."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title="batch")
    table.add_column("document", overflow="fold")
    table.add_column("status")
    table.add_column("seconds", justify="right")
    for outcome in outcomes:
        table.add_row(outcome.entry.name, outcome.status, f"{outcome.seconds:.2f}")
    counts = {s: sum(o.status == s for o in outcomes) for s in ("ok", "skipped", "failed")}
    console = Console(file=sys.stdout, width=max(100, Console(file=sys.stdout).width))
    console.print(table)
    console.print(f"{counts['ok']} ok, {counts['skipped']} skipped, {counts['failed']} failed", highlight=False)
