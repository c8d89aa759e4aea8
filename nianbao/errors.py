"""The one place that maps each package's named errors to an exit status (INTERFACE.md).

2: bad usage or input (the user can fix the command or the file);
1: the job ran and found problems.
"""

from __future__ import annotations

import importlib

# (module, error class, exit status). Looked up lazily so the CLI starts fast.
ERRORS: tuple[tuple[str, str, int], ...] = (
    ("nianbao.config", "ConfigError", 2),
    ("nianbao.pipeline", "UsageError", 2),
    ("nianbao.registry", "RegistryError", 2),
    ("nianbao.db", "DatabaseError", 2),
    ("parsing", "ParseError", 1),
    ("archive", "ArchiveError", 1),
    ("crawler.run", "CrawlError", 1),
    ("scheduler.rules_file", "RulesFileError", 2),
    ("scheduler.service", "SchedulerError", 2),
    ("scheduler.delivery", "DeliveryError", 2),
    ("scheduler.exports", "ExportError", 2),
    ("scheduler.lock", "AlreadyRunning", 1),
)


def click_exception() -> type[Exception]:
    """Click's base usage error (Typer vendors its own copy of click in recent versions)."""
    try:
        from typer._click.exceptions import ClickException
    except ImportError:
        from click import ClickException
    return ClickException


def exit_code_for(exc: BaseException) -> int | None:
    """The exit status for a named error, or None for anything else (a bug: let it surface)."""
    if isinstance(exc, click_exception()):
        return 2
    for module, name, code in ERRORS:
        try:
            cls = getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError):
            continue
        if isinstance(exc, cls):
            return code
    return None
