"""Where the Jinja2 templates live, and the one environment every renderer uses.

In a checkout (and an editable install) they are the repository's ``templates/``; an
installed wheel carries them under ``<prefix>/share/redactor/templates``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import jinja2

_CHECKOUT = Path(__file__).resolve().parents[2] / "templates"
_INSTALLED = Path(sys.prefix) / "share" / "redactor" / "templates"

#: The folder holding the project's templates.
TEMPLATE_DIR = _CHECKOUT if _CHECKOUT.is_dir() else _INSTALLED


def environment(folder: Path = TEMPLATE_DIR) -> jinja2.Environment:
    """An autoescaping environment loading from ``folder``."""
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), autoescape=True)
