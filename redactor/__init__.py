"""redactor: turn a classified PDF and a YAML release rule file into a public extract.

The pipeline is ``load -> parse -> decide -> render -> scrub -> save -> verify``; every
stage after ``decide`` reads the :class:`~redactor.plan.decide.Plan` and decides nothing itself.
"""

__version__ = "0.1.0"


import sys as _sys

# PyMuPDF 2.0 imports its layout analyser when it is imported (ONNX models: about 1 s and
# 140 MB per process, in every worker too); redactor never asks it for a layout. Marking the
# module absent makes PyMuPDF's own optional import skip it. Set before PyMuPDF is imported.
if "pymupdf" not in _sys.modules:
    _sys.modules.setdefault("pymupdf.layout", None)  # type: ignore[arg-type]
