"""The ``nianbao`` command line. Commands parse arguments, call one library function, format output."""

from __future__ import annotations

import json
import shutil
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from nianbao import pipeline
from nianbao.cli_scheduler import export, scheduler_app
from nianbao.config import Settings, get_settings
from nianbao.errors import click_exception, exit_code_for

app = typer.Typer(help="nianbao: find, archive, read and check township 政府信息公开工作年度报告.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
registry_app = typer.Typer(help="The registry of divisions and portals.", no_args_is_help=True)
portal_app = typer.Typer(help="The bundled demo portal.", no_args_is_help=True)
archive_app = typer.Typer(help="The WARC archive and its catalog.", no_args_is_help=True)
app.add_typer(registry_app, name="registry")
app.add_typer(archive_app, name="archive")
app.add_typer(scheduler_app, name="scheduler")
app.command("export")(export)
app.add_typer(portal_app, name="demo-portal")

out = Console()
if not out.is_terminal:  # piped or logged: wide enough that URLs (the evidence) stay on one line
    out = Console(width=220)
err = Console(stderr=True)

STATUS_STYLE = {"on_time": "green", "late": "yellow", "missing": "red", "pending": "cyan", "undated": "magenta"}


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=err, transient=True)


def _as_of(value: Optional[str]) -> date:
    if value is None:
        return pipeline.today_china()
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(f"{value!r} is not a date like 2024-02-01.") from exc


def _crawl_with_progress(settings: Settings, engine, seeds: list[dict] | None):
    """Crawl ``seeds`` (None: resume the interrupted crawl) under a progress bar."""
    with _progress() as bar:
        task = bar.add_task("crawling", total=None)

        def tick(event: dict) -> None:
            bar.update(task, completed=event.get("responses", 0),
                       description=f"crawling · {event.get('documents', 0)} documents")

        if seeds is None:
            return pipeline.resume(settings, engine, progress=tick)
        return pipeline.crawl(settings, engine, seeds, progress=tick)


def _parse_with_progress(settings: Settings, engine, everything: bool = False):
    with _progress() as bar:
        task = bar.add_task("parsing", total=None)
        return pipeline.parse_archived(settings, engine, everything=everything,
                                       progress=lambda n, total: bar.update(task, completed=n, total=total))


def _print_run(run, parsed) -> None:
    stats = run.stats or {}
    out.print(f"crawl run {run.id}: [bold]{run.status}[/] · {stats.get('responses', 0)} responses · "
              f"{stats.get('documents', 0)} documents · {stats.get('problems', 0)} problems")
    out.print(f"parsed {parsed.parsed} documents: {parsed.reports} reports, {parsed.failed} could not be read")


def _status_table(rows: list[dict]) -> Table:
    table = Table(title="Compliance", show_lines=False)
    for col in ("county", "unit", "year", "status", "published", "source", "deadline", "late by"):
        table.add_column(col, no_wrap=True)
    table.add_column("evidence", overflow="fold")
    for r in rows:
        style = STATUS_STYLE.get(r["status"], "")
        flags = [] if r["observed"] else ["claimed, not observed"]
        flags += ["withdrawn"] if r["withdrawn"] else []
        status = f"[{style}]{r['status']}[/]" + (f" ({', '.join(flags)})" if flags else "")
        table.add_row(r["county"] or "", r["unit"], str(r["year"]), status, r["published"] or "",
                      r["published_source"] or "", r["deadline"], str(r["days_late"] or ""), r["report_url"] or "")
    return table


def _summary(rows: list[dict]) -> str:
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    return " · ".join(f"{k} {v}" for k, v in sorted(counts.items()))


def _print_alerts(season: list) -> None:
    total = sum(len(alerts) for _, alerts in season)
    out.print(f"\n[bold]Alerts the scheduler would have sent[/] ({total}, replaying the season day by day):")
    for day, alerts in season:
        for alert in alerts:
            out.print(f"  {day}  {alert.kind:<20} {alert.message}", markup=False, highlight=False)


@app.command()
def demo(
    as_of: Annotated[Optional[str], typer.Option(
        help="Judge as of this date (YYYY-MM-DD, China time); default today. The alerts replay the demo's "
             "last season, up to 2024-06-30.")] = None,
) -> None:
    """The main job, offline: serve the demo portal, import, crawl, archive, parse, evaluate, report."""
    from nianbao.demo_portal import DEMO_AS_OF, DemoPortal

    base = get_settings()
    home = pipeline.demo_home(base)
    if home.exists():
        shutil.rmtree(home)
    settings = pipeline.loopback_settings(home, database_url=base.database_url)
    engine = pipeline.open_db(settings)
    with DemoPortal() as portal:
        for name, url in portal.counties.items():
            out.print(f"demo portal: {name} at {url}")
        imported = pipeline.registry_import(engine, portal.registry_csv())
        out.print(f"registry: {imported.created} units, {imported.portals} portals")
        run = _crawl_with_progress(settings, engine, pipeline.select_seeds(engine, [], []))
    parsed = _parse_with_progress(settings, engine)
    _print_run(run, parsed)
    years = pipeline.report_years(engine)  # the demo world's years; nothing is published after them
    season = pipeline.replay_season(engine, pipeline.season_dates(DEMO_AS_OF), years)
    day = _as_of(as_of)
    rows = pipeline.evaluate(engine, day, years)
    out.print(_status_table(rows))
    out.print(f"as of {day}: {_summary(rows)}")
    _print_alerts(season)
    out.print(f"archive: {settings.warc_dir.resolve()}")
    out.print(f"database: {settings.db_url}")
    out.print(f"see again: NIANBAO_HOME={home} nianbao status")


@portal_app.command("serve")
def demo_portal_serve(
    port: Annotated[Optional[int], typer.Option(help="Port of the first county; the others follow it.")] = None,
) -> None:
    """Serve the demo portal on 127.0.0.1 until interrupted."""
    from nianbao.demo_portal import DemoPortal

    portal = DemoPortal(base_port=port)
    portal.start()
    for name, url in portal.counties.items():
        out.print(f"{name}: {url}")
    out.print("registry CSV: printed below; Ctrl-C stops the portal.")
    out.print(portal.registry_csv(), markup=False)
    try:
        portal.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        portal.stop()


@registry_app.command("import")
def registry_import(file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="Registry CSV (UTF-8).")]) -> None:
    """Load divisions and portals from a CSV; re-importing updates, never duplicates."""
    engine = pipeline.open_db(get_settings())
    result = pipeline.registry_import(engine, file.read_text("utf-8-sig"))
    out.print(f"{result.created} created, {result.updated} updated, {result.unchanged} unchanged, "
              f"{result.portals} new portals")


@app.command()
def crawl(
    portal: Annotated[Optional[list[str]], typer.Option(help="A portal home page or 年报 column URL (repeatable).")] = None,
    county: Annotated[Optional[list[str]], typer.Option(help="Crawl this county's registry portals (name or code; repeatable).")] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Resume the newest interrupted crawl instead.")] = False,
) -> None:
    """Crawl portals, archive every exchange, and parse what was found."""
    settings = get_settings()
    engine = pipeline.open_db(settings)
    seeds = None if resume else pipeline.select_seeds(engine, portal or [], county or [])
    run = _crawl_with_progress(settings, engine, seeds)
    _print_run(run, _parse_with_progress(settings, engine))
    if run.status != "ok":
        err.print(f"The crawl {run.status}: {run.error or 'see the problems recorded on the run'}.")
        raise typer.Exit(1)


@app.command()
def parse(
    files: Annotated[list[Path], typer.Argument(exists=True, dir_okay=False, help="Report files to read.")],
    format: Annotated[str, typer.Option("--format", help="text or json (JSON Lines).")] = "text",
) -> None:
    """Parse local files and print one report object per file."""
    from parsing import parse_file

    failed = False
    for path in files:
        try:
            report = parse_file(path)
        except Exception as exc:  # one bad file must not stop the others; the reason is printed
            if exit_code_for(exc) is None:
                raise
            err.print(f"{path}: {exc}")
            failed = True
            continue
        if format == "json":
            print(json.dumps(report, ensure_ascii=False))
        else:
            _print_report(report)
    if failed:
        raise typer.Exit(1)


@app.command()
def reparse() -> None:
    """Re-run parsing over every archived document (after a parser upgrade); originals come from the WARCs."""
    settings = get_settings()
    result = _parse_with_progress(settings, pipeline.open_db(settings), everything=True)
    out.print(f"parsed {result.parsed} documents: {result.reports} reports, {result.failed} could not be read")
    for url, reason in result.errors:
        err.print(f"{url}: {reason}", markup=False)
    if result.failed:
        raise typer.Exit(1)


def _print_report(r: dict) -> None:
    out.print(f"[bold]{r.get('title') or r['source']}[/]")
    out.print(f"  {r.get('agency')} ({r.get('agency_kind')}) · {r.get('county')} · year {r.get('year')} · "
              f"published {r.get('published')} ({r.get('published_source')}) · format {r.get('format')}")
    for check in r.get("checks", []):
        out.print(f"  [{check['severity']}] {check['code']}: {check['message']}", markup=False)
    if r.get("missing"):
        out.print(f"  missing cells: {len(r['missing'])}")


@app.command()
def evaluate(
    as_of: Annotated[Optional[str], typer.Option(help="Judge as of this date (YYYY-MM-DD, China time).")] = None,
) -> None:
    """Recompute compliance for every unit and report year."""
    rows = pipeline.evaluate(pipeline.open_db(get_settings()), _as_of(as_of))
    out.print(f"{len(rows)} statuses: {_summary(rows)}")


@app.command()
def status(
    year: Annotated[Optional[int], typer.Option(help="Only this report year.")] = None,
    county: Annotated[Optional[str], typer.Option(help="Only this county (name or code).")] = None,
    as_of: Annotated[Optional[str], typer.Option(help="Re-evaluate as of this date first.")] = None,
    format: Annotated[str, typer.Option("--format", help="table, json or csv.")] = "table",
) -> None:
    """Print compliance statuses."""
    from scheduler import to_csv

    engine = pipeline.open_db(get_settings())
    if as_of:
        pipeline.evaluate(engine, _as_of(as_of))
    rows = pipeline.statuses(engine, year=year, county=county)
    if format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    elif format == "csv":
        sys.stdout.write(to_csv(rows))
    elif format == "table":
        out.print(_status_table(rows))
        out.print(_summary(rows))
    else:
        raise typer.BadParameter("--format must be table, json or csv.")


@archive_app.command("verify")
def archive_verify() -> None:
    """Re-read every catalogued record from the WARC files; check offsets, lengths and digests."""
    settings = get_settings()
    checked, problems = pipeline.verify_archive(settings, pipeline.open_db(settings))
    for p in problems:
        err.print(str(p), markup=False, highlight=False, soft_wrap=True)
    out.print(f"{checked} records checked, {len(problems)} problems")
    if problems:
        raise typer.Exit(1)


@archive_app.command("export")
def archive_export(
    wacz: Annotated[Path, typer.Option("--wacz", help="Write a WACZ 1.1.1 package here.")],
) -> None:
    """Package the archive (closed WARC files) as WACZ."""
    path = pipeline.export_wacz(get_settings(), wacz)
    out.print(f"wrote {path} ({path.stat().st_size} bytes)")


@app.command()
def capture(
    urls: Annotated[list[str], typer.Argument(help="Pages or files to archive now (absolute http or https URLs).")],
) -> None:
    """Archive exactly these URLs (and their redirect hops) now, without discovery."""
    settings = get_settings()
    result = pipeline.capture(settings, pipeline.open_db(settings), urls)
    for c in result.captures:
        out.print(f"{c.status or '-'} {c.record_type} {c.url} → {c.warc_file} @ {c.offset}", markup=False, highlight=False)
    for p in result.problems:
        err.print(f"{p.url}: {p.reason}", markup=False, highlight=False)
    out.print(f"capture run {result.run.id}: {result.run.status} · {len(result.captures)} responses archived · "
              f"{len(result.missing)} URLs not archived")
    if result.missing or result.run.status != "ok":
        raise typer.Exit(1)


def main() -> None:
    """Entry point: run the app; named errors become one sentence on stderr and an exit status."""
    try:
        sys.exit(app(standalone_mode=False) or 0)
    except click_exception() as exc:
        exc.show()
        sys.exit(2)
    except (typer.Abort, KeyboardInterrupt):
        err.print("Interrupted.")
        sys.exit(130)
    except Exception as exc:
        code = exit_code_for(exc)
        if code is None:
            raise
        err.print(str(exc), markup=False, highlight=False)
        sys.exit(code)
