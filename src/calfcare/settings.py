"""calfcare's settings: the only module that reads the environment.

Built once by the CLI callback or by ``create_app(settings)`` and passed down; tests build
`Settings(...)` directly. Every field is documented in docs/settings.md (a test checks).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

ENV_PREFIX = "CALFCARE_"


def default_data_dir() -> Path:
    """The user's data directory (platformdirs), e.g. ~/.local/share/calfcare on Linux."""
    from platformdirs import user_data_path

    return user_data_path("calfcare", appauthor=False)


@dataclass(frozen=True, slots=True)
class Settings:
    """Where calfcare keeps data and how it serves the web app."""

    data_dir: Path = field(default_factory=default_data_dir)
    """CALFCARE_DATA_DIR: folder for the SQLite database and exports."""
    database_url: str | None = None
    """CALFCARE_DATABASE_URL: a SQLAlchemy URL (e.g. postgresql+psycopg://user@host/db);
    unset means SQLite at <data_dir>/calfcare.sqlite3."""
    host: str = "127.0.0.1"
    """CALFCARE_HOST: the address `calfcare serve` binds to (loopback by default)."""
    port: int = 8000
    """CALFCARE_PORT: the port `calfcare serve` listens on."""
    debug: bool = False
    """CALFCARE_DEBUG: 1 shows tracebacks for internal errors (never in normal use)."""
    allowed_hosts: tuple[str, ...] = ()
    """CALFCARE_ALLOWED_HOSTS: comma-separated host names the web app answers to besides
    this computer's own (``--allowed-host``); required to serve on 0.0.0.0 or ::."""
    secret_key: str | None = None
    """CALFCARE_SECRET_KEY: signs the forms' security tokens, the same in every worker and
    instance (at least 32 characters); unset means a new random key each start."""
    server: bool = False
    """CALFCARE_SERVER: 1 runs calfcare for several people (``--server``): every person's
    records need a sign-in. Off (personal mode): no accounts, one person, no sign-in."""
    allow_sign_up: bool = False
    """CALFCARE_ALLOW_SIGN_UP: 1 lets anyone who reaches a server make an account
    (``--allow-sign-up``); off, accounts come from `calfcare admin create-account`."""

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'calfcare.sqlite3'}"


SETTING_NAMES = (
    "data_dir",
    "database_url",
    "host",
    "port",
    "debug",
    "allowed_hosts",
    "secret_key",
    "server",
    "allow_sign_up",
)


def parse_port(raw: str, name: str) -> int:
    """A TCP port from text; `InvalidInput` naming ``name`` (exit 2), not a ValueError."""
    from calfcare.core.errors import InvalidInput, Problem
    from calfcare.core.whole_number import whole_number

    port = whole_number(raw.strip(), 5)
    if port is not None and 1 <= port <= 65535:
        return port
    raise InvalidInput(
        [Problem(name, f"{raw!r} is not a port: give a whole number from 1 to 65535, or unset it")],
        "A setting is not valid.",
    )


def load_settings(environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
    """Settings from ``CALFCARE_*`` variables, then explicit overrides (CLI options)."""
    env = os.environ if environ is None else environ
    values: dict[str, object] = {}
    if f"{ENV_PREFIX}DATA_DIR" in env:
        values["data_dir"] = Path(env[f"{ENV_PREFIX}DATA_DIR"]).expanduser()
    if env.get(f"{ENV_PREFIX}DATABASE_URL"):
        values["database_url"] = env[f"{ENV_PREFIX}DATABASE_URL"]
    if f"{ENV_PREFIX}HOST" in env:
        values["host"] = env[f"{ENV_PREFIX}HOST"]
    if f"{ENV_PREFIX}PORT" in env and overrides.get("port") is None:
        values["port"] = parse_port(env[f"{ENV_PREFIX}PORT"], f"{ENV_PREFIX}PORT")
    values["debug"] = env.get(f"{ENV_PREFIX}DEBUG") == "1"
    if env.get(f"{ENV_PREFIX}ALLOWED_HOSTS"):
        names = env[f"{ENV_PREFIX}ALLOWED_HOSTS"].split(",")
        values["allowed_hosts"] = tuple(n.strip() for n in names if n.strip())
    if env.get(f"{ENV_PREFIX}SECRET_KEY"):
        values["secret_key"] = parse_secret_key(env[f"{ENV_PREFIX}SECRET_KEY"])
    values["server"] = env.get(f"{ENV_PREFIX}SERVER") == "1"
    values["allow_sign_up"] = env.get(f"{ENV_PREFIX}ALLOW_SIGN_UP") == "1"
    values.update({k: v for k, v in overrides.items() if v is not None})
    return Settings(**values)  # type: ignore[arg-type]


MIN_SECRET_KEY = 32


def parse_secret_key(raw: str) -> str:
    """A signing key of at least 32 characters; `InvalidInput` naming the variable."""
    from calfcare.core.errors import InvalidInput, Problem

    key = raw.strip()
    if len(key) >= MIN_SECRET_KEY:
        return key
    message = (
        f"{len(key)} characters; give at least {MIN_SECRET_KEY} random ones "
        "(e.g. python3 -c 'import secrets; print(secrets.token_urlsafe(32))'), or unset it"
    )
    raise InvalidInput([Problem(f"{ENV_PREFIX}SECRET_KEY", message)], "A setting is not valid.")


def environment_of(settings: Settings) -> dict[str, str]:
    """``settings`` as the ``CALFCARE_*`` variables `load_settings` reads back: how
    `calfcare serve --workers N` hands them to worker processes."""
    env = {
        f"{ENV_PREFIX}DATA_DIR": str(settings.data_dir),
        f"{ENV_PREFIX}HOST": settings.host,
        f"{ENV_PREFIX}PORT": str(settings.port),
        f"{ENV_PREFIX}DEBUG": "1" if settings.debug else "0",
        f"{ENV_PREFIX}ALLOWED_HOSTS": ",".join(settings.allowed_hosts),
        f"{ENV_PREFIX}SERVER": "1" if settings.server else "0",
        f"{ENV_PREFIX}ALLOW_SIGN_UP": "1" if settings.allow_sign_up else "0",
    }
    if settings.database_url:
        env[f"{ENV_PREFIX}DATABASE_URL"] = settings.database_url
    if settings.secret_key:
        env[f"{ENV_PREFIX}SECRET_KEY"] = settings.secret_key
    return env
