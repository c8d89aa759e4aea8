"""The demo portal for benchmarks: scaled, every page rendered before any clock starts.

Rendering a DOCX report takes about half a second, so a benchmark portal
renders one file per attachment format and serves it with a per-file trailer
(distinct bytes, so the archive cannot deduplicate them away). The crawler
never parses attachments, so this changes nothing it measures.
"""

from __future__ import annotations

import itertools

from nianbao.demo_portal import DemoPortal
from nianbao.demo_portal import family as _family

_serial = itertools.count()


def _rendered_once(render):
    cache: dict[str, bytes] = {}

    def render_cheaply(blocks) -> bytes:
        if "body" not in cache:
            cache["body"] = render(blocks)
        return cache["body"] + f"\n%% nianbao-benchmark {next(_serial)}\n".encode("ascii")

    return render_cheaply


def warm_portal(scale: int) -> DemoPortal:
    """A started ``DemoPortal(scale)`` whose every static page is already rendered and cached."""
    _family.pdf_bytes = _rendered_once(_family.pdf_bytes)
    _family.docx_bytes = _rendered_once(_family.docx_bytes)
    portal = DemoPortal(scale=scale)
    for fam in portal.families:
        for path in list(fam.routes):
            fam._static(path)
    portal.start()
    return portal


def page_count(portal: DemoPortal) -> int:
    """Static pages the portal serves (dynamic API answers not counted)."""
    return sum(len(fam.routes) for fam in portal.families)
