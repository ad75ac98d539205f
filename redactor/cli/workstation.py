"""``review``: the review workstation, served on 127.0.0.1 and opened in the browser.

The source is loaded and the rule file planned before anything is served, so a rule file
that does not plan stops the command with its usual message and exit code. Then the
URL, with its token, goes to stderr (even with ``-q``: without it the workstation cannot
be reached) and to the browser; the command serves until Ctrl-C or SIGTERM. Every change
made in the workstation is already in the rule file when it stops.
"""

from __future__ import annotations

import os
import webbrowser
from pathlib import Path
from typing import Annotated

import typer

from redactor.cli.common import MaxRulesSize, Password, PasswordFile, Quiet, Rules, Source, Verbose, handled
from redactor.cli.display import Talk, phases
from redactor.cli.inputs import check_paths, password_of
from redactor.errors import OutputError
from redactor.rules.parse import parse_rules
from redactor.rules.yamlmarks import size_limit


def review(
    source: Source,
    rules: Rules,
    port: Annotated[
        int | None,
        typer.Option("--port", min=1, max=65535, help="Serve on this port of 127.0.0.1 (default: a free one)."),
    ] = None,
    no_browser: Annotated[
        bool, typer.Option("--no-browser", help="Do not open the browser; open the printed URL yourself.")
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Where the workstation's Apply writes the extract (default: SOURCE-extN.pdf here)."
        ),
    ] = None,
    max_rules_size: MaxRulesSize = None,
    password: Password = None,
    password_file: PasswordFile = None,
    quiet: Quiet = False,
    verbose: Verbose = False,
) -> None:
    """Open the review workstation: the source coloured by verdict beside the extract; every action writes a rule."""

    with handled(max_rules_size, interrupted="the workstation stopped; the rule file keeps every change made"):
        from redactor.workstation.server import serve
        from redactor.workstation.session import Session

        talk = Talk.of(quiet, verbose)
        secret = password_of(password, password_file)
        if output is None:
            with size_limit(max_rules_size):
                extract = parse_rules(rules).release.extract if rules.is_file() else 1
            output = Path(f"{source.stem}-ext{extract}.pdf")
        check_paths({"source": source, "rules": rules}, {"-o": output}, password_file)
        if not os.access(rules, os.W_OK):
            raise OutputError("the rule file cannot be written (permission denied).", path=rules,
                              hint="the workstation writes every decision into it; check its permissions.")  # fmt: skip
        with phases(talk) as display:
            session = Session.open(source, rules, output, secret, max_rules_size, display)
        try:
            served = serve(session, port)
            typer.echo(f"review: {served.url}", err=True)
            talk.say("every action is written to the rule file at once; Ctrl-C stops the workstation.")
            if not no_browser:
                webbrowser.open(served.url)
            served.run()
        finally:
            session.close()
