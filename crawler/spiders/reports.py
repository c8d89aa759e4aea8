"""The ``reports`` spider: seeds → 年报 columns → list pages → report pages → attachments.

Thin by design: what a link is comes from :mod:`crawler.discovery`, how a
list pages from :mod:`crawler.pagination`. Context travels in
``request.meta["nb"]`` (a plain dict, so requests stay serialisable):
``seed_url``, ``portal_id``, ``depth`` (discovery hops), ``group_depth``,
``column_url``, ``page``, ``title``, ``listed_date``, ``parent_url``,
``fallback_url``, ``rendered`` (this list page came from the browser). A
column page that lists nothing but whose scripts fetch the list is rendered
once in the browser (``meta["nb_browser"]``, see :mod:`crawler.browser`).
"""

from __future__ import annotations

import json
from pathlib import Path

import scrapy
from scrapy.http import Response

from crawler import browser, discovery, pagination
from crawler.discovery import LinkKind
from crawler.errors import failure_reason
from crawler.items import DocumentItem, ProblemItem


# Requests flagged so are rendered in Chromium by crawler.browser.BrowserDownloadHandler.
BROWSER_FLAG = browser.BROWSER_FLAG


class ReportsSpider(scrapy.Spider):
    """Finds every candidate 年报 reachable from the seeds.

    ``seeds``: a list of ``{"portal_id", "url"}`` dicts, or a JSON string or
    file path holding one (``scrapy crawl reports -a seeds=seeds.json``).
    """

    name = "reports"

    def __init__(self, seeds=None, **kwargs):
        super().__init__(**kwargs)
        self.seeds = _load_seeds(seeds)
        # Columns read whole this crawl, and those that failed (the pipeline withdraws only from the former).
        self.columns_read: set[str] = set()
        self.columns_failed: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        s = crawler.settings
        spider.max_list_pages = s.getint("NIANBAO_MAX_LIST_PAGES", 500)
        spider.max_depth = s.getint("NIANBAO_DISCOVERY_DEPTH", 4)
        spider.extra_domains = tuple(s.getlist("NIANBAO_ALLOWED_DOMAINS"))
        return spider

    async def start(self):
        for seed in self.seeds:
            ctx = {"seed_url": seed["url"], "portal_id": seed.get("portal_id"), "depth": 0}
            yield self._request(seed["url"], self.parse_seed, ctx)

    # --- callbacks ---------------------------------------------------------------------

    def parse_seed(self, response: Response):
        """A seed: a 年报 column (by URL, ColumnName, title, or a CMS list) or else a page to discover from."""
        if detour := self._detour(response, self.parse_seed):
            yield detour
        elif discovery.is_column_page(response) or _is_cms_list(response):
            yield from self.parse_column(response)
        else:
            yield from self.parse_discover(response)

    def parse_discover(self, response: Response):
        """A portal page on the way to the 年报 column(s): follow 年报 and 信息公开 links, take report links."""
        if detour := self._detour(response, self.parse_discover):
            yield detour
            return
        if discovery.is_column_page(response) or _is_cms_list(response):
            yield from self.parse_column(response)
            return
        ctx = response.meta["nb"]
        for link in self._links(response):
            kind = discovery.classify_link(link)
            if kind is LinkKind.COLUMN:
                yield self._request(link.url, self.parse_column, _column_ctx(ctx, link.url, 0))
            elif kind is LinkKind.GK_AREA and ctx["depth"] + 1 < self.max_depth and not _lookalike(link.text):
                yield self._request(link.url, self.parse_discover, {**ctx, "depth": ctx["depth"] + 1})
            elif kind is LinkKind.REPORT:
                yield from self._candidate(pagination.Entry(link.url, link.text), {**ctx, "column_url": response.url})

    def parse_column(self, response: Response):
        """A 年报 column or grouping page, or one of its further list pages."""
        if detour := self._detour(response, self.parse_column):
            yield detour
            return
        ctx = {**_column_ctx(response.meta["nb"], response.url, 0), **response.meta["nb"]}
        ctx.setdefault("column_url", response.url)
        adapter = pagination.adapter_for(response)
        if adapter is None:
            yield from self.parse_attachment(response)
            return
        family = pagination.family(adapter)
        self.crawler.stats.inc_value(f"nianbao/list_pages/{family}")
        entries = adapter.entries(response)
        self.columns_read.add(ctx["column_url"])
        for entry in entries:
            yield from self._candidate(entry, ctx)
        follow = adapter.follow(response, ctx["page"], self.max_list_pages)
        yield from self._next_pages(follow, response, ctx, family)
        groupings = list(self._groupings(response, ctx)) if ctx["page"] == 1 else []
        yield from groupings
        if not entries and family == "generic" and not ctx.get("rendered") and browser.needs_rendering(response):
            self.crawler.stats.inc_value("nianbao/browser/js_lists")
            yield self._request(response.url, self.parse_column, {**ctx, "rendered": True}, browser=True, dont_filter=True)
        elif not entries and not groupings and not follow.requests and family != "gkmlpt":
            self.columns_failed.add(ctx["column_url"])
            yield self._problem(response.url, f"list page {ctx['page']} ({family}) yielded zero entries", response)

    def parse_detail(self, response: Response):
        """A report page: the page itself is a candidate; the files it links or embeds are fetched as attachments."""
        if not discovery.is_markup(response):
            yield from self.parse_attachment(response)
            return
        if detour := self._detour(response, self.parse_detail):
            yield detour
            return
        ctx = response.meta["nb"]
        yield self._document(response, "page", ctx)
        for url, element in discovery.page_documents(response):
            if self._allowed(url, ctx):
                yield self._attachment_request(url, element, response, ctx)

    def parse_attachment(self, response: Response):
        """A file (PDF, DOCX, OFD, image…) reached from a report page or listed directly."""
        if detour := self._detour(response, None):
            yield detour
            return
        yield self._document(response, "attachment", response.meta["nb"])

    def on_error(self, failure):
        """Any failed request: a speculative page's 404 ends quietly, an ``href`` failure tries OLDSRC, else a problem."""
        request = failure.request
        ctx = request.meta.get("nb", {})
        reason, status = failure_reason(failure)
        if status == 404 and request.meta.get("nb_speculative"):
            self.crawler.stats.inc_value("nianbao/pagination/speculative_404")
            return
        if request.callback == self.parse_column and ctx.get("column_url"):
            self.columns_failed.add(ctx["column_url"])
        if ctx.get("fallback_url"):
            self.crawler.stats.inc_value("nianbao/attachments/fallback_tried")
            fallback = {**ctx, "fallback_url": None}
            yield self._request(ctx["fallback_url"], request.callback, fallback)
            return
        self.crawler.stats.inc_value("nianbao/problems")
        yield ProblemItem(url=request.url, reason=reason, seed_url=ctx.get("seed_url"), status=status)

    # --- helpers -----------------------------------------------------------------------

    def _request(self, url: str, callback, ctx: dict, *, browser: bool = False, **kwargs) -> scrapy.Request:
        """A request carrying ``ctx``; ``browser=True`` marks it for rendering (the seam, see module docstring)."""
        meta = {"nb": ctx, BROWSER_FLAG: True} if browser else {"nb": ctx}
        return scrapy.Request(url, callback=callback, errback=self.on_error, meta=meta, **kwargs)

    def _allowed(self, url: str, ctx: dict) -> bool:
        return discovery.same_site(url, ctx["seed_url"], self.extra_domains)

    def _offsite(self, response: Response) -> bool:
        return not self._allowed(response.url, response.meta["nb"])

    def _links(self, response: Response):
        ctx = response.meta["nb"]
        return [link for link in discovery.page_links(response) if self._allowed(link.url, ctx)]

    def _detour(self, response: Response, callback) -> scrapy.Request | ProblemItem | None:
        """What replaces normal handling: a problem when redirects led off-site, the target of a redirect shell
        (followed with ``callback``; not for files, ``callback=None``), else None."""
        if self._offsite(response):
            return self._problem(response.url, f"redirected off-site from {response.meta.get('redirect_urls', ['?'])[0]}", response)
        return self._redirect(response, callback) if callback else None

    def _redirect(self, response: Response, callback) -> scrapy.Request | None:
        target = discovery.redirect_target(response)
        if not target or not self._allowed(target, response.meta["nb"]):
            return None
        self.crawler.stats.inc_value("nianbao/redirect_shells")
        return self._request(target, callback, response.meta["nb"])

    def _candidate(self, entry: pagination.Entry, ctx: dict):
        """Requests for one list entry, unless its title is a clear look-alike (解读, 图解, 指南…)."""
        if not self._allowed(entry.url, ctx):
            self.crawler.stats.inc_value("nianbao/offsite_skipped")
            return
        if _lookalike(entry.title):
            self.crawler.stats.inc_value("nianbao/lookalikes_skipped")
            return
        item_ctx = {**ctx, "title": entry.title, "listed_date": entry.listed_date, "parent_url": None}
        is_file = discovery.is_attachment_url(entry.url)
        yield self._request(entry.url, self.parse_attachment if is_file else self.parse_detail, item_ctx)
        for url in entry.attachments:
            if self._allowed(url, ctx):
                yield self._request(url, self.parse_attachment, {**item_ctx, "parent_url": entry.url, "title": None})

    def _next_pages(self, follow: pagination.Follow, response: Response, ctx: dict, family: str):
        if follow.capped:
            self.columns_failed.add(ctx["column_url"])
            self.crawler.stats.inc_value("nianbao/pagination/capped")
            reason = f"pagination cap of {self.max_list_pages} pages hit ({family}, {follow.total_pages or '?'} pages)"
            yield self._problem(response.url, reason, response)
        for request in follow.requests:
            if self._allowed(request.url, ctx):
                page_ctx = {**ctx, "page": request.meta.get("nb_page", ctx["page"] + 1)}
                yield request.replace(callback=self.parse_column, errback=self.on_error,
                                      meta={**request.meta, "nb": page_ctx})

    def _groupings(self, response: Response, ctx: dict):
        """Year / 乡镇街道 / township sub-columns below this column, within the depth bound."""
        if ctx["group_depth"] + 1 > self.max_depth:
            return
        for link in self._links(response):
            if discovery.classify_link(link) in (LinkKind.GROUPING, LinkKind.COLUMN) and link.url != response.url:
                yield self._request(link.url, self.parse_column, _column_ctx(ctx, link.url, ctx["group_depth"] + 1))

    def _attachment_request(self, url: str, a, response: Response, ctx: dict) -> scrapy.Request:
        """A file link of a report page; TRS ``OLDSRC`` is kept as the fallback if ``href`` fails."""
        oldsrc = a.attrib.get("oldsrc") or a.attrib.get("OLDSRC")
        fallback = response.urljoin(oldsrc) if oldsrc else None
        title = discovery.clean_text("".join(a.xpath(".//text()").getall())) or None
        att_ctx = {**ctx, "parent_url": response.url, "title": title, "fallback_url": fallback}
        return self._request(url, self.parse_attachment, att_ctx)

    def _document(self, response: Response, kind: str, ctx: dict) -> DocumentItem:
        self.crawler.stats.inc_value(f"nianbao/documents/{kind}")
        capture = response.meta.get("capture") or {}
        return DocumentItem(
            url=response.url, kind=kind, seed_url=ctx["seed_url"], portal_id=ctx.get("portal_id"),
            parent_url=ctx.get("parent_url"), title=ctx.get("title"), column_url=ctx.get("column_url"),
            listed_date=ctx.get("listed_date"), capture_id=capture.get("capture_id"), status=response.status,
            content_type=(response.headers.get(b"Content-Type") or b"").decode("latin-1") or None,
        )

    def _problem(self, url: str, reason: str, response: Response | None = None) -> ProblemItem:
        self.crawler.stats.inc_value("nianbao/problems")
        ctx = response.meta.get("nb", {}) if response is not None else {}
        self.logger.warning("Problem at %s: %s", url, reason)
        return ProblemItem(url=url, reason=reason, seed_url=ctx.get("seed_url"),
                           status=response.status if response is not None else None)


def _column_ctx(ctx: dict, column_url: str, group_depth: int) -> dict:
    """Context for a (new) column: page 1, the given grouping depth, no entry fields."""
    keep = {k: ctx[k] for k in ("seed_url", "portal_id", "depth") if k in ctx}
    return {**keep, "column_url": column_url, "group_depth": group_depth, "page": 1}


def _lookalike(text: str) -> bool:
    """指南, 制度, 解读… pages: never a way to the 年报 column, never a report."""
    return discovery.title_verdict(text) == "lookalike"


def _is_cms_list(response: Response) -> bool:
    """A page a known CMS adapter (not the generic one) reads as a list with entries or further pages."""
    adapter = pagination.adapter_for(response)
    if adapter is None or adapter is pagination.generic:
        return False
    return pagination.family(adapter) == "gkmlpt" or any(
        discovery.title_verdict(e.title) == "report" for e in adapter.entries(response))


def _load_seeds(seeds) -> list[dict]:
    """Seeds from a list, a JSON string, or a JSON file path; each needs a ``url``."""
    if isinstance(seeds, str):
        seeds = json.loads(Path(seeds).read_text("utf-8") if not seeds.lstrip().startswith("[") else seeds)
    seeds = list(seeds or [])
    for seed in seeds:
        if not isinstance(seed, dict) or not seed.get("url"):
            raise ValueError(f"Each seed needs a 'url': got {seed!r}. Pass a list of {{'portal_id', 'url'}} objects.")
    return seeds
