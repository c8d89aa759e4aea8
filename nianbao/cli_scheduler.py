"""CLI for the scheduler stage: ``scheduler run``, ``scheduler rules import``, and ``export``.

Mount in ``nianbao/cli.py``::

    from nianbao.cli_scheduler import export, scheduler_app
    app.add_typer(scheduler_app, name="scheduler")
    app.command("export")(export)

Named errors (``RulesFileError``, ``AlreadyRunning``, ``SchedulerError``,
``DeliveryError``, ``ExportError``) go through ``nianbao.errors``.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from nianbao import pipeline
from nianbao.config import get_settings
from nianbao.db import session

scheduler_app = typer.Typer(help="The long-running service: scheduled sweeps, evaluation, alerts.",
                            no_args_is_help=True)
rules_app = typer.Typer(help="Deadline rules (overrides per province, city, county and report year).",
                        no_args_is_help=True)
scheduler_app.add_typer(rules_app, name="rules")

out = Console()


@scheduler_app.command("run")
def run(
    alert_url: Annotated[Optional[list[str]], typer.Option(
        help="An apprise URL to send alerts to (json://, mailto://, dingtalk://, wecombot://, feishu://; "
             "repeatable).")] = None,
    season: Annotated[Optional[str], typer.Option(
        help="Sweep schedule in January–April (cron:<crontab>, China time); default NIANBAO_SWEEP_SEASON.")] = None,
    offseason: Annotated[Optional[str], typer.Option(
        help="Sweep schedule the rest of the year; default NIANBAO_SWEEP_OFFSEASON.")] = None,
) -> None:
    """Run sweeps, evaluations and alert delivery on schedule until interrupted (one per database)."""
    from scheduler.service import ServiceConfig, pipeline_sweep, run_service

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = get_settings()
    engine = pipeline.open_db(settings)
    config = ServiceConfig(alert_urls=tuple(alert_url or settings.alert_urls),
                           sweeps=(("sweep-season", season or settings.sweep_season),
                                   ("sweep-offseason", offseason or settings.sweep_offseason)))
    out.print("scheduler starting; Ctrl-C stops it")
    run_service(engine, pipeline_sweep(settings), config)


@rules_app.command("import")
def rules_import(file: Annotated[Path, typer.Argument(exists=True, dir_okay=False,
                                                      help="Rules file: .csv or .toml (UTF-8).")]) -> None:
    """Load deadline-rule overrides; re-importing the same file changes nothing."""
    from scheduler.rules_file import import_rules_file

    with session(pipeline.open_db(get_settings())) as s:
        result = import_rules_file(s, file)
    out.print(f"{result.created} created, {result.updated} updated, {result.unchanged} unchanged")


def export(
    out_file: Annotated[Path, typer.Option("--out", help="File to write.")],
    format: Annotated[str, typer.Option("--format", help="csv, xlsx or json.")] = "csv",
    county: Annotated[Optional[str], typer.Option(help="Only this county or city (name or code).")] = None,
    year: Annotated[Optional[int], typer.Option(help="Only this report year.")] = None,
) -> None:
    """Export the missing and late units, with evidence links, for a 通报."""
    from scheduler.exports import export_notice

    with session(pipeline.open_db(get_settings())) as s:
        count = export_notice(s, out_file, fmt=format, county=county, year=year)
    out.print(f"{count} units written to {out_file}")


export_app = typer.Typer(help="Exports for a 通报.")
export_app.command("export")(export)
