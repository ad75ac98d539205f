"""The command line: typer wiring, options, and the one place errors become exit codes."""
