"""KnownUrls: the incremental middleware asks the catalog only about URLs it may hold a full capture of."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import event

from archive import Capture
from crawler.incremental import _KNOWN, KnownUrls
from nianbao.db import session

T = datetime(2025, 1, 2, tzinfo=timezone.utc)
_rows = iter(range(10**6))


def catalogue(engine, url, *, status=200, method="GET", record_type="response", complete=True):
    n = next(_rows)
    with session(engine) as s:
        s.add(Capture(url=url, method=method, status=status, record_type=record_type, record_id=f"<urn:uuid:{n}>",
                      warc_file="f.warc.gz", offset=n, length=1, captured_at=T, complete=complete,
                      truncated=None if complete else "length"))


def test_full_captures_are_known_and_nothing_else(engine):
    catalogue(engine, "http://a.gov.cn/full.html")
    catalogue(engine, "http://a.gov.cn/revisit.html", record_type="revisit")
    catalogue(engine, "http://a.gov.cn/404.html", status=404)
    catalogue(engine, "http://a.gov.cn/cut.html", complete=False)
    catalogue(engine, "http://a.gov.cn/post.html", method="POST")
    catalogue(engine, "http://a.gov.cn/304.html", status=304)
    known = KnownUrls(engine)
    urls = ["full", "revisit", "404", "cut", "post", "304", "never"]
    assert [f"http://a.gov.cn/{u}.html" in known for u in urls] == [True, True, False, False, False, False, False]
    with engine.connect() as conn:   # the same answer the per-URL query gives
        assert [conn.execute(_KNOWN, {"url": f"http://a.gov.cn/{u}.html"}).one()[0] is not None for u in urls] == \
            [True, True, False, False, False, False, False]


def test_urls_this_crawl_captures_are_added(engine):
    known = KnownUrls(engine)
    assert "http://a.gov.cn/new.html" not in known
    known.add("http://a.gov.cn/new.html")
    assert "http://a.gov.cn/new.html" in known and "http://a.gov.cn/other.html" not in known


def test_the_catalog_is_read_once(engine):
    for n in range(50):
        catalogue(engine, f"http://a.gov.cn/{n}.html")
    statements = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    known = KnownUrls(engine)
    assert sum(f"http://a.gov.cn/{n}.html" in known for n in range(100)) == 50
    assert len(statements) == 1
