"""Adversarial leak corpus, an independent leak checker and a fake-redaction control.

- :mod:`.corpus` builds small PDFs, each hiding a canary secret in one leak surface,
  with a rule file that releases the public text only;
- :mod:`.leakcheck` looks for canaries in a PDF without PyMuPDF (raw bytes, every object
  of every revision through pikepdf, content-stream text, pdfminer text);
- :mod:`.fake_redaction` draws black boxes and removes nothing (the negative control).
"""
