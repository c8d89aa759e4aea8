"""Crawl benchmarks, printed as ratios against baselines measured in the same run.

``python -m benchmarks.crawl [--scale 10] [--small 1]`` (about 10–15 minutes on 2 cores):

(a) nianbao, politeness off, vs ``wget --recursive --warc-file`` on the same seeds of the demo
    portal at ``--scale`` (default 10: 7,891 pages on 54 hosts): pages per second (target ≥ 5×);
(b) nianbao's peak RSS crawling the portal at scale ``--small`` (N) vs ``--scale`` (10N; the
    crawl of (a) itself) (target within 20%);
(c) a second, unchanged sweep's full downloads / the first's (target ≤ 10%);
(d) archiving overhead: the same crawl with WARC capture off vs on, alternating, the faster of
    two runs each (target ≤ 15% extra wall time); beside it the extra CPU time (the archivist
    works in a process of its own, on another core) and WARC bytes per page.
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from pathlib import Path

from sqlmodel import col, func, select

from archive import Capture
from benchmarks.portal import page_count, warm_portal
from benchmarks.wget import wget_crawl
from crawler.run import run_crawl
from nianbao.config import load_settings
from nianbao.db import connect, session

POLITENESS_OFF = {"CONCURRENT_REQUESTS": 32, "LOG_LEVEL": "WARNING"}


class PeakRss:
    """A progress callback that follows the crawl's peak resident set (VmHWM, kB): the crawler process plus its
    archivist, each process's own peak summed (an upper bound of the crawl's footprint)."""

    def __init__(self):
        self.pid, self.peaks = None, {}

    @property
    def peak_kb(self) -> int:
        return sum(self.peaks.values())

    def __call__(self, event: dict) -> None:
        if event["event"] == "started":
            self.pid = event["pid"]
            return
        for pid in [self.pid, *_children(self.pid)]:
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            line = next((l for l in status.splitlines() if l.startswith("VmHWM:")), "VmHWM: 0 kB")
            self.peaks[pid] = max(self.peaks.get(pid, 0), int(line.split()[1]))


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for task in Path(f"/proc/{pid}/task").iterdir()
                for c in (task / "children").read_text().split()]
    except OSError:
        return []


def nianbao_crawl(portal, home: Path, *, warc: bool = True) -> dict:
    """One nianbao crawl of every county's home page; wall seconds, pages, full downloads, WARC bytes, peak RSS."""
    settings = load_settings(environ={}, home=home, download_delay=0, autothrottle=False, concurrent_per_host=16,
                             download_timeout=30)
    engine = connect(settings.db_url)
    seeds = [{"portal_id": None, "url": url} for url in portal.counties.values()]
    rss = PeakRss()
    cpu_before, start = _children_cpu(), time.monotonic()
    run = run_crawl(settings, seeds, engine=engine, progress=rss, extra={**POLITENESS_OFF, "WARC_ENABLED": warc})
    seconds, cpu = time.monotonic() - start, _children_cpu() - cpu_before
    with session(engine) as s:
        full = s.exec(select(func.count()).select_from(Capture).where(
            Capture.run_id == run.id, Capture.status == 200, col(Capture.record_type).in_(("response", "revisit")))).one()
    engine.dispose()
    return {"seconds": seconds, "cpu_seconds": cpu, "pages": run.stats.get("downloader/response_count", 0),
            "full_downloads": full,
            "status": run.status, "peak_rss_mb": rss.peak_kb / 1024,
            "warc_bytes": sum(p.stat().st_size for p in settings.warc_dir.glob("*.warc.gz"))}


def _children_cpu() -> float:
    """User + system CPU seconds of every finished child process (the crawler, and the archivist it waited for)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def speed_and_archive(scale: int, tmp: Path) -> dict:
    """(a), (c), (d) on one portal: WARC off, WARC on, the unchanged second sweep, wget."""
    portal = warm_portal(scale)
    try:
        out = {"scale": scale, "hosts": len(portal.counties), "portal_pages": page_count(portal)}
        runs = {False: [], True: []}
        for n in range(2):  # alternating, the faster of two each: (d) compares like with like
            for warc in (False, True):
                runs[warc].append(nianbao_crawl(portal, tmp / f"{'warc' if warc else 'no-warc'}-{n}", warc=warc))
        out["no_warc"] = min(runs[False], key=lambda r: r["seconds"])
        out["warc"] = min(runs[True], key=lambda r: r["seconds"])
        out["first_sweep"], out["second_sweep"] = runs[True][0], nianbao_crawl(portal, tmp / "warc-0")
        out["wget"] = wget_crawl(list(portal.counties.values()), tmp / "wget")
    finally:
        portal.stop()
    return out


def memory(small: int, speed: dict, tmp: Path) -> dict:
    """(b): peak RSS of a crawl at scale ``small``, beside the WARC-on crawl of ``speed`` (the large scale)."""
    portal = warm_portal(small)
    try:
        out = {small: {"portal_pages": page_count(portal), **nianbao_crawl(portal, tmp / f"rss-{small}")}}
    finally:
        portal.stop()
    out[speed["scale"]] = {"portal_pages": speed["portal_pages"], **speed["warc"]}
    return out


def report(speed: dict, rss: dict) -> list[tuple[str, float, str, bool]]:
    """(figure, value, target, met) rows."""
    nb, wg, off, again = speed["warc"], speed["wget"], speed["no_warc"], speed["second_sweep"]
    nb_rate, wget_rate = nb["pages"] / nb["seconds"], wg["pages"] / wg["seconds"]
    small, big = (rss[k]["peak_rss_mb"] for k in sorted(rss))  # scale N, then 10N
    overhead = nb["seconds"] / off["seconds"] - 1
    second = again["full_downloads"] / max(speed["first_sweep"]["full_downloads"], 1)
    return [
        ("(a) pages/s nianbao ÷ wget", nb_rate / wget_rate, "≥ 5", nb_rate / wget_rate >= 5),
        ("(b) peak RSS at 10N ÷ at N", big / small, "≤ 1.20", big / small <= 1.20),
        ("(c) 2nd sweep full downloads ÷ 1st", second, "≤ 0.10", second <= 0.10),
        ("(d) archiving extra wall time", overhead, "≤ 0.15", overhead <= 0.15),
        ("(d) archiving extra CPU time", nb["cpu_seconds"] / off["cpu_seconds"] - 1, "report", True),
        ("(d) WARC bytes per page", nb["warc_bytes"] / max(nb["pages"], 1), "report", True),
    ]


def _print(speed: dict, rss: dict) -> None:
    nb, wg, off, again = speed["warc"], speed["wget"], speed["no_warc"], speed["second_sweep"]
    print(f"demo portal scale {speed['scale']}: {speed['portal_pages']} pages on {speed['hosts']} hosts")
    print(f"  nianbao (WARC on):  {nb['pages']:6d} pages in {nb['seconds']:7.1f} s = {nb['pages'] / nb['seconds']:7.1f} pages/s, "
          f"CPU {nb['cpu_seconds']:.1f} s ({nb['status']})")
    print(f"  nianbao (WARC off): {off['pages']:6d} pages in {off['seconds']:7.1f} s = {off['pages'] / off['seconds']:7.1f} pages/s, "
          f"CPU {off['cpu_seconds']:.1f} s")
    print(f"  wget:               {wg['pages']:6d} pages in {wg['seconds']:7.1f} s = {wg['pages'] / wg['seconds']:7.1f} pages/s")
    print(f"  full downloads: 1st sweep {speed['first_sweep']['full_downloads']}, 2nd sweep {again['full_downloads']} "
          f"({again['pages']} responses, {again['seconds']:.1f} s)")
    print(f"  WARC bytes: nianbao {nb['warc_bytes']:,}, wget {wg['warc_bytes']:,}")
    for scale, row in sorted(rss.items()):
        print(f"  scale {scale}: {row['portal_pages']} pages, {row['pages']} fetched, peak RSS {row['peak_rss_mb']:.1f} MB")
    print()
    for name, value, target, met in report(speed, rss):
        print(f"  {name:38s} {value:10.3f}   target {target:7s} {'met' if met else 'MISSED'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=10, help="demo portal scale for (a)–(d) (10: 7,891 pages)")
    parser.add_argument("--small", type=int, default=1, help="the small scale N of (b); --scale is 10N")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="nianbao-bench-") as tmp:
        speed = speed_and_archive(args.scale, Path(tmp))
        rss = memory(args.small, speed, Path(tmp))
    _print(speed, rss)
    if args.json:
        args.json.write_text(json.dumps({"speed": speed, "rss": rss}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
