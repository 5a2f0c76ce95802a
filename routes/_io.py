"""File I/O: atomic writing (never a half-written output file) and the encoding of text read.

Every writer of the package (and of the build scripts under ``scripts/``) writes to a temporary
name in the folder of the target and moves it over the target with :func:`os.replace` only once
the file is complete. A reader therefore sees the old file or the new one, never a part; after
an error the target is untouched and no temporary file is left behind.

>>> import tempfile
>>> from pathlib import Path
>>> folder = Path(tempfile.mkdtemp())
>>> with atomic_path(folder / "table.csv") as tmp:
...     _ = tmp.write_text("a,b\\n1,2\\n", encoding="utf-8")
>>> sorted(p.name for p in folder.iterdir())
['table.csv']
>>> atomic_write_text(folder / "note.txt", "done\\n").read_text(encoding="utf-8")
'done\\n'

:func:`detect_encoding` says which encoding the bytes of a text file are in and
:func:`utf8_bytes` turns a text file of any such encoding into UTF-8 (both used by the tabular
reader :mod:`routes._table`).
"""

from __future__ import annotations

import codecs
import contextlib
import gc
import os
import re
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from routes._errors import Problem, ValidationError

__all__ = [
    "atomic_path",
    "atomic_write_bytes",
    "atomic_write_text",
    "default_file_mode",
    "detect_encoding",
    "gc_paused",
    "progress_bar",
    "utf8_bytes",
]

#: Side files SQLite-based writers (GDAL's GeoPackage driver) may leave next to a file that
#: failed half-way.
_SIDECARS = ("-journal", "-wal", "-shm")


@contextlib.contextmanager
def gc_paused(*, freeze: bool = False, promote: bool = False) -> Iterator[None]:
    """Pause Python's cyclic garbage collector (restored on exit, also on error).

    The steps of the pipeline allocate many small objects that reference counting frees;
    the collector's full passes would only walk again the million objects of the imported
    libraries and the tables (0.1-0.6 s of a map of 10⁵ incidents). Used around routing,
    around importing the command line and around its commands that draw no figure.

    ``freeze=True`` (a process that ends with the block) moves every object to the
    collector's permanent generation before it is switched back on, so that its first pass
    does not walk everything the block made just before the process frees it all.
    ``promote=True`` (a block that makes objects that live on, such as imported modules)
    moves them to the oldest generation instead (:func:`gc.freeze` then :func:`gc.unfreeze`):
    still collected by a full pass, but the young-generation pass that would run at the next
    allocation does not walk them (the ~120,000 objects of the command line's imports: 40 ms).
    A process that has frozen objects of its own keeps them frozen: nothing is promoted then.
    """
    was_enabled = gc.isenabled()
    promote = promote and not freeze and gc.get_freeze_count() == 0
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if freeze or promote:
                gc.freeze()
            if promote:
                gc.unfreeze()
            gc.enable()


def progress_bar(iterable: Any = None, **options: Any) -> Any:
    """A tqdm progress bar on stderr: the notebook widget in Jupyter, text elsewhere.

    ``tqdm.autonotebook`` picks the kind; unlike ``tqdm.auto`` it does not import asyncio
    (~0.03 s of every command's start-up), which none of the bars here needs. Its note that
    the notebook choice is experimental is silenced, as ``tqdm.auto`` does.
    """
    import warnings

    from tqdm import TqdmExperimentalWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=TqdmExperimentalWarning)
        from tqdm.autonotebook import tqdm

    options.setdefault("file", sys.stderr)
    return tqdm(iterable, **options)


def default_file_mode() -> int:
    """The permission bits a newly created file gets here: ``0o666`` minus the umask.

    ``0o644`` under the usual umask ``022``; ``0o600`` under a private umask ``077``.
    (Temporary files made by :func:`tempfile.mkstemp` are always ``0o600``; the atomic writers
    set the mode explicitly so the result does not depend on how the writer created the file.)
    """
    try:  # Linux: read the umask without changing it (thread-safe)
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)  # elsewhere: the classic read-by-setting, restored at once
    os.umask(mask)
    return 0o666 & ~mask


@contextlib.contextmanager
def atomic_path(
    target: str | os.PathLike[str],
    *,
    suffix: str | None = None,
    mode: int | None = None,
) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; move it onto ``target`` when the block succeeds.

    The temporary path does not exist yet when yielded (writers such as GDAL refuse to
    overwrite a file) and is hidden (``.<name>.<random>.tmp<suffix>``). When the ``with`` block
    ends without an error the file must exist; it gets its permission bits and replaces
    ``target`` in one :func:`os.replace`. On any error (or when nothing was written) the
    temporary file is removed, ``target`` is left as it was, and the error propagates.

    Parameters
    ----------
    target
        The file to write. Missing parent folders are created.
    suffix
        Suffix of the temporary file (default: the suffix of ``target``; writers such as GDAL,
        openpyxl or pandas choose the format from it).
    mode
        Permission bits of the written file. Default: those of any newly created file
        (:func:`default_file_mode`, ``0o644`` under the usual umask); build scripts of bundled
        data pass ``0o644`` so the file is world-readable whatever the umask.

    Yields
    ------
    pathlib.Path
        The temporary path to write to.

    Raises
    ------
    FileNotFoundError
        When the block ended without writing the temporary file.
    """
    final = Path(target)
    final.parent.mkdir(parents=True, exist_ok=True)
    ext = final.suffix if suffix is None else suffix
    tmp = final.with_name(f".{final.name}.{uuid.uuid4().hex[:12]}.tmp{ext}")
    try:
        yield tmp
        if not tmp.is_file():
            raise FileNotFoundError(f"nothing was written for {final}: {tmp.name} is missing")
        os.chmod(tmp, default_file_mode() if mode is None else mode)
        os.replace(tmp, final)
    finally:
        for leftover in (tmp, *(tmp.with_name(tmp.name + s) for s in _SIDECARS)):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()


def atomic_write_bytes(
    target: str | os.PathLike[str], data: bytes, *, mode: int | None = None
) -> Path:
    """Write ``data`` to ``target`` atomically (see :func:`atomic_path`); return the path."""
    final = Path(target)
    with atomic_path(final, mode=mode) as tmp:
        tmp.write_bytes(data)
    return final


def atomic_write_text(
    target: str | os.PathLike[str],
    text: str,
    *,
    encoding: str = "utf-8",
    mode: int | None = None,
) -> Path:
    """Write ``text`` to ``target`` atomically, as is (no line-end translation); return the path."""
    return atomic_write_bytes(target, text.encode(encoding), mode=mode)


_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN_ASCII = re.compile(r"[A-Za-z]")
_WORD = re.compile(r"[^\W\d_]+")
_CENTRAL = frozenset("čćđšžČĆĐŠŽ")
_WESTERN = frozenset("éèêàâäöüßñïîôûùáíóúÉÀÄÖÜÑ")


def _implausible_words(text: str) -> int:
    """Count words that no real text in the candidate encoding would contain."""
    bad = 0
    for word in _WORD.findall(text):
        has_cyr = bool(_CYRILLIC.search(word))
        if has_cyr and _LATIN_ASCII.search(word):
            bad += 1  # Latin and Cyrillic letters mixed in one word
        elif not has_cyr and len(word) >= 3:
            non_ascii = sum(1 for ch in word if ord(ch) > 127)
            if non_ascii * 2 > len(word):
                bad += 1  # mostly accented letters: Cyrillic bytes read as Latin
    return bad


def _utf16_without_bom(head: bytes) -> str | None:
    """``utf-16-le``/``-be`` when every other byte of ``head`` is zero (ASCII-heavy UTF-16)."""
    if len(head) < 4 or len(head) % 2:
        return None
    even, odd, half = head[0::2].count(0), head[1::2].count(0), len(head) // 2
    if odd > 0.4 * half and even == 0:
        return "utf-16-le"
    if even > 0.4 * half and odd == 0:
        return "utf-16-be"
    return None


def detect_encoding(raw: bytes) -> str:
    """Return the text encoding of ``raw`` bytes.

    UTF-16 (with a byte-order mark, or ASCII-heavy without one) and UTF-8 byte-order marks
    are honoured; otherwise the bytes are tried strictly as UTF-8, then decided between
    Windows-1250 (Central European Latin), Windows-1251 (Cyrillic) and Latin-1 (Western
    European; ``cp1252`` when it uses the bytes 0x80-0x9F) by which decoding gives plausible
    words.

    >>> detect_encoding("Pištolj;Niš".encode("cp1250")), detect_encoding("Ниш".encode("cp1251"))
    ('cp1250', 'cp1251')
    >>> detect_encoding(b"\\xef\\xbb\\xbfID;Datum"), detect_encoding("Niš".encode())
    ('utf-8-sig', 'utf-8')
    >>> detect_encoding("Société;Düsseldorf".encode("latin-1"))
    'latin-1'
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if raw.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    wide = _utf16_without_bom(raw[:4096])
    if wide is not None:
        return wide
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    sample = raw[: 1 << 20]
    as_utf8 = sample.decode("utf-8", errors="replace")
    broken = as_utf8.count("\ufffd")
    multibyte = sum(1 for ch in as_utf8 if ord(ch) > 127) - broken
    if multibyte > 3 * broken:
        # valid UTF-8 letters with a few broken bytes: a damaged UTF-8 file, reported as such
        return "utf-8"
    scores = {}
    for enc in ("cp1250", "cp1251"):
        text = sample.decode(enc, errors="replace")
        scores[enc] = _implausible_words(text) + 5 * text.count("\ufffd")
    if scores["cp1251"] < scores["cp1250"]:
        return "cp1251"
    central = sum(ch in _CENTRAL for ch in sample.decode("cp1250", errors="replace"))
    western = sum(ch in _WESTERN for ch in sample.decode("cp1252", errors="replace"))
    if western > central:
        return "cp1252" if re.search(rb"[\x80-\x9f]", sample) else "latin-1"
    return "cp1250"


def utf8_bytes(raw: bytes, file: str, *, encoding: str | None = None) -> tuple[bytes, str]:
    """The bytes of a text file as UTF-8 without a BOM, and the encoding they were in.

    ``encoding`` forces one (as a mapping's ``encoding`` does); else :func:`detect_encoding`
    decides. A UTF-8 file is passed on as is (a damaged byte is reported by the reader with its
    line).

    Raises
    ------
    routes.ValidationError
        A workbook or zip file under a text name, an unknown encoding, or bytes that are not
        valid in the encoding.
    """

    def fail(message: str) -> ValidationError:
        return ValidationError([Problem(message, file=file, reason="unreadable_file")])

    if raw.startswith(b"PK\x03\x04"):
        raise fail(
            "this is not a text (CSV) file but a zip file, most likely an Excel workbook "
            "saved with the wrong name; rename it to .xlsx, or save it from Excel as CSV"
        )
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise fail(
            "this is not a text (CSV) file but an old Excel 97-2003 workbook (.xls); open it "
            "in Excel and save it as .xlsx or as CSV"
        )
    encoding = detect_encoding(raw) if encoding is None else encoding
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise fail(
            f"unknown encoding {encoding!r} in the mapping; use utf-8, cp1250 or cp1251"
        ) from None
    if name in ("utf-8", "utf-8-sig"):
        return (raw[3:] if raw.startswith(codecs.BOM_UTF8) else raw), encoding
    if not name.startswith("utf-16") and b"\x00" in raw:
        raise fail(
            f"this is not a text (CSV) file: it holds binary data (a zero byte at byte "
            f"{raw.index(0)}); give the table itself, saved from its program as CSV or .xlsx"
        )
    try:
        return raw.decode(encoding).encode("utf-8"), encoding
    except UnicodeDecodeError as err:
        raise fail(
            f"the file is not valid {encoding} (byte {err.start} cannot be decoded); save it "
            "again as UTF-8, or give the right `encoding` in the mapping"
        ) from None
