"""Bounds on hostile input: zip bombs, runaway converters, endless OCR.

Every limit is a named constant here so an operator can see (and a test can
lower) what "too big" or "too slow" means. Exceeding one raises ParseError
with the reason; nothing is left running and no temporary file stays behind.
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import tempfile
import zipfile
from pathlib import Path

from ..errors import ParseError

MAX_UNZIPPED_BYTES = 200 * 1024 * 1024   # a real 年报 DOCX/XLSX/OFD unpacks to a few MB
MAX_ZIP_MEMBERS = 5000
MAX_ZIP_RATIO = 200                      # uncompressed ÷ compressed of one member; XML rarely exceeds ~30
CONVERT_SECONDS = 60                     # LibreOffice / antiword, per document
OCR_PAGE_SECONDS = 60                    # tesseract, per page
OCR_TOTAL_SECONDS = 300                  # tesseract, per document
OCR_MAX_PAGES = 30                       # a township report is 3–10 pages
OCR_MAX_PIXELS = 40_000_000              # ~ an A4 page at 600 dpi
OCR_DPI = 300


def open_zip(data: bytes, what: str) -> zipfile.ZipFile:
    """A zip archive whose declared sizes are within bounds; ParseError for a bomb or a corrupt archive.

    The declared sizes are checked before anything is inflated; ``read_member``
    enforces them again while reading (headers can lie).
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ParseError(f"cannot open this {what}: the file is corrupt (not a valid zip package); "
                         "download it again") from exc
    if len(infos) > MAX_ZIP_MEMBERS:
        raise ParseError(f"this {what} holds {len(infos)} parts (limit {MAX_ZIP_MEMBERS}): refused as a zip bomb")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNZIPPED_BYTES:
        raise ParseError(f"this {what} unpacks to {total // 2**20} MB (limit {MAX_UNZIPPED_BYTES // 2**20} MB): "
                         "refused as a zip bomb")
    for info in infos:
        if info.file_size > 1_000_000 and info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1):
            raise ParseError(f"this {what} has a part compressed {info.file_size // max(info.compress_size, 1)}:1 "
                             f"({info.filename}): refused as a zip bomb")
    return archive


def read_member(archive: zipfile.ZipFile, name: str, what: str) -> bytes:
    """One member's bytes, reading at most MAX_UNZIPPED_BYTES whatever the header claims."""
    try:
        with archive.open(name) as fh:
            data = fh.read(MAX_UNZIPPED_BYTES + 1)
    except (KeyError, zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise ParseError(f"cannot read part {name} of this {what}: the file is corrupt; download it again") from exc
    if len(data) > MAX_UNZIPPED_BYTES:
        raise ParseError(f"part {name} of this {what} unpacks beyond {MAX_UNZIPPED_BYTES // 2**20} MB: "
                         "refused as a zip bomb")
    return data


def check_zip(data: bytes, what: str) -> None:
    """Raise ParseError when ``data`` is a zip bomb (for libraries that unzip by themselves)."""
    open_zip(data, what).close()


def tool(name: str, package: str) -> str:
    """The path of an external program; ParseError naming the Debian package when it is absent."""
    path = shutil.which(name)
    if not path:
        raise ParseError(f"the program '{name}' is not installed: install the Debian package {package} "
                         "(scripts/setup.sh does)")
    return path


def run(argv: list[str], *, seconds: float, what: str, cwd: str | None = None,
        env: dict | None = None) -> subprocess.CompletedProcess:
    """Run a converter in its own process group; kill the whole group on timeout.

    Returns the completed process (stdout/stderr as bytes); ParseError on
    timeout or when it cannot start. A non-zero exit is left to the caller.
    """
    try:
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd,
                                env=env, start_new_session=True)
    except OSError as exc:
        raise ParseError(f"cannot start {what} ({argv[0]}): {exc.strerror}") from exc
    try:
        out, err = proc.communicate(timeout=seconds)
    except subprocess.TimeoutExpired as exc:
        _kill_group(proc)
        raise ParseError(f"{what} took longer than {seconds:g} s on this file and was stopped; "
                         "the file may be damaged or hostile") from exc
    return subprocess.CompletedProcess(argv, proc.returncode, out, err)


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass   # already gone
    proc.communicate()


def scratch() -> tempfile.TemporaryDirectory:
    """A private temporary directory, removed on exit of the ``with`` block."""
    return tempfile.TemporaryDirectory(prefix="nianbao-parse-")


def write(directory: str, name: str, data: bytes) -> Path:
    path = Path(directory) / name
    path.write_bytes(data)
    return path
