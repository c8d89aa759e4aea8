"""What the spider yields: report candidates (pages and attachments) and problems."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class DocumentItem:
    """A candidate report: a report page (``kind="page"``) or one of its files (``kind="attachment"``).

    ``title`` is the entry's text in the column list (None when reached
    otherwise); ``listed_date`` the ISO date the list showed beside it;
    ``column_url`` the list it was found on; ``parent_url`` the report page an
    attachment hangs from (None for files listed directly). ``capture_id`` is
    the archive catalog row of this response, None when capture is off.
    ``seed_url`` is the seed the crawl reached it from.
    """

    url: str
    kind: str
    seed_url: str
    portal_id: int | None = None
    parent_url: str | None = None
    title: str | None = None
    column_url: str | None = None
    listed_date: str | None = None
    capture_id: int | None = None
    status: int | None = None
    content_type: str | None = None


@dataclass
class ProblemItem:
    """Something that went wrong on one URL (HTTP error, timeout, DNS, trap cap); the crawl went on."""

    url: str
    reason: str
    seed_url: str | None = None
    status: int | None = None
