"""nianbao's settings: declared once, read once, typed.

Every setting has a default and help text. Values come from, in order of
precedence: keyword overrides (tests, CLI flags), environment variables, and
the optional TOML file ``$NIANBAO_HOME/nianbao.toml``. Environment variables
are ``NIANBAO_<NAME>`` (upper case), except the three conventional ones
``NIANBAO_HOME``, ``DATABASE_URL`` and ``REDIS_URL``. An unknown
``NIANBAO_*`` variable or TOML key is an error, not silently ignored.
"""

from __future__ import annotations

import os
import tomllib
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator


class ConfigError(Exception):
    """The configuration is invalid; the message says which key and why."""


_ENV_ALIASES = {"home": "NIANBAO_HOME", "database_url": "DATABASE_URL", "redis_url": "REDIS_URL"}
# Variables that share the NIANBAO_ prefix but are not settings.
_ENV_IGNORED = {"NIANBAO_CONFIG"}


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)

    home: Path = Field(Path("data"), description="Folder for everything a run produces (database, warcs/, indexes/).")
    database_url: str | None = Field(None, description="SQLAlchemy URL of the catalog; default: SQLite file nianbao.db in home.")
    redis_url: str | None = Field(None, description="When set, the crawl frontier is shared through scrapy-redis.")

    user_agent: str = Field(
        "nianbao/0.1 (+https://github.com/nianbao/nianbao; government report archive)",
        description="User-Agent sent on every request; keep a contact URL in it.",
    )
    obey_robots: bool = Field(True, description="Fetch, archive and obey robots.txt.")
    concurrent_per_host: int = Field(2, ge=1, description="Parallel requests per host (small government servers).")
    download_delay: float = Field(1.0, ge=0, description="Seconds between requests to one host (AutoThrottle start delay).")
    autothrottle: bool = Field(True, description="Adapt the delay to each host's response time.")
    download_timeout: int = Field(60, ge=1, description="Seconds before a request is abandoned.")
    max_download_bytes: int = Field(100 * 1024 * 1024, ge=1024, description="Responses larger than this are cut and the cut recorded.")
    max_list_pages: int = Field(500, ge=1, description="List pages followed per column before pagination is treated as a trap.")
    discovery_depth: int = Field(4, ge=1, description="Link hops from a home page while looking for 年报 columns.")
    allowed_domains: tuple[str, ...] = Field((), description="Extra domains (besides the seed's) the crawler may follow.")
    browser_path: str = Field("/usr/bin/chromium", description="Chromium executable for pages that need a browser.")

    warc_prefix: str = Field("nianbao", description="Prefix of WARC file names.")
    warc_max_size: int = Field(1_000_000_000, ge=1_000_000, description="Bytes after which a WARC file is closed and a new one begun.")
    operator: str = Field("nianbao", description="Operator named in each WARC's warcinfo record.")

    timezone: str = Field("Asia/Shanghai", description="Time zone of deadlines and published dates.")

    alert_urls: tuple[str, ...] = Field((), description="apprise URLs alerts go to (json://, mailto://, dingtalk://, "
                                        "wecombot://, feishu://); space-separated in the environment.")
    sweep_season: str = Field("cron:0 7,13,19 * 1-4 *", description="Sweep schedule in January–April (China time).")
    sweep_offseason: str = Field("cron:30 3 * 5-12 mon", description="Sweep schedule the rest of the year.")

    @field_validator("home")
    @classmethod
    def _absolute(cls, value: Path) -> Path:
        """Absolute, so child processes (the crawler) and later runs agree on where the data is."""
        return value.expanduser().absolute()

    @property
    def warc_dir(self) -> Path:
        return self.home / "warcs"

    @property
    def index_dir(self) -> Path:
        return self.home / "indexes"

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.home / 'nianbao.db').resolve()}"


def _env_name(field: str) -> str:
    return _ENV_ALIASES.get(field, f"NIANBAO_{field.upper()}")


def _from_env(environ: dict[str, str]) -> dict[str, str]:
    known = {_env_name(f): f for f in Settings.model_fields}
    unknown = sorted(k for k in environ if k.startswith("NIANBAO_") and k not in known and k not in _ENV_IGNORED)
    if unknown:
        raise ConfigError(f"Unknown setting {unknown[0]}; known NIANBAO_ settings: {', '.join(sorted(known))}.")
    values: dict[str, object] = {known[k]: v for k, v in environ.items() if k in known}
    if "allowed_domains" in values:
        values["allowed_domains"] = tuple(d for d in str(values["allowed_domains"]).split(",") if d)
    if "alert_urls" in values:  # URLs may contain commas, never spaces
        values["alert_urls"] = tuple(str(values["alert_urls"]).split())
    return values


def _from_file(path: Path) -> dict[str, object]:
    if not path.is_file():
        return {}
    try:
        return tomllib.loads(path.read_text("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from exc


def load_settings(environ: dict[str, str] | None = None, **overrides: object) -> Settings:
    """Build settings from a TOML file, the environment and ``overrides``."""
    environ = dict(os.environ if environ is None else environ)
    env = _from_env(environ)
    home = Path(str(overrides.get("home") or env.get("home") or "data"))
    config_file = Path(environ.get("NIANBAO_CONFIG") or home / "nianbao.toml")
    values = {**_from_file(config_file), **env, **overrides}
    try:
        return Settings(**values)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise ConfigError(f"Setting {where!r}: {err['msg']}.") from exc


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return load_settings()


def describe() -> list[tuple[str, str, str]]:
    """(variable, default, help) for every setting, for ``--help`` texts and docs."""
    return [(_env_name(n), repr(f.default), f.description or "") for n, f in Settings.model_fields.items()]
