"""redactor: turn a classified PDF and a YAML release rule file into a public extract.

The pipeline is ``load -> parse -> decide -> render -> scrub -> save -> verify``; every
stage after ``decide`` reads the :class:`~redactor.plan.decide.Plan` and decides nothing itself.
"""

__version__ = "0.1.0"
