"""Open a source PDF as other readers open it, or refuse it; say what it took.

MuPDF reads the source for the model and the writer. It is not the only reader the file
will meet, and on damaged files it is not the most tolerant one: it trusts a page tree's
``/Count`` (a file claiming 2 of its 4 pages reads as 2 pages), rebuilds broken
cross-reference tables without a word, and gives up on some files qpdf reads. So every
source is also opened with qpdf (through pikepdf) and the two page counts are compared.
When MuPDF cannot open the file, finds no pages, had to repair it, or counts other pages
than qpdf, the source is read from qpdf's rewrite instead, provided MuPDF reads the same
pages in it that qpdf sees. Otherwise (qpdf cannot open the file or walk its page tree,
or the rewrite reads differently) the readers disagree and the source is refused, since
an extract would be released with pages missing. Each repair, and an encryption with
an empty user password, is a plain sentence in :attr:`Opening.repairs`, for the CLI to
print and the audit to carry.

The comparison costs one qpdf open and page-tree walk: about 1.5 ms on the 115-page sample
and 0.1 s on a 5,000-page file, paid once per file and process because the outcome is
cached by the file's identity (path, size, modification time, inode) and password. Every
later :func:`open_pdf` of the same file (the writer, previews, ``page_map``) opens the
file, or the cached rewrite, straight away. A well-formed file is never rewritten: it is
opened from its path as before.
"""

from __future__ import annotations

import functools
import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from redactor.errors import EncryptedError, SourceError
from redactor.pageranges import runs

#: How many files' outcomes (and rewrites) are kept: a release opens one source several times.
CACHED_SOURCES = 2
#: qpdf complaints that only say a repair happened, not what was damaged.
_GENERIC_COMPLAINTS = ("file is damaged", "attempting to reconstruct", "attempting to recover")
_REFUSAL_HINT = "repair the file or export it again from the original, and check that every page is there."


@dataclass(frozen=True)
class Opening:
    """How a source is opened: from its path, or from qpdf's rewrite; and what that took."""

    rewrite: bytes | None  # qpdf's rewrite, opened instead of the file; None: the file itself
    repairs: tuple[str, ...] = ()  # one plain sentence per repair or notice


@dataclass(frozen=True)
class _Reading:
    """What one reader made of the file (or of a rewrite)."""

    pages: int | None = None  # None: it could not read the file, or (qpdf) its page tree
    problem: str = ""  # why not, as the reader says it
    opened: bool = False  # qpdf: it opened the file (its page tree may still be unreadable)
    locked: bool = False  # it needs a password it was not given
    pdf: bool = True  # MuPDF: the file is a PDF (not an image or e-book)
    repaired: bool = False  # MuPDF: it had to rebuild the cross-reference table
    damaged: tuple[int, ...] = ()  # MuPDF: pages whose content streams are missing
    cipher: str = ""  # qpdf: the encryption, when the file is encrypted
    complaint: str = ""  # qpdf: its first complaint that says what is damaged


def open_pdf(path: str | Path, password: str | None = None) -> Any:
    """Open a source with PyMuPDF, repaired through qpdf if need be; every failure a SourceError."""
    return open_source(path, password)[0]


def open_source(path: str | Path, password: str | None = None) -> tuple[Any, tuple[str, ...]]:
    """The PyMuPDF document to read, and the repairs it took (see the module docstring)."""
    import pymupdf

    path = Path(path)
    if not path.exists():
        raise SourceError("the source file does not exist.", path=path, hint="check the path.")
    stat = path.stat()
    opening = _opening(str(path), str(path.resolve()), stat.st_size, stat.st_mtime_ns, stat.st_ino, password)
    if opening.rewrite is not None:
        return pymupdf.open(stream=opening.rewrite, filetype="pdf"), opening.repairs
    doc = pymupdf.open(path)
    if doc.needs_pass:
        doc.authenticate(password or "")
    return doc, opening.repairs


def damaged_pages(doc: Any) -> list[int]:
    """Pages (1-based) whose content streams the file names but does not hold.

    In a file MuPDF had to repair (a truncated file), MuPDF shows those pages blank and
    another reader may refuse the file: releasing it would give blank pages where the
    source has content. (In a well-formed file a dangling reference is a blank page.)
    """
    limit = doc.xref_length()
    return [
        page.number + 1
        for page in doc
        if any(not 0 < xref < limit or not doc.xref_is_stream(xref) for xref in page.get_contents())
    ]


@functools.lru_cache(maxsize=CACHED_SOURCES)
def _opening(shown: str, resolved: str, size: int, mtime_ns: int, inode: int, password: str | None) -> Opening:
    """Read the file with both readers and decide how to open it (cached: see the module docstring).

    ``resolved`` and the file's size, time and inode are the cache key only: a file changed
    in place is examined again.
    """
    path = Path(shown)
    mupdf = _mupdf_reading(path, password)
    if not mupdf.pdf:
        raise SourceError("is not a PDF.", path=path, hint="convert it to PDF first.")
    if mupdf.damaged:
        raise _damaged(path, mupdf)
    qpdf = _qpdf_reading(path, password)
    if mupdf.pages is None and not qpdf.opened:
        raise _unreadable(path, mupdf, qpdf, password)
    notices = _notices(mupdf, qpdf, password)
    if mupdf.pages and not mupdf.repaired and (qpdf.pages == mupdf.pages or qpdf.locked):
        return Opening(None, notices)
    return _repair(path, mupdf, qpdf, password, notices)


def _repair(path: Path, mupdf: _Reading, qpdf: _Reading, password: str | None, notices: tuple[str, ...]) -> Opening:
    """Open a file MuPDF could not read as it is from qpdf's rewrite, or refuse it."""
    if qpdf.locked:  # MuPDF took the password qpdf refuses: its own repair is all there is
        if not mupdf.pages:
            raise SourceError("has no pages.", path=path, hint="check the source file.")
        return Opening(None, (*notices, _mupdf_repair(mupdf, "qpdf could not decrypt the file")))
    if mupdf.pages == 0 and not qpdf.pages:
        raise SourceError("has no pages.", path=path, hint="check the source file.")
    if qpdf.pages is None:  # qpdf cannot open the file or walk its page tree: nothing to compare
        raise _disagree(path, mupdf, qpdf)
    try:
        rewrite = _rewrite(path, password)
    except Exception as exc:  # pikepdf raises several types for what it cannot write
        if mupdf.pages == qpdf.pages:
            return Opening(None, (*notices, _mupdf_repair(mupdf, f"qpdf could not rewrite it: {_plain(exc, path)}")))
        raise _disagree(path, mupdf, qpdf, f"qpdf cannot rewrite it ({_plain(exc, path)})") from None
    rewritten = _mupdf_reading(rewrite, None, always_check=True)
    if rewritten.pages != qpdf.pages:
        raise _disagree(path, mupdf, qpdf, _seen("MuPDF", rewritten) + " in qpdf's rewrite")
    if rewritten.damaged:
        raise _damaged(path, rewritten)
    return Opening(rewrite, (*notices, _rebuilt(mupdf, qpdf, password)))


def _mupdf_reading(source: Path | bytes, password: str | None, always_check: bool = False) -> _Reading:
    """What MuPDF reads in a file or a rewrite; damaged pages looked for when it repaired it.

    Without a password the empty one is tried, as every reader does.
    """
    import pymupdf

    try:
        doc = pymupdf.open(source) if isinstance(source, Path) else pymupdf.open(stream=source, filetype="pdf")
    except Exception as exc:  # PyMuPDF raises several types for unreadable files
        return _Reading(problem=str(exc))
    try:
        if not doc.is_pdf:
            return _Reading(problem="not a PDF", pdf=False)
        if doc.needs_pass and not doc.authenticate(password or ""):
            return _Reading(problem="it needs a password", locked=True)
        repaired = bool(doc.is_repaired)
        damaged = tuple(damaged_pages(doc)) if repaired or always_check else ()
        return _Reading(pages=doc.page_count, repaired=repaired, damaged=damaged)
    finally:
        doc.close()


def _qpdf_reading(path: Path, password: str | None) -> _Reading:
    """What qpdf reads in the file: its pages (walking the page tree), encryption and complaints."""
    import pikepdf

    with _qpdf_log() as heard:
        try:
            pdf = pikepdf.open(path, password=password or "")
        except pikepdf.PasswordError:
            return _Reading(problem="it needs a password", locked=True)
        except Exception as exc:  # pikepdf raises several types for unreadable files
            return _Reading(problem=_plain(exc, path))
        with pdf:
            cipher = _cipher(pdf.encryption) if pdf.is_encrypted else ""
            try:
                pages = len(pdf.pages)
            except Exception as exc:  # a page tree qpdf cannot walk (a loop, a broken node)
                return _Reading(problem=_plain(exc, path), opened=True, cipher=cipher)
            complaint = _complaint([*pdf.get_warnings(), *heard], path)
            return _Reading(pages=pages, opened=True, cipher=cipher, complaint=complaint)


@contextmanager
def _qpdf_log() -> Iterator[list[str]]:
    """Collect what qpdf logs while it reads (some complaints go to its log, not its warnings).

    A library does not print: without this, Python's last-resort handler would write
    qpdf's complaints to stderr.
    """
    logger = logging.getLogger("pikepdf._core")
    heard: list[str] = []
    handler = _Collector(heard)
    propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield heard
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


class _Collector(logging.Handler):
    """A log handler that keeps the non-blank messages in a list."""

    def __init__(self, heard: list[str]) -> None:
        super().__init__()
        self.heard = heard

    def emit(self, record: logging.LogRecord) -> None:
        """Keep the message."""
        message = record.getMessage().strip()
        if message:
            self.heard.append(message)


def _rewrite(path: Path, password: str | None) -> bytes:
    """qpdf's rewrite of the file: cross-reference table rebuilt, page tree walked, not encrypted.

    The same file always gives the same bytes (``deterministic_id``), so the extract stays
    reproducible.
    """
    import pikepdf

    with _qpdf_log(), pikepdf.open(path, password=password or "") as pdf:
        if "/Size" not in pdf.trailer:
            # qpdf writes /Size only over an existing one; a rebuilt trailer may lack it,
            # and MuPDF would then repair the rewrite again.
            pdf.trailer.Size = 0
        buffer = io.BytesIO()
        pdf.save(buffer, encryption=False, deterministic_id=True)
    return buffer.getvalue()


def _notices(mupdf: _Reading, qpdf: _Reading, password: str | None) -> tuple[str, ...]:
    """The encryption notice: a file anyone opens without a password, opened so."""
    if not qpdf.cipher or password or mupdf.locked:
        return ()
    return (f"encrypted ({qpdf.cipher}) with an empty user password: opened without one, as any reader opens it",)


def _rebuilt(mupdf: _Reading, qpdf: _Reading, password: str | None) -> str:
    """The sentence for a source read from qpdf's rewrite: what was wrong, and the page counts.

    It goes into the public audit log: no file names or paths, no offsets.
    """
    counts = f"MuPDF read {_count(mupdf)}, qpdf {qpdf.pages}; the extract is made from qpdf's rewrite"
    detail = f" (qpdf: {qpdf.complaint})" if qpdf.complaint else ""
    if mupdf.locked:
        given = "the password given" if password else "an empty user password"
        return f"encrypted ({qpdf.cipher}) with {given}, which MuPDF could not open: decrypted by qpdf ({counts})"
    if mupdf.pages is None:  # MuPDF's own message is left out: it names the file's path
        return f"MuPDF could not open the file: it was rebuilt by qpdf{detail} ({counts})"
    if mupdf.repaired:
        return f"the cross-reference table was damaged{detail} and was rebuilt by qpdf ({counts})"
    if mupdf.pages == 0:
        return f"MuPDF found no pages{detail}: the file was rebuilt by qpdf ({counts})"
    return f"the page tree was inconsistent{detail}: the file was rebuilt by qpdf ({counts})"


def _mupdf_repair(mupdf: _Reading, why: str) -> str:
    """The sentence for a source read from MuPDF's own repair, qpdf having failed."""
    return (
        f"the cross-reference table was damaged and was rebuilt by MuPDF (MuPDF read {_count(mupdf)}; {why}; "
        "the extract is made from MuPDF's repair)"
    )


def _count(reading: _Reading) -> str:
    """``12 pages``, ``1 page``, ``no pages``, or ``nothing`` (the file could not be read)."""
    if reading.pages is None:
        return "nothing"
    return "no pages" if reading.pages == 0 else f"{reading.pages} page" + ("s" if reading.pages != 1 else "")


def _damaged(path: Path, mupdf: _Reading) -> SourceError:
    """The refusal of a file some of whose pages have lost their content (a truncated file)."""
    total = mupdf.pages or 0
    listed = ", ".join(f"{a}-{b}" if b > a else str(a) for a, b in runs(mupdf.damaged))
    return SourceError(
        f"is damaged: the content of {len(mupdf.damaged)} of its {total} pages is missing from the file "
        f"(pages {listed}); it would be released with those pages blank.",
        path=path,
        hint="the file may be truncated or partly overwritten: repair it or export it again from the original.",
    )


def _disagree(path: Path, mupdf: _Reading, qpdf: _Reading, *rewrite: str) -> SourceError:
    """The refusal of a file whose readers see different pages (``rewrite``: what became of qpdf's rewrite)."""
    seen = [_seen("MuPDF", mupdf), _seen("qpdf", qpdf), *rewrite]
    return SourceError(
        f"is damaged and its readers disagree on its pages: {', '.join(seen)}; "
        "it would be released with pages missing.",
        path=path,
        hint=_REFUSAL_HINT,
    )


def _seen(reader: str, reading: _Reading) -> str:
    """What a reader saw, for the refusal: ``qpdf reads 12 pages``, or why it read none."""
    if reading.pages is not None:
        return f"{reader} reads {_count(reading)}"
    if reading.opened:
        return f"{reader} cannot read its page tree ({reading.problem})"
    return f"{reader} cannot read it ({reading.problem})"


def _unreadable(path: Path, mupdf: _Reading, qpdf: _Reading, password: str | None) -> SourceError:
    """Neither reader opens the file: encrypted (no or a wrong password), or not a readable PDF."""
    if mupdf.locked or qpdf.locked:
        if not password:
            hint = "give the password with --password-file, REDACTOR_PASSWORD or --password."
            return EncryptedError("is encrypted.", path=path, hint=hint)
        return EncryptedError(
            "is encrypted and the password given does not open it.", path=path, hint="check the password given."
        )
    return SourceError(
        f"cannot be read as a PDF ({mupdf.problem}).",
        path=path,
        hint="check that the file is a complete, uncorrupted PDF.",
    )


def _cipher(info: Any) -> str:
    """The encryption as users know it: ``AES-256``, ``AES-128`` or ``RC4 128-bit``."""
    method = getattr(info.stream_method, "name", "")
    if info.V >= 5 or method == "aesv3":
        return "AES-256"
    if method == "aes":
        return "AES-128"
    return f"RC4 {info.bits}-bit"


def _complaint(warnings: list[str], path: Path) -> str:
    """qpdf's first warning that says what is damaged, without the file name and offsets."""
    for warning in warnings:
        text = _plain(warning, path)
        if not text.lower().startswith(_GENERIC_COMPLAINTS):
            return text
    return ""


def _plain(message: object, path: Path) -> str:
    """A qpdf message without its ``FILE (object 2 0, offset 130):`` prefix."""
    text = str(message)
    for prefix in (str(path), str(path.resolve())):
        if text.startswith(prefix):
            return text[len(prefix) :].split(": ", 1)[-1].strip()
    return text.strip()
