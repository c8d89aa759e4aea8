"""Word 97 (.doc) report attachments: pre-built files shipped as package data.

Nothing in Python writes the binary .doc format, so the few ``doc`` reports
(``world.DOC_REPORTS``) are rendered once as DOCX and converted with
LibreOffice into ``templates/<township code>-<year>.doc``; serving only reads
them. Rebuild after changing report content or numbers::

    python -m nianbao.demo_portal.docassets      # needs `soffice` on PATH

``tests/nianbao/test_demo_portal.py`` checks the shipped files still carry
the numbers the world would generate.
"""

from __future__ import annotations

import subprocess
import tempfile
from importlib import resources
from pathlib import Path

from nianbao.demo_portal.formats import docx_bytes
from nianbao.demo_portal.report import report_blocks
from nianbao.demo_portal.world import Article, County

DOC_TYPE = "application/msword"


def asset_name(article: Article) -> str:
    assert article.township is not None
    return f"{article.township.code}-{article.year}.doc"


def doc_bytes(article: Article) -> bytes:
    """The shipped .doc for ``article``; FileNotFoundError names the rebuild command."""
    path = resources.files("nianbao.demo_portal").joinpath("templates", asset_name(article))
    if not path.is_file():
        raise FileNotFoundError(f"{asset_name(article)} is missing; run python -m nianbao.demo_portal.docassets.")
    return path.read_bytes()


def build(counties: list[County], out_dir: Path, soffice: str = "soffice") -> list[Path]:
    """Render every ``doc`` report as DOCX and convert it to .doc in ``out_dir``."""
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        for county in counties:
            for article in (a for a in county.reports() if a.fmt == "doc"):
                source = Path(tmp) / asset_name(article).replace(".doc", ".docx")
                source.write_bytes(docx_bytes(report_blocks(county, article)))
                subprocess.run([soffice, "--headless", "--convert-to", "doc:MS Word 97", "--outdir", str(out_dir),
                                str(source)], check=True, capture_output=True, timeout=120)
                written.append(out_dir / asset_name(article))
    return written


if __name__ == "__main__":
    from nianbao.demo_portal.site import build_world

    target = Path(str(resources.files("nianbao.demo_portal").joinpath("templates")))
    target.mkdir(exist_ok=True)
    for path in build(build_world(1), target):
        print(path)
