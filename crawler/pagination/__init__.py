"""Pagination adapters, one module per CMS family, tried in order on every list page.

``adapter_for(response)`` returns the first module whose ``detect`` accepts
the page; :mod:`crawler.pagination.generic` accepts any HTML page. See
:mod:`crawler.pagination.base` for the adapter contract.
"""

from __future__ import annotations

from types import ModuleType

from scrapy.http import Response

from crawler.pagination import anhui, generic, gkmlpt, hanweb, ilist, jpaas, trs, ucap, xxgk
from crawler.pagination.base import Entry, Follow

ADAPTERS: tuple[ModuleType, ...] = (gkmlpt, jpaas, ucap, hanweb, xxgk, anhui, ilist, trs, generic)


def adapter_for(response: Response) -> ModuleType | None:
    """The first adapter that detects ``response``; None for non-text responses."""
    return next((a for a in ADAPTERS if a.detect(response)), None)


def family(adapter: ModuleType) -> str:
    """The adapter's short name (``trs``, ``hanweb``…), used in stats keys."""
    return adapter.__name__.rsplit(".", 1)[-1]


__all__ = ["ADAPTERS", "Entry", "Follow", "adapter_for", "family"]
