"""Scrapy settings for nianbao: polite defaults for small government servers.

``crawler.run`` overrides the politeness values from :class:`nianbao.config.Settings`;
these defaults serve ``scrapy crawl reports`` by hand.
"""

from __future__ import annotations

BOT_NAME = "nianbao"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"

USER_AGENT = "nianbao/0.1 (+https://github.com/nianbao/nianbao; government report archive)"
ROBOTSTXT_OBEY = True

# Small government servers: two requests at a time per host, a delay, and AutoThrottle.
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
DOWNLOAD_DELAY_JITTER = 0.5  # ±50% around the delay
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

DOWNLOAD_TIMEOUT = 60
DOWNLOAD_MAXSIZE = 100 * 1024 * 1024
DOWNLOAD_WARNSIZE = 32 * 1024 * 1024

# Retries: the usual transient codes, plus back-off (slower host) on 429/503/412.
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 504, 522, 524, 408]
BACKOFF_HTTP_CODES = [429, 503, 412]
BACKOFF_MAX_DELAY = 60.0

# Errors reach the spider's errback, which records them as problems.
HTTPERROR_ALLOWED_CODES: list[int] = []
REDIRECT_ENABLED = True
METAREFRESH_ENABLED = False  # redirect shells are followed by discovery, which also sees location.replace

DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.BackoffRetryMiddleware": 550,
    "crawler.middlewares.ChineseEncodingMiddleware": 560,
}

ITEM_PIPELINES = {
    "crawler.pipelines.DatabasePipeline": 300,
}

# --- WARC capture (crawler/capture.py, owned by the archive engineer) -------------------
# A socket-taping download handler plus a writing middleware at 950. Settings: WARC_ENABLED,
# WARC_DIR, WARC_PREFIX, WARC_MAX_SIZE, WARC_OPERATOR, NIANBAO_DATABASE_URL, NIANBAO_RUN_ID.
# It sets response.meta["capture"]; with WARC_ENABLED off the handler is plain HTTP/1.1 and
# the spider sees capture_id None.
WARC_ENABLED = False
WARC_PREFIX = "nianbao"
WARC_MAX_SIZE = 1_000_000_000
WARC_OPERATOR = "nianbao"
# Records are flushed to the OS before their catalog rows commit (safe against a killed process) and
# fsync'd when a file closes; True also fsyncs every exchange (power-loss safe, one disk sync per page).
WARC_FSYNC_EACH = False
DOWNLOAD_HANDLERS = {
    "http": "crawler.capture.CaptureDownloadHandler",
    "https": "crawler.capture.CaptureDownloadHandler",
}
DOWNLOADER_MIDDLEWARES["crawler.capture.WarcCaptureMiddleware"] = 950
# -----------------------------------------------------------------------------------------

# --- Incremental re-crawl and resume (crawler/incremental.py) ------------------------------
# At 900: conditional GETs from the last full capture, report pages and attachments skipped
# (replayed from the archive) until a re-check is due, resume replays what a run archived.
DOWNLOADER_MIDDLEWARES["crawler.incremental.IncrementalMiddleware"] = 900
INCREMENTAL_ENABLED = False
INCREMENTAL_RECHECK_DAYS = 7.0
INCREMENTAL_SKIP_CALLBACKS = ["parse_detail", "parse_attachment"]
INCREMENTAL_REPLAY_RUN = None
# Redirect loops are recorded as problems (crawler/loops.py); other chains stop after 10 hops.
DOWNLOADER_MIDDLEWARES["crawler.loops.RedirectLoopMiddleware"] = 601
REDIRECT_MAX_TIMES = 10

# Database the pipeline writes to, and the CrawlRun it belongs to (set by crawler.run).
NIANBAO_DATABASE_URL = None
NIANBAO_RUN_ID = None
NIANBAO_MAX_LIST_PAGES = 500
NIANBAO_DISCOVERY_DEPTH = 4
NIANBAO_ALLOWED_DOMAINS: list[str] = []
NIANBAO_PROGRESS = False

# --- Browser when needed (crawler/browser.py, crawler/challenge.py, crawler/traps.py) --------
# The capture handler's subclass renders meta["nb_browser"] requests in Chromium through a
# recording proxy; everything else it downloads (and tapes) as before.
DOWNLOAD_HANDLERS = {"http": "crawler.browser.BrowserDownloadHandler", "https": "crawler.browser.BrowserDownloadHandler"}
DOWNLOADER_MIDDLEWARES["crawler.challenge.ChallengeMiddleware"] = 580
SPIDER_MIDDLEWARES = {"crawler.traps.TrapGuardMiddleware": 560}
NIANBAO_CHROMIUM = "/usr/bin/chromium"
NIANBAO_BROWSER_SCREENSHOT = True
PLAYWRIGHT_BROWSER_TYPE = "chromium"
PLAYWRIGHT_MAX_CONTEXTS = 1
PLAYWRIGHT_MAX_PAGES_PER_CONTEXT = 2
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = 30_000
PLAYWRIGHT_ABORT_REQUEST = "crawler.browser.skip_resource"
PLAYWRIGHT_PROCESS_REQUEST_HEADERS = "crawler.browser.browser_headers"
# -----------------------------------------------------------------------------------------

EXTENSIONS = {
    "crawler.progress.ProgressLines": 500,
}

FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
