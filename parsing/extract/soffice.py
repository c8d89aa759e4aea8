"""LibreOffice headless as a converter: old binary Office/WPS files → OOXML bytes.

Each call gets its own temporary profile and output directory (so parallel
workers never share a LibreOffice instance), a time limit, and leaves no file
behind. Needs the Debian package ``libreoffice-writer`` (DOC, WPS) or
``libreoffice-calc`` (XLS, ET); ``libreoffice`` brings both.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import ParseError
from . import limits

TARGETS = {   # target extension → LibreOffice export filter
    "docx": "docx:MS Word 2007 XML",
    "xlsx": "xlsx:Calc MS Excel 2007 XML",
}


def available() -> bool:
    try:
        limits.tool("soffice", "libreoffice")
    except ParseError:
        return False
    return True


def convert(data: bytes, source_ext: str, target: str, what: str) -> bytes:
    """``data`` (a file of type ``source_ext``, e.g. ".doc") converted to ``target`` ("docx" or "xlsx").

    Raises ParseError when soffice is missing, times out (limits.CONVERT_SECONDS)
    or produces nothing (a corrupt or password-protected file).
    """
    program = limits.tool("soffice", "libreoffice")
    with limits.scratch() as tmp:
        src = limits.write(tmp, "input" + source_ext, data)
        out = Path(tmp) / "out"
        argv = [program, "--headless", "--norestore", "--nolockcheck", "--nodefault", "--nologo",
                f"-env:UserInstallation=file://{tmp}/profile", "--convert-to", TARGETS[target],
                "--outdir", str(out), str(src)]
        proc = limits.run(argv, seconds=limits.CONVERT_SECONDS, what=f"LibreOffice converting this {what}",
                          env={"HOME": tmp, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
        result = out / f"input.{target}"
        if not result.exists():
            detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
            raise ParseError(f"LibreOffice could not convert this {what} ({detail[0]}); it may be corrupt or "
                             "password-protected — open it in WPS/Word and save it as .docx or .pdf")
        return result.read_bytes()
