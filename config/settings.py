"""Typed settings: one TOML file of defaults, overridden by CSWATCH_* environment variables.

Loaded once at start-up and passed down as arguments; nothing reads the environment on import.
A bad value or an unknown key fails at start with a message naming the key.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from datetime import time
from email.utils import parseaddr
from pathlib import Path
from typing import Any, Literal, get_args, get_origin
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    create_model,
    field_validator,
    model_validator,
)
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)
from pydantic_settings import SettingsError as SourceError
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

DEFAULT_SETTINGS_FILE = Path(__file__).with_name("settings.toml")
ENV_PREFIX = "CSWATCH_"
SETTINGS_FILE_ENV = "CSWATCH_SETTINGS_FILE"
CHECKOUT = Path(__file__).resolve().parents[1]


class SettingsError(Exception):
    """A setting is missing, unknown or invalid; the message names the key."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class HttpSettings(_Section):
    contact: str = Field(min_length=3)
    user_agent: str
    min_interval_seconds: float = Field(ge=0)
    connect_timeout_seconds: float = Field(gt=0)
    read_timeout_seconds: float = Field(gt=0)
    request_deadline_seconds: float = Field(default=120.0, gt=0)
    max_retries: int = Field(ge=0, le=10)
    backoff_seconds: float = Field(ge=0)
    max_retry_after_seconds: float = Field(ge=0)
    max_body_bytes: int = Field(gt=0)
    respect_robots_txt: bool
    allowed_hosts: list[str] = Field(min_length=1)

    @field_validator("contact")
    @classmethod
    def _contact_is_reachable(cls, value: str) -> str:
        if "@" not in value and not value.startswith(("http://", "https://")):
            raise ValueError("must be an email address or a URL where site operators can reach us")
        return value

    @field_validator("allowed_hosts")
    @classmethod
    def _hosts_are_bare(cls, hosts: list[str]) -> list[str]:
        cleaned = []
        for host in hosts:
            if "/" in host or not host.strip():
                raise ValueError(f"{host!r} is not a bare host name (no scheme or path)")
            cleaned.append(host.strip().lower())
        return cleaned

    @property
    def user_agent_header(self) -> str:
        return self.user_agent.format(contact=self.contact)


class OfstedSettings(_Section):
    search_url: str
    max_listing_pages: int = Field(ge=1)
    max_provider_pages: int = Field(ge=1)
    retry_failed_after_hours: float = Field(ge=0)
    # After a 403 from an Ofsted host (we are probably blocked) no request goes to it for this long.
    forbidden_backoff_hours: float = Field(default=12.0, gt=0)


def _http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValueError(f"{value!r} is not an absolute http(s) URL")
    return value


def _host_key(url: str) -> str:
    """The allow-list entry a URL needs: host, or host:port for a non-default port."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return f"{host}:{parts.port}" if parts.port else host


class FeedSettings(_Section):
    """One RSS or Atom feed of sector news."""

    name: str = Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9_-]*$")
    url: str
    # An official publisher (GOV.UK): events its articles state are stored as confirmed.
    official: bool = False
    # Every title starts with the publisher's display type ('Decision: ...'): strip it.
    titles_have_type: bool = False
    # Partly paywalled: keep the feed item's summary where the page shows less.
    keep_summary: bool = False

    _url_is_http = field_validator("url")(_http_url)


class ListingSettings(_Section):
    """One HTML page listing articles (a council's news page): selectors and expected counts."""

    name: str = Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9_-]*$")
    url: str
    # CSS selector of each listed entry, and how many the page must have (else 'layout changed').
    items: str = Field(min_length=1)
    min_items: int = Field(default=1, ge=0)
    max_items: int | None = Field(default=None, ge=1)
    # CSS selector of the article link inside each entry.
    link: str = "a[href]"
    official: bool = False

    _url_is_http = field_validator("url")(_http_url)


class NewsSettings(_Section):
    enabled: bool
    feeds: list[FeedSettings]
    listings: list[ListingSettings] = Field(default_factory=list)
    # Only the newest this-many items of each feed are looked at (a feed may list thousands).
    max_items_per_feed: int = Field(ge=1, le=10_000)
    # An article page larger than this is recorded as an error, not read.
    article_max_bytes: int = Field(gt=0)
    # An article that failed is tried again after this many hours.
    retry_failed_after_hours: float = Field(ge=0)

    @field_validator("feeds")
    @classmethod
    def _unique_names(cls, feeds: list[FeedSettings]) -> list[FeedSettings]:
        names = [f.name for f in feeds]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"feed names must be unique; repeated: {', '.join(duplicates)}")
        return feeds

    @model_validator(mode="after")
    def _listing_names_unique(self) -> NewsSettings:
        names = [f.name for f in self.feeds] + [listing.name for listing in self.listings]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"feed and listing names must be unique; repeated: {duplicates}")
        return self


class GovukSettings(_Section):
    enabled: bool
    # The search API endpoint; queries, paging and fields are added to it.
    search_url: str
    # Each query is searched separately, newest first.
    queries: list[str] = Field(min_length=1)
    # Every item of these GOV.UK content types ('decision': statutory directions).
    document_types: list[str] = Field(default_factory=list)
    filter_organisations: list[str] = Field(default_factory=list)
    # Results per page (GOV.UK allows up to 1000) and pages per query.
    count: int = Field(ge=1, le=1000)
    max_pages: int = Field(ge=1, le=100)
    article_max_bytes: int = Field(gt=0)
    retry_failed_after_hours: float = Field(ge=0)

    _url_is_http = field_validator("search_url")(_http_url)

    @field_validator("queries")
    @classmethod
    def _non_empty(cls, queries: list[str]) -> list[str]:
        if any(not q.strip() for q in queries):
            raise ValueError("queries must not be empty strings")
        return [q.strip() for q in queries]

    @field_validator("search_url")
    @classmethod
    def _no_query_string(cls, value: str) -> str:
        if urlsplit(value).query:
            raise ValueError("give the bare endpoint; the query string is built from the settings")
        return value


class JobSchedule(_Section):
    """When one job runs: every `interval_seconds`, or on a `cron` line in the schedule's zone."""

    enabled: bool = True
    interval_seconds: float | None = Field(default=None, gt=0)
    cron: str | None = None
    jitter_seconds: int = Field(default=0, ge=0)
    timeout_seconds: float = Field(default=1800, gt=0)

    @model_validator(mode="after")
    def _one_trigger(self) -> JobSchedule:
        if (self.interval_seconds is None) == (self.cron is None):
            raise ValueError("set exactly one of interval_seconds and cron")
        if self.cron is not None:
            from apscheduler.triggers.cron import CronTrigger

            try:
                CronTrigger.from_crontab(self.cron)
            except ValueError as exc:
                raise ValueError(f"cron {self.cron!r} is not a crontab line: {exc}") from exc
        return self


class StatisticsSettings(_Section):
    """Ofsted's yearly 'inspection outcomes as at 31 March' spreadsheet, found on GOV.UK."""

    enabled: bool
    # GOV.UK's content API; the statistics page's path is added to it.
    content_api_url: str
    # The oldest edition's year to look for when no newer page exists.
    oldest_year: int = Field(ge=2015)
    max_file_bytes: int = Field(gt=0)

    _url_is_http = field_validator("content_api_url")(_http_url)


def _jobs_model() -> type[BaseModel]:
    """`[schedule.jobs]`: one table per registered source (config/sources.py), and digests."""
    from config.sources import SOURCES

    fields: dict[str, Any] = {name: (JobSchedule, ...) for name in SOURCES}
    fields["digests"] = (JobSchedule, ...)
    return create_model("Jobs", __base__=_Section, **fields)


Jobs = _jobs_model()


def _known_time_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {value!r}") from exc
    return value


class ScheduleSettings(_Section):
    timezone: str
    misfire_grace_seconds: int = Field(ge=1)
    jobs: Jobs  # type: ignore[valid-type]

    _zone = field_validator("timezone")(_known_time_zone)


LEASE_PER_TIMEOUT = 10
"""An SMTP transaction is a handful of exchanges, each allowed mail.timeout_seconds."""


class MailSettings(_Section):
    """Outgoing mail. The SMTP password comes from CSWATCH_MAIL__PASSWORD only, never the file."""

    backend: Literal["auto", "smtp", "file"]
    host: str | None = None
    port: int = Field(ge=1, le=65535)
    security: Literal["none", "starttls", "tls"]
    username: str | None = None
    password: SecretStr | None = None
    timeout_seconds: float = Field(gt=0)
    ca_file: str | None = None
    from_address: str
    list_id: str
    unsubscribe_mailto: str
    public_base_url: str = ""
    outbox_dir: str = Field(min_length=1)
    max_changes_per_digest: int = Field(ge=1, le=1000)
    retry_backoff_seconds: float = Field(ge=0)
    max_retry_backoff_seconds: float = Field(ge=0)
    retry_window_hours: float = Field(gt=0)
    breaker_failures: int = Field(ge=1, le=1000)
    sending_lease_seconds: float = Field(gt=0)

    @field_validator("host", "username", "ca_file", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("from_address")
    @classmethod
    def _from_is_an_address(cls, value: str) -> str:
        if _CONTROL.search(value):
            raise ValueError("may not contain line breaks or control characters")
        _name, address = parseaddr(value)
        if "@" not in address:
            raise ValueError("must be an email address, optionally with a name: 'Name <a@b.org>'")
        return value

    @field_validator("unsubscribe_mailto")
    @classmethod
    def _mailto_is_an_address(cls, value: str) -> str:
        if _CONTROL.search(value) or "@" not in value or any(c in value for c in "<>, "):
            raise ValueError("must be a bare email address (no name, no 'mailto:')")
        return value

    @field_validator("list_id")
    @classmethod
    def _list_id_is_a_domain(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+", value):
            raise ValueError("must be a dotted name like alerts.cswatch.example.org (RFC 2919)")
        return value

    @field_validator("public_base_url")
    @classmethod
    def _https_base(cls, value: str) -> str:
        """Blank: the local web address (filled in by Settings). Plain http only for this
        machine, so double opt-in works locally and never leaks a manage link elsewhere."""
        value = value.strip()
        if not value:
            return value
        parts = urlsplit(value)
        local = parts.scheme == "http" and _is_loopback(parts.hostname or "")
        if _CONTROL.search(value) or not (parts.scheme == "https" or local) or not parts.hostname:
            raise ValueError(
                "must be an https:// URL (the manage and unsubscribe links), or http:// on "
                "localhost; leave it empty for the local web address"
            )
        return value.rstrip("/")

    @property
    def effective_backend(self) -> str:
        if self.backend == "auto":
            return "smtp" if self.host else "file"
        return self.backend

    @model_validator(mode="after")
    def _smtp_needs_a_host(self) -> MailSettings:
        if self.backend == "smtp" and not self.host:
            raise ValueError("backend 'smtp' needs mail.host")
        if self.username and self.password is None:
            raise ValueError("mail.username is set but CSWATCH_MAIL__PASSWORD is not")
        if self.sending_lease_seconds < LEASE_PER_TIMEOUT * self.timeout_seconds:
            raise ValueError(
                f"mail.sending_lease_seconds ({self.sending_lease_seconds:g}) must be at least "
                f"{LEASE_PER_TIMEOUT} x mail.timeout_seconds ({self.timeout_seconds:g}): a claim "
                "must outlast one SMTP transaction, or a slow send could be taken over and sent "
                "twice"
            )
        return self


Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


class DigestSettings(_Section):
    timezone: str
    daily_time: time
    weekly_day: Weekday
    weekly_time: time

    _zone = field_validator("timezone")(_known_time_zone)

    @property
    def weekly_weekday(self) -> int:
        return WEEKDAYS.index(self.weekly_day)


class DaemonSettings(_Section):
    health_host: str
    health_port: int = Field(ge=0, le=65535)
    heartbeat_seconds: float = Field(gt=0)
    leader_retry_seconds: float = Field(gt=0)
    shutdown_grace_seconds: float = Field(gt=0, le=9)
    source_unhealthy_after_minutes: float = Field(gt=0)
    failure_backoff_max_minutes: float = Field(gt=0)
    leader_stale_after_seconds: float = Field(gt=0)
    hung_leader_takeover_seconds: float = Field(gt=0)

    @model_validator(mode="after")
    def _takeover_after_several_beats(self) -> DaemonSettings:
        # A leader that merely missed a beat or two (a busy machine) must never be replaced.
        if self.hung_leader_takeover_seconds < 3 * self.heartbeat_seconds:
            raise ValueError(
                "hung_leader_takeover_seconds must be at least 3 x heartbeat_seconds "
                f"({3 * self.heartbeat_seconds:g} s): a busy leader that misses a beat would "
                "otherwise be replaced"
            )
        return self


PLACEHOLDER_WORDS = ("change", "placeholder", "example", "secret", "replace")
MIN_SECRET_KEY = 32


class WebSettings(_Section):
    """The web app. The signing key comes from CSWATCH_WEB__SECRET_KEY only, never the file."""

    host: str = Field(min_length=1)
    port: int = Field(ge=0, le=65535)
    serve_in_daemon: bool
    secret_key: SecretStr | None = None
    confirm_max_age_hours: float = Field(gt=0, le=24 * 30)
    signups_per_client_per_hour: int = Field(ge=1, le=100_000)
    emails_per_address_per_hour: int = Field(ge=1, le=100)
    changes_page_size: int = Field(ge=1, le=1000)
    workers: int = Field(ge=1, le=64)
    # The forms need a few kB; the app takes no uploads, so a large limit only invites abuse.
    max_body_bytes: int = Field(ge=4096, le=16 * 2**20)
    cache_retry_seconds: float = Field(gt=0, le=3600)

    @field_validator("secret_key", mode="before")
    @classmethod
    def _real_key(cls, value: object) -> object:
        if value is None:
            return None
        text = value.get_secret_value() if isinstance(value, SecretStr) else str(value)
        if not text.strip():
            return None
        if len(text) < MIN_SECRET_KEY:
            raise ValueError(f"must be at least {MIN_SECRET_KEY} characters (a random key)")
        lowered = text.lower()
        if any(word in lowered for word in PLACEHOLDER_WORDS) or len(set(text)) < 8:
            raise ValueError("looks like a placeholder: generate a random key")
        return value


def _is_loopback(host: str) -> bool:
    return host == "localhost" or host.startswith("127.") or host == "::1"


def local_web_url(host: str, port: int) -> str:
    """The address a browser on this machine opens for a server on host:port."""
    if host in {"", "0.0.0.0", "::"}:
        host = "localhost"
    elif ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def default_home() -> Path:
    """Where relative paths (var_dir, a SQLite database_url) are anchored when CSWATCH_HOME is
    not set: the folder of CSWATCH_SETTINGS_FILE if set; else this checkout (the folder with
    pyproject.toml, where `make run` runs); else, for an installed package, the user's data
    folder. Never the current folder by accident."""
    settings_file = os.environ.get(SETTINGS_FILE_ENV)
    if settings_file:
        return Path(settings_file).expanduser().resolve().parent
    if (CHECKOUT / "pyproject.toml").is_file():
        return CHECKOUT
    data = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(data) / "cswatch"


def _database_url(value: str) -> URL:
    try:
        url = make_url(value)
    except ArgumentError as exc:
        raise ValueError(
            "is not a database URL: give sqlite:///var/cswatch.db or "
            "postgresql+psycopg://user@host/dbname"
        ) from exc
    try:
        url.get_dialect()
    except NoSuchModuleError as exc:
        raise ValueError(
            f"unknown kind of database {url.drivername!r}: use sqlite or postgresql+psycopg"
        ) from exc
    return url


class ReviewSettings(_Section):
    """The review queue. The operator secret comes from CSWATCH_REVIEW__OPERATOR_SECRET only."""

    confidence_threshold: float = Field(ge=0, le=1)
    operator_secret: SecretStr | None = None

    @field_validator("operator_secret", mode="before")
    @classmethod
    def _real_secret(cls, value: object) -> object:
        return WebSettings._real_key(value)


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class Settings(BaseSettings):
    """Every setting of the service; defaults live in `config/settings.toml`."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter="__",
        extra="forbid",
        validate_default=True,
    )

    # Relative paths below are anchored here (default_home() when unset).
    home: Path | None = None
    database_url: str
    var_dir: Path
    log_level: str = "INFO"
    http: HttpSettings
    ofsted: OfstedSettings
    news: NewsSettings
    govuk: GovukSettings
    statistics: StatisticsSettings

    schedule: ScheduleSettings
    daemon: DaemonSettings
    mail: MailSettings
    digests: DigestSettings
    web: WebSettings
    review: ReviewSettings

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        if value.upper() not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL")
        return value.upper()

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        _database_url(value)
        return value

    @field_validator("home", mode="before")
    @classmethod
    def _blank_home(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @model_validator(mode="after")
    def _anchor_paths(self) -> Settings:
        """Relative var_dir and SQLite paths are under the home, whatever the current folder;
        an unset public_base_url is the local web address, so sign-up links work locally."""
        home = (self.home or default_home()).expanduser().resolve()
        self.home = home
        self.var_dir = home / self.var_dir.expanduser()
        url = _database_url(self.database_url)
        database = url.database or ""
        if url.get_backend_name() == "sqlite" and database not in {"", ":memory:"}:
            path = Path(database).expanduser()
            if not database.startswith("file:") and not path.is_absolute():
                self.database_url = url.set(database=str(home / path)).render_as_string(
                    hide_password=False
                )
        if not self.mail.public_base_url:
            self.mail.public_base_url = local_web_url(self.web.host, self.web.port)
        return self

    @model_validator(mode="after")
    def _sources_are_allowed(self) -> Settings:
        """Every configured source host must be on the allow-list: fail at boot, not at 3 am."""
        urls = [("ofsted.search_url", self.ofsted.search_url)]
        if self.news.enabled:
            urls += [(f"news.feeds.{f.name}.url", f.url) for f in self.news.feeds]
            urls += [(f"news.listings.{x.name}.url", x.url) for x in self.news.listings]
        if self.govuk.enabled:
            urls.append(("govuk.search_url", self.govuk.search_url))
        if self.statistics.enabled:
            urls.append(("statistics.content_api_url", self.statistics.content_api_url))
        allowed = set(self.http.allowed_hosts)
        for key, url in urls:
            host = _host_key(url)
            if host not in allowed and urlsplit(url).hostname not in allowed:
                raise ValueError(
                    f"setting {key}: host {host} is not in http.allowed_hosts (add it there, or "
                    "turn the source off)"
                )
        return self

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_file = os.environ.get(SETTINGS_FILE_ENV) or DEFAULT_SETTINGS_FILE
        return (
            init_settings,
            env_settings,
            TomlConfigSettingsSource(settings_cls, toml_file=toml_file),
        )

    def sqlite_path(self) -> Path | None:
        """The database file for a SQLite URL, None for other databases."""
        prefix = "sqlite:///"
        if self.database_url.startswith(prefix) and ":memory:" not in self.database_url:
            return Path(self.database_url.removeprefix(prefix))
        return None


def _env_names(model: type[BaseModel], prefix: str) -> set[str]:
    """Every CSWATCH_* name that maps to a key, sections nested with '__'."""
    names = set()
    for name, field in model.model_fields.items():
        env_name = f"{prefix}{name.upper()}"
        names.add(env_name)
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            names |= _env_names(annotation, env_name + "__")
    return names


def _is_complex(annotation: Any) -> bool:
    """A value pydantic-settings reads from the environment as JSON (lists, tables)."""
    origin = get_origin(annotation)
    if origin in {list, dict, set, tuple, frozenset}:
        return True
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_is_complex(arg) for arg in get_args(annotation) if arg is not type(None))


def _json_env_keys(model: type[BaseModel], prefix: str, dotted: str) -> dict[str, str]:
    """CSWATCH_* names whose value must be JSON, with their dotted keys."""
    keys = {}
    for name, field in model.model_fields.items():
        env_name, key = f"{prefix}{name.upper()}", f"{dotted}{name}"
        annotation = field.annotation
        if _is_complex(annotation):
            keys[env_name] = key
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            keys |= _json_env_keys(annotation, env_name + "__", key + ".")
    return keys


def _check_env_json(environ: dict[str, str]) -> None:
    keys = _json_env_keys(Settings, ENV_PREFIX, "")
    for name, value in environ.items():
        key = keys.get(name.upper())
        if key is None:
            continue
        try:
            json.loads(value)
        except ValueError:
            raise SettingsError(
                f"setting {key}: {name.upper()} must be written as JSON, a list like "
                f'\'["one", "two"]\' (got {value!r})'
            ) from None


def _known_env_names() -> set[str]:
    return _env_names(Settings, ENV_PREFIX) | {SETTINGS_FILE_ENV}


def _check_env(environ: dict[str, str]) -> None:
    known = _known_env_names()
    unknown = sorted(
        k for k in environ if k.upper().startswith(ENV_PREFIX) and k.upper() not in known
    )
    if unknown:
        raise SettingsError(
            f"unknown setting {unknown[0]}: no such key (known: see config/settings.toml)"
        )


def _check_file(path: Path) -> None:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise SettingsError(f"settings file {path} does not exist") from exc
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"settings file {path} is not valid TOML: {exc}") from exc
    mail = data.get("mail")
    if isinstance(mail, dict) and "password" in mail:
        raise SettingsError(
            f"setting mail.password: a secret may not be written in {path}; "
            "set the environment variable CSWATCH_MAIL__PASSWORD instead"
        )
    _check_web_secret(data, path)
    review = data.get("review")
    if isinstance(review, dict) and "operator_secret" in review:
        raise SettingsError(
            f"setting review.operator_secret: a secret may not be written in {path}; "
            "set the environment variable CSWATCH_REVIEW__OPERATOR_SECRET instead"
        )


def _check_web_secret(data: dict[str, Any], path: Path) -> None:
    web = data.get("web")
    if isinstance(web, dict) and "secret_key" in web:
        raise SettingsError(
            f"setting web.secret_key: a secret may not be written in {path}; "
            "set the environment variable CSWATCH_WEB__SECRET_KEY instead"
        )


def load_settings(**overrides: Any) -> Settings:
    """Read, merge and validate the settings, or raise SettingsError naming the bad key."""
    _check_env(dict(os.environ))
    _check_env_json(dict(os.environ))
    _check_file(Path(os.environ.get(SETTINGS_FILE_ENV) or DEFAULT_SETTINGS_FILE))
    try:
        return Settings(**overrides)
    except SourceError as exc:  # a value the environment source could not read
        raise SettingsError(f"settings: {exc}") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(part) for part in first["loc"]) or "(settings)"
        message = first["msg"].removeprefix("Value error, ")
        if first["type"] == "extra_forbidden":
            message = "unknown setting: no such key"
        elif first["type"] == "missing":
            raise SettingsError(f"setting {key}: required setting is missing") from exc
        if not first["loc"]:  # a check across sections: the message names the keys
            raise SettingsError(message.removeprefix("Value error, ")) from exc
        raise SettingsError(f"setting {key}: {message} (got {first.get('input')!r})") from exc
